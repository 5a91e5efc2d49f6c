package api_test

// Tests of include and fields[type]. Every helper name starts with "inc" so
// that it cannot clash with helpers of other test files.

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele"
)

// incClientPaths are the include paths of clients; contacts and locations
// have "client" and "client." followed by each of them.
var incClientPaths = []string{"owner", "salesperson", "case_manager", "main_contact", "contacts", "locations"}

func incChildPaths() []string {
	paths := []string{"client"}
	for _, p := range incClientPaths {
		paths = append(paths, "client."+p)
	}
	return paths
}

// incWorld is company acme with three users, three clients with contacts and
// locations, and another company with one record of each kind. It keeps what
// each record is related to, to compute what an include must answer.
type incWorld struct {
	e                    *env
	admin, m1, m2        string // acme's users
	m1Token              string // a token of m1
	m1TokenID            string
	c1, c2, c3           string
	owner, sales, cm     map[string]string   // by client: user id, "" for none
	main                 map[string]string   // by client: main contact id, "" for none
	contacts, locations  map[string][]string // by client, in id order
	clientOf             map[string]string   // "contacts:5" or "locations:5" → client id
	other                string              // the other company's admin token
	otherKeys            map[string]bool     // "type:id" of every record of the other company
	otherClient, otherCo string              // the other company's client and contact
}

func incNewWorld(t *testing.T, open openStore) *incWorld {
	t.Helper()
	e := newEnv(t, open)
	w := &incWorld{e: e, admin: e.userID, owner: map[string]string{}, sales: map[string]string{}, cm: map[string]string{},
		main: map[string]string{}, contacts: map[string][]string{}, locations: map[string][]string{}, clientOf: map[string]string{}}
	w.m1 = e.iUser(e.admin, "m1@acme.example", "member")
	w.m2 = e.iUser(e.admin, "m2@acme.example", "member")
	w.m1TokenID, w.m1Token = e.iToken(e.admin, w.m1)
	client := func(name, owner, sales, cm string) string {
		rels := map[string]any{"owner": ref("users", owner)}
		if sales != "" {
			rels["salesperson"] = ref("users", sales)
		}
		if cm != "" {
			rels["case_manager"] = ref("users", cm)
		}
		id := e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": name}, rels)).
			want(http.StatusCreated).id()
		w.owner[id], w.sales[id], w.cm[id] = owner, sales, cm
		return id
	}
	w.c1 = client("One", w.admin, w.m1, w.m2)
	w.c2 = client("Two", w.admin, "", w.m1)
	w.c3 = client("Three", w.m1, "", "")
	for _, c := range []struct {
		client   string
		contacts []string
		places   []string
	}{{w.c1, []string{"Kay", "Kim"}, []string{"Berlin", "Bonn"}}, {w.c2, []string{"Kai"}, []string{"Graz"}}} {
		for _, name := range c.contacts {
			id := e.createContact(e.admin, c.client, map[string]any{"first_name": name})
			w.contacts[c.client] = append(w.contacts[c.client], id)
			w.clientOf["contacts:"+id] = c.client
		}
		w.main[c.client] = w.contacts[c.client][0] // a client's first contact becomes main
		for _, city := range c.places {
			id := e.createLocation(e.admin, c.client, map[string]any{"country": "DE", "city": city})
			w.locations[c.client] = append(w.locations[c.client], id)
			w.clientOf["locations:"+id] = c.client
		}
	}
	var otherAdmin string
	w.other, otherAdmin = e.newCompany("other")
	w.otherClient = e.createClient(w.other, map[string]any{"name": "Foreign"})
	w.otherCo = e.createContact(w.other, w.otherClient, map[string]any{"first_name": "Fay"})
	otherLoc := e.createLocation(w.other, w.otherClient, map[string]any{"country": "FR"})
	w.otherKeys = map[string]bool{"users:" + otherAdmin: true, "clients:" + w.otherClient: true,
		"contacts:" + w.otherCo: true, "locations:" + otherLoc: true}
	return w
}

// fromClients returns the keys ("type:id") that relationship rel of clients names.
func (w *incWorld) fromClients(clients []string, rel string) []string {
	var keys []string
	for _, c := range clients {
		var ids []string
		typ := "users"
		switch rel {
		case "owner":
			ids = []string{w.owner[c]}
		case "salesperson":
			ids = []string{w.sales[c]}
		case "case_manager":
			ids = []string{w.cm[c]}
		case "main_contact":
			typ, ids = "contacts", []string{w.main[c]}
		case "contacts":
			typ, ids = "contacts", w.contacts[c]
		case "locations":
			typ, ids = "locations", w.locations[c]
		default:
			panic("no relationship " + rel)
		}
		for _, id := range ids {
			if id != "" {
				keys = append(keys, typ+":"+id)
			}
		}
	}
	return keys
}

// reach returns the keys that path reaches from the primary resources of typ with ids.
func (w *incWorld) reach(typ string, ids []string, path string) []string {
	switch typ {
	case "clients":
		return w.fromClients(ids, path)
	case "contacts", "locations":
		var clients, keys []string
		for _, id := range ids {
			c := w.clientOf[typ+":"+id]
			if !slices.Contains(clients, c) {
				clients = append(clients, c)
				keys = append(keys, "clients:"+c)
			}
		}
		if rest, ok := strings.CutPrefix(path, "client."); ok {
			keys = append(keys, w.fromClients(clients, rest)...)
		}
		return keys
	}
	panic("no includes of " + typ)
}

// incDoc is a decoded document with what the include tests look at.
type incDoc struct {
	t        *testing.T
	body     string
	primary  []map[string]any
	included []map[string]any
	raw      map[string]any
}

func incDecode(t *testing.T, r *response) incDoc {
	t.Helper()
	d := incDoc{t: t, body: string(r.Body), raw: r.json()}
	switch data := d.raw["data"].(type) {
	case []any:
		for _, it := range data {
			d.primary = append(d.primary, it.(map[string]any))
		}
	case map[string]any:
		d.primary = []map[string]any{data}
	default:
		t.Fatalf("no data in %s", r.Body)
	}
	if inc, ok := d.raw["included"]; ok {
		list, ok := inc.([]any)
		if !ok {
			t.Fatalf("included is not an array: %s", r.Body)
		}
		for _, it := range list {
			d.included = append(d.included, it.(map[string]any))
		}
	}
	return d
}

func incKey(res map[string]any) string { return res["type"].(string) + ":" + res["id"].(string) }

// includedKeys returns the keys of included and fails on a duplicate or a
// resource of the primary data.
func (d incDoc) includedKeys() map[string]bool {
	d.t.Helper()
	primary := map[string]bool{}
	for _, p := range d.primary {
		primary[incKey(p)] = true
	}
	keys := map[string]bool{}
	for _, res := range d.included {
		k := incKey(res)
		if keys[k] {
			d.t.Errorf("%s is in included twice: %s", k, d.body)
		}
		if primary[k] {
			d.t.Errorf("%s of the primary data is in included too: %s", k, d.body)
		}
		if _, ok := res["attributes"].(map[string]any); !ok {
			d.t.Errorf("included %s has no attributes: %s", k, d.body)
		}
		if l, _ := res["links"].(map[string]any); l["self"] == nil {
			d.t.Errorf("included %s has no links.self: %s", k, d.body)
		}
		keys[k] = true
	}
	return keys
}

func (d incDoc) primaryIDs() []string {
	var ids []string
	for _, p := range d.primary {
		ids = append(ids, p["id"].(string))
	}
	return ids
}

// all returns the primary and included resources.
func (d incDoc) all() []map[string]any { return append(slices.Clone(d.primary), d.included...) }

// incLinkage returns the ids of a to-many relationship's data and whether it has data.
func incLinkage(t *testing.T, res map[string]any, name string) ([]string, bool) {
	t.Helper()
	rels, _ := res["relationships"].(map[string]any)
	rel, ok := rels[name].(map[string]any)
	if !ok {
		t.Fatalf("%s has no relationship %s", incKey(res), name)
	}
	if l, _ := rel["links"].(map[string]any); l["related"] == nil {
		t.Errorf("%s: relationship %s has no links.related", incKey(res), name)
	}
	data, ok := rel["data"]
	if !ok {
		return nil, false
	}
	list, ok := data.([]any)
	if !ok {
		t.Fatalf("%s: %s.data is not an array: %v", incKey(res), name, data)
	}
	ids := []string{}
	for _, it := range list {
		m := it.(map[string]any)
		if m["type"] != name {
			t.Errorf("%s: %s.data holds a %v", incKey(res), name, m["type"])
		}
		ids = append(ids, m["id"].(string))
	}
	return ids, true
}

func incSet(keys ...string) map[string]bool {
	s := map[string]bool{}
	for _, k := range keys {
		s[k] = true
	}
	return s
}

func incSorted(s map[string]bool) []string { return slices.Sorted(maps.Keys(s)) }

// checkLinkage checks every client resource of d: its contacts (locations)
// relationship carries full linkage when contacts (locations) were
// included, and links only otherwise. A relationship that a fieldset left
// out is not checked.
func (w *incWorld) checkLinkage(t *testing.T, d incDoc, contacts, locations bool) {
	t.Helper()
	for _, res := range d.all() {
		if res["type"] != "clients" {
			continue
		}
		id := res["id"].(string)
		for _, rel := range []struct {
			name     string
			included bool
			want     []string
		}{{"contacts", contacts, w.contacts[id]}, {"locations", locations, w.locations[id]}} {
			if rels, _ := res["relationships"].(map[string]any); rels[rel.name] == nil {
				continue // left out by a fieldset
			}
			got, has := incLinkage(t, res, rel.name)
			switch {
			case rel.included && !has:
				t.Errorf("client %s: %s included but its relationship has no data: %s", id, rel.name, d.body)
			case !rel.included && has:
				t.Errorf("client %s: %s not included but its relationship has data %v", id, rel.name, got)
			case has && !slices.Equal(got, rel.want):
				t.Errorf("client %s: %s.data = %v, want %v", id, rel.name, got, rel.want)
			}
		}
	}
}

// Every include path of every type, on lists, single resources and the
// related collections, alone and all together: included holds exactly what
// the paths reach, each resource once and none of the primary data, and
// included to-many relationships carry full linkage.
func TestIncludePaths(t *testing.T) { forEachEngine(t, testIncludePaths) }

func testIncludePaths(t *testing.T, open openStore) {
	w := incNewWorld(t, open)
	e := w.e
	type endpoint struct {
		path, typ string
		paths     []string
	}
	endpoints := []endpoint{
		{"/api/v1/clients", "clients", incClientPaths},
		{"/api/v1/clients/" + w.c1, "clients", incClientPaths},
		{"/api/v1/clients/" + w.c3, "clients", incClientPaths},
		{"/api/v1/contacts", "contacts", incChildPaths()},
		{"/api/v1/contacts/" + w.contacts[w.c1][1], "contacts", incChildPaths()},
		{"/api/v1/clients/" + w.c1 + "/contacts", "contacts", incChildPaths()},
		{"/api/v1/locations", "locations", incChildPaths()},
		{"/api/v1/locations/" + w.locations[w.c1][1], "locations", incChildPaths()},
		{"/api/v1/clients/" + w.c2 + "/locations", "locations", incChildPaths()},
	}
	for _, ep := range endpoints {
		for _, include := range append(slices.Clone(ep.paths), strings.Join(ep.paths, ",")) {
			t.Run(ep.path+"?include="+include, func(t *testing.T) {
				d := incDecode(t, e.iWith(t).iGet(ep.path+"?include="+include, e.admin))
				if _, ok := d.raw["included"]; !ok {
					t.Fatalf("no included member: %s", d.body)
				}
				want := map[string]bool{}
				for _, path := range strings.Split(include, ",") {
					for _, k := range w.reach(ep.typ, d.primaryIDs(), path) {
						want[k] = true
					}
				}
				for _, id := range d.primaryIDs() {
					delete(want, ep.typ+":"+id)
				}
				got := d.includedKeys()
				if !maps.Equal(got, want) {
					t.Errorf("included %v, want %v", incSorted(got), incSorted(want))
				}
				var contacts, locations bool
				for _, path := range strings.Split(include, ",") {
					contacts = contacts || path == "contacts" || path == "client.contacts"
					locations = locations || path == "locations" || path == "client.locations"
				}
				w.checkLinkage(t, d, contacts, locations)
			})
		}
	}

	// The primary data of the lists is complete, so the sets above are not vacuous.
	if got := e.iGet("/api/v1/contacts", e.admin).list(); len(got) != 3 {
		t.Fatalf("contacts %v, want 3", got)
	}
	// Without include: no included member and links-only to-many relationships.
	for _, path := range []string{"/api/v1/clients", "/api/v1/clients/" + w.c1, "/api/v1/contacts", "/api/v1/locations/" + w.locations[w.c2][0]} {
		d := incDecode(t, e.iGet(path, e.admin))
		if _, ok := d.raw["included"]; ok {
			t.Errorf("GET %s without include has an included member: %s", path, d.body)
		}
		w.checkLinkage(t, d, false, false)
	}
}

// A resource that several primary resources (or several paths) name is
// included once; one that the primary data holds is not included at all.
func TestIncludeDeduplicates(t *testing.T) { forEachEngine(t, testIncludeDeduplicates) }

func testIncludeDeduplicates(t *testing.T, open openStore) {
	w := incNewWorld(t, open)
	e := w.e
	count := func(d incDoc, key string) int {
		n := 0
		for _, res := range d.included {
			if incKey(res) == key {
				n++
			}
		}
		return n
	}
	// c1 and c2 have the same owner.
	d := incDecode(t, e.iGet("/api/v1/clients?include=owner", e.admin))
	if n := count(d, "users:"+w.admin); n != 1 {
		t.Errorf("the owner of two clients is %d times in included: %s", n, d.body)
	}
	// m1 is c1's salesperson, c2's case manager and c3's owner; owner named twice.
	d = incDecode(t, e.iGet("/api/v1/clients?include=owner,salesperson,case_manager,owner", e.admin))
	if n := count(d, "users:"+w.m1); n != 1 {
		t.Errorf("a user of three relationships is %d times in included: %s", n, d.body)
	}
	if got := d.includedKeys(); !maps.Equal(got, incSet("users:"+w.admin, "users:"+w.m1, "users:"+w.m2)) {
		t.Errorf("included %v", incSorted(got))
	}
	// Two contacts of c1: their client once; main_contact and contacts overlap.
	d = incDecode(t, e.iGet("/api/v1/contacts?include=client,client.main_contact,client.contacts", e.admin))
	if n := count(d, "clients:"+w.c1); n != 1 {
		t.Errorf("the client of two contacts is %d times in included: %s", n, d.body)
	}
	if got := d.includedKeys(); !maps.Equal(got, incSet("clients:"+w.c1, "clients:"+w.c2)) {
		t.Errorf("contacts' clients and the clients' contacts: included %v, want only the clients (the contacts are the primary data)", incSorted(got))
	}
	d = incDecode(t, e.iGet("/api/v1/clients/"+w.c1+"?include=main_contact,contacts", e.admin))
	if n := count(d, "contacts:"+w.main[w.c1]); n != 1 {
		t.Errorf("the main contact, also one of the contacts, is %d times in included: %s", n, d.body)
	}
}

// tokens?include=user includes the tokens' users: all of the company's for
// an admin, only the member for a member.
func TestIncludeTokenUser(t *testing.T) { forEachEngine(t, testIncludeTokenUser) }

func testIncludeTokenUser(t *testing.T, open openStore) {
	w := incNewWorld(t, open)
	e := w.e
	d := incDecode(t, e.iGet("/api/v1/tokens?include=user", e.admin))
	if got := d.includedKeys(); !maps.Equal(got, incSet("users:"+w.admin, "users:"+w.m1)) {
		t.Errorf("admin's tokens?include=user: included %v, want the admin and m1", incSorted(got))
	}
	d = incDecode(t, e.iGet("/api/v1/tokens/"+w.m1TokenID+"?include=user", e.admin))
	if got := d.includedKeys(); !maps.Equal(got, incSet("users:"+w.m1)) {
		t.Errorf("tokens/{m1's}?include=user: included %v, want m1", incSorted(got))
	}
	if a := d.included[0]["attributes"].(map[string]any); a["email"] != "m1@acme.example" {
		t.Errorf("included user's attributes %v", a)
	}
	d = incDecode(t, e.iGet("/api/v1/tokens?include=user", w.m1Token))
	if got := d.includedKeys(); !maps.Equal(got, incSet("users:"+w.m1)) {
		t.Errorf("member's tokens?include=user: included %v, want only the member", incSorted(got))
	}
	e.do("GET", "/api/v1/tokens?include=owner", e.admin, nil).wantError(http.StatusBadRequest, "invalid_include", "?include")
}

// include and fields survive paging: links.next repeats them, and each page
// includes what its own resources name.
func TestIncludePagination(t *testing.T) { forEachEngine(t, testIncludePagination) }

func testIncludePagination(t *testing.T, open openStore) {
	w := incNewWorld(t, open)
	e := w.e
	path := "/api/v1/clients?include=contacts,owner&fields[clients]=name,contacts&fields[users]=email&page[size]=1"
	want := []struct {
		client   string
		included map[string]bool
	}{
		{w.c1, incSet("contacts:"+w.contacts[w.c1][0], "contacts:"+w.contacts[w.c1][1], "users:"+w.admin)},
		{w.c2, incSet("contacts:"+w.contacts[w.c2][0], "users:"+w.admin)},
		{w.c3, incSet("users:" + w.m1)},
	}
	for i, page := range want {
		r := e.iGet(path, e.admin)
		d := incDecode(t, r)
		if ids := d.primaryIDs(); len(ids) != 1 || ids[0] != page.client {
			t.Fatalf("page %d: data %v, want [%s]", i+1, ids, page.client)
		}
		if got := d.includedKeys(); !maps.Equal(got, page.included) {
			t.Errorf("page %d: included %v, want %v", i+1, incSorted(got), incSorted(page.included))
		}
		w.checkLinkage(t, d, true, false) // locations: not in the fieldset
		if a := d.primary[0]["attributes"].(map[string]any); len(a) != 1 || a["name"] == nil {
			t.Errorf("page %d: fields[clients]=name,contacts rendered attributes %v", i+1, a)
		}
		for _, res := range d.included {
			if a := res["attributes"].(map[string]any); res["type"] == "users" && (len(a) != 1 || a["email"] == nil) {
				t.Errorf("page %d: fields[users]=email rendered %v", i+1, a)
			}
		}
		next := iNext(r)
		if i == len(want)-1 {
			if next != "" {
				t.Errorf("last page has links.next %q", next)
			}
			break
		}
		u, err := url.Parse(next)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		if q.Get("include") != "contacts,owner" || q.Get("fields[clients]") != "name,contacts" ||
			q.Get("fields[users]") != "email" || q.Get("page[size]") != "1" || q.Get("page[after]") == "" {
			t.Fatalf("page %d: links.next %q lost a parameter", i+1, next)
		}
		path = e.iPath(next)
	}
}

// Nothing of another company is ever included, whatever the paths, and a
// company sees only its own records through include.
func TestIncludeTenancy(t *testing.T) { forEachEngine(t, testIncludeTenancy) }

func testIncludeTenancy(t *testing.T, open openStore) {
	w := incNewWorld(t, open)
	e := w.e
	all := "?include=" + strings.Join(incClientPaths, ",")
	allChild := "?include=" + strings.Join(incChildPaths(), ",")
	for _, path := range []string{"/api/v1/clients" + all, "/api/v1/clients/" + w.c1 + all, "/api/v1/contacts" + allChild,
		"/api/v1/locations" + allChild, "/api/v1/tokens?include=user", "/api/v1/contacts/" + w.main[w.c2] + allChild} {
		for k := range incDecode(t, e.iGet(path, e.admin)).includedKeys() {
			if w.otherKeys[k] {
				t.Errorf("acme's GET %s includes %s of the other company", path, k)
			}
		}
	}
	// The other company sees its own records only.
	for _, path := range []string{"/api/v1/clients" + all, "/api/v1/contacts" + allChild, "/api/v1/locations" + allChild,
		"/api/v1/tokens?include=user", "/api/v1/clients/" + w.otherClient + all} {
		d := incDecode(t, e.iGet(path, w.other))
		for _, res := range d.all() {
			if !w.otherKeys[incKey(res)] && res["type"] != "tokens" {
				t.Errorf("the other company's GET %s renders %s, not one of its records", path, incKey(res))
			}
		}
		if len(d.included) == 0 {
			t.Errorf("the other company's GET %s includes nothing: %s", path, d.body)
		}
	}
	// Another company's ids are not found, with or without include.
	for _, path := range []string{"/api/v1/clients/" + w.c1 + all, "/api/v1/contacts/" + w.main[w.c1] + "?include=client",
		"/api/v1/clients/" + w.c1 + "/contacts?include=client.owner", "/api/v1/locations/" + w.locations[w.c1][0] + "?include=client"} {
		e.do("GET", path, w.other, nil).wantError(http.StatusNotFound, "not_found", "")
	}
}

// Bad include paths and fieldsets are 400 naming the parameter, on lists and
// single resources; writes take neither.
func TestIncludeAndFieldsErrors(t *testing.T) { forEachEngine(t, testIncludeAndFieldsErrors) }

func testIncludeAndFieldsErrors(t *testing.T, open openStore) {
	w := incNewWorld(t, open)
	e := w.e
	cases := []struct {
		paths       []string
		query, code string
		param       string
	}{
		{[]string{"clients", "clients/" + w.c1}, "include=nothing", "invalid_include", "include"},
		{[]string{"clients", "clients/" + w.c1}, "include=client", "invalid_include", "include"},
		{[]string{"clients", "clients/" + w.c1}, "include=contacts.client", "invalid_include", "include"},
		{[]string{"clients", "clients/" + w.c1}, "include=Owner", "invalid_include", "include"},
		{[]string{"clients", "clients/" + w.c1}, "include=owner,,contacts", "invalid_include", "include"},
		{[]string{"clients", "clients/" + w.c1}, "include=owner,", "invalid_include", "include"},
		{[]string{"clients", "clients/" + w.c1}, "include=", "invalid_include", "include"},
		{[]string{"clients", "clients/" + w.c1}, "include=owner%20", "invalid_include", "include"},
		{[]string{"contacts", "contacts/" + w.main[w.c1], "clients/" + w.c1 + "/contacts"}, "include=owner", "invalid_include", "include"},
		{[]string{"contacts", "locations/" + w.locations[w.c1][0]}, "include=client.owner.client", "invalid_include", "include"},
		{[]string{"contacts", "locations"}, "include=client.", "invalid_include", "include"},
		{[]string{"contacts", "locations"}, "include=.owner", "invalid_include", "include"},
		{[]string{"contacts", "locations"}, "include=client.client", "invalid_include", "include"},
		{[]string{"contacts", "locations"}, "include=client.contacts.client", "invalid_include", "include"},
		{[]string{"users", "users/" + w.m1}, "include=tokens", "invalid_include", "include"},
		{[]string{"tokens", "tokens/" + w.m1TokenID}, "include=user.owner", "invalid_include", "include"},
		{[]string{"clients", "contacts/" + w.main[w.c1]}, "include=owner&include=contacts", "duplicate_parameter", "include"},
		{[]string{"clients", "clients/" + w.c1, "users"}, "fields[nope]=name", "invalid_fields", "fields[nope]"},
		{[]string{"clients", "clients/" + w.c1}, "fields[client]=name", "invalid_fields", "fields[client]"},
		{[]string{"clients", "tokens"}, "fields[companies]=name", "invalid_fields", "fields[companies]"},
		{[]string{"clients", "clients/" + w.c1}, "fields[clients]=shoe_size", "invalid_fields", "fields[clients]"},
		{[]string{"clients", "clients/" + w.c1}, "fields[clients]=name,,email", "invalid_fields", "fields[clients]"},
		{[]string{"clients", "contacts"}, "fields[contacts]=owner", "invalid_fields", "fields[contacts]"},
		{[]string{"locations/" + w.locations[w.c1][0]}, "fields[locations]=address", "invalid_fields", "fields[locations]"},
		{[]string{"tokens", "users/" + w.m1}, "fields[users]=password", "invalid_fields", "fields[users]"},
		{[]string{"clients", "clients/" + w.c1}, "fields[clients]=name&fields[clients]=email", "duplicate_parameter", "fields[clients]"},
		{[]string{"clients", "clients/" + w.c1}, "fields=name", "unknown_parameter", "fields"},
		{[]string{"clients/" + w.c1}, "fields[clients=name", "unknown_parameter", "fields[clients"},
	}
	for _, c := range cases {
		for _, p := range c.paths {
			t.Run(p+"?"+c.query, func(t *testing.T) {
				e.iWith(t).do("GET", "/api/v1/"+p+"?"+c.query, e.admin, nil).wantError(http.StatusBadRequest, c.code, "?"+c.param)
			})
		}
	}
	// Every bad path is reported, each naming include.
	r := e.do("GET", "/api/v1/clients?include=nope,owner,client.owner", e.admin, nil).want(http.StatusBadRequest)
	if errs := r.errors(); len(errs) != 2 {
		t.Errorf("two bad paths gave %d errors: %s", len(errs), r.Body)
	}
	r = e.do("GET", "/api/v1/clients?fields[clients]=nope,name,nix&fields[users]=email&fields[x]=", e.admin, nil).want(http.StatusBadRequest)
	if got, want := iProblems(r), []iProblem{{"400", "invalid_fields", "", "fields[clients]"}, {"400", "invalid_fields", "", "fields[clients]"},
		{"400", "invalid_fields", "", "fields[x]"}}; !slices.Equal(got, want) {
		t.Errorf("bad fieldsets gave %v, want %v", got, want)
	}
	// A bad include is 400 before a missing record is 404.
	e.do("GET", "/api/v1/clients/999999?include=nope", e.admin, nil).wantError(http.StatusBadRequest, "invalid_include", "?include")
	// Writes take neither parameter, and change nothing.
	before := e.snapshot("/api/v1/clients", e.admin)
	e.do("POST", "/api/v1/clients?include=owner", e.admin, resourceDoc("clients", map[string]any{"name": "X"}, nil)).
		wantError(http.StatusBadRequest, "unknown_parameter", "?include")
	e.do("PATCH", "/api/v1/clients/"+w.c1+"?fields[clients]=name", e.admin, resourceDoc("clients", map[string]any{"name": "X"}, nil)).
		wantError(http.StatusBadRequest, "unknown_parameter", "?fields[clients]")
	if after := e.snapshot("/api/v1/clients", e.admin); after != before {
		t.Errorf("a rejected write changed the clients")
	}
	// An empty fieldset is allowed: no attributes, no relationships.
	d := incDecode(t, e.iGet("/api/v1/clients/"+w.c1+"?fields[clients]=", e.admin))
	if _, ok := d.primary[0]["attributes"]; ok {
		t.Errorf("fields[clients]= rendered attributes: %s", d.body)
	}
	if _, ok := d.primary[0]["relationships"]; ok {
		t.Errorf("fields[clients]= rendered relationships: %s", d.body)
	}
}

// fields[type] keeps the named attributes and relationships of every
// resource of the type, primary or included, in document order.
func TestSparseFieldsets(t *testing.T) { forEachEngine(t, testSparseFieldsets) }

func testSparseFieldsets(t *testing.T, open openStore) {
	w := incNewWorld(t, open)
	e := w.e
	members := func(m any) []string {
		obj, _ := m.(map[string]any)
		return slices.Sorted(maps.Keys(obj))
	}
	check := func(what string, res map[string]any, attrs, rels []string) {
		t.Helper()
		if got := members(res["attributes"]); !slices.Equal(got, attrs) {
			t.Errorf("%s: attributes %v, want %v", what, got, attrs)
		}
		if got := members(res["relationships"]); !slices.Equal(got, rels) {
			t.Errorf("%s: relationships %v, want %v", what, got, rels)
		}
		if res["id"] == nil || res["type"] == nil || res["links"] == nil {
			t.Errorf("%s: type, id or links missing: %v", what, res)
		}
	}
	r := e.iGet("/api/v1/clients/"+w.c1+"?fields[clients]=owner,name,address", e.admin)
	d := incDecode(t, r)
	check("client", d.primary[0], []string{"address", "name"}, []string{"owner"})
	if body := string(r.Body); !strings.Contains(body, `"attributes":{"name":"One","address":{`) {
		t.Errorf("sparse attributes not in document order: %s", body)
	}
	if d.primary[0]["attributes"].(map[string]any)["name"] != "One" || iItemRel(d.primary[0], "owner") != w.admin {
		t.Errorf("sparse client values: %s", r.Body)
	}

	d = incDecode(t, e.iGet("/api/v1/clients?fields[clients]=name&include=contacts,owner&fields[contacts]=first_name,client", e.admin))
	for _, res := range d.primary {
		check("listed client", res, []string{"name"}, nil)
	}
	for _, res := range d.included {
		switch res["type"] {
		case "contacts":
			check("included contact", res, []string{"first_name"}, []string{"client"})
		case "users":
			check("included user without a fieldset", res, []string{"created_at", "email", "full_name", "role", "updated_at"}, nil)
		}
	}
	if len(d.included) != 5 { // 3 contacts, 2 owners
		t.Errorf("a fieldset without the contacts relationship still includes the contacts: got %d included", len(d.included))
	}

	// Type-wide: included clients follow fields[clients]; an embedded address member.
	d = incDecode(t, e.iGet("/api/v1/locations?include=client.locations&fields[clients]=locations&fields[locations]=city,country", e.admin))
	for _, res := range d.primary {
		check("listed location", res, []string{"city", "country"}, nil)
	}
	for _, res := range d.included {
		check("included client", res, nil, []string{"locations"})
	}
	w.checkLinkage(t, incDoc{t: t, body: d.body, included: d.included}, false, true)

	d = incDecode(t, e.iGet("/api/v1/tokens?include=user&fields[tokens]=user&fields[users]=full_name", e.admin))
	for _, res := range d.primary {
		check("token", res, nil, []string{"user"})
	}
	for _, res := range d.included {
		check("included user", res, []string{"full_name"}, nil)
	}
	d = incDecode(t, e.iGet("/api/v1/users/"+w.m1+"?fields[users]=role,email", e.admin))
	check("user", d.primary[0], []string{"email", "role"}, nil)
	if _, ok := d.raw["included"]; ok {
		t.Errorf("fields without include rendered an included member: %s", d.body)
	}
}

// incCounter wraps a Store: every Tx method call is recorded, by transaction.
type incCounter struct {
	clientele.Store
	mu  sync.Mutex
	txs []*incTxLog
}

// incTxLog is one transaction's calls, in order.
type incTxLog struct {
	write bool
	calls []string
}

func (s *incCounter) Read(ctx context.Context, fn func(clientele.Tx) error) error {
	return s.Store.Read(ctx, func(tx clientele.Tx) error { return fn(s.wrap(tx, false)) })
}

func (s *incCounter) Write(ctx context.Context, fn func(clientele.Tx) error) error {
	return s.Store.Write(ctx, func(tx clientele.Tx) error { return fn(s.wrap(tx, true)) })
}

func (s *incCounter) wrap(tx clientele.Tx, write bool) incTx {
	log := &incTxLog{write: write}
	s.mu.Lock()
	s.txs = append(s.txs, log)
	s.mu.Unlock()
	return incTx{tx: tx, s: s, log: log}
}

// take returns the transactions recorded since the last take.
func (s *incCounter) take() []*incTxLog {
	s.mu.Lock()
	defer s.mu.Unlock()
	txs := s.txs
	s.txs = nil
	return txs
}

// incTx is a Tx that records each call; it implements every method itself
// (no embedding), so that no call goes uncounted.
type incTx struct {
	tx  clientele.Tx
	s   *incCounter
	log *incTxLog
}

func (x incTx) count(method string) {
	x.s.mu.Lock()
	x.log.calls = append(x.log.calls, method)
	x.s.mu.Unlock()
}

var _ clientele.Tx = incTx{}

func (x incTx) CreateCompany(ctx context.Context, c *clientele.Company) error {
	x.count("CreateCompany")
	return x.tx.CreateCompany(ctx, c)
}

func (x incTx) Company(ctx context.Context, id int64) (clientele.Company, error) {
	x.count("Company")
	return x.tx.Company(ctx, id)
}

func (x incTx) CompanyBySlug(ctx context.Context, slug string) (clientele.Company, error) {
	x.count("CompanyBySlug")
	return x.tx.CompanyBySlug(ctx, slug)
}

func (x incTx) UpdateCompany(ctx context.Context, c clientele.Company) error {
	x.count("UpdateCompany")
	return x.tx.UpdateCompany(ctx, c)
}

func (x incTx) HasCompanies(ctx context.Context) (bool, error) {
	x.count("HasCompanies")
	return x.tx.HasCompanies(ctx)
}

func (x incTx) CreateUser(ctx context.Context, u *clientele.User) error {
	x.count("CreateUser")
	return x.tx.CreateUser(ctx, u)
}

func (x incTx) User(ctx context.Context, companyID, id int64) (clientele.User, error) {
	x.count("User")
	return x.tx.User(ctx, companyID, id)
}

func (x incTx) UserByEmail(ctx context.Context, companyID int64, email string) (clientele.User, error) {
	x.count("UserByEmail")
	return x.tx.UserByEmail(ctx, companyID, email)
}

func (x incTx) Users(ctx context.Context, companyID int64, q clientele.UserQuery) ([]clientele.User, error) {
	x.count("Users")
	return x.tx.Users(ctx, companyID, q)
}

func (x incTx) UpdateUser(ctx context.Context, u clientele.User) error {
	x.count("UpdateUser")
	return x.tx.UpdateUser(ctx, u)
}

func (x incTx) DeleteUser(ctx context.Context, companyID, id int64, at time.Time) error {
	x.count("DeleteUser")
	return x.tx.DeleteUser(ctx, companyID, id, at)
}

func (x incTx) CountAdmins(ctx context.Context, companyID int64) (int, error) {
	x.count("CountAdmins")
	return x.tx.CountAdmins(ctx, companyID)
}

func (x incTx) CreateToken(ctx context.Context, t *clientele.Token) error {
	x.count("CreateToken")
	return x.tx.CreateToken(ctx, t)
}

func (x incTx) TokenByHash(ctx context.Context, hash []byte) (clientele.Token, error) {
	x.count("TokenByHash")
	return x.tx.TokenByHash(ctx, hash)
}

func (x incTx) Token(ctx context.Context, companyID, id int64) (clientele.Token, error) {
	x.count("Token")
	return x.tx.Token(ctx, companyID, id)
}

func (x incTx) Tokens(ctx context.Context, companyID int64, q clientele.TokenQuery) ([]clientele.Token, error) {
	x.count("Tokens")
	return x.tx.Tokens(ctx, companyID, q)
}

func (x incTx) DeleteToken(ctx context.Context, companyID, id int64) error {
	x.count("DeleteToken")
	return x.tx.DeleteToken(ctx, companyID, id)
}

func (x incTx) TouchToken(ctx context.Context, companyID, id int64, at time.Time) error {
	x.count("TouchToken")
	return x.tx.TouchToken(ctx, companyID, id, at)
}

func (x incTx) CreateClient(ctx context.Context, c *clientele.Client) error {
	x.count("CreateClient")
	return x.tx.CreateClient(ctx, c)
}

func (x incTx) Client(ctx context.Context, companyID, id int64) (clientele.Client, error) {
	x.count("Client")
	return x.tx.Client(ctx, companyID, id)
}

func (x incTx) Clients(ctx context.Context, companyID int64, q clientele.ClientQuery) ([]clientele.Client, error) {
	x.count("Clients")
	return x.tx.Clients(ctx, companyID, q)
}

func (x incTx) CountClients(ctx context.Context, companyID int64, q clientele.ClientQuery) (int, error) {
	x.count("CountClients")
	return x.tx.CountClients(ctx, companyID, q)
}

func (x incTx) UpdateClient(ctx context.Context, c clientele.Client) error {
	x.count("UpdateClient")
	return x.tx.UpdateClient(ctx, c)
}

func (x incTx) TouchClient(ctx context.Context, companyID, id int64, at time.Time) error {
	x.count("TouchClient")
	return x.tx.TouchClient(ctx, companyID, id, at)
}

func (x incTx) DeleteClient(ctx context.Context, companyID, id int64) error {
	x.count("DeleteClient")
	return x.tx.DeleteClient(ctx, companyID, id)
}

func (x incTx) LockClient(ctx context.Context, companyID, id int64) error {
	x.count("LockClient")
	return x.tx.LockClient(ctx, companyID, id)
}

func (x incTx) CreateLocation(ctx context.Context, l *clientele.Location) error {
	x.count("CreateLocation")
	return x.tx.CreateLocation(ctx, l)
}

func (x incTx) Location(ctx context.Context, companyID, id int64) (clientele.Location, error) {
	x.count("Location")
	return x.tx.Location(ctx, companyID, id)
}

func (x incTx) PrimaryLocation(ctx context.Context, companyID, clientID int64) (clientele.Location, error) {
	x.count("PrimaryLocation")
	return x.tx.PrimaryLocation(ctx, companyID, clientID)
}

func (x incTx) Locations(ctx context.Context, companyID int64, q clientele.LocationQuery) ([]clientele.Location, error) {
	x.count("Locations")
	return x.tx.Locations(ctx, companyID, q)
}

func (x incTx) CountLocations(ctx context.Context, companyID int64, q clientele.LocationQuery) (int, error) {
	x.count("CountLocations")
	return x.tx.CountLocations(ctx, companyID, q)
}

func (x incTx) UpdateLocation(ctx context.Context, l clientele.Location) error {
	x.count("UpdateLocation")
	return x.tx.UpdateLocation(ctx, l)
}

func (x incTx) DeleteLocation(ctx context.Context, companyID, id int64) error {
	x.count("DeleteLocation")
	return x.tx.DeleteLocation(ctx, companyID, id)
}

func (x incTx) ClearPrimaryLocation(ctx context.Context, companyID, clientID int64, at time.Time) error {
	x.count("ClearPrimaryLocation")
	return x.tx.ClearPrimaryLocation(ctx, companyID, clientID, at)
}

func (x incTx) CreateContact(ctx context.Context, c *clientele.Contact) error {
	x.count("CreateContact")
	return x.tx.CreateContact(ctx, c)
}

func (x incTx) Contact(ctx context.Context, companyID, id int64) (clientele.Contact, error) {
	x.count("Contact")
	return x.tx.Contact(ctx, companyID, id)
}

func (x incTx) Contacts(ctx context.Context, companyID int64, q clientele.ContactQuery) ([]clientele.Contact, error) {
	x.count("Contacts")
	return x.tx.Contacts(ctx, companyID, q)
}

func (x incTx) CountContacts(ctx context.Context, companyID int64, q clientele.ContactQuery) (int, error) {
	x.count("CountContacts")
	return x.tx.CountContacts(ctx, companyID, q)
}

func (x incTx) UpdateContact(ctx context.Context, c clientele.Contact) error {
	x.count("UpdateContact")
	return x.tx.UpdateContact(ctx, c)
}

func (x incTx) DeleteContact(ctx context.Context, companyID, id int64) error {
	x.count("DeleteContact")
	return x.tx.DeleteContact(ctx, companyID, id)
}

func (x incTx) ClearMainContact(ctx context.Context, companyID, clientID int64, at time.Time) error {
	x.count("ClearMainContact")
	return x.tx.ClearMainContact(ctx, companyID, clientID, at)
}

// incCounted runs a test over a store wrapped in an incCounter.
func incCounted(open openStore) (openStore, func() *incCounter) {
	var c *incCounter
	return func(tb testing.TB) clientele.Store {
		c = &incCounter{Store: open(tb)}
		return c
	}, func() *incCounter { return c }
}

// incDataTx returns the one transaction of txs that reads the primary data
// (calls method), and fails unless it is a read.
func incDataTx(t *testing.T, txs []*incTxLog, method string) *incTxLog {
	t.Helper()
	var found *incTxLog
	for _, tx := range txs {
		if slices.Contains(tx.calls, method) {
			if found != nil {
				t.Fatalf("two transactions call %s", method)
			}
			found = tx
		}
	}
	if found == nil || found.write {
		t.Fatalf("no read transaction calls %s", method)
	}
	return found
}

func incCalls(txs []*incTxLog) int {
	n := 0
	for _, tx := range txs {
		n += len(tx.calls)
	}
	return n
}

// A list with includes costs the same number of store calls whatever its
// size: one for the page and one per relationship, all in the page's read
// transaction, never one per row.
func TestIncludeQueryCount(t *testing.T) { forEachEngine(t, testIncludeQueryCount) }

func testIncludeQueryCount(t *testing.T, open openStore) {
	counted, counter := incCounted(open)
	e := newEnv(t, counted)
	ctx := context.Background()
	a, err := e.svc.Authenticate(ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	member := e.iUser(e.admin, "m@acme.example", "member")
	var memberID int64
	fmt.Sscan(member, &memberID)
	str := func(s string) *string { return &s }
	const clients, perClient = 50, 3
	for i := range clients {
		in := clientele.ClientInput{Name: str(fmt.Sprint("Client ", i))}
		if i%2 == 1 {
			in.OwnerID = &memberID
		}
		c, err := e.svc.CreateClient(ctx, a, in)
		if err != nil {
			t.Fatal(err)
		}
		for j := range perClient {
			if _, err := e.svc.CreateContact(ctx, a, clientele.ContactInput{ClientID: &c.ID, FirstName: str(fmt.Sprint("K", j))}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.CreateLocation(ctx, a, clientele.LocationInput{ClientID: &c.ID, Country: str("DE")}); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.iGet("/api/v1/clients", e.admin) // the token's last_used_at is fresh from here on
	counter().take()

	get := func(path string, wantData, wantIncluded int) []*incTxLog {
		t.Helper()
		start := time.Now()
		d := incDecode(t, e.iGet(path, e.admin))
		if len(d.primary) != wantData || len(d.included) != wantIncluded {
			t.Errorf("GET %s: %d resources, %d included; want %d and %d", path, len(d.primary), len(d.included), wantData, wantIncluded)
		}
		txs := counter().take()
		t.Logf("GET %s: %d store calls in %d transactions, %d included, %s", path, incCalls(txs), len(txs), len(d.included), time.Since(start))
		return txs
	}
	const q = "/api/v1/clients?include=contacts,locations,owner,main_contact&page[size]="
	small := get(q+"5", 5, 5*2*perClient+2) // every client's contacts and locations, and the two owners
	large := get(q+"50", 50, 50*2*perClient+2)
	if incCalls(small) != incCalls(large) || len(small) != len(large) {
		t.Errorf("page[size]=5: %d calls in %d transactions; page[size]=50: %d calls in %d transactions",
			incCalls(small), len(small), incCalls(large), len(large))
	}
	for _, txs := range [][]*incTxLog{small, large} {
		data := incDataTx(t, txs, "Clients")
		if want := []string{"Clients", "Contacts", "Locations", "Users"}; !slices.Equal(data.calls, want) {
			t.Errorf("the page's transaction calls %v, want %v (main contacts come with the contacts)", data.calls, want)
		}
		if len(txs) != 2 {
			t.Errorf("%d transactions, want 2: authentication and the page", len(txs))
		}
	}

	// Without include: the page alone.
	data := incDataTx(t, get("/api/v1/clients?page[size]=50", 50, 0), "Clients")
	if !slices.Equal(data.calls, []string{"Clients"}) {
		t.Errorf("without include the page's transaction calls %v", data.calls)
	}
	// Two levels: the contacts, their clients, those clients' users.
	for _, size := range []int{5, 100} {
		data = incDataTx(t, get(fmt.Sprintf("/api/v1/contacts?include=client.owner,client.salesperson&page[size]=%d", size),
			size, (size+perClient-1)/perClient+min(2, (size+perClient-1)/perClient)), "Contacts")
		if want := []string{"Contacts", "Clients", "Users"}; !slices.Equal(data.calls, want) {
			t.Errorf("contacts?include=client.owner: the page's transaction calls %v, want %v", data.calls, want)
		}
	}
	// A single client: the client and one call per relationship.
	c1 := incDecode(t, e.iGet("/api/v1/clients?page[size]=1", e.admin)).primaryIDs()[0]
	counter().take()
	data = incDataTx(t, get("/api/v1/clients/"+c1+"?include=contacts,locations,owner,salesperson,case_manager,main_contact", 1, 2*perClient+1), "Client")
	if want := []string{"Client", "Contacts", "Locations", "Users"}; !slices.Equal(data.calls, want) {
		t.Errorf("clients/{id} with every include: the transaction calls %v, want %v", data.calls, want)
	}
	// The related collection: the client check, the page, one call per relationship.
	data = incDataTx(t, get("/api/v1/clients/"+c1+"/contacts?include=client.locations", perClient, 1+perClient), "Contacts")
	if want := []string{"Client", "Contacts", "Clients", "Locations"}; !slices.Equal(data.calls, want) {
		t.Errorf("clients/{id}/contacts?include=client.locations: the transaction calls %v, want %v", data.calls, want)
	}
}

func (x incTx) IdempotencyKey(ctx context.Context, companyID int64, key []byte) (clientele.IdempotencyKey, error) {
	x.count("IdempotencyKey")
	return x.tx.IdempotencyKey(ctx, companyID, key)
}

func (x incTx) PutIdempotencyKey(ctx context.Context, k clientele.IdempotencyKey) error {
	x.count("PutIdempotencyKey")
	return x.tx.PutIdempotencyKey(ctx, k)
}

func (x incTx) DeleteIdempotencyKey(ctx context.Context, companyID int64, key []byte) error {
	x.count("DeleteIdempotencyKey")
	return x.tx.DeleteIdempotencyKey(ctx, companyID, key)
}

func (x incTx) DeleteIdempotencyKeys(ctx context.Context, before time.Time) (int, error) {
	x.count("DeleteIdempotencyKeys")
	return x.tx.DeleteIdempotencyKeys(ctx, before)
}
