package api_test

// Tenancy (API.md §1, §2): nothing ever crosses companies. Company B naming
// a record of company A — in a path, in a relationship of a body, in
// filter[id] — is answered exactly as if B had named an id that does not
// exist, and A's records stay as they were.

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// iMissing is an id that no record has in these tests.
const iMissing = "987654"

// iTenants is company A (acme, the env's) with one record of each kind, and
// company B with its own.
type iTenants struct {
	*env
	// A's records.
	aClient, aLoc, aContact, aMember, aTokenID, aTokenSecret string
	// B's admin and records.
	bAdmin, bUser, bClient, bLoc, bContact string
}

func iNewTenants(t *testing.T, open openStore) *iTenants {
	e := newEnv(t, open)
	s := &iTenants{env: e}
	s.aClient = e.createClient(e.admin, map[string]any{"name": "A client", "external_id": "A-1",
		"address": map[string]any{"city": "Berlin", "country": "DE"}})
	s.aLoc = e.createLocation(e.admin, s.aClient, map[string]any{"country": "FR", "city": "Paris"})
	s.aContact = e.createContact(e.admin, s.aClient, map[string]any{"first_name": "Alice"})
	s.aMember = e.iUser(e.admin, "member@acme.example", "member")
	s.aTokenID, s.aTokenSecret = e.iToken(e.admin, s.aMember)

	s.bAdmin, s.bUser = e.newCompany("beta")
	s.bClient = e.createClient(s.bAdmin, map[string]any{"name": "B client"})
	s.bLoc = e.createLocation(s.bAdmin, s.bClient, map[string]any{"country": "DE"})
	s.bContact = e.createContact(s.bAdmin, s.bClient, map[string]any{"first_name": "Bob"})
	return s
}

// aPaths are the GETs whose answers A's records are; none of B's requests
// may change them.
func (s *iTenants) aPaths() []string {
	return []string{
		"/api/v1/company",
		"/api/v1/clients/" + s.aClient, "/api/v1/locations/" + s.aLoc, "/api/v1/contacts/" + s.aContact,
		"/api/v1/users/" + s.userID, "/api/v1/users/" + s.aMember,
		"/api/v1/clients", "/api/v1/locations", "/api/v1/contacts", "/api/v1/users",
		"/api/v1/clients/" + s.aClient + "/locations", "/api/v1/clients/" + s.aClient + "/contacts",
	}
}

// bPaths are B's own records, which a request that fails must not change either.
func (s *iTenants) bPaths() []string {
	return []string{
		"/api/v1/clients/" + s.bClient, "/api/v1/locations/" + s.bLoc, "/api/v1/contacts/" + s.bContact,
		"/api/v1/clients", "/api/v1/locations", "/api/v1/contacts", "/api/v1/users", "/api/v1/tokens",
	}
}

func (s *iTenants) snapshots(token string, paths []string) map[string]string {
	s.t.Helper()
	out := map[string]string{}
	for _, p := range paths {
		out[p] = s.snapshot(p, token)
	}
	return out
}

func (s *iTenants) unchanged(what, token string, before map[string]string) {
	s.t.Helper()
	for p, b := range before {
		if got := s.snapshot(p, token); got != b {
			s.t.Errorf("%s changed GET %s:\nbefore %s\nafter  %s", what, p, b, got)
		}
	}
}

// same sends the request for A's id and for a missing id (each built by
// mk) as B, wants status and the same error objects for both, and checks
// that neither changed anything of A's or of B's.
func (s *iTenants) same(what string, status int, mk func(id string) (method, path string, body any), aID string) {
	s.t.Helper()
	aBefore := s.snapshots(s.admin, s.aPaths())
	bBefore := s.snapshots(s.bAdmin, s.bPaths())
	var got [2]*response
	for i, id := range []string{aID, iMissing} {
		method, path, body := mk(id)
		got[i] = s.do(method, path, s.bAdmin, body)
	}
	a, m := got[0], got[1]
	if a.Status != status || m.Status != status {
		s.t.Errorf("%s: B naming A's record got %d %s; naming a missing id got %d %s; want %d for both",
			what, a.Status, a.Body, m.Status, m.Body, status)
	} else if pa, pm := iProblems(a), iProblems(m); !slices.Equal(pa, pm) || len(pa) == 0 {
		s.t.Errorf("%s: B naming A's record got errors %+v, a missing id %+v; want the same", what, pa, pm)
	}
	s.unchanged(what+" (A's view)", s.admin, aBefore)
	s.unchanged(what+" (B's view)", s.bAdmin, bBefore)
}

func TestTenancyPaths(t *testing.T) { forEachEngine(t, testTenancyPaths) }

func testTenancyPaths(t *testing.T, open openStore) {
	t.Parallel()
	s := iNewTenants(t, open)
	type probe struct {
		method, path string
		body         func(id string) any
		aID          string
	}
	patch := func(typ string, attrs map[string]any) func(string) any {
		return func(id string) any {
			d := resourceDoc(typ, attrs, nil)
			d["data"].(map[string]any)["id"] = id
			return d
		}
	}
	for _, p := range []probe{
		{"GET", "/api/v1/clients/{id}", nil, s.aClient},
		{"PATCH", "/api/v1/clients/{id}", patch("clients", map[string]any{"name": "Hijacked"}), s.aClient},
		{"PATCH", "/api/v1/clients/{id}", patch("clients", map[string]any{"address": nil}), s.aClient},
		{"GET", "/api/v1/clients/{id}/contacts", nil, s.aClient},
		{"GET", "/api/v1/clients/{id}/locations", nil, s.aClient},
		{"GET", "/api/v1/clients/{id}/contacts?page%5Bsize%5D=1", nil, s.aClient},
		{"GET", "/api/v1/clients/{id}/locations?filter%5Bid%5D=" + s.aLoc, nil, s.aClient},
		{"GET", "/api/v1/locations/{id}", nil, s.aLoc},
		{"PATCH", "/api/v1/locations/{id}", patch("locations", map[string]any{"city": "Hijacked"}), s.aLoc},
		{"PATCH", "/api/v1/locations/{id}", patch("locations", map[string]any{"is_primary": true}), s.aLoc},
		{"GET", "/api/v1/contacts/{id}", nil, s.aContact},
		{"PATCH", "/api/v1/contacts/{id}", patch("contacts", map[string]any{"first_name": "Hijacked"}), s.aContact},
		{"PATCH", "/api/v1/contacts/{id}", patch("contacts", map[string]any{"is_main": false}), s.aContact},
		{"GET", "/api/v1/users/{id}", nil, s.userID},
		{"GET", "/api/v1/users/{id}", nil, s.aMember},
		{"PATCH", "/api/v1/users/{id}", patch("users", map[string]any{"full_name": "Hijacked"}), s.aMember},
		{"PATCH", "/api/v1/users/{id}", patch("users", map[string]any{"role": "member"}), s.userID},
		// Deletes last, each of a record that must survive them.
		{"DELETE", "/api/v1/locations/{id}", nil, s.aLoc},
		{"DELETE", "/api/v1/contacts/{id}", nil, s.aContact},
		{"DELETE", "/api/v1/users/{id}", nil, s.aMember},
		{"DELETE", "/api/v1/users/{id}", nil, s.userID},
		{"DELETE", "/api/v1/tokens/{id}", nil, s.aTokenID},
		{"DELETE", "/api/v1/clients/{id}", nil, s.aClient},
	} {
		s.same(p.method+" "+p.path, http.StatusNotFound, func(id string) (string, string, any) {
			var body any
			if p.body != nil {
				body = p.body(id)
			}
			return p.method, strings.ReplaceAll(p.path, "{id}", id), body
		}, p.aID)
	}
	// Every record of A is still there, and A's member's token still works.
	for _, path := range []string{"/api/v1/clients/" + s.aClient, "/api/v1/locations/" + s.aLoc,
		"/api/v1/contacts/" + s.aContact, "/api/v1/users/" + s.aMember, "/api/v1/users/" + s.userID} {
		s.iGet(path, s.admin)
	}
	s.iGet("/api/v1/company", s.aTokenSecret)
	if ids := s.iGet("/api/v1/tokens", s.admin).list(); !slices.Contains(ids, s.aTokenID) {
		t.Errorf("A's token %s is gone from A's tokens %v", s.aTokenID, ids)
	}
}

func TestTenancyRelationships(t *testing.T) { forEachEngine(t, testTenancyRelationships) }

func testTenancyRelationships(t *testing.T, open openStore) {
	t.Parallel()
	s := iNewTenants(t, open)
	invalid := http.StatusUnprocessableEntity

	// client of a new location or contact, and of a moved contact.
	s.same("POST /locations with A's client", invalid, func(id string) (string, string, any) {
		return "POST", "/api/v1/locations", resourceDoc("locations", map[string]any{"country": "DE"},
			map[string]any{"client": ref("clients", id)})
	}, s.aClient)
	s.same("POST /locations is_primary with A's client", invalid, func(id string) (string, string, any) {
		return "POST", "/api/v1/locations", resourceDoc("locations", map[string]any{"country": "DE", "is_primary": true},
			map[string]any{"client": ref("clients", id)})
	}, s.aClient)
	s.same("POST /contacts with A's client", invalid, func(id string) (string, string, any) {
		return "POST", "/api/v1/contacts", resourceDoc("contacts", map[string]any{"first_name": "Eve"},
			map[string]any{"client": ref("clients", id)})
	}, s.aClient)
	s.same("POST /contacts is_main with A's client", invalid, func(id string) (string, string, any) {
		return "POST", "/api/v1/contacts", resourceDoc("contacts", map[string]any{"first_name": "Eve", "is_main": true},
			map[string]any{"client": ref("clients", id)})
	}, s.aClient)
	s.same("PATCH /contacts/{B's} moving it to A's client", invalid, func(id string) (string, string, any) {
		return "PATCH", "/api/v1/contacts/" + s.bContact, resourceDoc("contacts", nil,
			map[string]any{"client": ref("clients", id)})
	}, s.aClient)
	s.same("PATCH /contacts/{B's} moving it to A's client as main", invalid, func(id string) (string, string, any) {
		return "PATCH", "/api/v1/contacts/" + s.bContact, resourceDoc("contacts", map[string]any{"is_main": true},
			map[string]any{"client": ref("clients", id)})
	}, s.aClient)
	s.same("PATCH /locations/{B's} naming A's client", invalid, func(id string) (string, string, any) {
		return "PATCH", "/api/v1/locations/" + s.bLoc, resourceDoc("locations", nil,
			map[string]any{"client": ref("clients", id)})
	}, s.aClient)

	// owner, salesperson, case_manager of a client, on create and update.
	for _, rel := range []string{"owner", "salesperson", "case_manager"} {
		for _, aUser := range []string{s.userID, s.aMember} {
			s.same("POST /clients with "+rel+" A's user "+aUser, invalid, func(id string) (string, string, any) {
				return "POST", "/api/v1/clients", resourceDoc("clients", map[string]any{"name": "Eve"},
					map[string]any{rel: ref("users", id)})
			}, aUser)
			s.same("PATCH /clients/{B's} with "+rel+" A's user "+aUser, invalid, func(id string) (string, string, any) {
				return "PATCH", "/api/v1/clients/" + s.bClient, resourceDoc("clients", map[string]any{"name": "Eve"},
					map[string]any{rel: ref("users", id)})
			}, aUser)
		}
	}

	// user of a new token.
	for _, aUser := range []string{s.userID, s.aMember} {
		s.same("POST /tokens for A's user "+aUser, invalid, func(id string) (string, string, any) {
			return "POST", "/api/v1/tokens", resourceDoc("tokens", map[string]any{"name": "Eve"},
				map[string]any{"user": ref("users", id)})
		}, aUser)
	}

	// The codes and pointers are the documented ones.
	r := s.do("POST", "/api/v1/contacts", s.bAdmin, resourceDoc("contacts", map[string]any{"first_name": "Eve"},
		map[string]any{"client": ref("clients", s.aClient)}))
	r.wantError(invalid, "invalid_relationship", "/data/relationships/client")
	r = s.do("POST", "/api/v1/locations", s.bAdmin, resourceDoc("locations", map[string]any{"country": "DE"},
		map[string]any{"client": ref("clients", s.aClient)}))
	r.wantError(invalid, "invalid_relationship", "/data/relationships/client")
	r = s.do("PATCH", "/api/v1/contacts/"+s.bContact, s.bAdmin, resourceDoc("contacts", nil,
		map[string]any{"client": ref("clients", s.aClient)}))
	r.wantError(invalid, "invalid_relationship", "/data/relationships/client")
	for _, rel := range []string{"owner", "salesperson", "case_manager"} {
		r = s.do("PATCH", "/api/v1/clients/"+s.bClient, s.bAdmin, resourceDoc("clients", nil,
			map[string]any{rel: ref("users", s.userID)}))
		r.wantError(invalid, "invalid_relationship", "/data/relationships/"+rel)
	}
	r = s.do("POST", "/api/v1/tokens", s.bAdmin, resourceDoc("tokens", nil,
		map[string]any{"user": ref("users", s.aMember)}))
	r.wantError(invalid, "invalid_relationship", "/data/relationships/user")

	// A member of B asking for a token of A's user is refused like for a missing user.
	_, bMember := s.iMember(s.bAdmin, "member@beta.example")
	ma := s.do("POST", "/api/v1/tokens", bMember, resourceDoc("tokens", nil, map[string]any{"user": ref("users", s.aMember)}))
	mm := s.do("POST", "/api/v1/tokens", bMember, resourceDoc("tokens", nil, map[string]any{"user": ref("users", iMissing)}))
	if ma.Status != mm.Status || !slices.Equal(iProblems(ma), iProblems(mm)) {
		t.Errorf("B's member asking a token for A's user: %d %s; for a missing user: %d %s", ma.Status, ma.Body, mm.Status, mm.Body)
	}
}

func TestTenancyLists(t *testing.T) { forEachEngine(t, testTenancyLists) }

func testTenancyLists(t *testing.T, open openStore) {
	t.Parallel()
	s := iNewTenants(t, open)
	aBefore := s.snapshots(s.admin, s.aPaths())
	bTokenIDs := s.iGet("/api/v1/tokens", s.bAdmin).list()

	// B's lists hold exactly B's records.
	for path, want := range map[string][]string{
		"/api/v1/clients":   {s.bClient},
		"/api/v1/locations": {s.bLoc},
		"/api/v1/contacts":  {s.bContact},
		"/api/v1/users":     {s.bUser},
		"/api/v1/clients/" + s.bClient + "/locations":   {s.bLoc},
		"/api/v1/clients/" + s.bClient + "/contacts":    {s.bContact},
		"/api/v1/clients?page%5Bsize%5D=100":            {s.bClient},
		"/api/v1/locations?page%5Bsize%5D=1":            {s.bLoc},
		"/api/v1/contacts?filter%5Bid%5D=" + s.bContact: {s.bContact},
	} {
		if got := s.iGet(path, s.bAdmin).list(); !slices.Equal(got, want) {
			t.Errorf("B's GET %s = %v, want %v", path, got, want)
		}
	}
	for _, it := range iItems(s.iGet("/api/v1/tokens", s.bAdmin)) {
		if it["id"] == s.aTokenID || iItemRel(it, "user") != s.bUser {
			t.Errorf("B's GET /tokens lists %v of user %q", it["id"], iItemRel(it, "user"))
		}
	}
	if len(bTokenIDs) != 1 {
		t.Errorf("B's tokens %v, want its admin's one", bTokenIDs)
	}

	// filter[id] with A's ids finds nothing, like a missing id; with A's and
	// B's ids only B's.
	for _, tc := range []struct{ list, aID, bID string }{
		{"/api/v1/clients", s.aClient, s.bClient},
		{"/api/v1/locations", s.aLoc, s.bLoc},
		{"/api/v1/contacts", s.aContact, s.bContact},
		{"/api/v1/clients/" + s.bClient + "/locations", s.aLoc, s.bLoc},
		{"/api/v1/clients/" + s.bClient + "/contacts", s.aContact, s.bContact},
	} {
		a := s.iGet(tc.list+"?filter%5Bid%5D="+tc.aID, s.bAdmin)
		m := s.iGet(tc.list+"?filter%5Bid%5D="+iMissing, s.bAdmin)
		if len(a.list()) != 0 || len(m.list()) != 0 {
			t.Errorf("B's %s filter[id]=A's %s: %v; a missing id: %v; want both empty", tc.list, tc.aID, a.list(), m.list())
		}
		if got := s.iGet(tc.list+"?filter%5Bid%5D="+tc.aID+","+tc.bID, s.bAdmin).list(); !slices.Equal(got, []string{tc.bID}) {
			t.Errorf("B's %s filter[id]=%s,%s: %v, want only B's", tc.list, tc.aID, tc.bID, got)
		}
	}
	// Lists that do not filter by id refuse it alike.
	for _, tc := range []struct{ list, aID string }{{"/api/v1/users", s.aMember}, {"/api/v1/tokens", s.aTokenID}} {
		a := s.do("GET", tc.list+"?filter%5Bid%5D="+tc.aID, s.bAdmin, nil)
		m := s.do("GET", tc.list+"?filter%5Bid%5D="+iMissing, s.bAdmin, nil)
		if a.Status != m.Status || !slices.Equal(iProblems(a), iProblems(m)) {
			t.Errorf("B's %s filter[id]=A's: %d %s; a missing id: %d %s", tc.list, a.Status, a.Body, m.Status, m.Body)
		}
		if a.Status == http.StatusOK && slices.Contains(a.list(), tc.aID) {
			t.Errorf("B's %s filter[id]=A's lists A's record", tc.list)
		}
	}

	// B's paging never reaches A's records.
	for list, aIDs := range map[string][]string{
		"/api/v1/clients":   {s.aClient},
		"/api/v1/locations": {s.aLoc},
		"/api/v1/contacts":  {s.aContact},
		"/api/v1/users":     {s.userID, s.aMember},
		"/api/v1/tokens":    {s.aTokenID},
	} {
		ids, _ := s.iPages(list+"?page%5Bsize%5D=1", s.bAdmin)
		for _, id := range ids {
			if slices.Contains(aIDs, id) {
				t.Errorf("B's paged %s reaches A's %s", list, id)
			}
		}
	}

	// GET /company is B's own.
	a := s.iGet("/api/v1/company", s.admin)
	b := s.iGet("/api/v1/company", s.bAdmin)
	if b.attrs()["slug"] != "beta" || b.attrs()["name"] != "Beta" || b.id() == a.id() {
		t.Errorf("B's GET /company = %s (A's is %s)", b.Body, a.Body)
	}
	if a.attrs()["slug"] != "acme" {
		t.Errorf("A's GET /company = %s", a.Body)
	}
	// B renaming its company leaves A's.
	s.do("PATCH", "/api/v1/company", s.bAdmin, resourceDoc("companies", map[string]any{"name": "Beta 2"}, nil)).want(http.StatusOK)
	s.unchanged("B's lists and PATCH /company", s.admin, aBefore)
}

// What is unique is unique per company: B may use A's external_id, user
// e-mail and portal e-mail, so that a 409 never tells B what A holds.
func TestTenancyUniqueness(t *testing.T) { forEachEngine(t, testTenancyUniqueness) }

func testTenancyUniqueness(t *testing.T, open openStore) {
	t.Parallel()
	s := iNewTenants(t, open)
	s.do("PATCH", "/api/v1/contacts/"+s.aContact, s.admin, resourceDoc("contacts",
		map[string]any{"email": "alice@shared.example", "portal_access": true, "password": "correct horse"}, nil)).
		want(http.StatusOK)
	aBefore := s.snapshots(s.admin, s.aPaths())

	s.createClient(s.bAdmin, map[string]any{"name": "B's A-1", "external_id": "A-1"})
	s.iUser(s.bAdmin, "member@acme.example", "member")
	s.iUser(s.bAdmin, "admin@acme.example", "admin")
	s.createContact(s.bAdmin, s.bClient, map[string]any{"first_name": "Alias",
		"email": "ALICE@shared.example", "portal_access": true, "password": "battery staple"})
	s.do("PATCH", "/api/v1/clients/"+s.bClient, s.bAdmin, resourceDoc("clients", map[string]any{"external_id": "A-2"}, nil)).
		want(http.StatusOK)
	s.do("PATCH", "/api/v1/clients/"+s.bClient, s.bAdmin, resourceDoc("clients", map[string]any{"external_id": "A-1"}, nil)).
		wantError(http.StatusConflict, "duplicate_external_id", "/data/attributes/external_id")
	s.unchanged("B reusing A's unique values", s.admin, aBefore)
}
