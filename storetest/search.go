package storetest

import (
	"slices"
	"testing"

	"github.com/clientele/clientele"
)

// searchTests check the search (q) of the client and contact lists: folding
// of case and accents, every word a prefix of some word (AND), phone numbers
// by their digits, e-mail addresses by their parts, characters that mean
// something to LIKE, FTS5 or tsquery taken literally, the combination with
// filters, tenancy, the count, the order by relevance and keyset paging
// through it, and the index kept in step with every write (the client's
// primary location's city included).
var searchTests = []test{
	{"ClientSearch", testClientSearch},
	{"ContactSearch", testContactSearch},
	{"SearchFollowsWrites", testSearchFollowsWrites},
	{"SearchEmailWords", testSearchEmailWords},
	{"SearchWordsAsGoMakesThem", testSearchWordsAsGoMakesThem},
}

// relevance is the order of a searched list without a sort.
func relevance(search string) []clientele.SortKey {
	return []clientele.SortKey{{Field: clientele.RelevanceSort, Search: search}}
}

// searched checks that search (with q's filters) lists want: in id order,
// by relevance (want's order), page by page through the relevance order
// (cursors and offsets), and counted.
func (l lister[T, Q]) searched(t *testing.T, s clientele.Store, companyID int64, search string, q Q, want []T) {
	t.Helper()
	byRank := l.ids(want)
	byID := slices.Sorted(slices.Values(byRank))
	what := "q=" + search
	if got := l.ids(l.get(t, s, companyID, l.with(q, nil, all))); !slices.Equal(got, byID) {
		t.Errorf("%s %s: got ids %v, want %v", l.what, what, got, byID)
	}
	if got := l.ids(l.get(t, s, companyID, l.with(q, relevance(search), all))); !slices.Equal(got, byRank) {
		t.Errorf("%s %s by relevance: got ids %v, want %v", l.what, what, got, byRank)
	}
	if got := l.sorted(want, relevance(search)); !slices.Equal(got, byRank) {
		t.Errorf("%s %s: the expected order %v is not the order of SearchRank then id %v", l.what, what, byRank, got)
	}
	if got := l.pageThrough(t, s, companyID, q, relevance(search), 1, nil); !slices.Equal(got, byRank) {
		t.Errorf("%s %s paged by relevance: got ids %v, want %v", l.what, what, got, byRank)
	}
	for offset := range len(byRank) { // number mode: pages of one
		page := clientele.Page{Limit: 1, Offset: offset}
		want := byRank[offset : offset+1]
		if got := l.ids(l.get(t, s, companyID, l.with(q, relevance(search), page))); !slices.Equal(got, want) {
			t.Errorf("%s %s by relevance, offset %d: got ids %v, want %v", l.what, what, offset, got, want)
		}
	}
	if n := l.getCount(t, s, companyID, q); n != len(want) {
		t.Errorf("Count%s %s: got %d, want %d", l.what, what, n, len(want))
	}
}

// listed returns a function that gives clients of the company back as the
// lists return them (with their primary locations), for the want of a search.
func listed(t *testing.T, s clientele.Store, companyID int64) func(...clientele.Client) []clientele.Client {
	cs := map[int64]clientele.Client{}
	for _, c := range clients.get(t, s, companyID, clientele.ClientQuery{Page: all}) {
		cs[c.ID] = c
	}
	return func(vs ...clientele.Client) []clientele.Client {
		out := make([]clientele.Client, len(vs))
		for i, v := range vs {
			out[i] = cs[v.ID]
		}
		return out
	}
}

func testClientSearch(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	id := tn.ID()
	c0 := newClient(t, s, clientele.Client{CompanyID: id, Name: "Müller GmbH", Email: "Anna.Mueller@Firma.de",
		Phone: "+1 555-1234", ExternalID: "EXT-42", TaxNumber: "DE-2024-55", Types: []string{clientele.TypeCustomer}})
	c1 := newClient(t, s, clientele.Client{CompanyID: id, Name: "Bäckerei Schmidt", Email: "info@schmidt.example",
		Mobile: "(030) 987 654", TaxName: "MULLER Holding", Types: []string{clientele.TypeSupplier}})
	c2 := newClient(t, s, clientele.Client{CompanyID: id,
		Name: `Zeta% _Omega\ "Quoted" star*x col:on amp&er pipe|d bang!g par(en it's`})
	c3 := newClient(t, s, clientele.Client{CompanyID: id, Name: "Alpha Mullerstrasse", RegistrationNumber: "HRB 1234"})
	c4 := newClient(t, s, clientele.Client{CompanyID: id, Name: "Muller Zwei", BillingEmail: "billing@zwei.example",
		Fax: "+49 221 99-88"})
	newLocation(t, s, clientele.Location{CompanyID: id, ClientID: c0.ID, IsPrimary: true,
		Address: clientele.Address{Country: "DE", City: "Köln"}})
	newLocation(t, s, clientele.Location{CompanyID: id, ClientID: c3.ID, IsPrimary: false,
		Address: clientele.Address{Country: "DE", City: "Köln"}})
	// Company B has clients that every search would find.
	b0 := newClient(t, s, clientele.Client{CompanyID: other.ID(), Name: "Müller GmbH Zeta% _Omega\\ Köln",
		Email: "anna.mueller@firma.de", Phone: "+1 555-1234"})
	newLocation(t, s, clientele.Location{CompanyID: other.ID(), ClientID: b0.ID, IsPrimary: true,
		Address: clientele.Address{Country: "DE", City: "Köln"}})

	of := listed(t, s, id)
	type Q = clientele.ClientQuery
	for _, tc := range []struct {
		search string
		q      Q
		want   []clientele.Client // by relevance
	}{
		{"muller", Q{}, of(c0, c4, c1, c3)}, // c0, c4: the name starts so; c1: a word is muller; c3: a prefix
		{"MÜLL", Q{}, of(c0, c4, c1, c3)},
		{"müller gmbh", Q{}, of(c0)},
		{"gmbh muller", Q{}, of(c0)},
		{"mul schm", Q{}, of(c1)},
		{"mul zzz", Q{}, nil},
		{"5551234", Q{}, of(c0)},
		{"555-1234", Q{}, of(c0)},
		{"+1 555", Q{}, of(c0)},
		{"1555", Q{}, of(c0)},
		{"(030) 98", Q{}, of(c1)},
		{"987654", Q{}, of(c1)},
		{"2219988", Q{}, of(c4)},
		{"1234", Q{}, of(c0, c3)}, // a group of c0's phone, c3's registration number
		{"anna.mueller@fi", Q{}, of(c0)},
		{"Anna.Mueller@Firma.de", Q{}, of(c0)},
		{"firma", Q{}, of(c0)},
		{"billing@zwei", Q{}, of(c4)},
		{"koln", Q{}, of(c0)}, // the primary location's city only
		{"ext-42", Q{}, of(c0)},
		{"2024-55", Q{}, of(c0)},
		{"hrb", Q{}, of(c3)},
		// What means something to LIKE, FTS5 or tsquery only separates words.
		{"zeta%", Q{}, of(c2)},
		{"_omega", Q{}, of(c2)},
		{`omega\`, Q{}, of(c2)},
		{`"quoted"`, Q{}, of(c2)},
		{`"quot`, Q{}, of(c2)},
		{"star*", Q{}, of(c2)},
		{"col:on", Q{}, of(c2)},
		{"amp&er", Q{}, of(c2)},
		{"pipe|d", Q{}, of(c2)},
		{"bang!", Q{}, of(c2)},
		{"!bang", Q{}, of(c2)},
		{"par(", Q{}, of(c2)},
		{"it's", Q{}, of(c2)},
		{"o'neil", Q{}, nil},
		{`"*:&|!('%_\`, Q{}, nil}, // no word at all: nothing
		{"%%", Q{}, nil},
		{"__", Q{}, nil},
		{"NEAR(a b)", Q{}, nil},
		{"a OR b", Q{}, nil},
		// Filters hold as well.
		{"muller", Q{Types: []string{clientele.TypeSupplier}}, of(c1)},
		{"muller", Q{IDs: []int64{c4.ID, c3.ID, b0.ID}}, of(c4, c3)},
		{"muller", Q{Cities: []string{"KÖLN"}}, of(c0)},
		{"muller", Q{Name: "zwei"}, of(c4)},
	} {
		q := tc.q
		q.Search = tc.search
		clients.searched(t, s, id, tc.search, q, tc.want)
	}

	// With a sort, the sort orders.
	byName := []clientele.SortKey{{Field: "name"}}
	q := Q{Search: "mull", Sort: byName, Page: all}
	checkIDs(t, "Clients q=mull sort=name", clients.get(t, s, id, q), clientID, c3.ID, c1.ID, c0.ID, c4.ID)
	got := clients.pageThrough(t, s, id, Q{Search: "mull"}, byName, 2, nil)
	if want := []int64{c3.ID, c1.ID, c0.ID, c4.ID}; !slices.Equal(got, want) {
		t.Errorf("Clients q=mull sort=name paged: got %v, want %v", got, want)
	}
	// Relevance after another key, and descending.
	for _, sort := range [][]clientele.SortKey{
		{{Field: "created_at"}, {Field: clientele.RelevanceSort, Search: "mull"}},
		{{Field: clientele.RelevanceSort, Search: "mull", Desc: true}},
	} {
		want := clients.sorted(of(c0, c1, c3, c4), sort)
		if got := clients.pageThrough(t, s, id, Q{Search: "mull"}, sort, 1, nil); !slices.Equal(got, want) {
			t.Errorf("Clients q=mull sort=%s paged: got %v, want %v", sortName(sort), got, want)
		}
	}

	// The other company finds its own.
	clients.searched(t, s, other.ID(), "muller koln", Q{Search: "muller koln"}, []clientele.Client{
		get(t, s, clientOf(other.ID(), b0.ID))})
}

func testContactSearch(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	id := tn.ID()
	cl := newClient(t, s, clientele.Client{CompanyID: id, Name: "Firma"})
	cl2 := newClient(t, s, clientele.Client{CompanyID: id, Name: "Zweite"})
	k0 := newContact(t, s, clientele.Contact{CompanyID: id, ClientID: cl.ID, FirstName: "Anna", LastName: "Müller",
		Email: "anna.mueller@firma.de", Position: "Geschäftsführerin", Phone: "+49 (0)221 555-0100", IsMain: true})
	k1 := newContact(t, s, clientele.Contact{CompanyID: id, ClientID: cl.ID, FirstName: "Jürgen", LastName: "Schmidt",
		Mobile: "0171 1234567", Fax: "0221 777"})
	k2 := newContact(t, s, clientele.Contact{CompanyID: id, ClientID: cl2.ID, FirstName: "Berta", LastName: "Anna-Lena",
		Email: "berta@anna.example"})
	k3 := newContact(t, s, clientele.Contact{CompanyID: id, ClientID: cl2.ID, LastName: "Annab", Position: "anna"})
	oc := newClient(t, s, clientele.Client{CompanyID: other.ID(), Name: "Firma"})
	newContact(t, s, clientele.Contact{CompanyID: other.ID(), ClientID: oc.ID, FirstName: "Anna", LastName: "Müller",
		Phone: "+49 (0)221 555-0100"})

	type Q = clientele.ContactQuery
	for _, tc := range []struct {
		search string
		q      Q
		want   []clientele.Contact
	}{
		{"anna", Q{}, []clientele.Contact{k0, k3, k2}}, // name starts so (k0; k3's name is "annab"), a word (k2), …
		{"ANNA müller", Q{}, []clientele.Contact{k0}},
		{"mueller", Q{}, []clientele.Contact{k0}},
		{"anna.mueller@firma.de", Q{}, []clientele.Contact{k0}},
		{"geschaftsf", Q{}, []clientele.Contact{k0}},
		{"jurg", Q{}, []clientele.Contact{k1}},
		{"01711234", Q{}, []clientele.Contact{k1}},
		{"1234567", Q{}, []clientele.Contact{k1}},
		{"0221", Q{}, []clientele.Contact{k1, k0}}, // a word of k1's fax, a prefix in k0's phone
		{"5550100", Q{}, []clientele.Contact{k0}},
		{"lena", Q{}, []clientele.Contact{k2}},
		{"ann'z", Q{}, nil},
		{"an*", Q{}, []clientele.Contact{k0, k3, k2}},
		{"anna", Q{ClientID: cl2.ID}, []clientele.Contact{k3, k2}},
		{"anna", Q{ClientIDs: []int64{cl.ID}}, []clientele.Contact{k0}},
		{"anna", Q{IsMain: ptr(false)}, []clientele.Contact{k3, k2}},
		{"anna", Q{Name: "lena"}, []clientele.Contact{k2}},
	} {
		q := tc.q
		q.Search = tc.search
		contacts.searched(t, s, id, tc.search, q, tc.want)
	}
}

func testSearchFollowsWrites(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	id := tn.ID()
	c := newClient(t, s, clientele.Client{CompanyID: id, Name: "Alpha", Email: "old@alpha.example"})
	l := newLocation(t, s, clientele.Location{CompanyID: id, ClientID: c.ID, IsPrimary: true,
		Address: clientele.Address{Country: "DE", City: "Köln"}})
	l2 := newLocation(t, s, clientele.Location{CompanyID: id, ClientID: c.ID,
		Address: clientele.Address{Country: "DE", City: "Bremen"}})
	k := newContact(t, s, clientele.Contact{CompanyID: id, ClientID: c.ID, FirstName: "Otto"})
	finds := func(what, search string, want bool) {
		t.Helper()
		n := clients.getCount(t, s, id, clientele.ClientQuery{Search: search})
		if (n == 1) != want {
			t.Errorf("after %s, q=%s finds %d clients, want found=%v", what, search, n, want)
		}
	}
	finds("creating", "koln", true)
	finds("creating", "bremen", false)

	c.Email = "new@beta.example"
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateClient(ctx, c) })
	finds("UpdateClient", "old", false)
	finds("UpdateClient", "beta", true)
	finds("UpdateClient", "koln", true) // the city stays, whatever c.Address says

	l.City = "Bonn"
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateLocation(ctx, l) })
	finds("UpdateLocation of the city", "koln", false)
	finds("UpdateLocation of the city", "bonn", true)

	mustWrite(t, s, func(tx clientele.Tx) error { return tx.ClearPrimaryLocation(ctx, id, c.ID, at(9)) })
	finds("ClearPrimaryLocation", "bonn", false)

	l2.IsPrimary = true
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateLocation(ctx, l2) })
	finds("UpdateLocation making it primary", "bremen", true)

	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteLocation(ctx, id, l2.ID) })
	finds("DeleteLocation of the primary", "bremen", false)

	l3 := newLocation(t, s, clientele.Location{CompanyID: id, ClientID: c.ID, IsPrimary: true,
		Address: clientele.Address{Country: "DE", City: "Essen"}})
	finds("CreateLocation of a primary", "essen", true)
	_ = l3

	k.FirstName = "Karl"
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, k) })
	if n := contacts.getCount(t, s, id, clientele.ContactQuery{Search: "otto"}); n != 0 {
		t.Errorf("after UpdateContact, q=otto finds %d contacts", n)
	}
	if n := contacts.getCount(t, s, id, clientele.ContactQuery{Search: "karl"}); n != 1 {
		t.Errorf("after UpdateContact, q=karl finds %d contacts, want 1", n)
	}

	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteClient(ctx, id, c.ID) })
	finds("DeleteClient", "beta", false)
	if n := contacts.getCount(t, s, id, clientele.ContactQuery{Search: "karl"}); n != 0 {
		t.Errorf("after DeleteClient, q=karl finds %d contacts", n)
	}
	// A new client with the old one's words is found alone.
	newClient(t, s, clientele.Client{CompanyID: id, Name: "Beta"})
	finds("a new client", "beta", true)
}
