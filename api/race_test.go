package api_test

// Races through HTTP, on both engines: many writers of one record, writers
// that each want to be the one main contact or primary location, and
// removals of admins that must never leave a company without one. Helpers
// start with "r" so that they cannot clash with those of other test files.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/api"
)

// rSend sends a request like e.do but never touches the test, so that it is
// safe from any goroutine; the response's methods may be used once back on
// the test's goroutine.
func (e *env) rSend(method, path, token string, body any) (*response, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		return nil, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", api.MediaType)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := e.srv.Client().Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	return &response{t: e.t, Status: res.StatusCode, Header: res.Header, Body: raw}, nil
}

// rRequest is one request of a burst.
type rRequest struct {
	method, path, token string
	body                any
}

// rBurst sends all reqs at once, each from its own goroutine released
// together, and returns the responses in order. A transport error or a 5xx
// fails the test.
func (e *env) rBurst(reqs []rRequest) []*response {
	e.t.Helper()
	out := make([]*response, len(reqs))
	errs := make([]error, len(reqs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, q := range reqs {
		wg.Go(func() {
			<-start
			out[i], errs[i] = e.rSend(q.method, q.path, q.token, q.body)
		})
	}
	close(start)
	wg.Wait()
	for i, q := range reqs {
		switch {
		case errs[i] != nil:
			e.t.Errorf("%s %s (#%d): %v", q.method, q.path, i, errs[i])
		case out[i].Status >= 500:
			e.t.Errorf("%s %s (#%d): server error %d: %s", q.method, q.path, i, out[i].Status, out[i].Body)
		}
	}
	if e.t.Failed() {
		e.t.FailNow()
	}
	return out
}

// rWith returns a copy of e that reports to t.
func (e *env) rWith(t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}

// rPatch is a PATCH document for the resource typ/id.
func rPatch(typ, id string, attrs map[string]any) map[string]any {
	return map[string]any{"data": map[string]any{"type": typ, "id": id, "attributes": attrs}}
}

// rTime parses a timestamp attribute.
func rTime(t *testing.T, v any) time.Time {
	t.Helper()
	s, _ := v.(string)
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("timestamp %#v: %v", v, err)
	}
	return at
}

// rList returns the resources of a related collection (at most 100).
func (e *env) rList(path string) []map[string]any {
	e.t.Helper()
	r := e.do("GET", path+"?page[size]=100", e.admin, nil).want(http.StatusOK)
	var doc struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		e.t.Fatal(err)
	}
	return doc.Data
}

// rFlagged returns the ids of the resources whose boolean attr is true,
// failing for a value that is not a boolean.
func rFlagged(t *testing.T, list []map[string]any, attr string) []string {
	t.Helper()
	var ids []string
	for _, r := range list {
		switch v := r["attributes"].(map[string]any)[attr]; v {
		case true:
			ids = append(ids, r["id"].(string))
		case false:
		default:
			t.Errorf("%s %v: %s = %#v, want a boolean", r["type"], r["id"], attr, v)
		}
	}
	return ids
}

func TestRaceClientPatch(t *testing.T) { forEachEngine(t, testRaceClientPatch) }

// rClientVersion is the i-th version of the client: every attribute it
// names differs from every other version's, so that a mix of two writes
// shows. The address goes to the client's primary location in the same
// transaction, so it must not mix either.
func rClientVersion(i int, owners []string) (attrs map[string]any, owner string) {
	types := [][]any{{}, {"customer"}, {"supplier"}, {"prospect"}, {"customer", "supplier"},
		{"customer", "prospect"}, {"supplier", "prospect"}, {"customer", "supplier", "prospect"}}
	attrs = map[string]any{
		"name":                     fmt.Sprintf("Race Version %03d", i),
		"external_id":              fmt.Sprintf("race-%03d", i),
		"types":                    types[i%len(types)],
		"email":                    fmt.Sprintf("v%03d@race.example", i),
		"billing_email":            fmt.Sprintf("billing%03d@race.example", i),
		"phone":                    fmt.Sprintf("+49 30 5550%03d", i),
		"mobile":                   fmt.Sprintf("+49 170 7770%03d", i),
		"website":                  fmt.Sprintf("https://v%03d.race.example", i),
		"tax_number":               fmt.Sprintf("DE%09d", i),
		"notes":                    fmt.Sprintf("written by PATCH #%d", i),
		"default_rate":             fmt.Sprintf("%d.%02d", 100+i, i),
		"default_rate_type":        []string{"hour", "day", "month", "fixed"}[i%4],
		"invoice_reminders":        i%2 == 0,
		"show_location_on_invoice": i%3 == 0,
		"address": map[string]any{
			"street": fmt.Sprintf("Race Street %d", i), "house_number": fmt.Sprint(i + 1),
			"postal_code": fmt.Sprintf("%05d", 10000+i), "city": fmt.Sprintf("Race City %03d", i), "country": "DE",
		},
	}
	return attrs, owners[i%len(owners)]
}

// rMatches returns the names of the attributes of want that got does not
// hold (address members compared one by one).
func rMatches(want, got map[string]any) []string {
	var bad []string
	for k, w := range want {
		if k == "address" {
			ga, _ := got["address"].(map[string]any)
			for m, wv := range w.(map[string]any) {
				if ga == nil || !reflect.DeepEqual(ga[m], wv) {
					bad = append(bad, "address."+m)
				}
			}
			continue
		}
		if !reflect.DeepEqual(got[k], rJSON(w)) {
			bad = append(bad, k)
		}
	}
	slices.Sort(bad)
	return bad
}

// rJSON returns v as it comes back from decoding its JSON.
func rJSON(v any) any {
	raw, _ := json.Marshal(v)
	var out any
	json.Unmarshal(raw, &out)
	return out
}

func testRaceClientPatch(t *testing.T, open openStore) {
	e := newEnv(t, open)
	const n = 100
	owners := []string{e.userID, e.do("POST", "/api/v1/users", e.admin, resourceDoc("users",
		map[string]any{"full_name": "Owner Two", "email": "two@acme.example", "role": "member"}, nil)).want(http.StatusCreated).id()}
	client := e.createClient(e.admin, map[string]any{"name": "Race Original"})
	created := rTime(t, e.do("GET", "/api/v1/clients/"+client, e.admin, nil).want(http.StatusOK).attrs()["updated_at"])

	reqs := make([]rRequest, n)
	for i := range reqs {
		attrs, owner := rClientVersion(i, owners)
		reqs[i] = rRequest{"PATCH", "/api/v1/clients/" + client, e.admin, map[string]any{"data": map[string]any{
			"type": "clients", "id": client, "attributes": attrs,
			"relationships": map[string]any{"owner": ref("users", owner)}}}}
	}
	res := e.rBurst(reqs)

	var latest time.Time
	for i, r := range res {
		if r.Status != http.StatusOK {
			t.Errorf("PATCH #%d: status %d, want 200: %s", i, r.Status, r.Body)
			continue
		}
		// Each answer shows its own write whole.
		attrs, owner := rClientVersion(i, owners)
		if bad := rMatches(attrs, r.attrs()); bad != nil {
			t.Errorf("PATCH #%d answered other values for %v: %s", i, bad, r.Body)
		}
		if got := r.relID("owner"); got != owner {
			t.Errorf("PATCH #%d answered owner %q, want %q", i, got, owner)
		}
		at := rTime(t, r.attrs()["updated_at"])
		if !at.After(created) {
			t.Errorf("PATCH #%d: updated_at %v not after the creation's %v", i, at, created)
		}
		if at.After(latest) {
			latest = at
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	final := e.do("GET", "/api/v1/clients/"+client, e.admin, nil).want(http.StatusOK)
	fa := final.attrs()
	var winner = -1
	for i := range n {
		if fa["name"] == fmt.Sprintf("Race Version %03d", i) {
			winner = i
		}
	}
	if winner < 0 {
		t.Fatalf("final client is none of the versions sent: %s", final.Body)
	}
	attrs, owner := rClientVersion(winner, owners)
	if bad := rMatches(attrs, fa); bad != nil {
		t.Errorf("final client has the name of PATCH #%d but other values for %v (a mix of writes): %s", winner, bad, final.Body)
	}
	if got := final.relID("owner"); got != owner {
		t.Errorf("final client has the name of PATCH #%d but owner %q, want %q", winner, got, owner)
	}
	// The last write committed is what a GET shows, exactly as it answered.
	if won := res[winner].attrs(); !reflect.DeepEqual(won, fa) {
		t.Errorf("final client differs from what PATCH #%d answered:\nanswered %v\nfinal    %v", winner, won, fa)
	}
	if at := rTime(t, fa["updated_at"]); at.Before(latest) {
		t.Errorf("final updated_at %v is before a PATCH's answered updated_at %v", at, latest)
	}

	// The address lives in the primary location: exactly one, holding the winner's address.
	locs := e.rList("/api/v1/clients/" + client + "/locations")
	primaries := rFlagged(t, locs, "is_primary")
	if len(locs) != 1 || len(primaries) != 1 {
		t.Fatalf("client has %d locations, %d primary; want the one the address created", len(locs), len(primaries))
	}
	for m, v := range attrs["address"].(map[string]any) {
		if got := locs[0]["attributes"].(map[string]any)[m]; got != v {
			t.Errorf("primary location %s = %v, want %v (PATCH #%d's)", m, got, v, winner)
		}
	}
}

func TestRaceMainContact(t *testing.T) { forEachEngine(t, testRaceMainContact) }

func testRaceMainContact(t *testing.T, open openStore) {
	e := newEnv(t, open)
	const rounds = 20
	client := e.createClient(e.admin, map[string]any{"name": "Race Contacts Ltd"})
	a := e.createContact(e.admin, client, map[string]any{"first_name": "Anna"})
	b := e.createContact(e.admin, client, map[string]any{"first_name": "Bert", "is_main": false})
	rel := map[string]any{"client": ref("clients", client)}
	total := 2
	for round := range rounds {
		reqs := []rRequest{
			{"PATCH", "/api/v1/contacts/" + a, e.admin, rPatch("contacts", a, map[string]any{"is_main": true})},
			{"PATCH", "/api/v1/contacts/" + b, e.admin, rPatch("contacts", b, map[string]any{"is_main": true})},
			{"POST", "/api/v1/contacts", e.admin, resourceDoc("contacts",
				map[string]any{"first_name": fmt.Sprintf("New %02d", round), "is_main": true}, rel)},
			{"POST", "/api/v1/contacts", e.admin, resourceDoc("contacts",
				map[string]any{"first_name": fmt.Sprintf("Late %02d", round)}, rel)}, // default: main only if none
		}
		res := e.rBurst(reqs)
		written := []string{a, b}
		for i, r := range res {
			want := http.StatusOK
			if reqs[i].method == "POST" {
				want = http.StatusCreated
			}
			if r.Status != want {
				t.Fatalf("round %d: %s %s: status %d, want %d: %s", round, reqs[i].method, reqs[i].path, r.Status, want, r.Body)
			}
			if i < 3 {
				if r.attrs()["is_main"] != true {
					t.Errorf("round %d: %s %s answered is_main %v", round, reqs[i].method, reqs[i].path, r.attrs()["is_main"])
				}
				if i == 2 {
					written = append(written, r.id())
				}
			} else if r.attrs()["is_main"] != false {
				// The client always has a main contact, so a contact without is_main must not become one.
				t.Errorf("round %d: a contact created without is_main while the client had a main one answered is_main %v",
					round, r.attrs()["is_main"])
			}
		}
		total += 2
		list := e.rList("/api/v1/clients/" + client + "/contacts")
		if len(list) != total {
			t.Fatalf("round %d: client has %d contacts, want %d", round, len(list), total)
		}
		mains := rFlagged(t, list, "is_main")
		if len(mains) != 1 {
			t.Fatalf("round %d: main contacts %v, want exactly one", round, mains)
		}
		if !slices.Contains(written, mains[0]) {
			t.Errorf("round %d: main contact %s is none of this round's is_main writes %v", round, mains[0], written)
		}
		if got := e.do("GET", "/api/v1/clients/"+client, e.admin, nil).want(http.StatusOK).relID("main_contact"); got != mains[0] {
			t.Fatalf("round %d: client's main_contact is %q, the contact with is_main is %s", round, got, mains[0])
		}
	}
}

func TestRacePrimaryLocation(t *testing.T) { forEachEngine(t, testRacePrimaryLocation) }

func testRacePrimaryLocation(t *testing.T, open openStore) {
	e := newEnv(t, open)
	const rounds = 20
	client := e.createClient(e.admin, map[string]any{"name": "Race Locations Ltd"})
	a := e.createLocation(e.admin, client, map[string]any{"name": "A", "city": "Aachen", "country": "DE"})
	b := e.createLocation(e.admin, client, map[string]any{"name": "B", "city": "Bonn", "country": "DE", "is_primary": false})
	rel := map[string]any{"client": ref("clients", client)}
	addressKeys := []string{"street", "house_number", "address_line_2", "address_line_3", "postal_code", "city", "region", "country", "recipient"}
	total := 2
	for round := range rounds {
		reqs := []rRequest{
			{"PATCH", "/api/v1/locations/" + a, e.admin, rPatch("locations", a, map[string]any{"is_primary": true,
				"street": fmt.Sprintf("A-Straße %d", round)})},
			{"PATCH", "/api/v1/locations/" + b, e.admin, rPatch("locations", b, map[string]any{"is_primary": true,
				"street": fmt.Sprintf("B-Straße %d", round)})},
			{"POST", "/api/v1/locations", e.admin, resourceDoc("locations", map[string]any{
				"name": fmt.Sprintf("New %02d", round), "city": fmt.Sprintf("Neustadt %02d", round), "country": "AT", "is_primary": true}, rel)},
			{"POST", "/api/v1/locations", e.admin, resourceDoc("locations", map[string]any{
				"name": fmt.Sprintf("Late %02d", round), "city": "Spätdorf", "country": "CH"}, rel)}, // default: primary only if none
			// Rewrites whichever location is primary when it runs.
			{"PATCH", "/api/v1/clients/" + client, e.admin, rPatch("clients", client, map[string]any{"address": map[string]any{
				"street": fmt.Sprintf("Client-Allee %d", round), "city": "Köln", "country": "DE", "recipient": "Race"}})},
		}
		res := e.rBurst(reqs)
		written := []string{a, b}
		for i, r := range res {
			want := http.StatusOK
			if reqs[i].method == "POST" {
				want = http.StatusCreated
			}
			if r.Status != want {
				t.Fatalf("round %d: %s %s: status %d, want %d: %s", round, reqs[i].method, reqs[i].path, r.Status, want, r.Body)
			}
			switch i {
			case 0, 1, 2:
				if r.attrs()["is_primary"] != true {
					t.Errorf("round %d: %s %s answered is_primary %v", round, reqs[i].method, reqs[i].path, r.attrs()["is_primary"])
				}
				if i == 2 {
					written = append(written, r.id())
				}
			case 3:
				if r.attrs()["is_primary"] != false {
					t.Errorf("round %d: a location created without is_primary while the client had a primary one answered is_primary %v",
						round, r.attrs()["is_primary"])
				}
			case 4:
				if addr, _ := r.attrs()["address"].(map[string]any); addr == nil || addr["street"] != fmt.Sprintf("Client-Allee %d", round) {
					t.Errorf("round %d: PATCH of the client's address answered address %v", round, r.attrs()["address"])
				}
			}
		}
		total += 2
		list := e.rList("/api/v1/clients/" + client + "/locations")
		if len(list) != total {
			t.Fatalf("round %d: client has %d locations, want %d (a client address PATCH must not add one while there is a primary)",
				round, len(list), total)
		}
		primaries := rFlagged(t, list, "is_primary")
		if len(primaries) != 1 {
			t.Fatalf("round %d: primary locations %v, want exactly one", round, primaries)
		}
		if !slices.Contains(written, primaries[0]) {
			t.Errorf("round %d: primary location %s is none of this round's is_primary writes %v", round, primaries[0], written)
		}
		var primary map[string]any
		for _, l := range list {
			if l["id"] == primaries[0] {
				primary = l["attributes"].(map[string]any)
			}
		}
		addr, _ := e.do("GET", "/api/v1/clients/"+client, e.admin, nil).want(http.StatusOK).attrs()["address"].(map[string]any)
		if addr == nil {
			t.Fatalf("round %d: client has no address, but location %s is primary", round, primaries[0])
		}
		for _, k := range addressKeys {
			if addr[k] != primary[k] {
				t.Errorf("round %d: client's address %s = %v, primary location %s's = %v", round, k, addr[k], primaries[0], primary[k])
			}
		}
		if t.Failed() {
			t.FailNow()
		}
	}
}

func TestRaceLastAdmin(t *testing.T) { forEachEngine(t, testRaceLastAdmin) }

// rAdmins creates a company with slug and 5 admins, and returns their user
// ids and tokens (index 0 is the company's first admin).
func (e *env) rAdmins(slug string) (ids, tokens []string) {
	e.t.Helper()
	tok, id := e.newCompany(slug)
	ids, tokens = []string{id}, []string{tok}
	for k := 1; k < 5; k++ {
		u := e.do("POST", "/api/v1/users", tok, resourceDoc("users", map[string]any{
			"full_name": fmt.Sprintf("Admin %d", k), "email": fmt.Sprintf("admin%d@%s.example", k, slug), "role": "admin"}, nil)).
			want(http.StatusCreated).id()
		r := e.do("POST", "/api/v1/tokens", tok, resourceDoc("tokens", map[string]any{"name": "race"},
			map[string]any{"user": ref("users", u)})).want(http.StatusCreated)
		secret, _ := r.json()["meta"].(map[string]any)["secret"].(string)
		if secret == "" {
			e.t.Fatalf("POST /tokens answered no meta.secret: %s", r.Body)
		}
		ids, tokens = append(ids, u), append(tokens, secret)
	}
	return ids, tokens
}

// rAdminCount returns how many admins the company of tokens has, reading
// with the first token that still works; it fails when none does (every
// user gone, so no admin either).
func (e *env) rAdminCount(tokens []string) (admins []string, working string) {
	e.t.Helper()
	for _, tok := range tokens {
		r := e.do("GET", "/api/v1/users?page[size]=100", tok, nil)
		if r.Status != http.StatusOK {
			continue
		}
		var doc struct {
			Data []struct {
				ID         string         `json:"id"`
				Attributes map[string]any `json:"attributes"`
			} `json:"data"`
		}
		if err := json.Unmarshal(r.Body, &doc); err != nil {
			e.t.Fatal(err)
		}
		for _, u := range doc.Data {
			if u.Attributes["role"] == "admin" {
				admins = append(admins, u.ID)
			}
		}
		return admins, tok
	}
	e.t.Fatalf("no token of the company works any more: every user, so every admin, is gone")
	return nil, ""
}

func testRaceLastAdmin(t *testing.T, open openStore) {
	e := newEnv(t, open)
	const n = 50

	// Every admin demotes or deletes every admin, itself included, all at
	// once. Whatever the order, one admin must stay; the requests that
	// would remove it are 409 last_admin. An actor already demoted is 403,
	// one already deleted 401, a target already deleted 404.
	for round := range 3 {
		ids, tokens := e.rAdmins(fmt.Sprintf("cross%d", round))
		reqs := make([]rRequest, n)
		for j := range reqs {
			actor, target := j%5, (j/5)%5
			if j%2 == 0 {
				reqs[j] = rRequest{"PATCH", "/api/v1/users/" + ids[target], tokens[actor],
					rPatch("users", ids[target], map[string]any{"role": "member"})}
			} else {
				reqs[j] = rRequest{"DELETE", "/api/v1/users/" + ids[target], tokens[actor], nil}
			}
		}
		res := e.rBurst(reqs)
		counts := map[int]int{}
		for j, r := range res {
			counts[r.Status]++
			switch r.Status {
			case http.StatusOK, http.StatusNoContent, http.StatusUnauthorized, http.StatusNotFound:
			case http.StatusConflict:
				r.wantError(http.StatusConflict, "last_admin", "")
			case http.StatusForbidden:
				r.wantError(http.StatusForbidden, "admin_only", "")
			default:
				t.Errorf("round %d: %s %s (#%d): status %d: %s", round, reqs[j].method, reqs[j].path, j, r.Status, r.Body)
			}
		}
		admins, _ := e.rAdminCount(tokens)
		t.Logf("round %d: statuses %v; admins left %v", round, counts, admins)
		if len(admins) == 0 {
			t.Fatalf("round %d: no admin left (statuses %v)", round, counts)
		}
		// The company is not locked out: an admin's token still does admin
		// things. And when one admin is left, it still cannot remove itself.
		for k, id := range ids {
			if !slices.Contains(admins, id) {
				continue
			}
			e.do("PATCH", "/api/v1/company", tokens[k], resourceDoc("companies", map[string]any{"name": "Still Run"}, nil)).
				want(http.StatusOK)
			if len(admins) == 1 {
				e.do("DELETE", "/api/v1/users/"+id, tokens[k], nil).wantError(http.StatusConflict, "last_admin", "")
			}
		}
	}

	// One admin removes the four others, each many times over: it stays,
	// so no request is last_admin, and in the end it is the only admin.
	t.Run("one actor", func(t *testing.T) {
		e := e.rWith(t)
		ids, tokens := e.rAdmins("single")
		reqs := make([]rRequest, n)
		for j := range reqs {
			target := ids[1+j%4]
			if j%3 == 0 {
				reqs[j] = rRequest{"DELETE", "/api/v1/users/" + target, tokens[0], nil}
			} else {
				reqs[j] = rRequest{"PATCH", "/api/v1/users/" + target, tokens[0], rPatch("users", target, map[string]any{"role": "member"})}
			}
		}
		for j, r := range e.rBurst(reqs) {
			switch r.Status {
			case http.StatusOK, http.StatusNoContent, http.StatusNotFound:
			default:
				t.Errorf("%s %s (#%d): status %d: %s", reqs[j].method, reqs[j].path, j, r.Status, r.Body)
			}
		}
		admins, _ := e.rAdminCount(tokens[:1])
		if !slices.Equal(admins, ids[:1]) {
			t.Errorf("admins left %v, want only %v", admins, ids[:1])
		}
		e.do("DELETE", "/api/v1/users/"+ids[0], tokens[0], nil).wantError(http.StatusConflict, "last_admin", "")
	})
}
