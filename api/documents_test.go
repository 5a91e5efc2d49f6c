package api_test

// Request-document and transport rules of API.md §2, tested through the real
// HTTP handler: media types (415), size (413), syntax and shape of documents
// and query strings (400), type and id mismatches (409), routes (404, 405)
// and credentials (401). Every error is a JSON:API error document, never a 5xx,
// and a rejected request changes nothing.

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/clientele/clientele/api"
)

// vRaw sends body (nil for none) with header; a bearer token is added unless
// header names Authorization.
func (e *env) vRaw(method, path, token string, header map[string]string, body io.Reader) *response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	return e.send(req)
}

// vBody sends body as a JSON:API document.
func (e *env) vBody(method, path, token, body string) *response {
	e.t.Helper()
	return e.vRaw(method, path, token, map[string]string{"Content-Type": api.MediaType}, strings.NewReader(body))
}

// vChunked hides a reader's length so that the request is sent chunked.
type vChunked struct{ r io.Reader }

func (c vChunked) Read(p []byte) (int, error) { return c.r.Read(p) }

// vPadded returns a valid client document padded with trailing white space to n bytes.
func vPadded(n int) []byte {
	doc := `{"data":{"type":"clients","attributes":{"name":"Padded"}}}`
	return []byte(doc + strings.Repeat(" ", n-len(doc)))
}

const vClientsList = "/api/v1/clients?page[size]=100"

func TestDocumentMediaType(t *testing.T) { forEachEngine(t, testDocumentMediaType) }

func testDocumentMediaType(t *testing.T, open openStore) {
	e := newEnv(t, open)
	valid := `{"data":{"type":"clients","attributes":{"name":"Media"}}}`
	cases := []struct {
		contentType string
		want        int
	}{
		{"", http.StatusUnsupportedMediaType},
		{"text/plain", http.StatusUnsupportedMediaType},
		{"text/plain; charset=utf-8", http.StatusUnsupportedMediaType},
		{"text/json", http.StatusUnsupportedMediaType},
		{"application/xml", http.StatusUnsupportedMediaType},
		{"application/x-www-form-urlencoded", http.StatusUnsupportedMediaType},
		{"multipart/form-data; boundary=xyz", http.StatusUnsupportedMediaType},
		{"application/octet-stream", http.StatusUnsupportedMediaType},
		{"application/merge-patch+json", http.StatusUnsupportedMediaType},
		{"application/json; charset=latin1", http.StatusUnsupportedMediaType},
		{"application/vnd.api+json; charset=utf-8", http.StatusUnsupportedMediaType},                        // JSON:API: only ext and profile
		{`application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"`, http.StatusUnsupportedMediaType}, // an unsupported extension
		{"application/", http.StatusUnsupportedMediaType},
		{";;;", http.StatusUnsupportedMediaType},
		{"application/json", http.StatusCreated},
		{"application/json; charset=utf-8", http.StatusCreated},
		{"application/json;charset=UTF-8", http.StatusCreated},
		{"Application/JSON", http.StatusCreated},
		{"application/vnd.api+json", http.StatusCreated},
		{`application/vnd.api+json; profile="https://example.com/profiles/x"`, http.StatusCreated},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%q", c.contentType), func(t *testing.T) {
			se := e.vSub(t)
			before := se.vState(se.admin, vClientsList)
			r := se.vRaw("POST", "/api/v1/clients", se.admin, map[string]string{"Content-Type": c.contentType},
				strings.NewReader(valid))
			if c.want == http.StatusCreated {
				r.want(http.StatusCreated)
				if ct := r.Header.Get("Content-Type"); ct != api.MediaType {
					t.Errorf("response Content-Type %q", ct)
				}
				if loc := r.Header.Get("Location"); loc != "/api/v1/clients/"+r.id() {
					t.Errorf("Location %q for client %s", loc, r.id())
				}
				return
			}
			se.vUnchanged(before, se.admin, vClientsList)
			r.vWant(c.want, "unsupported_media_type", "")
		})
	}

	// every endpoint that takes a document checks it
	client := e.createClient(e.admin, map[string]any{"name": "Client"})
	location := e.createLocation(e.admin, client, map[string]any{"country": "DE"})
	contact := e.createContact(e.admin, client, map[string]any{"first_name": "Ada"})
	for _, c := range []struct{ method, path, typ, state string }{
		{"PATCH", "/api/v1/clients/" + client, "clients", "/api/v1/clients/" + client},
		{"POST", "/api/v1/locations", "locations", "/api/v1/locations"},
		{"PATCH", "/api/v1/locations/" + location, "locations", "/api/v1/locations/" + location},
		{"POST", "/api/v1/contacts", "contacts", "/api/v1/contacts"},
		{"PATCH", "/api/v1/contacts/" + contact, "contacts", "/api/v1/contacts/" + contact},
		{"POST", "/api/v1/users", "users", "/api/v1/users"},
		{"PATCH", "/api/v1/users/" + e.userID, "users", "/api/v1/users/" + e.userID},
		{"POST", "/api/v1/tokens", "tokens", "/api/v1/tokens"},
		{"PATCH", "/api/v1/company", "companies", "/api/v1/company"},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			se := e.vSub(t)
			e.do("GET", "/api/v1/company", se.admin, nil) // touch the token first
			before := se.vState(se.admin, c.state)
			body := fmt.Sprintf(`{"data":{"type":%q,"attributes":{"name":"Renamed","full_name":"Renamed","first_name":"Renamed"}}}`, c.typ)
			r := se.vRaw(c.method, c.path, se.admin, map[string]string{"Content-Type": "text/plain"}, strings.NewReader(body))
			se.vUnchanged(before, se.admin, c.state)
			r.vWant(http.StatusUnsupportedMediaType, "unsupported_media_type", "")
		})
	}

	// a POST without any body is a missing document (400), not a media type problem
	before := e.vState(e.admin, vClientsList)
	r := e.vRaw("POST", "/api/v1/clients", e.admin, nil, nil)
	e.vUnchanged(before, e.admin, vClientsList)
	r.vWant(http.StatusBadRequest, "", "")
}

func TestDocumentTooLarge(t *testing.T) { forEachEngine(t, testDocumentTooLarge) }

func testDocumentTooLarge(t *testing.T, open openStore) {
	e := newEnv(t, open)
	cases := []struct {
		name    string
		size    int
		chunked bool
		want    int
	}{
		{"exactly 1 MiB", api.MaxBody, false, http.StatusCreated},
		{"exactly 1 MiB chunked", api.MaxBody, true, http.StatusCreated},
		{"1 MiB + 1", api.MaxBody + 1, false, http.StatusRequestEntityTooLarge},
		{"1 MiB + 1 chunked", api.MaxBody + 1, true, http.StatusRequestEntityTooLarge},
		{"4 MiB", 4 << 20, false, http.StatusRequestEntityTooLarge},
		{"4 MiB chunked", 4 << 20, true, http.StatusRequestEntityTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			se := e.vSub(t)
			before := se.vState(se.admin, vClientsList)
			var body io.Reader = bytes.NewReader(vPadded(c.size))
			if c.chunked {
				body = vChunked{body}
			}
			r := se.vRaw("POST", "/api/v1/clients", se.admin, map[string]string{"Content-Type": api.MediaType}, body)
			if c.want == http.StatusCreated {
				r.want(http.StatusCreated)
				return
			}
			se.vUnchanged(before, se.admin, vClientsList)
			r.vWant(c.want, "", "")
		})
	}

	// a large string is too large, not too long
	before := e.vState(e.admin, vClientsList)
	big := fmt.Sprintf(`{"data":{"type":"clients","attributes":{"name":"Big","notes":%q}}}`, strings.Repeat("n", 2<<20))
	r := e.vBody("POST", "/api/v1/clients", e.admin, big)
	e.vUnchanged(before, e.admin, vClientsList)
	r.vWant(http.StatusRequestEntityTooLarge, "", "")

	// PATCH too
	id := e.createClient(e.admin, map[string]any{"name": "Small"})
	before = e.vState(e.admin, "/api/v1/clients/"+id)
	body := fmt.Sprintf(`{"data":{"type":"clients","id":%q,"attributes":{"name":"Big","notes":%q}}}`, id, strings.Repeat("n", 2<<20))
	r = e.vRaw("PATCH", "/api/v1/clients/"+id, e.admin, map[string]string{"Content-Type": api.MediaType},
		vChunked{strings.NewReader(body)})
	e.vUnchanged(before, e.admin, "/api/v1/clients/"+id)
	r.vWant(http.StatusRequestEntityTooLarge, "", "")
}

// vMalformed are bodies that are not a usable request document for a client.
var vMalformed = []struct {
	name string
	body string
	code string // "" for any
}{
	{"empty", "", "empty_body"},
	{"white space", " \r\n\t ", "empty_body"},
	{"truncated", `{"data":{"type":"clients","attributes":{"name":"X"}`, "invalid_json"},
	{"unterminated string", `{"data":{"type":"clients","attributes":{"name":"X}}}`, "invalid_json"},
	{"single quotes", `{'data':{'type':'clients'}}`, "invalid_json"},
	{"trailing comma", `{"data":{"type":"clients","attributes":{"name":"X",}}}`, "invalid_json"},
	{"comment", `{"data":{"type":"clients","attributes":{"name":"X"}}} // hi`, ""},
	{"NaN", `{"data":{"type":"clients","attributes":{"name":NaN}}}`, "invalid_json"},
	{"raw control character", "{\"data\":{\"type\":\"clients\",\"attributes\":{\"name\":\"a\x01b\"}}}", "invalid_json"},
	{"raw NUL", "{\"data\":{\"type\":\"clients\",\"attributes\":{\"name\":\"a\x00b\"}}}", ""},
	{"trailing object", `{"data":{"type":"clients","attributes":{"name":"X"}}} {}`, "trailing_data"},
	{"trailing garbage", `{"data":{"type":"clients","attributes":{"name":"X"}}}x`, ""},
	{"trailing number", `{"data":{"type":"clients","attributes":{"name":"X"}}} 1`, "trailing_data"},
	{"two documents", `{"data":{"type":"clients","attributes":{"name":"X"}}}{"data":{"type":"clients","attributes":{"name":"Y"}}}`, "trailing_data"},
	{"duplicate top-level key", `{"data":{"type":"clients","attributes":{"name":"X"}},"data":{"type":"clients","attributes":{"name":"Y"}}}`, "duplicate_key"},
	{"duplicate data key", `{"data":{"type":"clients","type":"clients","attributes":{"name":"X"}}}`, "duplicate_key"},
	{"duplicate attribute", `{"data":{"type":"clients","attributes":{"name":"X","name":"Y"}}}`, "duplicate_key"},
	{"duplicate address member", `{"data":{"type":"clients","attributes":{"name":"X","address":{"country":"DE","country":"FR"}}}}`, "duplicate_key"},
	{"duplicate relationship id", `{"data":{"type":"clients","attributes":{"name":"X"},"relationships":{"owner":{"data":{"type":"users","id":"1","id":"2"}}}}}`, "duplicate_key"},
	{"duplicate key in meta", `{"meta":{"a":1,"a":2},"data":{"type":"clients","attributes":{"name":"X"}}}`, "duplicate_key"},
	{"duplicate key in array", `{"data":{"type":"clients","attributes":{"name":"X","types":[{"a":1,"a":1}]}}}`, "duplicate_key"},
	{"duplicate key by escape", `{"data":{"type":"clients","attributes":{"name":"X","n\u0061me":"Y"}}}`, "duplicate_key"},
	{"invalid UTF-8 byte", "{\"data\":{\"type\":\"clients\",\"attributes\":{\"name\":\"\xff\"}}}", "invalid_utf8"},
	{"overlong UTF-8", "{\"data\":{\"type\":\"clients\",\"attributes\":{\"name\":\"\xc0\xaf\"}}}", "invalid_utf8"},
	{"UTF-8 surrogate bytes", "{\"data\":{\"type\":\"clients\",\"attributes\":{\"name\":\"\xed\xa0\x80\"}}}", "invalid_utf8"},
	{"truncated UTF-8", "{\"data\":{\"type\":\"clients\",\"attributes\":{\"name\":\"\xc3\"}}}", "invalid_utf8"},
	{"Latin-1", "{\"data\":{\"type\":\"clients\",\"attributes\":{\"name\":\"M\xfcller\"}}}", "invalid_utf8"},
	{"invalid UTF-8 in a key", "{\"data\":{\"type\":\"clients\",\"attributes\":{\"name\":\"X\",\"\xff\":1}}}", "invalid_utf8"},
	{"lone high surrogate", `{"data":{"type":"clients","attributes":{"name":"\ud800"}}}`, "invalid_utf8"},
	{"lone high surrogate at end", `{"data":{"type":"clients","attributes":{"name":"ab\uD83D"}}}`, "invalid_utf8"},
	{"lone low surrogate", `{"data":{"type":"clients","attributes":{"name":"\udc00"}}}`, "invalid_utf8"},
	{"high surrogate before a letter", `{"data":{"type":"clients","attributes":{"name":"\ud800\u0041"}}}`, "invalid_utf8"},
	{"two high surrogates", `{"data":{"type":"clients","attributes":{"name":"\ud800\ud800"}}}`, "invalid_utf8"},
	{"reversed pair", `{"data":{"type":"clients","attributes":{"name":"\ude00\ud83d"}}}`, "invalid_utf8"},
	{"lone surrogate in a key", `{"data":{"type":"clients","attributes":{"name":"X","\ud800":1}}}`, "invalid_utf8"},
	{"byte order mark", "\xef\xbb\xbf{\"data\":{\"type\":\"clients\",\"attributes\":{\"name\":\"X\"}}}", ""},
	{"null", `null`, "invalid_document"},
	{"array", `[{"data":{"type":"clients","attributes":{"name":"X"}}}]`, "invalid_document"},
	{"string", `"clients"`, "invalid_document"},
	{"number", `42`, "invalid_document"},
	{"empty object", `{}`, "invalid_document"},
	{"data null", `{"data":null}`, "invalid_document"},
	{"data array", `{"data":[{"type":"clients","attributes":{"name":"X"}}]}`, "invalid_document"},
	{"data string", `{"data":"clients"}`, "invalid_document"},
	{"no type", `{"data":{"attributes":{"name":"X"}}}`, "invalid_document"},
	{"type null", `{"data":{"type":null,"attributes":{"name":"X"}}}`, "invalid_document"},
	{"type number", `{"data":{"type":1,"attributes":{"name":"X"}}}`, "invalid_document"},
	{"attributes array", `{"data":{"type":"clients","attributes":[]}}`, "invalid_document"},
	{"attributes string", `{"data":{"type":"clients","attributes":"name=X"}}`, "invalid_document"},
	{"relationships array", `{"data":{"type":"clients","attributes":{"name":"X"},"relationships":[]}}`, "invalid_document"},
	{"unknown top-level member", `{"data":{"type":"clients","attributes":{"name":"X"}},"extra":1}`, "invalid_document"},
	{"errors with data", `{"data":{"type":"clients","attributes":{"name":"X"}},"errors":[]}`, "invalid_document"},
	{"unknown resource member", `{"data":{"type":"clients","attributes":{"name":"X"},"name":"Y"}}`, "invalid_document"},
	{"Data capitalised", `{"Data":{"type":"clients","attributes":{"name":"X"}}}`, ""},
	{"deep nesting", `{"data":{"type":"clients","attributes":{"name":"X","notes":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}}}`, ""},
}

func TestDocumentMalformed(t *testing.T) { forEachEngine(t, testDocumentMalformed) }

func testDocumentMalformed(t *testing.T, open openStore) {
	e := newEnv(t, open)
	for _, c := range vMalformed {
		t.Run("create/"+c.name, func(t *testing.T) {
			se := e.vSub(t)
			before := se.vState(se.admin, vClientsList)
			r := se.vBody("POST", "/api/v1/clients", se.admin, c.body)
			se.vUnchanged(before, se.admin, vClientsList)
			r.vWant(http.StatusBadRequest, c.code, "")
		})
	}
	id := e.createClient(e.admin, map[string]any{"name": "Target", "notes": "keep"})
	path := "/api/v1/clients/" + id
	for _, c := range vMalformed {
		t.Run("patch/"+c.name, func(t *testing.T) {
			se := e.vSub(t)
			before := se.vState(se.admin, path, vClientsList)
			body := strings.Replace(c.body, `"type":"clients"`, `"type":"clients","id":"`+id+`"`, 1)
			r := se.vBody("PATCH", path, se.admin, body)
			se.vUnchanged(before, se.admin, path, vClientsList)
			r.vWant(http.StatusBadRequest, c.code, "")
		})
	}
}

// TestDocumentAcceptedEdges: documents that look odd but are valid.
func TestDocumentAcceptedEdges(t *testing.T) { forEachEngine(t, testDocumentAcceptedEdges) }

func testDocumentAcceptedEdges(t *testing.T, open openStore) {
	e := newEnv(t, open)
	cases := []struct {
		name string
		body string
		want map[string]any
	}{
		{"surrogate pair", `{"data":{"type":"clients","attributes":{"name":"\ud83d\ude00 Smile"}}}`, map[string]any{"name": "😀 Smile"}},
		{"escaped backslash before u", `{"data":{"type":"clients","attributes":{"name":"C:\\ud800"}}}`, map[string]any{"name": `C:\ud800`}},
		{"escaped letters", `{"data":{"type":"clients","attributes":{"name":"M\u00fcller \u0026 S\u00f6hne"}}}`, map[string]any{"name": "Müller & Söhne"}},
		{"raw UTF-8", `{"data":{"type":"clients","attributes":{"name":"Müller 株式会社"}}}`, map[string]any{"name": "Müller 株式会社"}},
		{"white space around", " \n\t{\"data\":{\"type\":\"clients\",\"attributes\":{\"name\":\"Spaced\"}}}\n\n ", map[string]any{"name": "Spaced"}},
		{"meta and jsonapi members", `{"jsonapi":{"version":"1.1"},"meta":{"source":"test"},"data":{"type":"clients","meta":{"x":1},"attributes":{"name":"Meta"}}}`,
			map[string]any{"name": "Meta"}},
		{"relationships null", `{"data":{"type":"clients","attributes":{"name":"Rel"},"relationships":null}}`, map[string]any{"name": "Rel"}},
		{"same key in different objects", `{"data":{"type":"clients","attributes":{"name":"Twice","address":{"country":"DE","city":"Berlin"}},"meta":{"name":"x","country":"y"}}}`,
			map[string]any{"name": "Twice"}},
		{"key differing in case is a different key", `{"data":{"type":"clients","attributes":{"name":"Case"},"meta":{"name":1,"Name":2}}}`,
			map[string]any{"name": "Case"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			se := e.vSub(t)
			r := se.vBody("POST", "/api/v1/clients", se.admin, c.body).want(http.StatusCreated)
			vWantAttrs(t, r.attrs(), c.want)
			vWantAttrs(t, se.do("GET", "/api/v1/clients/"+r.id(), se.admin, nil).want(http.StatusOK).attrs(), c.want)
		})
	}
}

func TestDocumentQuery(t *testing.T) { forEachEngine(t, testDocumentQuery) }

func testDocumentQuery(t *testing.T, open openStore) {
	e := newEnv(t, open)
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, e.createClient(e.admin, map[string]any{"name": fmt.Sprint("Q", i)}))
	}
	cursor := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	cases := []struct {
		name, query, code, param string
	}{
		{"page size 0", "page[size]=0", "invalid_page_size", "page[size]"},
		{"page size 101", "page[size]=101", "invalid_page_size", "page[size]"},
		{"page size abc", "page[size]=abc", "invalid_page_size", "page[size]"},
		{"page size -1", "page[size]=-1", "invalid_page_size", "page[size]"},
		{"page size 1.5", "page[size]=1.5", "invalid_page_size", "page[size]"},
		{"page size empty", "page[size]=", "invalid_page_size", "page[size]"},
		{"page size huge", "page[size]=99999999999999999999", "invalid_page_size", "page[size]"},
		{"page size twice", "page[size]=1&page[size]=2", "", "page[size]"},
		{"cursor garbage", "page[after]=abc", "invalid_cursor", "page[after]"},
		{"cursor not base64", "page[after]=!!!", "invalid_cursor", "page[after]"},
		{"cursor empty", "page[after]=", "invalid_cursor", "page[after]"},
		{"cursor forged text", "page[after]=" + cursor("id:abc"), "invalid_cursor", "page[after]"},
		{"cursor forged zero", "page[after]=" + cursor("id:0"), "invalid_cursor", "page[after]"},
		{"cursor forged negative", "page[after]=" + cursor("id:-5"), "invalid_cursor", "page[after]"},
		{"cursor forged prefix", "page[after]=" + cursor("xx:5"), "invalid_cursor", "page[after]"},
		{"cursor raw id", "page[after]=" + ids[0], "invalid_cursor", "page[after]"},
		{"unknown parameter", "foo=1", "", "foo"},
		{"unknown parameter without value", "foo", "", "foo"},
		{"unknown page member", "page[limit]=5", "", "page[limit]"},
		{"unknown filter", "filter[nope]=1", "", "filter[nope]"},
		{"bad id filter", "filter[id]=abc", "", "filter[id]"},
		{"unknown sort field", "sort=shoe_size", "", "sort"},
		{"unknown include", "include=nothing", "", "include"},
		{"raw semicolon", "page[size]=1;page[after]=x", "", ""},
		{"lone semicolon", ";", "", ""},
		{"bad escape", "page[size]=%zz", "", ""},
		{"value without a name", "=1", "invalid_query", ""}, // found by FuzzQuery
		{"empty pair", "page[size]=1&=", "invalid_query", ""},
	}
	for _, list := range []string{"/api/v1/clients", "/api/v1/locations", "/api/v1/contacts", "/api/v1/clients/" + ids[0] + "/contacts"} {
		for _, c := range cases {
			t.Run(list+"?"+c.name, func(t *testing.T) {
				se := e.vSub(t)
				r := se.do("GET", list+"?"+c.query, se.admin, nil)
				p := ""
				if c.param != "" {
					p = "?" + c.param
				}
				r.vWant(http.StatusBadRequest, c.code, p)
			})
		}
	}
	for _, list := range []string{"/api/v1/users", "/api/v1/tokens"} {
		for _, q := range []string{"foo=1", "page[size]=0", "page[size]=101", "page[after]=abc", "a;b"} {
			t.Run(list+"?"+q, func(t *testing.T) {
				e.vSub(t).do("GET", list+"?"+q, e.admin, nil).vWant(http.StatusBadRequest, "", "")
			})
		}
	}

	// single resources take no query parameters
	for _, path := range []string{"/api/v1/clients/" + ids[0], "/api/v1/company"} {
		for _, q := range []string{"foo=1", "a;b"} {
			t.Run(path+"?"+q, func(t *testing.T) {
				e.vSub(t).do("GET", path+"?"+q, e.admin, nil).vWant(http.StatusBadRequest, "", "")
			})
		}
	}

	// the accepting side: sizes 1 and 100, and a cursor from links.next
	r := e.do("GET", "/api/v1/clients?page[size]=1", e.admin, nil).want(http.StatusOK)
	if got := r.list(); len(got) != 1 || got[0] != ids[0] {
		t.Fatalf("page[size]=1 gave %v", got)
	}
	links, _ := r.json()["links"].(map[string]any)
	next, _ := links["next"].(string)
	if next == "" {
		t.Fatalf("no links.next in %s", r.Body)
	}
	if got := e.do("GET", next, e.admin, nil).want(http.StatusOK).list(); len(got) != 1 || got[0] != ids[1] {
		t.Errorf("links.next gave %v, want [%s]", got, ids[1])
	}
	if got := e.do("GET", "/api/v1/clients?page[size]=100", e.admin, nil).want(http.StatusOK).list(); len(got) != 3 {
		t.Errorf("page[size]=100 gave %v", got)
	}
	if got := e.do("GET", "/api/v1/clients?filter[id]="+ids[0]+","+ids[2], e.admin, nil).want(http.StatusOK).list(); len(got) != 2 ||
		got[0] != ids[0] || got[1] != ids[2] {
		t.Errorf("filter[id] gave %v", got)
	}

	// writes reject unknown parameters too, and change nothing
	for _, q := range []string{"foo=1", "a;b", "page[size]=abc"} {
		t.Run("POST ?"+q, func(t *testing.T) {
			se := e.vSub(t)
			before := se.vState(se.admin, vClientsList)
			r := se.do("POST", "/api/v1/clients?"+q, se.admin, resourceDoc("clients", map[string]any{"name": "Query"}, nil))
			se.vUnchanged(before, se.admin, vClientsList)
			r.vWant(http.StatusBadRequest, "", "")
		})
		t.Run("PATCH ?"+q, func(t *testing.T) {
			se := e.vSub(t)
			path := "/api/v1/clients/" + ids[1]
			before := se.vState(se.admin, path)
			r := se.do("PATCH", path+"?"+q, se.admin, vDoc("clients", ids[1], map[string]any{"name": "Query"}, nil))
			se.vUnchanged(before, se.admin, path)
			r.vWant(http.StatusBadRequest, "", "")
		})
	}
}

func TestDocumentTypeAndIDMismatch(t *testing.T) { forEachEngine(t, testDocumentTypeAndIDMismatch) }

func testDocumentTypeAndIDMismatch(t *testing.T, open openStore) {
	e := newEnv(t, open)
	client := e.createClient(e.admin, map[string]any{"name": "Client"})
	other := e.createClient(e.admin, map[string]any{"name": "Other"})
	location := e.createLocation(e.admin, client, map[string]any{"country": "DE"})
	contact := e.createContact(e.admin, client, map[string]any{"first_name": "Ada"})
	company := e.do("GET", "/api/v1/company", e.admin, nil).want(http.StatusOK).id()
	clientRel := map[string]any{"client": ref("clients", client)}

	type mismatch struct {
		name, method, path string
		doc                map[string]any
		code, pointer      string
		state              []string
	}
	var cases []mismatch
	for _, wrong := range []string{"contacts", "client", "Clients", "users"} {
		cases = append(cases,
			mismatch{"POST clients as " + wrong, "POST", "/api/v1/clients",
				resourceDoc(wrong, map[string]any{"name": "X"}, nil), "type_mismatch", "/data/type", []string{vClientsList}},
			mismatch{"PATCH clients as " + wrong, "PATCH", "/api/v1/clients/" + client,
				vDoc(wrong, client, map[string]any{"name": "X"}, nil), "type_mismatch", "/data/type", []string{"/api/v1/clients/" + client}})
	}
	cases = append(cases,
		mismatch{"POST locations as clients", "POST", "/api/v1/locations",
			resourceDoc("clients", map[string]any{"country": "DE"}, clientRel), "type_mismatch", "/data/type", []string{"/api/v1/locations"}},
		mismatch{"PATCH locations as location", "PATCH", "/api/v1/locations/" + location,
			vDoc("location", location, map[string]any{"city": "X"}, nil), "type_mismatch", "/data/type", []string{"/api/v1/locations/" + location}},
		mismatch{"POST contacts as clients", "POST", "/api/v1/contacts",
			resourceDoc("clients", map[string]any{"first_name": "X"}, clientRel), "type_mismatch", "/data/type", []string{"/api/v1/contacts"}},
		mismatch{"PATCH contacts as people", "PATCH", "/api/v1/contacts/" + contact,
			vDoc("people", contact, map[string]any{"first_name": "X"}, nil), "type_mismatch", "/data/type", []string{"/api/v1/contacts/" + contact}},
		mismatch{"POST users as user", "POST", "/api/v1/users",
			resourceDoc("user", map[string]any{"full_name": "X", "email": "x@acme.example"}, nil), "type_mismatch", "/data/type", []string{"/api/v1/users"}},
		mismatch{"POST tokens as token", "POST", "/api/v1/tokens",
			resourceDoc("token", map[string]any{"name": "X"}, nil), "type_mismatch", "/data/type", []string{"/api/v1/tokens"}},
		mismatch{"PATCH company as company", "PATCH", "/api/v1/company",
			vDoc("company", "", map[string]any{"name": "X"}, nil), "type_mismatch", "/data/type", []string{"/api/v1/company"}},
		mismatch{"PATCH client with another client's id", "PATCH", "/api/v1/clients/" + client,
			vDoc("clients", other, map[string]any{"name": "X"}, nil), "id_mismatch", "/data/id",
			[]string{"/api/v1/clients/" + client, "/api/v1/clients/" + other}},
		mismatch{"PATCH client with a padded id", "PATCH", "/api/v1/clients/" + client,
			vDoc("clients", " "+client, map[string]any{"name": "X"}, nil), "id_mismatch", "/data/id", []string{"/api/v1/clients/" + client}},
		mismatch{"PATCH location with another id", "PATCH", "/api/v1/locations/" + location,
			vDoc("locations", "999", map[string]any{"city": "X"}, nil), "id_mismatch", "/data/id", []string{"/api/v1/locations/" + location}},
		mismatch{"PATCH contact with another id", "PATCH", "/api/v1/contacts/" + contact,
			vDoc("contacts", "999", map[string]any{"first_name": "X"}, nil), "id_mismatch", "/data/id", []string{"/api/v1/contacts/" + contact}},
		mismatch{"PATCH user with another id", "PATCH", "/api/v1/users/" + e.userID,
			vDoc("users", "999", map[string]any{"full_name": "X"}, nil), "id_mismatch", "/data/id", []string{"/api/v1/users/" + e.userID}},
		mismatch{"PATCH company with another id", "PATCH", "/api/v1/company",
			vDoc("companies", company+"0", map[string]any{"name": "X"}, nil), "id_mismatch", "/data/id", []string{"/api/v1/company"}},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			se := e.vSub(t)
			before := se.vState(se.admin, c.state...)
			r := se.do(c.method, c.path, se.admin, c.doc)
			se.vUnchanged(before, se.admin, c.state...)
			r.vWant(http.StatusConflict, c.code, c.pointer)
		})
	}

	// data.id that is not a string is malformed
	before := e.vState(e.admin, "/api/v1/clients/"+client)
	r := e.vBody("PATCH", "/api/v1/clients/"+client, e.admin, fmt.Sprintf(`{"data":{"type":"clients","id":%s,"attributes":{"name":"X"}}}`, client))
	e.vUnchanged(before, e.admin, "/api/v1/clients/"+client)
	r.vWant(http.StatusBadRequest, "", "/data/id")

	// the matching id, or none, is fine
	e.do("PATCH", "/api/v1/clients/"+client, e.admin, vDoc("clients", client, map[string]any{"name": "Same"}, nil)).want(http.StatusOK)
	e.do("PATCH", "/api/v1/clients/"+client, e.admin, vDoc("clients", "", map[string]any{"name": "None"}, nil)).want(http.StatusOK)
}

func TestDocumentRoutes(t *testing.T) { forEachEngine(t, testDocumentRoutes) }

func testDocumentRoutes(t *testing.T, open openStore) {
	e := newEnv(t, open)
	globex, _ := e.newCompany("globex")
	foreign := e.createClient(globex, map[string]any{"name": "Globex client"})
	mine := e.createClient(e.admin, map[string]any{"name": "Mine"})

	for _, path := range []string{"/", "/nope", "/api", "/api/v1", "/api/v1/", "/api/v1/nope", "/api/v2/clients",
		"/api/v1/clients/", "/api/v1/clients/abc", "/api/v1/clients/0", "/api/v1/clients/-1", "/api/v1/clients/1.0",
		"/api/v1/clients/99999999999999999999", "/api/v1/clients/999999", "/api/v1/clients/" + foreign,
		"/api/v1/clients/" + mine + "/nope", "/api/v1/clients/" + foreign + "/contacts", "/api/v1/clients/" + foreign + "/locations",
		"/api/v1/CLIENTS", "/api/v1/locations/999999", "/api/v1/contacts/999999", "/api/v1/users/999999"} {
		t.Run("GET "+path, func(t *testing.T) {
			e.vSub(t).do("GET", path, e.admin, nil).vWant(http.StatusNotFound, "", "")
		})
	}
	// another company's client cannot be changed or deleted: 404, and it stays as it was
	before := e.vState(globex, "/api/v1/clients/"+foreign)
	e.do("PATCH", "/api/v1/clients/"+foreign, e.admin, vDoc("clients", foreign, map[string]any{"name": "Taken"}, nil)).
		vWant(http.StatusNotFound, "not_found", "")
	e.do("DELETE", "/api/v1/clients/"+foreign, e.admin, nil).vWant(http.StatusNotFound, "not_found", "")
	e.vUnchanged(before, globex, "/api/v1/clients/"+foreign)

	for _, c := range []struct {
		method, path string
		allow        []string
	}{
		{"PUT", "/api/v1/clients", []string{"GET", "POST"}},
		{"DELETE", "/api/v1/clients", []string{"GET", "POST"}},
		{"PATCH", "/api/v1/clients", []string{"GET", "POST"}},
		{"POST", "/api/v1/clients/" + mine, []string{"GET", "PATCH", "DELETE"}},
		{"PUT", "/api/v1/clients/" + mine, []string{"GET", "PATCH", "DELETE"}},
		{"POST", "/api/v1/clients/" + mine + "/contacts", []string{"GET"}},
		{"PUT", "/api/v1/company", []string{"GET", "PATCH"}},
		{"DELETE", "/api/v1/company", []string{"GET", "PATCH"}},
		{"PUT", "/api/v1/tokens/1", []string{"GET", "DELETE"}},
		{"PATCH", "/api/v1/tokens/1", []string{"GET", "DELETE"}},
		{"POST", "/healthz", []string{"GET"}},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			se := e.vSub(t)
			before := se.vState(se.admin, vClientsList, "/api/v1/company")
			r := se.do(c.method, c.path, se.admin, resourceDoc("clients", map[string]any{"name": "X"}, nil))
			se.vUnchanged(before, se.admin, vClientsList, "/api/v1/company")
			r.vWant(http.StatusMethodNotAllowed, "", "")
			allow := r.Header.Get("Allow")
			for _, m := range c.allow {
				if !strings.Contains(allow, m) {
					t.Errorf("Allow %q lacks %s", allow, m)
				}
			}
			if strings.Contains(allow, c.method) {
				t.Errorf("Allow %q names the refused method %s", allow, c.method)
			}
		})
	}
}

func TestDocumentAuth(t *testing.T) { forEachEngine(t, testDocumentAuth) }

func testDocumentAuth(t *testing.T, open openStore) {
	e := newEnv(t, open)
	basic := func(user, password string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
	}
	// a revoked token
	r := e.do("POST", "/api/v1/tokens", e.admin, resourceDoc("tokens", map[string]any{"name": "short-lived"}, nil)).want(http.StatusCreated)
	revoked := r.json()["meta"].(map[string]any)["secret"].(string)
	e.do("GET", "/api/v1/company", revoked, nil).want(http.StatusOK)
	e.do("DELETE", "/api/v1/tokens/"+r.id(), e.admin, nil).want(http.StatusNoContent)
	_, globexUser := e.newCompany("globex")
	_ = globexUser

	rejected := []struct{ name, header string }{
		{"none", ""},
		{"empty bearer", "Bearer "},
		{"bearer only", "Bearer"},
		{"unknown token", "Bearer nope"},
		{"unknown clt_ token", "Bearer clt_AAAAAAAAAAAAAAAAAAAAAAAAAA"},
		{"token with a suffix", "Bearer " + e.admin + "x"},
		{"token prefix", "Bearer " + e.admin[:len(e.admin)-1]},
		{"revoked token", "Bearer " + revoked},
		{"operator token", "Bearer operator-secret"},
		{"other scheme", "Token " + e.admin},
		{"bare token", e.admin},
		{"basic unknown", basic("nope", "")},
		{"basic token as password", basic("", e.admin)},
		{"basic revoked", basic(revoked, "x")},
		{"basic not base64", "Basic %%%"},
		{"very long token", "Bearer clt_" + strings.Repeat("A", 5000)},
	}
	paths := []struct{ method, path string }{
		{"GET", "/api/v1/clients"}, {"GET", "/api/v1/company"}, {"POST", "/api/v1/clients"}, {"GET", "/api/v1/users"},
	}
	for _, c := range rejected {
		for _, p := range paths {
			t.Run(c.name+"/"+p.method+" "+p.path, func(t *testing.T) {
				se := e.vSub(t)
				before := se.vState(se.admin, vClientsList)
				hdr := map[string]string{"Content-Type": api.MediaType}
				if c.header != "" {
					hdr["Authorization"] = c.header
				}
				var body io.Reader
				if p.method == "POST" {
					body = strings.NewReader(`{"data":{"type":"clients","attributes":{"name":"Intruder"}}}`)
				}
				r := se.vRaw(p.method, p.path, "", hdr, body)
				se.vUnchanged(before, se.admin, vClientsList)
				r.vWant(http.StatusUnauthorized, "", "")
				if len(r.Header.Values("WWW-Authenticate")) == 0 {
					t.Errorf("401 without WWW-Authenticate")
				}
				if !strings.Contains(strings.Join(r.Header.Values("WWW-Authenticate"), ","), "Bearer") {
					t.Errorf("WWW-Authenticate %q does not offer Bearer", r.Header.Values("WWW-Authenticate"))
				}
			})
		}
	}

	accepted := []struct{ name, header string }{
		{"bearer", "Bearer " + e.admin},
		{"bearer lower-case scheme", "bearer " + e.admin},
		{"basic with token as user", basic(e.admin, "")},
		{"basic with token and any password", basic(e.admin, "anything at all")},
		{"basic with token and no colon", "Basic " + base64.StdEncoding.EncodeToString([]byte(e.admin))},
	}
	for _, c := range accepted {
		t.Run("accepted/"+c.name, func(t *testing.T) {
			se := e.vSub(t)
			r := se.vRaw("GET", "/api/v1/company", "", map[string]string{"Authorization": c.header}, nil).want(http.StatusOK)
			if r.attrs()["slug"] != "acme" {
				t.Errorf("authenticated as %s", r.Body)
			}
			se.vRaw("POST", "/api/v1/clients", "", map[string]string{"Authorization": c.header, "Content-Type": "application/json"},
				strings.NewReader(`{"data":{"type":"clients","attributes":{"name":"Authed"}}}`)).want(http.StatusCreated)
		})
	}
}

// TestDocumentNever5xx sends odd documents to every endpoint that takes one:
// whatever the answer, it is never a 5xx, and errors are JSON:API documents.
func TestDocumentNever5xx(t *testing.T) { forEachEngine(t, testDocumentNever5xx) }

func testDocumentNever5xx(t *testing.T, open openStore) {
	e := newEnv(t, open)
	client := e.createClient(e.admin, map[string]any{"name": "Client"})
	location := e.createLocation(e.admin, client, map[string]any{"country": "DE"})
	contact := e.createContact(e.admin, client, map[string]any{"first_name": "Ada"})
	user := e.do("POST", "/api/v1/users", e.admin, resourceDoc("users",
		map[string]any{"full_name": "Bob", "email": "bob@acme.example"}, nil)).want(http.StatusCreated).id()
	endpoints := []struct{ method, path, typ, id string }{
		{"POST", "/api/v1/clients", "clients", ""},
		{"PATCH", "/api/v1/clients/" + client, "clients", client},
		{"POST", "/api/v1/locations", "locations", ""},
		{"PATCH", "/api/v1/locations/" + location, "locations", location},
		{"POST", "/api/v1/contacts", "contacts", ""},
		{"PATCH", "/api/v1/contacts/" + contact, "contacts", contact},
		{"POST", "/api/v1/users", "users", ""},
		{"PATCH", "/api/v1/users/" + user, "users", user},
		{"POST", "/api/v1/tokens", "tokens", ""},
		{"PATCH", "/api/v1/company", "companies", ""},
	}
	odd := []string{
		`{"data":{"type":"%s"%s}}`,
		`{"data":{"type":"%s"%s,"attributes":null,"relationships":null}}`,
		`{"data":{"type":"%s"%s,"attributes":{}}}`,
		`{"data":{"type":"%s"%s,"attributes":{"x":{"y":[1,2,{"z":null}]}}}}`,
		`{"data":{"type":"%s"%s,"attributes":{"name":null,"full_name":null,"first_name":null,"last_name":null,"country":null,"email":null,"role":null,"password":null}}}`,
		`{"data":{"type":"%s"%s,"attributes":{"name":1,"full_name":[],"first_name":{},"country":true,"email":1.5,"role":-1,"types":[null]}}}`,
		`{"data":{"type":"%s"%s,"attributes":{"name":"\u0000","full_name":"\u0000","first_name":"\u0000","country":"\u0000","email":"\u0000@x.de"}}}`,
		`{"data":{"type":"%s"%s,"attributes":{"address":{"country":"DE","street":null}},"relationships":{"client":null,"user":null,"owner":null}}}`,
		`{"data":{"type":"%s"%s,"relationships":{"client":{"data":[]},"user":{"data":"1"},"owner":{"data":{"type":"users"}}}}}`,
		`{"data":{"type":"%s"%s,"relationships":{"client":{"data":{"type":"clients","id":"99999999999999999999"}},"user":{"data":{"type":"users","id":"9223372036854775807"}},"owner":{"data":{"type":"users","id":"-9223372036854775808"}}}}}`,
		`{"data":{"type":"%s"%s,"relationships":{"client":{"data":{"type":"clients","id":"0"}},"salesperson":{"data":{"type":"users","id":" 1"}},"case_manager":{"links":{}}}}}`,
		`{"data":{"type":"%s"%s,"attributes":{"name":"` + strings.Repeat("ü", 100000) + `","full_name":"x","first_name":"x","country":"DE"}}}`,
		`{"data":{"type":"%s"%s,"lid":"1","meta":null,"attributes":{"name":"ok","full_name":"ok","first_name":"ok","country":"DE","email":"odd@acme.example"},"relationships":{"client":{"data":{"type":"clients","id":"CLIENT"}}}}}`,
	}
	for _, ep := range endpoints {
		for i, f := range odd {
			t.Run(fmt.Sprintf("%s %s #%d", ep.method, ep.path, i), func(t *testing.T) {
				se := e.vSub(t)
				id := ""
				if ep.id != "" {
					id = fmt.Sprintf(`,"id":%q`, ep.id)
				}
				body := strings.ReplaceAll(fmt.Sprintf(f, ep.typ, id), "CLIENT", client)
				r := se.vBody(ep.method, ep.path, se.admin, body)
				if r.Status >= 500 {
					t.Fatalf("%d for %.300s: %s", r.Status, body, r.Body)
				}
				if ct := r.Header.Get("Content-Type"); ct != api.MediaType {
					t.Errorf("Content-Type %q", ct)
				}
				if r.Status >= 400 {
					r.vErrorDoc(r.Status)
				}
			})
		}
	}
}
