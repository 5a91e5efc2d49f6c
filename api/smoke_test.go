package api_test

import (
	"net/http"
	"testing"
)

func TestHarness(t *testing.T) {
	e := newEnv(t)
	id := e.createClient(e.admin, map[string]any{"name": "Acme GmbH"})
	got := e.do("GET", "/api/v1/clients/"+id, e.admin, nil).want(http.StatusOK)
	if got.attrs()["name"] != "Acme GmbH" || got.relID("owner") != e.userID {
		t.Fatalf("got %s", got.Body)
	}
	e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": ""}, nil)).
		wantError(http.StatusUnprocessableEntity, "required", "/data/attributes/name")
}
