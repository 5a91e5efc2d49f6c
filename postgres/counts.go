package postgres

// countsQuery reads the number of rows of a company's table (clients,
// locations or contacts) from company_counts (migrations/0007), plus the
// changes not yet folded into it (the reader's own transaction's writes;
// committed ones are folded at their commit). $1 is the company id; a
// company that does not exist counts 0.
func countsQuery(table string) string {
	return `SELECT (coalesce((SELECT ` + table + ` FROM company_counts WHERE company_id = $1), 0)
		+ coalesce((SELECT sum(` + table + `) FROM company_count_changes WHERE company_id = $1), 0))::bigint`
}

// countQuery counts the rows of table that w selects: from the maintained
// count when w holds only the company's condition, else with count(*) over
// from (table, with an alias and joins if w's conditions need them).
func countQuery(table, from string, w *where) (string, []any) {
	if len(w.conds) == 1 {
		return countsQuery(table), w.args
	}
	return `SELECT count(*) FROM ` + from + w.sql(), w.args
}
