package api

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/clientele/clientele"
)

// listParams are the query parameters every list understands.
type listParams struct {
	page   clientele.Page
	ids    []int64
	doc    docParams
	values url.Values
}

// parseQuery parses the query string strictly: it must parse (a raw ";"
// does not), and each parameter may appear once and must be one of allowed
// (anyFields allows every fields[…]).
func parseQuery(r *http.Request, allowed ...string) (url.Values, error) {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, malformed("invalid_query", "", "the query string cannot be parsed: %v", err)
	}
	for name, vs := range values {
		fields := strings.HasPrefix(name, "fields[") && strings.HasSuffix(name, "]")
		if !contains(allowed, name) && !(fields && contains(allowed, anyFields)) {
			code := "unknown_parameter"
			if strings.HasPrefix(name, "filter[") {
				code = "unknown_filter"
			}
			return nil, malformed(code, name, "%s is not a parameter of this endpoint", name)
		}
		if len(vs) > 1 {
			return nil, malformed("duplicate_parameter", name, "%s may be given once", name)
		}
	}
	return values, nil
}

// parseList parses the paging, sort, id filter, include and fields of a list.
func parseList(r *http.Request) (listParams, error) {
	values, err := parseQuery(r, "page[size]", "page[after]", "sort", "filter[id]", "include", anyFields)
	if err != nil {
		return listParams{}, err
	}
	p := listParams{page: clientele.Page{Limit: clientele.DefaultPageSize}, values: values}
	if p.doc, err = parseDocParams(values); err != nil {
		return p, err
	}
	if v, ok := values["page[size]"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > clientele.MaxPageSize {
			return p, malformed("invalid_page_size", "page[size]", "page[size] must be a whole number from 1 to %d", clientele.MaxPageSize)
		}
		p.page.Limit = n
	}
	if v, ok := values["page[after]"]; ok {
		after, ok := decodeCursor(v[0])
		if !ok {
			return p, malformed("invalid_cursor", "page[after]", "page[after] must be a cursor from a links.next of this list")
		}
		p.page.After.ID = after
	}
	if v, ok := values["sort"]; ok && v[0] != "id" {
		return p, malformed("invalid_sort", "sort", "lists can only be sorted by id for now")
	}
	if v, ok := values["filter[id]"]; ok {
		for _, s := range strings.Split(v[0], ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil || id < 1 {
				return p, malformed("invalid_filter", "filter[id]", "filter[id] must be a comma-separated list of ids")
			}
			p.ids = append(p.ids, id)
		}
		if len(p.ids) > clientele.MaxPageSize {
			return p, malformed("invalid_filter", "filter[id]", "filter[id] may name at most %d ids", clientele.MaxPageSize)
		}
	}
	return p, nil
}

// A cursor is the last id of a page, encoded so that callers treat it as opaque.
func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("id:" + strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (int64, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(raw), "id:") {
		return 0, false
	}
	id, err := strconv.ParseInt(string(raw[3:]), 10, 64)
	return id, err == nil && id > 0
}

// listDocument is a page of a list.
type listDocument struct {
	Data     []resource `json:"data"`
	Included []resource `json:"included,omitzero"` // nil without include
	Links    links      `json:"links"`
}

// serveList parses a list request, asks fetch for the page and the records
// its include names, and renders them; when more records follow, links.next
// repeats the request's parameters (include and fields too) with the cursor
// after the page's last record.
func serveList[T any](w http.ResponseWriter, r *http.Request,
	fetch func(listParams) (clientele.List[T], clientele.Related, error),
	render func(T) resource, idOf func(T) int64) error {
	p, err := parseList(r)
	if err != nil {
		return err
	}
	list, rel, err := fetch(p)
	if err != nil {
		return err
	}
	doc := listDocument{Data: make([]resource, len(list.Items)), Links: links{Self: r.URL.RequestURI()}}
	for i, item := range list.Items {
		doc.Data[i] = render(item)
	}
	if !p.doc.plain() {
		c := newCompound(p.doc, rel)
		primary := make(map[int64]bool, len(list.Items))
		for i, item := range list.Items {
			c.finish(&doc.Data[i])
			primary[idOf(item)] = true
		}
		if len(doc.Data) > 0 {
			doc.Included = c.included(doc.Data[0].Type, primary)
		} else {
			doc.Included = c.included("", nil)
		}
	}
	if list.More && len(list.Items) > 0 {
		next := url.Values{}
		for k, v := range p.values {
			next[k] = v
		}
		next.Set("page[after]", encodeCursor(idOf(list.Items[len(list.Items)-1])))
		doc.Links.Next = r.URL.Path + "?" + next.Encode()
	}
	writeJSON(w, http.StatusOK, doc)
	return nil
}

// pathID returns the {id} of the route; an id that cannot exist is NotFound.
func pathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, clientele.ErrNotFound(what)
	}
	return id, nil
}

// noQuery rejects any query parameter on endpoints that take none.
func noQuery(r *http.Request) error {
	_, err := parseQuery(r)
	return err
}
