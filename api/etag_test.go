package api_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// tag returns the response's ETag and fails unless it is a strong entity tag.
func (r *response) tag() string {
	r.t.Helper()
	tag := r.Header.Get("ETag")
	if len(tag) < 3 || tag[0] != '"' || tag[len(tag)-1] != '"' {
		r.t.Fatalf("ETag %q is not a strong entity tag", tag)
	}
	return tag
}

// want304 fails unless r is 304 with no body and with the ETag tag.
func (r *response) want304(tag string) {
	r.t.Helper()
	r.want(http.StatusNotModified)
	if len(r.Body) != 0 {
		r.t.Errorf("304 with a body: %s", r.Body)
	}
	if got := r.Header.Get("ETag"); got != tag {
		r.t.Errorf("304 ETag %q, want %q", got, tag)
	}
}

// eFixture is one company's client (with a primary location and a main
// contact), a second contact, a member user and a token.
type eFixture struct {
	client, location, contact, other, user, token string
}

func (e *env) eFixture() eFixture {
	e.t.Helper()
	var f eFixture
	f.client = e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "Acme",
		"address": map[string]any{"city": "Berlin", "country": "DE"}}, nil)).want(http.StatusCreated).id()
	f.location = e.iGet("/api/v1/clients/"+f.client+"/locations", e.admin).list()[0]
	f.contact = e.do("POST", "/api/v1/contacts", e.admin, resourceDoc("contacts", map[string]any{"first_name": "Ann"},
		map[string]any{"client": ref("clients", f.client)})).want(http.StatusCreated).id()
	f.other = e.do("POST", "/api/v1/contacts", e.admin, resourceDoc("contacts", map[string]any{"first_name": "Bob"},
		map[string]any{"client": ref("clients", f.client)})).want(http.StatusCreated).id()
	f.user = e.iUser(e.admin, "mia@acme.example", "member")
	f.token, _ = e.iToken(e.admin, "")
	return f
}

func TestETagsOnEveryResource(t *testing.T) { forEachEngine(t, testETagsOnEveryResource) }

func testETagsOnEveryResource(t *testing.T, open openStore) {
	e := newEnv(t, open)
	f := e.eFixture()
	seen := map[string]string{}
	for _, path := range []string{"/api/v1/clients/" + f.client, "/api/v1/locations/" + f.location,
		"/api/v1/contacts/" + f.contact, "/api/v1/contacts/" + f.other, "/api/v1/users/" + f.user,
		"/api/v1/users/" + e.userID, "/api/v1/tokens/" + f.token, "/api/v1/company"} {
		t.Run(strings.TrimPrefix(path, "/api/v1/"), func(t *testing.T) {
			e := e.iWith(t)
			first := e.iGet(path, e.admin)
			tag := first.tag()
			if p, dup := seen[tag]; dup {
				t.Fatalf("%s has the ETag of %s", path, p)
			}
			seen[tag] = path
			if again := e.iGet(path, e.admin); again.tag() != tag || !bytes.Equal(again.Body, first.Body) {
				t.Errorf("a second GET: ETag %q, want %q", again.tag(), tag)
			}
			for _, inm := range []string{tag, "*", `"nope", ` + tag, "W/" + tag, `"a","b",` + tag} {
				e.doWith("GET", path, e.admin, nil, "If-None-Match", inm).want304(tag)
			}
			e.doWith("GET", path, e.admin, nil, "If-None-Match", `"nope"`, "If-None-Match", tag).want304(tag)
			if r := e.doWith("GET", path, e.admin, nil, "If-None-Match", `"nope", W/"other"`).want(http.StatusOK); r.tag() != tag {
				t.Errorf("GET with a non-matching If-None-Match: ETag %q, want %q", r.tag(), tag)
			}
			for _, bad := range []string{"nope", `"open`, `"a" "b"`, `*, "a"`, `W/`, `"a"b"`} {
				e.doWith("GET", path, e.admin, nil, "If-None-Match", bad).wantError(http.StatusBadRequest, "invalid_precondition", "")
			}
		})
	}
	e.doWith("GET", "/api/v1/clients/999999", e.admin, nil, "If-None-Match", "*").wantError(http.StatusNotFound, "not_found", "")
	e.doWith("GET", "/api/v1/clients/999999", e.admin, nil, "If-None-Match", "bad").
		wantError(http.StatusBadRequest, "invalid_precondition", "")
}

// TestETagFollowsEveryChange: the tag changes with every change of the
// representation, those made through other resources included, and the
// answer of a write carries the tag a GET then gives.
func TestETagFollowsEveryChange(t *testing.T) { forEachEngine(t, testETagFollowsEveryChange) }

func testETagFollowsEveryChange(t *testing.T, open openStore) {
	e := newEnv(t, open)
	f := e.eFixture()
	client := "/api/v1/clients/" + f.client
	tags := map[string]string{}
	step := func(what, path string, change func() *response) {
		t.Helper()
		before := e.iGet(path, e.admin).tag()
		r := change()
		after := e.iGet(path, e.admin)
		if after.tag() == before {
			t.Errorf("%s: the ETag of %s did not change", what, path)
		}
		if p, dup := tags[after.tag()]; dup {
			t.Errorf("%s: the ETag of %s repeats the one after %s", what, path, p)
		}
		tags[after.tag()] = what
		if r.Status == http.StatusOK && !strings.Contains(path, "?") &&
			r.data()["id"] == after.data()["id"] && r.data()["type"] == after.data()["type"] {
			if r.tag() != after.tag() {
				t.Errorf("%s: the write answered ETag %q, GET then %q", what, r.tag(), after.tag())
			}
		}
	}
	patch := func(path, typ, id string, attrs map[string]any) func() *response {
		return func() *response {
			return e.do("PATCH", path, e.admin, map[string]any{"data": map[string]any{"type": typ, "id": id,
				"attributes": attrs}}).want(http.StatusOK)
		}
	}
	step("renaming", client, patch(client, "clients", f.client, map[string]any{"name": "Acme 2"}))
	step("the same name again", client, patch(client, "clients", f.client, map[string]any{"name": "Acme 2"}))
	step("the primary location's city", client, patch("/api/v1/locations/"+f.location, "locations", f.location,
		map[string]any{"city": "Hamburg"}))
	step("a new main contact", client, patch("/api/v1/contacts/"+f.other, "contacts", f.other, map[string]any{"is_main": true}))
	step("deleting the main contact", client, func() *response {
		return e.do("DELETE", "/api/v1/contacts/"+f.other, e.admin, nil).want(http.StatusNoContent)
	})
	step("the owner deleted", client, func() *response {
		e.do("PATCH", client, e.admin, map[string]any{"data": map[string]any{"type": "clients", "id": f.client,
			"relationships": map[string]any{"owner": ref("users", f.user)}}}).want(http.StatusOK)
		return e.do("DELETE", "/api/v1/users/"+f.user, e.admin, nil).want(http.StatusNoContent)
	})
	step("a location's city", "/api/v1/locations/"+f.location, patch("/api/v1/locations/"+f.location, "locations",
		f.location, map[string]any{"city": "Bremen"}))
	step("the contact renamed", "/api/v1/contacts/"+f.contact, patch("/api/v1/contacts/"+f.contact, "contacts",
		f.contact, map[string]any{"first_name": "Anna"}))
	step("the company renamed", "/api/v1/company", func() *response {
		id := e.iGet("/api/v1/company", e.admin).id()
		return patch("/api/v1/company", "companies", id, map[string]any{"name": "Acme Corp"})()
	})

	// Compound documents have tags of their own, which follow their included records.
	withContacts := client + "?include=contacts"
	plain, compound := e.iGet(client, e.admin).tag(), e.iGet(withContacts, e.admin).tag()
	sparse := e.iGet(client+"?fields[clients]=name", e.admin).tag()
	if plain == compound || plain == sparse || compound == sparse {
		t.Errorf("plain %s, include=contacts %s and fields %s share a tag", plain, compound, sparse)
	}
	step("an included contact renamed", withContacts, patch("/api/v1/contacts/"+f.contact, "contacts", f.contact,
		map[string]any{"position": "CEO"}))
	step("a contact added", withContacts, func() *response {
		return e.do("POST", "/api/v1/contacts", e.admin, resourceDoc("contacts", map[string]any{"last_name": "Cruz", "is_main": false},
			map[string]any{"client": ref("clients", f.client)})).want(http.StatusCreated)
	})
	if e.iGet(client, e.admin).tag() != plain {
		t.Error("the plain client's tag changed with a change only its compound documents show")
	}
	e.doWith("GET", withContacts, e.admin, nil, "If-None-Match", e.iGet(withContacts, e.admin).tag()).
		want(http.StatusNotModified)
	e.doWith("GET", withContacts, e.admin, nil, "If-None-Match", plain).want(http.StatusOK)
}

// TestETagsOfRapidWrites: writes in quick succession (many within one
// microsecond's reach of each other) each give a new tag.
func TestETagsOfRapidWrites(t *testing.T) { forEachEngine(t, testETagsOfRapidWrites) }

func testETagsOfRapidWrites(t *testing.T, open openStore) {
	e := newEnv(t, open)
	f := e.eFixture()
	seen := map[string]bool{e.iGet("/api/v1/clients/"+f.client, e.admin).tag(): true}
	for i := range 30 {
		var r *response
		if i%2 == 0 { // through the location: the client changes as a side effect
			e.do("PATCH", "/api/v1/locations/"+f.location, e.admin, map[string]any{"data": map[string]any{
				"type": "locations", "id": f.location, "attributes": map[string]any{"city": "C" + string(rune('a'+i))}}}).
				want(http.StatusOK)
			r = e.iGet("/api/v1/clients/"+f.client, e.admin)
		} else {
			r = e.do("PATCH", "/api/v1/clients/"+f.client, e.admin, map[string]any{"data": map[string]any{
				"type": "clients", "id": f.client, "attributes": map[string]any{"notes": "n"}}}).want(http.StatusOK)
		}
		if seen[r.tag()] {
			t.Fatalf("write %d repeated an earlier ETag", i)
		}
		seen[r.tag()] = true
	}
}

func TestIfMatch(t *testing.T) { forEachEngine(t, testIfMatch) }

func testIfMatch(t *testing.T, open openStore) {
	e := newEnv(t, open)
	f := e.eFixture()
	other, _ := e.newCompany("other")
	cases := []struct {
		path, typ, id string
		attrs         map[string]any
	}{
		{"/api/v1/clients/" + f.client, "clients", f.client, map[string]any{"notes": "x"}},
		{"/api/v1/locations/" + f.location, "locations", f.location, map[string]any{"city": "Köln"}},
		{"/api/v1/contacts/" + f.contact, "contacts", f.contact, map[string]any{"position": "CTO"}},
		{"/api/v1/users/" + f.user, "users", f.user, map[string]any{"full_name": "Mia M"}},
		{"/api/v1/company", "companies", "", map[string]any{"name": "Acme Inc"}},
	}
	for _, c := range cases {
		t.Run(c.typ, func(t *testing.T) {
			e := e.iWith(t)
			if c.id == "" {
				c.id = e.iGet(c.path, e.admin).id()
			}
			doc := map[string]any{"data": map[string]any{"type": c.typ, "id": c.id, "attributes": c.attrs}}
			before := e.iGet(c.path, e.admin)
			stale := before.tag()
			cur := e.do("PATCH", c.path, e.admin, doc).want(http.StatusOK).tag()
			unchanged := e.iGet(c.path, e.admin)
			for _, im := range []string{stale, "W/" + cur, `"x", ` + stale} {
				e.doWith("PATCH", c.path, e.admin, doc, "If-Match", im).wantError(http.StatusPreconditionFailed, "precondition_failed", "")
			}
			if after := e.iGet(c.path, e.admin); !bytes.Equal(after.Body, unchanged.Body) {
				t.Errorf("a refused PATCH changed the record: %s", after.Body)
			}
			// A precondition is decided before validation: a stale tag with a bad body is 412.
			bad := map[string]any{"data": map[string]any{"type": c.typ, "id": c.id, "attributes": map[string]any{"created_at": "x"}}}
			e.doWith("PATCH", c.path, e.admin, bad, "If-Match", stale).wantError(http.StatusPreconditionFailed, "precondition_failed", "")
			for _, bad := range []string{"nope", `"a`, `*, "x"`, ""} {
				e.doWith("PATCH", c.path, e.admin, doc, "If-Match", bad).wantError(http.StatusBadRequest, "invalid_precondition", "")
			}
			r := e.doWith("PATCH", c.path, e.admin, doc, "If-Match", cur).want(http.StatusOK)
			r = e.doWith("PATCH", c.path, e.admin, doc, "If-Match", `"x", `+r.tag()).want(http.StatusOK)
			e.doWith("PATCH", c.path, e.admin, doc, "If-Match", "*").want(http.StatusOK)
			if c.typ != "companies" {
				e.doWith("PATCH", c.path, other, doc, "If-Match", "*").wantError(http.StatusNotFound, "not_found", "")
			}
			_ = r
		})
	}
	t.Run("missing", func(t *testing.T) {
		e := e.iWith(t)
		doc := map[string]any{"data": map[string]any{"type": "clients", "id": "999999", "attributes": map[string]any{"notes": "x"}}}
		e.doWith("PATCH", "/api/v1/clients/999999", e.admin, doc, "If-Match", `"x"`).wantError(http.StatusNotFound, "not_found", "")
		e.doWith("DELETE", "/api/v1/clients/999999", e.admin, nil, "If-Match", "*").wantError(http.StatusNotFound, "not_found", "")
	})
	t.Run("delete", func(t *testing.T) {
		e := e.iWith(t)
		for _, path := range []string{"/api/v1/contacts/" + f.other, "/api/v1/locations/" + f.location,
			"/api/v1/tokens/" + f.token, "/api/v1/users/" + f.user, "/api/v1/clients/" + f.client} {
			tag := e.iGet(path, e.admin).tag()
			e.doWith("DELETE", path, e.admin, nil, "If-Match", `"stale"`).wantError(http.StatusPreconditionFailed, "precondition_failed", "")
			e.doWith("DELETE", path, e.admin, nil, "If-Match", "W/"+tag).wantError(http.StatusPreconditionFailed, "precondition_failed", "")
			e.doWith("DELETE", path, e.admin, nil, "If-Match", "bad").wantError(http.StatusBadRequest, "invalid_precondition", "")
			e.iGet(path, e.admin)
			e.doWith("DELETE", path, e.admin, nil, "If-Match", tag).want(http.StatusNoContent)
			e.doWith("DELETE", path, e.admin, nil, "If-Match", tag).wantError(http.StatusNotFound, "not_found", "")
		}
	})
}

// TestIfMatchRace: two PATCHes with the same If-Match sent at once; exactly
// one may win, every round, on both engines.
func TestIfMatchRace(t *testing.T) { forEachEngine(t, testIfMatchRace) }

func testIfMatchRace(t *testing.T, open openStore) {
	e := newEnv(t, open)
	f := e.eFixture()
	path := "/api/v1/clients/" + f.client
	for round := range 20 {
		tag := e.iGet(path, e.admin).tag()
		var wg sync.WaitGroup
		status := make([]int, 2)
		for i := range 2 {
			wg.Go(func() {
				req, _ := http.NewRequest("PATCH", e.srv.URL+path, strings.NewReader(
					`{"data":{"type":"clients","id":"`+f.client+`","attributes":{"notes":"writer `+string(rune('A'+i))+`"}}}`))
				req.Header.Set("Content-Type", "application/vnd.api+json")
				req.Header.Set("Authorization", "Bearer "+e.admin)
				req.Header.Set("If-Match", tag)
				res, err := e.srv.Client().Do(req)
				if err != nil {
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				status[i] = res.StatusCode
			})
		}
		wg.Wait()
		ok, failed := 0, 0
		for _, s := range status {
			switch s {
			case http.StatusOK:
				ok++
			case http.StatusPreconditionFailed:
				failed++
			}
		}
		if ok != 1 || failed != 1 {
			t.Fatalf("round %d: statuses %v, want one 200 and one 412", round, status)
		}
	}
}
