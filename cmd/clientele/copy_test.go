package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/pgtest"
	"github.com/clientele/clientele/postgres"
)

// copy moves what the CLI made on SQLite to PostgreSQL, prints the rows per
// table, and the commands then work on PostgreSQL with the same company and
// tokens; a second copy into the same database is refused.
func TestCopyCommand(t *testing.T) {
	url := pgtest.URL(t)
	dir := t.TempDir()
	sqliteVars := map[string]string{"CLIENTELE_DATA_DIR": dir}
	var p cProvisioned
	cOneObject(t, cRun(t, sqliteVars, "company", "create", "--name", "Acme", "--slug", "acme",
		"--admin-email", "a@acme.example", "--admin-name", "A", "--json").cMust(t).stdout, &p)
	cRun(t, sqliteVars, "token", "create", "--company", "acme", "--user", "a@acme.example").cMust(t)

	// --data-dir given as a flag; CLIENTELE_DATABASE_URL does not choose the target.
	vars := map[string]string{"CLIENTELE_DATABASE_URL": "postgres://elsewhere.invalid/db"}
	out := cRun(t, vars, "copy", "--to", url, "--data-dir", dir).cMust(t).stdout
	want := "companies 1, users 1, tokens 2, clients 0, locations 0, contacts 0, portal_sessions 0, portal_login_failures 0, idempotency_keys 0"
	if !strings.Contains(out, want) || !strings.Contains(out, filepath.Join(dir, "clientele.db")) {
		t.Errorf("copy printed %q, want the database and %q", out, want)
	}

	// The copied token authenticates on PostgreSQL, and the next token gets the next id.
	db, err := postgres.Open(context.Background(), url, postgres.Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, err := newService(db).Authenticate(context.Background(), p.Token)
	if err != nil || a.Role != clientele.RoleAdmin {
		t.Errorf("the copied admin token on PostgreSQL: %+v, %v", a, err)
	}
	pgVars := map[string]string{"CLIENTELE_DATABASE_URL": url}
	if out := cRun(t, pgVars, "token", "create", "--company", "acme", "--user", "a@acme.example").cMust(t).stdout; !strings.HasPrefix(out, "Token 3 ") {
		t.Errorf("token create on PostgreSQL after the copy printed %q, want token 3", out)
	}

	cRun(t, sqliteVars, "copy", "--to", url).cFails(t, "not empty")
}

// copy needs --to and a PostgreSQL URL, and never creates the SQLite
// database it would read.
func TestCopyCommandArguments(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	vars := map[string]string{"CLIENTELE_DATA_DIR": dir, "CLIENTELE_DATABASE_URL": "postgres://127.0.0.1:1/db"}
	cRun(t, vars, "copy").cFails(t, "--to postgres://… is required")
	cRun(t, vars, "copy", "--to", "mysql://127.0.0.1/db").cFails(t, "--to must start with postgres://")
	cRun(t, vars, "copy", "--to", "postgres://127.0.0.1:1/db", "extra").cFails(t, `unexpected argument "extra"`)
	cRun(t, vars, "copy", "--to", "postgres://127.0.0.1:1/db").cFails(t, "SQLite database")
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("copy created the data directory: %v", err)
	}
}
