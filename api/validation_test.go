package api_test

// Validation rules of API.md §3, tested through the real HTTP handler: for
// every rule the rejected value (status, error code, source pointer, and that
// nothing changed) and the accepted boundary values (what is stored and
// rendered). Helpers of this file and documents_test.go are prefixed v.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/clientele/clientele/api"
)

// vAbsentT is the type of vAbsent.
type vAbsentT struct{}

// vAbsent, as a value in an attribute map, removes the attribute from the
// valid base it is merged over.
var vAbsent = vAbsentT{}

// vMerge returns base with over's members set (or, for vAbsent, removed).
func vMerge(base, over map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		if _, ok := v.(vAbsentT); ok {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

// vSub returns a copy of e that reports to t, so that subtests share one
// database and server but fail on their own.
func (e *env) vSub(t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}

// vDoc is resourceDoc with a data.id when id is not "".
func vDoc(typ, id string, attrs, rels map[string]any) map[string]any {
	doc := resourceDoc(typ, attrs, rels)
	if id != "" {
		doc["data"].(map[string]any)["id"] = id
	}
	return doc
}

// vState returns the bodies of GET paths, to compare before and after a
// request that must change nothing.
func (e *env) vState(token string, paths ...string) string {
	e.t.Helper()
	var b strings.Builder
	for _, p := range paths {
		fmt.Fprintf(&b, "GET %s\n%s\n", p, e.snapshot(p, token))
	}
	return b.String()
}

// vUnchanged fails the test unless GET paths answer what they answered before.
func (e *env) vUnchanged(before, token string, paths ...string) {
	e.t.Helper()
	if after := e.vState(token, paths...); after != before {
		e.t.Errorf("a rejected request changed stored state:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// vErrorDoc fails unless r is a JSON:API error document (media type, every
// error object with the response's status) with status, and returns its
// error objects.
func (r *response) vErrorDoc(status int) []apiError {
	r.t.Helper()
	r.want(status)
	if ct := r.Header.Get("Content-Type"); ct != api.MediaType {
		r.t.Errorf("error response Content-Type %q, want %q", ct, api.MediaType)
	}
	errs := r.errors()
	for _, e := range errs {
		if e.Status != fmt.Sprint(status) {
			r.t.Errorf("error object status %q in a %d response: %s", e.Status, status, r.Body)
		}
		if e.Code == "" {
			r.t.Errorf("error object without code: %s", r.Body)
		}
	}
	return errs
}

// vAt reports whether e is at pointer: "" anywhere, "?name" the query
// parameter name, else the JSON pointer.
func vAt(e apiError, pointer string) bool {
	switch {
	case pointer == "":
		return true
	case strings.HasPrefix(pointer, "?"):
		return e.Source.Parameter == pointer[1:]
	}
	return e.Source.Pointer == pointer
}

// vWant fails unless r is an error document with status and one error object
// with code ("" for any code) at pointer (see vAt).
func (r *response) vWant(status int, code, pointer string) *response {
	r.t.Helper()
	for _, e := range r.vErrorDoc(status) {
		if (code == "" || e.Code == code) && vAt(e, pointer) {
			return r
		}
	}
	r.t.Fatalf("no error with code %q at %q; body: %s", code, pointer, r.Body)
	return r
}

// vExactly fails unless r is an error document with status whose error
// objects are exactly want, each "code pointer", in any order.
func (r *response) vExactly(status int, want ...string) {
	r.t.Helper()
	var got []string
	for _, e := range r.vErrorDoc(status) {
		got = append(got, e.Code+" "+e.Source.Pointer)
	}
	sort.Strings(got)
	want = append([]string(nil), want...)
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		r.t.Errorf("error objects\n got %q\nwant %q\nbody: %s", got, want, r.Body)
	}
}

// vJSON is v as JSON text, for messages and comparisons.
func vJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return string(b)
}

// vNorm returns v as encoding/json decodes it into an any.
func vNorm(v any) any {
	var out any
	if err := json.Unmarshal([]byte(vJSON(v)), &out); err != nil {
		panic(err)
	}
	return out
}

// vWantAttrs fails unless attrs has every member of want with that value
// (compared as JSON; nil means the member is present and null).
func vWantAttrs(t *testing.T, attrs map[string]any, want map[string]any) {
	t.Helper()
	for k, w := range want {
		g, ok := attrs[k]
		if !ok {
			t.Errorf("attribute %s is not rendered (want %s)", k, vJSON(w))
			continue
		}
		if !reflect.DeepEqual(g, vNorm(w)) {
			t.Errorf("attribute %s = %.200s, want %.200s", k, vJSON(g), vJSON(w))
		}
	}
}

// vStr returns n copies of s: lengths count code points, so "ü" (two bytes)
// tests that nothing counts bytes.
func vStr(s string, n int) string { return strings.Repeat(s, n) }

// vEmail returns a syntactically valid e-mail address of exactly n (≥ 130)
// characters: a 64-character local part and a domain of several labels.
func vEmail(n int) string {
	domain := n - 65
	var b strings.Builder
	for domain-b.Len() > 63 {
		b.WriteString(vStr("d", 50) + ".")
	}
	b.WriteString(vStr("e", domain-b.Len()))
	return vStr("a", 64) + "@" + b.String()
}

// vBad is a request that breaks one rule.
type vBad struct {
	name    string
	attrs   map[string]any // merged over the valid base on create; sent as is on PATCH
	rels    map[string]any // merged over the valid base relationships on create
	id      string         // data.id on create
	status  int            // 0: 422
	code    string         // "" for any code
	pointer string
	only    string // "create", "patch" or "" for both
}

// vA is the case "attribute attr set to v fails with code at its pointer".
func vA(attr string, v any, code string) vBad {
	return vBad{name: fmt.Sprintf("%s=%.24s", attr, vJSON(v)), attrs: map[string]any{attr: v},
		code: code, pointer: "/data/attributes/" + attr}
}

// vR is the case "relationship rel set to v fails with code at its pointer".
func vR(rel string, v any, code string) vBad {
	return vBad{name: fmt.Sprintf("rel %s=%.40s", rel, vJSON(v)), rels: map[string]any{rel: v},
		code: code, pointer: "/data/relationships/" + rel}
}

func (b vBad) onlyOn(op string) vBad  { b.only = op; return b }
func (b vBad) named(name string) vBad { b.name = name; return b }

// vCommonBad are the cases every resource type rejects the same way.
func vCommonBad() []vBad {
	return []vBad{
		vA("company_id", 1, "read_only"),
		vA("created_at", "2020-01-01T00:00:00Z", "read_only"),
		vA("updated_at", "2020-01-01T00:00:00Z", "read_only"),
		vA("created_at", nil, "read_only"),
		vA("id", "1", "read_only"),
		vA("foo", "bar", "unknown_attribute"),
		vA("foo", nil, "unknown_attribute"),
		vR("bogus", ref("users", "1"), "unknown_relationship"),
		{name: "data.id on create", id: "12345", code: "read_only", pointer: "/data/id", only: "create"},
	}
}

// vRunBad runs every case against create (POST createPath with the valid base
// attrs and rels; the lists at lists must not change) and against PATCH of
// the record at patchPath (which must not change).
func (e *env) vRunBad(t *testing.T, typ, createPath, patchPath string, base, baseRels map[string]any,
	lists []string, cases []vBad) {
	t.Helper()
	for _, c := range cases {
		status := c.status
		if status == 0 {
			status = http.StatusUnprocessableEntity
		}
		if c.only != "patch" {
			t.Run("create/"+c.name, func(t *testing.T) {
				se := e.vSub(t)
				before := se.vState(se.admin, lists...)
				rels := vMerge(baseRels, c.rels)
				if len(rels) == 0 {
					rels = nil
				}
				r := se.do("POST", createPath, se.admin, vDoc(typ, c.id, vMerge(base, c.attrs), rels))
				se.vUnchanged(before, se.admin, lists...)
				r.vWant(status, c.code, c.pointer)
			})
		}
		if c.only != "create" && patchPath != "" {
			t.Run("patch/"+c.name, func(t *testing.T) {
				se := e.vSub(t)
				check := append([]string{patchPath}, lists...)
				before := se.vState(se.admin, check...)
				id := patchPath[strings.LastIndexByte(patchPath, '/')+1:]
				if typ == "companies" {
					id = ""
				}
				attrs := vMerge(nil, c.attrs)
				if c.attrs == nil {
					attrs = nil
				}
				r := se.do("PATCH", patchPath, se.admin, vDoc(typ, id, attrs, c.rels))
				se.vUnchanged(before, se.admin, check...)
				r.vWant(status, c.code, c.pointer)
			})
		}
	}
}

// ---------------------------------------------------------------- clients

// vClientBad are the rejected values of a client's attributes and relationships.
func vClientBad(otherCompanyUser string) []vBad {
	cases := []vBad{
		{name: "name absent", attrs: map[string]any{"name": vAbsent}, code: "required",
			pointer: "/data/attributes/name", only: "create"},
		vA("name", "", "required"),
		vA("name", " \t\n ", "required"),
		vA("name", nil, "required"),
		vA("name", vStr("ü", 201), "too_long"),
		vA("name", "  "+vStr("ü", 201)+"  ", "too_long"),
		vA("name", 42, "invalid_type"),
		vA("name", true, "invalid_type"),
		vA("name", []any{"Acme"}, "invalid_type"),
		vA("name", map[string]any{"en": "Acme"}, "invalid_type"),
		vA("name", "Acme\x00Evil", "nul_byte"),
		vA("external_id", vStr("x", 101), "too_long"),
		vA("external_id", 7, "invalid_type"),
		vA("external_id", "ERP\x00", "nul_byte"),
		vA("types", []any{"vendor"}, "invalid_choice"),
		vA("types", []any{"Customer"}, "invalid_choice"),
		vA("types", []any{"customer", "partner"}, "invalid_choice"),
		vA("types", []any{"customer", "customer"}, "duplicate_value"),
		vA("types", []any{"supplier", "prospect", "supplier"}, "duplicate_value"),
		vA("types", "customer", "invalid_type"),
		vA("types", nil, "invalid_type"),
		vA("types", []any{1}, "invalid_type"),
		vA("types", map[string]any{"customer": true}, "invalid_type"),
		vA("email", "not-an-email", "invalid_email"),
		vA("email", "ada@localhost", "invalid_email"),
		vA("email", "Ada <ada@example.com>", "invalid_email"),
		vA("email", "ada@@example.com", "invalid_email"),
		vA("email", "ada lovelace@example.com", "invalid_email"),
		vA("email", "ada@example..com", "invalid_email"),
		vA("email", vEmail(255), "too_long"),
		vA("email", 5, "invalid_type"),
		vA("billing_email", "billing", "invalid_email"),
		vA("billing_email", vEmail(255), "too_long"),
		vA("notes", vStr("ü", 10001), "too_long"),
		vA("website", "ftp://example.com", "invalid_url"),
		vA("website", "/relative/path", "invalid_url"),
		vA("website", "example.com", "invalid_url"),
		vA("website", "www.example.com/about", "invalid_url"),
		vA("website", "http://", "invalid_url"),
		vA("website", "javascript:alert(1)", "invalid_url"),
		vA("website", "mailto:ada@example.com", "invalid_url"),
		vA("website", "https://exa mple.com", "invalid_url"),
		vA("website", "https://example.com/"+vStr("a", 2029), "too_long"),
		vA("tax_name", vStr("ü", 201), "too_long"),
		vA("tax_number", vStr("1", 51), "too_long"),
		vA("registration_number", vStr("ü", 51), "too_long"),
		vA("bank_name", vStr("ü", 201), "too_long"),
		vA("iban", "DE89370400440532013001", "invalid_iban"), // check digits
		vA("iban", "DE8937040044053201300", "invalid_iban"),  // length
		vA("iban", "XX89370400440532013000", "invalid_iban"), // country
		vA("iban", "DE89-3704-0044-0532-0130-00", "invalid_iban"),
		vA("iban", "not an iban", "invalid_iban"),
		vA("iban", 89370400, "invalid_type"),
		vA("default_rate_type", "week", "invalid_choice"),
		vA("default_rate_type", "Hour", "invalid_choice"),
		{name: "default_rate without default_rate_type", attrs: map[string]any{"default_rate": "290.0"},
			code: "required", pointer: "/data/attributes/default_rate_type"},
		{name: "default_rate with null default_rate_type", attrs: map[string]any{"default_rate": "290.0", "default_rate_type": nil},
			code: "required", pointer: "/data/attributes/default_rate_type"},
		{name: "default_rate as a number", attrs: map[string]any{"default_rate": 290, "default_rate_type": "hour"},
			code: "invalid_type", pointer: "/data/attributes/default_rate"},
		vA("invoice_reminders", "yes", "invalid_type"),
		vA("invoice_reminders", "true", "invalid_type"),
		vA("invoice_reminders", 1, "invalid_type"),
		vA("invoice_reminders", nil, "invalid_type"),
		vA("show_location_on_invoice", "false", "invalid_type"),
		vA("show_location_on_invoice", nil, "invalid_type"),
		vA("logo", nil, "read_only"),
		vA("logo", map[string]any{"url": "https://example.com/logo.png"}, "read_only"),
		vA("Name", "Acme", "unknown_attribute"),
		vA("main_contact", "1", "unknown_attribute"),
		vA("owner", "1", "unknown_attribute"),
		// address: the primary location's address, replaced as a whole
		{name: "address without country", attrs: map[string]any{"address": map[string]any{"city": "Berlin"}},
			code: "required", pointer: "/data/attributes/address/country"},
		{name: "address empty object", attrs: map[string]any{"address": map[string]any{}},
			code: "required", pointer: "/data/attributes/address/country"},
		{name: "address country blank", attrs: map[string]any{"address": map[string]any{"country": "  "}},
			code: "required", pointer: "/data/attributes/address/country"},
		{name: "address country null", attrs: map[string]any{"address": map[string]any{"country": nil}},
			code: "required", pointer: "/data/attributes/address/country"},
		{name: "address unknown member", attrs: map[string]any{"address": map[string]any{"country": "DE", "zip": "10115"}},
			code: "unknown_attribute", pointer: "/data/attributes/address/zip"},
		{name: "address string", attrs: map[string]any{"address": "Hauptstraße 1, Berlin"},
			code: "invalid_type", pointer: "/data/attributes/address"},
		{name: "address array", attrs: map[string]any{"address": []any{"DE"}},
			code: "invalid_type", pointer: "/data/attributes/address"},
		{name: "address member number", attrs: map[string]any{"address": map[string]any{"country": "DE", "postal_code": 10115}},
			code: "invalid_type"},
		{name: "address nul byte", attrs: map[string]any{"address": map[string]any{"country": "DE", "city": "Ber\x00lin"}},
			code: "nul_byte", pointer: "/data/attributes/address/city"},
	}
	for _, s := range []string{"XX", "UK", "DEU", "D", "EU", "12", "Deutschland"} {
		cases = append(cases, vBad{name: "address country " + s,
			attrs: map[string]any{"address": map[string]any{"country": s}},
			code:  "invalid_country", pointer: "/data/attributes/address/country"})
	}
	for member, max := range map[string]int{"street": 200, "house_number": 20, "address_line_2": 200,
		"address_line_3": 200, "postal_code": 20, "city": 100, "region": 100, "recipient": 200} {
		cases = append(cases, vBad{name: fmt.Sprintf("address %s %d", member, max+1),
			attrs: map[string]any{"address": map[string]any{"country": "DE", member: vStr("ü", max+1)}},
			code:  "too_long", pointer: "/data/attributes/address/" + member})
	}
	for _, f := range []string{"phone", "phone_secondary", "mobile", "fax"} {
		cases = append(cases,
			vA(f, "call me", "invalid_phone"),
			vA(f, "1234", "invalid_phone"), // four digits
			vA(f, "555-1234 x12", "invalid_phone"),
			vA(f, "+49 30 12345 e", "invalid_phone"),
			vA(f, "+49 (30) 1234#5678", "invalid_phone"),
			vA(f, vStr("1", 51), "too_long"),
			vA(f, 4930123456, "invalid_type"),
		)
	}
	for _, v := range []string{"1.23456", "-1", "1e3", "abc", "1,5", "1.", ".5", "+1", "0x10", "1 000", "Infinity", "NaN"} {
		cases = append(cases, vBad{name: "default_rate " + v,
			attrs: map[string]any{"default_rate": v, "default_rate_type": "hour"},
			code:  "invalid_decimal", pointer: "/data/attributes/default_rate"})
	}
	for _, rel := range []string{"owner", "salesperson", "case_manager"} {
		cases = append(cases,
			vR(rel, ref("users", "999999"), "invalid_relationship").named(rel+" unknown user"),
			vR(rel, ref("users", otherCompanyUser), "invalid_relationship").named(rel+" user of another company"),
			vR(rel, ref("clients", "1"), "invalid_relationship").named(rel+" wrong type"),
			vR(rel, ref("users", "abc"), "invalid_relationship"),
			vR(rel, ref("users", "0"), "invalid_relationship"),
			vR(rel, ref("users", "-1"), "invalid_relationship"),
			vR(rel, ref("users", "99999999999999999999"), "invalid_relationship"),
			vR(rel, map[string]any{"data": map[string]any{"type": "users", "id": 1}}, "invalid_relationship"),
			vR(rel, map[string]any{"data": []any{}}, "invalid_relationship"),
			vR(rel, map[string]any{}, "invalid_relationship"),
			vR(rel, nil, "invalid_relationship"),
			vR(rel, "1", "invalid_relationship"),
		)
	}
	for _, rel := range []string{"contacts", "locations", "main_contact"} {
		cases = append(cases, vR(rel, map[string]any{"data": []any{}}, "read_only"))
	}
	return append(cases, vCommonBad()...)
}

func TestValidationClientRejected(t *testing.T) { forEachEngine(t, testValidationClientRejected) }

func testValidationClientRejected(t *testing.T, open openStore) {
	e := newEnv(t, open)
	_, globexUser := e.newCompany("globex")
	id := e.createClient(e.admin, map[string]any{"name": "Existing", "email": "old@example.com",
		"types": []string{"supplier"}, "address": map[string]any{"street": "Alte Straße", "country": "DE"}})
	lists := []string{"/api/v1/clients?page[size]=100", "/api/v1/locations?page[size]=100"}
	e.vRunBad(t, "clients", "/api/v1/clients", "/api/v1/clients/"+id, map[string]any{"name": "Valid"}, nil,
		lists, vClientBad(globexUser))
}

// vClientGood are accepted client attributes with what is rendered for them.
var vClientGood = []struct {
	name       string
	attrs      map[string]any
	want       map[string]any
	createOnly bool
}{
	{"name 200 ü", map[string]any{"name": vStr("ü", 200)}, map[string]any{"name": vStr("ü", 200)}, false},
	{"name trimmed to 200", map[string]any{"name": " \t" + vStr("ü", 200) + "\n "}, map[string]any{"name": vStr("ü", 200)}, false},
	{"name one char", map[string]any{"name": "X"}, map[string]any{"name": "X"}, false},
	{"defaults", map[string]any{"name": "Defaults"}, map[string]any{"types": []string{"customer"}, "external_id": nil,
		"email": nil, "billing_email": nil, "phone": nil, "phone_secondary": nil, "mobile": nil, "fax": nil, "website": nil,
		"tax_name": nil, "tax_number": nil, "registration_number": nil, "bank_name": nil, "iban": nil, "notes": nil,
		"default_rate": nil, "default_rate_type": nil, "invoice_reminders": false, "show_location_on_invoice": false,
		"address": nil, "logo": nil}, true},
	{"external_id 100", map[string]any{"external_id": vStr("ü", 100)}, map[string]any{"external_id": vStr("ü", 100)}, false},
	{"external_id trimmed", map[string]any{"external_id": "  ERP 7  "}, map[string]any{"external_id": "ERP 7"}, false},
	{"types canonical order", map[string]any{"types": []string{"prospect", "customer", "supplier"}},
		map[string]any{"types": []string{"customer", "supplier", "prospect"}}, false},
	{"types one", map[string]any{"types": []string{"supplier"}}, map[string]any{"types": []string{"supplier"}}, false},
	{"types trimmed", map[string]any{"types": []string{" prospect "}}, map[string]any{"types": []string{"prospect"}}, false},
	{"types empty", map[string]any{"types": []string{}}, map[string]any{"types": []string{}}, false},
	{"email", map[string]any{"email": " Ada.Lovelace+crm@Example.co.uk "}, map[string]any{"email": "Ada.Lovelace+crm@Example.co.uk"}, false},
	{"email 254", map[string]any{"email": vEmail(254)}, map[string]any{"email": vEmail(254)}, false},
	{"billing_email", map[string]any{"billing_email": "invoices@example.com"}, map[string]any{"billing_email": "invoices@example.com"}, false},
	{"phone with ext", map[string]any{"phone": "+49 (30) 1234-5678 ext 12"}, map[string]any{"phone": "+49 (30) 1234-5678 ext 12"}, false},
	{"phone EXT.", map[string]any{"phone": "555.123.4567 EXT. 9"}, map[string]any{"phone": "555.123.4567 EXT. 9"}, false},
	{"phone five digits", map[string]any{"phone_secondary": "12345"}, map[string]any{"phone_secondary": "12345"}, false},
	{"phone slash", map[string]any{"mobile": "0170 / 123 45 67"}, map[string]any{"mobile": "0170 / 123 45 67"}, false},
	{"phone 50", map[string]any{"fax": vStr("1", 50)}, map[string]any{"fax": vStr("1", 50)}, false},
	{"website http", map[string]any{"website": "http://example.com"}, map[string]any{"website": "http://example.com"}, false},
	{"website https path", map[string]any{"website": "https://example.com/about?lang=de#team"},
		map[string]any{"website": "https://example.com/about?lang=de#team"}, false},
	{"website 2048", map[string]any{"website": "https://example.com/" + vStr("a", 2028)},
		map[string]any{"website": "https://example.com/" + vStr("a", 2028)}, false},
	{"tax_name 200", map[string]any{"tax_name": vStr("ü", 200)}, map[string]any{"tax_name": vStr("ü", 200)}, false},
	{"tax_number 50", map[string]any{"tax_number": "DE" + vStr("1", 48)}, map[string]any{"tax_number": "DE" + vStr("1", 48)}, false},
	{"registration_number 50", map[string]any{"registration_number": vStr("ü", 50)},
		map[string]any{"registration_number": vStr("ü", 50)}, false},
	{"bank_name 200", map[string]any{"bank_name": vStr("ü", 200)}, map[string]any{"bank_name": vStr("ü", 200)}, false},
	{"iban normalised", map[string]any{"iban": " de89 3704 0044 0532 0130 00 "}, map[string]any{"iban": "DE89370400440532013000"}, false},
	{"iban GB", map[string]any{"iban": "GB82WEST12345698765432"}, map[string]any{"iban": "GB82WEST12345698765432"}, false},
	{"iban lower", map[string]any{"iban": "gb82west12345698765432"}, map[string]any{"iban": "GB82WEST12345698765432"}, false},
	{"notes 10000", map[string]any{"notes": vStr("ü", 10000)}, map[string]any{"notes": vStr("ü", 10000)}, false},
	{"notes multi-line kept", map[string]any{"notes": "line 1\n\nline 3"}, map[string]any{"notes": "line 1\n\nline 3"}, false},
	{"default_rate 0", map[string]any{"default_rate": "0", "default_rate_type": "hour"},
		map[string]any{"default_rate": "0", "default_rate_type": "hour"}, false},
	{"default_rate 290.0", map[string]any{"default_rate": "290.0", "default_rate_type": "day"},
		map[string]any{"default_rate": "290.0", "default_rate_type": "day"}, false},
	{"default_rate 1.2345", map[string]any{"default_rate": "1.2345", "default_rate_type": "month"},
		map[string]any{"default_rate": "1.2345", "default_rate_type": "month"}, false},
	{"default_rate large", map[string]any{"default_rate": "123456789.5", "default_rate_type": "fixed"},
		map[string]any{"default_rate": "123456789.5", "default_rate_type": "fixed"}, false},
	{"default_rate_type alone", map[string]any{"default_rate_type": "hour"},
		map[string]any{"default_rate_type": "hour", "default_rate": nil}, true},
	{"booleans", map[string]any{"invoice_reminders": true, "show_location_on_invoice": true},
		map[string]any{"invoice_reminders": true, "show_location_on_invoice": true}, false},
	{"empty strings are null", map[string]any{"external_id": "", "email": "", "billing_email": " ", "phone": "",
		"phone_secondary": "\t", "mobile": "", "fax": "", "website": "", "tax_name": "", "tax_number": " ",
		"registration_number": "", "bank_name": "", "iban": " ", "notes": "", "default_rate": "", "default_rate_type": ""},
		map[string]any{"external_id": nil, "email": nil, "billing_email": nil, "phone": nil, "phone_secondary": nil,
			"mobile": nil, "fax": nil, "website": nil, "tax_name": nil, "tax_number": nil, "registration_number": nil,
			"bank_name": nil, "iban": nil, "notes": nil, "default_rate": nil, "default_rate_type": nil}, false},
	{"nulls", map[string]any{"external_id": nil, "email": nil, "phone": nil, "website": nil, "iban": nil,
		"default_rate": nil, "default_rate_type": nil},
		map[string]any{"external_id": nil, "email": nil, "phone": nil, "website": nil, "iban": nil,
			"default_rate": nil, "default_rate_type": nil}, false},
	{"address lower-case country", map[string]any{"address": map[string]any{"street": " Hauptstraße ", "house_number": "1a",
		"postal_code": "10115", "city": "Berlin", "country": "de"}},
		map[string]any{"address": map[string]any{"street": "Hauptstraße", "house_number": "1a", "address_line_2": nil,
			"address_line_3": nil, "postal_code": "10115", "city": "Berlin", "region": nil, "country": "DE", "recipient": nil}}, false},
	{"address maximum lengths", map[string]any{"address": map[string]any{"street": vStr("ü", 200), "house_number": vStr("ü", 20),
		"address_line_2": vStr("ü", 200), "address_line_3": vStr("ü", 200), "postal_code": vStr("9", 20),
		"city": vStr("ü", 100), "region": vStr("ü", 100), "country": " gb ", "recipient": vStr("ü", 200)}},
		map[string]any{"address": map[string]any{"street": vStr("ü", 200), "house_number": vStr("ü", 20),
			"address_line_2": vStr("ü", 200), "address_line_3": vStr("ü", 200), "postal_code": vStr("9", 20),
			"city": vStr("ü", 100), "region": vStr("ü", 100), "country": "GB", "recipient": vStr("ü", 200)}}, false},
	{"address empty members are null", map[string]any{"address": map[string]any{"street": "", "city": nil, "country": "FR"}},
		map[string]any{"address": map[string]any{"street": nil, "house_number": nil, "address_line_2": nil,
			"address_line_3": nil, "postal_code": nil, "city": nil, "region": nil, "country": "FR", "recipient": nil}}, false},
	{"address null", map[string]any{"address": nil}, map[string]any{"address": nil}, false},
	{"unicode kept", map[string]any{"name": "Ünïcødé 😀 株式会社"}, map[string]any{"name": "Ünïcødé 😀 株式会社"}, false},
}

func TestValidationClientAccepted(t *testing.T) { forEachEngine(t, testValidationClientAccepted) }

func testValidationClientAccepted(t *testing.T, open openStore) {
	e := newEnv(t, open)
	for _, c := range vClientGood {
		t.Run("create/"+c.name, func(t *testing.T) {
			se := e.vSub(t)
			r := se.do("POST", "/api/v1/clients", se.admin, resourceDoc("clients", vMerge(map[string]any{"name": "Good"}, c.attrs), nil)).
				want(http.StatusCreated)
			vWantAttrs(t, r.attrs(), c.want)
			vWantAttrs(t, se.do("GET", "/api/v1/clients/"+r.id(), se.admin, nil).want(http.StatusOK).attrs(), c.want)
			// free unique values (external_id) for the PATCH case
			se.do("DELETE", "/api/v1/clients/"+r.id(), se.admin, nil).want(http.StatusNoContent)
		})
		if c.createOnly {
			continue
		}
		t.Run("patch/"+c.name, func(t *testing.T) {
			se := e.vSub(t)
			id := se.createClient(se.admin, map[string]any{"name": "Before", "external_id": "before-" + c.name,
				"types": []string{"prospect"}, "email": "before@example.com", "billing_email": "bb@example.com",
				"phone": "+1 555 0100", "phone_secondary": "+1 555 0101", "mobile": "+1 555 0102", "fax": "+1 555 0103",
				"website": "https://before.example", "tax_name": "Before Ltd", "tax_number": "T1", "registration_number": "R1",
				"bank_name": "Bank", "iban": "GB82WEST12345698765432", "notes": "n", "default_rate": "1", "default_rate_type": "hour",
				"address": map[string]any{"street": "Old Street", "city": "London", "country": "GB"}})
			r := se.do("PATCH", "/api/v1/clients/"+id, se.admin, vDoc("clients", id, c.attrs, nil)).want(http.StatusOK)
			vWantAttrs(t, r.attrs(), c.want)
			vWantAttrs(t, se.do("GET", "/api/v1/clients/"+id, se.admin, nil).want(http.StatusOK).attrs(), c.want)
		})
	}
}

// TestValidationClientPatchSemantics: PATCH replaces each named attribute as
// a whole and leaves the others untouched.
func TestValidationClientPatchSemantics(t *testing.T) {
	forEachEngine(t, testValidationClientPatchSemantics)
}

func testValidationClientPatchSemantics(t *testing.T, open openStore) {
	e := newEnv(t, open)
	full := map[string]any{"name": "Full GmbH", "external_id": "F-1", "types": []string{"supplier", "customer"},
		"email": "info@full.example", "billing_email": "billing@full.example", "phone": "+49 30 1234567",
		"phone_secondary": "+49 30 7654321", "mobile": "+49 170 1234567", "fax": "+49 30 1234568",
		"website": "https://full.example", "tax_name": "Full Gesellschaft mbH", "tax_number": "DE123456789",
		"registration_number": "HRB 12345", "bank_name": "Deutsche Bank", "iban": "DE89370400440532013000",
		"notes": "important", "default_rate": "290.0", "default_rate_type": "day", "invoice_reminders": true,
		"show_location_on_invoice": true,
		"address": map[string]any{"street": "Hauptstraße", "house_number": "1", "address_line_2": "Hinterhaus",
			"postal_code": "10115", "city": "Berlin", "region": "Berlin", "country": "de", "recipient": "Buchhaltung"}}
	id := e.createClient(e.admin, full)
	path := "/api/v1/clients/" + id
	get := func() *response { return e.do("GET", path, e.admin, nil).want(http.StatusOK) }
	before := get()
	primary := e.do("GET", path+"/locations", e.admin, nil).want(http.StatusOK).list()
	if len(primary) != 1 {
		t.Fatalf("a client created with an address has locations %v, want one", primary)
	}

	// unnamed attributes keep their values
	r := e.do("PATCH", path, e.admin, vDoc("clients", id, map[string]any{"phone": "+1 555 0199"}, nil)).want(http.StatusOK)
	for k, v := range before.attrs() {
		switch k {
		case "phone":
			if r.attrs()[k] != "+1 555 0199" {
				t.Errorf("phone = %v after PATCH", r.attrs()[k])
			}
		case "updated_at":
		default:
			if !reflect.DeepEqual(r.attrs()[k], v) {
				t.Errorf("PATCH of phone changed %s: %s → %s", k, vJSON(v), vJSON(r.attrs()[k]))
			}
		}
	}
	for _, rel := range []string{"owner", "salesperson", "case_manager", "main_contact"} {
		if r.relID(rel) != before.relID(rel) {
			t.Errorf("PATCH of phone changed relationship %s", rel)
		}
	}
	if got := get().Body; string(got) != string(r.Body) {
		t.Errorf("PATCH answered\n%s\nbut GET answers\n%s", r.Body, got)
	}

	// an address is replaced as a whole, in the same primary location
	r = e.do("PATCH", path, e.admin, vDoc("clients", id, map[string]any{"address": map[string]any{"city": "Paris", "country": "fr"}}, nil)).
		want(http.StatusOK)
	vWantAttrs(t, r.attrs(), map[string]any{"address": map[string]any{"street": nil, "house_number": nil,
		"address_line_2": nil, "address_line_3": nil, "postal_code": nil, "city": "Paris", "region": nil,
		"country": "FR", "recipient": nil}, "name": "Full GmbH", "phone": "+1 555 0199"})
	if got := e.do("GET", path+"/locations", e.admin, nil).want(http.StatusOK).list(); !reflect.DeepEqual(got, primary) {
		t.Errorf("replacing the address left locations %v, want the same primary location %v", got, primary)
	}

	// types are replaced as a whole, in canonical order
	r = e.do("PATCH", path, e.admin, vDoc("clients", id, map[string]any{"types": []string{"prospect"}}, nil)).want(http.StatusOK)
	vWantAttrs(t, r.attrs(), map[string]any{"types": []string{"prospect"}})

	// default_rate may change alone while a type is stored; the type cannot go while a rate is set
	r = e.do("PATCH", path, e.admin, vDoc("clients", id, map[string]any{"default_rate": "300"}, nil)).want(http.StatusOK)
	vWantAttrs(t, r.attrs(), map[string]any{"default_rate": "300", "default_rate_type": "day"})
	snap := e.snapshot(path, e.admin)
	e.do("PATCH", path, e.admin, vDoc("clients", id, map[string]any{"default_rate_type": nil}, nil)).
		vWant(http.StatusUnprocessableEntity, "required", "/data/attributes/default_rate_type")
	if e.snapshot(path, e.admin) != snap {
		t.Errorf("a rejected PATCH changed the client")
	}
	r = e.do("PATCH", path, e.admin, vDoc("clients", id, map[string]any{"default_rate": nil, "default_rate_type": ""}, nil)).
		want(http.StatusOK)
	vWantAttrs(t, r.attrs(), map[string]any{"default_rate": nil, "default_rate_type": nil})

	// address: null removes the primary location
	r = e.do("PATCH", path, e.admin, vDoc("clients", id, map[string]any{"address": nil}, nil)).want(http.StatusOK)
	vWantAttrs(t, r.attrs(), map[string]any{"address": nil, "name": "Full GmbH"})
	if got := e.do("GET", path+"/locations", e.admin, nil).want(http.StatusOK).list(); len(got) != 0 {
		t.Errorf("address: null left locations %v", got)
	}
	e.do("PATCH", path, e.admin, vDoc("clients", id, map[string]any{"address": nil}, nil)).want(http.StatusOK)

	// writing an address to a client without one creates a primary location
	r = e.do("PATCH", path, e.admin, vDoc("clients", id, map[string]any{"address": map[string]any{"country": "gb"}}, nil)).
		want(http.StatusOK)
	vWantAttrs(t, r.attrs(), map[string]any{"address": map[string]any{"street": nil, "house_number": nil,
		"address_line_2": nil, "address_line_3": nil, "postal_code": nil, "city": nil, "region": nil,
		"country": "GB", "recipient": nil}})
	locs := e.do("GET", path+"/locations", e.admin, nil).want(http.StatusOK).list()
	if len(locs) != 1 {
		t.Fatalf("locations %v after writing an address, want one", locs)
	}
	l := e.do("GET", "/api/v1/locations/"+locs[0], e.admin, nil).want(http.StatusOK)
	vWantAttrs(t, l.attrs(), map[string]any{"is_primary": true, "name": "Main location", "country": "GB"})

	// empty and white-space strings clear an attribute
	r = e.do("PATCH", path, e.admin, vDoc("clients", id, map[string]any{"email": "", "website": "   ", "iban": nil}, nil)).
		want(http.StatusOK)
	vWantAttrs(t, r.attrs(), map[string]any{"email": nil, "website": nil, "iban": nil, "billing_email": "billing@full.example"})

	// an empty PATCH changes nothing it names
	r = e.do("PATCH", path, e.admin, vDoc("clients", id, map[string]any{}, nil)).want(http.StatusOK)
	vWantAttrs(t, r.attrs(), map[string]any{"name": "Full GmbH", "billing_email": "billing@full.example"})
	e.do("PATCH", path, e.admin, vDoc("clients", id, nil, nil)).want(http.StatusOK)
}

func TestValidationClientExternalIDUnique(t *testing.T) {
	forEachEngine(t, testValidationClientExternalIDUnique)
}

func testValidationClientExternalIDUnique(t *testing.T, open openStore) {
	e := newEnv(t, open)
	globex, _ := e.newCompany("globex")
	list := "/api/v1/clients?page[size]=100"
	a := e.createClient(e.admin, map[string]any{"name": "A", "external_id": "ERP-1"})

	for _, v := range []string{"ERP-1", "  ERP-1 "} {
		before := e.vState(e.admin, list)
		e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "B", "external_id": v}, nil)).
			vWant(http.StatusConflict, "duplicate_external_id", "/data/attributes/external_id")
		e.vUnchanged(before, e.admin, list)
	}

	b := e.createClient(e.admin, map[string]any{"name": "B", "external_id": "ERP-2"})
	before := e.vState(e.admin, list)
	e.do("PATCH", "/api/v1/clients/"+b, e.admin, vDoc("clients", b, map[string]any{"external_id": "ERP-1", "name": "B renamed"}, nil)).
		vWant(http.StatusConflict, "duplicate_external_id", "/data/attributes/external_id")
	e.vUnchanged(before, e.admin, list)

	// keeping one's own external_id is no conflict
	e.do("PATCH", "/api/v1/clients/"+a, e.admin, vDoc("clients", a, map[string]any{"external_id": "ERP-1", "name": "A2"}, nil)).
		want(http.StatusOK)
	// another company may use the same external_id
	e.createClient(globex, map[string]any{"name": "Globex A", "external_id": "ERP-1"})
	// null (or empty) external_ids never collide
	for i := 0; i < 2; i++ {
		r := e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "N", "external_id": ""}, nil)).
			want(http.StatusCreated)
		vWantAttrs(t, r.attrs(), map[string]any{"external_id": nil})
		e.createClient(e.admin, map[string]any{"name": "M"})
	}
	// after A gives it up, B may take it
	e.do("PATCH", "/api/v1/clients/"+a, e.admin, vDoc("clients", a, map[string]any{"external_id": nil}, nil)).want(http.StatusOK)
	e.do("PATCH", "/api/v1/clients/"+b, e.admin, vDoc("clients", b, map[string]any{"external_id": "ERP-1"}, nil)).want(http.StatusOK)
}

func TestValidationClientRelationshipsAccepted(t *testing.T) {
	forEachEngine(t, testValidationClientRelationshipsAccepted)
}

func testValidationClientRelationshipsAccepted(t *testing.T, open openStore) {
	e := newEnv(t, open)
	member := e.do("POST", "/api/v1/users", e.admin, resourceDoc("users",
		map[string]any{"full_name": "Sam Sales", "email": "sam@acme.example"}, nil)).want(http.StatusCreated).id()

	r := e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "Rel"}, nil)).want(http.StatusCreated)
	if r.relID("owner") != e.userID || r.relID("salesperson") != "" || r.relID("case_manager") != "" {
		t.Errorf("owner should default to the token's user and the others to null: %s", r.Body)
	}
	r = e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "Rel"}, map[string]any{
		"owner": ref("users", member), "salesperson": ref("users", member), "case_manager": ref("users", e.userID)})).
		want(http.StatusCreated)
	if r.relID("owner") != member || r.relID("salesperson") != member || r.relID("case_manager") != e.userID {
		t.Errorf("relationships not stored: %s", r.Body)
	}
	id := r.id()
	r = e.do("PATCH", "/api/v1/clients/"+id, e.admin, vDoc("clients", id, nil, map[string]any{
		"owner": ref("users", ""), "salesperson": ref("users", e.userID)})).want(http.StatusOK)
	if r.relID("owner") != "" || r.relID("salesperson") != e.userID || r.relID("case_manager") != e.userID {
		t.Errorf("PATCH of owner and salesperson: %s", r.Body)
	}
}

// ---------------------------------------------------------------- locations

func vLocationBad(otherClient string) []vBad {
	cases := []vBad{
		vA("name", "", "required"),
		vA("name", "   ", "required"),
		vA("name", nil, "required"),
		vA("name", vStr("ü", 201), "too_long"),
		vA("name", 1, "invalid_type"),
		vA("name", "Main\x00", "nul_byte"),
		{name: "country absent", attrs: map[string]any{"country": vAbsent}, code: "required",
			pointer: "/data/attributes/country", only: "create"},
		vA("country", "", "required"),
		vA("country", " ", "required"),
		vA("country", nil, "required"),
		vA("country", 49, "invalid_type"),
		vA("email", "invoices", "invalid_email"),
		vA("email", vEmail(255), "too_long"),
		vA("notes", vStr("ü", 10001), "too_long"),
		vA("is_primary", "yes", "invalid_type"),
		vA("is_primary", nil, "invalid_type"),
		vA("mobile", "+49 170 1234567", "unknown_attribute"),
		vA("address", map[string]any{"country": "DE"}, "unknown_attribute"),
		vA("website", "https://example.com", "unknown_attribute"),
		vR("owner", ref("users", "1"), "unknown_relationship"),
		{name: "client absent", rels: map[string]any{"client": vAbsent}, code: "required",
			pointer: "/data/relationships/client", only: "create"},
		vR("client", ref("clients", ""), "required").onlyOn("create"),
		vR("client", ref("clients", "999999"), "invalid_relationship").onlyOn("create"),
		vR("client", ref("clients", otherClient), "invalid_relationship").onlyOn("create").named("client of another company"),
		vR("client", ref("clients", ""), "").onlyOn("patch"),
		vR("client", ref("clients", "999999"), "").onlyOn("patch"),
		vR("client", ref("clients", otherClient), "").onlyOn("patch").named("client of another company"),
		vR("client", ref("users", "1"), "invalid_relationship"),
		vR("client", ref("clients", "x"), "invalid_relationship"),
		vR("client", map[string]any{"data": map[string]any{"type": "clients", "id": 1}}, "invalid_relationship"),
		vR("client", nil, "invalid_relationship"),
		vR("client", map[string]any{}, "invalid_relationship"),
	}
	for _, s := range []string{"XX", "UK", "DEU", "D", "EU", "Deutschland"} {
		cases = append(cases, vA("country", s, "invalid_country"))
	}
	for f, max := range map[string]int{"street": 200, "house_number": 20, "address_line_2": 200, "address_line_3": 200,
		"postal_code": 20, "city": 100, "region": 100, "recipient": 200} {
		cases = append(cases, vA(f, vStr("ü", max+1), "too_long"), vA(f, 7, "invalid_type"))
	}
	for _, f := range []string{"phone", "phone_secondary", "fax"} {
		cases = append(cases, vA(f, "phone", "invalid_phone"), vA(f, "1234", "invalid_phone"),
			vA(f, vStr("1", 51), "too_long"))
	}
	return append(cases, vCommonBad()...)
}

func TestValidationLocationRejected(t *testing.T) { forEachEngine(t, testValidationLocationRejected) }

func testValidationLocationRejected(t *testing.T, open openStore) {
	e := newEnv(t, open)
	globex, _ := e.newCompany("globex")
	otherClient := e.createClient(globex, map[string]any{"name": "Globex client"})
	client := e.createClient(e.admin, map[string]any{"name": "Client"})
	id := e.createLocation(e.admin, client, map[string]any{"name": "HQ", "street": "Main St", "city": "Springfield", "country": "US"})
	lists := []string{"/api/v1/locations?page[size]=100", "/api/v1/clients/" + client}
	e.vRunBad(t, "locations", "/api/v1/locations", "/api/v1/locations/"+id, map[string]any{"country": "DE"},
		map[string]any{"client": ref("clients", client)}, lists, vLocationBad(otherClient))

	// a location cannot move to another client, even of the same company
	other := e.createClient(e.admin, map[string]any{"name": "Other"})
	check := append(lists, "/api/v1/locations/"+id)
	before := e.vState(e.admin, check...)
	e.do("PATCH", "/api/v1/locations/"+id, e.admin, vDoc("locations", id, nil, map[string]any{"client": ref("clients", other)})).
		vWant(http.StatusUnprocessableEntity, "read_only", "/data/relationships/client")
	e.vUnchanged(before, e.admin, check...)
	// naming its own client is fine
	e.do("PATCH", "/api/v1/locations/"+id, e.admin, vDoc("locations", id, nil, map[string]any{"client": ref("clients", client)})).
		want(http.StatusOK)
}

func TestValidationLocationAccepted(t *testing.T) { forEachEngine(t, testValidationLocationAccepted) }

func testValidationLocationAccepted(t *testing.T, open openStore) {
	e := newEnv(t, open)
	client := e.createClient(e.admin, map[string]any{"name": "Client"})
	cases := []struct {
		name  string
		attrs map[string]any
		want  map[string]any
	}{
		{"defaults", map[string]any{"country": "DE"}, map[string]any{"name": "Main location", "street": nil,
			"house_number": nil, "address_line_2": nil, "address_line_3": nil, "postal_code": nil, "city": nil,
			"region": nil, "recipient": nil, "email": nil, "phone": nil, "phone_secondary": nil, "fax": nil,
			"notes": nil, "country": "DE"}},
		{"lower-case country", map[string]any{"country": "de"}, map[string]any{"country": "DE"}},
		{"padded country", map[string]any{"country": " gb\t"}, map[string]any{"country": "GB"}},
		{"mixed-case country", map[string]any{"country": "Fr"}, map[string]any{"country": "FR"}},
		{"maximum lengths", map[string]any{"name": vStr("ü", 200), "street": vStr("ü", 200), "house_number": vStr("ü", 20),
			"address_line_2": vStr("ü", 200), "address_line_3": vStr("ü", 200), "postal_code": vStr("ü", 20),
			"city": vStr("ü", 100), "region": vStr("ü", 100), "recipient": vStr("ü", 200), "notes": vStr("ü", 10000),
			"phone": vStr("1", 50), "country": "CH"},
			map[string]any{"name": vStr("ü", 200), "street": vStr("ü", 200), "house_number": vStr("ü", 20),
				"address_line_2": vStr("ü", 200), "address_line_3": vStr("ü", 200), "postal_code": vStr("ü", 20),
				"city": vStr("ü", 100), "region": vStr("ü", 100), "recipient": vStr("ü", 200), "notes": vStr("ü", 10000),
				"phone": vStr("1", 50)}},
		{"trimmed and empty", map[string]any{"name": "  Branch  ", "street": " ", "city": "  Köln ", "email": "",
			"phone": "  ", "country": "DE"},
			map[string]any{"name": "Branch", "street": nil, "city": "Köln", "email": nil, "phone": nil}},
		{"contact data", map[string]any{"email": "invoices@example.com", "phone": "+41 44 668 18 00 ext 5",
			"phone_secondary": "044 668 18 01", "fax": "(044) 668-18-02", "country": "CH"},
			map[string]any{"email": "invoices@example.com", "phone": "+41 44 668 18 00 ext 5",
				"phone_secondary": "044 668 18 01", "fax": "(044) 668-18-02"}},
	}
	for _, c := range cases {
		t.Run("create/"+c.name, func(t *testing.T) {
			se := e.vSub(t)
			r := se.do("POST", "/api/v1/locations", se.admin, resourceDoc("locations", c.attrs,
				map[string]any{"client": ref("clients", client)})).want(http.StatusCreated)
			vWantAttrs(t, r.attrs(), c.want)
			if r.relID("client") != client {
				t.Errorf("client %q, want %q", r.relID("client"), client)
			}
			vWantAttrs(t, se.do("GET", "/api/v1/locations/"+r.id(), se.admin, nil).want(http.StatusOK).attrs(), c.want)
		})
		t.Run("patch/"+c.name, func(t *testing.T) {
			se := e.vSub(t)
			id := se.createLocation(se.admin, client, map[string]any{"name": "Old", "street": "Old", "city": "Old",
				"email": "old@example.com", "phone": "+1 555 0100", "country": "US"})
			attrs := c.attrs
			if c.name == "defaults" {
				attrs = map[string]any{"name": "Main location", "street": nil, "city": "", "email": nil, "phone": " ",
					"country": "DE"}
			}
			r := se.do("PATCH", "/api/v1/locations/"+id, se.admin, vDoc("locations", id, attrs, nil)).want(http.StatusOK)
			vWantAttrs(t, r.attrs(), c.want)
			vWantAttrs(t, se.do("GET", "/api/v1/locations/"+id, se.admin, nil).want(http.StatusOK).attrs(), c.want)
		})
	}

	// PATCH leaves unnamed attributes untouched
	id := e.createLocation(e.admin, client, map[string]any{"name": "Keep", "street": "Keep St", "city": "Keepville",
		"email": "keep@example.com", "country": "NL"})
	r := e.do("PATCH", "/api/v1/locations/"+id, e.admin, vDoc("locations", id, map[string]any{"city": "Amsterdam"}, nil)).
		want(http.StatusOK)
	vWantAttrs(t, r.attrs(), map[string]any{"name": "Keep", "street": "Keep St", "city": "Amsterdam",
		"email": "keep@example.com", "country": "NL"})
}

// TestValidationLocationPrimary: the first location of a client becomes
// primary; setting is_primary clears the others.
func TestValidationLocationPrimary(t *testing.T) { forEachEngine(t, testValidationLocationPrimary) }

func testValidationLocationPrimary(t *testing.T, open openStore) {
	e := newEnv(t, open)
	client := e.createClient(e.admin, map[string]any{"name": "Client"})
	first := e.do("POST", "/api/v1/locations", e.admin, resourceDoc("locations", map[string]any{"country": "DE"},
		map[string]any{"client": ref("clients", client)})).want(http.StatusCreated)
	vWantAttrs(t, first.attrs(), map[string]any{"is_primary": true})
	second := e.do("POST", "/api/v1/locations", e.admin, resourceDoc("locations", map[string]any{"country": "FR"},
		map[string]any{"client": ref("clients", client)})).want(http.StatusCreated)
	vWantAttrs(t, second.attrs(), map[string]any{"is_primary": false})
	third := e.do("POST", "/api/v1/locations", e.admin, resourceDoc("locations", map[string]any{"country": "GB", "is_primary": true},
		map[string]any{"client": ref("clients", client)})).want(http.StatusCreated)
	vWantAttrs(t, third.attrs(), map[string]any{"is_primary": true})
	vWantAttrs(t, e.do("GET", "/api/v1/locations/"+first.id(), e.admin, nil).want(http.StatusOK).attrs(),
		map[string]any{"is_primary": false})
	vWantAttrs(t, e.do("GET", "/api/v1/clients/"+client, e.admin, nil).want(http.StatusOK).attrs()["address"].(map[string]any),
		map[string]any{"country": "GB"})
}

// ---------------------------------------------------------------- contacts

func vContactBad(otherClient string) []vBad {
	cases := []vBad{
		{name: "no name at all", attrs: map[string]any{"first_name": vAbsent}, code: "required",
			pointer: "/data/attributes/first_name", only: "create"},
		{name: "both names empty", attrs: map[string]any{"first_name": "", "last_name": ""}, code: "required",
			pointer: "/data/attributes/first_name"},
		{name: "both names blank or null", attrs: map[string]any{"first_name": "  ", "last_name": nil}, code: "required",
			pointer: "/data/attributes/first_name"},
		vA("first_name", vStr("ü", 101), "too_long"),
		vA("last_name", vStr("ü", 101), "too_long"),
		vA("first_name", 1, "invalid_type"),
		vA("last_name", []any{"Lovelace"}, "invalid_type"),
		vA("first_name", "A\x00da", "nul_byte"),
		vA("gender", "unknown", "invalid_choice"),
		vA("gender", "f", "invalid_choice"),
		vA("gender", "divers", "invalid_choice"),
		vA("gender", true, "invalid_type"),
		vA("email", "ada", "invalid_email"),
		vA("email", "ada@example", "invalid_email"),
		vA("email", vEmail(255), "too_long"),
		vA("skype", vStr("ü", 101), "too_long"),
		vA("position", vStr("ü", 101), "too_long"),
		vA("notes", vStr("ü", 10001), "too_long"),
		vA("is_main", "yes", "invalid_type"),
		vA("is_main", nil, "invalid_type"),
		vA("portal_access", "true", "invalid_type"),
		vA("portal_access", nil, "invalid_type"),
		vA("password", "short77", "too_short"),
		vA("password", vStr("ü", 7), "too_short"), // 14 bytes, 7 characters
		vA("password", vStr("x", 257), "too_long"),
		vA("password", vStr("ü", 257), "too_long"),
		vA("password", nil, "invalid_type"),
		vA("password", 12345678, "invalid_type"),
		vA("password", "pass\x00word", "nul_byte"),
		vA("name", "Ada Lovelace", "read_only"),
		vA("name", nil, "read_only"),
		vA("image", nil, "read_only"),
		vA("image", map[string]any{"url": "https://example.com/a.png"}, "read_only"),
		vA("full_name", "Ada Lovelace", "unknown_attribute"),
		vA("website", "https://example.com", "unknown_attribute"),
		vA("current_password", "whatever1", "unknown_attribute"),
		vA("client", "1", "unknown_attribute"), // an attribute, not the relationship
		{name: "portal_access without email", attrs: map[string]any{"portal_access": true, "password": "correct horse", "email": nil},
			code: "required", pointer: "/data/attributes/email"},
		{name: "portal_access with blank email", attrs: map[string]any{"portal_access": true, "password": "correct horse", "email": "  "},
			code: "required", pointer: "/data/attributes/email"},
		{name: "portal_access without password", attrs: map[string]any{"portal_access": true, "email": "pa@example.com"},
			code: "required", pointer: "/data/attributes/password"},
		{name: "portal_access with a too short password", attrs: map[string]any{"portal_access": true, "email": "pa@example.com",
			"password": "1234567"}, code: "too_short", pointer: "/data/attributes/password"},
		vR("owner", ref("users", "1"), "unknown_relationship"),
		{name: "client absent", rels: map[string]any{"client": vAbsent}, code: "required",
			pointer: "/data/relationships/client", only: "create"},
		vR("client", ref("clients", ""), "required").onlyOn("create"),
		// a contact may move, but not to nowhere
		vR("client", ref("clients", ""), "").named("client null on PATCH").onlyOn("patch"),
		vR("client", ref("clients", "999999"), "invalid_relationship"),
		vR("client", ref("clients", otherClient), "invalid_relationship").named("client of another company"),
		vR("client", ref("contacts", "1"), "invalid_relationship"),
		vR("client", ref("clients", "0"), "invalid_relationship"),
		vR("client", map[string]any{"data": []any{}}, "invalid_relationship"),
		vR("client", nil, "invalid_relationship"),
	}
	for _, f := range []string{"phone", "mobile", "fax"} {
		cases = append(cases, vA(f, "n/a", "invalid_phone"), vA(f, "12-34", "invalid_phone"),
			vA(f, vStr("1", 51), "too_long"))
	}
	return append(cases, vCommonBad()...)
}

func TestValidationContactRejected(t *testing.T) { forEachEngine(t, testValidationContactRejected) }

func testValidationContactRejected(t *testing.T, open openStore) {
	e := newEnv(t, open)
	globex, _ := e.newCompany("globex")
	otherClient := e.createClient(globex, map[string]any{"name": "Globex client"})
	client := e.createClient(e.admin, map[string]any{"name": "Client"})
	id := e.createContact(e.admin, client, map[string]any{"first_name": "Ada", "last_name": "Lovelace", "position": "CTO"})
	lists := []string{"/api/v1/contacts?page[size]=100", "/api/v1/clients/" + client}
	e.vRunBad(t, "contacts", "/api/v1/contacts", "/api/v1/contacts/"+id, map[string]any{"first_name": "Grace"},
		map[string]any{"client": ref("clients", client)}, lists, vContactBad(otherClient))
}

func TestValidationContactAccepted(t *testing.T) { forEachEngine(t, testValidationContactAccepted) }

func testValidationContactAccepted(t *testing.T, open openStore) {
	e := newEnv(t, open)
	client := e.createClient(e.admin, map[string]any{"name": "Client"})
	cases := []struct {
		name  string
		attrs map[string]any
		want  map[string]any
	}{
		{"first name only", map[string]any{"first_name": "Ada"}, map[string]any{"first_name": "Ada", "last_name": nil, "name": "Ada"}},
		{"last name only", map[string]any{"last_name": "Lovelace"}, map[string]any{"first_name": nil, "last_name": "Lovelace", "name": "Lovelace"}},
		{"empty first name", map[string]any{"first_name": " ", "last_name": "Hopper"}, map[string]any{"first_name": nil, "name": "Hopper"}},
		{"names trimmed and joined", map[string]any{"first_name": "  Ada ", "last_name": "\tLovelace  "},
			map[string]any{"first_name": "Ada", "last_name": "Lovelace", "name": "Ada Lovelace"}},
		{"names 100", map[string]any{"first_name": vStr("ü", 100), "last_name": vStr("ö", 100)},
			map[string]any{"first_name": vStr("ü", 100), "last_name": vStr("ö", 100), "name": vStr("ü", 100) + " " + vStr("ö", 100)}},
		{"defaults", map[string]any{"first_name": "D"}, map[string]any{"gender": nil, "email": nil, "phone": nil, "mobile": nil,
			"fax": nil, "skype": nil, "position": nil, "notes": nil, "portal_access": false, "image": nil}},
		{"genders female", map[string]any{"first_name": "F", "gender": "female"}, map[string]any{"gender": "female"}},
		{"genders male", map[string]any{"first_name": "M", "gender": "male"}, map[string]any{"gender": "male"}},
		{"genders other", map[string]any{"first_name": "O", "gender": "other"}, map[string]any{"gender": "other"}},
		{"gender empty", map[string]any{"first_name": "O", "gender": ""}, map[string]any{"gender": nil}},
		{"contact data", map[string]any{"first_name": "C", "email": " c.d@Example.org ", "phone": "+44 20 7946 0958 ext 12",
			"mobile": "07700 900123", "fax": "(020) 7946-0959", "skype": vStr("ü", 100), "position": vStr("ü", 100),
			"notes": vStr("ü", 10000)},
			map[string]any{"email": "c.d@Example.org", "phone": "+44 20 7946 0958 ext 12", "mobile": "07700 900123",
				"fax": "(020) 7946-0959", "skype": vStr("ü", 100), "position": vStr("ü", 100), "notes": vStr("ü", 10000)}},
		{"empty strings are null", map[string]any{"first_name": "E", "email": "", "phone": " ", "mobile": "", "fax": "",
			"skype": "", "position": "\t", "notes": ""},
			map[string]any{"email": nil, "phone": nil, "mobile": nil, "fax": nil, "skype": nil, "position": nil, "notes": nil}},
		{"password 8", map[string]any{"first_name": "P", "password": "12345678"}, map[string]any{"portal_access": false}},
		{"password 8 ü", map[string]any{"first_name": "P", "password": vStr("ü", 8)}, map[string]any{"portal_access": false}},
		{"password 256 ü", map[string]any{"first_name": "P", "password": vStr("ü", 256)}, map[string]any{"portal_access": false}},
		{"portal access", map[string]any{"first_name": "P", "email": "portal-%s@example.com", "portal_access": true,
			"password": "correct horse battery"}, map[string]any{"portal_access": true}},
	}
	for i, c := range cases {
		attrs := func(op string) map[string]any {
			out := vMerge(nil, c.attrs)
			if s, ok := out["email"].(string); ok && strings.Contains(s, "%s") {
				out["email"] = fmt.Sprintf(s, fmt.Sprint(op, i))
				c.want["email"] = out["email"]
			}
			return out
		}
		check := func(t *testing.T, se *env, r *response) {
			t.Helper()
			vWantAttrs(t, r.attrs(), c.want)
			vNoPassword(t, r)
			g := se.do("GET", "/api/v1/contacts/"+r.id(), se.admin, nil).want(http.StatusOK)
			vWantAttrs(t, g.attrs(), c.want)
			vNoPassword(t, g)
		}
		t.Run("create/"+c.name, func(t *testing.T) {
			se := e.vSub(t)
			r := se.do("POST", "/api/v1/contacts", se.admin, resourceDoc("contacts", attrs("create"),
				map[string]any{"client": ref("clients", client)})).want(http.StatusCreated)
			check(t, se, r)
		})
		t.Run("patch/"+c.name, func(t *testing.T) {
			se := e.vSub(t)
			id := se.createContact(se.admin, client, map[string]any{"first_name": "Old", "last_name": "Name",
				"gender": "other", "email": "old@example.com", "phone": "+1 555 0100", "mobile": "+1 555 0101",
				"fax": "+1 555 0102", "skype": "old", "position": "old", "notes": "old"})
			a := attrs("patch")
			for _, k := range []string{"first_name", "last_name"} { // replace the stored names
				if _, ok := a[k]; !ok {
					a[k] = nil
				}
			}
			if c.name == "defaults" {
				a = map[string]any{"first_name": "D", "last_name": nil, "gender": nil, "email": nil, "phone": nil, "mobile": "",
					"fax": nil, "skype": nil, "position": nil, "notes": nil, "portal_access": false}
			}
			r := se.do("PATCH", "/api/v1/contacts/"+id, se.admin, vDoc("contacts", id, a, nil)).want(http.StatusOK)
			check(t, se, r)
		})
	}
}

// vNoPassword fails if a contact document renders anything of a password.
func vNoPassword(t *testing.T, r *response) {
	t.Helper()
	if _, ok := r.attrs()["password"]; ok {
		t.Errorf("password is rendered: %s", r.Body)
	}
	for _, s := range []string{"password", "argon2", "$2a$", "correct horse"} {
		if strings.Contains(string(r.Body), s) {
			t.Errorf("response contains %q: %s", s, r.Body)
		}
	}
}

// TestValidationContactPortalAccess: portal access needs an e-mail and a
// password, given now or earlier; the password is never rendered.
func TestValidationContactPortalAccess(t *testing.T) {
	forEachEngine(t, testValidationContactPortalAccess)
}

func testValidationContactPortalAccess(t *testing.T, open openStore) {
	e := newEnv(t, open)
	client := e.createClient(e.admin, map[string]any{"name": "Client"})
	path := func(id string) string { return "/api/v1/contacts/" + id }

	// a password given earlier is enough to turn portal access on later
	r := e.do("POST", "/api/v1/contacts", e.admin, resourceDoc("contacts", map[string]any{"first_name": "Early",
		"email": "early@example.com", "password": "correct horse"}, map[string]any{"client": ref("clients", client)})).
		want(http.StatusCreated)
	vNoPassword(t, r)
	early := r.id()
	r = e.do("PATCH", path(early), e.admin, vDoc("contacts", early, map[string]any{"portal_access": true}, nil)).want(http.StatusOK)
	vWantAttrs(t, r.attrs(), map[string]any{"portal_access": true})
	vNoPassword(t, r)

	// while portal access is on, the e-mail cannot go
	before := e.vState(e.admin, path(early))
	for _, v := range []any{nil, "", "   "} {
		e.do("PATCH", path(early), e.admin, vDoc("contacts", early, map[string]any{"email": v}, nil)).
			vWant(http.StatusUnprocessableEntity, "required", "/data/attributes/email")
	}
	e.vUnchanged(before, e.admin, path(early))
	// turning it off in the same request allows it
	r = e.do("PATCH", path(early), e.admin, vDoc("contacts", early, map[string]any{"email": nil, "portal_access": false}, nil)).
		want(http.StatusOK)
	vWantAttrs(t, r.attrs(), map[string]any{"email": nil, "portal_access": false})

	// without a password ever set, turning it on needs one
	never := e.createContact(e.admin, client, map[string]any{"first_name": "Never", "email": "never@example.com"})
	before = e.vState(e.admin, path(never))
	e.do("PATCH", path(never), e.admin, vDoc("contacts", never, map[string]any{"portal_access": true}, nil)).
		vWant(http.StatusUnprocessableEntity, "required", "/data/attributes/password")
	e.vUnchanged(before, e.admin, path(never))
	r = e.do("PATCH", path(never), e.admin, vDoc("contacts", never,
		map[string]any{"portal_access": true, "password": vStr("ü", 8)}, nil)).want(http.StatusOK)
	vWantAttrs(t, r.attrs(), map[string]any{"portal_access": true})
	vNoPassword(t, r)

	// the list never renders a password either
	lst := e.do("GET", "/api/v1/contacts", e.admin, nil).want(http.StatusOK)
	for _, s := range []string{"password", "argon2", "correct horse"} {
		if strings.Contains(string(lst.Body), s) {
			t.Errorf("contact list contains %q", s)
		}
	}
}

// TestValidationContactEmailUnique: among a company's contacts with portal
// access, an e-mail is unique, compared case-insensitively.
func TestValidationContactEmailUnique(t *testing.T) {
	forEachEngine(t, testValidationContactEmailUnique)
}

func testValidationContactEmailUnique(t *testing.T, open openStore) {
	e := newEnv(t, open)
	globex, _ := e.newCompany("globex")
	client := e.createClient(e.admin, map[string]any{"name": "Client"})
	other := e.createClient(e.admin, map[string]any{"name": "Other client"})
	list := "/api/v1/contacts?page[size]=100"
	portal := func(email string) map[string]any {
		return map[string]any{"first_name": "P", "email": email, "portal_access": true, "password": "correct horse"}
	}
	e.createContact(e.admin, client, portal("ada@example.com"))

	for _, v := range []string{"ada@example.com", "ADA@Example.COM", "  Ada@example.com "} {
		for _, c := range []string{client, other} {
			before := e.vState(e.admin, list)
			e.do("POST", "/api/v1/contacts", e.admin, resourceDoc("contacts", portal(v), map[string]any{"client": ref("clients", c)})).
				vWant(http.StatusConflict, "duplicate_email", "/data/attributes/email")
			e.vUnchanged(before, e.admin, list)
		}
	}

	// without portal access the e-mail may repeat
	b := e.createContact(e.admin, other, map[string]any{"first_name": "B", "email": "Ada@Example.com", "password": "correct horse"})
	// but turning portal access on for it then conflicts
	before := e.vState(e.admin, list)
	e.do("PATCH", "/api/v1/contacts/"+b, e.admin, vDoc("contacts", b, map[string]any{"portal_access": true}, nil)).
		vWant(http.StatusConflict, "duplicate_email", "/data/attributes/email")
	e.vUnchanged(before, e.admin, list)

	// changing a portal contact's e-mail to a taken one conflicts too
	c := e.createContact(e.admin, client, portal("grace@example.com"))
	before = e.vState(e.admin, list)
	e.do("PATCH", "/api/v1/contacts/"+c, e.admin, vDoc("contacts", c, map[string]any{"email": "ADA@EXAMPLE.COM"}, nil)).
		vWant(http.StatusConflict, "duplicate_email", "/data/attributes/email")
	e.vUnchanged(before, e.admin, list)

	// another company may use the same e-mail with portal access
	e.createContact(globex, e.createClient(globex, map[string]any{"name": "G"}), portal("ada@example.com"))
}

// ---------------------------------------------------------------- users

func TestValidationUserRejected(t *testing.T) { forEachEngine(t, testValidationUserRejected) }

func testValidationUserRejected(t *testing.T, open openStore) {
	e := newEnv(t, open)
	id := e.do("POST", "/api/v1/users", e.admin, resourceDoc("users",
		map[string]any{"full_name": "Bob Member", "email": "bob@acme.example"}, nil)).want(http.StatusCreated).id()
	cases := []vBad{
		{name: "full_name absent", attrs: map[string]any{"full_name": vAbsent}, code: "required",
			pointer: "/data/attributes/full_name", only: "create"},
		vA("full_name", "", "required"),
		vA("full_name", "  ", "required"),
		vA("full_name", nil, "required"),
		vA("full_name", vStr("ü", 201), "too_long"),
		vA("full_name", 5, "invalid_type"),
		vA("full_name", "Bob\x00", "nul_byte"),
		{name: "email absent", attrs: map[string]any{"email": vAbsent}, code: "required",
			pointer: "/data/attributes/email", only: "create"},
		vA("email", "", "required"),
		vA("email", nil, "required"),
		vA("email", "bob", "invalid_email"),
		vA("email", "Bob <bob@acme.example>", "invalid_email"),
		vA("email", vEmail(255), "too_long"),
		vA("email", []any{"bob@acme.example"}, "invalid_type"),
		vA("role", "owner", "invalid_choice"),
		vA("role", "Admin", "invalid_choice"),
		vA("role", "", "required"),
		vA("role", nil, "required"),
		vA("role", 1, "invalid_type"),
		vA("password", "secret123", "unknown_attribute"),
		{name: "email of another user", attrs: map[string]any{"email": "admin@acme.example"}, status: http.StatusConflict,
			code: "duplicate_email", pointer: "/data/attributes/email"},
		{name: "email of another user in other case", attrs: map[string]any{"email": " ADMIN@Acme.Example "},
			status: http.StatusConflict, code: "duplicate_email", pointer: "/data/attributes/email"},
	}
	cases = append(cases, vCommonBad()...)
	e.vRunBad(t, "users", "/api/v1/users", "/api/v1/users/"+id,
		map[string]any{"full_name": "New User", "email": "new@acme.example"}, nil,
		[]string{"/api/v1/users?page[size]=100"}, cases)
}

func TestValidationUserAccepted(t *testing.T) { forEachEngine(t, testValidationUserAccepted) }

func testValidationUserAccepted(t *testing.T, open openStore) {
	e := newEnv(t, open)
	globex, _ := e.newCompany("globex")
	r := e.do("POST", "/api/v1/users", e.admin, resourceDoc("users",
		map[string]any{"full_name": "  " + vStr("ü", 200) + " ", "email": " Carol@Acme.Example "}, nil)).want(http.StatusCreated)
	vWantAttrs(t, r.attrs(), map[string]any{"full_name": vStr("ü", 200), "email": "Carol@Acme.Example", "role": "member"})
	for _, k := range []string{"created_at", "updated_at"} {
		if s, _ := r.attrs()[k].(string); !strings.HasSuffix(s, "Z") {
			t.Errorf("%s = %v, want an RFC 3339 UTC timestamp", k, r.attrs()[k])
		}
	}
	r = e.do("POST", "/api/v1/users", e.admin, resourceDoc("users",
		map[string]any{"full_name": "Dave", "email": "dave@acme.example", "role": "admin"}, nil)).want(http.StatusCreated)
	vWantAttrs(t, r.attrs(), map[string]any{"role": "admin"})
	// an e-mail of another company's user is free here
	e.do("POST", "/api/v1/users", globex, resourceDoc("users",
		map[string]any{"full_name": "Carol", "email": "carol@acme.example"}, nil)).want(http.StatusCreated)
	// PATCH leaves unnamed attributes untouched
	id := r.id()
	r = e.do("PATCH", "/api/v1/users/"+id, e.admin, vDoc("users", id, map[string]any{"full_name": "David"}, nil)).want(http.StatusOK)
	vWantAttrs(t, r.attrs(), map[string]any{"full_name": "David", "email": "dave@acme.example", "role": "admin"})
	// keeping one's own e-mail in another case is no conflict
	r = e.do("PATCH", "/api/v1/users/"+id, e.admin, vDoc("users", id, map[string]any{"email": "DAVE@acme.example"}, nil)).want(http.StatusOK)
	vWantAttrs(t, r.attrs(), map[string]any{"email": "DAVE@acme.example"})
}

// TestValidationUserLastAdmin: the last admin cannot be demoted or removed;
// members may not manage users.
func TestValidationUserLastAdmin(t *testing.T) { forEachEngine(t, testValidationUserLastAdmin) }

func testValidationUserLastAdmin(t *testing.T, open openStore) {
	e := newEnv(t, open)
	users := "/api/v1/users?page[size]=100"
	me := "/api/v1/users/" + e.userID

	before := e.vState(e.admin, users)
	e.do("PATCH", me, e.admin, vDoc("users", e.userID, map[string]any{"role": "member"}, nil)).
		vWant(http.StatusConflict, "last_admin", "/data/attributes/role")
	e.do("DELETE", me, e.admin, nil).vWant(http.StatusConflict, "last_admin", "")
	e.vUnchanged(before, e.admin, users)

	// a member cannot create, change or delete users
	memberID := e.do("POST", "/api/v1/users", e.admin, resourceDoc("users",
		map[string]any{"full_name": "Mia Member", "email": "mia@acme.example"}, nil)).want(http.StatusCreated).id()
	member := e.do("POST", "/api/v1/tokens", e.admin, resourceDoc("tokens", map[string]any{"name": "mia"},
		map[string]any{"user": ref("users", memberID)})).want(http.StatusCreated).json()["meta"].(map[string]any)["secret"].(string)
	before = e.vState(e.admin, users)
	e.do("POST", "/api/v1/users", member, resourceDoc("users", map[string]any{"full_name": "X", "email": "x@acme.example"}, nil)).
		vWant(http.StatusForbidden, "", "")
	e.do("PATCH", "/api/v1/users/"+memberID, member, vDoc("users", memberID, map[string]any{"role": "admin"}, nil)).
		vWant(http.StatusForbidden, "", "")
	e.do("PATCH", me, member, vDoc("users", e.userID, map[string]any{"role": "member"}, nil)).vWant(http.StatusForbidden, "", "")
	e.do("DELETE", me, member, nil).vWant(http.StatusForbidden, "", "")
	e.vUnchanged(before, e.admin, users)
	e.do("GET", "/api/v1/users", member, nil).want(http.StatusOK)

	// with a second admin, the first may be demoted; then the second is the last
	e.do("PATCH", "/api/v1/users/"+memberID, e.admin, vDoc("users", memberID, map[string]any{"role": "admin"}, nil)).want(http.StatusOK)
	e.do("PATCH", me, e.admin, vDoc("users", e.userID, map[string]any{"role": "member"}, nil)).want(http.StatusOK)
	before = e.vState(member, users)
	e.do("PATCH", "/api/v1/users/"+memberID, member, vDoc("users", memberID, map[string]any{"role": "member"}, nil)).
		vWant(http.StatusConflict, "last_admin", "/data/attributes/role")
	e.do("DELETE", "/api/v1/users/"+memberID, member, nil).vWant(http.StatusConflict, "last_admin", "")
	e.vUnchanged(before, member, users)
}

// ---------------------------------------------------------------- tokens

func TestValidationTokenRejected(t *testing.T) { forEachEngine(t, testValidationTokenRejected) }

func testValidationTokenRejected(t *testing.T, open openStore) {
	e := newEnv(t, open)
	_, globexUser := e.newCompany("globex")
	cases := []vBad{
		vA("name", vStr("ü", 101), "too_long"),
		vA("name", "  "+vStr("ü", 101)+"  ", "too_long"),
		vA("name", 5, "invalid_type"),
		vA("name", "ci\x00", "nul_byte"),
		vA("secret", "clt_mine", "read_only"),
		vA("last_used_at", "2020-01-01T00:00:00Z", "read_only"),
		vA("role", "admin", "unknown_attribute"),
		vR("user", ref("users", "999999"), "invalid_relationship"),
		vR("user", ref("users", globexUser), "invalid_relationship").named("user of another company"),
		vR("user", ref("clients", "1"), "invalid_relationship"),
		vR("user", "1", "invalid_relationship"),
	}
	cases = append(cases, vCommonBad()...)
	e.vRunBad(t, "tokens", "/api/v1/tokens", "", map[string]any{"name": "CI"}, nil,
		[]string{"/api/v1/tokens?page[size]=100"}, cases)
}

func TestValidationTokenAccepted(t *testing.T) { forEachEngine(t, testValidationTokenAccepted) }

func testValidationTokenAccepted(t *testing.T, open openStore) {
	e := newEnv(t, open)
	memberID := e.do("POST", "/api/v1/users", e.admin, resourceDoc("users",
		map[string]any{"full_name": "Mia", "email": "mia@acme.example"}, nil)).want(http.StatusCreated).id()
	cases := []struct {
		name  string
		attrs map[string]any
		rels  map[string]any
		want  string
		user  string
	}{
		{"no attributes", nil, nil, "API token", e.userID},
		{"empty name", map[string]any{"name": ""}, nil, "API token", e.userID},
		{"null name", map[string]any{"name": nil}, nil, "API token", e.userID},
		{"trimmed", map[string]any{"name": "  deploy bot "}, nil, "deploy bot", e.userID},
		{"100 ü", map[string]any{"name": vStr("ü", 100)}, nil, vStr("ü", 100), e.userID},
		{"for a member", map[string]any{"name": "mia"}, map[string]any{"user": ref("users", memberID)}, "mia", memberID},
		{"user null is the caller", map[string]any{"name": "me"}, map[string]any{"user": ref("users", "")}, "me", e.userID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			se := e.vSub(t)
			r := se.do("POST", "/api/v1/tokens", se.admin, resourceDoc("tokens", c.attrs, c.rels)).want(http.StatusCreated)
			vWantAttrs(t, r.attrs(), map[string]any{"name": c.want, "last_used_at": nil})
			if r.relID("user") != c.user {
				t.Errorf("user %q, want %q", r.relID("user"), c.user)
			}
			secret, _ := r.json()["meta"].(map[string]any)["secret"].(string)
			if !strings.HasPrefix(secret, "clt_") {
				t.Fatalf("meta.secret %q does not start with clt_", secret)
			}
			if _, ok := r.attrs()["secret"]; ok {
				t.Errorf("the secret is an attribute")
			}
			se.do("GET", "/api/v1/company", secret, nil).want(http.StatusOK)
			if lst := se.do("GET", "/api/v1/tokens?page[size]=100", se.admin, nil).want(http.StatusOK); strings.Contains(string(lst.Body), secret) {
				t.Errorf("the token list shows a secret")
			}
		})
	}

	// a member may only create tokens for itself
	member := e.do("POST", "/api/v1/tokens", e.admin, resourceDoc("tokens", nil,
		map[string]any{"user": ref("users", memberID)})).want(http.StatusCreated).json()["meta"].(map[string]any)["secret"].(string)
	e.do("GET", "/api/v1/company", member, nil).want(http.StatusOK) // sets its last_used_at before the snapshot
	before := e.vState(e.admin, "/api/v1/tokens?page[size]=100")
	e.do("POST", "/api/v1/tokens", member, resourceDoc("tokens", nil, map[string]any{"user": ref("users", e.userID)})).
		vWant(http.StatusForbidden, "", "")
	e.vUnchanged(before, e.admin, "/api/v1/tokens?page[size]=100")
	r := e.do("POST", "/api/v1/tokens", member, resourceDoc("tokens", nil, map[string]any{"user": ref("users", memberID)})).
		want(http.StatusCreated)
	if r.relID("user") != memberID {
		t.Errorf("member's token belongs to %q", r.relID("user"))
	}
}

// ---------------------------------------------------------------- company

func TestValidationCompany(t *testing.T) { forEachEngine(t, testValidationCompany) }

func testValidationCompany(t *testing.T, open openStore) {
	e := newEnv(t, open)
	cases := []vBad{
		vA("name", "", "required"),
		vA("name", " \n", "required"),
		vA("name", nil, "required"),
		vA("name", vStr("ü", 201), "too_long"),
		vA("name", 5, "invalid_type"),
		vA("name", "Acme\x00", "nul_byte"),
		vA("slug", "evil", "read_only"),
		vA("company_id", 1, "read_only"),
		vA("created_at", "2020-01-01T00:00:00Z", "read_only"),
		vA("updated_at", "2020-01-01T00:00:00Z", "read_only"),
		vA("foo", "bar", "unknown_attribute"),
		vR("owner", ref("users", e.userID), "unknown_relationship"),
	}
	e.vRunBad(t, "companies", "", "/api/v1/company", nil, nil, nil, vOnlyPatch(cases))

	for _, c := range []struct{ in, want string }{
		{vStr("ü", 200), vStr("ü", 200)}, {"  Acme Corp ", "Acme Corp"}, {"A", "A"},
	} {
		r := e.do("PATCH", "/api/v1/company", e.admin, vDoc("companies", "", map[string]any{"name": c.in}, nil)).want(http.StatusOK)
		vWantAttrs(t, r.attrs(), map[string]any{"name": c.want, "slug": "acme"})
	}
	// data.id, when given, must be the company's own
	cid := e.do("GET", "/api/v1/company", e.admin, nil).want(http.StatusOK).id()
	e.do("PATCH", "/api/v1/company", e.admin, vDoc("companies", cid, map[string]any{"name": "Acme"}, nil)).want(http.StatusOK)

	// members may read the company, not change it
	memberID := e.do("POST", "/api/v1/users", e.admin, resourceDoc("users",
		map[string]any{"full_name": "Mia", "email": "mia@acme.example"}, nil)).want(http.StatusCreated).id()
	member := e.do("POST", "/api/v1/tokens", e.admin, resourceDoc("tokens", nil,
		map[string]any{"user": ref("users", memberID)})).want(http.StatusCreated).json()["meta"].(map[string]any)["secret"].(string)
	before := e.vState(e.admin, "/api/v1/company")
	e.do("PATCH", "/api/v1/company", member, vDoc("companies", "", map[string]any{"name": "Mine"}, nil)).
		vWant(http.StatusForbidden, "", "")
	e.vUnchanged(before, e.admin, "/api/v1/company")
	e.do("GET", "/api/v1/company", member, nil).want(http.StatusOK)
}

// vOnlyPatch marks cases as PATCH-only.
func vOnlyPatch(cases []vBad) []vBad {
	out := make([]vBad, len(cases))
	for i, c := range cases {
		out[i] = c.onlyOn("patch")
	}
	return out
}

// ---------------------------------------------------------------- all at once

// TestValidationAllProblemsAtOnce: a request learns every problem it has in
// one answer, whether the adapter or the domain finds it.
func TestValidationAllProblemsAtOnce(t *testing.T) { forEachEngine(t, testValidationAllProblemsAtOnce) }

func testValidationAllProblemsAtOnce(t *testing.T, open openStore) {
	e := newEnv(t, open)
	client := e.createClient(e.admin, map[string]any{"name": "Client"})
	contact := e.createContact(e.admin, client, map[string]any{"first_name": "Ada"})
	location := e.createLocation(e.admin, client, map[string]any{"country": "DE"})
	const unproc = http.StatusUnprocessableEntity
	a := func(name string) string { return "/data/attributes/" + name }
	cases := []struct {
		name        string
		method      string
		path        string
		doc         map[string]any
		status      int
		want        []string
		stateChecks []string
	}{
		{"client three attributes", "POST", "/api/v1/clients",
			resourceDoc("clients", map[string]any{"name": "C", "email": "bad", "website": "ftp://x", "phone": "abc"}, nil), unproc,
			[]string{"invalid_email " + a("email"), "invalid_url " + a("website"), "invalid_phone " + a("phone")},
			[]string{"/api/v1/clients?page[size]=100"}},
		{"client domain and adapter problems", "POST", "/api/v1/clients",
			resourceDoc("clients", map[string]any{"name": "", "email": "bad", "foo": 1, "created_at": "x", "types": []string{"x"}},
				map[string]any{"owner": ref("users", "999999")}), unproc,
			[]string{"required " + a("name"), "invalid_email " + a("email"), "unknown_attribute " + a("foo"),
				"read_only " + a("created_at"), "invalid_choice " + a("types"), "invalid_relationship /data/relationships/owner"},
			[]string{"/api/v1/clients?page[size]=100"}},
		{"client PATCH", "PATCH", "/api/v1/clients/" + client,
			vDoc("clients", client, map[string]any{"name": " ", "iban": "DE00", "default_rate": "-1",
				"address": map[string]any{"country": "XX", "city": vStr("x", 101)}}, nil), unproc,
			[]string{"required " + a("name"), "invalid_iban " + a("iban"), "invalid_decimal " + a("default_rate"),
				"required " + a("default_rate_type"), "invalid_country " + a("address/country"), "too_long " + a("address/city")},
			[]string{"/api/v1/clients/" + client}},
		{"location", "POST", "/api/v1/locations",
			resourceDoc("locations", map[string]any{"country": "UK", "email": "bad", "phone": "x", "bar": 1}, nil), unproc,
			[]string{"invalid_country " + a("country"), "invalid_email " + a("email"), "invalid_phone " + a("phone"),
				"unknown_attribute " + a("bar"), "required /data/relationships/client"},
			[]string{"/api/v1/locations?page[size]=100"}},
		{"location PATCH", "PATCH", "/api/v1/locations/" + location,
			vDoc("locations", location, map[string]any{"country": nil, "name": "", "fax": "1"}, nil), unproc,
			[]string{"required " + a("country"), "required " + a("name"), "invalid_phone " + a("fax")},
			[]string{"/api/v1/locations/" + location}},
		{"contact", "POST", "/api/v1/contacts",
			resourceDoc("contacts", map[string]any{"first_name": "", "last_name": "", "email": "bad", "password": "short",
				"name": "X Y"}, map[string]any{"client": ref("clients", "999999")}), unproc,
			[]string{"required " + a("first_name"), "invalid_email " + a("email"), "too_short " + a("password"),
				"read_only " + a("name"), "invalid_relationship /data/relationships/client"},
			[]string{"/api/v1/contacts?page[size]=100"}},
		{"contact PATCH", "PATCH", "/api/v1/contacts/" + contact,
			vDoc("contacts", contact, map[string]any{"gender": "x", "skype": vStr("s", 101), "portal_access": true}, nil), unproc,
			[]string{"invalid_choice " + a("gender"), "too_long " + a("skype"), "required " + a("email"), "required " + a("password")},
			[]string{"/api/v1/contacts/" + contact}},
		{"user", "POST", "/api/v1/users",
			resourceDoc("users", map[string]any{"full_name": "", "email": "bad", "role": "boss"}, nil), unproc,
			[]string{"required " + a("full_name"), "invalid_email " + a("email"), "invalid_choice " + a("role")},
			[]string{"/api/v1/users?page[size]=100"}},
		{"user with unknown attribute", "POST", "/api/v1/users",
			resourceDoc("users", map[string]any{"full_name": "", "email": "u@acme.example", "nick": "u"}, nil), unproc,
			[]string{"required " + a("full_name"), "unknown_attribute " + a("nick")},
			[]string{"/api/v1/users?page[size]=100"}},
		{"token", "POST", "/api/v1/tokens",
			resourceDoc("tokens", map[string]any{"name": vStr("t", 101), "foo": 1}, map[string]any{"user": ref("users", "999999")}), unproc,
			[]string{"too_long " + a("name"), "unknown_attribute " + a("foo"), "invalid_relationship /data/relationships/user"},
			[]string{"/api/v1/tokens?page[size]=100"}},
		{"company", "PATCH", "/api/v1/company",
			vDoc("companies", "", map[string]any{"name": "", "slug": "x"}, nil), unproc,
			[]string{"required " + a("name"), "read_only " + a("slug")},
			[]string{"/api/v1/company"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			se := e.vSub(t)
			before := se.vState(se.admin, c.stateChecks...)
			se.do(c.method, c.path, se.admin, c.doc).vExactly(c.status, c.want...)
			se.vUnchanged(before, se.admin, c.stateChecks...)
		})
	}
}
