package transfer_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/api"
	"github.com/clientele/clientele/argon2id"
	"github.com/clientele/clientele/internal/pgtest"
	"github.com/clientele/clientele/postgres"
	"github.com/clientele/clientele/sqlite"
	"github.com/clientele/clientele/transfer"
	"github.com/jackc/pgx/v5"
)

// hasher is real Argon2id at a small cost, so that the tests stay fast.
var hasher = argon2id.New(argon2id.Params{MemoryKiB: 64, Time: 1, Threads: 1}, 4)

const operatorToken = "operator-secret"

// portalPassword is the password of the fixture's portal contact.
const portalPassword = "correct horse battery staple"

// wantData are the rows of the companies' tables the fixture leaves, per table.
var wantData = transfer.Counts{
	{Table: "companies", Rows: 3}, {Table: "users", Rows: 6}, {Table: "tokens", Rows: 5},
	{Table: "clients", Rows: 4}, {Table: "locations", Rows: 5}, {Table: "contacts", Rows: 4},
	{Table: "portal_sessions", Rows: 1}, {Table: "portal_login_failures", Rows: 1},
	{Table: "idempotency_keys", Rows: 1},
}

// wantCounts are what a copy of the fixture reports: its data, then the
// installation's secrets (the cursor key, made when the engine was opened,
// and the key of the portal's failed-login digests, made at its first login).
var wantCounts = append(wantData[:len(wantData):len(wantData)], transfer.Count{Table: "installation_secrets", Rows: 2})

// secrets is what both stores have besides clientele.Store: the
// installation's secrets, among them the key that seals cursors.
type secrets interface {
	Secret(ctx context.Context, name string) ([]byte, error)
}

// cursorKey returns the cursor key of store, as serve reads it.
func cursorKey(t *testing.T, store clientele.Store) []byte {
	t.Helper()
	key, err := store.(secrets).Secret(context.Background(), "cursor")
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// engine is a store with the API over it, driven in-process.
type engine struct {
	t     *testing.T
	store clientele.Store
	svc   *clientele.Service
	h     http.Handler
}

// newEngine serves store with the cursor key stored in it, as serve does: a
// copied installation opens the cursors of the original.
func newEngine(t *testing.T, store clientele.Store) *engine {
	svc := clientele.NewService(store, hasher)
	return &engine{t: t, store: store, svc: svc, h: api.New(svc, api.Config{OperatorToken: operatorToken,
		Cursors: clientele.NewCursors(cursorKey(t, store))})}
}

// openSQLite opens (creating it) the SQLite store at path.
func openSQLite(t *testing.T, path string) *engine {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newEngine(t, db)
}

// openPostgres opens the PostgreSQL store at url.
func openPostgres(t *testing.T, url string) *engine {
	t.Helper()
	db, err := postgres.Open(context.Background(), url, postgres.Options{MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newEngine(t, db)
}

// call sends a request (body: nil, or a value to marshal) and returns the status and body.
func (e *engine) call(method, path, token string, body any, header ...string) (int, []byte) {
	e.t.Helper()
	var rd *bytes.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	var req *http.Request
	if rd != nil {
		req = httptest.NewRequest(method, path, rd)
		if strings.Contains(path, "/operator/") {
			req.Header.Set("Content-Type", "application/json")
		} else {
			req.Header.Set("Content-Type", api.MediaType)
		}
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// must sends a request, fails the test unless the answer has status, and decodes it.
func (e *engine) must(status int, method, path, token string, body any) map[string]any {
	e.t.Helper()
	got, raw := e.call(method, path, token, body)
	if got != status {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, path, got, status, raw)
	}
	var doc map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &doc); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
	return doc
}

// create posts a resource and returns its id.
func (e *engine) create(path, token, typ string, attrs, rels map[string]any) string {
	e.t.Helper()
	data := map[string]any{"type": typ, "attributes": attrs}
	if rels != nil {
		data["relationships"] = rels
	}
	doc := e.must(http.StatusCreated, "POST", "/api/v1/"+path, token, map[string]any{"data": data})
	return doc["data"].(map[string]any)["id"].(string)
}

// newCompany creates a company through the operator API and returns its admin's token.
func (e *engine) newCompany(name, slug, adminEmail, adminName string) (token, companyID string) {
	e.t.Helper()
	doc := e.must(http.StatusCreated, "POST", "/api/v1/operator/companies", operatorToken, map[string]any{
		"name": name, "slug": slug, "admin": map[string]any{"email": adminEmail, "full_name": adminName}})
	return doc["token"].(string), doc["company"].(map[string]any)["id"].(string)
}

func rel(typ, id string) map[string]any {
	return map[string]any{"data": map[string]any{"type": typ, "id": id}}
}

func (e *engine) del(path, token string) {
	e.t.Helper()
	e.must(http.StatusNoContent, "DELETE", "/api/v1/"+path, token, nil)
}

// fixture is what populate made: a token of each company that may read all
// of it, and a member's token.
type fixture struct {
	admins []string
	member string
	portal string // a portal session of Acme's Ana
}

// populate fills a store through the API with three companies: one with
// everything (every client attribute, unicode, addresses, several
// locations, a portal contact with a password, a member, used and unused
// tokens), one small and one with only its admin; records deleted along the
// way leave gaps in the ids, and the last record created in every table but
// companies is deleted, so that SQLite's AUTOINCREMENT is past the largest id.
func populate(e *engine) fixture {
	acme, _ := e.newCompany("Acme Ünïcødé GmbH", "acme", "admin@acme.example", "Åsa Admin")
	beta, _ := e.newCompany("Beta", "beta", "admin@beta.example", "Bea Admin")
	gamma, _ := e.newCompany("Gamma", "gamma", "root@gamma.example", "Gus")

	// Beta first, so that Acme's deletions come last.
	bMember := e.create("users", beta, "users", map[string]any{"full_name": "Ben", "email": "ben@beta.example", "role": "member"}, nil)
	bClient := e.create("clients", beta, "clients", map[string]any{"name": "Beta Client", "types": []string{"customer"},
		"address": map[string]any{"street": "Main St", "house_number": "1", "city": "Springfield", "country": "US"}},
		map[string]any{"owner": rel("users", bMember)})
	e.create("locations", beta, "locations", map[string]any{"name": "Warehouse", "country": "CA", "is_primary": false},
		map[string]any{"client": rel("clients", bClient)})
	e.create("contacts", beta, "contacts", map[string]any{"first_name": "Bo"}, map[string]any{"client": rel("clients", bClient)})
	// An answer kept for an idempotency key (a refused create: it adds no record).
	if got, raw := e.call("POST", "/api/v1/clients", beta, map[string]any{"data": map[string]any{"type": "clients",
		"attributes": map[string]any{"name": ""}}}, "Idempotency-Key", "beta-retry"); got != http.StatusUnprocessableEntity {
		e.t.Fatalf("a keyed create: %d %s", got, raw)
	}

	// Acme: users, of whom one member and one deleted (with the token it had).
	member := e.create("users", acme, "users", map[string]any{"full_name": "Zoë Mitglied", "email": "Zoe@Acme.example", "role": "member"}, nil)
	bob := e.create("users", acme, "users", map[string]any{"full_name": "Bob Zweit", "email": "bob@acme.example", "role": "admin"}, nil)
	temp := e.create("users", acme, "users", map[string]any{"full_name": "Temp", "email": "temp@acme.example", "role": "member"}, nil)
	e.create("tokens", acme, "tokens", map[string]any{"name": "temp's"}, map[string]any{"user": rel("users", temp)})
	e.del("users/"+temp, acme)
	e.must(http.StatusOK, "PATCH", "/api/v1/users/"+bob, acme,
		map[string]any{"data": map[string]any{"type": "users", "id": bob, "attributes": map[string]any{"full_name": "Bob Zweiter"}}})

	// Tokens: the member's (used below), one never used, one revoked.
	memberDoc := e.must(http.StatusCreated, "POST", "/api/v1/tokens", acme, map[string]any{"data": map[string]any{
		"type": "tokens", "attributes": map[string]any{"name": "Zoë's laptop"}, "relationships": map[string]any{"user": rel("users", member)}}})
	memberToken := memberDoc["meta"].(map[string]any)["secret"].(string)
	e.create("tokens", acme, "tokens", map[string]any{"name": "CI (never used)"}, nil)
	revoked := e.create("tokens", acme, "tokens", map[string]any{"name": "revoked"}, nil)
	e.del("tokens/"+revoked, acme)

	// Clients: one with every attribute, in many scripts.
	full := e.create("clients", acme, "clients", map[string]any{
		"name": "Müller & Söhne — 日本支社 🚀", "external_id": "EXT-ß-1", "types": []string{"supplier", "customer"},
		"email": "info@müller.example", "billing_email": "billing@acme-client.example",
		"phone": "+49 30 123456", "phone_secondary": "(030) 654321", "mobile": "+49 170 1234567 ext 12",
		"fax": "030/99999", "website": "https://müller.example/ü?x=1", "tax_name": "USt-IdNr. «Ωmega»",
		"tax_number": "DE123456789", "registration_number": "HRB 12345 B", "bank_name": "Sparkasse Köln/Bonn",
		"iban": "de89 3704 0044 0532 0130 00", "notes": "Zeile 1\nZeile 2 — “Anführung” ✓\t😀",
		"default_rate": "290.5", "default_rate_type": "hour", "invoice_reminders": true, "show_location_on_invoice": true,
		"address": map[string]any{"street": "Königsallee", "house_number": "12a", "address_line_2": "3. OG",
			"address_line_3": "Hinterhaus", "postal_code": "40212", "city": "Düsseldorf", "region": "NRW",
			"country": "DE", "recipient": "z. Hd. Frau Ōno"},
	}, map[string]any{"owner": rel("users", member), "salesperson": rel("users", bob), "case_manager": rel("users", bob)})
	e.create("clients", acme, "clients", map[string]any{"name": "Minimal"}, nil)
	gone := e.create("clients", acme, "clients", map[string]any{"name": "Deleted in the middle"}, nil)
	e.del("clients/"+gone, acme)
	prospect := e.create("clients", acme, "clients", map[string]any{"name": "Prospect Ltd", "types": []string{"prospect"},
		"invoice_reminders": false, "address": map[string]any{"city": "Αθήνα", "country": "GR"}}, nil)
	e.must(http.StatusOK, "PATCH", "/api/v1/clients/"+prospect, acme, map[string]any{"data": map[string]any{
		"type": "clients", "id": prospect, "attributes": map[string]any{"notes": "upgraded"}}})

	// Locations: the full client has its primary one (from its address) and more.
	e.create("locations", acme, "locations", map[string]any{"name": "Lager Süd", "street": "Weg", "house_number": "5",
		"address_line_2": "Tor 3", "address_line_3": "Rampe", "postal_code": "80331", "city": "München", "region": "BY",
		"country": "DE", "recipient": "Empfang", "email": "lager@acme-client.example", "phone": "+49 89 12345",
		"phone_secondary": "+49 89 54321", "fax": "+49 89 99999", "notes": "nur werktags", "is_primary": false},
		map[string]any{"client": rel("clients", full)})
	spare := e.create("locations", acme, "locations", map[string]any{"name": "Spare", "country": "AT"},
		map[string]any{"client": rel("clients", full)})
	e.del("locations/"+spare, acme)

	// Contacts: a main one with portal access and a password, one with every attribute.
	e.create("contacts", acme, "contacts", map[string]any{"first_name": "Ana", "last_name": "Ñúñez",
		"email": "Ana@Example.com", "is_main": true, "portal_access": true, "password": portalPassword},
		map[string]any{"client": rel("clients", full)})
	e.create("contacts", acme, "contacts", map[string]any{"first_name": "Bruno", "last_name": "Øster",
		"gender": "male", "email": "bruno@example.com", "phone": "+45 12345678", "mobile": "+45 87654321",
		"fax": "+45 11111111", "skype": "bruno.oester", "position": "Geschäftsführer", "notes": "日本語のメモ"},
		map[string]any{"client": rel("clients", full)})
	middle := e.create("contacts", acme, "contacts", map[string]any{"last_name": "Gone"},
		map[string]any{"client": rel("clients", full)})
	e.del("contacts/"+middle, acme)
	e.create("contacts", acme, "contacts", map[string]any{"first_name": "Ćelestina"},
		map[string]any{"client": rel("clients", prospect)})

	// The member works too, so its token is used.
	e.must(http.StatusOK, "GET", "/api/v1/clients", memberToken, nil)
	e.must(http.StatusOK, "PATCH", "/api/v1/company", acme,
		map[string]any{"data": map[string]any{"type": "companies", "attributes": map[string]any{"name": "Acme Ünïcødé AG"}}})

	// The last record of each table but companies is deleted: the next id
	// is past the largest one left.
	lastClient := e.create("clients", acme, "clients", map[string]any{"name": "Last"}, nil)
	lastLocation := e.create("locations", acme, "locations", map[string]any{"name": "Last", "country": "FR"},
		map[string]any{"client": rel("clients", lastClient)})
	lastContact := e.create("contacts", acme, "contacts", map[string]any{"first_name": "Last"},
		map[string]any{"client": rel("clients", lastClient)})
	lastUser := e.create("users", acme, "users", map[string]any{"full_name": "Last", "email": "last@acme.example", "role": "member"}, nil)
	e.create("tokens", acme, "tokens", map[string]any{"name": "last"}, map[string]any{"user": rel("users", lastUser)})
	e.del("contacts/"+lastContact, acme)
	e.del("locations/"+lastLocation, acme)
	e.del("clients/"+lastClient, acme)
	e.del("users/"+lastUser, acme) // and its token

	// Gamma reads once, so that every company's admin token has been used.
	e.must(http.StatusOK, "GET", "/api/v1/company", gamma, nil)
	// A portal session, and a failed login left on record.
	login := e.must(http.StatusOK, "POST", "/api/v1/portal/login", "",
		map[string]any{"company": "acme", "email": "ana@example.com", "password": portalPassword})
	if status, body := e.call("POST", "/api/v1/portal/login", "",
		map[string]any{"company": "acme", "email": "nobody@example.com", "password": portalPassword}); status != http.StatusUnauthorized {
		e.t.Fatalf("a failed portal login: %d %s", status, body)
	}
	return fixture{admins: []string{acme, beta, gamma}, member: memberToken,
		portal: login["meta"].(map[string]any)["token"].(string)}
}

// page is one answer of the API.
type page struct {
	path   string
	status int
	body   []byte
}

// readAll reads, with token, every document the token may read: the company,
// every list (whole, and in pages of two following links.next), every
// record, every client's contacts and locations. The paths come from what e
// answers.
func readAll(e *engine, token string) []page {
	e.t.Helper()
	var out []page
	get := func(path string) []byte {
		status, body := e.call("GET", path, token, nil)
		out = append(out, page{path, status, body})
		return body
	}
	get("/api/v1/company")
	for _, typ := range []string{"users", "tokens", "clients", "locations", "contacts"} {
		var list struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		if err := json.Unmarshal(get("/api/v1/"+typ+"?page[size]=100"), &list); err != nil {
			e.t.Fatal(err)
		}
		for next := "/api/v1/" + typ + "?page[size]=2"; next != ""; {
			var doc struct {
				Links struct {
					Next string `json:"next"`
				} `json:"links"`
			}
			if err := json.Unmarshal(get(next), &doc); err != nil {
				e.t.Fatal(err)
			}
			next = doc.Links.Next
		}
		for _, r := range list.Data {
			get("/api/v1/" + typ + "/" + r.ID)
			if typ == "clients" {
				get("/api/v1/clients/" + r.ID + "/contacts")
				get("/api/v1/clients/" + r.ID + "/locations")
			}
		}
	}
	return out
}

// allRecords reads every record of every company straight from a store.
func allRecords(t *testing.T, store clientele.Store) map[string]any {
	t.Helper()
	out := map[string]any{}
	all := clientele.Page{Limit: 1000}
	err := store.Read(context.Background(), func(tx clientele.Tx) error {
		for id := int64(1); ; id++ {
			c, err := tx.Company(context.Background(), id)
			if clientele.IsNotFound(err) {
				return nil
			}
			if err != nil {
				return err
			}
			ctx := context.Background()
			users, err := tx.Users(ctx, id, clientele.UserQuery{Page: all})
			if err != nil {
				return err
			}
			tokens, err := tx.Tokens(ctx, id, clientele.TokenQuery{Page: all})
			if err != nil {
				return err
			}
			clients, err := tx.Clients(ctx, id, clientele.ClientQuery{Page: all})
			if err != nil {
				return err
			}
			locations, err := tx.Locations(ctx, id, clientele.LocationQuery{Page: all})
			if err != nil {
				return err
			}
			contacts, err := tx.Contacts(ctx, id, clientele.ContactQuery{Page: all})
			if err != nil {
				return err
			}
			out[c.Slug] = []any{c, users, tokens, clients, locations, contacts}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCopy copies an installation made through the API and reads it back
// through the API on both engines: every document is the same to the byte,
// for every company's token (so the token hashes were copied), and every
// record the same to the field, password hashes included.
func TestCopy(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "clientele.db")
	src := openSQLite(t, path)
	fx := populate(src)
	// A node started on the target before the copy made a cursor key of its
	// own; the copy replaces it with SQLite's.
	if bytes.Equal(cursorKey(t, openPostgres(t, url).store), cursorKey(t, src.store)) {
		t.Fatal("the engines made the same cursor key")
	}

	// The SQLite store stays open, as a running server's would.
	counts, err := transfer.Copy(ctx, path, url)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("counts %v, want %v", counts, wantCounts)
	}
	if got, want := counts.String(),
		"companies 3, users 6, tokens 5, clients 4, locations 5, contacts 4, portal_sessions 1, "+
			"portal_login_failures 1, idempotency_keys 1, installation_secrets 2"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	dst := openPostgres(t, url)
	// The cursor key came along: a links.next of SQLite opens on PostgreSQL
	// (readAll follows them), and the documents, links included, are equal.
	if !bytes.Equal(cursorKey(t, dst.store), cursorKey(t, src.store)) {
		t.Error("the cursor key of PostgreSQL is not SQLite's")
	}

	// Every token last used within the minute is not touched again by these
	// reads, on either engine; the never-used token is not used.
	for i, token := range append(fx.admins, fx.member) {
		want, got := readAll(src, token), readAll(dst, token)
		if len(want) != len(got) {
			t.Fatalf("token %d: %d documents on SQLite, %d on PostgreSQL", i, len(want), len(got))
		}
		for j := range want {
			if want[j].status != http.StatusOK {
				t.Errorf("SQLite: GET %s: %d %s", want[j].path, want[j].status, want[j].body)
			}
			if got[j].path != want[j].path || got[j].status != want[j].status || !bytes.Equal(got[j].body, want[j].body) {
				t.Errorf("GET %s differs:\nSQLite     %d %s\nPostgreSQL %s %d %s",
					want[j].path, want[j].status, want[j].body, got[j].path, got[j].status, got[j].body)
			}
		}
	}
	// The comparison saw what it had to: a used and a never-used token, a
	// portal contact, gaps in the ids (deleted records are gone on both).
	_, tokens := src.call("GET", "/api/v1/tokens?page[size]=100", fx.admins[0], nil)
	for _, want := range []string{`"last_used_at":null`, `"last_used_at":"20`, `"name":"CI (never used)"`} {
		if !bytes.Contains(tokens, []byte(want)) {
			t.Errorf("acme's tokens lack %s: %s", want, tokens)
		}
	}
	for _, path := range []string{"/api/v1/clients/4", "/api/v1/users/7", "/api/v1/tokens/7", "/api/v1/locations/6", "/api/v1/contacts/4"} {
		ws, wb := src.call("GET", path, fx.admins[0], nil)
		gs, gb := dst.call("GET", path, fx.admins[0], nil)
		if ws != http.StatusNotFound || gs != ws || !bytes.Equal(gb, wb) {
			t.Errorf("GET %s of a deleted record: SQLite %d %s, PostgreSQL %d %s", path, ws, wb, gs, gb)
		}
	}

	// Every record, field by field: token hashes and password hashes too.
	want, got := allRecords(t, src.store), allRecords(t, dst.store)
	if len(want) != 3 || !reflect.DeepEqual(got, want) {
		t.Errorf("records differ:\nSQLite     %+v\nPostgreSQL %+v", want, got)
	}
	var portal clientele.Contact
	if err := dst.store.Read(ctx, func(tx clientele.Tx) (err error) {
		portal, err = tx.Contact(ctx, 1, 2) // Acme's Ana
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if ok, err := hasher.Verify(ctx, portal.PasswordHash, portalPassword); !portal.PortalAccess || !ok || err != nil {
		t.Errorf("the portal contact's password does not verify on PostgreSQL: %+v, %v, %v", portal, ok, err)
	}

	// The portal session works on PostgreSQL.
	ws, wb := src.call("GET", "/api/v1/portal/me", fx.portal, nil)
	gs, gb := dst.call("GET", "/api/v1/portal/me", fx.portal, nil)
	if ws != http.StatusOK || gs != ws || !bytes.Equal(gb, wb) {
		t.Errorf("GET /portal/me with the copied session: SQLite %d %s, PostgreSQL %d %s", ws, wb, gs, gb)
	}

	// New records get the same ids on both engines: past the largest id ever
	// given out, not merely past the largest left.
	pgCounts := countRows(t, url)
	if !reflect.DeepEqual(pgCounts, wantData) {
		t.Errorf("PostgreSQL holds %v, want %v", pgCounts, wantData)
	}
	maxIDs := maxIDs(t, url)
	newIDs := func(e *engine) []string {
		token, company := e.newCompany("Delta", "delta", "admin@delta.example", "Dee")
		user := e.create("users", token, "users", map[string]any{"full_name": "U", "email": "u@delta.example", "role": "member"}, nil)
		tok := e.create("tokens", token, "tokens", map[string]any{"name": "t"}, nil)
		client := e.create("clients", token, "clients", map[string]any{"name": "C"}, nil)
		location := e.create("locations", token, "locations", map[string]any{"name": "L", "country": "DE"},
			map[string]any{"client": rel("clients", client)})
		contact := e.create("contacts", token, "contacts", map[string]any{"first_name": "K"},
			map[string]any{"client": rel("clients", client)})
		return []string{company, user, tok, client, location, contact}
	}
	onPG, onSQLite := newIDs(dst), newIDs(src)
	if !reflect.DeepEqual(onPG, onSQLite) {
		t.Errorf("new ids on PostgreSQL %v, on SQLite %v", onPG, onSQLite)
	}
	for i, c := range wantData[:len(onPG)] { // the tables with ids
		// The last record of every table but companies was deleted before
		// the copy: its id is not given out again.
		past := maxIDs[c.Table] + 1
		if c.Table == "companies" {
			past = maxIDs[c.Table]
		}
		if id, _ := strconv.ParseInt(onPG[i], 10, 64); id <= past {
			t.Errorf("new %s id %d, want more than %d (the largest copied id is %d)", c.Table, id, past, maxIDs[c.Table])
		}
	}
	// The failed login counts on PostgreSQL under the same digest: four more
	// make five, and the sixth attempt is locked out.
	wrong := map[string]any{"company": "acme", "email": "nobody@example.com", "password": portalPassword}
	for range clientele.PortalMaxFailures - 1 {
		if status, body := dst.call("POST", "/api/v1/portal/login", "", wrong); status != http.StatusUnauthorized {
			t.Fatalf("a failed portal login on PostgreSQL: %d %s", status, body)
		}
	}
	if status, body := dst.call("POST", "/api/v1/portal/login", "", wrong); status != http.StatusTooManyRequests {
		t.Errorf("the sixth failed login, the first of them copied: %d %s, want 429", status, body)
	}
}

// countRows counts the rows of every company table of the PostgreSQL database.
func countRows(t *testing.T, url string) transfer.Counts {
	t.Helper()
	var out transfer.Counts
	query(t, url, func(conn *pgx.Conn) {
		for _, c := range wantData {
			var n int64
			if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM `+c.Table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			out = append(out, transfer.Count{Table: c.Table, Rows: n})
		}
	})
	return out
}

// maxIDs returns the largest id of every table of the PostgreSQL database.
func maxIDs(t *testing.T, url string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	query(t, url, func(conn *pgx.Conn) {
		for _, c := range wantData {
			if c.Table == "idempotency_keys" { // no id
				continue
			}
			var n int64
			if err := conn.QueryRow(context.Background(), `SELECT coalesce(max(id), 0) FROM `+c.Table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			out[c.Table] = n
		}
	})
	return out
}

func query(t *testing.T, url string, fn func(*pgx.Conn)) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	fn(conn)
}

// newSource makes a populated SQLite database and closes it.
func newSource(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "clientele.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	populate(newEngine(t, db))
	db.Close()
	return path
}

// A second copy into the same database, or a copy into a database that has
// a company of its own, fails and changes nothing: not the rows, not the
// identity sequences.
func TestCopyRefusesANonEmptyTarget(t *testing.T) {
	ctx := context.Background()
	path := newSource(t)

	t.Run("copied before", func(t *testing.T) {
		url := pgtest.URL(t)
		if _, err := transfer.Copy(ctx, path, url); err != nil {
			t.Fatal(err)
		}
		before := allRecords(t, openPostgres(t, url).store)
		_, err := transfer.Copy(ctx, path, url)
		if err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Fatalf("second copy: %v, want a not-empty error", err)
		}
		if got := countRows(t, url); !reflect.DeepEqual(got, wantData) {
			t.Errorf("after the refused copy PostgreSQL holds %v, want %v", got, wantData)
		}
		if after := allRecords(t, openPostgres(t, url).store); !reflect.DeepEqual(after, before) {
			t.Errorf("the refused copy changed records")
		}
	})

	t.Run("own company", func(t *testing.T) {
		url := pgtest.URL(t)
		dst := openPostgres(t, url)
		dst.newCompany("Own", "own", "own@own.example", "Owner")
		key := cursorKey(t, dst.store)
		_, err := transfer.Copy(ctx, path, url)
		if err == nil || !strings.Contains(err.Error(), "not empty (companies: 1)") {
			t.Fatalf("copy: %v, want a not-empty error", err)
		}
		want := transfer.Counts{{Table: "companies", Rows: 1}, {Table: "users", Rows: 1}, {Table: "tokens", Rows: 1},
			{Table: "clients", Rows: 0}, {Table: "locations", Rows: 0}, {Table: "contacts", Rows: 0},
			{Table: "portal_sessions", Rows: 0}, {Table: "portal_login_failures", Rows: 0},
			{Table: "idempotency_keys", Rows: 0}}
		if got := countRows(t, url); !reflect.DeepEqual(got, want) {
			t.Errorf("after the refused copy PostgreSQL holds %v, want %v", got, want)
		}
		if !bytes.Equal(cursorKey(t, dst.store), key) {
			t.Error("the refused copy replaced the cursor key")
		}
		// The sequences were not moved to the source's ids.
		if _, id := dst.newCompany("Next", "next", "n@next.example", "N"); id != "2" {
			t.Errorf("the next company got id %s, want 2", id)
		}
	})
}

// A row PostgreSQL cannot take, in the last table, fails the copy and
// leaves the target as empty as it was: one transaction.
func TestCopyIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	path := newSource(t)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	// SQLite keeps bytes that are not UTF-8 in a TEXT column; PostgreSQL would not.
	if _, err := db.Exec(`UPDATE contacts SET notes = CAST(x'c328' AS TEXT) WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	url := pgtest.URL(t)
	_, err = transfer.Copy(ctx, path, url)
	if err == nil || !strings.Contains(err.Error(), "contacts id 2: column notes is not valid UTF-8") {
		t.Fatalf("copy: %v, want the bad row named", err)
	}
	if got := countRows(t, url); !reflect.DeepEqual(got, emptyCounts()) {
		t.Errorf("after the failed copy PostgreSQL holds %v", got)
	}
	if _, id := openPostgres(t, url).newCompany("First", "first", "f@first.example", "F"); id != "1" {
		t.Errorf("after the failed copy the first company got id %s, want 1", id)
	}
}

// The row counts are checked before the commit: a target that silently
// drops a row (here a trigger) fails the copy, and nothing is kept.
func TestCopyVerifiesTheRowCounts(t *testing.T) {
	ctx := context.Background()
	path := newSource(t)
	url := pgtest.URL(t)
	openPostgres(t, url) // migrated, so that the trigger has its table
	query(t, url, func(conn *pgx.Conn) {
		_, err := conn.Exec(ctx, `
			CREATE FUNCTION drop_one() RETURNS trigger LANGUAGE plpgsql AS
				$$ BEGIN IF NEW.id = 3 THEN RETURN NULL; END IF; RETURN NEW; END $$;
			CREATE TRIGGER drop_one BEFORE INSERT ON locations FOR EACH ROW EXECUTE FUNCTION drop_one();`)
		if err != nil {
			t.Fatal(err)
		}
	})
	_, err := transfer.Copy(ctx, path, url)
	if err == nil || !strings.Contains(err.Error(), "locations: 5 rows read from SQLite, PostgreSQL took 4") {
		t.Fatalf("copy: %v, want a count mismatch of locations", err)
	}
	if got := countRows(t, url); !reflect.DeepEqual(got, emptyCounts()) {
		t.Errorf("after the failed copy PostgreSQL holds %v", got)
	}
}

func emptyCounts() transfer.Counts {
	out := make(transfer.Counts, len(wantData))
	for i, c := range wantData {
		out[i] = transfer.Count{Table: c.Table}
	}
	return out
}

// Copy never creates the SQLite database it is told to read, and refuses a
// file that is not a Clientele database; neither needs PostgreSQL.
func TestCopyNeedsAClienteleDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	missing := filepath.Join(dir, "clientele.db")
	if _, err := transfer.Copy(ctx, missing, "postgres://nowhere.invalid/db"); err == nil {
		t.Fatal("copy of a missing database succeeded")
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("copy created the missing database: %v", err)
	}

	other := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", "file:"+other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = transfer.Copy(ctx, other, "postgres://nowhere.invalid/db")
	if err == nil || !strings.Contains(err.Error(), "not a Clientele database") {
		t.Errorf("copy of a foreign database: %v", err)
	}
}
