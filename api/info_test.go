package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

type infoDoc struct {
	Data struct {
		Type       string `json:"type"`
		ID         string `json:"id"`
		Attributes struct {
			ClientTypes []string `json:"client_types"`
			Genders     []string `json:"genders"`
			RateTypes   []string `json:"rate_types"`
			Countries   []struct {
				Code, Name string
			} `json:"countries"`
			Limits struct {
				PageSizeDefault int                       `json:"page_size_default"`
				PageSizeMax     int                       `json:"page_size_max"`
				BodyBytes       int                       `json:"body_bytes"`
				Lengths         map[string]map[string]int `json:"lengths"`
			} `json:"limits"`
		} `json:"attributes"`
	} `json:"data"`
}

func TestInfo(t *testing.T) { forEachEngine(t, testInfo) }

func testInfo(t *testing.T, open openStore) {
	e := newEnv(t, open)
	r := e.do("GET", "/api/v1/info", e.admin, nil).want(http.StatusOK)
	var doc infoDoc
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	a := doc.Data.Attributes
	if doc.Data.Type != "info" || doc.Data.ID != "v1" {
		t.Errorf("resource %s/%s, want info/v1", doc.Data.Type, doc.Data.ID)
	}
	if strings.Join(a.ClientTypes, ",") != "customer,supplier,prospect" || strings.Join(a.Genders, ",") != "female,male,other" ||
		strings.Join(a.RateTypes, ",") != "hour,day,month,fixed" {
		t.Errorf("options %v %v %v", a.ClientTypes, a.Genders, a.RateTypes)
	}
	names := map[string]string{}
	for _, c := range a.Countries {
		names[c.Code] = c.Name
	}
	if len(a.Countries) != 249 || len(names) != 249 || names["DE"] != "Germany" || names["GB"] != "United Kingdom" {
		t.Errorf("%d countries (%d distinct); DE=%q GB=%q", len(a.Countries), len(names), names["DE"], names["GB"])
	}
	for _, bad := range []string{"UK", "XX", "EU"} {
		if _, ok := names[bad]; ok {
			t.Errorf("countries lists %s", bad)
		}
	}
	if a.Limits.PageSizeDefault != 25 || a.Limits.PageSizeMax != 100 || a.Limits.BodyBytes != 1<<20 {
		t.Errorf("limits %+v", a.Limits)
	}

	// The published lengths are the ones validation enforces: at the limit
	// a value is accepted, one more code point is too_long. Attributes with
	// a format (e-mail, phone, URL) are left out: "x"×n is not one.
	client := e.createClient(e.admin, map[string]any{"name": "Info"})
	paths := map[string]string{"clients": "/api/v1/clients/" + client,
		"locations": "/api/v1/locations/" + e.createLocation(e.admin, client, map[string]any{"country": "DE"}),
		"contacts":  "/api/v1/contacts/" + e.createContact(e.admin, client, map[string]any{"first_name": "I"})}
	formatted := map[string]bool{"email": true, "billing_email": true, "phone": true, "phone_secondary": true,
		"mobile": true, "fax": true, "website": true}
	for typ, path := range paths {
		for attr, max := range a.Limits.Lengths[typ] {
			if formatted[attr] {
				continue
			}
			id := path[strings.LastIndexByte(path, '/')+1:]
			patch := func(n int) *response {
				return e.do("PATCH", path, e.admin, map[string]any{"data": map[string]any{"type": typ, "id": id,
					"attributes": map[string]any{attr: strings.Repeat("ü", n)}}})
			}
			patch(max).want(http.StatusOK)
			patch(max+1).wantError(http.StatusUnprocessableEntity, "too_long", "/data/attributes/"+attr)
		}
	}

	e.do("GET", "/api/v1/info", "", nil).wantError(http.StatusUnauthorized, "invalid_token", "")
	e.do("GET", "/api/v1/info?x=1", e.admin, nil).wantError(http.StatusBadRequest, "unknown_parameter", "?x")
}
