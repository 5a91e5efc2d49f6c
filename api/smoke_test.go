package api_test

import (
	"net/http"
	"testing"
)

func TestHarness(t *testing.T) { forEachEngine(t, testHarness) }

func testHarness(t *testing.T, open openStore) {
	e := newEnv(t, open)
	id := e.createClient(e.admin, map[string]any{"name": "Acme GmbH"})
	got := e.do("GET", "/api/v1/clients/"+id, e.admin, nil).want(http.StatusOK)
	if got.attrs()["name"] != "Acme GmbH" || got.relID("owner") != e.userID {
		t.Fatalf("got %s", got.Body)
	}
	e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": ""}, nil)).
		wantError(http.StatusUnprocessableEntity, "required", "/data/attributes/name")
}

// The Location of a new token names a resource that can be read, once only by
// whom may manage it.
func TestTokenLocationResolves(t *testing.T) { forEachEngine(t, testTokenLocationResolves) }

func testTokenLocationResolves(t *testing.T, open openStore) {
	e := newEnv(t, open)
	created := e.do("POST", "/api/v1/tokens", e.admin, resourceDoc("tokens", map[string]any{"name": "ci"}, nil)).
		want(http.StatusCreated)
	got := e.do("GET", created.Header.Get("Location"), e.admin, nil).want(http.StatusOK)
	if got.attrs()["name"] != "ci" || got.relID("user") != e.userID {
		t.Fatalf("GET %s: %s", created.Header.Get("Location"), got.Body)
	}
	if _, ok := got.attrs()["secret"]; ok {
		t.Fatal("a token's secret is shown again")
	}
	other, _ := e.newCompany("other")
	e.do("GET", created.Header.Get("Location"), other, nil).wantError(http.StatusNotFound, "not_found", "")
}
