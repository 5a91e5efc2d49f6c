// Command listbench measures the latency of the list endpoints on a large
// company (see `clientele seed`): it opens the store, builds the real API
// handler and sends sequential requests through handler.ServeHTTP with an
// httptest.ResponseRecorder (no sockets), N per request shape after a
// warm-up, and prints p50/p99 per shape as a markdown table.
//
//	go run ./cmd/listbench --data-dir /tmp/bench --company acme --requests 200
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/api"
	"github.com/clientele/clientele/argon2id"
	"github.com/clientele/clientele/postgres"
	"github.com/clientele/clientele/sqlite"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "listbench:", err)
		os.Exit(1)
	}
}

type bench struct {
	h     http.Handler
	token string
}

// get sends one GET and returns the status, the decoded body and the time it took.
func (b *bench) get(path string) (int, map[string]any, time.Duration) {
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+b.token)
	rec := httptest.NewRecorder()
	start := time.Now()
	b.h.ServeHTTP(rec, req)
	d := time.Since(start)
	var doc map[string]any
	json.Unmarshal(rec.Body.Bytes(), &doc)
	return rec.Code, doc, d
}

func run() error {
	dataDir := flag.String("data-dir", "./clientele-data", "SQLite data directory")
	dbURL := flag.String("database-url", "", "postgres://… to use PostgreSQL")
	slug := flag.String("company", "acme", "company slug")
	n := flag.Int("requests", 200, "timed requests per shape")
	only := flag.String("only", "", "run only the shapes whose name contains this")
	flag.DurationVar(&budget, "budget", 10*time.Second, "stop a shape early (after at least 20 requests) once it took this long")
	flag.Parse()
	ctx := context.Background()

	var store clientele.Store
	var err error
	engine := "SQLite"
	if *dbURL != "" {
		engine = "PostgreSQL"
		store, err = postgres.Open(ctx, *dbURL, postgres.Options{})
	} else {
		store, err = sqlite.Open(ctx, sqlite.Path(*dataDir))
	}
	if err != nil {
		return err
	}
	defer store.Close()
	svc := clientele.NewService(store, argon2id.New(argon2id.Default, runtime.NumCPU()))
	key, err := store.Secret(ctx, "cursor")
	if err != nil {
		return err
	}
	b := &bench{h: api.New(svc, api.Config{Ready: store.Ping, Cursors: clientele.NewCursors(key)})}

	// A token of the company's first admin.
	var admin string
	err = store.Read(ctx, func(tx clientele.Tx) error {
		c, err := tx.CompanyBySlug(ctx, *slug)
		if err != nil {
			return err
		}
		us, err := tx.Users(ctx, c.ID, clientele.UserQuery{Page: clientele.Page{Limit: 100}})
		for _, u := range us {
			if u.Role == clientele.RoleAdmin && admin == "" {
				admin = u.Email
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	if _, b.token, err = svc.CreateTokenFor(ctx, *slug, admin, "listbench"); err != nil {
		return err
	}

	// Filter values taken from the data: a client in the middle of the list
	// and one of its contacts.
	st, doc, _ := b.get("/api/v1/clients?page[number]=1&page[size]=1")
	if st != 200 {
		return fmt.Errorf("GET /clients: %d %v", st, doc)
	}
	total := dig(doc, "meta", "page", "total")
	middle := int(total.(float64))/2 + 1
	st, doc, _ = b.get(fmt.Sprintf("/api/v1/clients?page[number]=%d&page[size]=1", middle))
	data, _ := dig(doc, "data").([]any)
	if st != 200 || len(data) == 0 {
		return fmt.Errorf("company %q has no clients to sample (GET /clients: %d)", *slug, st)
	}
	sample := data[0].(map[string]any)
	attrs := sample["attributes"].(map[string]any)
	clientID := sample["id"].(string)
	owner := dig(sample, "relationships", "owner", "data", "id")
	var extID, cEmail string
	if v, ok := attrs["external_id"].(string); ok {
		extID = v
	}
	for _, c := range dig(doc, "data").([]any) {
		if v, ok := dig(c, "attributes", "email").(string); ok && cEmail == "" {
			cEmail = v
		}
		if v, ok := dig(c, "attributes", "external_id").(string); ok && extID == "" {
			extID = v
		}
	}
	_, cdoc, _ := b.get("/api/v1/contacts?page[number]=5000&page[size]=50")
	var ctEmail, ctName string
	for _, c := range dig(cdoc, "data").([]any) {
		if v, ok := dig(c, "attributes", "email").(string); ok && ctEmail == "" {
			ctEmail = v
			ctName, _ = dig(c, "attributes", "last_name").(string)
		}
	}
	fmt.Fprintf(os.Stderr, "company %s: %v clients; sample client %s (owner %v, external_id %s, email %s), contact %s %s\n",
		*slug, total, clientID, owner, extID, cEmail, ctName, ctEmail)

	q := url.QueryEscape
	shapes := []struct{ name, path string }{
		{"clients: first page, sort=name", "/api/v1/clients?sort=name"},
		{"clients: filter[name]=müller (contains), sort=name", "/api/v1/clients?sort=name&filter[name]=" + q("müller")},
		{"clients: filter[external_id]", "/api/v1/clients?filter[external_id]=" + q(extID)},
		{"clients: filter[types]=supplier", "/api/v1/clients?filter[types]=supplier"},
		{"clients: filter[owner]", fmt.Sprintf("/api/v1/clients?filter[owner]=%v", owner)},
		{"clients: filter[country]=PL, sort=name", "/api/v1/clients?sort=name&filter[country]=PL"},
		{"clients: filter[city]=Kraków", "/api/v1/clients?filter[city]=" + q("Kraków")},
		{"clients: filter[email]", "/api/v1/clients?filter[email]=" + q(cEmail)},
		{"clients: created_from/created_to (one month)", "/api/v1/clients?filter[created_from]=2024-03-01&filter[created_to]=2024-03-31"},
		{"clients: include=contacts", "/api/v1/clients?include=contacts"},
		{"clients: q common (müller)", "/api/v1/clients?q=" + q("müller")},
		{"clients: q rare (external id)", "/api/v1/clients?q=" + q(extID)},
		{"contacts: first page, sort=name", "/api/v1/contacts?sort=name"},
		{"contacts: filter[client]", "/api/v1/contacts?filter[client]=" + clientID},
		{"contacts: filter[name]=kowalski (contains)", "/api/v1/contacts?filter[name]=kowalski"},
		{"contacts: filter[email]", "/api/v1/contacts?filter[email]=" + q(ctEmail)},
		{"contacts: filter[is_main]=true", "/api/v1/contacts?filter[is_main]=true"},
		{"contacts: filter[portal_access]=true", "/api/v1/contacts?filter[portal_access]=true"},
		{"contacts: q common (schmidt)", "/api/v1/contacts?q=schmidt"},
		{"contacts: q rare (e-mail)", "/api/v1/contacts?q=" + q(ctEmail)},
		// Searches whose best ranks are nearly empty, so that the last rank
		// (the first word a prefix of a word) fills the page.
		{"contacts: q prefix of many words (schm)", "/api/v1/contacts?q=schm"},
		{"contacts: q two letters (an)", "/api/v1/contacts?q=an"},
		{"contacts: q two words (an schm)", "/api/v1/contacts?q=an+schm"},
		{"contacts: q sort=name (schmidt)", "/api/v1/contacts?q=schmidt&sort=name"},
		{"clients: q two letters, number mode page 2 (mü)", "/api/v1/clients?q=" + q("mü") + "&page[number]=2"},
		{"clients: number mode page 1000 (with total)", "/api/v1/clients?page[number]=1000"},
		{"contacts: number mode page 1000 (with total)", "/api/v1/contacts?page[number]=1000"},
	}
	fmt.Printf("%s, company %q, %d requests per shape (sequential, in-process, warm cache), page size 25\n\n", engine, *slug, *n)
	fmt.Println("| request | rows | p50 | p99 | max |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: |")
	for _, s := range shapes {
		if *only != "" && !strings.Contains(s.name, *only) {
			continue
		}
		b.measure(s.name, s.path, *n)
	}
	for _, list := range []string{"clients", "contacts"} {
		name := list + ": cursor mode page 1000 (after 999 × links.next)"
		if *only != "" && !strings.Contains(name, *only) {
			continue
		}
		path := "/api/v1/" + list
		start := time.Now()
		pages := 1
		for ; pages < 1000; pages++ {
			st, doc, _ := b.get(path)
			if st != 200 {
				return fmt.Errorf("%s: page %d: status %d", list, pages, st)
			}
			next, _ := dig(doc, "links", "next").(string)
			if next == "" {
				break // a company too small for 1000 pages
			}
			u, _ := url.Parse(next)
			path = u.RequestURI()
		}
		if pages < 1000 {
			fmt.Printf("| %s | n/a (the list has %d pages) | | | |\n", name, pages)
			continue
		}
		fmt.Fprintf(os.Stderr, "%s: followed 999 links in %s\n", list, time.Since(start).Round(time.Millisecond))
		b.measure(name, path, *n)
	}
	return nil
}

func (b *bench) measure(name, path string, n int) {
	var rows int
	for range 3 { // warm-up
		st, doc, _ := b.get(path)
		if st != 200 {
			msg := fmt.Sprint(st)
			if st == 400 {
				msg = "n/a (400: " + fmt.Sprint(dig(doc, "errors")) + ")"
				if len(msg) > 120 {
					msg = msg[:120] + "…"
				}
			}
			fmt.Printf("| %s | %s | | | |\n", name, msg)
			return
		}
		data, _ := doc["data"].([]any)
		rows = len(data)
	}
	ds := make([]time.Duration, 0, n)
	start := time.Now()
	for len(ds) < n && (len(ds) < 20 || time.Since(start) < budget) {
		_, _, d := b.get(path)
		ds = append(ds, d)
	}
	slices.Sort(ds)
	p := func(q float64) string { return ms(ds[min(len(ds)-1, int(q*float64(len(ds))))]) }
	note := ""
	if len(ds) < n {
		note = fmt.Sprintf(" (%d requests)", len(ds))
	}
	fmt.Printf("| %s%s | %d | %s | %s | %s |\n", name, note, rows, p(0.50), p(0.99), ms(ds[len(ds)-1]))
}

var budget time.Duration

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// dig follows keys into nested JSON objects; nil when a key is missing.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
