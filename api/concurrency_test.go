package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"testing"

	"github.com/clientele/clientele/api"
)

// cResult is one answer to a request sent from a worker goroutine, where the
// harness's e.do (which calls t.Fatal) must not be used.
type cResult struct {
	status int
	body   []byte
	err    error
}

// cSend sends a request without touching the test, safe from any goroutine.
func (e *env) cSend(method, path, token string, body any) cResult {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return cResult{err: err}
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		return cResult{err: err}
	}
	if rd != nil {
		req.Header.Set("Content-Type", api.MediaType)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := e.srv.Client().Do(req)
	if err != nil {
		return cResult{err: err}
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	return cResult{status: res.StatusCode, body: raw, err: err}
}

// cParallel runs job(0…n-1) on workers goroutines and returns the results in
// job order.
func cParallel(n, workers int, job func(i int) cResult) []cResult {
	results := make([]cResult, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				results[i] = job(i)
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}

// cResource is the part of a single-resource document these tests read.
type cResource struct {
	Data struct {
		Type          string                     `json:"type"`
		ID            string                     `json:"id"`
		Attributes    map[string]any             `json:"attributes"`
		Relationships map[string]json.RawMessage `json:"relationships"`
	} `json:"data"`
}

// cCheckAll fails the test for every result that is not status (reporting
// 5xx and "database is locked" explicitly) and returns the decoded documents.
func cCheckAll(t *testing.T, what string, results []cResult, status int) []cResource {
	t.Helper()
	docs := make([]cResource, len(results))
	failures := 0
	for i, r := range results {
		switch {
		case r.err != nil:
			t.Errorf("%s #%d: %v", what, i, r.err)
		case r.status >= 500:
			t.Errorf("%s #%d: server error %d: %s", what, i, r.status, r.body)
		case bytes.Contains(bytes.ToLower(r.body), []byte("locked")) || bytes.Contains(bytes.ToLower(r.body), []byte("busy")):
			t.Errorf("%s #%d: %d with a locking error: %s", what, i, r.status, r.body)
		case r.status != status:
			t.Errorf("%s #%d: status %d, want %d: %s", what, i, r.status, status, r.body)
		default:
			if err := json.Unmarshal(r.body, &docs[i]); err != nil {
				t.Errorf("%s #%d: %v: %s", what, i, err, r.body)
			}
			continue
		}
		if failures++; failures > 10 {
			t.Fatalf("%s: too many failures", what)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	return docs
}

// cPageAll follows links.next from path and returns every id in order and
// how many pages it took.
func (e *env) cPageAll(path, token string) (ids []string, pages int) {
	e.t.Helper()
	for path != "" {
		if pages++; pages > 100 {
			e.t.Fatalf("more than 100 pages; last path %s", path)
		}
		r := e.do("GET", path, token, nil).want(http.StatusOK)
		ids = append(ids, r.list()...)
		var doc struct {
			Links struct {
				Next string `json:"next"`
			} `json:"links"`
		}
		if err := json.Unmarshal(r.Body, &doc); err != nil {
			e.t.Fatal(err)
		}
		path = doc.Links.Next
	}
	return ids, pages
}

// cListAll returns the resources of one page of up to 100.
func (e *env) cListAll(path, token string) []cResource {
	e.t.Helper()
	r := e.do("GET", path, token, nil).want(http.StatusOK)
	var doc struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		e.t.Fatal(err)
	}
	out := make([]cResource, len(doc.Data))
	for i, raw := range doc.Data {
		if err := json.Unmarshal([]byte(`{"data":`+string(raw)+`}`), &out[i]); err != nil {
			e.t.Fatal(err)
		}
	}
	return out
}

// cIDNum orders ids numerically.
func cIDNum(id string) int {
	var n int
	fmt.Sscan(id, &n)
	return n
}

func TestConcurrentClientCreates(t *testing.T) { forEachEngine(t, testConcurrentClientCreates) }

func testConcurrentClientCreates(t *testing.T, open openStore) {
	e := newEnv(t, open)
	const n, workers = 200, 50
	results := cParallel(n, workers, func(i int) cResult {
		r := e.cSend("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{
			"name": fmt.Sprintf("Concurrent %03d", i), "external_id": fmt.Sprintf("ext-%03d", i),
		}, nil))
		if r.err != nil || r.status != http.StatusCreated {
			return r
		}
		// Read it back at once, beside the other writers.
		var doc cResource
		if err := json.Unmarshal(r.body, &doc); err != nil {
			return cResult{err: err}
		}
		if g := e.cSend("GET", "/api/v1/clients/"+doc.Data.ID, e.admin, nil); g.status != http.StatusOK {
			return cResult{status: g.status, body: g.body, err: fmt.Errorf("reading back client %s: %v", doc.Data.ID, g.err)}
		}
		return r
	})
	docs := cCheckAll(t, "POST /api/v1/clients", results, http.StatusCreated)

	created := map[string]bool{}
	for i, d := range docs {
		if d.Data.Type != "clients" || d.Data.ID == "" {
			t.Fatalf("#%d: not a client document: %s", i, results[i].body)
		}
		if created[d.Data.ID] {
			t.Errorf("id %s was returned twice", d.Data.ID)
		}
		created[d.Data.ID] = true
		if got, want := d.Data.Attributes["name"], fmt.Sprintf("Concurrent %03d", i); got != want {
			t.Errorf("#%d (id %s): name %v, want %v", i, d.Data.ID, got, want)
		}
	}
	if len(created) != n {
		t.Fatalf("%d distinct ids, want %d", len(created), n)
	}

	for _, tc := range []struct {
		path      string
		wantPages int
	}{
		{"/api/v1/clients", 8},                // default page size 25
		{"/api/v1/clients?page[size]=100", 2}, // exactly two full pages, no empty third
		{"/api/v1/clients?page[size]=7", n/7 + 1},
	} {
		ids, pages := e.cPageAll(tc.path, e.admin)
		if len(ids) != n {
			t.Errorf("%s: paged through %d clients, want %d", tc.path, len(ids), n)
		}
		if pages != tc.wantPages {
			t.Errorf("%s: %d pages, want %d", tc.path, pages, tc.wantPages)
		}
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				t.Errorf("%s: id %s listed twice", tc.path, id)
			}
			seen[id] = true
			if !created[id] {
				t.Errorf("%s: id %s was not created by this test", tc.path, id)
			}
		}
		if !sort.SliceIsSorted(ids, func(i, j int) bool { return cIDNum(ids[i]) < cIDNum(ids[j]) }) {
			t.Errorf("%s: ids not in ascending order: %v", tc.path, ids)
		}
	}
}

// cToOneID returns the id of a to-one relationship, "" for null.
func cToOneID(t *testing.T, d cResource, name string) string {
	t.Helper()
	var rel struct {
		Data *struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(d.Data.Relationships[name], &rel); err != nil {
		t.Fatalf("relationship %s: %v", name, err)
	}
	if rel.Data == nil {
		return ""
	}
	return rel.Data.ID
}

// cTheOne returns the id of the only resource whose boolean attr is true,
// failing unless there is exactly one.
func cTheOne(t *testing.T, what string, list []cResource, attr string) string {
	t.Helper()
	var ids []string
	for _, r := range list {
		if r.Data.Attributes[attr] == true {
			ids = append(ids, r.Data.ID)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("%s: %d resources with %s=true (%v), want exactly 1", what, len(ids), attr, ids)
	}
	return ids[0]
}

// cMaxID returns the greatest id of docs: the last one a serialised writer committed.
func cMaxID(docs []cResource) string {
	best := ""
	for _, d := range docs {
		if best == "" || cIDNum(d.Data.ID) > cIDNum(best) {
			best = d.Data.ID
		}
	}
	return best
}

func TestConcurrentMainContact(t *testing.T) { forEachEngine(t, testConcurrentMainContact) }

func testConcurrentMainContact(t *testing.T, open openStore) {
	e := newEnv(t, open)
	const n, workers = 40, 20
	contactDoc := func(client string, i int, attrs map[string]any) map[string]any {
		attrs["first_name"] = fmt.Sprintf("Person %02d", i)
		return resourceDoc("contacts", attrs, map[string]any{"client": ref("clients", client)})
	}

	t.Run("create with is_main", func(t *testing.T) {
		e := *e
		e.t = t
		client := e.createClient(e.admin, map[string]any{"name": "Main Contacts Ltd"})
		docs := cCheckAll(t, "POST /api/v1/contacts", cParallel(n, workers, func(i int) cResult {
			return e.cSend("POST", "/api/v1/contacts", e.admin, contactDoc(client, i, map[string]any{"is_main": true}))
		}), http.StatusCreated)
		for i, d := range docs {
			if d.Data.Attributes["is_main"] != true {
				t.Errorf("#%d (id %s): created with is_main true but answered %v", i, d.Data.ID, d.Data.Attributes["is_main"])
			}
		}
		list := e.cListAll("/api/v1/clients/"+client+"/contacts?page[size]=100", e.admin)
		if len(list) != n {
			t.Fatalf("client has %d contacts, want %d", len(list), n)
		}
		main := cTheOne(t, "contacts of the client", list, "is_main")
		// Writes are serialised and each clears the others, so the last
		// one committed (the greatest id) is main.
		if last := cMaxID(docs); main != last {
			t.Errorf("main contact is %s, want the last created, %s", main, last)
		}
		if got := e.do("GET", "/api/v1/clients/"+client, e.admin, nil).want(http.StatusOK).relID("main_contact"); got != main {
			t.Errorf("client's main_contact is %q, the contact with is_main is %s", got, main)
		}

		// Now every contact asks to become main at the same time.
		cCheckAll(t, "PATCH /api/v1/contacts/{id}", cParallel(n, workers, func(i int) cResult {
			id := docs[i].Data.ID
			return e.cSend("PATCH", "/api/v1/contacts/"+id, e.admin,
				map[string]any{"data": map[string]any{"type": "contacts", "id": id, "attributes": map[string]any{"is_main": true}}})
		}), http.StatusOK)
		list = e.cListAll("/api/v1/clients/"+client+"/contacts?page[size]=100", e.admin)
		main = cTheOne(t, "contacts after concurrent PATCHes", list, "is_main")
		if got := e.do("GET", "/api/v1/clients/"+client, e.admin, nil).want(http.StatusOK).relID("main_contact"); got != main {
			t.Errorf("client's main_contact is %q, the contact with is_main is %s", got, main)
		}
	})

	t.Run("first contacts without is_main", func(t *testing.T) {
		e := *e
		e.t = t
		client := e.createClient(e.admin, map[string]any{"name": "First Contacts Ltd"})
		cCheckAll(t, "POST /api/v1/contacts", cParallel(n, workers, func(i int) cResult {
			return e.cSend("POST", "/api/v1/contacts", e.admin, contactDoc(client, i, map[string]any{}))
		}), http.StatusCreated)
		list := e.cListAll("/api/v1/clients/"+client+"/contacts?page[size]=100", e.admin)
		if len(list) != n {
			t.Fatalf("client has %d contacts, want %d", len(list), n)
		}
		main := cTheOne(t, "contacts of the client", list, "is_main")
		if first := list[0].Data.ID; main != first {
			t.Errorf("main contact is %s, want the first created, %s", main, first)
		}
	})
}

func TestConcurrentPrimaryLocation(t *testing.T) { forEachEngine(t, testConcurrentPrimaryLocation) }

func testConcurrentPrimaryLocation(t *testing.T, open openStore) {
	e := newEnv(t, open)
	const n, workers = 40, 20
	locationDoc := func(client string, i int, attrs map[string]any) map[string]any {
		attrs["country"] = "DE"
		attrs["city"] = fmt.Sprintf("City %02d", i)
		return resourceDoc("locations", attrs, map[string]any{"client": ref("clients", client)})
	}
	// cAddressCity is the city of a client's address (its primary location's).
	cAddressCity := func(t *testing.T, e *env, client string) any {
		t.Helper()
		addr, _ := e.do("GET", "/api/v1/clients/"+client, e.admin, nil).want(http.StatusOK).attrs()["address"].(map[string]any)
		if addr == nil {
			t.Fatalf("client %s has no address", client)
		}
		return addr["city"]
	}

	t.Run("create with is_primary", func(t *testing.T) {
		e := *e
		e.t = t
		client := e.createClient(e.admin, map[string]any{"name": "Primary Locations Ltd"})
		docs := cCheckAll(t, "POST /api/v1/locations", cParallel(n, workers, func(i int) cResult {
			return e.cSend("POST", "/api/v1/locations", e.admin, locationDoc(client, i, map[string]any{"is_primary": true}))
		}), http.StatusCreated)
		for i, d := range docs {
			if d.Data.Attributes["is_primary"] != true {
				t.Errorf("#%d (id %s): created with is_primary true but answered %v", i, d.Data.ID, d.Data.Attributes["is_primary"])
			}
		}
		list := e.cListAll("/api/v1/clients/"+client+"/locations?page[size]=100", e.admin)
		if len(list) != n {
			t.Fatalf("client has %d locations, want %d", len(list), n)
		}
		primary := cTheOne(t, "locations of the client", list, "is_primary")
		if last := cMaxID(docs); primary != last {
			t.Errorf("primary location is %s, want the last created, %s", primary, last)
		}
		var city any
		for _, l := range list {
			if l.Data.ID == primary {
				city = l.Data.Attributes["city"]
			}
		}
		if got := cAddressCity(t, &e, client); got != city {
			t.Errorf("client's address city %v, primary location's %v", got, city)
		}

		cCheckAll(t, "PATCH /api/v1/locations/{id}", cParallel(n, workers, func(i int) cResult {
			id := docs[i].Data.ID
			return e.cSend("PATCH", "/api/v1/locations/"+id, e.admin,
				map[string]any{"data": map[string]any{"type": "locations", "id": id, "attributes": map[string]any{"is_primary": true}}})
		}), http.StatusOK)
		list = e.cListAll("/api/v1/clients/"+client+"/locations?page[size]=100", e.admin)
		primary = cTheOne(t, "locations after concurrent PATCHes", list, "is_primary")
		for _, l := range list {
			if l.Data.ID == primary {
				city = l.Data.Attributes["city"]
			}
		}
		if got := cAddressCity(t, &e, client); got != city {
			t.Errorf("after PATCHes: client's address city %v, primary location's %v", got, city)
		}
	})

	t.Run("first locations without is_primary", func(t *testing.T) {
		e := *e
		e.t = t
		client := e.createClient(e.admin, map[string]any{"name": "First Locations Ltd"})
		cCheckAll(t, "POST /api/v1/locations", cParallel(n, workers, func(i int) cResult {
			return e.cSend("POST", "/api/v1/locations", e.admin, locationDoc(client, i, map[string]any{}))
		}), http.StatusCreated)
		list := e.cListAll("/api/v1/clients/"+client+"/locations?page[size]=100", e.admin)
		if len(list) != n {
			t.Fatalf("client has %d locations, want %d", len(list), n)
		}
		primary := cTheOne(t, "locations of the client", list, "is_primary")
		if first := list[0].Data.ID; primary != first {
			t.Errorf("primary location is %s, want the first created, %s", primary, first)
		}
		if got := cAddressCity(t, &e, client); got != list[0].Data.Attributes["city"] {
			t.Errorf("client's address city %v, primary location's %v", got, list[0].Data.Attributes["city"])
		}
	})
}
