package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/storage"
)

// Lists of clients, contacts and locations: the query text is built from the
// filters and the sort that a query sets, so most of it runs unprepared (see
// prepared.go). The shapes without filters, in id order, are registered and
// run prepared: the first page of a list, the next one, and the list of one
// client's contacts or locations (its related collection).
//
// Every condition names company_id first, and every order ends with id, so
// that an index led by company_id and ending in id serves each sort (see
// migrations/0001_init.sql). Sort keys are the *_key columns that the writes
// keep in step with their attributes (clientele.Fold, clientele.EmailKey),
// the attribute itself (country, coalesce(external_id, '')) or the integer
// microseconds of a timestamp; text compares byte-wise.

// sortColumn is the expression a sort field orders by; integer says whether
// a position's value of it is a timestamp in microseconds, else text.
type sortColumn struct {
	expr    string
	integer bool
	rank    bool  // a relevance rank (0, 1 or 2), see clientele.SearchRank
	args    []any // the arguments of expr's placeholders, each time it appears
}

// search adds the condition that every term of the query search prefixes
// a token of the record's search_text, through the FTS5 index fts whose
// rowid is idColumn; a query without terms matches nothing. Each term is
// quoted, so that nothing in it is FTS5 syntax (the terms hold only letters
// and digits anyway).
//
// An e-mail word (clientele.SearchEmails) must prefix one of the e-mail
// keys of e, each compared as a range. When e.in is set (contacts: the key
// is indexed), the terms of the e-mail words, which such a prefix implies,
// are left out of the FTS5 query, where their common words (example, pl)
// would cost more than the rest of the search, and the rows are found
// through the index, in a subquery as the FTS5 ones (so that the planner
// does not walk the company's rows in the order of the sort instead).
func (f *filter) search(fts, idColumn, search string, e emailKeys) {
	if search == "" {
		return
	}
	emails, rest := clientele.SearchEmails(search)
	if e.in == "" {
		rest = search
	}
	terms := clientele.SearchTerms(rest)
	if len(terms) == 0 && (len(emails) == 0 || e.in == "") {
		f.add(`0`)
		return
	}
	for _, m := range emails {
		// Every text that starts with m lies in [m, m with its last byte + 1).
		end := m[:len(m)-1] + string([]byte{m[len(m)-1] + 1})
		parts := make([]string, len(e.keys))
		var args []any
		for i, k := range e.keys {
			parts[i] = k + ` >= ? AND ` + k + ` < ?`
			args = append(args, m, end)
		}
		cond := `(` + strings.Join(parts, ` OR `) + `)`
		if e.in != "" {
			cond = idColumn + ` IN (` + e.in + ` AND ` + cond + `)`
			args = append([]any{e.companyID}, args...)
		}
		f.add(cond, args...)
	}
	if len(terms) > 0 {
		f.terms, f.matchAt, f.matchArg = terms, len(f.conds), len(f.args)
		f.add(idColumn+` IN (SELECT rowid FROM `+fts+` WHERE `+fts+` MATCH ?)`, matchExpr(terms))
	}
}

// emailKeys are the e-mail keys of a search (filter.search).
type emailKeys struct {
	keys      []string
	in        string // the keys are indexed: the ids are those of in, with companyID, and the keys
	companyID int64
}

// matchExpr is the FTS5 query of terms: each a quoted prefix, all required.
func matchExpr(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = quoteTerm(t) + `*`
	}
	return strings.Join(parts, " AND ")
}

func quoteTerm(t string) string { return `"` + strings.ReplaceAll(t, `"`, `""`) + `"` }

// firstWordMarker marks the copy of a record's first word in the search
// indexes (migrations/0008_search_rank.sql).
const firstWordMarker = "\ue000"

// byRelevance reports whether sort is the order of a list searched without
// a sort.
func byRelevance(sort []clientele.SortKey) bool {
	return len(sort) == 1 && sort[0].Field == clientele.RelevanceSort && !sort[0].Desc
}

// rankQuery is the query of the ids of one rank of a list by relevance
// (filter.ranks); the argument of its LIMIT follows args.
type rankQuery struct {
	text string
	args []any
}

// ranks returns the queries of the ranks, best first, of f's rows after the
// position after by relevance, then id (a list searched without a sort):
// each rank is an FTS5 query of its own (see migrations/0008_search_rank.sql)
// joined to the rows of from (the table with its alias; id its id column)
// under f's other conditions, in rowid order, in which FTS5 reads its
// doclists. So a rank stops after the rows the page can use, and the ranks
// after it need not run once the page is full (rankedIDs), where ordering
// every match by a rank computed from its row reads them all. ok is false
// when f has no FTS5 query (a search of e-mail words alone, which their
// index narrows down: see search).
//
// The first term t is left out of ranks 0 and 1, which imply it ("<marker>t"*
// and "t" are narrower than "t"*): FTS5 merges the doclists of every word
// that a prefix term matches before it can answer, as many as the words
// that start with t.
func (f filter) ranks(fts, from, id, search string, after clientele.Position) ([]rankQuery, bool, error) {
	if len(f.terms) == 0 {
		return nil, false, nil
	}
	first := clientele.SearchTerms(search)[0] // f.terms are some of them
	word, marked := quoteTerm(first), quoteTerm(firstWordMarker+first)+`*`
	rest := ""
	if others := slices.DeleteFunc(slices.Clone(f.terms), func(t string) bool { return t == first }); len(others) > 0 {
		rest = ` AND ` + matchExpr(others)
	}
	matches := [3]string{
		marked + rest,
		`(` + word + rest + `) NOT ` + marked,
		`(` + matchExpr(f.terms) + `) NOT (` + word + ` OR ` + marked + `)`,
	}
	start, zero := 0, after.ID == 0 && len(after.Values) == 0
	if !zero {
		ok := len(after.Values) == 1
		if ok {
			start, ok = clientele.ParseRank(after.Values[0])
		}
		if !ok {
			return nil, false, badPosition()
		}
	}
	conds := slices.Delete(slices.Clone(f.conds), f.matchAt, f.matchAt+1)
	condArgs := slices.Delete(slices.Clone(f.args), f.matchArg, f.matchArg+1)
	var out []rankQuery
	for rank := start; rank < len(matches); rank++ {
		where := fts + ` MATCH ? AND ` + strings.Join(conds, ` AND `)
		args := append([]any{matches[rank]}, condArgs...)
		if rank == start && !zero {
			where += ` AND ` + fts + `.rowid > ?`
			args = append(args, after.ID)
		}
		out = append(out, rankQuery{`SELECT ` + fts + `.rowid FROM ` + fts + ` JOIN ` + from + ` ON ` + id + ` = ` +
			fts + `.rowid WHERE ` + where + ` ORDER BY ` + fts + `.rowid LIMIT CAST(? AS INTEGER)`, args})
	}
	return out, true, nil
}

// rankedIDs runs the queries of ranks in turn until the page (of a limit:
// not 0) is full and returns the page's ids, in order.
func (t *tx) rankedIDs(ctx context.Context, ranks []rankQuery, page clientele.Page) ([]int64, error) {
	want := page.Limit + page.Offset
	var ids []int64
	for _, r := range ranks {
		if len(ids) >= want {
			break
		}
		query, args, _ := built(r.text, append(slices.Clip(r.args), want-len(ids)))
		rows, err := t.QueryContext(ctx, query, args...)
		if ids, err = collectIDs(ids, rows, err); err != nil {
			return nil, err
		}
	}
	return ids[min(page.Offset, len(ids)):], nil
}

func collectIDs(ids []int64, rows *sql.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// rankedRows reads the page of a list by relevance: its ids (rankedIDs),
// then their rows with selectIn (a query of the company's rows that ends
// in "IN "), in the ids' order. A page has at most clientele.MaxPageSize
// rows, far below SQLite's limit of parameters.
func rankedRows[T any](ctx context.Context, t *tx, ranks []rankQuery, page clientele.Page, selectIn string,
	companyID int64, scan func(interface{ Scan(...any) error }) (T, error), id func(T) int64) ([]T, error) {
	ids, err := t.rankedIDs(ctx, ranks, page)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	query, args, _ := built(selectIn+`(`+placeholders(len(ids))+`)`, appendIDs([]any{companyID}, ids))
	rows, err := t.QueryContext(ctx, query, args...)
	vs, err := collect(rows, err, scan)
	if err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	slices.SortFunc(vs, func(a, b T) int { return at[id(a)] - at[id(b)] })
	return vs, nil
}

// withRelevance returns columns with the relevance pseudo field of the
// query search (clientele.SearchRank) on the search_text column text. Lists
// by relevance use it only when filter.ranks cannot (no terms for the index).
func withRelevance(columns map[string]sortColumn, search, text string) map[string]sortColumn {
	if search == "" {
		return columns
	}
	terms := clientele.SearchTerms(search)
	first := "" // no term: the search selects nothing, whatever the rank
	if len(terms) > 0 {
		first = escapeLike(terms[0])
	}
	out := make(map[string]sortColumn, len(columns)+1)
	for k, v := range columns {
		out[k] = v
	}
	out[clientele.RelevanceSort] = sortColumn{
		expr: `(CASE WHEN ` + text + ` LIKE ? ESCAPE '\' THEN 0 WHEN ' ' || ` + text +
			` || ' ' LIKE ? ESCAPE '\' THEN 1 ELSE 2 END)`,
		rank: true, args: []any{first + "%", "% " + first + " %"},
	}
	return out
}

var (
	clientSortColumns = map[string]sortColumn{
		"name":        {expr: "c.name_key"},
		"external_id": {expr: "coalesce(c.external_id, '')"},
		"created_at":  {expr: "c.created_at", integer: true},
		"updated_at":  {expr: "c.updated_at", integer: true},
	}
	contactSortColumns = map[string]sortColumn{
		"first_name": {expr: "first_key"},
		"last_name":  {expr: "last_key"},
		"name":       {expr: "name_key"},
		"email":      {expr: "coalesce(email_key, '')"},
		"created_at": {expr: "created_at", integer: true},
		"updated_at": {expr: "updated_at", integer: true},
	}
	locationSortColumns = map[string]sortColumn{
		"name":       {expr: "name_key"},
		"city":       {expr: "city_key"},
		"country":    {expr: "country"},
		"created_at": {expr: "created_at", integer: true},
	}
)

// filter collects the conditions of a WHERE clause, all of which must hold,
// with their arguments.
type filter struct {
	conds []string
	args  []any
	// terms are those of a search's FTS5 query (search), whose condition
	// is conds[matchAt] with its argument args[matchArg]; nil for none.
	terms             []string
	matchAt, matchArg int
}

func (f *filter) add(cond string, args ...any) {
	f.conds = append(f.conds, cond)
	f.args = append(f.args, args...)
}

// ids adds "column IN (ids)" when ids is not empty.
func (f *filter) ids(column string, ids []int64) {
	if len(ids) > 0 {
		f.add(column+` IN (`+placeholders(len(ids))+`)`, appendIDs(nil, ids)...)
	}
}

// texts adds "column IN (key(values))" when values is not empty. A value
// whose key is empty matches nothing: a key column holds the empty string or
// NULL only where its attribute is null.
func (f *filter) texts(column string, values []string, key func(string) string) {
	if len(values) == 0 {
		return
	}
	var args []any
	for _, v := range values {
		if k := key(v); k != "" {
			args = append(args, k)
		}
	}
	if len(args) == 0 {
		f.add(`0`)
		return
	}
	f.add(column+` IN (`+placeholders(len(args))+`)`, args...)
}

// contains adds a match of Fold(s) anywhere in any of columns, when s is not blank.
func (f *filter) contains(columns []string, s string) {
	folded := clientele.Fold(s)
	if folded == "" {
		return
	}
	pattern := "%" + escapeLike(folded) + "%"
	var terms []string
	for _, c := range columns {
		terms = append(terms, c+` LIKE ? ESCAPE '\'`)
		f.args = append(f.args, pattern)
	}
	cond := strings.Join(terms, " OR ")
	if len(terms) > 1 {
		cond = "(" + cond + ")"
	}
	f.conds = append(f.conds, cond)
}

// likeEscaper makes the LIKE metacharacters (%, _ and the escape \) literal.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func escapeLike(s string) string { return likeEscaper.Replace(s) }

// between adds the inclusive bounds of r on a microsecond column (see TimeRange.Micros).
func (f *filter) between(column string, r clientele.TimeRange) {
	r = r.Micros()
	if !r.From.IsZero() {
		f.add(column+` >= ?`, micros(r.From))
	}
	if !r.To.IsZero() {
		f.add(column+` <= ?`, micros(r.To))
	}
}

// flag adds "column = b" when b is not nil.
func (f *filter) flag(column string, b *bool) {
	if b != nil {
		f.add(column+` = ?`, *b)
	}
}

func (f *filter) where() string { return ` WHERE ` + strings.Join(f.conds, ` AND `) }

// order turns sort into an ORDER BY clause over columns, id (the column
// idColumn) last, and adds to f the condition that selects the rows after
// the position after (none for the zero Position). A sort key on id itself
// orders by id in its direction and ends the order.
//
// The rows after a position are those for which, in the order's first key
// that differs from the position's values, the row lies beyond: the
// expansion (k1 > v1) OR (k1 = v1 AND k2 < v2) OR … OR (k1 = v1 AND … AND
// id > idv), with < for descending keys. A leading k1 >= v1 (<= when
// descending) lets the index seek to the position instead of scanning from
// the start. The order by id alone always has its condition, id > 0 from
// the start, so that the first page and the next share one query text.
func order(f *filter, sort []clientele.SortKey, columns map[string]sortColumn, idColumn string,
	after clientele.Position) (string, []any, error) {
	type key struct {
		sortColumn
		desc bool
	}
	var keys []key
	idDesc, values := false, 0
	ended := false
	for _, k := range sort {
		if k.Field == "id" {
			if !ended {
				idDesc, ended = k.Desc, true
			}
			continue
		}
		values++
		if ended {
			continue
		}
		c, ok := columns[k.Field]
		if !ok {
			return "", nil, clientele.Errorf(clientele.Malformed, "invalid_sort", "sort", "cannot sort by %q", k.Field)
		}
		keys = append(keys, key{c, k.Desc})
	}
	keys = append(keys, key{sortColumn{expr: idColumn, integer: true}, idDesc})

	terms := make([]string, len(keys))
	var byArgs []any
	for i, k := range keys {
		terms[i] = k.expr
		byArgs = append(byArgs, k.args...)
		if k.desc {
			terms[i] += " DESC"
		}
	}
	by := ` ORDER BY ` + strings.Join(terms, ", ")

	zero := after.ID == 0 && len(after.Values) == 0
	switch {
	case !zero && len(after.Values) != values:
		return "", nil, badPosition()
	case len(keys) == 1 && !idDesc:
		f.add(idColumn+` > ?`, after.ID)
		return by, byArgs, nil
	case zero:
		return by, byArgs, nil
	}
	vals := make([]any, len(keys))
	for i, k := range keys[:len(keys)-1] {
		s := after.Values[i]
		switch {
		case k.rank:
			r, ok := clientele.ParseRank(s)
			if !ok {
				return "", nil, badPosition()
			}
			vals[i] = r
		case !k.integer:
			vals[i] = s
		default:
			t, ok := clientele.ParseMicros(s)
			if !ok {
				return "", nil, badPosition()
			}
			vals[i] = micros(t)
		}
	}
	vals[len(keys)-1] = after.ID

	op := func(k key, orEqual bool) string {
		o := " > ?"
		if k.desc {
			o = " < ?"
		}
		if orEqual {
			o = o[:2] + "=" + o[2:]
		}
		return o
	}
	var ors []string
	var args []any
	if len(keys) > 1 {
		args = append(args, keys[0].args...)
		args = append(args, vals[0])
	}
	for i, k := range keys {
		var ands []string
		for j := range i {
			ands = append(ands, keys[j].expr+" = ?")
			args = append(args, keys[j].args...)
			args = append(args, vals[j])
		}
		ands = append(ands, k.expr+op(k, false))
		args = append(args, k.args...)
		args = append(args, vals[i])
		ors = append(ors, strings.Join(ands, " AND "))
	}
	cond := strings.Join(ors, " OR ")
	if len(keys) > 1 {
		cond = keys[0].expr + op(keys[0], true) + " AND (" + cond + ")"
	}
	f.add(cond, args...)
	return by, byArgs, nil
}

func badPosition() error {
	return clientele.Errorf(clientele.Malformed, "invalid_cursor", "page[after]", "the page position does not fit the sort")
}

// window is the LIMIT and OFFSET of page, with their arguments: as
// expressions, never bare parameters (see prepared.go).
func window(f *filter, page clientele.Page) string {
	f.args = append(f.args, limit(page), page.Offset)
	return ` LIMIT CAST(? AS INTEGER) OFFSET CAST(? AS INTEGER)`
}

// traceBuilt, when not nil, is told of each query text the list builders
// make. Tests set it, to tell the queries that may run unprepared.
var traceBuilt func(query string)

// built returns a list's query and arguments, telling traceBuilt of the query.
func built(query string, args []any) (string, []any, error) {
	if traceBuilt != nil {
		traceBuilt(query)
	}
	return query, args, nil
}

// clientFilter selects the clients (c) of q. The country and city are the
// primary location's, copied onto the client row (migrations/0005_list_perf.sql).
func clientFilter(companyID int64, q clientele.ClientQuery) (f filter) {
	f.add(`c.company_id = ?`, companyID)
	f.ids(`c.id`, q.IDs)
	f.contains([]string{`c.name_key`}, q.Name)
	f.texts(`c.external_id`, q.ExternalIDs, same)
	if len(q.Types) > 0 {
		f.add(`(c.types & ?) != 0`, storage.TypesMask(q.Types))
	}
	f.ids(`c.owner_id`, q.OwnerIDs)
	f.ids(`c.salesperson_id`, q.SalespersonIDs)
	f.ids(`c.case_manager_id`, q.CaseManagerIDs)
	f.texts(`c.country`, q.Countries, same)
	f.texts(`c.city_key`, q.Cities, clientele.Fold)
	f.texts(`c.email_key`, q.Emails, clientele.EmailKey)
	f.between(`c.created_at`, q.Created)
	f.between(`c.updated_at`, q.Updated)
	f.search(`clients_search`, `c.id`, q.Search, emailKeys{keys: []string{`c.email_key`, `lower(c.billing_email)`}})
	return f
}

func same(s string) string { return s }

// clientsQuery is the query, with its arguments, of a page of clients. The
// page's ids are found first, on the clients alone (mostly within an index),
// and only the page's rows are read and joined to their primary location and
// main contact (a late join): joining before the LIMIT and OFFSET would join
// every row the filter selects or the offset skips.
func clientsQuery(companyID int64, q clientele.ClientQuery) (string, []any, error) {
	f := clientFilter(companyID, q)
	columns := withRelevance(clientSortColumns, q.Search, `c.search_text`)
	by, byArgs, err := order(&f, q.Sort, columns, unlessNarrowed(`c.id`, !q.Created.IsZero() || !q.Updated.IsZero()), q.After)
	if err != nil {
		return "", nil, err
	}
	where := f.where()
	f.args = append(f.args, byArgs...)
	query := clientSelect + `WHERE c.id IN (SELECT c.id FROM clients c` + where + by + window(&f, q.Page) + `)` + by
	return built(query, append(f.args, byArgs...))
}

// clientRanks are the queries of the ranks of a list of clients by
// relevance (filter.ranks).
func clientRanks(companyID int64, q clientele.ClientQuery) ([]rankQuery, bool, error) {
	return clientFilter(companyID, q).ranks(`clients_search`, `clients c`, `c.id`, q.Search, q.After)
}

// countClientsQuery is the query, with its arguments, counting the clients
// of q: without a filter, the company's maintained count.
func countClientsQuery(companyID int64, q clientele.ClientQuery) (string, []any, error) {
	f := clientFilter(companyID, q)
	if len(f.conds) == 1 {
		return built(countsQuery("clients"), f.args)
	}
	return built(`SELECT count(*) FROM clients c`+f.where(), f.args)
}

// countsQuery reads the maintained number of rows of a company's table
// (company_counts, migrations/0005_list_perf.sql); no row (count returns 0)
// for a company that does not exist.
func countsQuery(table string) string {
	return `SELECT ` + table + ` FROM company_counts WHERE company_id = ?`
}

// lateWindow is the list's query over table with the columns columns:
// where, the order by and the window of page. Deep in a list (an offset),
// or when late says that the query sorts a range of an index, the page's ids
// are found first within an index and only the page's rows are read; the
// rows the offset skips or the sort discards are never read.
func lateWindow(f *filter, table, columns, where, by string, byArgs []any, page clientele.Page, late bool) string {
	if page.Offset == 0 && !late {
		f.args = append(f.args, byArgs...)
		return `SELECT ` + columns + ` FROM ` + table + where + by + window(f, page)
	}
	f.args = append(f.args, byArgs...)
	inner := `SELECT id FROM ` + table + where + by + window(f, page)
	f.args = append(f.args, byArgs...)
	return `SELECT ` + columns + ` FROM ` + table + ` WHERE id IN (` + inner + `)` + by
}

// contactFilter selects the contacts of q.
func contactFilter(companyID int64, q clientele.ContactQuery) (f filter) {
	f.add(`company_id = ?`, companyID)
	if q.ClientID != 0 {
		f.add(`client_id = ?`, q.ClientID)
	}
	f.ids(`client_id`, q.ClientIDs)
	f.ids(`id`, q.IDs)
	f.contains([]string{`first_key`, `last_key`, `name_key`}, q.Name)
	f.texts(`coalesce(email_key, '')`, q.Emails, clientele.EmailKey)
	f.flag(`is_main`, q.IsMain)
	f.flag(`portal_access`, q.PortalAccess)
	f.between(`created_at`, q.Created)
	f.between(`updated_at`, q.Updated)
	f.search(`contacts_search`, `id`, q.Search, emailKeys{keys: []string{`coalesce(email_key, '')`},
		in: `SELECT id FROM contacts WHERE company_id = ?`, companyID: companyID})
	return f
}

// byClients is the id column of a list's order: when the list is of a few
// clients' rows (included contacts or locations, filter[client]), a unary +
// keeps the company's id index out of the ORDER BY, so that the planner finds
// the rows through (company_id, client_id) instead of walking every row of the
// company in id order to filter them — which, without ANALYZE statistics, it
// otherwise prefers.
func byClients(clientIDs []int64) string {
	return unlessNarrowed(`id`, len(clientIDs) > 0)
}

// unlessNarrowed returns the id column id with a unary + when narrowed: when
// an index on another column (a few clients, a time range) narrows the list
// down, so that the planner reads that range and sorts it, rather than walking
// every row of the company in id order and reading each to filter it out.
func unlessNarrowed(id string, narrowed bool) string {
	if narrowed {
		return `+` + id
	}
	return id
}

func contactsQuery(companyID int64, q clientele.ContactQuery) (string, []any, error) {
	f := contactFilter(companyID, q)
	columns := withRelevance(contactSortColumns, q.Search, `search_text`)
	ranged := !q.Created.IsZero() || !q.Updated.IsZero()
	by, byArgs, err := order(&f, q.Sort, columns, unlessNarrowed(`id`, len(q.ClientIDs) > 0 || ranged), q.After)
	if err != nil {
		return "", nil, err
	}
	query := lateWindow(&f, `contacts`, contactColumns, f.where(), by, byArgs, q.Page, ranged)
	return built(query, f.args)
}

// contactRanks are the queries of the ranks of a list of contacts by
// relevance (filter.ranks).
func contactRanks(companyID int64, q clientele.ContactQuery) ([]rankQuery, bool, error) {
	return contactFilter(companyID, q).ranks(`contacts_search`, `contacts`, `contacts.id`, q.Search, q.After)
}

func countContactsQuery(companyID int64, q clientele.ContactQuery) (string, []any, error) {
	f := contactFilter(companyID, q)
	if len(f.conds) == 1 {
		return built(countsQuery("contacts"), f.args)
	}
	return built(`SELECT count(*) FROM contacts`+f.where(), f.args)
}

// locationFilter selects the locations of q.
func locationFilter(companyID int64, q clientele.LocationQuery) (f filter) {
	f.add(`company_id = ?`, companyID)
	if q.ClientID != 0 {
		f.add(`client_id = ?`, q.ClientID)
	}
	f.ids(`client_id`, q.ClientIDs)
	f.ids(`id`, q.IDs)
	f.texts(`country`, q.Countries, same)
	f.texts(`city_key`, q.Cities, clientele.Fold)
	f.flag(`is_primary`, q.IsPrimary)
	return f
}

func locationsQuery(companyID int64, q clientele.LocationQuery) (string, []any, error) {
	f := locationFilter(companyID, q)
	by, byArgs, err := order(&f, q.Sort, locationSortColumns, byClients(q.ClientIDs), q.After)
	if err != nil {
		return "", nil, err
	}
	query := lateWindow(&f, `locations`, locationColumns, f.where(), by, byArgs, q.Page, false)
	return built(query, f.args)
}

func countLocationsQuery(companyID int64, q clientele.LocationQuery) (string, []any, error) {
	f := locationFilter(companyID, q)
	if len(f.conds) == 1 {
		return built(countsQuery("locations"), f.args)
	}
	return built(`SELECT count(*) FROM locations`+f.where(), f.args)
}

// text returns the query text of a builder for q, for registering with prepared.
func text[Q any](build func(int64, Q) (string, []any, error), q Q) string {
	query, _, err := build(0, q)
	if err != nil {
		panic(err)
	}
	return query
}

// The shapes without filters, in id order, run prepared: the company's
// list and count, and those of one client's contacts and locations.
var (
	_ = prepared(text(clientsQuery, clientele.ClientQuery{}))
	_ = prepared(text(countClientsQuery, clientele.ClientQuery{}))
	_ = prepared(text(contactsQuery, clientele.ContactQuery{}))
	_ = prepared(text(contactsQuery, clientele.ContactQuery{ClientID: 1}))
	_ = prepared(text(countContactsQuery, clientele.ContactQuery{}))
	_ = prepared(text(countContactsQuery, clientele.ContactQuery{ClientID: 1}))
	_ = prepared(text(locationsQuery, clientele.LocationQuery{}))
	_ = prepared(text(locationsQuery, clientele.LocationQuery{ClientID: 1}))
	_ = prepared(text(countLocationsQuery, clientele.LocationQuery{}))
	_ = prepared(text(countLocationsQuery, clientele.LocationQuery{ClientID: 1}))
)

// count runs the count query that build makes for q.
func count[Q any](ctx context.Context, t *tx, build func(int64, Q) (string, []any, error), companyID int64, q Q) (int, error) {
	query, args, err := build(companyID, q)
	if err != nil {
		return 0, err
	}
	var n int
	err = t.QueryRowContext(ctx, query, args...).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) { // countsQuery of a company that does not exist
		return 0, nil
	}
	return n, err
}
