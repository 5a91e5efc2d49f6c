package postgres

import (
	"context"
	"testing"

	"github.com/clientele/clientele"
)

// The counts of migrations/0007 stay exact when one transaction writes many
// rows through many statements (each statement records one change, folded
// into company_counts once, at commit), see its own writes before the
// commit, and leave no change behind.
func TestCountsFoldAtCommit(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	var company, other int64
	if err := db.pool.QueryRow(ctx, `INSERT INTO companies (name, slug, created_at, updated_at)
		VALUES ('A', 'a', now(), now()), ('B', 'b', now(), now()) RETURNING id`).Scan(&company); err != nil {
		t.Fatal(err)
	}
	if err := db.pool.QueryRow(ctx, `SELECT id FROM companies WHERE slug = 'b'`).Scan(&other); err != nil {
		t.Fatal(err)
	}
	insertClient := `INSERT INTO clients (company_id, name, name_key, types, invoice_reminders,
		show_location_on_invoice, created_at, updated_at, search_text)
		VALUES ($1, 'C', 'c', 1, true, false, now(), now(), 'c') RETURNING id`
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var ids []int64
	for range 300 {
		var id int64
		if err := tx.QueryRow(ctx, insertClient, company).Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO contacts (company_id, client_id, first_name, first_key, name_key,
			is_main, portal_access, created_at, updated_at, search_text)
		SELECT $1, id, 'F', 'f', 'f', false, false, now(), now(), 'f' FROM unnest($2::bigint[]) id, generate_series(1, 3)`,
		company, ids); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM clients WHERE company_id = $1 AND id = ANY($2)`, company, ids[:10]); err != nil {
		t.Fatal(err)
	}
	read := func(what string, q func(string, ...any) (int, error), wantClients, wantContacts int) {
		t.Helper()
		for table, want := range map[string]int{"clients": wantClients, "contacts": wantContacts, "locations": 0} {
			if n, err := q(countsQuery(table), company); err != nil || n != want {
				t.Errorf("%s: %s count = %d, %v; want %d", what, table, n, err, want)
			}
		}
	}
	scanInt := func(row interface{ Scan(...any) error }) (int, error) {
		var n int
		err := row.Scan(&n)
		return n, err
	}
	read("inside the transaction", func(q string, args ...any) (int, error) {
		return scanInt(tx.QueryRow(ctx, q, args...))
	}, 290, 870)
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	fromPool := func(q string, args ...any) (int, error) { return scanInt(db.pool.QueryRow(ctx, q, args...)) }
	read("after the commit", fromPool, 290, 870)
	if n, err := fromPool(`SELECT count(*) FROM company_count_changes`); err != nil || n != 0 {
		t.Errorf("changes left after the commit: %d, %v; want 0 (folded)", n, err)
	}
	if n, err := fromPool(`SELECT clients FROM company_counts WHERE company_id = $1`, company); err != nil || n != 290 {
		t.Errorf("company_counts.clients = %d, %v; want 290", n, err)
	}

	// The other company's count is its own.
	if err := db.Write(ctx, func(tx clientele.Tx) error {
		c := clientele.Client{CompanyID: other, Name: "O", Types: []string{clientele.TypeCustomer}}
		return tx.CreateClient(ctx, &c)
	}); err != nil {
		t.Fatal(err)
	}
	if n, err := fromPool(countsQuery("clients"), other); err != nil || n != 1 {
		t.Errorf("the other company's clients = %d, %v; want 1", n, err)
	}
	read("after the other company's write", fromPool, 290, 870)
}
