package postgres

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/clientele/clientele"
)

// where builds the WHERE clause of a list query and numbers its placeholders:
// each value passed to add becomes the next $n.
type where struct {
	conds []string
	args  []any
}

// arg adds v to the arguments and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

// add adds a condition: format with one %s per value, each replaced by the
// value's placeholder.
func (w *where) add(format string, values ...any) {
	ps := make([]any, len(values))
	for i, v := range values {
		ps[i] = w.arg(v)
	}
	w.conds = append(w.conds, fmt.Sprintf(format, ps...))
}

// sql returns " WHERE …" (the conditions joined by AND), or "" for none.
func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// ids adds "expr is one of ids" when ids is not empty.
func (w *where) ids(expr string, ids []int64) {
	if len(ids) > 0 {
		w.add(expr+" = ANY(%s)", ids)
	}
}

// anyOf adds "expr is one of the values' keys" when values is not empty;
// key turns a value into what the column holds (nil: the value itself). A
// value whose key is "" matches nothing, as a null attribute has no value
// (its key column holds NULL or ""), and neither does one PostgreSQL text
// cannot hold (NUL, invalid UTF-8), which no row can have: such values are
// left out, and when none is left the condition selects nothing.
func (w *where) anyOf(expr string, values []string, key func(string) string) {
	if len(values) == 0 {
		return
	}
	keys := make([]string, 0, len(values))
	for _, v := range values {
		if key != nil {
			v = key(v)
		}
		if v != "" && storable(v) {
			keys = append(keys, v)
		}
	}
	if len(keys) == 0 {
		w.conds = append(w.conds, "false")
		return
	}
	w.add(expr+" = ANY(%s)", keys)
}

// contains adds "one of exprs contains Fold(s)", unless Fold(s) is "" (which
// every value contains), as a LIKE whose pattern makes %, _ and \ literal.
func (w *where) contains(exprs []string, s string) {
	folded := clientele.Fold(s)
	if folded == "" {
		return
	}
	if !storable(folded) {
		w.conds = append(w.conds, "false")
		return
	}
	p := w.arg("%" + likeEscaper.Replace(folded) + "%")
	parts := make([]string, len(exprs))
	for i, e := range exprs {
		parts[i] = e + ` LIKE ` + p + ` ESCAPE '\'`
	}
	w.conds = append(w.conds, "("+strings.Join(parts, " OR ")+")")
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// during adds "expr lies within r" (both ends inclusive, at microsecond
// precision: see TimeRange.Micros) for the ends r sets.
func (w *where) during(expr string, r clientele.TimeRange) {
	r = r.Micros()
	if !r.From.IsZero() {
		w.add(expr+" >= %s", r.From)
	}
	if !r.To.IsZero() {
		w.add(expr+" <= %s", r.To)
	}
}

// flag adds "expr = *b" when b is set.
func (w *where) flag(expr string, b *bool) {
	if b != nil {
		w.add(expr+" = %s", *b)
	}
}

// search adds "every term of the query search prefixes a token of the
// record's search_vector" (see clientele.SearchTerms) when search is set; a
// query without terms selects nothing. The tsquery is bound as a value, each
// lexeme quoted, so nothing in it is tsquery syntax.
//
// An e-mail word (clientele.SearchEmails) must prefix one of the e-mail
// keys emailKeys (a LIKE on a key of collation "C", which an index on it
// serves as a range). With indexed keys only (contacts), the terms of the
// e-mail words, which such a prefix implies, are left out of the tsquery:
// their common words (example, pl) would cost more than the rest of the search.
func (w *where) search(vector, search string, indexedKeys bool, emailKeys ...string) {
	if search == "" {
		return
	}
	emails, rest := clientele.SearchEmails(search)
	if !indexedKeys {
		rest = search
	}
	terms := clientele.SearchTerms(rest)
	if len(terms) == 0 && len(emails) == 0 || len(terms) == 0 && !indexedKeys || !storable(search) {
		w.conds = append(w.conds, "false")
		return
	}
	for _, e := range emails {
		p := w.arg(likeEscaper.Replace(e) + "%")
		parts := make([]string, len(emailKeys))
		for i, k := range emailKeys {
			parts[i] = k + ` LIKE ` + p + ` ESCAPE '\'`
		}
		w.conds = append(w.conds, "("+strings.Join(parts, " OR ")+")")
	}
	if len(terms) > 0 {
		w.add(vector+" @@ %s::tsquery", tsquery(terms))
	}
}

// lexemeEscaper quotes a lexeme for a tsquery literal.
var lexemeEscaper = strings.NewReplacer(`\`, `\\`, `'`, `''`)

// tsquery is the tsquery text of terms: each a quoted prefix, all required.
func tsquery(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = "'" + lexemeEscaper.Replace(t) + "':*"
	}
	return strings.Join(parts, " & ")
}

// withRelevance returns columns with the relevance pseudo field of the
// query search (clientele.SearchRank) on the search_text column text, its
// values bound in w.
func (w *where) withRelevance(columns map[string]sortColumn, sort []clientele.SortKey,
	search, text string) map[string]sortColumn {
	if search == "" || !slices.ContainsFunc(sort, func(k clientele.SortKey) bool { return k.Field == clientele.RelevanceSort }) {
		return columns // bind no value that the query does not use
	}
	first := "" // no term: the search selects nothing, whatever the rank
	if terms := clientele.SearchTerms(search); len(terms) > 0 && storable(terms[0]) {
		first = likeEscaper.Replace(terms[0])
	}
	out := make(map[string]sortColumn, len(columns)+1)
	for k, v := range columns {
		out[k] = v
	}
	out[clientele.RelevanceSort] = sortColumn{rank: true,
		expr: "(CASE WHEN " + text + " LIKE " + w.arg(first+"%") + ` ESCAPE '\' THEN 0 WHEN ' ' || ` + text +
			" || ' ' LIKE " + w.arg("% "+first+" %") + ` ESCAPE '\' THEN 1 ELSE 2 END)`}
	return out
}

// storable reports whether PostgreSQL text can hold s.
func storable(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// sortColumn is how a list sorts by one field: the SQL expression of the
// field's sort value (see clientele.ClientPosition and the like) and whether
// that value is a timestamp (a Position holds it as microseconds).
type sortColumn struct {
	expr  string
	stamp bool
	rank  bool // a relevance rank (0, 1 or 2), see clientele.SearchRank
}

// A list's sortable fields; "id" is the id expression passed to page.
var (
	clientSort = map[string]sortColumn{
		"name":        {expr: "c.name_key"},
		"external_id": {expr: "coalesce(c.external_id, '')"},
		"created_at":  {expr: "c.created_at", stamp: true},
		"updated_at":  {expr: "c.updated_at", stamp: true},
	}
	contactSort = map[string]sortColumn{
		"first_name": {expr: "first_key"},
		"last_name":  {expr: "last_key"},
		"name":       {expr: "name_key"},
		"email":      {expr: "coalesce(email_key, '')"},
		"created_at": {expr: "created_at", stamp: true},
		"updated_at": {expr: "updated_at", stamp: true},
	}
	locationSort = map[string]sortColumn{
		"name":       {expr: "name_key"},
		"city":       {expr: "city_key"},
		"country":    {expr: "country"},
		"created_at": {expr: "created_at", stamp: true},
	}
)

// orderTerm is one key of a list's order, with the After position's value of it.
type orderTerm struct {
	expr  string
	desc  bool
	value any
}

// page adds to w the conditions that start a list after page.After, and
// returns the ORDER BY, LIMIT and OFFSET that follow the WHERE: the order of
// sort, then id ascending (a sort that names id ends there, as ids are
// unique), at most page.Limit rows (0: all) after the first page.Offset.
//
// The keyset condition is the OR-expansion of "after the position" that
// respects each key's direction: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR … OR
// (k1 = v1 AND … AND id > vid), with < for descending keys; a copy of its
// first disjunct's bound (k1 >= v1) lets the index seek to the position.
func (w *where) page(columns map[string]sortColumn, id string, sort []clientele.SortKey,
	page clientele.Page) (string, error) {
	var terms []orderTerm
	values, byID := 0, false
	for _, k := range sort {
		if k.Field == "id" {
			if !byID {
				terms = append(terms, orderTerm{id, k.Desc, page.After.ID})
			}
			byID = true
			continue
		}
		col, ok := columns[k.Field]
		if !ok {
			return "", clientele.Errorf(clientele.Malformed, "invalid_sort", "sort", "cannot sort by %q", k.Field)
		}
		// The Position holds a value for every key but id, also for those
		// after an id key, which no longer take part in the order.
		var value any
		if values < len(page.After.Values) {
			value = page.After.Values[values]
			if col.stamp {
				t, ok := clientele.ParseMicros(page.After.Values[values])
				if !ok {
					return "", invalidCursor()
				}
				value = t
			}
			if col.rank {
				r, ok := clientele.ParseRank(page.After.Values[values])
				if !ok {
					return "", invalidCursor()
				}
				value = r
			}
		}
		values++
		if !byID {
			terms = append(terms, orderTerm{col.expr, k.Desc, value})
		}
	}
	if !byID {
		terms = append(terms, orderTerm{id, false, page.After.ID})
	}

	if page.After.ID != 0 || len(page.After.Values) > 0 {
		if page.After.ID < 1 || len(page.After.Values) != values {
			return "", invalidCursor()
		}
		ps := make([]string, len(terms))
		for i, t := range terms {
			if s, ok := t.value.(string); ok && !storable(s) {
				return "", invalidCursor()
			}
			ps[i] = w.arg(t.value)
		}
		if len(terms) == 1 {
			w.conds = append(w.conds, terms[0].expr+" "+after(terms[0].desc, false)+" "+ps[0])
		} else {
			w.conds = append(w.conds, terms[0].expr+" "+after(terms[0].desc, true)+" "+ps[0])
			ors := make([]string, len(terms))
			for i := range terms {
				ands := make([]string, 0, i+1)
				for j := range i {
					ands = append(ands, terms[j].expr+" = "+ps[j])
				}
				ands = append(ands, terms[i].expr+" "+after(terms[i].desc, false)+" "+ps[i])
				ors[i] = "(" + strings.Join(ands, " AND ") + ")"
			}
			w.conds = append(w.conds, "("+strings.Join(ors, " OR ")+")")
		}
	}

	keys := make([]string, len(terms))
	for i, t := range terms {
		keys[i] = t.expr
		if t.desc {
			keys[i] += " DESC"
		}
	}
	tail := " ORDER BY " + strings.Join(keys, ", ") + " LIMIT " + w.arg(limit(page))
	if page.Offset > 0 {
		tail += " OFFSET " + w.arg(page.Offset)
	}
	return tail, nil
}

// after is the operator that selects what follows a value in a key's direction.
func after(desc, orEqual bool) string {
	op := ">"
	if desc {
		op = "<"
	}
	if orEqual {
		op += "="
	}
	return op
}

func invalidCursor() error {
	return clientele.Errorf(clientele.Malformed, "invalid_cursor", "page[after]",
		"page[after] must be a cursor from a links.next of this list")
}

// limit is the LIMIT argument of page: its Limit, or NULL (no limit) for 0.
func limit(page clientele.Page) any {
	if page.Limit == 0 {
		return nil
	}
	return page.Limit
}

// late is the query of a page whose ids are found first, on table alone
// (alias as), by the conditions of w and the order, limit and offset of
// tail (from page); only the page's rows are then read, by their primary
// key, with selected (a SELECT … FROM table as, and its joins) and put in
// the same order. Deep in a list (an offset) or within a time range, the
// rows that the offset skips or the sort discards are then never read nor
// joined: they are index entries only. $1 is the company id (w's first
// condition). byRange says that w holds a time range.
func late(selected, table, as string, w *where, tail string, byRange bool) string {
	prefix := ""
	if as != "" {
		prefix = as + "."
	}
	order := tail[:strings.Index(tail, " LIMIT ")]
	if byRange {
		// Ids increase with created_at, which the planner does not know: it
		// would walk the primary key in id order, filtering out every row
		// before the range (77 000 of 200 000 clients for one month), to stop
		// early. Sorting by id + 0 leaves it the range's own index.
		key := " ORDER BY " + prefix + "id"
		if rest, ok := strings.CutPrefix(tail, key); ok && (strings.HasPrefix(rest, " ") || strings.HasPrefix(rest, ",")) {
			tail = key + " + 0" + rest
		}
	}
	return selected + ` WHERE ` + prefix + `company_id = $1 AND ` + prefix + `id IN (SELECT ` + prefix + `id FROM ` +
		table + ` ` + as + w.sql() + tail + `)` + order
}

// lateJoin reports whether a list of page within the time ranges should
// find its ids first
// (see late), and whether a time range is set.
func lateJoin(page clientele.Page, ranges ...clientele.TimeRange) (late, byRange bool) {
	for _, r := range ranges {
		if !r.IsZero() {
			byRange = true
		}
	}
	return byRange || page.Offset > 0, byRange
}
