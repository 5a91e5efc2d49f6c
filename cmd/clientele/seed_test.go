package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/api"
	"github.com/clientele/clientele/internal/pgtest"
	"github.com/clientele/clientele/postgres"
)

// cSeeded is everything a seeded company holds, ids left out, for comparison.
type cSeeded struct {
	Clients   []clientele.Client
	Locations []clientele.Location
	Contacts  []clientele.Contact
}

// cDump reads the whole company.
func cDump(t *testing.T, store clientele.Store, slug string) (clientele.Company, cSeeded) {
	t.Helper()
	ctx := context.Background()
	var co clientele.Company
	var d cSeeded
	err := store.Read(ctx, func(tx clientele.Tx) error {
		var err error
		if co, err = tx.CompanyBySlug(ctx, slug); err != nil {
			return err
		}
		if d.Clients, err = tx.Clients(ctx, co.ID, clientele.ClientQuery{}); err != nil {
			return err
		}
		if d.Locations, err = tx.Locations(ctx, co.ID, clientele.LocationQuery{}); err != nil {
			return err
		}
		d.Contacts, err = tx.Contacts(ctx, co.ID, clientele.ContactQuery{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return co, d
}

func TestSeed(t *testing.T) {
	dir := t.TempDir()
	out := cRun(t, nil, "seed", "--data-dir", dir, "--company", "acme", "--clients", "50", "--contacts", "200",
		"--locations", "70", "--seed", "3", "--batch", "60").cMust(t).stdout
	if !strings.Contains(out, `Seeded company "acme": 50 clients, 70 locations, 200 contacts`) {
		t.Fatalf("summary missing: %s", out)
	}
	svc, store := cOpen(t, dir)
	_, d := cDump(t, store, "acme")
	if len(d.Clients) != 50 || len(d.Locations) != 70 || len(d.Contacts) != 200 {
		t.Fatalf("stored %d clients, %d locations, %d contacts; want 50, 70, 200", len(d.Clients), len(d.Locations), len(d.Contacts))
	}

	primary := map[int64][]clientele.Location{}
	for _, l := range d.Locations {
		if !clientele.ValidCountry(l.Country) {
			t.Errorf("location %d: country %q", l.ID, l.Country)
		}
		for _, p := range []string{l.Phone, l.PhoneSecondary, l.Fax} {
			if p != "" && !clientele.ValidPhone(p) {
				t.Errorf("location %d: phone %q", l.ID, p)
			}
		}
		if l.IsPrimary {
			primary[l.ClientID] = append(primary[l.ClientID], l)
		}
	}
	mains := map[int64][]int64{}
	withContacts := map[int64]bool{}
	portal := map[string]bool{}
	for _, c := range d.Contacts {
		withContacts[c.ClientID] = true
		if c.IsMain {
			mains[c.ClientID] = append(mains[c.ClientID], c.ID)
		}
		if c.FirstName == "" && c.LastName == "" {
			t.Errorf("contact %d has no name", c.ID)
		}
		if c.Email != "" && !clientele.ValidEmail(c.Email) {
			t.Errorf("contact %d: e-mail %q", c.ID, c.Email)
		}
		for _, p := range []string{c.Phone, c.Mobile, c.Fax} {
			if p != "" && !clientele.ValidPhone(p) {
				t.Errorf("contact %d: phone %q", c.ID, p)
			}
		}
		if c.PortalAccess {
			key := clientele.EmailKey(c.Email)
			if c.Email == "" || c.PasswordHash == "" || portal[key] {
				t.Errorf("contact %d: portal access with e-mail %q (duplicate %v), hash %q", c.ID, c.Email, portal[key], c.PasswordHash)
			}
			portal[key] = true
		}
		if c.UpdatedAt.Before(c.CreatedAt) || c.CreatedAt.Nanosecond()%1000 != 0 {
			t.Errorf("contact %d: created %v, updated %v", c.ID, c.CreatedAt, c.UpdatedAt)
		}
	}
	names := map[string]bool{}
	for _, c := range d.Clients {
		if ps := primary[c.ID]; len(ps) != 1 {
			t.Errorf("client %d has %d primary locations", c.ID, len(ps))
		} else if c.Address == nil || *c.Address != ps[0].Address {
			t.Errorf("client %d: address %+v, primary location %+v", c.ID, c.Address, ps[0].Address)
		}
		if m := mains[c.ID]; len(m) > 1 || withContacts[c.ID] != (len(m) == 1) ||
			(len(m) == 1 && c.MainContactID != m[0]) {
			t.Errorf("client %d: main contacts %v, main_contact %d", c.ID, m, c.MainContactID)
		}
		for _, e := range []string{c.Email, c.BillingEmail} {
			if e != "" && !clientele.ValidEmail(e) {
				t.Errorf("client %d: e-mail %q", c.ID, e)
			}
		}
		for _, p := range []string{c.Phone, c.PhoneSecondary, c.Mobile, c.Fax} {
			if p != "" && !clientele.ValidPhone(p) {
				t.Errorf("client %d: phone %q", c.ID, p)
			}
		}
		if c.OwnerID == 0 || len(c.Types) == 0 || c.Name == "" {
			t.Errorf("client %d: owner %d, types %v, name %q", c.ID, c.OwnerID, c.Types, c.Name)
		}
		names[c.Name] = true
	}
	if len(names) < 40 {
		t.Errorf("only %d different names among 50 clients", len(names))
	}

	// The same seed gives the same data; another seed other data.
	dir2, dir3 := t.TempDir(), t.TempDir()
	cRun(t, nil, "seed", "--data-dir", dir2, "--company", "acme", "--clients", "50", "--contacts", "200",
		"--locations", "70", "--seed", "3", "--quiet").cMust(t)
	cRun(t, nil, "seed", "--data-dir", dir3, "--company", "acme", "--clients", "50", "--contacts", "200",
		"--locations", "70", "--seed", "4", "--quiet").cMust(t)
	_, store2 := cOpen(t, dir2)
	_, store3 := cOpen(t, dir3)
	_, d2 := cDump(t, store2, "acme")
	_, d3 := cDump(t, store3, "acme")
	strip := func(d cSeeded) string {
		for i := range d.Contacts {
			d.Contacts[i].PasswordHash = "" // salted
		}
		b, _ := json.Marshal(d)
		return string(b)
	}
	if strip(d) != strip(d2) {
		t.Error("two seeds with --seed 3 stored different data")
	}
	if strip(d) == strip(d3) {
		t.Error("--seed 3 and --seed 4 stored the same data")
	}

	// The API lists what was seeded.
	_, secret, err := svc.CreateTokenFor(context.Background(), "acme", "admin@acme.example", "test")
	if err != nil {
		t.Fatal(err)
	}
	key, err := store.Secret(context.Background(), "cursor")
	if err != nil {
		t.Fatal(err)
	}
	h := api.New(svc, api.Config{Cursors: clientele.NewCursors(key)})
	for path, want := range map[string]int{"/api/v1/clients?page[number]=1&sort=name": 50,
		"/api/v1/contacts?page[number]=1": 200, "/api/v1/locations?page[number]=1": 70} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var doc struct {
			Data []any
			Meta struct{ Page struct{ Total int } }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); rec.Code != 200 || err != nil {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		if doc.Meta.Page.Total != want || len(doc.Data) != 25 {
			t.Errorf("GET %s: total %d, %d rows; want %d, 25", path, doc.Meta.Page.Total, len(doc.Data), want)
		}
	}
}

func TestSeedArguments(t *testing.T) {
	dir := t.TempDir()
	cRun(t, nil, "seed", "--data-dir", dir).cFails(t, "--company")
	cRun(t, nil, "seed", "--data-dir", dir, "--company", "acme", "--clients", "10", "--locations", "5").cFails(t, "--locations")
	cRun(t, nil, "seed", "--data-dir", dir, "--company", "Not A Slug", "--clients", "1").cFails(t, "slug")
}

// TestSeedPostgres: seed writes through the PostgreSQL engine too, and the
// same seed gives the same clients there as on SQLite.
func TestSeedPostgres(t *testing.T) {
	url := pgtest.URL(t)
	vars := map[string]string{"CLIENTELE_DATABASE_URL": url}
	out := cRun(t, vars, "seed", "--company", "acme", "--clients", "30", "--contacts", "90", "--seed", "5",
		"--quiet").cMust(t).stdout
	if !strings.Contains(out, "30 clients, 39 locations, 90 contacts") {
		t.Fatalf("summary: %s", out)
	}
	dir := t.TempDir()
	cRun(t, nil, "seed", "--data-dir", dir, "--company", "acme", "--clients", "30", "--contacts", "90", "--seed", "5",
		"--quiet").cMust(t)
	pg, err := postgres.Open(context.Background(), url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	_, lite := cOpen(t, dir)
	_, a := cDump(t, pg, "acme")
	_, b := cDump(t, lite, "acme")
	if len(a.Clients) != 30 || len(a.Contacts) != 90 || len(a.Locations) != 39 {
		t.Fatalf("PostgreSQL holds %d clients, %d locations, %d contacts", len(a.Clients), len(a.Locations), len(a.Contacts))
	}
	for i := range a.Clients {
		x, y := a.Clients[i], b.Clients[i]
		if x.Name != y.Name || x.Email != y.Email || !x.CreatedAt.Equal(y.CreatedAt) || *x.Address != *y.Address {
			t.Errorf("client %d differs: PostgreSQL %q %v, SQLite %q %v", i, x.Name, x.CreatedAt, y.Name, y.CreatedAt)
		}
	}
}
