package api_test

// Filters, sorts, cursors and number mode of the lists (API.md §5). Helpers
// here start with "l" so that they cannot clash with other test files'.

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele"
)

// lWorld is two companies' data for the filter tests: acme (e.admin) with
// four clients and their contacts and locations, and globex with look-alikes
// of acme's records that no acme filter may ever return.
type lWorld struct {
	e                       *env
	m1                      string // a member of acme
	c1, c2, c3, c4          string // acme's clients
	k1, k2, k3              string // acme's contacts
	l1, l2, l3, l4, l5      string // acme's locations
	gToken, gAdmin, gClient string // globex
	gContact, gLocation     string
}

func lNewWorld(t *testing.T, open openStore) *lWorld {
	e := newEnv(t, open)
	w := &lWorld{e: e}
	w.m1 = e.iUser(e.admin, "m1@acme.example", "member")
	w.gToken, w.gAdmin = e.newCompany("globex")

	// globex first, so that its ids lie between nothing of acme's and a
	// filter that forgets the company shows up at once
	w.gClient = e.lClient(w.gToken, map[string]any{"name": "Müller GmbH", "external_id": "EXT-1", "types": []string{"customer"},
		"email": "office@mueller.example", "address": map[string]any{"country": "DE", "city": "München"}}, nil)
	w.gContact = e.createContact(w.gToken, w.gClient, map[string]any{"first_name": "Jürgen", "last_name": "Schmidt",
		"email": "j.schmidt@mueller.example"})
	w.gLocation = e.createLocation(w.gToken, w.gClient, map[string]any{"name": "Lager", "country": "DE", "city": "München"})

	w.c1 = e.lClient(e.admin, map[string]any{"name": "Müller GmbH", "external_id": "EXT-1", "types": []string{"customer"},
		"email": "Office@Mueller.example", "address": map[string]any{"country": "DE", "city": "München"}},
		map[string]any{"salesperson": ref("users", w.m1)})
	w.c2 = e.lClient(e.admin, map[string]any{"name": "muller & sons", "external_id": "ext-1", "types": []string{"supplier"},
		"email": "sales@sons.example", "address": map[string]any{"country": "fr", "city": "Paris"}},
		map[string]any{"case_manager": ref("users", w.m1)})
	w.c3 = e.lClient(e.admin, map[string]any{"name": "Acme, Inc.", "types": []string{"prospect", "customer"}},
		map[string]any{"owner": ref("users", w.m1)})
	w.c4 = e.lClient(e.admin, map[string]any{"name": "Zeta 100% Ltd_", "types": []string{}, "email": "zeta@zeta.example",
		"address": map[string]any{"country": "DE", "city": " MÜNCHEN "}}, nil)

	w.k1 = e.createContact(e.admin, w.c1, map[string]any{"first_name": "Jürgen", "last_name": "Schmidt",
		"email": "J.Schmidt@Mueller.example", "portal_access": true, "password": "correct horse battery"})
	w.k2 = e.createContact(e.admin, w.c1, map[string]any{"first_name": "Anna", "email": "anna@mueller.example"})
	w.k3 = e.createContact(e.admin, w.c2, map[string]any{"last_name": "Muller", "email": "info@sons.example"})

	w.l1 = e.iGet("/api/v1/clients/"+w.c1+"/locations", e.admin).list()[0]
	w.l2 = e.createLocation(e.admin, w.c1, map[string]any{"name": "Branch", "country": "AT", "city": "Wien"})
	w.l3 = e.iGet("/api/v1/clients/"+w.c2+"/locations", e.admin).list()[0]
	w.l4 = e.iGet("/api/v1/clients/"+w.c4+"/locations", e.admin).list()[0]
	w.l5 = e.createLocation(e.admin, w.c4, map[string]any{"name": "Depot", "country": "de", "city": "munchen"})
	return w
}

// lClient creates a client with attributes and relationships and returns its id.
func (e *env) lClient(token string, attrs, rels map[string]any) string {
	e.t.Helper()
	return e.do("POST", "/api/v1/clients", token, resourceDoc("clients", attrs, rels)).want(http.StatusCreated).id()
}

// lCheck GETs path and fails unless the list holds exactly want, in order.
func (e *env) lCheck(path, token string, want ...string) {
	e.t.Helper()
	got := e.iGet(path, token).list()
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		e.t.Errorf("GET %s = %v, want %v", path, got, want)
	}
}

// lCase is a list request and the ids it must answer, in order.
type lCase struct {
	query string
	want  []string
}

func lIDs(ids ...string) []string { return ids }

// lRun checks cases of list, none of which sorts: each answers its ids in
// ascending order.
func (e *env) lRun(t *testing.T, list string, cases []lCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(list+"?"+c.query, func(t *testing.T) {
			e.iWith(t).lCheck(list+"?"+c.query, e.admin, iSortIDs(c.want)...)
		})
	}
}

func TestListFilterClients(t *testing.T) { forEachEngine(t, testListFilterClients) }

func testListFilterClients(t *testing.T, open openStore) {
	w := lNewWorld(t, open)
	e := w.e
	admin := e.userID
	e.lRun(t, "/api/v1/clients", []lCase{
		{"", lIDs(w.c1, w.c2, w.c3, w.c4)},
		{"filter[id]=" + w.c1 + "," + w.c3, lIDs(w.c1, w.c3)},
		{"filter[id]=" + w.c3 + ",%20" + w.c1, lIDs(w.c1, w.c3)},
		{"filter[id]=" + w.gClient, nil},
		{"filter[id]=" + w.gClient + "," + w.c2, lIDs(w.c2)},

		// name: contains, case- and accent-insensitive; commas are part of it
		{"filter[name]=muller", lIDs(w.c1, w.c2)},
		{"filter[name]=M%C3%9CLLER", lIDs(w.c1, w.c2)},
		{"filter[name]=%20ller%20%20g%20", lIDs(w.c1)}, // trimmed; inner white space folded to one
		{"filter[name]=Acme,%20Inc", lIDs(w.c3)},
		{"filter[name]=%25", lIDs(w.c4)}, // % and _ are literal
		{"filter[name]=_", lIDs(w.c4)},
		{"filter[name]=" + url.QueryEscape(`' OR '1'='1`), nil},
		{"filter[name]=" + url.QueryEscape(`\`), nil},
		{"filter[name]=nobody", nil},

		// external_id: exact and case-sensitive
		{"filter[external_id]=EXT-1", lIDs(w.c1)},
		{"filter[external_id]=ext-1", lIDs(w.c2)},
		{"filter[external_id]=EXT-1,ext-1", lIDs(w.c1, w.c2)},
		{"filter[external_id]=Ext-1", nil},
		{"filter[external_id]=EXT", nil},

		{"filter[types]=customer", lIDs(w.c1, w.c3)},
		{"filter[types]=prospect", lIDs(w.c3)},
		{"filter[types]=supplier,prospect", lIDs(w.c2, w.c3)},

		{"filter[owner]=" + w.m1, lIDs(w.c3)},
		{"filter[owner]=" + admin, lIDs(w.c1, w.c2, w.c4)},
		{"filter[owner]=" + admin + "," + w.m1, lIDs(w.c1, w.c2, w.c3, w.c4)},
		{"filter[salesperson]=" + w.m1, lIDs(w.c1)},
		{"filter[case_manager]=" + w.m1, lIDs(w.c2)},
		{"filter[case_manager]=" + admin, nil},

		// country and city: of the primary location; exact, case-insensitive (city also accents)
		{"filter[country]=de", lIDs(w.c1, w.c4)},
		{"filter[country]=DE,fR", lIDs(w.c1, w.c2, w.c4)},
		{"filter[country]=US", nil},
		{"filter[city]=munchen", lIDs(w.c1, w.c4)},
		{"filter[city]=M%C3%BCNCHEN", lIDs(w.c1, w.c4)},
		{"filter[city]=paris,Munchen", lIDs(w.c1, w.c2, w.c4)},
		{"filter[city]=M%C3%BCnch", nil},
		{"filter[city]=wien", nil}, // a location of c1, but not its primary one

		// email: exact, case-insensitive
		{"filter[email]=OFFICE@mueller.EXAMPLE", lIDs(w.c1)},
		{"filter[email]=office@mueller.example,zeta@zeta.example", lIDs(w.c1, w.c4)},
		{"filter[email]=mueller.example", nil},

		// filters combine with AND
		{"filter[country]=DE&filter[types]=customer", lIDs(w.c1)},
		{"filter[name]=muller&filter[country]=FR", lIDs(w.c2)},
		{"filter[name]=muller&filter[external_id]=ext-1&filter[city]=munchen", nil},

		// another company's users and ids match nothing, and are no error
		{"filter[owner]=" + w.gAdmin, nil},
		{"filter[salesperson]=" + w.gAdmin, nil},
		{"filter[case_manager]=" + w.gAdmin, nil},
	})

	// globex sees its own look-alike, and nothing of acme's
	e.lCheck("/api/v1/clients?filter[name]=muller", w.gToken, w.gClient)
	e.lCheck("/api/v1/clients?filter[external_id]=EXT-1,ext-1", w.gToken, w.gClient)
	e.lCheck("/api/v1/clients?filter[owner]="+admin, w.gToken)
	e.lCheck("/api/v1/clients?filter[id]="+w.c1, w.gToken)

	lCheckDates(t, e, "/api/v1/clients", []string{w.c1, w.c2, w.c3, w.c4})
}

func TestListFilterContacts(t *testing.T) { forEachEngine(t, testListFilterContacts) }

func testListFilterContacts(t *testing.T, open openStore) {
	w := lNewWorld(t, open)
	e := w.e
	e.lRun(t, "/api/v1/contacts", []lCase{
		{"", lIDs(w.k1, w.k2, w.k3)},
		{"filter[id]=" + w.k1 + "," + w.k3, lIDs(w.k1, w.k3)},
		{"filter[id]=" + w.gContact, nil},
		{"filter[client]=" + w.c1, lIDs(w.k1, w.k2)},
		{"filter[client]=" + w.c1 + "," + w.c2, lIDs(w.k1, w.k2, w.k3)},
		{"filter[client]=" + w.c3, nil},
		{"filter[client]=" + w.gClient, nil},
		{"filter[client]=" + w.gClient + "," + w.c2, lIDs(w.k3)},

		// name: contains in the first, last or full name
		{"filter[name]=jurgen", lIDs(w.k1)},
		{"filter[name]=SCHMIDT", lIDs(w.k1)},
		{"filter[name]=j%C3%BCrgen%20schm", lIDs(w.k1)},
		{"filter[name]=MULLER", lIDs(w.k3)},
		{"filter[name]=nn", lIDs(w.k2)},
		{"filter[name]=anna%20schmidt", nil},

		{"filter[email]=J.SCHMIDT@mueller.example", lIDs(w.k1)},
		{"filter[email]=ANNA@MUELLER.EXAMPLE,info@sons.example", lIDs(w.k2, w.k3)},
		{"filter[email]=anna", nil},

		{"filter[is_main]=true", lIDs(w.k1, w.k3)},
		{"filter[is_main]=false", lIDs(w.k2)},
		{"filter[portal_access]=true", lIDs(w.k1)},
		{"filter[portal_access]=false", lIDs(w.k2, w.k3)},
		{"filter[portal_access]=false&filter[is_main]=true", lIDs(w.k3)},
	})
	e.lRun(t, "/api/v1/clients/"+w.c1+"/contacts", []lCase{
		{"", lIDs(w.k1, w.k2)},
		{"filter[is_main]=false", lIDs(w.k2)},
		{"filter[client]=" + w.c2, nil}, // both must hold
		{"filter[client]=" + w.c1, lIDs(w.k1, w.k2)},
		{"filter[name]=schmidt", lIDs(w.k1)},
	})
	e.do("GET", "/api/v1/clients/"+w.gClient+"/contacts?filter[is_main]=true", e.admin, nil).wantError(http.StatusNotFound, "not_found", "")
	e.lCheck("/api/v1/contacts?filter[name]=schmidt", w.gToken, w.gContact)
	e.lCheck("/api/v1/contacts?filter[client]="+w.c1, w.gToken)

	lCheckDates(t, e, "/api/v1/contacts", []string{w.k1, w.k2, w.k3})
}

func TestListFilterLocations(t *testing.T) { forEachEngine(t, testListFilterLocations) }

func testListFilterLocations(t *testing.T, open openStore) {
	w := lNewWorld(t, open)
	e := w.e
	e.lRun(t, "/api/v1/locations", []lCase{
		{"", lIDs(w.l1, w.l2, w.l3, w.l4, w.l5)},
		{"filter[id]=" + w.l2 + "," + w.l5, lIDs(w.l2, w.l5)},
		{"filter[id]=" + w.gLocation, nil},
		{"filter[client]=" + w.c1, lIDs(w.l1, w.l2)},
		{"filter[client]=" + w.c1 + "," + w.c4, lIDs(w.l1, w.l2, w.l4, w.l5)},
		{"filter[client]=" + w.gClient, nil},
		{"filter[country]=de", lIDs(w.l1, w.l4, w.l5)},
		{"filter[country]=at,FR", lIDs(w.l2, w.l3)},
		{"filter[city]=MUNCHEN", lIDs(w.l1, w.l4, w.l5)},
		{"filter[city]=m%C3%BCnchen,WIEN", lIDs(w.l1, w.l2, w.l4, w.l5)},
		{"filter[city]=wi", nil},
		{"filter[is_primary]=true", lIDs(w.l1, w.l3, w.l4)},
		{"filter[is_primary]=false", lIDs(w.l2, w.l5)},
		{"filter[is_primary]=false&filter[country]=DE", lIDs(w.l5)},
	})
	e.lRun(t, "/api/v1/clients/"+w.c1+"/locations", []lCase{
		{"filter[is_primary]=false", lIDs(w.l2)},
		{"filter[country]=DE", lIDs(w.l1)},
		{"filter[client]=" + w.c4, nil},
	})
	gPrimary := e.iGet("/api/v1/clients/"+w.gClient+"/locations?filter[is_primary]=true", w.gToken).list()
	e.lCheck("/api/v1/locations?filter[city]=munchen", w.gToken, iSortIDs(append(gPrimary, w.gLocation))...)
	e.lCheck("/api/v1/locations?filter[client]="+w.c1, w.gToken)
}

// lCheckDates checks the four date bounds of list (of the records ids)
// against the records' rendered timestamps: each record's own created_at
// and updated_at used as a bound, and date-only bounds of their day.
func lCheckDates(t *testing.T, e *env, list string, ids []string) {
	t.Helper()
	stamps := map[string]map[string]time.Time{}
	for _, item := range iItems(e.iGet(list+"?page[size]=100", e.admin)) {
		a := item["attributes"].(map[string]any)
		stamps[item["id"].(string)] = map[string]time.Time{"created": lTime(t, a["created_at"]), "updated": lTime(t, a["updated_at"])}
	}
	expect := func(field string, keep func(time.Time) bool) []string {
		var out []string
		for _, id := range ids {
			if keep(stamps[id][field]) {
				out = append(out, id)
			}
		}
		return out
	}
	for _, field := range []string{"created", "updated"} {
		for _, id := range ids {
			at := stamps[id][field]
			bound := url.QueryEscape(at.Format(time.RFC3339Nano))
			day := at.Format(time.DateOnly)
			e.lRun(t, list, []lCase{
				{"filter[" + field + "_to]=" + bound, expect(field, func(s time.Time) bool { return !s.After(at) })},
				{"filter[" + field + "_from]=" + bound, expect(field, func(s time.Time) bool { return !s.Before(at) })},
				{"filter[" + field + "_from]=" + bound + "&filter[" + field + "_to]=" + bound,
					expect(field, func(s time.Time) bool { return s.Equal(at) })},
				{"filter[" + field + "_to]=" + day, expect(field, func(s time.Time) bool { return s.Format(time.DateOnly) <= day })},
				{"filter[" + field + "_from]=" + day, expect(field, func(s time.Time) bool { return s.Format(time.DateOnly) >= day })},
				{"filter[" + field + "_from]=" + day + "&filter[" + field + "_to]=" + day,
					expect(field, func(s time.Time) bool { return s.Format(time.DateOnly) == day })},
				// a microsecond before and after: the record falls out
				{"filter[" + field + "_to]=" + url.QueryEscape(at.Add(-time.Microsecond).Format(time.RFC3339Nano)),
					expect(field, func(s time.Time) bool { return s.Before(at) })},
				{"filter[" + field + "_from]=" + url.QueryEscape(at.Add(time.Microsecond).Format(time.RFC3339Nano)),
					expect(field, func(s time.Time) bool { return s.After(at) })},
			})
		}
	}
}

func lTime(t *testing.T, v any) time.Time {
	t.Helper()
	s, _ := v.(string)
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("timestamp %q: %v", s, err)
	}
	return at
}

// lCompany returns the id of the company of token.
func (e *env) lCompany(token string) int64 {
	e.t.Helper()
	id, err := strconv.ParseInt(e.iGet("/api/v1/company", token).id(), 10, 64)
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// lStoreClient stores a client with the given timestamps straight through the
// store, which the service would have stamped with the clock.
func (e *env) lStoreClient(companyID int64, name string, created, updated time.Time) string {
	e.t.Helper()
	c := clientele.Client{CompanyID: companyID, Name: name, Types: []string{clientele.TypeCustomer},
		CreatedAt: created, UpdatedAt: updated}
	if err := e.store.Write(context.Background(), func(tx clientele.Tx) error { return tx.CreateClient(context.Background(), &c) }); err != nil {
		e.t.Fatal(err)
	}
	return strconv.FormatInt(c.ID, 10)
}

// lStoreContact stores a contact of client with the given timestamps straight through the store.
func (e *env) lStoreContact(companyID int64, client, first, last string, created, updated time.Time) string {
	e.t.Helper()
	clientID, _ := strconv.ParseInt(client, 10, 64)
	c := clientele.Contact{CompanyID: companyID, ClientID: clientID, FirstName: first, LastName: last,
		CreatedAt: created, UpdatedAt: updated}
	if err := e.store.Write(context.Background(), func(tx clientele.Tx) error { return tx.CreateContact(context.Background(), &c) }); err != nil {
		e.t.Fatal(err)
	}
	return strconv.FormatInt(c.ID, 10)
}

// TestListDateBounds pins the edges of the date bounds on records stored
// with chosen timestamps: a date-only _to covers its whole day, to the last
// microsecond; _from starts at midnight UTC; offsets and fractions count.
func TestListDateBounds(t *testing.T) { forEachEngine(t, testListDateBounds) }

func testListDateBounds(t *testing.T, open openStore) {
	e := newEnv(t, open)
	company := e.lCompany(e.admin)
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	midnight, last, next := at("2030-01-01T00:00:00Z"), at("2030-01-01T23:59:59.999999Z"), at("2030-01-02T00:00:00Z")
	before := at("2029-12-31T23:59:59.999999Z")
	a := e.lStoreClient(company, "A", before, midnight)
	b := e.lStoreClient(company, "B", midnight, last)
	c := e.lStoreClient(company, "C", last, next)
	d := e.lStoreClient(company, "D", next, next)
	ka := e.lStoreContact(company, a, "Ka", "", before, midnight)
	kb := e.lStoreContact(company, a, "Kb", "", midnight, last)
	kc := e.lStoreContact(company, a, "Kc", "", last, next)
	kd := e.lStoreContact(company, a, "Kd", "", next, next)

	for _, l := range []struct {
		list       string
		a, b, c, d string
	}{{"/api/v1/clients", a, b, c, d}, {"/api/v1/contacts", ka, kb, kc, kd}} {
		e.lRun(t, l.list, []lCase{
			{"filter[created_to]=2030-01-01", lIDs(l.a, l.b, l.c)},
			{"filter[created_from]=2030-01-01", lIDs(l.b, l.c, l.d)},
			{"filter[created_from]=2030-01-01&filter[created_to]=2030-01-01", lIDs(l.b, l.c)},
			{"filter[created_to]=2029-12-31", lIDs(l.a)},
			{"filter[created_from]=2030-01-02", lIDs(l.d)},
			{"filter[updated_to]=2030-01-01", lIDs(l.a, l.b)},
			{"filter[updated_from]=2030-01-02", lIDs(l.c, l.d)},
			// the rendered timestamp is a bound that includes its record
			{"filter[created_to]=2030-01-01T23:59:59.999999Z", lIDs(l.a, l.b, l.c)},
			{"filter[created_from]=2030-01-01T23:59:59.999999Z", lIDs(l.c, l.d)},
			{"filter[created_to]=2030-01-01T23:59:59.999998Z", lIDs(l.a, l.b)},
			// seconds without a fraction
			{"filter[created_to]=2030-01-01T23:59:59Z", lIDs(l.a, l.b)},
			{"filter[created_to]=2030-01-02T00:00:00Z", lIDs(l.a, l.b, l.c, l.d)},
			// offsets: escaped, and a raw "+" that arrives as a space
			{"filter[created_to]=2030-01-02T01:59:59.999999%2B02:00", lIDs(l.a, l.b, l.c)},
			{"filter[created_to]=2030-01-02T01:59:59.999999+02:00", lIDs(l.a, l.b, l.c)},
			{"filter[created_from]=2030-01-01T18:59:59.999999-05:00", lIDs(l.c, l.d)},
			// finer than a microsecond: _from rounds up, _to down
			{"filter[created_from]=2030-01-01T23:59:59.9999985Z", lIDs(l.c, l.d)},
			{"filter[created_from]=2030-01-01T23:59:59.9999991Z", lIDs(l.d)},
			{"filter[created_to]=2030-01-01T23:59:59.9999999Z", lIDs(l.a, l.b, l.c)},
			// an empty range is no error
			{"filter[created_from]=2030-01-02&filter[created_to]=2030-01-01", nil},
			// the ends of the calendar
			{"filter[created_from]=0001-01-01&filter[created_to]=9999-12-31", lIDs(l.a, l.b, l.c, l.d)},
			{"filter[created_to]=0001-01-01", nil},
			{"filter[created_to]=0001-01-01T00:00:00Z", nil}, // the zero time is a bound, not "no bound"
		})
	}
}

// lKey is how a test orders a rendered record by one sort field.
type lKey func(item map[string]any) string

// lText is the sort value of a text attribute: folded, "" for null.
func lText(attr string, fold func(string) string) lKey {
	return func(item map[string]any) string {
		s, _ := item["attributes"].(map[string]any)[attr].(string)
		return fold(s)
	}
}

// lStamp is the sort value of a timestamp: microseconds, zero-padded so that
// strings compare as the numbers do (every test time is after 1970).
func lStamp(attr string) lKey {
	return func(item map[string]any) string {
		s, _ := item["attributes"].(map[string]any)[attr].(string)
		at, _ := time.Parse(time.RFC3339Nano, s)
		return fmt.Sprintf("%020d", at.UnixMicro())
	}
}

func lID(item map[string]any) string { return fmt.Sprintf("%020s", item["id"].(string)) }

func same(s string) string { return s }

var lSortKeys = map[string]map[string]lKey{
	"clients": {
		"id": lID, "name": lText("name", clientele.Fold), "external_id": lText("external_id", same),
		"created_at": lStamp("created_at"), "updated_at": lStamp("updated_at"),
	},
	"contacts": {
		"id": lID, "first_name": lText("first_name", clientele.Fold), "last_name": lText("last_name", clientele.Fold),
		"name": lText("name", clientele.Fold), "email": lText("email", clientele.EmailKey),
		"created_at": lStamp("created_at"), "updated_at": lStamp("updated_at"),
	},
	"locations": {
		"id": lID, "name": lText("name", clientele.Fold), "city": lText("city", clientele.Fold),
		"country": lText("country", same), "created_at": lStamp("created_at"),
	},
}

// lExpect orders items by sort (a sort parameter) and then by id ascending,
// byte-wise, as the contract orders them, and returns their ids.
func lExpect(typ, sortParam string, items []map[string]any) []string {
	var keys []clientele.SortKey
	for _, s := range strings.Split(sortParam, ",") {
		keys = append(keys, clientele.SortKey{Field: strings.TrimPrefix(s, "-"), Desc: strings.HasPrefix(s, "-")})
	}
	keys = append(keys, clientele.SortKey{Field: "id"})
	sorted := slices.Clone(items)
	sort.SliceStable(sorted, func(i, j int) bool {
		for _, k := range keys {
			a, b := lSortKeys[typ][k.Field](sorted[i]), lSortKeys[typ][k.Field](sorted[j])
			if a != b {
				return (a < b) != k.Desc
			}
		}
		return false
	})
	ids := make([]string, len(sorted))
	for i, it := range sorted {
		ids[i] = it["id"].(string)
	}
	return ids
}

// lSortWorld stores records whose sort values tie, differ only in case or
// accents, or differ where a locale's collation and byte order disagree
// (spaces, punctuation, digits), and two clients and contacts that share
// their timestamps.
func lSortWorld(t *testing.T, open openStore) *env {
	e := newEnv(t, open)
	names := []string{"beta", "Alpha", "alpha", "Ärger", "beta", "Zulu", "a b", "ab", "a-c", "a_b", "A10", "a9", "Ågren", "ägypten"}
	cities := []string{"Köln", "koln", "Berlin", "", "berlin", "Zürich", "a b", "ab", "Aachen", "", "Éze", "eze", "Oslo", "Bonn"}
	countries := []string{"DE", "de", "AT", "FR", "CH", "DE", "AT", "be", "BE", "DE", "FR", "FR", "NO", "DE"}
	externals := []string{"X-2", "", "x-1", "X-10", "", "X-20", "Y", "a", "B", "", "b", "_", "-", "z"}
	firsts := []string{"Jürgen", "jurgen", "", "Anna", "anna", "Zoë", "a b", "ab", "Émile", "emile", "Ö", "o", "", "Bo"}
	lasts := []string{"Schmidt", "", "Müller", "muller", "Adams", "adams", "x y", "xy", "", "Öz", "oz", "Smith", "Lee", ""}
	emails := []string{"b@x.example", "", "B@x.example", "a@x.example", "", "Z@x.example", "a.b@x.example", "ab@x.example",
		"A_b@x.example", "", "c@x.example", "C@x.example", "d@x.example", "e@x.example"}
	var clients []string
	for i, name := range names {
		attrs := map[string]any{"name": name, "address": map[string]any{"country": countries[i], "city": cities[i]}}
		if externals[i] != "" {
			attrs["external_id"] = externals[i]
		}
		clients = append(clients, e.createClient(e.admin, attrs))
		contact := map[string]any{"email": emails[i]}
		if firsts[i] != "" {
			contact["first_name"] = firsts[i]
		}
		if lasts[i] != "" {
			contact["last_name"] = lasts[i]
		}
		if firsts[i] == "" && lasts[i] == "" {
			contact["first_name"] = "Nobody"
		}
		e.createContact(e.admin, clients[0], contact)
		e.createLocation(e.admin, clients[i%3], map[string]any{"name": names[len(names)-1-i], "country": countries[i], "city": cities[i]})
	}
	// updates move updated_at away from created_at order
	for _, id := range []string{clients[3], clients[0], clients[7]} {
		e.do("PATCH", "/api/v1/clients/"+id, e.admin, map[string]any{"data": map[string]any{"type": "clients", "id": id,
			"attributes": map[string]any{"notes": "touched"}}}).want(http.StatusOK)
	}
	// equal timestamps
	company := e.lCompany(e.admin)
	tie := time.Now().UTC().Truncate(time.Microsecond).Add(-time.Hour)
	e.lStoreClient(company, "tie", tie, tie)
	e.lStoreClient(company, "Tie", tie, tie)
	e.lStoreContact(company, clients[1], "Tie", "", tie, tie)
	e.lStoreContact(company, clients[1], "tie", "", tie, tie)
	return e
}

// lAll returns the items of every page of path (page[size]=100 is enough here).
func (e *env) lAll(path string) []map[string]any {
	e.t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	r := e.iGet(path+sep+"page[size]=100", e.admin)
	if iNext(r) != "" {
		e.t.Fatalf("%s has more than 100 records", path)
	}
	return iItems(r)
}

// lPages follows links.next from path and returns every id, checking that
// no page is larger than size and that the pages end.
func (e *env) lPages(path string, token string, size int) []string {
	e.t.Helper()
	var ids []string
	for range 200 {
		r := e.iGet(path, token)
		page := r.list()
		if len(page) > size {
			e.t.Fatalf("page of %d from %s", len(page), path)
		}
		ids = append(ids, page...)
		next := iNext(r)
		if next == "" {
			return ids
		}
		path = next
	}
	e.t.Fatalf("no end of pages from %s", path)
	return nil
}

// lNumbered reads every page of path in number mode and returns the ids.
func (e *env) lNumbered(path string, size int) []string {
	e.t.Helper()
	var ids []string
	for n := 1; ; n++ {
		r := e.iGet(fmt.Sprintf("%s&page[size]=%d&page[number]=%d", path, size, n), e.admin)
		ids = append(ids, r.list()...)
		if iNext(r) == "" {
			return ids
		}
		if n > 100 {
			e.t.Fatalf("no end of pages from %s", path)
		}
	}
}

// TestListSort orders every list by every sort field, both ways, with ties
// broken by id ascending, and pages through each order with cursors and
// page numbers, filtered and not.
func TestListSort(t *testing.T) { forEachEngine(t, testListSort) }

func testListSort(t *testing.T, open openStore) {
	e := lSortWorld(t, open)
	lists := []struct {
		typ, path, filter string
		fields            []string
	}{
		{"clients", "/api/v1/clients", "filter[country]=DE,AT,FR,BE", clientele.ClientSortFields},
		{"contacts", "/api/v1/contacts", "filter[name]=a&filter[created_from]=2000-01-01", clientele.ContactSortFields},
		{"locations", "/api/v1/locations", "filter[is_primary]=false", clientele.LocationSortFields},
	}
	for _, l := range lists {
		all := e.lAll(l.path)
		var sorts []string
		for _, f := range l.fields {
			sorts = append(sorts, f, "-"+f)
		}
		sorts = append(sorts, l.fields[1]+",-created_at", "-"+l.fields[1]+",-id", "created_at,"+l.fields[1], l.fields[2]+",id,"+l.fields[1])
		for _, s := range sorts {
			t.Run(l.typ+"?sort="+s, func(t *testing.T) {
				e := e.iWith(t)
				want := lExpect(l.typ, s, all)
				got := e.iGet(l.path+"?page[size]=100&sort="+s, e.admin).list()
				if !slices.Equal(got, want) {
					t.Fatalf("sort=%s:\n got %v\nwant %v", s, got, want)
				}
				if got := e.lPages(l.path+"?page[size]=3&sort="+s, e.admin, 3); !slices.Equal(got, want) {
					t.Errorf("cursor pages of sort=%s:\n got %v\nwant %v", s, got, want)
				}
				if got := e.lNumbered(l.path+"?sort="+s, 4); !slices.Equal(got, want) {
					t.Errorf("numbered pages of sort=%s:\n got %v\nwant %v", s, got, want)
				}
				filtered := lExpect(l.typ, s, e.lAll(l.path+"?"+l.filter))
				if len(filtered) == 0 || len(filtered) == len(want) {
					t.Fatalf("filter %s selects %d of %d: not a test", l.filter, len(filtered), len(want))
				}
				if got := e.lPages(l.path+"?page[size]=2&sort="+s+"&"+l.filter, e.admin, 2); !slices.Equal(got, filtered) {
					t.Errorf("cursor pages of sort=%s&%s:\n got %v\nwant %v", s, l.filter, got, filtered)
				}
				if got := e.lNumbered(l.path+"?sort="+s+"&"+l.filter, 3); !slices.Equal(got, filtered) {
					t.Errorf("numbered pages of sort=%s&%s:\n got %v\nwant %v", s, l.filter, got, filtered)
				}
			})
		}
	}
	// the related collections sort and page alike
	client := e.iGet("/api/v1/clients?page[size]=1", e.admin).list()[0]
	for _, s := range []string{"-name", "email,-created_at"} {
		path := "/api/v1/clients/" + client + "/contacts"
		want := lExpect("contacts", s, e.lAll(path))
		if got := e.lPages(path+"?page[size]=4&sort="+s, e.admin, 4); !slices.Equal(got, want) {
			t.Errorf("%s?sort=%s pages:\n got %v\nwant %v", path, s, got, want)
		}
	}
	// sort=id is the default order, and so are its cursors
	byID := e.lPages("/api/v1/clients?page[size]=5", e.admin, 5)
	if got := e.lPages("/api/v1/clients?page[size]=5&sort=id", e.admin, 5); !slices.Equal(got, byID) {
		t.Errorf("sort=id: %v, want %v", got, byID)
	}
}

// TestListCursorStable inserts and deletes records between pages: a cursor
// is a position in the order, not an offset, so nothing that existed
// throughout is skipped or repeated.
func TestListCursorStable(t *testing.T) { forEachEngine(t, testListCursorStable) }

func testListCursorStable(t *testing.T, open openStore) {
	e := newEnv(t, open)
	names := map[string]string{}
	for _, n := range []string{"b", "d", "f", "h", "j", "l", "n", "p", "r", "t"} {
		names[e.createClient(e.admin, map[string]any{"name": n, "types": []string{"customer"}})] = n
	}
	e.createClient(e.admin, map[string]any{"name": "c-supplier", "types": []string{"supplier"}})
	path := "/api/v1/clients?sort=-name&filter[types]=customer&page[size]=3"
	r := e.iGet(path, e.admin)
	seen := r.list() // t, r, p
	next := iNext(r)

	// the page's last record (the cursor's) goes, one that was not seen yet
	// goes, records come before and after the cursor, one changes its name
	// to come after it
	e.do("DELETE", "/api/v1/clients/"+seen[2], e.admin, nil).want(http.StatusNoContent)
	var gone, renamed string
	for id, n := range names {
		switch n {
		case "h":
			gone = id
		case "d":
			renamed = id
		}
	}
	e.do("DELETE", "/api/v1/clients/"+gone, e.admin, nil).want(http.StatusNoContent)
	e.createClient(e.admin, map[string]any{"name": "z", "types": []string{"customer"}}) // before the cursor: not seen
	late := e.createClient(e.admin, map[string]any{"name": "o", "types": []string{"customer"}})
	e.do("PATCH", "/api/v1/clients/"+renamed, e.admin, map[string]any{"data": map[string]any{"type": "clients", "id": renamed,
		"attributes": map[string]any{"name": "m"}}}).want(http.StatusOK)

	rest := e.lPages(next, e.admin, 3)
	var got []string
	for _, id := range append(slices.Clone(seen), rest...) {
		if id == late {
			got = append(got, "o(new)")
			continue
		}
		got = append(got, names[id])
	}
	want := []string{"t", "r", "p", "o(new)", "n", "d", "l", "j", "f", "b"}
	want = slices.DeleteFunc(want, func(s string) bool { return s == "d" })
	want = slices.Insert(want, slices.Index(want, "l"), "d") // now named m: between n and l
	if !slices.Equal(got, want) {
		t.Errorf("pages across changes: %v, want %v", got, want)
	}
}

// lNextCursor returns the page[after] of links.next of path.
func (e *env) lNextCursor(path, token string) string {
	e.t.Helper()
	next := iNext(e.iGet(path, token))
	u, err := url.Parse(next)
	if err != nil || u.Query().Get("page[after]") == "" {
		e.t.Fatalf("links.next %q of %s holds no cursor", next, path)
	}
	return u.Query().Get("page[after]")
}

// TestListCursorBinding: a cursor opens only for the company, the list, the
// sort and the filters it was made for, and only as this installation sealed it.
func TestListCursorBinding(t *testing.T) { forEachEngine(t, testListCursorBinding) }

func testListCursorBinding(t *testing.T, open openStore) {
	w := lNewWorld(t, open)
	e := w.e
	for range 3 {
		w.gClient = e.createClient(w.gToken, map[string]any{"name": "G", "types": []string{"customer"}})
	}
	const base = "/api/v1/clients?page[size]=1&sort=name&filter[types]=customer"
	cursor := e.lNextCursor(base, e.admin)
	e.iGet(base+"&page[after]="+cursor, e.admin) // the cursor works where it was made

	// what the cursor is not bound to: page size, include, fields
	for _, q := range []string{"page[size]=100&sort=name&filter[types]=customer",
		"sort=name&filter[types]=customer&include=owner&fields[clients]=name"} {
		e.iGet("/api/v1/clients?"+q+"&page[after]="+cursor, e.admin)
	}

	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		t.Fatalf("cursor %q is not base64url: %v", cursor, err)
	}
	altered := func(i int) string {
		b := slices.Clone(raw)
		b[i] ^= 0x20
		return base64.RawURLEncoding.EncodeToString(b)
	}
	company := e.lCompany(e.admin)
	foreign := clientele.NewCursors([]byte("another installation's key"))
	ours := cursorsOf(t, e.store)
	refused := []struct{ name, path, token string }{
		{"altered first byte", base + "&page[after]=" + altered(0), e.admin},
		{"altered middle byte", base + "&page[after]=" + altered(len(raw)/2), e.admin},
		{"altered last byte", base + "&page[after]=" + altered(len(raw)-1), e.admin},
		{"truncated", base + "&page[after]=" + cursor[:len(cursor)-2], e.admin},
		{"extended", base + "&page[after]=" + cursor + "AA", e.admin},
		{"forged", base + "&page[after]=" + base64.RawURLEncoding.EncodeToString([]byte(`{"v":["a"],"i":1}0123456789abcdef`)), e.admin},
		{"old id cursor", base + "&page[after]=" + base64.RawURLEncoding.EncodeToString([]byte("id:1")), e.admin},
		{"another key", base + "&page[after]=" + foreign.Seal(company, "clients?filter%5Btypes%5D=customer&sort=name",
			clientele.Position{Values: []string{"a"}, ID: 1}), e.admin},
		{"another company", base + "&page[after]=" + cursor, w.gToken},
		{"another sort", "/api/v1/clients?page[size]=1&sort=-name&filter[types]=customer&page[after]=" + cursor, e.admin},
		{"another sort field", "/api/v1/clients?page[size]=1&sort=external_id&filter[types]=customer&page[after]=" + cursor, e.admin},
		{"no sort", "/api/v1/clients?page[size]=1&filter[types]=customer&page[after]=" + cursor, e.admin},
		{"another filter value", "/api/v1/clients?page[size]=1&sort=name&filter[types]=supplier&page[after]=" + cursor, e.admin},
		{"an added filter", base + "&filter[country]=DE&page[after]=" + cursor, e.admin},
		{"no filter", "/api/v1/clients?page[size]=1&sort=name&page[after]=" + cursor, e.admin},
		{"another list", "/api/v1/contacts?page[size]=1&sort=name&page[after]=" + cursor, e.admin},
		{"a client's list", "/api/v1/clients/" + w.c1 + "/contacts?page[after]=" + e.lNextCursor("/api/v1/contacts?page[size]=1", e.admin), e.admin},
		{"another client's list", "/api/v1/clients/" + w.c2 + "/contacts?page[after]=" +
			e.lNextCursor("/api/v1/clients/"+w.c1+"/contacts?page[size]=1", e.admin), e.admin},
		{"users' cursor on tokens", "/api/v1/tokens?page[after]=" + e.lNextCursor("/api/v1/users?page[size]=1", e.admin), e.admin},
		{"another company's users", "/api/v1/users?page[after]=" + e.lNextCursor("/api/v1/users?page[size]=1", e.admin), w.gToken},
		// sealed with our key for the right query, but holding a position that does not fit the sort
		{"too few values", base + "&page[after]=" + ours.Seal(company, "clients?filter%5Btypes%5D=customer&sort=name",
			clientele.Position{ID: 1}), e.admin},
		{"too many values", base + "&page[after]=" + ours.Seal(company, "clients?filter%5Btypes%5D=customer&sort=name",
			clientele.Position{Values: []string{"a", "b"}, ID: 1}), e.admin},
		{"not a timestamp", "/api/v1/clients?sort=-created_at&page[after]=" + ours.Seal(company, "clients?sort=-created_at",
			clientele.Position{Values: []string{"yesterday"}, ID: 1}), e.admin},
	}
	// the description above is the one the API binds to: the same seal with
	// a fitting position opens
	e.iGet(base+"&page[after]="+ours.Seal(company, "clients?filter%5Btypes%5D=customer&sort=name",
		clientele.Position{Values: []string{"a"}, ID: 1}), e.admin)
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			e.iWith(t).do("GET", c.path, c.token, nil).wantError(http.StatusBadRequest, "invalid_cursor", "?page[after]")
		})
	}
}

// TestListNumberMode checks meta.page and the first/prev/next/last links.
func TestListNumberMode(t *testing.T) { forEachEngine(t, testListNumberMode) }

func testListNumberMode(t *testing.T, open openStore) {
	e := newEnv(t, open)
	var all, customers []string
	for i := range 7 {
		typ := "customer"
		if i%3 == 2 {
			typ = "supplier"
		}
		id := e.createClient(e.admin, map[string]any{"name": fmt.Sprint("N", 9-i), "types": []string{typ}})
		all = append(all, id)
		if typ == "customer" {
			customers = append(customers, id)
		}
	}
	slices.Reverse(all) // sort=name: N3 … N9
	slices.Reverse(customers)
	type page struct {
		number, size, total, last int
		ids                       []string
		prev, next                int // 0: absent
	}
	check := func(t *testing.T, query string, want page) {
		t.Helper()
		e := e.iWith(t)
		path := fmt.Sprintf("/api/v1/clients?%s&page[size]=%d&page[number]=%d", query, want.size, want.number)
		r := e.iGet(path, e.admin)
		if got := r.list(); !slices.Equal(got, want.ids) && !(len(got) == 0 && len(want.ids) == 0) {
			t.Errorf("%s: ids %v, want %v", path, got, want.ids)
		}
		meta, _ := iMeta(r)["page"].(map[string]any)
		wantMeta := map[string]any{"number": float64(want.number), "size": float64(want.size),
			"total": float64(want.total), "last": float64(want.last)}
		if fmt.Sprint(meta) != fmt.Sprint(wantMeta) {
			t.Errorf("%s: meta.page %v, want %v", path, meta, wantMeta)
		}
		links, _ := r.json()["links"].(map[string]any)
		for name, n := range map[string]int{"first": 1, "last": want.last, "prev": want.prev, "next": want.next} {
			link, _ := links[name].(string)
			if n == 0 {
				if link != "" {
					t.Errorf("%s: links.%s %q, want none", path, name, link)
				}
				continue
			}
			u, err := url.Parse(link)
			if err != nil {
				t.Fatalf("%s: links.%s %q: %v", path, name, link, err)
			}
			got, wantQ := u.Query(), url.Values{}
			wq, _ := url.ParseQuery(query)
			for k, v := range wq {
				wantQ[k] = v
			}
			wantQ.Set("page[size]", strconv.Itoa(want.size))
			wantQ.Set("page[number]", strconv.Itoa(n))
			if u.Path != "/api/v1/clients" || got.Encode() != wantQ.Encode() {
				t.Errorf("%s: links.%s %q, want %s?%s", path, name, link, "/api/v1/clients", wantQ.Encode())
			}
		}
		if _, ok := links["self"].(string); !ok {
			t.Errorf("%s: no links.self", path)
		}
	}
	check(t, "sort=name", page{1, 3, 7, 3, all[0:3], 0, 2})
	check(t, "sort=name", page{2, 3, 7, 3, all[3:6], 1, 3})
	check(t, "sort=name", page{3, 3, 7, 3, all[6:7], 2, 0})
	check(t, "sort=name", page{4, 3, 7, 3, nil, 3, 0}) // past the end: empty, prev leads back to the last page
	check(t, "sort=name", page{9, 3, 7, 3, nil, 3, 0})
	check(t, "sort=name", page{1, 7, 7, 1, all, 0, 0})
	check(t, "sort=name", page{1, 100, 7, 1, all, 0, 0})
	check(t, "sort=name", page{2, 6, 7, 2, all[6:], 1, 0})
	check(t, "sort=name&filter[types]=customer", page{1, 2, 5, 3, customers[0:2], 0, 2})
	check(t, "sort=name&filter[types]=customer", page{3, 2, 5, 3, customers[4:], 2, 0})
	check(t, "sort=-name&filter[types]=customer", page{2, 4, 5, 2, []string{customers[0]}, 1, 0})
	check(t, "filter[types]=prospect", page{1, 5, 0, 1, nil, 0, 0})
	check(t, "filter[types]=prospect", page{2, 5, 0, 1, nil, 1, 0})
	e.iGet("/api/v1/clients?page[number]=10000000", e.admin)

	// the default page size, include and fields are repeated in the links
	r := e.iGet("/api/v1/clients?page[number]=1&include=owner&fields[clients]=name", e.admin)
	if m, _ := iMeta(r)["page"].(map[string]any); m["size"] != float64(25) || m["last"] != float64(1) {
		t.Errorf("default page size: meta.page %v", m)
	}
	links, _ := r.json()["links"].(map[string]any)
	if last, _ := links["last"].(string); !strings.Contains(last, "include=owner") || !strings.Contains(last, "fields%5Bclients%5D=name") {
		t.Errorf("links.last %q loses include or fields", last)
	}
	// cursor mode has no meta and no number links
	r = e.iGet("/api/v1/clients?page[size]=2", e.admin)
	if _, ok := r.json()["meta"]; ok {
		t.Errorf("cursor mode renders meta: %s", r.Body)
	}
	links, _ = r.json()["links"].(map[string]any)
	for _, name := range []string{"first", "prev", "last"} {
		if _, ok := links[name]; ok {
			t.Errorf("cursor mode renders links.%s", name)
		}
	}
	// a related collection counts only its client's records
	client := all[0]
	e.createContact(e.admin, client, map[string]any{"first_name": "One"})
	e.createContact(e.admin, client, map[string]any{"first_name": "Two"})
	e.createContact(e.admin, all[1], map[string]any{"first_name": "Other"})
	r = e.iGet("/api/v1/clients/"+client+"/contacts?page[number]=1&page[size]=1", e.admin)
	if m, _ := iMeta(r)["page"].(map[string]any); m["total"] != float64(2) || m["last"] != float64(2) {
		t.Errorf("contacts of one client: meta.page %v", m)
	}
	if next, _ := r.json()["links"].(map[string]any)["next"].(string); !strings.HasPrefix(next, "/api/v1/clients/"+client+"/contacts?") {
		t.Errorf("links.next %q leaves the related collection", next)
	}
}

// TestListBadInput: every malformed list parameter is a 400 that names the
// parameter, all problems at once, and never a 5xx.
func TestListBadInput(t *testing.T) { forEachEngine(t, testListBadInput) }

func testListBadInput(t *testing.T, open openStore) {
	e := newEnv(t, open)
	client := e.createClient(e.admin, map[string]any{"name": "Bad Input Ltd"})
	long := strings.Repeat("x", 257)
	ids101 := strings.TrimSuffix(strings.Repeat("1,", 101), ",")
	type bad struct{ query, code, param string }
	badDates := func(param string) []bad {
		var out []bad
		for _, v := range []string{"", "yesterday", "2026-13-01", "2026-02-30", "2026-1-1", "1700000000",
			"2026-01-01T25:00:00Z", "2026-01-01T10:00:00", "2026-01-01%2010:00:00Z", "2026-01-01,2026-01-02", "10000-01-01"} {
			out = append(out, bad{param + "=" + v, "invalid_filter", param})
		}
		return out
	}
	common := []bad{
		{"filter[id]=abc", "invalid_filter", "filter[id]"},
		{"filter[id]=0", "invalid_filter", "filter[id]"},
		{"filter[id]=-1", "invalid_filter", "filter[id]"},
		{"filter[id]=%2B1", "invalid_filter", "filter[id]"},
		{"filter[id]=1.5", "invalid_filter", "filter[id]"},
		{"filter[id]=1,,2", "invalid_filter", "filter[id]"},
		{"filter[id]=1,", "invalid_filter", "filter[id]"},
		{"filter[id]=", "invalid_filter", "filter[id]"},
		{"filter[id]=99999999999999999999", "invalid_filter", "filter[id]"},
		{"filter[id]=" + ids101, "invalid_filter", "filter[id]"},
		{"filter[nope]=1", "unknown_filter", "filter[nope]"},
		{"filter=1", "unknown_parameter", "filter"},
		{"filter[]=1", "unknown_filter", "filter[]"},
		{"filter[ID]=1", "unknown_filter", "filter[ID]"},
		{"sort=", "invalid_sort", "sort"},
		{"sort=nope", "invalid_sort", "sort"},
		{"sort=-", "invalid_sort", "sort"},
		{"sort=--name", "invalid_sort", "sort"},
		{"sort=%2Bname", "invalid_sort", "sort"},
		{"sort=+name", "invalid_sort", "sort"},
		{"sort=name,", "invalid_sort", "sort"},
		{"sort=name,name", "invalid_sort", "sort"},
		{"sort=name,-name", "invalid_sort", "sort"},
		{"sort=Name", "invalid_sort", "sort"},
		{"sort=name%20", "invalid_sort", "sort"},
		{"sort=owner", "invalid_sort", "sort"},
		{"page[number]=0", "invalid_page_number", "page[number]"},
		{"page[number]=-1", "invalid_page_number", "page[number]"},
		{"page[number]=abc", "invalid_page_number", "page[number]"},
		{"page[number]=1.5", "invalid_page_number", "page[number]"},
		{"page[number]=", "invalid_page_number", "page[number]"},
		{"page[number]=10000001", "invalid_page_number", "page[number]"},
		{"page[number]=99999999999999999999", "invalid_page_number", "page[number]"},
		{"page[number]=1&page[after]=abc", "conflicting_page_parameters", "page[number]"},
		{"page[number]=1&page[number]=2", "duplicate_parameter", "page[number]"},
		{"page[after]=abc", "invalid_cursor", "page[after]"},
		{"page[after]=", "invalid_cursor", "page[after]"},
		{"filter[id]=1&filter[id]=2", "duplicate_parameter", "filter[id]"},
	}
	// q, on the lists that search (clients and contacts)
	badSearch := []bad{
		{"q=", "invalid_search", "q"},
		{"q=a", "invalid_search", "q"},
		{"q=%20a%20%20", "invalid_search", "q"},
		{"q=%C3%BC", "invalid_search", "q"}, // one character, two bytes
		{"q=" + strings.Repeat("x", 201), "invalid_search", "q"},
		{"q=" + strings.Repeat("%C3%BC", 201), "invalid_search", "q"},
		{"q=ab%00cd", "invalid_search", "q"},
		{"q=ab%FFcd", "invalid_search", "q"},
		{"q=ab&q=cd", "duplicate_parameter", "q"},
		{"q=ab&sort=relevance", "invalid_sort", "sort"},
		{"sort=relevance", "invalid_sort", "sort"},
	}
	lists := map[string][]bad{
		"/api/v1/clients": append(append(slices.Concat(badDates("filter[created_from]"), badDates("filter[created_to]"),
			badDates("filter[updated_from]"), badDates("filter[updated_to]")),
			bad{"filter[name]=", "invalid_filter", "filter[name]"},
			bad{"filter[name]=%20%20", "invalid_filter", "filter[name]"},
			bad{"filter[name]=%FF", "invalid_filter", "filter[name]"},
			bad{"filter[name]=a%00b", "invalid_filter", "filter[name]"},
			bad{"filter[name]=" + long, "invalid_filter", "filter[name]"},
			bad{"filter[external_id]=", "invalid_filter", "filter[external_id]"},
			bad{"filter[external_id]=a,,b", "invalid_filter", "filter[external_id]"},
			bad{"filter[external_id]=a%C0", "invalid_filter", "filter[external_id]"},
			bad{"filter[types]=customr", "invalid_filter", "filter[types]"},
			bad{"filter[types]=Customer", "invalid_filter", "filter[types]"},
			bad{"filter[types]=", "invalid_filter", "filter[types]"},
			bad{"filter[types]=customer,", "invalid_filter", "filter[types]"},
			bad{"filter[owner]=me", "invalid_filter", "filter[owner]"},
			bad{"filter[salesperson]=0", "invalid_filter", "filter[salesperson]"},
			bad{"filter[case_manager]=x", "invalid_filter", "filter[case_manager]"},
			bad{"filter[country]=UK", "invalid_filter", "filter[country]"},
			bad{"filter[country]=XX", "invalid_filter", "filter[country]"},
			bad{"filter[country]=DEU", "invalid_filter", "filter[country]"},
			bad{"filter[country]=D", "invalid_filter", "filter[country]"},
			bad{"filter[country]=DE,", "invalid_filter", "filter[country]"},
			bad{"filter[country]=", "invalid_filter", "filter[country]"},
			bad{"filter[city]=", "invalid_filter", "filter[city]"},
			bad{"filter[city]=%FF", "invalid_filter", "filter[city]"},
			bad{"filter[email]=", "invalid_filter", "filter[email]"},
			bad{"filter[email]=a%00@b.example", "invalid_filter", "filter[email]"},
			bad{"filter[client]=1", "unknown_filter", "filter[client]"},
			bad{"filter[is_main]=true", "unknown_filter", "filter[is_main]"},
			bad{"sort=city", "invalid_sort", "sort"},
			bad{"sort=types", "invalid_sort", "sort"},
		), badSearch...),
		"/api/v1/contacts": append(append(slices.Concat(badDates("filter[created_from]"), badDates("filter[updated_to]")), badSearch...),
			bad{"filter[client]=abc", "invalid_filter", "filter[client]"},
			bad{"filter[client]=", "invalid_filter", "filter[client]"},
			bad{"filter[name]=", "invalid_filter", "filter[name]"},
			bad{"filter[email]=,", "invalid_filter", "filter[email]"},
			bad{"filter[is_main]=yes", "invalid_filter", "filter[is_main]"},
			bad{"filter[is_main]=1", "invalid_filter", "filter[is_main]"},
			bad{"filter[is_main]=", "invalid_filter", "filter[is_main]"},
			bad{"filter[is_main]=true,false", "invalid_filter", "filter[is_main]"},
			bad{"filter[portal_access]=maybe", "invalid_filter", "filter[portal_access]"},
			bad{"filter[country]=DE", "unknown_filter", "filter[country]"},
			bad{"filter[types]=customer", "unknown_filter", "filter[types]"},
			bad{"filter[first_name]=a", "unknown_filter", "filter[first_name]"},
			bad{"sort=city", "invalid_sort", "sort"},
			bad{"sort=position", "invalid_sort", "sort"},
		),
		"/api/v1/locations": {
			{"filter[client]=-3", "invalid_filter", "filter[client]"},
			{"filter[country]=uk", "invalid_filter", "filter[country]"},
			{"filter[city]=%20", "invalid_filter", "filter[city]"},
			{"filter[is_primary]=nope", "invalid_filter", "filter[is_primary]"},
			{"filter[is_primary]=TRUE", "invalid_filter", "filter[is_primary]"},
			{"filter[name]=x", "unknown_filter", "filter[name]"},
			{"filter[created_from]=2026-01-01", "unknown_filter", "filter[created_from]"},
			{"sort=updated_at", "invalid_sort", "sort"},
			{"sort=email", "invalid_sort", "sort"},
			{"q=ab", "unknown_parameter", "q"},
		},
	}
	lists["/api/v1/clients/"+client+"/contacts"] = lists["/api/v1/contacts"]
	lists["/api/v1/clients/"+client+"/locations"] = lists["/api/v1/locations"]
	for list, cases := range lists {
		for _, c := range append(slices.Clone(common), cases...) {
			t.Run(list+"?"+c.query, func(t *testing.T) {
				e.iWith(t).do("GET", list+"?"+c.query, e.admin, nil).wantError(http.StatusBadRequest, c.code, "?"+c.param)
			})
		}
	}

	// users and tokens are paged by id only
	for _, list := range []string{"/api/v1/users", "/api/v1/tokens"} {
		for _, c := range []bad{
			{"sort=-id", "invalid_sort", "sort"},
			{"sort=name", "invalid_sort", "sort"},
			{"sort=created_at", "invalid_sort", "sort"},
			{"sort=", "invalid_sort", "sort"},
			{"filter[id]=1", "unknown_filter", "filter[id]"},
			{"filter[role]=admin", "unknown_filter", "filter[role]"},
			{"page[number]=1", "unknown_parameter", "page[number]"},
			{"page[after]=abc", "invalid_cursor", "page[after]"},
		} {
			t.Run(list+"?"+c.query, func(t *testing.T) {
				e.iWith(t).do("GET", list+"?"+c.query, e.admin, nil).wantError(http.StatusBadRequest, c.code, "?"+c.param)
			})
		}
		e.iGet(list+"?sort=id", e.admin)
	}

	// every problem at once
	r := e.do("GET", "/api/v1/clients?filter[id]=x&sort=nope&page[size]=0&filter[country]=UK&filter[created_to]=never", e.admin, nil)
	r.want(http.StatusBadRequest)
	var params []string
	for _, p := range r.errors() {
		params = append(params, p.Source.Parameter)
	}
	slices.Sort(params)
	if want := []string{"filter[country]", "filter[created_to]", "filter[id]", "page[size]", "sort"}; !slices.Equal(params, want) {
		t.Errorf("problems name %v, want %v: %s", params, want, r.Body)
	}
	r = e.do("GET", "/api/v1/clients?filter[nope]=1&bogus=2", e.admin, nil).want(http.StatusBadRequest)
	if n := len(r.errors()); n != 2 {
		t.Errorf("two unknown parameters, %d errors: %s", n, r.Body)
	}
}

// TestListNever5xx sends odd values to every parameter of every list: the
// answer is a 200 or a 400 that names the parameter, never anything else.
func TestListNever5xx(t *testing.T) { forEachEngine(t, testListNever5xx) }

func testListNever5xx(t *testing.T, open openStore) {
	e := newEnv(t, open)
	client := e.createClient(e.admin, map[string]any{"name": "Odd", "address": map[string]any{"country": "DE", "city": "Köln"}})
	e.createContact(e.admin, client, map[string]any{"first_name": "Odd", "email": "odd@odd.example"})
	values := []string{"", "%20", ",", ",,", "%00", "%FF", "%C3%28", "a%00b", "%E2%80%8B", "%F0%9F%98%80", "null", "true,false",
		"-1", "0", "1", "9223372036854775807", "9223372036854775808", "1e3", "0x10", "DE", "de,at", "M%C3%BCnchen",
		"%25", "_", "%5C", "'", "%22", "'%3BDROP%20TABLE%20clients%3B--", "%2A", "[1]", "%7B%7D", strings.Repeat("a", 5000),
		"0000-01-01", "9999-12-31", "9999-12-31T23:59:59.999999999Z", "0001-01-01T00:00:00-23:59", "2026-11-22T10:00:00.123456Z",
		"2026-11-22T10:00:00%2B14:00", "-0001-01-01", "2026-02-29"}
	params := map[string][]string{
		"/api/v1/clients": {"filter[id]", "filter[name]", "filter[external_id]", "filter[types]", "filter[owner]",
			"filter[salesperson]", "filter[case_manager]", "filter[country]", "filter[city]", "filter[email]",
			"filter[created_from]", "filter[created_to]", "filter[updated_from]", "filter[updated_to]",
			"sort", "page[size]", "page[number]", "page[after]", "filter[x]"},
		"/api/v1/contacts": {"filter[id]", "filter[client]", "filter[name]", "filter[email]", "filter[is_main]",
			"filter[portal_access]", "filter[created_from]", "filter[created_to]", "filter[updated_from]",
			"filter[updated_to]", "sort", "page[number]"},
		"/api/v1/locations": {"filter[id]", "filter[client]", "filter[country]", "filter[city]", "filter[is_primary]", "sort", "page[number]"},
		"/api/v1/users":     {"sort", "page[after]", "page[size]"},
	}
	for list, names := range params {
		for _, name := range names {
			t.Run(list+"?"+name, func(t *testing.T) {
				e := e.iWith(t)
				for _, v := range values {
					r := e.do("GET", list+"?"+name+"="+v, e.admin, nil)
					switch r.Status {
					case http.StatusOK:
					case http.StatusBadRequest:
						named := false
						for _, p := range r.errors() {
							named = named || p.Source.Parameter == name
						}
						if !named {
							t.Errorf("%s=%.40s: 400 without naming %s: %s", name, v, name, r.Body)
						}
					default:
						t.Errorf("%s=%.40s: status %d: %s", name, v, r.Status, r.Body)
					}
				}
			})
		}
	}
}

// TestListUsersAndTokensPaging: users and tokens page by id with cursors
// from links.next.
func TestListUsersAndTokensPaging(t *testing.T) { forEachEngine(t, testListUsersAndTokensPaging) }

func testListUsersAndTokensPaging(t *testing.T, open openStore) {
	e := newEnv(t, open)
	users := []string{e.userID}
	for i := range 4 {
		users = append(users, e.iUser(e.admin, fmt.Sprintf("u%d@acme.example", i), "member"))
	}
	if got := e.lPages("/api/v1/users?page[size]=2", e.admin, 2); !slices.Equal(got, users) {
		t.Errorf("users pages %v, want %v", got, users)
	}
	if got := e.lPages("/api/v1/users?page[size]=2&sort=id", e.admin, 2); !slices.Equal(got, users) {
		t.Errorf("users pages with sort=id %v, want %v", got, users)
	}
	tokens := e.iGet("/api/v1/tokens?page[size]=100", e.admin).list()
	for range 3 {
		id, _ := e.iToken(e.admin, "")
		tokens = append(tokens, id)
	}
	if got := e.lPages("/api/v1/tokens?page[size]=1", e.admin, 1); !slices.Equal(got, tokens) {
		t.Errorf("token pages %v, want %v", got, tokens)
	}
}

// TestListSearch: q finds by word prefixes, folded, with every filter, best
// matches first without a sort, in the sort's order with one, page by page
// with cursors and page numbers; a cursor is bound to its q.
func TestListSearch(t *testing.T) { forEachEngine(t, testListSearch) }

func testListSearch(t *testing.T, open openStore) {
	w := lNewWorld(t, open)
	e := w.e
	for _, c := range []struct {
		path string
		want []string // in order
	}{
		{"/api/v1/clients?q=muller", lIDs(w.c1, w.c2)},
		{"/api/v1/clients?q=%20MÜLLER%20", lIDs(w.c1, w.c2)},
		{"/api/v1/clients?q=MÜNCH", lIDs(w.c1, w.c4)}, // the primary location's city
		{"/api/v1/clients?q=muller%20gm", lIDs(w.c1)},
		{"/api/v1/clients?q=mueller.exa", lIDs(w.c1)},
		{"/api/v1/clients?q=muller&filter[types]=supplier", lIDs(w.c2)},
		{"/api/v1/clients?q=munchen&filter[country]=DE&filter[id]=" + w.c4, lIDs(w.c4)},
		{"/api/v1/clients?q=muller&sort=name", lIDs(w.c2, w.c1)},
		{"/api/v1/clients?q=muller&sort=-id", lIDs(w.c2, w.c1)},
		{"/api/v1/clients?q=zeta%25", lIDs(w.c4)},
		{"/api/v1/clients?q=100%25%20ltd_", lIDs(w.c4)},
		{"/api/v1/clients?q=%25%25", nil},
		{"/api/v1/clients?q=%22*%3A%26%7C!(%27%5C", nil},
		{"/api/v1/contacts?q=schmidt", lIDs(w.k1)},
		{"/api/v1/contacts?q=jurgen%20schm", lIDs(w.k1)},
		{"/api/v1/contacts?q=mueller", lIDs(w.k1, w.k2)},
		{"/api/v1/contacts?q=muller", lIDs(w.k3)},
		{"/api/v1/contacts?q=mueller&filter[portal_access]=false", lIDs(w.k2)},
		{"/api/v1/clients/" + w.c1 + "/contacts?q=anna", lIDs(w.k2)},
		{"/api/v1/clients/" + w.c2 + "/contacts?q=anna", nil},
	} {
		t.Run(c.path, func(t *testing.T) { e.iWith(t).lCheck(c.path, e.admin, c.want...) })
	}

	// Paging: cursors and page numbers go through the same order.
	for _, path := range []string{"/api/v1/clients?q=mu", "/api/v1/clients?q=mu&sort=-name", "/api/v1/contacts?q=mu"} {
		all := e.iGet(path+"&page[size]=100", e.admin).list()
		if len(all) < 2 {
			t.Fatalf("%s: %v, want several", path, all)
		}
		if got := e.lPages(path+"&page[size]=1", e.admin, 1); !slices.Equal(got, all) {
			t.Errorf("%s by cursor: %v, want %v", path, got, all)
		}
		if got := e.lNumbered(path, 1); !slices.Equal(got, all) {
			t.Errorf("%s by number: %v, want %v", path, got, all)
		}
	}
	r := e.iGet("/api/v1/clients?q=muller&page[size]=1&page[number]=2", e.admin)
	if got := r.list(); !slices.Equal(got, lIDs(w.c2)) {
		t.Errorf("page 2 of q=muller: %v", got)
	}

	// A cursor holds for its q only.
	cursor := url.QueryEscape(e.lNextCursor("/api/v1/clients?q=muller&page[size]=1", e.admin))
	e.lCheck("/api/v1/clients?q=muller&page[size]=1&page[after]="+cursor, e.admin, w.c2)
	for _, other := range []string{"q=mull&", "q=muller&sort=id&", "q=muller&filter[types]=customer&", ""} {
		e.do("GET", "/api/v1/clients?"+other+"page[after]="+cursor, e.admin, nil).
			wantError(http.StatusBadRequest, "invalid_cursor", "?page[after]")
	}

	// globex finds its own only.
	e.lCheck("/api/v1/clients?q=muller", w.gToken, w.gClient)
	e.lCheck("/api/v1/contacts?q=schmidt", w.gToken, w.gContact)
}
