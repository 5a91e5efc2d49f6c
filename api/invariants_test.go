package api_test

// The invariants of the contract (API.md §3), each observed through HTTP only:
// one primary location and one main contact per client, a client's address
// as its primary location, what deleting takes along, the user
// relationships of a client, timestamps, Location headers and the related
// collections with their paging.

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// iPrimaries returns the locations among ids whose GET says is_primary.
func (e *env) iPrimaries(ids ...string) []string {
	e.t.Helper()
	var out []string
	for _, id := range ids {
		v := e.iGet("/api/v1/locations/"+id, e.admin).attrs()["is_primary"]
		switch v {
		case true:
			out = append(out, id)
		case false:
		default:
			e.t.Errorf("location %s: is_primary = %#v, want a boolean", id, v)
		}
	}
	return out
}

// iMains returns the contacts among ids whose GET says is_main.
func (e *env) iMains(ids ...string) []string {
	e.t.Helper()
	var out []string
	for _, id := range ids {
		v := e.iGet("/api/v1/contacts/"+id, e.admin).attrs()["is_main"]
		switch v {
		case true:
			out = append(out, id)
		case false:
		default:
			e.t.Errorf("contact %s: is_main = %#v, want a boolean", id, v)
		}
	}
	return out
}

// iClientAddress returns the address a GET of the client shows (nil when null).
func (e *env) iClientAddress(client string) map[string]any {
	e.t.Helper()
	return iAddress(e.iGet("/api/v1/clients/"+client, e.admin))
}

// iMainContact returns the client's main_contact relationship ("" when null).
func (e *env) iMainContact(client string) string {
	e.t.Helper()
	return e.iGet("/api/v1/clients/"+client, e.admin).relID("main_contact")
}

func iWantIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if got == nil {
		got = []string{}
	}
	if !slices.Equal(iSortIDs(got), iSortIDs(want)) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestInvariantPrimaryLocation(t *testing.T) { forEachEngine(t, testInvariantPrimaryLocation) }

func testInvariantPrimaryLocation(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	c := e.createClient(e.admin, map[string]any{"name": "Primary GmbH"})
	if a := e.iClientAddress(c); a != nil {
		t.Fatalf("new client without address has address %v", a)
	}

	// The first location becomes primary and is the client's address.
	l1 := e.createLocation(e.admin, c, map[string]any{"country": "DE", "city": "Berlin"})
	iWantIDs(t, "primary after the first location", e.iPrimaries(l1), l1)
	if a := e.iClientAddress(c); a == nil || a["city"] != "Berlin" || a["country"] != "DE" {
		t.Errorf("client address after the first location = %v, want Berlin, DE", a)
	}

	// A second one without is_primary does not become primary.
	l2 := e.createLocation(e.admin, c, map[string]any{"country": "FR", "city": "Paris"})
	iWantIDs(t, "primary after a second location", e.iPrimaries(l1, l2), l1)
	if a := e.iClientAddress(c); a == nil || a["city"] != "Berlin" {
		t.Errorf("client address after a second location = %v, want Berlin", a)
	}

	// A second one with is_primary:false does not either.
	l3 := e.createLocation(e.admin, c, map[string]any{"country": "AT", "city": "Wien", "is_primary": false})
	iWantIDs(t, "primary after an is_primary:false location", e.iPrimaries(l1, l2, l3), l1)

	// One with is_primary:true takes it: exactly one primary remains.
	l4 := e.createLocation(e.admin, c, map[string]any{"country": "NL", "city": "Amsterdam", "is_primary": true})
	iWantIDs(t, "primary after an is_primary:true location", e.iPrimaries(l1, l2, l3, l4), l4)
	if a := e.iClientAddress(c); a == nil || a["city"] != "Amsterdam" || a["country"] != "NL" {
		t.Errorf("client address after an is_primary:true location = %v, want Amsterdam, NL", a)
	}

	// PATCH is_primary:true switches.
	r := e.do("PATCH", "/api/v1/locations/"+l2, e.admin, resourceDoc("locations", map[string]any{"is_primary": true}, nil)).
		want(http.StatusOK)
	if r.attrs()["is_primary"] != true {
		t.Errorf("PATCH is_primary:true answered is_primary %v", r.attrs()["is_primary"])
	}
	iWantIDs(t, "primary after PATCH is_primary:true", e.iPrimaries(l1, l2, l3, l4), l2)
	if a := e.iClientAddress(c); a == nil || a["city"] != "Paris" || a["country"] != "FR" {
		t.Errorf("client address after PATCH is_primary:true = %v, want Paris, FR", a)
	}
	// The list of the client's locations agrees.
	var listed []string
	for _, it := range iItems(e.iGet("/api/v1/clients/"+c+"/locations", e.admin)) {
		if it["attributes"].(map[string]any)["is_primary"] == true {
			listed = append(listed, it["id"].(string))
		}
	}
	iWantIDs(t, "primary in /clients/{id}/locations", listed, l2)

	// PATCH is_primary:true of the primary one changes nothing else.
	e.do("PATCH", "/api/v1/locations/"+l2, e.admin, resourceDoc("locations", map[string]any{"is_primary": true}, nil)).
		want(http.StatusOK)
	iWantIDs(t, "primary after repeating is_primary:true", e.iPrimaries(l1, l2, l3, l4), l2)

	// Deleting the primary leaves the client without an address.
	e.do("DELETE", "/api/v1/locations/"+l2, e.admin, nil).want(http.StatusNoContent)
	e.do("GET", "/api/v1/locations/"+l2, e.admin, nil).want(http.StatusNotFound)
	if a := e.iClientAddress(c); a != nil {
		t.Errorf("client address after deleting the primary location = %v, want null", a)
	}
	iWantIDs(t, "primary after deleting the primary location", e.iPrimaries(l1, l3, l4))

	// Another client's locations are not touched by any of this.
	other := e.createClient(e.admin, map[string]any{"name": "Other", "address": map[string]any{"country": "IT", "city": "Roma"}})
	o2 := e.createLocation(e.admin, other, map[string]any{"country": "IT", "city": "Milano", "is_primary": true})
	iWantIDs(t, "primary of the first client after another's is_primary:true", e.iPrimaries(l1, l3, l4))
	if a := e.iClientAddress(other); a == nil || a["city"] != "Milano" {
		t.Errorf("other client address = %v, want Milano", a)
	}
	_ = o2

	// PATCH is_primary:false on the primary leaves none.
	e.do("PATCH", "/api/v1/locations/"+o2, e.admin, resourceDoc("locations", map[string]any{"is_primary": false}, nil)).
		want(http.StatusOK)
	if a := e.iClientAddress(other); a != nil {
		t.Errorf("client address after PATCH is_primary:false of its primary = %v, want null", a)
	}
}

func TestInvariantClientAddress(t *testing.T) { forEachEngine(t, testInvariantClientAddress) }

func testInvariantClientAddress(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	addr := map[string]any{"street": "Hauptstraße", "house_number": "1a", "address_line_2": "Hinterhaus",
		"address_line_3": "3. OG", "postal_code": "10115", "city": "Berlin", "region": "Berlin",
		"country": "de", "recipient": "Buchhaltung"}
	cr := e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "Addr AG", "address": addr}, nil)).
		want(http.StatusCreated)
	c := cr.id()
	if a := iAddress(cr); a == nil || a["country"] != "DE" || a["street"] != "Hauptstraße" {
		t.Errorf("address in the create answer = %v", a)
	}

	// The address is a primary location named "Main location".
	items := iItems(e.iGet("/api/v1/clients/"+c+"/locations", e.admin))
	if len(items) != 1 {
		t.Fatalf("client created with an address has %d locations, want 1", len(items))
	}
	loc := items[0]["id"].(string)
	la := e.iGet("/api/v1/locations/"+loc, e.admin)
	want := map[string]any{"name": "Main location", "is_primary": true, "street": "Hauptstraße", "house_number": "1a",
		"address_line_2": "Hinterhaus", "address_line_3": "3. OG", "postal_code": "10115", "city": "Berlin",
		"region": "Berlin", "country": "DE", "recipient": "Buchhaltung"}
	for k, v := range want {
		if got := la.attrs()[k]; got != v {
			t.Errorf("main location %s = %#v, want %#v", k, got, v)
		}
	}
	if la.relID("client") != c {
		t.Errorf("main location's client = %q, want %q", la.relID("client"), c)
	}

	// PATCH address replaces the whole address of that same location.
	e.do("PATCH", "/api/v1/clients/"+c, e.admin, resourceDoc("clients",
		map[string]any{"address": map[string]any{"city": "Hamburg", "country": "DE"}}, nil)).want(http.StatusOK)
	items = iItems(e.iGet("/api/v1/clients/"+c+"/locations", e.admin))
	if len(items) != 1 || items[0]["id"] != loc {
		t.Fatalf("after PATCH address the client's locations are %v, want only %s", items, loc)
	}
	la = e.iGet("/api/v1/locations/"+loc, e.admin)
	for _, k := range []string{"street", "house_number", "address_line_2", "address_line_3", "postal_code", "region", "recipient"} {
		if got := la.attrs()[k]; got != nil {
			t.Errorf("after PATCH address without %s the location's %s = %#v, want null", k, k, got)
		}
	}
	if la.attrs()["city"] != "Hamburg" || la.attrs()["country"] != "DE" || la.attrs()["is_primary"] != true ||
		la.attrs()["name"] != "Main location" {
		t.Errorf("after PATCH address the location is %v", la.attrs())
	}
	ca := e.iClientAddress(c)
	if ca == nil || ca["city"] != "Hamburg" || ca["street"] != nil || ca["postal_code"] != nil {
		t.Errorf("after PATCH address the client address = %v", ca)
	}

	// PATCH of the primary location's fields changes the client's address.
	e.do("PATCH", "/api/v1/locations/"+loc, e.admin, resourceDoc("locations",
		map[string]any{"street": "Elbchaussee", "postal_code": "22763", "country": "de"}, nil)).want(http.StatusOK)
	ca = e.iClientAddress(c)
	if ca == nil || ca["street"] != "Elbchaussee" || ca["postal_code"] != "22763" || ca["city"] != "Hamburg" || ca["country"] != "DE" {
		t.Errorf("after PATCH of the primary location the client address = %v", ca)
	}

	// A non-primary location's fields do not.
	side := e.createLocation(e.admin, c, map[string]any{"country": "DK", "city": "Aarhus"})
	e.do("PATCH", "/api/v1/locations/"+side, e.admin, resourceDoc("locations", map[string]any{"city": "Odense"}, nil)).
		want(http.StatusOK)
	if ca = e.iClientAddress(c); ca == nil || ca["city"] != "Hamburg" {
		t.Errorf("after PATCH of a non-primary location the client address = %v, want Hamburg", ca)
	}

	// address:null deletes the primary location (only that one).
	r := e.do("PATCH", "/api/v1/clients/"+c, e.admin, resourceDoc("clients", map[string]any{"address": nil}, nil)).
		want(http.StatusOK)
	if a := iAddress(r); a != nil {
		t.Errorf("PATCH address:null answered address %v", a)
	}
	e.do("GET", "/api/v1/locations/"+loc, e.admin, nil).want(http.StatusNotFound)
	iWantIDs(t, "locations after address:null", e.iGet("/api/v1/clients/"+c+"/locations", e.admin).list(), side)
	if ca = e.iClientAddress(c); ca != nil {
		t.Errorf("after address:null the client address = %v, want null", ca)
	}
	iWantIDs(t, "primary after address:null", e.iPrimaries(side))

	// An address on a client without a primary location creates one, primary,
	// named "Main location"; the other location stays as it was.
	e.do("PATCH", "/api/v1/clients/"+c, e.admin, resourceDoc("clients",
		map[string]any{"address": map[string]any{"city": "Köln", "country": "DE"}}, nil)).want(http.StatusOK)
	ids := e.iGet("/api/v1/clients/"+c+"/locations", e.admin).list()
	if len(ids) != 2 {
		t.Fatalf("after PATCH address on a client without primary it has locations %v, want 2", ids)
	}
	var created string
	for _, id := range ids {
		if id != side {
			created = id
		}
	}
	la = e.iGet("/api/v1/locations/"+created, e.admin)
	if la.attrs()["name"] != "Main location" || la.attrs()["city"] != "Köln" || la.attrs()["is_primary"] != true {
		t.Errorf("the location PATCH address created is %v", la.attrs())
	}
	iWantIDs(t, "primary after PATCH address", e.iPrimaries(side, created), created)

	// address:null on a client without address is fine and changes nothing.
	c2 := e.createClient(e.admin, map[string]any{"name": "No address"})
	e.do("PATCH", "/api/v1/clients/"+c2, e.admin, resourceDoc("clients", map[string]any{"address": nil}, nil)).
		want(http.StatusOK)

	// PATCH address keeps what is not address: the primary location's name,
	// e-mail, phone, notes and created_at.
	hq := e.createClient(e.admin, map[string]any{"name": "HQ client"})
	hqLoc := e.createLocation(e.admin, hq, map[string]any{"name": "HQ", "country": "CH", "city": "Zürich",
		"email": "hq@example.com", "phone": "+41 44 123 45 67", "notes": "ring twice"})
	hqBefore := e.iGet("/api/v1/locations/"+hqLoc, e.admin).attrs()
	time.Sleep(3 * time.Millisecond)
	e.do("PATCH", "/api/v1/clients/"+hq, e.admin, resourceDoc("clients",
		map[string]any{"address": map[string]any{"city": "Genève", "country": "ch"}}, nil)).want(http.StatusOK)
	hqAfter := e.iGet("/api/v1/locations/"+hqLoc, e.admin).attrs()
	for _, k := range []string{"name", "email", "phone", "notes", "created_at", "is_primary"} {
		if hqAfter[k] != hqBefore[k] {
			t.Errorf("PATCH address changed the primary location's %s from %#v to %#v", k, hqBefore[k], hqAfter[k])
		}
	}
	if hqAfter["city"] != "Genève" || hqAfter["country"] != "CH" || hqAfter["updated_at"] == hqBefore["updated_at"] {
		t.Errorf("after PATCH address the primary location is %v", hqAfter)
	}
	iWantIDs(t, "locations after PATCH address of a client with a primary", e.iGet("/api/v1/clients/"+hq+"/locations", e.admin).list(), hqLoc)

	// An address without country is rejected and creates nothing.
	clients := e.snapshot("/api/v1/clients?page%5Bsize%5D=100", e.admin)
	locations := e.snapshot("/api/v1/locations?page%5Bsize%5D=100", e.admin)
	e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients",
		map[string]any{"name": "Bad", "address": map[string]any{"city": "Nowhere"}}, nil)).
		wantError(http.StatusUnprocessableEntity, "required", "/data/attributes/address/country")
	e.do("PATCH", "/api/v1/clients/"+hq, e.admin, resourceDoc("clients",
		map[string]any{"address": map[string]any{"city": "Nowhere"}}, nil)).
		wantError(http.StatusUnprocessableEntity, "required", "/data/attributes/address/country")
	if e.snapshot("/api/v1/clients?page%5Bsize%5D=100", e.admin) != clients ||
		e.snapshot("/api/v1/locations?page%5Bsize%5D=100", e.admin) != locations {
		t.Errorf("a rejected address changed clients or locations")
	}
}

func TestInvariantMainContact(t *testing.T) { forEachEngine(t, testInvariantMainContact) }

func testInvariantMainContact(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	c := e.createClient(e.admin, map[string]any{"name": "Main AG"})
	if m := e.iMainContact(c); m != "" {
		t.Fatalf("new client has main_contact %q", m)
	}

	k1 := e.createContact(e.admin, c, map[string]any{"first_name": "Anna"})
	iWantIDs(t, "main after the first contact", e.iMains(k1), k1)
	if m := e.iMainContact(c); m != k1 {
		t.Errorf("main_contact after the first contact = %q, want %q", m, k1)
	}

	k2 := e.createContact(e.admin, c, map[string]any{"first_name": "Bert"})
	iWantIDs(t, "main after a second contact", e.iMains(k1, k2), k1)
	if m := e.iMainContact(c); m != k1 {
		t.Errorf("main_contact after a second contact = %q, want %q", m, k1)
	}

	k3 := e.createContact(e.admin, c, map[string]any{"last_name": "Cäsar", "is_main": true})
	iWantIDs(t, "main after an is_main:true contact", e.iMains(k1, k2, k3), k3)
	if m := e.iMainContact(c); m != k3 {
		t.Errorf("main_contact after an is_main:true contact = %q, want %q", m, k3)
	}

	r := e.do("PATCH", "/api/v1/contacts/"+k2, e.admin, resourceDoc("contacts", map[string]any{"is_main": true}, nil)).
		want(http.StatusOK)
	if r.attrs()["is_main"] != true {
		t.Errorf("PATCH is_main:true answered is_main %v", r.attrs()["is_main"])
	}
	iWantIDs(t, "main after PATCH is_main:true", e.iMains(k1, k2, k3), k2)
	if m := e.iMainContact(c); m != k2 {
		t.Errorf("main_contact after PATCH is_main:true = %q, want %q", m, k2)
	}

	// Another client's contacts are independent.
	other := e.createClient(e.admin, map[string]any{"name": "Other"})
	o1 := e.createContact(e.admin, other, map[string]any{"first_name": "Olga"})
	iWantIDs(t, "main of the other client", e.iMains(o1), o1)
	iWantIDs(t, "main after another client's first contact", e.iMains(k1, k2, k3), k2)

	// Deleting the main contact leaves the client without one.
	e.do("DELETE", "/api/v1/contacts/"+k2, e.admin, nil).want(http.StatusNoContent)
	if m := e.iMainContact(c); m != "" {
		t.Errorf("main_contact after deleting the main contact = %q, want null", m)
	}
	iWantIDs(t, "main after deleting the main contact", e.iMains(k1, k3))

	// is_main:false on the main contact leaves none.
	e.do("PATCH", "/api/v1/contacts/"+k3, e.admin, resourceDoc("contacts", map[string]any{"is_main": true}, nil)).want(http.StatusOK)
	e.do("PATCH", "/api/v1/contacts/"+k3, e.admin, resourceDoc("contacts", map[string]any{"is_main": false}, nil)).want(http.StatusOK)
	if m := e.iMainContact(c); m != "" {
		t.Errorf("main_contact after is_main:false = %q, want null", m)
	}
}

func TestInvariantMoveContact(t *testing.T) { forEachEngine(t, testInvariantMoveContact) }

func testInvariantMoveContact(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	move := func(contact, client string, attrs map[string]any) *response {
		t.Helper()
		return e.do("PATCH", "/api/v1/contacts/"+contact, e.admin, resourceDoc("contacts", attrs,
			map[string]any{"client": ref("clients", client)}))
	}
	from := e.createClient(e.admin, map[string]any{"name": "From"})
	withMain := e.createClient(e.admin, map[string]any{"name": "With main"})
	empty := e.createClient(e.admin, map[string]any{"name": "Empty"})
	m2 := e.createContact(e.admin, withMain, map[string]any{"first_name": "Mia"})
	k := e.createContact(e.admin, from, map[string]any{"first_name": "Karl"})
	stay := e.createContact(e.admin, from, map[string]any{"first_name": "Stay"})

	// A main contact moved to a client with a main contact is no longer main.
	r := move(k, withMain, nil).want(http.StatusOK)
	if r.relID("client") != withMain || r.attrs()["is_main"] != false {
		t.Errorf("moved to a client with a main contact: client %q, is_main %v; want %s, false",
			r.relID("client"), r.attrs()["is_main"], withMain)
	}
	iWantIDs(t, "main of the new client", e.iMains(m2, k), m2)
	if m := e.iMainContact(withMain); m != m2 {
		t.Errorf("new client's main_contact = %q, want %q", m, m2)
	}
	if m := e.iMainContact(from); m != "" {
		t.Errorf("old client's main_contact after its main moved away = %q, want null", m)
	}
	iWantIDs(t, "contacts of the new client", e.iGet("/api/v1/clients/"+withMain+"/contacts", e.admin).list(), m2, k)
	iWantIDs(t, "contacts of the old client", e.iGet("/api/v1/clients/"+from+"/contacts", e.admin).list(), stay)
	if got := e.iGet("/api/v1/contacts/"+k, e.admin).relID("client"); got != withMain {
		t.Errorf("GET of the moved contact: client %q, want %q", got, withMain)
	}

	// A main contact moved to a client without contacts stays main.
	src := e.createClient(e.admin, map[string]any{"name": "Source"})
	k4 := e.createContact(e.admin, src, map[string]any{"first_name": "Kim"})
	r = move(k4, empty, nil).want(http.StatusOK)
	if r.attrs()["is_main"] != true {
		t.Errorf("main contact moved to a client without main: is_main %v, want true", r.attrs()["is_main"])
	}
	if m := e.iMainContact(empty); m != k4 {
		t.Errorf("main_contact of the client it moved to = %q, want %q", m, k4)
	}
	if m := e.iMainContact(src); m != "" {
		t.Errorf("main_contact of the client it left = %q, want null", m)
	}

	// With is_main:true it stays main and takes over from the new client's main.
	r = move(k4, withMain, map[string]any{"is_main": true}).want(http.StatusOK)
	if r.attrs()["is_main"] != true {
		t.Errorf("moved with is_main:true: is_main %v", r.attrs()["is_main"])
	}
	iWantIDs(t, "main after a move with is_main:true", e.iMains(m2, k, k4), k4)
	if m := e.iMainContact(withMain); m != k4 {
		t.Errorf("main_contact after a move with is_main:true = %q, want %q", m, k4)
	}
	if m := e.iMainContact(empty); m != "" {
		t.Errorf("main_contact of the client left behind = %q, want null", m)
	}

	// With is_main:false it is not main even where there is none.
	r = move(k4, empty, map[string]any{"is_main": false}).want(http.StatusOK)
	if r.attrs()["is_main"] != false {
		t.Errorf("moved with is_main:false: is_main %v", r.attrs()["is_main"])
	}
	if m := e.iMainContact(empty); m != "" {
		t.Errorf("main_contact after a move with is_main:false = %q, want null", m)
	}
	iWantIDs(t, "main of the client left by its main", e.iMains(m2, k))
}

// A contact's client may change but not become null or a missing client: a
// problem of the body (422 at /data/relationships/client), nothing changes.
func TestInvariantContactClientRequired(t *testing.T) {
	forEachEngine(t, testInvariantContactClientRequired)
}

func testInvariantContactClientRequired(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	c := e.createClient(e.admin, map[string]any{"name": "Keeps"})
	stay := e.createContact(e.admin, c, map[string]any{"first_name": "Stay"})
	before := e.snapshot("/api/v1/contacts/"+stay, e.admin)
	beforeClient := e.snapshot("/api/v1/clients/"+c, e.admin)
	for _, rel := range []map[string]any{ref("clients", ""), ref("clients", "987654")} {
		r := e.do("PATCH", "/api/v1/contacts/"+stay, e.admin, resourceDoc("contacts", nil, map[string]any{"client": rel}))
		if ps := iProblems(r); r.Status != http.StatusUnprocessableEntity || len(ps) == 0 || ps[0].Pointer != "/data/relationships/client" {
			t.Errorf("PATCH /contacts/%s relationships.client %v: status %d body %s; want 422 at /data/relationships/client",
				stay, rel, r.Status, r.Body)
		}
	}
	if after := e.snapshot("/api/v1/contacts/"+stay, e.admin); after != before {
		t.Errorf("a rejected move changed the contact:\n%s\n%s", before, after)
	}
	if after := e.snapshot("/api/v1/clients/"+c, e.admin); after != beforeClient {
		t.Errorf("a rejected move changed the client:\n%s\n%s", beforeClient, after)
	}
	e.do("POST", "/api/v1/contacts", e.admin, resourceDoc("contacts", map[string]any{"first_name": "X"}, nil)).
		wantError(http.StatusUnprocessableEntity, "required", "/data/relationships/client")
	e.do("POST", "/api/v1/contacts", e.admin, resourceDoc("contacts", map[string]any{"first_name": "X"},
		map[string]any{"client": ref("clients", "")})).
		wantError(http.StatusUnprocessableEntity, "required", "/data/relationships/client")
}

func TestInvariantDeleteClientCascades(t *testing.T) {
	forEachEngine(t, testInvariantDeleteClientCascades)
}

func testInvariantDeleteClientCascades(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	c := e.createClient(e.admin, map[string]any{"name": "Doomed", "address": map[string]any{"country": "DE"}})
	keep := e.createClient(e.admin, map[string]any{"name": "Kept"})
	locs := []string{e.createLocation(e.admin, c, map[string]any{"country": "FR"})}
	locs = append(locs, e.iGet("/api/v1/clients/"+c+"/locations", e.admin).list()...)
	contacts := []string{
		e.createContact(e.admin, c, map[string]any{"first_name": "A"}),
		e.createContact(e.admin, c, map[string]any{"first_name": "B"}),
	}
	kl := e.createLocation(e.admin, keep, map[string]any{"country": "DE"})
	kc := e.createContact(e.admin, keep, map[string]any{"first_name": "K"})
	keepSnap := e.snapshot("/api/v1/clients/"+keep, e.admin)

	e.do("DELETE", "/api/v1/clients/"+c, e.admin, nil).want(http.StatusNoContent)
	e.do("GET", "/api/v1/clients/"+c, e.admin, nil).wantError(http.StatusNotFound, "not_found", "")
	for _, l := range locs {
		e.do("GET", "/api/v1/locations/"+l, e.admin, nil).wantError(http.StatusNotFound, "not_found", "")
	}
	for _, k := range contacts {
		e.do("GET", "/api/v1/contacts/"+k, e.admin, nil).wantError(http.StatusNotFound, "not_found", "")
	}
	e.do("GET", "/api/v1/clients/"+c+"/locations", e.admin, nil).want(http.StatusNotFound)
	e.do("GET", "/api/v1/clients/"+c+"/contacts", e.admin, nil).want(http.StatusNotFound)
	e.do("DELETE", "/api/v1/clients/"+c, e.admin, nil).want(http.StatusNotFound)
	iWantIDs(t, "all locations after the delete", e.iGet("/api/v1/locations", e.admin).list(), kl)
	iWantIDs(t, "all contacts after the delete", e.iGet("/api/v1/contacts", e.admin).list(), kc)
	if got := e.snapshot("/api/v1/clients/"+keep, e.admin); got != keepSnap {
		t.Errorf("deleting a client changed another:\n%s\n%s", keepSnap, got)
	}
}

func TestInvariantClientUsers(t *testing.T) { forEachEngine(t, testInvariantClientUsers) }

func testInvariantClientUsers(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	u1, m1Token := e.iMember(e.admin, "one@acme.example")
	u2 := e.iUser(e.admin, "two@acme.example", "member")

	// owner defaults to the token's user, whoever that is.
	r := e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "Default"}, nil)).
		want(http.StatusCreated)
	if r.relID("owner") != e.userID || r.relID("salesperson") != "" || r.relID("case_manager") != "" {
		t.Errorf("admin-created client: owner %q salesperson %q case_manager %q; want %s, null, null",
			r.relID("owner"), r.relID("salesperson"), r.relID("case_manager"), e.userID)
	}
	r = e.do("POST", "/api/v1/clients", m1Token, resourceDoc("clients", map[string]any{"name": "Member's"}, nil)).
		want(http.StatusCreated)
	if r.relID("owner") != u1 {
		t.Errorf("member-created client: owner %q, want the member %s", r.relID("owner"), u1)
	}

	// All three can be set to users of the company on create...
	r = e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "Set"}, map[string]any{
		"owner": ref("users", u1), "salesperson": ref("users", u2), "case_manager": ref("users", u1)})).
		want(http.StatusCreated)
	c := r.id()
	if r.relID("owner") != u1 || r.relID("salesperson") != u2 || r.relID("case_manager") != u1 {
		t.Errorf("create with users: owner %q salesperson %q case_manager %q", r.relID("owner"), r.relID("salesperson"), r.relID("case_manager"))
	}
	// ... and to null.
	r = e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "Nobody's"}, map[string]any{
		"owner": ref("users", ""), "salesperson": ref("users", ""), "case_manager": ref("users", "")})).
		want(http.StatusCreated)
	if r.relID("owner") != "" || r.relID("salesperson") != "" || r.relID("case_manager") != "" {
		t.Errorf("create with null users: owner %q salesperson %q case_manager %q", r.relID("owner"), r.relID("salesperson"), r.relID("case_manager"))
	}

	// PATCH changes only the relationships it names.
	r = e.do("PATCH", "/api/v1/clients/"+c, e.admin, resourceDoc("clients", nil, map[string]any{
		"salesperson": ref("users", ""), "case_manager": ref("users", u2)})).want(http.StatusOK)
	if r.relID("owner") != u1 || r.relID("salesperson") != "" || r.relID("case_manager") != u2 {
		t.Errorf("after PATCH: owner %q salesperson %q case_manager %q; want %s, null, %s",
			r.relID("owner"), r.relID("salesperson"), r.relID("case_manager"), u1, u2)
	}
	r = e.iGet("/api/v1/clients/"+c, e.admin)
	if r.relID("owner") != u1 || r.relID("salesperson") != "" || r.relID("case_manager") != u2 {
		t.Errorf("GET after PATCH: owner %q salesperson %q case_manager %q", r.relID("owner"), r.relID("salesperson"), r.relID("case_manager"))
	}
	r = e.do("PATCH", "/api/v1/clients/"+c, e.admin, resourceDoc("clients", nil, map[string]any{
		"owner": ref("users", ""), "salesperson": ref("users", u2)})).want(http.StatusOK)
	if r.relID("owner") != "" || r.relID("salesperson") != u2 || r.relID("case_manager") != u2 {
		t.Errorf("after PATCH owner null: owner %q salesperson %q case_manager %q", r.relID("owner"), r.relID("salesperson"), r.relID("case_manager"))
	}

	// A user that does not exist is rejected for each of them.
	before := e.snapshot("/api/v1/clients/"+c, e.admin)
	for _, rel := range []string{"owner", "salesperson", "case_manager"} {
		e.do("PATCH", "/api/v1/clients/"+c, e.admin, resourceDoc("clients", nil, map[string]any{rel: ref("users", "987654")})).
			wantError(http.StatusUnprocessableEntity, "invalid_relationship", "/data/relationships/"+rel)
		e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "X"}, map[string]any{rel: ref("users", "987654")})).
			wantError(http.StatusUnprocessableEntity, "invalid_relationship", "/data/relationships/"+rel)
	}
	if after := e.snapshot("/api/v1/clients/"+c, e.admin); after != before {
		t.Errorf("rejected PATCHes changed the client:\n%s\n%s", before, after)
	}

	// Deleting a user nulls the relationships that named it, and only those.
	c2 := e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "Mixed"}, map[string]any{
		"owner": ref("users", u2), "salesperson": ref("users", u1), "case_manager": ref("users", u2)})).
		want(http.StatusCreated).id()
	e.do("DELETE", "/api/v1/users/"+u2, e.admin, nil).want(http.StatusNoContent)
	e.do("GET", "/api/v1/users/"+u2, e.admin, nil).want(http.StatusNotFound)
	r = e.iGet("/api/v1/clients/"+c, e.admin)
	if r.relID("owner") != "" || r.relID("salesperson") != "" || r.relID("case_manager") != "" {
		t.Errorf("after deleting user %s: owner %q salesperson %q case_manager %q; want all null",
			u2, r.relID("owner"), r.relID("salesperson"), r.relID("case_manager"))
	}
	r = e.iGet("/api/v1/clients/"+c2, e.admin)
	if r.relID("owner") != "" || r.relID("salesperson") != u1 || r.relID("case_manager") != "" {
		t.Errorf("after deleting user %s: owner %q salesperson %q case_manager %q; want null, %s, null",
			u2, r.relID("owner"), r.relID("salesperson"), r.relID("case_manager"), u1)
	}
}

func TestInvariantLocationClientReadOnly(t *testing.T) {
	forEachEngine(t, testInvariantLocationClientReadOnly)
}

func testInvariantLocationClientReadOnly(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	c1 := e.createClient(e.admin, map[string]any{"name": "One"})
	c2 := e.createClient(e.admin, map[string]any{"name": "Two"})
	l := e.createLocation(e.admin, c1, map[string]any{"country": "DE"})
	before := e.snapshot("/api/v1/locations/"+l, e.admin)
	before2 := e.snapshot("/api/v1/clients/"+c2+"/locations", e.admin)
	e.do("PATCH", "/api/v1/locations/"+l, e.admin, resourceDoc("locations", map[string]any{"city": "Moved"},
		map[string]any{"client": ref("clients", c2)})).
		wantError(http.StatusUnprocessableEntity, "read_only", "/data/relationships/client")
	e.do("PATCH", "/api/v1/locations/"+l, e.admin, resourceDoc("locations", nil,
		map[string]any{"client": ref("clients", "")})).
		wantError(http.StatusUnprocessableEntity, "read_only", "/data/relationships/client")
	if after := e.snapshot("/api/v1/locations/"+l, e.admin); after != before {
		t.Errorf("a rejected move changed the location:\n%s\n%s", before, after)
	}
	if after := e.snapshot("/api/v1/clients/"+c2+"/locations", e.admin); after != before2 {
		t.Errorf("a rejected move changed the other client's locations:\n%s\n%s", before2, after)
	}
	// A location needs a client on create.
	e.do("POST", "/api/v1/locations", e.admin, resourceDoc("locations", map[string]any{"country": "DE"}, nil)).
		wantError(http.StatusUnprocessableEntity, "required", "/data/relationships/client")
}

func TestInvariantTimestamps(t *testing.T) { forEachEngine(t, testInvariantTimestamps) }

func testInvariantTimestamps(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	c := e.createClient(e.admin, map[string]any{"name": "Time"})
	l := e.createLocation(e.admin, c, map[string]any{"country": "DE"})
	k := e.createContact(e.admin, c, map[string]any{"first_name": "Tim"})
	u := e.iUser(e.admin, "time@acme.example", "member")
	for _, tc := range []struct {
		path  string
		typ   string
		attrs map[string]any
	}{
		{"/api/v1/clients/" + c, "clients", map[string]any{"name": "Time 2"}},
		{"/api/v1/locations/" + l, "locations", map[string]any{"city": "Bonn"}},
		{"/api/v1/contacts/" + k, "contacts", map[string]any{"last_name": "Tock"}},
		{"/api/v1/users/" + u, "users", map[string]any{"full_name": "Tim Tock"}},
		{"/api/v1/company", "companies", map[string]any{"name": "Acme Renamed"}},
	} {
		before := e.iGet(tc.path, e.admin).attrs()
		created := iStamp(t, tc.path+" created_at", before["created_at"])
		updated := iStamp(t, tc.path+" updated_at", before["updated_at"])
		if updated.Before(created) {
			t.Errorf("%s: updated_at %v before created_at %v", tc.path, updated, created)
		}
		time.Sleep(5 * time.Millisecond)
		after := e.do("PATCH", tc.path, e.admin, resourceDoc(tc.typ, tc.attrs, nil)).want(http.StatusOK).attrs()
		if after["created_at"] != before["created_at"] {
			t.Errorf("%s: PATCH changed created_at from %v to %v", tc.path, before["created_at"], after["created_at"])
		}
		if u := iStamp(t, tc.path+" updated_at after PATCH", after["updated_at"]); !u.After(updated) {
			t.Errorf("%s: PATCH left updated_at at %v (was %v)", tc.path, after["updated_at"], before["updated_at"])
		}
		got := e.iGet(tc.path, e.admin).attrs()
		if got["updated_at"] != after["updated_at"] || got["created_at"] != before["created_at"] {
			t.Errorf("%s: GET after PATCH shows created_at %v updated_at %v; the PATCH answered %v %v",
				tc.path, got["created_at"], got["updated_at"], after["created_at"], after["updated_at"])
		}
		// A body that sets them is rejected.
		for _, ts := range []string{"created_at", "updated_at"} {
			r := e.do("PATCH", tc.path, e.admin, resourceDoc(tc.typ, map[string]any{ts: "2020-01-01T00:00:00.000000Z"}, nil))
			r.wantError(http.StatusUnprocessableEntity, "read_only", "/data/attributes/"+ts)
		}
	}
	// Tokens: created_at, and last_used_at once used.
	id, secret := e.iToken(e.admin, "")
	e.iGet("/api/v1/company", secret)
	for _, it := range iItems(e.iGet("/api/v1/tokens", e.admin)) {
		if it["id"] == id {
			a := it["attributes"].(map[string]any)
			iStamp(t, "token created_at", a["created_at"])
			iStamp(t, "token last_used_at", a["last_used_at"])
		}
	}
	// A created_at used as a bound is exact: created and updated are equal on create.
	r := e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "Fresh"}, nil)).want(http.StatusCreated)
	if r.attrs()["created_at"] != r.attrs()["updated_at"] {
		t.Errorf("a new client: created_at %v, updated_at %v; want equal", r.attrs()["created_at"], r.attrs()["updated_at"])
	}
	if g := e.iGet("/api/v1/clients/"+r.id(), e.admin).attrs(); g["created_at"] != r.attrs()["created_at"] {
		t.Errorf("created_at answered on create %v, read back %v", r.attrs()["created_at"], g["created_at"])
	}
}

func TestInvariantLocationHeader(t *testing.T) { forEachEngine(t, testInvariantLocationHeader) }

func testInvariantLocationHeader(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	check := func(r *response, typ string, get bool) {
		t.Helper()
		r.want(http.StatusCreated)
		id := r.id()
		loc := r.Header.Get("Location")
		path := e.iPath(loc)
		if path != "/api/v1/"+typ+"/"+id {
			t.Errorf("Location %q of a new %s %s, want /api/v1/%s/%s", loc, typ, id, typ, id)
			return
		}
		if links, _ := r.data()["links"].(map[string]any); links["self"] != nil && e.iPath(links["self"].(string)) != path {
			t.Errorf("Location %q but links.self %v", loc, links["self"])
		}
		if get {
			g := e.iGet(path, e.admin)
			if g.id() != id || g.data()["type"] != typ {
				t.Errorf("GET %s answered %s", loc, g.Body)
			}
		}
	}
	r := e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "Loc"}, nil))
	check(r, "clients", true)
	c := r.id()
	check(e.do("POST", "/api/v1/locations", e.admin, resourceDoc("locations", map[string]any{"country": "DE"},
		map[string]any{"client": ref("clients", c)})), "locations", true)
	check(e.do("POST", "/api/v1/contacts", e.admin, resourceDoc("contacts", map[string]any{"first_name": "L"},
		map[string]any{"client": ref("clients", c)})), "contacts", true)
	check(e.do("POST", "/api/v1/users", e.admin, resourceDoc("users",
		map[string]any{"full_name": "L", "email": "l@acme.example", "role": "member"}, nil)), "users", true)
	// Tokens have no GET of their own; the Location still names the token.
	check(e.do("POST", "/api/v1/tokens", e.admin, resourceDoc("tokens", map[string]any{"name": "L"}, nil)), "tokens", false)
}

func TestInvariantRelatedCollections(t *testing.T) { forEachEngine(t, testInvariantRelatedCollections) }

func testInvariantRelatedCollections(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	c := e.createClient(e.admin, map[string]any{"name": "Many"})
	other := e.createClient(e.admin, map[string]any{"name": "Few"})
	var locs, contacts, otherLocs, otherContacts []string
	for i := range 60 {
		locs = append(locs, e.createLocation(e.admin, c, map[string]any{"country": "DE", "name": fmt.Sprint("L", i)}))
		contacts = append(contacts, e.createContact(e.admin, c, map[string]any{"first_name": fmt.Sprint("C", i)}))
		if i%20 == 7 { // interleave another client's records
			otherLocs = append(otherLocs, e.createLocation(e.admin, other, map[string]any{"country": "FR"}))
			otherContacts = append(otherContacts, e.createContact(e.admin, other, map[string]any{"first_name": "O"}))
		}
	}
	for _, tc := range []struct {
		kind         string
		want, theirs []string
	}{{"locations", locs, otherLocs}, {"contacts", contacts, otherContacts}} {
		path := "/api/v1/clients/" + c + "/" + tc.kind
		got, sizes := e.iPages(path+"?page%5Bsize%5D=25", e.admin)
		if !slices.Equal(sizes, []int{25, 25, 10}) {
			t.Errorf("%s: page sizes %v, want [25 25 10]", path, sizes)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s paged with page[size]=25: got %d ids %v, want each of the %d in id order %v", path, len(got), got, len(tc.want), tc.want)
		}
		// Default page size is 25 as well.
		if ids, sizes := e.iPages(path, e.admin); !slices.Equal(ids, tc.want) || sizes[0] != 25 {
			t.Errorf("%s paged by default: sizes %v; all ids equal: %v", path, sizes, slices.Equal(ids, tc.want))
		}
		// A page of 100 holds them all and has no next link.
		r := e.iGet(path+"?page%5Bsize%5D=100", e.admin)
		if !slices.Equal(r.list(), tc.want) || iNext(r) != "" {
			t.Errorf("%s?page[size]=100: %d ids, next %q", path, len(r.list()), iNext(r))
		}
		for _, it := range iItems(r) {
			if iItemRel(it, "client") != c {
				t.Errorf("%s lists %v of client %q", path, it["id"], iItemRel(it, "client"))
			}
		}
		// The other client's collection holds only its own.
		if got := e.iGet("/api/v1/clients/"+other+"/"+tc.kind, e.admin).list(); !slices.Equal(got, tc.theirs) {
			t.Errorf("/clients/%s/%s = %v, want %v", other, tc.kind, got, tc.theirs)
		}
		// The top-level list has both, in id order.
		all, _ := e.iPages("/api/v1/"+tc.kind+"?page%5Bsize%5D=25", e.admin)
		if want := iSortIDs(append(slices.Clone(tc.want), tc.theirs...)); !slices.Equal(all, want) {
			t.Errorf("/%s paged: %v, want %v", tc.kind, all, want)
		}
		// The client's relationship links name the collection.
		rels := e.iGet("/api/v1/clients/"+c, e.admin).data()["relationships"].(map[string]any)
		rel, _ := rels[tc.kind].(map[string]any)
		links, _ := rel["links"].(map[string]any)
		if related, _ := links["related"].(string); e.iPath(related) != path {
			t.Errorf("client relationships.%s.links.related = %v, want %s", tc.kind, links["related"], path)
		}
	}
	// A missing client has no collections.
	e.do("GET", "/api/v1/clients/987654/locations", e.admin, nil).wantError(http.StatusNotFound, "not_found", "")
	e.do("GET", "/api/v1/clients/987654/contacts", e.admin, nil).wantError(http.StatusNotFound, "not_found", "")
	if strings.Contains(string(e.iGet("/api/v1/clients/"+other+"/contacts", e.admin).Body), `"next"`) {
		t.Errorf("a collection that fits one page has a next link")
	}
}

// A client's rendering includes its address (the primary location) and its
// main_contact, so whatever changes those through a location, contact or
// user request also moves the client's updated_at — else a caller syncing
// with filter[updated_from] would miss the change.
func TestInvariantClientUpdatedAtFollows(t *testing.T) {
	forEachEngine(t, testInvariantClientUpdatedAtFollows)
}

func testInvariantClientUpdatedAtFollows(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	c := e.createClient(e.admin, map[string]any{"name": "Touchy"})
	other := e.createClient(e.admin, map[string]any{"name": "Other"})
	u := e.iUser(e.admin, "sales@acme.example", "member")
	stamp := func(client string) string {
		t.Helper()
		return e.iGet("/api/v1/clients/"+client, e.admin).attrs()["updated_at"].(string)
	}
	var l1, l2, k1, k2 string
	for _, step := range []struct {
		what   string
		client string
		do     func()
	}{
		{"its first location", c, func() { l1 = e.createLocation(e.admin, c, map[string]any{"country": "DE"}) }},
		{"a PATCH of its primary location", c, func() {
			e.do("PATCH", "/api/v1/locations/"+l1, e.admin, resourceDoc("locations", map[string]any{"city": "Ulm"}, nil)).want(http.StatusOK)
		}},
		{"a new primary location", c, func() {
			l2 = e.createLocation(e.admin, c, map[string]any{"country": "AT", "is_primary": true})
		}},
		{"PATCH is_primary of another location", c, func() {
			e.do("PATCH", "/api/v1/locations/"+l1, e.admin, resourceDoc("locations", map[string]any{"is_primary": true}, nil)).want(http.StatusOK)
		}},
		{"deleting its primary location", c, func() { e.do("DELETE", "/api/v1/locations/"+l1, e.admin, nil).want(http.StatusNoContent) }},
		{"its first contact", c, func() { k1 = e.createContact(e.admin, c, map[string]any{"first_name": "K1"}) }},
		{"a new main contact", c, func() { k2 = e.createContact(e.admin, c, map[string]any{"first_name": "K2", "is_main": true}) }},
		{"PATCH is_main of another contact", c, func() {
			e.do("PATCH", "/api/v1/contacts/"+k1, e.admin, resourceDoc("contacts", map[string]any{"is_main": true}, nil)).want(http.StatusOK)
		}},
		{"its main contact moving away", c, func() {
			e.do("PATCH", "/api/v1/contacts/"+k1, e.admin, resourceDoc("contacts", nil,
				map[string]any{"client": ref("clients", other)})).want(http.StatusOK)
		}},
		{"a main contact moving in", other, func() {
			e.do("PATCH", "/api/v1/contacts/"+k2, e.admin, resourceDoc("contacts", map[string]any{"is_main": true},
				map[string]any{"client": ref("clients", other)})).want(http.StatusOK)
		}},
		{"deleting its main contact", other, func() { e.do("DELETE", "/api/v1/contacts/"+k2, e.admin, nil).want(http.StatusNoContent) }},
		{"setting its salesperson", c, func() {
			e.do("PATCH", "/api/v1/clients/"+c, e.admin, resourceDoc("clients", nil,
				map[string]any{"salesperson": ref("users", u)})).want(http.StatusOK)
		}},
		{"deleting the user it names as salesperson", c, func() { e.do("DELETE", "/api/v1/users/"+u, e.admin, nil).want(http.StatusNoContent) }},
	} {
		before := stamp(step.client)
		time.Sleep(3 * time.Millisecond)
		step.do()
		if after := stamp(step.client); after <= before {
			t.Errorf("after %s the client's updated_at is %s (was %s), want later", step.what, after, before)
		}
	}
	_ = l2
}
