package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/api"
)

// The fuzz targets send what the fuzzer makes to the whole handler (routing,
// authentication, decoding, validation, the service and SQLite) in process,
// without a network, and hold it to: never a 5xx; a 4xx is a JSON:API error
// document whose errors say where the problem is; a 2xx to a write means
// the resource reads back as the response showed it.

// fuzzAPI is a Server over a fresh SQLite database of one fuzz worker, with
// one company whose admin's token is token and one record of each type to
// link to and to update.
type fuzzAPI struct {
	h     http.Handler
	svc   *clientele.Service
	token string
	ids   map[string]string // by JSON:API type: the record to update
}

func newFuzzAPI(f *testing.F) *fuzzAPI {
	f.Helper()
	store := openSQLite(f)
	svc := clientele.NewService(store, testHasher)
	a := &fuzzAPI{h: api.New(svc, api.Config{Cursors: cursorsOf(f, store)}), svc: svc, ids: map[string]string{}}
	p, err := svc.CreateCompany(context.Background(), clientele.NewCompany{
		Name: "Fuzz", Slug: "fuzz", AdminEmail: "admin@fuzz.example", AdminName: "Admin"})
	if err != nil {
		f.Fatal(err)
	}
	a.token = p.Secret
	for _, c := range []struct{ typ, body string }{
		{"users", `{"data":{"type":"users","attributes":{"full_name":"Member","email":"member@fuzz.example","role":"member"}}}`},
		{"clients", `{"data":{"type":"clients","attributes":{"name":"Müller GmbH","external_id":"C-1","types":["customer"]}}}`},
		{"clients", `{"data":{"type":"clients","attributes":{"name":"Second","address":{"city":"Berlin","country":"DE"}}}}`},
		{"locations", `{"data":{"type":"locations","attributes":{"name":"HQ","city":"Köln","country":"DE","is_primary":true},"relationships":{"client":{"data":{"type":"clients","id":"1"}}}}}`},
		{"contacts", `{"data":{"type":"contacts","attributes":{"first_name":"Ann","last_name":"Lee","email":"ann@fuzz.example","is_main":true},"relationships":{"client":{"data":{"type":"clients","id":"1"}}}}}`},
		{"contacts", `{"data":{"type":"contacts","attributes":{"first_name":"Bob","last_name":"Lee"},"relationships":{"client":{"data":{"type":"clients","id":"1"}}}}}`},
	} {
		status, raw := a.do("POST", api.Base+"/"+c.typ, c.body)
		if status != http.StatusCreated {
			f.Fatalf("setting up %s: %d %s", c.typ, status, raw)
		}
		if _, ok := a.ids[c.typ]; !ok {
			a.ids[c.typ] = fuzzData(f, raw)["id"].(string)
		}
	}
	return a
}

// do serves one request with the admin's token.
func (a *fuzzAPI) do(method, target, body string) (int, []byte) {
	req := httptest.NewRequest(method, "/", strings.NewReader(body))
	path, query, _ := strings.Cut(target, "?")
	req.URL.Path, req.URL.RawQuery = path, query
	if body != "" {
		req.Header.Set("Content-Type", api.MediaType)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// fuzzData returns data of a single-resource document.
func fuzzData(t testing.TB, raw []byte) map[string]any {
	t.Helper()
	var doc struct {
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil || doc.Data == nil {
		t.Fatalf("not a resource document: %v: %s", err, raw)
	}
	return doc.Data
}

// fuzzErrors checks that raw is the error document of a 4xx status: each
// error carries that status and a code, and, for 400 and 422, a source
// naming the parameter or pointing into the body (paramless: codes about the
// whole request that have no place to name).
func fuzzErrors(t *testing.T, status int, raw []byte, paramless ...string) {
	t.Helper()
	if status >= 500 || status < 400 {
		t.Fatalf("status %d; body: %s", status, raw)
	}
	var doc struct {
		Errors []struct {
			Status string `json:"status"`
			Code   string `json:"code"`
			Source *struct {
				Pointer   string `json:"pointer"`
				Parameter string `json:"parameter"`
			} `json:"source"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil || len(doc.Errors) == 0 {
		t.Fatalf("status %d without an error document: %v: %s", status, err, raw)
	}
	for _, e := range doc.Errors {
		if e.Status != strconv.Itoa(status) || e.Code == "" {
			t.Fatalf("status %d with error %+v: %s", status, e, raw)
		}
		if (status == http.StatusBadRequest || status == http.StatusUnprocessableEntity) &&
			(e.Source == nil || e.Source.Pointer == "" && e.Source.Parameter == "") && !slices.Contains(paramless, e.Code) {
			t.Fatalf("status %d: error %s names no parameter or pointer: %s", status, e.Code, raw)
		}
	}
}

// fuzzWrite fuzzes request bodies of POST and PATCH of one resource type.
// patch selects PATCH of the setup's record instead of POST.
func fuzzWrite(f *testing.F, typ string, seeds ...string) {
	a := newFuzzAPI(f)
	id := a.ids[typ]
	for _, s := range seeds {
		f.Add(s, false)
		f.Add(strings.Replace(s, `"type":"`+typ+`"`, `"type":"`+typ+`","id":"`+id+`"`, 1), true)
	}
	f.Add(`{"data":{"type":"`+typ+`","id":"`+id+`","attributes":{}}}`, true)
	f.Add(`{"data":{"type":"`+typ+`","attributes":{"name":"\ud800"}}}`, false)
	f.Add(`{"data":{"type":"`+typ+`","attributes":{"name":"a","name":"b"}}}`, false)
	f.Add(`{"data":null}`, false)
	f.Add(`[]`, false)
	f.Add(``, true)
	f.Add(`{"data":{"type":"`+typ+`","attributes":{"created_at":"2026-01-01T00:00:00Z"}}} {}`, false)
	f.Fuzz(func(t *testing.T, body string, patch bool) {
		method, target := "POST", api.Base+"/"+typ
		if patch {
			method, target = "PATCH", target+"/"+id
		}
		status, raw := a.do(method, target, body)
		if status/100 != 2 {
			fuzzErrors(t, status, raw)
			return
		}
		if want := map[bool]int{false: http.StatusCreated, true: http.StatusOK}[patch]; status != want {
			t.Fatalf("%s: %d, want %d", method, status, want)
		}
		wrote := fuzzData(t, raw)
		self := api.Base + "/" + typ + "/" + fmt.Sprint(wrote["id"])
		status, raw = a.do("GET", self, "")
		if status != http.StatusOK {
			t.Fatalf("%s answered %v, but GET %s: %d %s", method, wrote, self, status, raw)
		}
		if read := fuzzData(t, raw); !reflect.DeepEqual(read, wrote) {
			t.Fatalf("%s answered\n%v\nGET %s reads\n%v", method, wrote, self, read)
		}
	})
}

func FuzzClientWrite(f *testing.F) {
	fuzzWrite(f, "clients",
		`{"data":{"type":"clients","attributes":{"name":"Acme","external_id":"X-9","types":["customer","supplier"],"email":"a@acme.example","website":"https://acme.example","iban":"DE89370400440532013000","default_rate":"12.50","default_rate_type":"hour","invoice_reminders":true,"address":{"street":"Main","house_number":"1","postal_code":"10115","city":"Berlin","country":"DE"}},"relationships":{"owner":{"data":{"type":"users","id":"1"}},"salesperson":{"data":null}}}}`,
		`{"data":{"type":"clients","attributes":{"name":"Acme","address":null,"notes":"","tax_number":null}}}`,
		`{"data":{"type":"clients","attributes":{"name":"","types":["nope"],"email":"x","iban":"DE00","logo":"x"},"relationships":{"contacts":{"data":[]}}}}`,
	)
}

func FuzzLocationWrite(f *testing.F) {
	fuzzWrite(f, "locations",
		`{"data":{"type":"locations","attributes":{"name":"Depot","street":"Ring","house_number":"2","postal_code":"50667","city":"Köln","country":"DE","email":"d@acme.example","phone":"+49 221 1","is_primary":false},"relationships":{"client":{"data":{"type":"clients","id":"1"}}}}}`,
		`{"data":{"type":"locations","attributes":{"name":"Depot","is_primary":true},"relationships":{"client":{"data":{"type":"clients","id":"2"}}}}}`,
		`{"data":{"type":"locations","attributes":{"country":"XX","id":"3"},"relationships":{"client":{"data":{"type":"users","id":"1"}}}}}`,
	)
}

func FuzzContactWrite(f *testing.F) {
	fuzzWrite(f, "contacts",
		`{"data":{"type":"contacts","attributes":{"first_name":"Eve","last_name":"Ng","gender":"female","email":"eve@acme.example","phone":"+1 555","position":"CEO","is_main":false,"portal_access":true,"password":"correct horse battery"},"relationships":{"client":{"data":{"type":"clients","id":"1"}}}}}`,
		`{"data":{"type":"contacts","attributes":{"last_name":"Ng","is_main":true},"relationships":{"client":{"data":{"type":"clients","id":"2"}}}}}`,
		`{"data":{"type":"contacts","attributes":{"name":"x","password":null,"gender":"?"},"relationships":{"client":{"data":{"type":"clients","id":"999"}}}}}`,
	)
}

func FuzzUserWrite(f *testing.F) {
	fuzzWrite(f, "users",
		`{"data":{"type":"users","attributes":{"full_name":"Zoë","email":"zoe@fuzz.example","role":"admin"}}}`,
		`{"data":{"type":"users","attributes":{"full_name":"Max","email":"max@fuzz.example","role":"member"}}}`,
		`{"data":{"type":"users","attributes":{"full_name":"","email":"nope","role":"owner","company_id":"2"}}}`,
	)
}

// FuzzQuery sends GET requests with any query string to the list and
// single-resource endpoints: only 200 or a 400 that names the parameter
// (but invalid_query, a query string that does not parse); a list's
// links.next answers 200.
func FuzzQuery(f *testing.F) {
	a := newFuzzAPI(f)
	paths := []string{"/clients", "/locations", "/contacts", "/users", "/tokens",
		"/clients/1", "/clients/1/contacts", "/clients/1/locations", "/contacts/1", "/locations/1", "/users/1",
		"/company", "/info"}
	for i, q := range []string{
		"", "filter[name]=müller&sort=-name,created_at&page[size]=1&include=contacts,locations&fields[clients]=name,contacts",
		"filter[email]=ann@fuzz.example&sort=last_name&page[size]=1", "filter[city]=köln&page[number]=2&page[size]=1",
		"q=lee&page[size]=1", "page[size]=1", "page[size]=1&page[after]=eyJpIjoxfQ", "include=client&fields[contacts]=first_name",
		"include=contacts,locations&fields[clients]=name&fields[contacts]=email", "include=owner",
		"filter[id]=1,2,3&filter[external_id]=C-1&filter[types]=customer&filter[owner]=1", "sort=nope&page[size]=0&filter[x]=1&a;b",
		"filter[created_at][gte]=2020-01-01T00:00:00Z&filter[updated_at][lt]=2100-01-01", "fields[x]=&include=",
		"page[number]=1&page[after]=x", "sort=id&sort=id", "%zz",
	} {
		f.Add(uint8(0), q)
		f.Add(uint8(i), q)
	}
	f.Fuzz(func(t *testing.T, which uint8, query string) {
		path := api.Base + paths[int(which)%len(paths)]
		status, raw := a.do("GET", path+"?"+query, "")
		if status == http.StatusOK {
			var doc struct {
				Links struct {
					Next *string `json:"next"`
				} `json:"links"`
			}
			json.Unmarshal(raw, &doc)
			if doc.Links.Next != nil {
				next, err := url.Parse(*doc.Links.Next)
				if err != nil {
					t.Fatalf("GET %s?%s: links.next %q: %v", path, query, *doc.Links.Next, err)
				}
				if status, raw := a.do("GET", next.Path+"?"+next.RawQuery, ""); status != http.StatusOK {
					t.Fatalf("GET %s?%s: links.next %s: %d %s", path, query, *doc.Links.Next, status, raw)
				}
			}
			return
		}
		if status != http.StatusBadRequest {
			t.Fatalf("GET %s?%s: %d %s", path, query, status, raw)
		}
		fuzzErrors(t, status, raw, "invalid_query")
	})
}
