package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/api"
	"github.com/clientele/clientele/argon2id"
	"github.com/clientele/clientele/internal/pgtest"
	"github.com/clientele/clientele/postgres"
	"github.com/clientele/clientele/sqlite"
)

// env is a running API over a fresh database with one company, "acme", whose
// admin's token is admin.
type env struct {
	t      *testing.T
	srv    *httptest.Server
	svc    *clientele.Service
	store  clientele.Store
	admin  string // token of acme's admin
	userID string // id of acme's admin
}

// openStore returns an empty, migrated store for one test.
type openStore func(testing.TB) clientele.Store

// forEachEngine runs test once per storage engine, as subtests named after
// the engine, so that the HTTP behaviour cannot drift between them.
// PostgreSQL runs when CLIENTELE_TEST_DATABASE_URL is set and skips otherwise.
func forEachEngine(t *testing.T, test func(*testing.T, openStore)) {
	t.Run("sqlite", func(t *testing.T) { test(t, openSQLite) })
	t.Run("postgres", func(t *testing.T) { test(t, openPostgres) })
}

// openPostgres returns an empty PostgreSQL store in a schema of its own.
func openPostgres(t testing.TB) clientele.Store {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.URL(t), postgres.Options{MaxConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openSQLite returns an empty SQLite store in a temporary directory.
func openSQLite(t testing.TB) clientele.Store {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "clientele.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// testHasher is real Argon2id with a small cost, so that tests stay fast.
var testHasher = argon2id.New(argon2id.Params{MemoryKiB: 64, Time: 1, Threads: 1}, 4)

func newEnv(t *testing.T, open openStore) *env {
	t.Helper()
	store := open(t)
	svc := clientele.NewService(store, testHasher)
	srv := httptest.NewServer(api.New(svc, api.Config{Ready: store.Ping, OperatorToken: "operator-secret",
		Cursors: cursorsOf(t, store)}))
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, svc: svc, store: store}
	e.admin, e.userID = e.newCompany("acme")
	return e
}

// cursorsOf returns the Cursors sealed with store's cursor key, as serve makes them.
func cursorsOf(tb testing.TB, store clientele.Store) clientele.Cursors {
	tb.Helper()
	key, err := store.Secret(context.Background(), "cursor")
	if err != nil {
		tb.Fatal(err)
	}
	return clientele.NewCursors(key)
}

// newCompany creates a company with an admin and returns the admin's token and user id.
func (e *env) newCompany(slug string) (token, userID string) {
	e.t.Helper()
	p, err := e.svc.CreateCompany(context.Background(), clientele.NewCompany{
		Name: strings.ToUpper(slug[:1]) + slug[1:], Slug: slug, AdminEmail: "admin@" + slug + ".example", AdminName: "Admin " + slug})
	if err != nil {
		e.t.Fatal(err)
	}
	return p.Secret, fmt.Sprint(p.Admin.ID)
}

// response is what the API answered.
type response struct {
	t      *testing.T
	Status int
	Header http.Header
	Body   []byte
}

// do sends a request with a JSON:API body (a string is sent as is, anything
// else is marshalled) and the token as Bearer credentials ("" for none).
func (e *env) do(method, path, token string, body any) *response {
	e.t.Helper()
	return e.doWith(method, path, token, body)
}

// doWith is do with extra header lines: name, value, name, value…
func (e *env) doWith(method, path, token string, body any, header ...string) *response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", api.MediaType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	return e.send(req)
}

// send sends a prepared request.
func (e *env) send(req *http.Request) *response {
	e.t.Helper()
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return &response{t: e.t, Status: res.StatusCode, Header: res.Header, Body: raw}
}

// resourceDoc builds a request document {"data": {"type", "attributes", "relationships"}}.
func resourceDoc(typ string, attrs map[string]any, rels map[string]any) map[string]any {
	data := map[string]any{"type": typ}
	if attrs != nil {
		data["attributes"] = attrs
	}
	if rels != nil {
		data["relationships"] = rels
	}
	return map[string]any{"data": data}
}

// ref builds a to-one relationship {"data": {"type", "id"}}, or {"data": null} for id "".
func ref(typ, id string) map[string]any {
	if id == "" {
		return map[string]any{"data": nil}
	}
	return map[string]any{"data": map[string]any{"type": typ, "id": id}}
}

// want fails the test unless the status is status.
func (r *response) want(status int) *response {
	r.t.Helper()
	if r.Status != status {
		r.t.Fatalf("status %d, want %d; body: %s", r.Status, status, r.Body)
	}
	return r
}

// json decodes the body.
func (r *response) json() map[string]any {
	r.t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		r.t.Fatalf("body is not JSON: %v: %s", err, r.Body)
	}
	return v
}

// data returns the body's data object (for single-resource documents).
func (r *response) data() map[string]any {
	r.t.Helper()
	d, ok := r.json()["data"].(map[string]any)
	if !ok {
		r.t.Fatalf("no data object in %s", r.Body)
	}
	return d
}

// id returns data.id.
func (r *response) id() string { r.t.Helper(); return r.data()["id"].(string) }

// attrs returns data.attributes.
func (r *response) attrs() map[string]any {
	r.t.Helper()
	return r.data()["attributes"].(map[string]any)
}

// relID returns the id a to-one relationship of data names, or "" for null.
func (r *response) relID(name string) string {
	r.t.Helper()
	rels, _ := r.data()["relationships"].(map[string]any)
	rel, ok := rels[name].(map[string]any)
	if !ok {
		r.t.Fatalf("no relationship %q in %s", name, r.Body)
	}
	d, _ := rel["data"].(map[string]any)
	if d == nil {
		return ""
	}
	return d["id"].(string)
}

// list returns the ids of a list document's data, in order.
func (r *response) list() []string {
	r.t.Helper()
	items, ok := r.json()["data"].([]any)
	if !ok {
		r.t.Fatalf("no data array in %s", r.Body)
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.(map[string]any)["id"].(string)
	}
	return ids
}

// apiError is one error object of an error document.
type apiError struct {
	Status string `json:"status"`
	Code   string `json:"code"`
	Source struct {
		Pointer   string `json:"pointer"`
		Parameter string `json:"parameter"`
	} `json:"source"`
}

// errors returns the body's error objects.
func (r *response) errors() []apiError {
	r.t.Helper()
	var doc struct {
		Errors []apiError `json:"errors"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil || len(doc.Errors) == 0 {
		r.t.Fatalf("not an error document: %s", r.Body)
	}
	return doc.Errors
}

// wantError fails the test unless the status is status and one error object
// has code and, when not "", the pointer (or, for "?name", the parameter name).
func (r *response) wantError(status int, code, pointer string) *response {
	r.t.Helper()
	r.want(status)
	if ct := r.Header.Get("Content-Type"); ct != api.MediaType {
		r.t.Errorf("error Content-Type %q", ct)
	}
	for _, e := range r.errors() {
		if e.Status != fmt.Sprint(status) {
			r.t.Errorf("error object status %q in a %d response", e.Status, status)
		}
		if e.Code != code {
			continue
		}
		switch {
		case pointer == "",
			strings.HasPrefix(pointer, "?") && e.Source.Parameter == pointer[1:],
			e.Source.Pointer == pointer:
			return r
		}
	}
	r.t.Fatalf("no error with code %q at %q in %s", code, pointer, r.Body)
	return r
}

// snapshot returns the body of GET path, to compare before and after a
// request that must change nothing.
func (e *env) snapshot(path, token string) string {
	e.t.Helper()
	return string(e.do("GET", path, token, nil).want(http.StatusOK).Body)
}

// createClient creates a client with attrs and returns its id.
func (e *env) createClient(token string, attrs map[string]any) string {
	e.t.Helper()
	return e.do("POST", "/api/v1/clients", token, resourceDoc("clients", attrs, nil)).want(http.StatusCreated).id()
}

// createLocation creates a location of client with attrs and returns its id.
func (e *env) createLocation(token, client string, attrs map[string]any) string {
	e.t.Helper()
	return e.do("POST", "/api/v1/locations", token, resourceDoc("locations", attrs,
		map[string]any{"client": ref("clients", client)})).want(http.StatusCreated).id()
}

// createContact creates a contact of client with attrs and returns its id.
func (e *env) createContact(token, client string, attrs map[string]any) string {
	e.t.Helper()
	return e.do("POST", "/api/v1/contacts", token, resourceDoc("contacts", attrs,
		map[string]any{"client": ref("clients", client)})).want(http.StatusCreated).id()
}
