package api

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clientele/clientele"
)

// parseQuery parses the query string strictly: it must parse (a raw ";"
// does not), and each parameter may appear once and must be one of allowed
// (anyFields allows every fields[…]). It reports every bad parameter at once.
func parseQuery(r *http.Request, allowed ...string) (url.Values, error) {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, malformed("invalid_query", "", "the query string cannot be parsed: %v", err)
	}
	var ps clientele.Problems
	for _, name := range slices.Sorted(maps.Keys(values)) {
		fields := strings.HasPrefix(name, "fields[") && strings.HasSuffix(name, "]")
		switch {
		case name == "": // "?=x" or "?&=": there is no parameter to name
			ps.Add("", "invalid_query", "the query string holds a value without a parameter name")
		case !slices.Contains(allowed, name) && !(fields && slices.Contains(allowed, anyFields)):
			code := "unknown_parameter"
			if strings.HasPrefix(name, "filter[") {
				code = "unknown_filter"
			}
			ps.Add(name, code, "%s is not a parameter of this endpoint", name)
		case len(values[name]) > 1:
			ps.Add(name, "duplicate_parameter", "%s may be given once", name)
		}
	}
	if ps != nil {
		return nil, &clientele.Error{Kind: clientele.Malformed, Problems: ps}
	}
	return values, nil
}

// noQuery rejects any query parameter on endpoints that take none.
func noQuery(r *http.Request) error {
	_, err := parseQuery(r)
	return err
}

// pathID returns the {id} of the route; an id that cannot exist is NotFound.
func pathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, clientele.ErrNotFound(what)
	}
	return id, nil
}

// listKind describes one list endpoint: what its cursors are bound to, what
// it sorts by and which filters it takes into its query Q.
type listKind[Q any] struct {
	name    string               // e.g. "clients", "clients/7/contacts"
	sorts   []string             // the sort fields; nil: by id only, and no number mode
	filters map[string]filter[Q] // by the name inside filter[…]
	search  func(q *Q, s string) // sets the query's search text; nil: no q parameter
}

// A filter reads the value of its filter[…] parameter into a query.
type filter[Q any] func(q *Q, v filterValue) error

// listParams is a parsed list request.
type listParams[Q any] struct {
	query  Q // the filters; the handler adds sort and page
	sort   []clientele.SortKey
	page   clientele.Page
	doc    docParams
	values url.Values // every parameter as given, to repeat in links
	bound  string     // the query description the list's cursors are bound to
}

// Limits of list parameters.
const (
	maxPageNumber      = 10_000_000 // page[number]: beyond it, offsets only cost
	maxFilterValues    = 100        // comma-separated values of one filter
	maxFilterValueRune = 256        // code points of one filter value
)

// parseList parses a list request: paging, sort, filters, include and
// fields, reporting every bad parameter at once. A page[after] must be a
// cursor that cursors sealed for companyID and this very query (list, sort
// and filters); page size, include and fields may change between pages.
func parseList[Q any](r *http.Request, kind listKind[Q], cursors clientele.Cursors, companyID int64) (listParams[Q], error) {
	allowed := []string{"page[size]", "page[after]", "sort", "include", anyFields}
	if kind.sorts != nil {
		allowed = append(allowed, "page[number]")
	}
	for name := range kind.filters {
		allowed = append(allowed, "filter["+name+"]")
	}
	if kind.search != nil {
		allowed = append(allowed, "q")
	}
	values, err := parseQuery(r, allowed...)
	if err != nil {
		return listParams[Q]{}, err
	}

	p := listParams[Q]{values: values}
	var ps clientele.Problems
	collect := func(err error) {
		var e *clientele.Error
		if errors.As(err, &e) {
			ps = append(ps, e.Problems...)
		}
	}
	p.doc, err = parseDocParams(values)
	collect(err)
	p.page, err = parsePage(values)
	collect(err)
	if v, ok := values["sort"]; ok {
		p.sort, err = parseSort(v[0], kind.sorts)
		collect(err)
	}
	for _, name := range slices.Sorted(maps.Keys(kind.filters)) {
		param := "filter[" + name + "]"
		if v, ok := values[param]; ok {
			collect(kind.filters[name](&p.query, filterValue{param: param, raw: v[0]}))
		}
	}
	if v, ok := values["q"]; ok && kind.search != nil {
		search, err := parseSearch(v[0])
		collect(err)
		if err == nil {
			kind.search(&p.query, search)
			if _, sorted := values["sort"]; !sorted {
				// best matches first (the api's sort parameter cannot name it)
				p.sort = []clientele.SortKey{{Field: clientele.RelevanceSort, Search: search}}
			}
		}
	}
	if ps != nil {
		return p, &clientele.Error{Kind: clientele.Malformed, Problems: ps}
	}

	p.bound = describe(kind.name, p.sort, values)
	if v, ok := values["page[after]"]; ok {
		after, ok := cursors.Open(companyID, p.bound, v[0])
		if !ok || len(after.Values) != len(p.sort)-countID(p.sort) {
			return p, malformed("invalid_cursor", "page[after]",
				"page[after] must be a cursor from links.next of this list, with the same sort and filters")
		}
		p.page.After = after
	}
	return p, nil
}

// parseSearch reads q: 2 to 200 characters once trimmed, UTF-8 text without NUL.
func parseSearch(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if !clientele.ValidSearch(s) {
		return "", malformed("invalid_search", "q", "q must be text of %d to %d characters, without NUL",
			clientele.MinSearchRunes, clientele.MaxSearchRunes)
	}
	return s, nil
}

// parsePage reads page[size] and page[number]; page[after] needs the rest of
// the query and is opened by parseList.
func parsePage(values url.Values) (clientele.Page, error) {
	page := clientele.Page{Limit: clientele.DefaultPageSize}
	if v, ok := values["page[size]"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > clientele.MaxPageSize {
			return page, malformed("invalid_page_size", "page[size]", "page[size] must be a whole number from 1 to %d", clientele.MaxPageSize)
		}
		page.Limit = n
	}
	if v, ok := values["page[number]"]; ok {
		if _, after := values["page[after]"]; after {
			return page, malformed("conflicting_page_parameters", "page[number]",
				"page[number] (number mode) and page[after] (cursor mode) cannot be combined")
		}
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > maxPageNumber {
			return page, malformed("invalid_page_number", "page[number]", "page[number] must be a whole number from 1 to %d", maxPageNumber)
		}
		page.Number, page.Offset = true, (n-1)*page.Limit
	}
	return page, nil
}

// pageNumber returns the page[number] of a number-mode page.
func pageNumber(p clientele.Page) int { return p.Offset/p.Limit + 1 }

// parseSort reads sort=a,-b: fields (nil: only "id"), each at most once, "-"
// for descending. Keys after id never decide the order and are dropped, as
// is a final ascending id, which every order ends with anyway.
func parseSort(raw string, fields []string) ([]clientele.SortKey, error) {
	if fields == nil {
		if raw != "id" {
			return nil, malformed("invalid_sort", "sort", "this list can only be sorted by id")
		}
		return nil, nil
	}
	var keys []clientele.SortKey
	for _, s := range strings.Split(raw, ",") {
		k := clientele.SortKey{Field: strings.TrimPrefix(s, "-"), Desc: strings.HasPrefix(s, "-")}
		if !slices.Contains(fields, k.Field) || slices.ContainsFunc(keys, func(o clientele.SortKey) bool { return o.Field == k.Field }) {
			return nil, malformed("invalid_sort", "sort",
				"sort must list fields of %s, each at most once, each with - in front for descending order", strings.Join(fields, ", "))
		}
		keys = append(keys, k)
		if k.Field == "id" {
			break
		}
	}
	if last := len(keys) - 1; keys[last] == (clientele.SortKey{Field: "id"}) {
		keys = keys[:last]
	}
	return keys, nil
}

// formatSort renders sort keys as a sort parameter.
func formatSort(keys []clientele.SortKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.Field
		if k.Desc {
			parts[i] = "-" + k.Field
		}
	}
	return strings.Join(parts, ",")
}

// countID returns 1 when the sort keys name id, else 0.
func countID(keys []clientele.SortKey) int {
	if slices.ContainsFunc(keys, func(k clientele.SortKey) bool { return k.Field == "id" }) {
		return 1
	}
	return 0
}

// describe returns the canonical description of a list query that cursors
// are bound to: the list and every parameter that selects or orders its
// records (sort in its normal form, the filters, any later selector such as
// q), sorted by name. Parameters that only shape or window the answer
// (page[…], include, fields[…]) are left out.
func describe(list string, sort []clientele.SortKey, values url.Values) string {
	d := url.Values{}
	for name, v := range values {
		switch {
		case name == "include", name == "sort",
			strings.HasPrefix(name, "page["), strings.HasPrefix(name, "fields["):
		default:
			d[name] = v
		}
	}
	if len(sort) > 0 {
		d.Set("sort", formatSort(sort))
	}
	return list + "?" + d.Encode() // Encode sorts by name
}

// filterValue is the value of one filter[…] parameter.
type filterValue struct {
	param string // "filter[city]"
	raw   string
}

func (v filterValue) invalid(format string, args ...any) error {
	return malformed("invalid_filter", v.param, v.param+" "+format, args...)
}

// text returns the value as one trimmed string; commas are part of it.
func (v filterValue) text() (string, error) {
	s := strings.TrimSpace(v.raw)
	return s, v.checkText(s)
}

func (v filterValue) checkText(s string) error {
	switch {
	case s == "":
		return v.invalid("must not be empty (nor hold an empty value between commas)")
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		return v.invalid("must be UTF-8 text without NUL")
	case utf8.RuneCountInString(s) > maxFilterValueRune:
		return v.invalid("values may be at most %d characters long", maxFilterValueRune)
	}
	return nil
}

// list returns the comma-separated values, trimmed, each passed through
// norm when it is not nil.
func (v filterValue) list(norm func(string) string) ([]string, error) {
	items := strings.Split(v.raw, ",")
	if len(items) > maxFilterValues {
		return nil, v.invalid("may hold at most %d values", maxFilterValues)
	}
	for i, s := range items {
		s = strings.TrimSpace(s)
		if err := v.checkText(s); err != nil {
			return nil, err
		}
		if norm != nil {
			s = norm(s)
		}
		items[i] = s
	}
	return items, nil
}

// ids returns the comma-separated ids.
func (v filterValue) ids() ([]int64, error) {
	items, err := v.list(nil)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(items))
	for i, s := range items {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 || strings.TrimLeft(s, "0123456789") != "" {
			return nil, v.invalid("must be a comma-separated list of ids, not %q", s)
		}
		ids[i] = id
	}
	return ids, nil
}

// choices returns the comma-separated values, each one of allowed.
func (v filterValue) choices(allowed []string) ([]string, error) {
	items, err := v.list(nil)
	for _, s := range items {
		if !slices.Contains(allowed, s) {
			return nil, v.invalid("values must each be one of %s, not %q", strings.Join(allowed, ", "), s)
		}
	}
	return items, err
}

// countries returns the comma-separated country codes in upper case.
func (v filterValue) countries() ([]string, error) {
	items, err := v.list(strings.ToUpper)
	for _, s := range items {
		if !clientele.ValidCountry(s) {
			return nil, v.invalid("values must each be an ISO 3166-1 alpha-2 code such as DE or GB, not %q", s)
		}
	}
	return items, err
}

// boolean returns true or false.
func (v filterValue) boolean() (*bool, error) {
	switch strings.TrimSpace(v.raw) {
	case "true":
		return new(true), nil
	case "false":
		return new(false), nil
	}
	return nil, v.invalid("must be true or false")
}

// from returns a lower time bound: RFC 3339, or YYYY-MM-DD for the start of
// that day in UTC. Timestamps are stored to the microsecond, so a finer
// bound is rounded up to the next microsecond.
func (v filterValue) from() (time.Time, error) {
	t, day, err := v.time()
	if err != nil || day {
		return t, err
	}
	if m := t.Truncate(time.Microsecond); m.Before(t) {
		t = m.Add(time.Microsecond)
	}
	return t, nil
}

// to returns an upper time bound: RFC 3339 (rounded down to the
// microsecond), or YYYY-MM-DD for the last microsecond of that day in UTC.
func (v filterValue) to() (time.Time, error) {
	t, day, err := v.time()
	if err != nil {
		return t, err
	}
	if day {
		return t.AddDate(0, 0, 1).Add(-time.Microsecond), nil
	}
	if t = t.Truncate(time.Microsecond); t.IsZero() {
		// a zero end is open: the microsecond before it bounds the same records
		t = t.Add(-time.Microsecond)
	}
	return t, nil
}

// time reads an RFC 3339 timestamp, or a date (day true). An offset's "+"
// that reached us as a space (an unescaped "+" in a query string) is read
// as the "+" it was.
func (v filterValue) time() (t time.Time, day bool, err error) {
	s := strings.TrimSpace(v.raw)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true, nil
	}
	for _, s := range []string{s, strings.Replace(s, " ", "+", 1)} {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC(), false, nil
		}
	}
	return time.Time{}, false, v.invalid("must be an RFC 3339 timestamp (2026-11-22T10:00:00Z) or a date (2026-11-22)")
}

// The filters of each list. Comma-separated values mean any of them, except
// for name, which is one text that may hold commas.
var (
	clientFilters = map[string]filter[clientele.ClientQuery]{
		"id":   func(q *clientele.ClientQuery, v filterValue) (err error) { q.IDs, err = v.ids(); return err },
		"name": func(q *clientele.ClientQuery, v filterValue) (err error) { q.Name, err = v.text(); return err },
		"external_id": func(q *clientele.ClientQuery, v filterValue) (err error) {
			q.ExternalIDs, err = v.list(nil)
			return err
		},
		"types": func(q *clientele.ClientQuery, v filterValue) (err error) {
			q.Types, err = v.choices(clientele.ClientTypes)
			return err
		},
		"owner":        func(q *clientele.ClientQuery, v filterValue) (err error) { q.OwnerIDs, err = v.ids(); return err },
		"salesperson":  func(q *clientele.ClientQuery, v filterValue) (err error) { q.SalespersonIDs, err = v.ids(); return err },
		"case_manager": func(q *clientele.ClientQuery, v filterValue) (err error) { q.CaseManagerIDs, err = v.ids(); return err },
		"country": func(q *clientele.ClientQuery, v filterValue) (err error) {
			q.Countries, err = v.countries()
			return err
		},
		"city": func(q *clientele.ClientQuery, v filterValue) (err error) {
			q.Cities, err = v.list(clientele.Fold)
			return err
		},
		"email": func(q *clientele.ClientQuery, v filterValue) (err error) {
			q.Emails, err = v.list(clientele.EmailKey)
			return err
		},
		"created_from": func(q *clientele.ClientQuery, v filterValue) (err error) { q.Created.From, err = v.from(); return err },
		"created_to":   func(q *clientele.ClientQuery, v filterValue) (err error) { q.Created.To, err = v.to(); return err },
		"updated_from": func(q *clientele.ClientQuery, v filterValue) (err error) { q.Updated.From, err = v.from(); return err },
		"updated_to":   func(q *clientele.ClientQuery, v filterValue) (err error) { q.Updated.To, err = v.to(); return err },
	}
	contactFilters = map[string]filter[clientele.ContactQuery]{
		"id":     func(q *clientele.ContactQuery, v filterValue) (err error) { q.IDs, err = v.ids(); return err },
		"client": func(q *clientele.ContactQuery, v filterValue) (err error) { q.ClientIDs, err = v.ids(); return err },
		"name":   func(q *clientele.ContactQuery, v filterValue) (err error) { q.Name, err = v.text(); return err },
		"email": func(q *clientele.ContactQuery, v filterValue) (err error) {
			q.Emails, err = v.list(clientele.EmailKey)
			return err
		},
		"is_main": func(q *clientele.ContactQuery, v filterValue) (err error) { q.IsMain, err = v.boolean(); return err },
		"portal_access": func(q *clientele.ContactQuery, v filterValue) (err error) {
			q.PortalAccess, err = v.boolean()
			return err
		},
		"created_from": func(q *clientele.ContactQuery, v filterValue) (err error) { q.Created.From, err = v.from(); return err },
		"created_to":   func(q *clientele.ContactQuery, v filterValue) (err error) { q.Created.To, err = v.to(); return err },
		"updated_from": func(q *clientele.ContactQuery, v filterValue) (err error) { q.Updated.From, err = v.from(); return err },
		"updated_to":   func(q *clientele.ContactQuery, v filterValue) (err error) { q.Updated.To, err = v.to(); return err },
	}
	locationFilters = map[string]filter[clientele.LocationQuery]{
		"id":     func(q *clientele.LocationQuery, v filterValue) (err error) { q.IDs, err = v.ids(); return err },
		"client": func(q *clientele.LocationQuery, v filterValue) (err error) { q.ClientIDs, err = v.ids(); return err },
		"country": func(q *clientele.LocationQuery, v filterValue) (err error) {
			q.Countries, err = v.countries()
			return err
		},
		"city": func(q *clientele.LocationQuery, v filterValue) (err error) {
			q.Cities, err = v.list(clientele.Fold)
			return err
		},
		"is_primary": func(q *clientele.LocationQuery, v filterValue) (err error) {
			q.IsPrimary, err = v.boolean()
			return err
		},
	}
)
