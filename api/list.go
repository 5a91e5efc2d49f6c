package api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/clientele/clientele"
)

// listDocument is a page of a list.
type listDocument struct {
	Data     []resource `json:"data"`
	Included []resource `json:"included,omitzero"` // nil without include
	Links    links      `json:"links"`
	Meta     *listMeta  `json:"meta,omitempty"` // number mode only
}

type listMeta struct {
	Page pageMeta `json:"page"`
}

// pageMeta describes a page in number mode: Last is the number of the last
// page, 1 for an empty list.
type pageMeta struct {
	Number int `json:"number"`
	Size   int `json:"size"`
	Total  int `json:"total"`
	Last   int `json:"last"`
}

// serveList parses a list request, asks fetch for the page and the records
// its include names, and renders them with links that repeat the request's
// parameters (include and fields too): in cursor mode links.next, when more
// records follow, with a cursor after the page's last record, sealed for the
// actor's company and the query; in number mode first, prev, next and last
// and meta.page. position tells where a record stands in a sort.
func serveList[Q, T any](s *Server, w http.ResponseWriter, r *http.Request, a clientele.Actor, kind listKind[Q],
	fetch func(listParams[Q]) (clientele.List[T], clientele.Related, error),
	render func(T) resource, position func(T, []clientele.SortKey) clientele.Position) error {
	p, err := parseList(r, kind, s.cursors, a.CompanyID)
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
			primary[position(item, nil).ID] = true
		}
		if len(doc.Data) > 0 {
			doc.Included = c.included(doc.Data[0].Type, primary)
		} else {
			doc.Included = c.included("", nil)
		}
	}
	link := func(param, value string) string {
		q := url.Values{}
		for k, v := range p.values {
			q[k] = v
		}
		q.Set(param, value)
		return r.URL.Path + "?" + q.Encode()
	}
	switch {
	case p.page.Number:
		size := p.page.Limit
		m := pageMeta{Number: pageNumber(p.page), Size: size, Total: list.Total, Last: max(1, (list.Total+size-1)/size)}
		doc.Meta = &listMeta{Page: m}
		number := func(n int) string { return link("page[number]", strconv.Itoa(n)) }
		doc.Links.First, doc.Links.Last = number(1), number(m.Last)
		if m.Number > 1 {
			doc.Links.Prev = number(min(m.Number-1, m.Last))
		}
		if m.Number < m.Last {
			doc.Links.Next = number(m.Number + 1)
		}
	case list.More && len(list.Items) > 0:
		after := position(list.Items[len(list.Items)-1], p.sort)
		doc.Links.Next = link("page[after]", s.cursors.Seal(a.CompanyID, p.bound, after))
	}
	writeJSON(w, http.StatusOK, doc)
	return nil
}

// byID returns the position function of a list ordered by id only.
func byID[T any](id func(T) int64) func(T, []clientele.SortKey) clientele.Position {
	return func(item T, _ []clientele.SortKey) clientele.Position { return clientele.Position{ID: id(item)} }
}
