package main

import (
	"net/http"
	"testing"

	"github.com/clientele/clientele/internal/pgtest"
)

// The commands work on PostgreSQL as on SQLite: serve bootstraps the demo
// company there, and company create and token create write to the same
// database while serve runs.
func TestPostgresCommands(t *testing.T) {
	url := pgtest.URL(t)
	vars := map[string]string{"CLIENTELE_DATABASE_URL": url}
	cRun(t, vars, "migrate").cMust(t)

	srv := cStartInProcess(t, t.TempDir(), vars, "--addr", "127.0.0.1:0", "--db-max-conns", "4")
	demo := cTokenPattern.FindString(srv.Stdout())
	if demo == "" {
		t.Fatalf("serve on PostgreSQL printed no demo token: %s", srv.Stdout())
	}
	base := "http://" + srv.Addr() + "/api/v1"
	if status, body := cDo(t, "GET", base+"/company", demo, ""); status != http.StatusOK {
		t.Fatalf("GET /company with the demo token: %d %s", status, body)
	}

	var p cProvisioned
	cOneObject(t, cRun(t, vars, "company", "create", "--name", "Acme", "--slug", "acme",
		"--admin-email", "a@acme.example", "--admin-name", "A", "--json").cMust(t).stdout, &p)
	if status, body := cDo(t, "GET", base+"/company", p.Token, ""); status != http.StatusOK {
		t.Fatalf("GET /company with the new company's token: %d %s", status, body)
	}
	out := cRun(t, vars, "token", "create", "--company", "acme", "--user", "a@acme.example").cMust(t).stdout
	if status, body := cDo(t, "GET", base+"/company", cTokenPattern.FindString(out), ""); status != http.StatusOK {
		t.Fatalf("GET /company with token create's token: %d %s", status, body)
	}
	cRun(t, vars, "company", "create", "--name", "Again", "--slug", "acme",
		"--admin-email", "b@acme.example", "--admin-name", "B").cFails(t, "conflict")
}
