package storetest

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/clientele/clientele"
)

// listTests check the sorted, filtered and paged lists of clients, contacts
// and locations: every filter alone and combined, tenancy, the literal
// LIKE metacharacters and the folding of names, inclusive time bounds, every
// sort field in both directions with ties broken by id, keyset paging
// through a whole list (also while rows come and go), offset paging and the
// counts.
//
// The expected orders follow list.go: text sort values (Fold, EmailKey, the
// attribute as stored) compare byte by byte, as Go compares strings, never
// by a database collation; timestamps compare as numbers.
var listTests = []test{
	{"ClientFilters", testClientFilters},
	{"ContactFilters", testContactFilters},
	{"LocationFilters", testLocationFilters},
	{"ClientSorts", testClientSorts},
	{"ContactSorts", testContactSorts},
	{"LocationSorts", testLocationSorts},
	{"ClientPagesWhileRowsChange", testClientPagesWhileRowsChange},
	{"ContactPagesWhileRowsChange", testContactPagesWhileRowsChange},
	{"LocationPagesWhileRowsChange", testLocationPagesWhileRowsChange},
	{"KeysFollowUpdates", testKeysFollowUpdates},
	{"BadPositionIsAnError", testBadPosition},
}

// lister is what the list tests need of one kind of record T listed by
// queries Q.
type lister[T, Q any] struct {
	what     string
	list     func(tx clientele.Tx, companyID int64, q Q) ([]T, error)
	count    func(tx clientele.Tx, companyID int64, q Q) (int, error)
	with     func(q Q, sort []clientele.SortKey, page clientele.Page) Q // q sorted by sort, its page page
	position func(v T, sort []clientele.SortKey) clientele.Position
	id       func(v T) int64
	fields   []string // the sort fields
}

var clients = lister[clientele.Client, clientele.ClientQuery]{
	what: "Clients",
	list: func(tx clientele.Tx, c int64, q clientele.ClientQuery) ([]clientele.Client, error) {
		return tx.Clients(ctx, c, q)
	},
	count: func(tx clientele.Tx, c int64, q clientele.ClientQuery) (int, error) {
		return tx.CountClients(ctx, c, q)
	},
	with: func(q clientele.ClientQuery, sort []clientele.SortKey, p clientele.Page) clientele.ClientQuery {
		q.Sort, q.Page = sort, p
		return q
	},
	position: clientele.ClientPosition,
	id:       clientID,
	fields:   clientele.ClientSortFields,
}

var contacts = lister[clientele.Contact, clientele.ContactQuery]{
	what: "Contacts",
	list: func(tx clientele.Tx, c int64, q clientele.ContactQuery) ([]clientele.Contact, error) {
		return tx.Contacts(ctx, c, q)
	},
	count: func(tx clientele.Tx, c int64, q clientele.ContactQuery) (int, error) {
		return tx.CountContacts(ctx, c, q)
	},
	with: func(q clientele.ContactQuery, sort []clientele.SortKey, p clientele.Page) clientele.ContactQuery {
		q.Sort, q.Page = sort, p
		return q
	},
	position: clientele.ContactPosition,
	id:       contactID,
	fields:   clientele.ContactSortFields,
}

var locations = lister[clientele.Location, clientele.LocationQuery]{
	what: "Locations",
	list: func(tx clientele.Tx, c int64, q clientele.LocationQuery) ([]clientele.Location, error) {
		return tx.Locations(ctx, c, q)
	},
	count: func(tx clientele.Tx, c int64, q clientele.LocationQuery) (int, error) {
		return tx.CountLocations(ctx, c, q)
	},
	with: func(q clientele.LocationQuery, sort []clientele.SortKey, p clientele.Page) clientele.LocationQuery {
		q.Sort, q.Page = sort, p
		return q
	},
	position: clientele.LocationPosition,
	id:       locationID,
	fields:   clientele.LocationSortFields,
}

// get lists q of the company.
func (l lister[T, Q]) get(t *testing.T, s clientele.Store, companyID int64, q Q) []T {
	t.Helper()
	return get(t, s, func(tx clientele.Tx) ([]T, error) { return l.list(tx, companyID, q) })
}

// getCount counts q of the company.
func (l lister[T, Q]) getCount(t *testing.T, s clientele.Store, companyID int64, q Q) int {
	t.Helper()
	return get(t, s, func(tx clientele.Tx) (int, error) { return l.count(tx, companyID, q) })
}

func (l lister[T, Q]) ids(vs []T) []int64 {
	ids := make([]int64, len(vs))
	for i, v := range vs {
		ids[i] = l.id(v)
	}
	return ids
}

// filtered checks that q of the company lists exactly the records want, in
// id order, and counts them, also when q asks for another order and a page.
func (l lister[T, Q]) filtered(t *testing.T, s clientele.Store, companyID int64, what string, q Q, want ...T) {
	t.Helper()
	wantIDs := l.ids(want)
	slices.Sort(wantIDs)
	got := l.ids(l.get(t, s, companyID, l.with(q, nil, all)))
	if !slices.Equal(got, wantIDs) {
		t.Errorf("%s %s: got ids %v, want %v", l.what, what, got, wantIDs)
	}
	byID := []clientele.SortKey{{Field: "id", Desc: true}}
	if n := l.getCount(t, s, companyID, l.with(q, byID, clientele.Page{Limit: 1, Offset: 1, Number: true})); n != len(want) {
		t.Errorf("Count%s %s: got %d, want %d", l.what, what, n, len(want))
	}
}

// compare orders a and b as a list sorted by sort orders them: by each key's
// sort value (timestamps as numbers, other values byte-wise), then by id
// ascending; a key on id orders by id in its direction and ends the order.
func (l lister[T, Q]) compare(a, b T, sort []clientele.SortKey) int {
	pa, pb := l.position(a, sort), l.position(b, sort)
	i := 0
	for _, k := range sort {
		var c int
		if k.Field == "id" {
			c = cmp.Compare(pa.ID, pb.ID)
		} else {
			va, vb := pa.Values[i], pb.Values[i]
			i++
			if k.Field == "created_at" || k.Field == "updated_at" {
				na, _ := strconv.ParseInt(va, 10, 64)
				nb, _ := strconv.ParseInt(vb, 10, 64)
				c = cmp.Compare(na, nb)
			} else {
				c = cmp.Compare(va, vb)
			}
		}
		if k.Desc {
			c = -c
		}
		if c != 0 || k.Field == "id" {
			return c
		}
	}
	return cmp.Compare(pa.ID, pb.ID)
}

// sorted returns the ids of vs in the order of sort.
func (l lister[T, Q]) sorted(vs []T, sort []clientele.SortKey) []int64 {
	vs = slices.Clone(vs)
	slices.SortStableFunc(vs, func(a, b T) int { return l.compare(a, b, sort) })
	return l.ids(vs)
}

// sorts returns every sort field alone, ascending and descending, then more.
func (l lister[T, Q]) sorts(more ...[]clientele.SortKey) [][]clientele.SortKey {
	var out [][]clientele.SortKey
	for _, f := range l.fields {
		out = append(out, []clientele.SortKey{{Field: f}}, []clientele.SortKey{{Field: f, Desc: true}})
	}
	return append(out, more...)
}

// checkSorts checks, for each sort, that q of the company (which selects
// exactly vs) lists vs in the order of sort; that paging through it by the
// position of each page's last record, pages of 1, 2 and 3, yields that
// order; that pages by offset are its slices; and that the count ignores
// the sort and the page.
func (l lister[T, Q]) checkSorts(t *testing.T, s clientele.Store, companyID int64, q Q, vs []T, sorts [][]clientele.SortKey) {
	t.Helper()
	for _, sort := range sorts {
		name := fmt.Sprintf("%s sorted by %s", l.what, sortName(sort))
		want := l.sorted(vs, sort)
		if got := l.ids(l.get(t, s, companyID, l.with(q, sort, clientele.Page{}))); !slices.Equal(got, want) {
			t.Errorf("%s: got ids %v, want %v", name, got, want)
			continue
		}
		for size := 1; size <= 3; size++ {
			if got := l.pageThrough(t, s, companyID, q, sort, size, nil); !slices.Equal(got, want) {
				t.Errorf("%s, paged by position %d at a time: got ids %v, want %v", name, size, got, want)
			}
		}
		for size := 2; size <= 3; size++ {
			for off := 0; off <= len(want)+1; off += size {
				page := clientele.Page{Limit: size, Offset: off, Number: true}
				got := l.ids(l.get(t, s, companyID, l.with(q, sort, page)))
				if w := want[min(off, len(want)):min(off+size, len(want))]; !slices.Equal(got, w) {
					t.Errorf("%s, offset %d limit %d: got ids %v, want %v", name, off, size, got, w)
				}
			}
		}
		after := clientele.Page{Limit: 1, After: l.position(vs[0], sort)}
		if n := l.getCount(t, s, companyID, l.with(q, sort, after)); n != len(vs) {
			t.Errorf("Count%s sorted by %s with a page: got %d, want %d", l.what, sortName(sort), n, len(vs))
		}
	}
}

// pageThrough lists q sorted by sort, size records a page, each page after
// the position of the last record of the one before, until a page comes
// back empty, and returns the ids in the order the pages gave them. between,
// when not nil, runs after each page but the last, with the page number (1
// for the first) and the records so far.
func (l lister[T, Q]) pageThrough(t *testing.T, s clientele.Store, companyID int64, q Q, sort []clientele.SortKey,
	size int, between func(page int, seen []T)) []int64 {
	t.Helper()
	var seen []T
	after := clientele.Position{}
	for n := 1; ; n++ {
		page := l.get(t, s, companyID, l.with(q, sort, clientele.Page{Limit: size, After: after}))
		if len(page) > size {
			t.Fatalf("%s sorted by %s: a page of %d has %d records", l.what, sortName(sort), size, len(page))
		}
		if len(page) == 0 {
			break
		}
		if n > 1000 {
			t.Fatalf("%s sorted by %s: paging does not end", l.what, sortName(sort))
		}
		seen = append(seen, page...)
		after = l.position(page[len(page)-1], sort)
		if between != nil {
			between(n, seen)
		}
	}
	return l.ids(seen)
}

// checkItems reports unless got holds want's records, field by field, in want's order.
func checkItems[T any](t *testing.T, what string, got, want []T) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %d records, want %d", what, len(got), len(want))
		return
	}
	for i := range got {
		checkEqual(t, fmt.Sprintf("%s [%d]", what, i), got[i], want[i])
	}
}

func ptr[T any](v T) *T { return &v }

func testClientFilters(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	u1, u2 := staff(t, s, tn)
	id := tn.ID()
	customer, supplier, prospect := clientele.TypeCustomer, clientele.TypeSupplier, clientele.TypeProspect
	mk := func(companyID int64, name, ext string, types []string, email string, owner, sales, cases int64, n int) clientele.Client {
		return newClient(t, s, clientele.Client{CompanyID: companyID, Name: name, ExternalID: ext, Types: types, Email: email,
			OwnerID: owner, SalespersonID: sales, CaseManagerID: cases, CreatedAt: at(n), UpdatedAt: at(10 + n)})
	}
	loc := func(c clientele.Client, country, city string, primary bool) {
		newLocation(t, s, clientele.Location{CompanyID: c.CompanyID, ClientID: c.ID, Name: "Site",
			Address: clientele.Address{Country: country, City: city}, IsPrimary: primary})
	}
	c0 := mk(id, "Müller GmbH", "EXT-1", []string{customer}, "Info@Mueller.example", u1.ID, u2.ID, 0, 1)
	c1 := mk(id, "MULLER & Co", "ext-1", []string{supplier}, "sales@muller.example", u2.ID, 0, u1.ID, 2)
	c2 := mk(id, `100% _real\ deal`, "", []string{prospect}, "", 0, u1.ID, u2.ID, 3)
	c3 := mk(id, "Plain Ltd", "EXT-3", []string{customer, supplier}, "INFO@mueller.example", u1.ID, 0, 0, 4)
	c4 := mk(id, "Nobody", "", []string{customer}, "", 0, 0, 0, 5)
	loc(c0, "DE", "Köln", true)
	loc(c1, "AT", "KÖLN", true)
	loc(c1, "FR", "Paris", false)
	loc(c2, "CH", "Zürich", true)
	loc(c3, "DE", "Köln", false)
	// Company B has clients that every filter would select.
	b0 := mk(other.ID(), "Müller GmbH", "EXT-1", []string{customer, supplier, prospect}, "info@mueller.example", other.Admin.ID, other.Admin.ID, other.Admin.ID, 1)
	b1 := mk(other.ID(), `MULLER & Co 100% _real\ deal`, "ext-1", []string{supplier}, "sales@muller.example", 0, 0, 0, 3)
	loc(b0, "DE", "Köln", true)
	loc(b1, "AT", "KÖLN", true)

	type Q = clientele.ClientQuery
	for _, tc := range []struct {
		what string
		q    Q
		want []clientele.Client
	}{
		{"without filters", Q{}, []clientele.Client{c0, c1, c2, c3, c4}},
		{"with IDs", Q{IDs: []int64{c3.ID, c0.ID, b0.ID}}, []clientele.Client{c0, c3}},
		{"with Name muller", Q{Name: "muller"}, []clientele.Client{c0, c1}},
		{"with Name MÜLLER", Q{Name: "MÜLLER"}, []clientele.Client{c0, c1}},
		{"with Name of folded white space", Q{Name: " LLER   gm "}, []clientele.Client{c0}},
		{"with Name %", Q{Name: "%"}, []clientele.Client{c2}},
		{"with Name _", Q{Name: "_"}, []clientele.Client{c2}},
		{`with Name \`, Q{Name: `\`}, []clientele.Client{c2}},
		{`with Name "% _"`, Q{Name: "% _"}, []clientele.Client{c2}},
		{`with Name "0%"`, Q{Name: "0%"}, []clientele.Client{c2}},
		{"with Name nothing has", Q{Name: "gmbh & co"}, nil},
		{"with ExternalIDs EXT-1", Q{ExternalIDs: []string{"EXT-1"}}, []clientele.Client{c0}},
		{"with three ExternalIDs", Q{ExternalIDs: []string{"ext-1", "EXT-3", "EXT-9"}}, []clientele.Client{c1, c3}},
		{"with Types supplier", Q{Types: []string{supplier}}, []clientele.Client{c1, c3}},
		{"with Types prospect, customer", Q{Types: []string{prospect, customer}}, []clientele.Client{c0, c2, c3, c4}},
		{"with OwnerIDs", Q{OwnerIDs: []int64{u1.ID}}, []clientele.Client{c0, c3}},
		{"with two OwnerIDs", Q{OwnerIDs: []int64{u1.ID, u2.ID}}, []clientele.Client{c0, c1, c3}},
		{"with SalespersonIDs", Q{SalespersonIDs: []int64{u1.ID}}, []clientele.Client{c2}},
		{"with CaseManagerIDs", Q{CaseManagerIDs: []int64{u1.ID}}, []clientele.Client{c1}},
		{"with another company's OwnerIDs", Q{OwnerIDs: []int64{other.Admin.ID}}, nil},
		{"with Countries DE (primary location only)", Q{Countries: []string{"DE"}}, []clientele.Client{c0}},
		{"with Countries AT, CH", Q{Countries: []string{"AT", "CH"}}, []clientele.Client{c1, c2}},
		{"with Countries FR (no primary location there)", Q{Countries: []string{"FR"}}, nil},
		{"with Cities köln", Q{Cities: []string{"köln"}}, []clientele.Client{c0, c1}},
		{"with Cities KOLN", Q{Cities: []string{"KOLN"}}, []clientele.Client{c0, c1}},
		{"with Cities Paris (no primary location there)", Q{Cities: []string{"Paris"}}, nil},
		{"with Cities paris, ZÜRICH", Q{Cities: []string{"paris", "ZÜRICH"}}, []clientele.Client{c2}},
		{"with Emails", Q{Emails: []string{"info@mueller.example"}}, []clientele.Client{c0, c3}},
		{"with Emails in upper case", Q{Emails: []string{"SALES@MULLER.EXAMPLE", "nobody@example.com"}}, []clientele.Client{c1}},
		{"with Created between", Q{Created: clientele.TimeRange{From: at(2), To: at(4)}}, []clientele.Client{c1, c2, c3}},
		{"with Created from", Q{Created: clientele.TimeRange{From: at(4)}}, []clientele.Client{c3, c4}},
		{"with Created to", Q{Created: clientele.TimeRange{To: at(1)}}, []clientele.Client{c0}},
		{"with Created between, a microsecond inside", Q{Created: clientele.TimeRange{From: at(2).Add(-1000), To: at(4).Add(1000)}}, []clientele.Client{c1, c2, c3}},
		{"with Created between, a microsecond outside", Q{Created: clientele.TimeRange{From: at(2).Add(1000), To: at(4).Add(-1000)}}, []clientele.Client{c2}},
		{"with Updated on one instant", Q{Updated: clientele.TimeRange{From: at(12), To: at(12)}}, []clientele.Client{c1}},
		{"with Updated from", Q{Updated: clientele.TimeRange{From: at(14)}}, []clientele.Client{c3, c4}},
		{"with Name and Countries", Q{Name: "muller", Countries: []string{"AT"}}, []clientele.Client{c1}},
		{"with Types, OwnerIDs and Created", Q{Types: []string{customer}, OwnerIDs: []int64{u1.ID}, Created: clientele.TimeRange{From: at(2)}}, []clientele.Client{c3}},
		{"with Cities and Emails", Q{Cities: []string{"koln"}, Emails: []string{"INFO@MUELLER.EXAMPLE"}}, []clientele.Client{c0}},
		{"with Name and ExternalIDs that exclude each other", Q{Name: "muller", ExternalIDs: []string{"EXT-3"}}, nil},
		{"with every filter", Q{IDs: []int64{c0.ID, c1.ID}, Name: "müller", ExternalIDs: []string{"EXT-1"}, Types: []string{customer},
			OwnerIDs: []int64{u1.ID}, SalespersonIDs: []int64{u2.ID}, Countries: []string{"DE"}, Cities: []string{"Koln"},
			Emails: []string{"info@mueller.example"}, Created: clientele.TimeRange{From: at(1), To: at(1)},
			Updated: clientele.TimeRange{From: at(11), To: at(11)}}, []clientele.Client{c0}},
	} {
		clients.filtered(t, s, id, tc.what, tc.q, tc.want...)
	}
	clients.filtered(t, s, other.ID(), "of company B with Name muller", Q{Name: "muller"}, b0, b1)
	clients.filtered(t, s, other.ID(), "of company B with Name %", Q{Name: "%"}, b1)

	// The records of a filtered list are whole, with their derived fields.
	got := clients.get(t, s, id, Q{Countries: []string{"DE", "AT"}, Page: all})
	want := []clientele.Client{get(t, s, clientOf(id, c0.ID)), get(t, s, clientOf(id, c1.ID))}
	checkItems(t, "Clients with Countries", got, want)
	if len(got) == 2 && (got[0].Address == nil || got[0].Address.City != "Köln") {
		t.Errorf("Clients with Countries: the first has address %+v, want its primary location's", got[0].Address)
	}

	// Filters combine with sorts and pages.
	clients.checkSorts(t, s, id, Q{Types: []string{customer, supplier}}, []clientele.Client{c0, c1, c3, c4}, [][]clientele.SortKey{
		{{Field: "name"}}, {{Field: "name", Desc: true}}, {{Field: "external_id", Desc: true}}, {{Field: "created_at", Desc: true}},
	})
}

func testContactFilters(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	id := tn.ID()
	k1 := newClient(t, s, clientele.Client{CompanyID: id, Name: "K1"})
	k2 := newClient(t, s, clientele.Client{CompanyID: id, Name: "K2"})
	kb := newClient(t, s, clientele.Client{CompanyID: other.ID(), Name: "KB"})
	mk := func(client clientele.Client, first, last, email string, main, portal bool, n int) clientele.Contact {
		return newContact(t, s, clientele.Contact{CompanyID: client.CompanyID, ClientID: client.ID, FirstName: first, LastName: last,
			Email: email, IsMain: main, PortalAccess: portal, CreatedAt: at(n), UpdatedAt: at(10 + n)})
	}
	ct0 := mk(k1, "Zoë", "O'Brien", "Zoe@Example.com", true, true, 1)
	ct1 := mk(k1, "Peter", "Müller", "peter@example.com", false, false, 2)
	ct2 := mk(k2, "", "Zoellner", "", true, false, 3)
	ct3 := mk(k2, "Anna", "", "ZOE@example.com", false, false, 4)
	ct4 := mk(k2, "100%", `_x\y`, "meta@example.com", false, true, 5)
	bt0 := mk(kb, "Zoë", "O'Brien", "zoe@example.com", true, true, 1)
	bt1 := mk(kb, "Peter", `Müller 100% _x\y`, "peter@example.com", false, false, 2)

	type Q = clientele.ContactQuery
	for _, tc := range []struct {
		what string
		q    Q
		want []clientele.Contact
	}{
		{"without filters", Q{}, []clientele.Contact{ct0, ct1, ct2, ct3, ct4}},
		{"with ClientID", Q{ClientID: k1.ID}, []clientele.Contact{ct0, ct1}},
		{"with ClientIDs", Q{ClientIDs: []int64{k2.ID, kb.ID}}, []clientele.Contact{ct2, ct3, ct4}},
		{"with another company's ClientID", Q{ClientID: kb.ID}, nil},
		{"with IDs", Q{IDs: []int64{ct4.ID, ct0.ID}}, []clientele.Contact{ct0, ct4}},
		{"with Name zoe (first or last name)", Q{Name: "zoe"}, []clientele.Contact{ct0, ct2}},
		{"with Name ZOË O (the full name)", Q{Name: "ZOË O"}, []clientele.Contact{ct0}},
		{"with Name of the full name without first name", Q{Name: "zoellner"}, []clientele.Contact{ct2}},
		{"with Name muller", Q{Name: "muller"}, []clientele.Contact{ct1}},
		{"with Name %", Q{Name: "%"}, []clientele.Contact{ct4}},
		{"with Name _", Q{Name: "_"}, []clientele.Contact{ct4}},
		{`with Name \`, Q{Name: `\`}, []clientele.Contact{ct4}},
		{`with Name "% _"`, Q{Name: "% _"}, []clientele.Contact{ct4}},
		{"with Emails", Q{Emails: []string{"zoe@example.com"}}, []clientele.Contact{ct0, ct3}},
		{"with Emails in upper case", Q{Emails: []string{"PETER@EXAMPLE.COM", "nobody@example.com"}}, []clientele.Contact{ct1}},
		{"with IsMain", Q{IsMain: ptr(true)}, []clientele.Contact{ct0, ct2}},
		{"with IsMain false", Q{IsMain: ptr(false)}, []clientele.Contact{ct1, ct3, ct4}},
		{"with PortalAccess", Q{PortalAccess: ptr(true)}, []clientele.Contact{ct0, ct4}},
		{"with PortalAccess false", Q{PortalAccess: ptr(false)}, []clientele.Contact{ct1, ct2, ct3}},
		{"with Created between", Q{Created: clientele.TimeRange{From: at(2), To: at(4)}}, []clientele.Contact{ct1, ct2, ct3}},
		{"with Created to", Q{Created: clientele.TimeRange{To: at(2)}}, []clientele.Contact{ct0, ct1}},
		{"with Updated from", Q{Updated: clientele.TimeRange{From: at(13)}}, []clientele.Contact{ct2, ct3, ct4}},
		{"with Updated on one instant", Q{Updated: clientele.TimeRange{From: at(15), To: at(15)}}, []clientele.Contact{ct4}},
		{"with ClientID and Name", Q{ClientID: k2.ID, Name: "zoe"}, []clientele.Contact{ct2}},
		{"with IsMain and PortalAccess", Q{IsMain: ptr(true), PortalAccess: ptr(true)}, []clientele.Contact{ct0}},
		{"with Emails and PortalAccess false", Q{Emails: []string{"Zoe@example.com"}, PortalAccess: ptr(false)}, []clientele.Contact{ct3}},
		{"with every filter", Q{ClientID: k1.ID, ClientIDs: []int64{k1.ID, k2.ID}, IDs: []int64{ct0.ID, ct1.ID}, Name: "o'b",
			Emails: []string{"zoe@example.com"}, IsMain: ptr(true), PortalAccess: ptr(true),
			Created: clientele.TimeRange{From: at(1), To: at(1)}, Updated: clientele.TimeRange{From: at(11), To: at(11)}}, []clientele.Contact{ct0}},
	} {
		contacts.filtered(t, s, id, tc.what, tc.q, tc.want...)
	}
	contacts.filtered(t, s, other.ID(), "of company B with Name %", Q{Name: "%"}, bt1)
	contacts.filtered(t, s, other.ID(), "of company B with Emails", Q{Emails: []string{"zoe@example.com"}}, bt0)

	checkItems(t, "Contacts with Emails", contacts.get(t, s, id, Q{Emails: []string{"zoe@example.com"}, Page: all}), []clientele.Contact{ct0, ct3})
	contacts.checkSorts(t, s, id, Q{ClientID: k2.ID}, []clientele.Contact{ct2, ct3, ct4}, [][]clientele.SortKey{
		{{Field: "name"}}, {{Field: "email", Desc: true}}, {{Field: "first_name"}},
	})
}

func testLocationFilters(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	id := tn.ID()
	k1 := newClient(t, s, clientele.Client{CompanyID: id, Name: "K1"})
	k2 := newClient(t, s, clientele.Client{CompanyID: id, Name: "K2"})
	k3 := newClient(t, s, clientele.Client{CompanyID: id, Name: "K3"})
	kb := newClient(t, s, clientele.Client{CompanyID: other.ID(), Name: "KB"})
	mk := func(client clientele.Client, name, country, city string, primary bool) clientele.Location {
		return newLocation(t, s, clientele.Location{CompanyID: client.CompanyID, ClientID: client.ID, Name: name,
			Address: clientele.Address{Country: country, City: city}, IsPrimary: primary})
	}
	l0 := mk(k1, "Zentrale", "DE", "Köln", true)
	l1 := mk(k1, "Lager", "FR", "Paris", false)
	l2 := mk(k2, "HQ", "AT", "KÖLN", true)
	l3 := mk(k2, "Werk", "DE", "", false)
	l4 := mk(k3, "Büro", "CH", "Zürich", false)
	lb0 := mk(kb, "Zentrale", "DE", "Köln", true)
	lb1 := mk(kb, "Lager", "CH", "Zürich", false)

	type Q = clientele.LocationQuery
	for _, tc := range []struct {
		what string
		q    Q
		want []clientele.Location
	}{
		{"without filters", Q{}, []clientele.Location{l0, l1, l2, l3, l4}},
		{"with ClientID", Q{ClientID: k1.ID}, []clientele.Location{l0, l1}},
		{"with ClientIDs", Q{ClientIDs: []int64{k2.ID, k3.ID, kb.ID}}, []clientele.Location{l2, l3, l4}},
		{"with another company's ClientID", Q{ClientID: kb.ID}, nil},
		{"with IDs", Q{IDs: []int64{l4.ID, l1.ID}}, []clientele.Location{l1, l4}},
		{"with Countries DE", Q{Countries: []string{"DE"}}, []clientele.Location{l0, l3}},
		{"with Countries AT, CH", Q{Countries: []string{"AT", "CH"}}, []clientele.Location{l2, l4}},
		{"with Cities koln", Q{Cities: []string{"koln"}}, []clientele.Location{l0, l2}},
		{"with Cities ZURICH", Q{Cities: []string{"ZURICH"}}, []clientele.Location{l4}},
		{"with Cities paris, KÖLN", Q{Cities: []string{"paris", "KÖLN"}}, []clientele.Location{l0, l1, l2}},
		{"with Cities of part of a name", Q{Cities: []string{"Kö"}}, nil},
		{"with IsPrimary", Q{IsPrimary: ptr(true)}, []clientele.Location{l0, l2}},
		{"with IsPrimary false", Q{IsPrimary: ptr(false)}, []clientele.Location{l1, l3, l4}},
		{"with Countries and IsPrimary false", Q{Countries: []string{"DE"}, IsPrimary: ptr(false)}, []clientele.Location{l3}},
		{"with Cities and ClientID", Q{Cities: []string{"köln"}, ClientID: k2.ID}, []clientele.Location{l2}},
		{"with every filter", Q{ClientID: k1.ID, ClientIDs: []int64{k1.ID}, IDs: []int64{l0.ID, l1.ID}, Countries: []string{"DE", "FR"},
			Cities: []string{"KOLN"}, IsPrimary: ptr(true)}, []clientele.Location{l0}},
	} {
		locations.filtered(t, s, id, tc.what, tc.q, tc.want...)
	}
	locations.filtered(t, s, other.ID(), "of company B with Cities", Q{Cities: []string{"zurich", "koln"}}, lb0, lb1)
	checkItems(t, "Locations with Cities", locations.get(t, s, id, Q{Cities: []string{"koln"}, Page: all}), []clientele.Location{l0, l2})
	locations.checkSorts(t, s, id, Q{IsPrimary: ptr(false)}, []clientele.Location{l1, l3, l4}, [][]clientele.SortKey{
		{{Field: "city"}}, {{Field: "country", Desc: true}},
	})
}

func testClientSorts(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	// Equal keys in every field: names that fold alike, clients without
	// external id, equal timestamps. Byte order differs from the usual
	// collations: "_" before letters, " " before "-", digits before upper case
	// before lower case, "10" before "9", Greek after Latin.
	var vs []clientele.Client
	for _, c := range []struct {
		name, ext        string
		created, updated int
	}{
		{"Müller", "B-2", 3, 7},
		{"Zebra", "", 1, 7},
		{"muller", "a-1", 1, 5},
		{"_under", "10", 2, 5},
		{"MULLER ", "", 3, 9},
		{"Äpfel", "A-1", 1, 5},
		{"apple", "9", 4, 8},
		{"a b", "", 2, 7},
		{"a-b", "Ä", 3, 6},
		{"ab", "", 3, 6},
		{"Ωmega", "_x", 1, 9},
		{"Straße", "b-2", 0, 5},
		{"strasse", "", -500000, 7},
	} {
		vs = append(vs, newClient(t, s, clientele.Client{CompanyID: tn.ID(), Name: c.name, ExternalID: c.ext,
			CreatedAt: at(c.created), UpdatedAt: at(c.updated)}))
		newClient(t, s, clientele.Client{CompanyID: other.ID(), Name: c.name, ExternalID: c.ext, CreatedAt: at(c.created), UpdatedAt: at(c.updated)})
	}
	checkItems(t, "Clients sorted by name", clients.get(t, s, tn.ID(), clientele.ClientQuery{Sort: []clientele.SortKey{{Field: "name"}}}),
		byOrder(vs, clients.sorted(vs, []clientele.SortKey{{Field: "name"}}), clientID))
	clients.checkSorts(t, s, tn.ID(), clientele.ClientQuery{}, vs, clients.sorts(
		[]clientele.SortKey{{Field: "name"}, {Field: "created_at", Desc: true}},
		[]clientele.SortKey{{Field: "updated_at", Desc: true}, {Field: "external_id"}},
		[]clientele.SortKey{{Field: "created_at"}, {Field: "updated_at"}, {Field: "name", Desc: true}},
		[]clientele.SortKey{{Field: "name"}, {Field: "id", Desc: true}},
		[]clientele.SortKey{{Field: "updated_at"}, {Field: "id", Desc: true}, {Field: "name"}},
		[]clientele.SortKey{{Field: "id"}, {Field: "name", Desc: true}},
	))
}

// sortName names sort as the API's sort parameter does: "name,-created_at".
func sortName(sort []clientele.SortKey) string {
	var parts []string
	for _, k := range sort {
		if k.Desc {
			parts = append(parts, "-"+k.Field)
		} else {
			parts = append(parts, k.Field)
		}
	}
	return strings.Join(parts, ",")
}

// byOrder returns vs in the order of ids.
func byOrder[T any](vs []T, ids []int64, id func(T) int64) []T {
	out := make([]T, 0, len(ids))
	for _, want := range ids {
		for _, v := range vs {
			if id(v) == want {
				out = append(out, v)
			}
		}
	}
	return out
}

func testContactSorts(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	k1 := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	k2 := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	kb := newClient(t, s, clientele.Client{CompanyID: other.ID()})
	var vs []clientele.Contact
	for i, c := range []struct {
		first, last, email string
		created, updated   int
	}{
		{"Zoë", "Müller", "zoe@example.com", 1, 4},
		{"zoe", "muller", "ZOE@example.com", 2, 4},
		{"", "Adams", "", 1, 3},
		{"Bob", "", "b@example.com", 3, 3},
		{"bob", "adams", "", 2, 5},
		{"Ánne", "Zed", "_@example.com", 1, 5},
		{"Anne", "zed", "Anne@example.com", -500000, 2},
		{"_x", "y", "a@example.com", 3, 2},
		{"Ωlga", "Ωmega", "ω@example.com", 2, 4},
		{"a", "b c", "zoe@example.com", 1, 1},
		{"a b", "c", "", 1, 1},
	} {
		client := []clientele.Client{k1, k2}[i%2]
		vs = append(vs, newContact(t, s, clientele.Contact{CompanyID: tn.ID(), ClientID: client.ID, FirstName: c.first, LastName: c.last,
			Email: c.email, CreatedAt: at(c.created), UpdatedAt: at(c.updated)}))
		newContact(t, s, clientele.Contact{CompanyID: other.ID(), ClientID: kb.ID, FirstName: c.first, LastName: c.last,
			Email: c.email, CreatedAt: at(c.created), UpdatedAt: at(c.updated)})
	}
	checkItems(t, "Contacts sorted by email", contacts.get(t, s, tn.ID(), clientele.ContactQuery{Sort: []clientele.SortKey{{Field: "email"}}}),
		byOrder(vs, contacts.sorted(vs, []clientele.SortKey{{Field: "email"}}), contactID))
	contacts.checkSorts(t, s, tn.ID(), clientele.ContactQuery{}, vs, contacts.sorts(
		[]clientele.SortKey{{Field: "last_name"}, {Field: "first_name", Desc: true}},
		[]clientele.SortKey{{Field: "email", Desc: true}, {Field: "created_at", Desc: true}},
		[]clientele.SortKey{{Field: "name"}, {Field: "id", Desc: true}},
		[]clientele.SortKey{{Field: "updated_at"}, {Field: "created_at"}, {Field: "name"}},
	))
	// Of one client, as the client's contacts list.
	var ofK1 []clientele.Contact
	for _, c := range vs {
		if c.ClientID == k1.ID {
			ofK1 = append(ofK1, c)
		}
	}
	contacts.checkSorts(t, s, tn.ID(), clientele.ContactQuery{ClientID: k1.ID}, ofK1, contacts.sorts())
}

func testLocationSorts(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	k1 := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	k2 := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	kb := newClient(t, s, clientele.Client{CompanyID: other.ID()})
	var vs []clientele.Location
	for i, l := range []struct {
		name, city, country string
		created             int
	}{
		{"Werk", "Köln", "DE", 1},
		{"werk", "KOLN", "AT", 2},
		{"Büro", "", "DE", 1},
		{"buro", "Zürich", "CH", 3},
		{"HQ", "zurich", "CH", 1},
		{"_depot", "", "FR", -500000},
		{"Lager 2", "Ωmega", "GR", 2},
		{"Lager-2", "a b", "DE", 2},
		{"Lager10", "a-b", "AT", 3},
	} {
		client := []clientele.Client{k1, k2}[i%2]
		vs = append(vs, newLocation(t, s, clientele.Location{CompanyID: tn.ID(), ClientID: client.ID, Name: l.name,
			Address: clientele.Address{City: l.city, Country: l.country}, CreatedAt: at(l.created), UpdatedAt: at(l.created)}))
		newLocation(t, s, clientele.Location{CompanyID: other.ID(), ClientID: kb.ID, Name: l.name,
			Address: clientele.Address{City: l.city, Country: l.country}, CreatedAt: at(l.created), UpdatedAt: at(l.created)})
	}
	checkItems(t, "Locations sorted by city", locations.get(t, s, tn.ID(), clientele.LocationQuery{Sort: []clientele.SortKey{{Field: "city"}}}),
		byOrder(vs, locations.sorted(vs, []clientele.SortKey{{Field: "city"}}), locationID))
	locations.checkSorts(t, s, tn.ID(), clientele.LocationQuery{}, vs, locations.sorts(
		[]clientele.SortKey{{Field: "country"}, {Field: "city"}, {Field: "name", Desc: true}},
		[]clientele.SortKey{{Field: "city", Desc: true}, {Field: "created_at"}},
		[]clientele.SortKey{{Field: "created_at", Desc: true}, {Field: "id", Desc: true}},
	))
	var ofK2 []clientele.Location
	for _, l := range vs {
		if l.ClientID == k2.ID {
			ofK2 = append(ofK2, l)
		}
	}
	locations.checkSorts(t, s, tn.ID(), clientele.LocationQuery{ClientID: k2.ID}, ofK2, locations.sorts())
}

// churn is what testPagesWhileRowsChange needs to make and delete records.
type churn[T any] struct {
	// make stores a record of the company whose name (and, for locations,
	// city) is name, created at at(n).
	make   func(t *testing.T, s clientele.Store, companyID int64, name string, n int) T
	delete func(tx clientele.Tx, v T) error
}

// pagesWhileRowsChange pages through a list sorted by name, then by
// created_at descending, two records a page, while, after the first page, a
// record is added before the position and one after it, and the page's last
// record (the position itself), a record already seen and one not yet seen
// are deleted; after the second page another is added and one deleted. No
// record may come twice, every record that existed throughout must come,
// the records added after the position must come and the one added before
// it must not, and the records must come in the list's order.
func pagesWhileRowsChange[T, Q any](t *testing.T, s clientele.Store, l lister[T, Q], ch churn[T]) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	id := tn.ID()
	var q Q
	names := []string{"Delta", "alpha", "Écho", "charlie", "bravo", "echo", "Foxtrot", "golf", "Hotel", "india", "Alpha"}
	for _, sort := range [][]clientele.SortKey{{{Field: "name"}}, {{Field: "created_at", Desc: true}}} {
		t.Run("sort="+sortName(sort), func(t *testing.T) {
			var vs []T
			for i, name := range names {
				vs = append(vs, ch.make(t, s, id, name, i%4+10))
				ch.make(t, s, other.ID(), name, i%4+10)
			}
			byID := map[int64]T{}
			for _, v := range vs {
				byID[l.id(v)] = v
			}
			initial := l.sorted(vs, sort)
			deleted := map[int64]bool{}
			var before, afterPos []int64
			del := func(id int64) {
				mustWrite(t, s, func(tx clientele.Tx) error { return ch.delete(tx, byID[id]) })
				deleted[id] = true
			}
			got := l.pageThrough(t, s, id, l.with(q, nil, clientele.Page{}), sort, 2, func(page int, seen []T) {
				switch page {
				case 1:
					// By name: "aaa" sorts first, "zzz" last; by created_at
					// descending, at(99) comes first and at(0) last.
					b, a := ch.make(t, s, id, "aaa", 99), ch.make(t, s, id, "zzz", 0)
					before, afterPos = append(before, l.id(b)), append(afterPos, l.id(a))
					byID[l.id(b)], byID[l.id(a)] = b, a
					del(l.id(seen[len(seen)-1]))
					del(l.id(seen[0]))
					del(initial[len(initial)-2])
				case 2:
					c := ch.make(t, s, id, "zzzz", 1)
					afterPos = append(afterPos, l.id(c))
					byID[l.id(c)] = c
					del(initial[4])
				}
			})
			seen := map[int64]int{}
			for _, id := range got {
				seen[id]++
				if seen[id] == 2 {
					t.Errorf("%s sorted by %s while rows change: id %d came twice: %v", l.what, sortName(sort), id, got)
				}
			}
			for _, id := range initial {
				if !deleted[id] && seen[id] == 0 {
					t.Errorf("%s sorted by %s while rows change: id %d, there throughout, did not come: %v", l.what, sortName(sort), id, got)
				}
			}
			for _, id := range afterPos {
				if seen[id] == 0 {
					t.Errorf("%s sorted by %s while rows change: id %d, added after the position, did not come: %v", l.what, sortName(sort), id, got)
				}
			}
			for _, id := range before {
				if seen[id] > 0 {
					t.Errorf("%s sorted by %s while rows change: id %d, added before the position, came: %v", l.what, sortName(sort), id, got)
				}
			}
			var came []T
			for _, id := range got {
				came = append(came, byID[id])
			}
			if want := l.sorted(came, sort); !slices.Equal(got, want) {
				t.Errorf("%s sorted by %s while rows change: got ids %v, not in the list's order %v", l.what, sortName(sort), got, want)
			}
			for id := range byID {
				if !deleted[id] {
					del(id)
				}
			}
		})
	}
}

func testClientPagesWhileRowsChange(t *testing.T, s clientele.Store) {
	pagesWhileRowsChange(t, s, clients, churn[clientele.Client]{
		make: func(t *testing.T, s clientele.Store, companyID int64, name string, n int) clientele.Client {
			return newClient(t, s, clientele.Client{CompanyID: companyID, Name: name, CreatedAt: at(n), UpdatedAt: at(n)})
		},
		delete: func(tx clientele.Tx, c clientele.Client) error { return tx.DeleteClient(ctx, c.CompanyID, c.ID) },
	})
}

func testContactPagesWhileRowsChange(t *testing.T, s clientele.Store) {
	owners := map[int64]int64{}
	pagesWhileRowsChange(t, s, contacts, churn[clientele.Contact]{
		make: func(t *testing.T, s clientele.Store, companyID int64, name string, n int) clientele.Contact {
			if owners[companyID] == 0 {
				owners[companyID] = newClient(t, s, clientele.Client{CompanyID: companyID}).ID
			}
			return newContact(t, s, clientele.Contact{CompanyID: companyID, ClientID: owners[companyID], FirstName: name, LastName: name,
				CreatedAt: at(n), UpdatedAt: at(n)})
		},
		delete: func(tx clientele.Tx, c clientele.Contact) error { return tx.DeleteContact(ctx, c.CompanyID, c.ID) },
	})
}

func testLocationPagesWhileRowsChange(t *testing.T, s clientele.Store) {
	owners := map[int64]int64{}
	pagesWhileRowsChange(t, s, locations, churn[clientele.Location]{
		make: func(t *testing.T, s clientele.Store, companyID int64, name string, n int) clientele.Location {
			if owners[companyID] == 0 {
				owners[companyID] = newClient(t, s, clientele.Client{CompanyID: companyID}).ID
			}
			return newLocation(t, s, clientele.Location{CompanyID: companyID, ClientID: owners[companyID], Name: name,
				Address: clientele.Address{City: name, Country: "DE"}, CreatedAt: at(n), UpdatedAt: at(n)})
		},
		delete: func(tx clientele.Tx, l clientele.Location) error { return tx.DeleteLocation(ctx, l.CompanyID, l.ID) },
	})
}

// The keys that lists filter and sort by follow every update of their attributes.
func testKeysFollowUpdates(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	id := tn.ID()
	byName := []clientele.SortKey{{Field: "name"}}

	a := newClient(t, s, clientele.Client{CompanyID: id, Name: "Zebra", Email: "z@example.com"})
	b := newClient(t, s, clientele.Client{CompanyID: id, Name: "Mitte"})
	a.Name, a.Email, a.UpdatedAt = "Äpfel", "Apfel@Example.com", at(9)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateClient(ctx, a) })
	clients.filtered(t, s, id, "with the Name of before the update", clientele.ClientQuery{Name: "zebra"})
	clients.filtered(t, s, id, "with the Name of after the update", clientele.ClientQuery{Name: "apfel"}, a)
	clients.filtered(t, s, id, "with the Emails of before the update", clientele.ClientQuery{Emails: []string{"z@example.com"}})
	clients.filtered(t, s, id, "with the Emails of after the update", clientele.ClientQuery{Emails: []string{"apfel@example.com"}}, a)
	checkIDs(t, "Clients sorted by name after the update", clients.get(t, s, id, clientele.ClientQuery{Sort: byName}), clientID, a.ID, b.ID)
	a.Email, a.UpdatedAt = "", at(10)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateClient(ctx, a) })
	clients.filtered(t, s, id, "with the Emails of before clearing it", clientele.ClientQuery{Emails: []string{"apfel@example.com"}})

	c := newContact(t, s, clientele.Contact{CompanyID: id, ClientID: b.ID, FirstName: "Zoë", LastName: "Zed", Email: "zoe@example.com"})
	d := newContact(t, s, clientele.Contact{CompanyID: id, ClientID: b.ID, FirstName: "Max", LastName: "Mitte", Email: "max@example.com"})
	c.FirstName, c.LastName, c.Email, c.UpdatedAt = "Ánne", "Adams", "Anne@Example.com", at(9)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, c) })
	contacts.filtered(t, s, id, "with the Name of before the update", clientele.ContactQuery{Name: "zoe"})
	contacts.filtered(t, s, id, "with the full Name of after the update", clientele.ContactQuery{Name: "anne adams"}, c)
	contacts.filtered(t, s, id, "with the Emails of after the update", clientele.ContactQuery{Emails: []string{"anne@example.com"}}, c)
	for _, f := range []string{"first_name", "last_name", "name", "email"} {
		checkIDs(t, "Contacts sorted by "+f+" after the update",
			contacts.get(t, s, id, clientele.ContactQuery{Sort: []clientele.SortKey{{Field: f}}}), contactID, c.ID, d.ID)
	}

	l := newLocation(t, s, clientele.Location{CompanyID: id, ClientID: b.ID, Name: "Zentrale", Address: clientele.Address{City: "Zürich", Country: "CH"}})
	m := newLocation(t, s, clientele.Location{CompanyID: id, ClientID: b.ID, Name: "Mitte", Address: clientele.Address{City: "Mainz", Country: "DE"}})
	l.Name, l.City, l.Country, l.UpdatedAt = "Äußeres Lager", "Köln", "DE", at(9)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateLocation(ctx, l) })
	locations.filtered(t, s, id, "with the Cities of before the update", clientele.LocationQuery{Cities: []string{"zurich"}})
	locations.filtered(t, s, id, "with the Cities of after the update", clientele.LocationQuery{Cities: []string{"koln"}}, l)
	for _, f := range []string{"name", "city"} {
		checkIDs(t, "Locations sorted by "+f+" after the update",
			locations.get(t, s, id, clientele.LocationQuery{Sort: []clientele.SortKey{{Field: f}}}), locationID, l.ID, m.ID)
	}
	l.City, l.UpdatedAt = "", at(10)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateLocation(ctx, l) })
	locations.filtered(t, s, id, "with the Cities of before clearing it", clientele.LocationQuery{Cities: []string{"koln"}})
}

// A position that does not fit the sort (a timestamp value that is no
// number, too few or too many values) is an error, never a silent first page.
func testBadPosition(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	byCreated := []clientele.SortKey{{Field: "created_at"}}
	for _, tc := range []struct {
		what string
		sort []clientele.SortKey
		pos  clientele.Position
	}{
		{"a timestamp that is no number", byCreated, clientele.Position{Values: []string{"yesterday"}, ID: c.ID}},
		{"too few values", byCreated, clientele.Position{ID: c.ID}},
		{"too many values", byCreated, clientele.Position{Values: []string{"1", "2"}, ID: c.ID}},
	} {
		err := getErr(s, clientsOf(tn.ID(), clientele.ClientQuery{Sort: tc.sort, Page: clientele.Page{Limit: 10, After: tc.pos}}))
		if k := clientele.KindOf(err); err == nil || (k != clientele.Malformed && k != clientele.Invalid) {
			t.Errorf("Clients after a position with %s: got error %v, want a Malformed or Invalid error", tc.what, err)
		}
	}
	err := getErr(s, contactsOf(tn.ID(), clientele.ContactQuery{Sort: []clientele.SortKey{{Field: "updated_at", Desc: true}},
		Page: clientele.Page{Limit: 10, After: clientele.Position{Values: []string{"12.5"}, ID: 1}}}))
	if k := clientele.KindOf(err); err == nil || (k != clientele.Malformed && k != clientele.Invalid) {
		t.Errorf("Contacts after a position with a fractional timestamp: got error %v, want a Malformed or Invalid error", err)
	}
	err = getErr(s, locationsOf(tn.ID(), clientele.LocationQuery{Sort: []clientele.SortKey{{Field: "created_at"}},
		Page: clientele.Page{Limit: 10, After: clientele.Position{Values: []string{""}, ID: 1}}}))
	if k := clientele.KindOf(err); err == nil || (k != clientele.Malformed && k != clientele.Invalid) {
		t.Errorf("Locations after a position with an empty timestamp: got error %v, want a Malformed or Invalid error", err)
	}
}
