package storetest

import (
	"testing"

	"github.com/clientele/clientele"
)

// listPerfTests hold the engines to what they may keep outside the rows to
// list fast at scale (issue 4): a client's country and city filters follow
// its primary location through every write, the unfiltered counts stay
// exact through creates, deletes and cascades, and a page deep in a list
// (an offset) holds the rows of the whole sorted list at that place.
var listPerfTests = []test{
	{"CountryAndCityFollowThePrimaryLocation", testCountryFollowsPrimary},
	{"CountsStayExact", testCountsStayExact},
	{"OffsetPagesMatchTheWholeList", testOffsetPages},
}

func testCountryFollowsPrimary(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	id := tn.ID()
	byName := []clientele.SortKey{{Field: "name"}}
	country := func(c ...string) clientele.ClientQuery { return clientele.ClientQuery{Countries: c, Sort: byName} }
	city := func(c ...string) clientele.ClientQuery { return clientele.ClientQuery{Cities: c, Sort: byName} }

	a := newClient(t, s, clientele.Client{CompanyID: id, Name: "Zander"})
	b := newClient(t, s, clientele.Client{CompanyID: id, Name: "Amsel"})
	clients.filtered(t, s, id, "country DE before any location", country("DE"))

	la := newLocation(t, s, clientele.Location{CompanyID: id, ClientID: a.ID, IsPrimary: true,
		Address: clientele.Address{City: "Köln", Country: "DE"}})
	lb := newLocation(t, s, clientele.Location{CompanyID: id, ClientID: b.ID, IsPrimary: true,
		Address: clientele.Address{City: "Kraków", Country: "PL"}})
	extra := newLocation(t, s, clientele.Location{CompanyID: id, ClientID: b.ID, Name: "Lager",
		Address: clientele.Address{City: "Köln", Country: "DE"}})
	newLocation(t, s, clientele.Location{CompanyID: other.ID(), ClientID: newClient(t, s,
		clientele.Client{CompanyID: other.ID(), Name: "Other"}).ID, IsPrimary: true,
		Address: clientele.Address{City: "Köln", Country: "DE"}})
	clients.filtered(t, s, id, "country DE (a non-primary location does not count)", country("DE"), get(t, s, clientOf(id, a.ID)))
	clients.filtered(t, s, id, "city Köln", city("koln"), get(t, s, clientOf(id, a.ID)))
	clients.filtered(t, s, id, "country PL", country("PL"), get(t, s, clientOf(id, b.ID)))
	checkIDs(t, "country DE or PL sorted by name", clients.get(t, s, id, country("DE", "PL")), clientID, b.ID, a.ID)

	// The primary location moves to another country and city.
	la.City, la.Country, la.UpdatedAt = "Wien", "AT", at(9)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateLocation(ctx, la) })
	clients.filtered(t, s, id, "country DE after the update", country("DE"))
	clients.filtered(t, s, id, "city Köln after the update", city("koln"))
	clients.filtered(t, s, id, "country AT after the update", country("AT"), get(t, s, clientOf(id, a.ID)))
	clients.filtered(t, s, id, "city Wien after the update", city("wien"), get(t, s, clientOf(id, a.ID)))

	// Another location becomes primary.
	mustWrite(t, s, func(tx clientele.Tx) error {
		if err := tx.ClearPrimaryLocation(ctx, id, b.ID, at(10)); err != nil {
			return err
		}
		extra.IsPrimary, extra.UpdatedAt = true, at(10)
		return tx.UpdateLocation(ctx, extra)
	})
	clients.filtered(t, s, id, "country PL after the change of primary", country("PL"))
	clients.filtered(t, s, id, "country DE after the change of primary", country("DE"), get(t, s, clientOf(id, b.ID)))
	clients.filtered(t, s, id, "city Köln after the change of primary", city("koln"), get(t, s, clientOf(id, b.ID)))

	// No primary location at all.
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.ClearPrimaryLocation(ctx, id, b.ID, at(11)) })
	clients.filtered(t, s, id, "country DE without a primary location", country("DE"))
	if n := clients.getCount(t, s, id, country("DE")); n != 0 {
		t.Errorf("CountClients country DE without a primary location = %d, want 0", n)
	}

	// The primary location is deleted.
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteLocation(ctx, id, la.ID) })
	clients.filtered(t, s, id, "country AT after deleting the primary location", country("AT"))
	clients.filtered(t, s, id, "city Wien after deleting the primary location", city("wien"))
	_ = lb
}

func testCountsStayExact(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	id := tn.ID()
	check := func(what string, companyID int64, wantClients, wantLocations, wantContacts int) {
		t.Helper()
		if n := clients.getCount(t, s, companyID, clientele.ClientQuery{}); n != wantClients {
			t.Errorf("%s: CountClients = %d, want %d", what, n, wantClients)
		}
		if n := locations.getCount(t, s, companyID, clientele.LocationQuery{}); n != wantLocations {
			t.Errorf("%s: CountLocations = %d, want %d", what, n, wantLocations)
		}
		if n := contacts.getCount(t, s, companyID, clientele.ContactQuery{}); n != wantContacts {
			t.Errorf("%s: CountContacts = %d, want %d", what, n, wantContacts)
		}
	}
	check("a new company", id, 0, 0, 0)
	check("a company that does not exist", other.ID()+1000, 0, 0, 0)

	a := newClient(t, s, clientele.Client{CompanyID: id, Name: "A"})
	b := newClient(t, s, clientele.Client{CompanyID: id, Name: "B"})
	o := newClient(t, s, clientele.Client{CompanyID: other.ID(), Name: "O"})
	newLocation(t, s, clientele.Location{CompanyID: id, ClientID: a.ID, IsPrimary: true})
	la2 := newLocation(t, s, clientele.Location{CompanyID: id, ClientID: a.ID, Name: "Two"})
	newLocation(t, s, clientele.Location{CompanyID: id, ClientID: b.ID, IsPrimary: true})
	newLocation(t, s, clientele.Location{CompanyID: other.ID(), ClientID: o.ID, IsPrimary: true})
	ca := newContact(t, s, clientele.Contact{CompanyID: id, ClientID: a.ID, IsMain: true})
	newContact(t, s, clientele.Contact{CompanyID: id, ClientID: a.ID, FirstName: "Two"})
	newContact(t, s, clientele.Contact{CompanyID: id, ClientID: b.ID})
	check("after the creates", id, 2, 3, 3)
	check("the other company after the creates", other.ID(), 1, 1, 0)

	// A rolled-back write changes no count.
	failed := s.Write(ctx, func(tx clientele.Tx) error {
		c := clientele.Client{CompanyID: id, Name: "Gone", Types: []string{clientele.TypeCustomer}, CreatedAt: at(1), UpdatedAt: at(1)}
		if err := tx.CreateClient(ctx, &c); err != nil {
			return err
		}
		return clientele.Errorf(clientele.Conflict, "test", "", "roll back")
	})
	if failed == nil {
		t.Fatal("the Write that returns an error succeeded")
	}
	check("after a rolled-back create", id, 2, 3, 3)

	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteContact(ctx, id, ca.ID) })
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteLocation(ctx, id, la2.ID) })
	check("after deleting a contact and a location", id, 2, 2, 2)

	// Deleting a client takes its locations and contacts along.
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteClient(ctx, id, a.ID) })
	check("after deleting a client", id, 1, 1, 1)
	check("the other company at the end", other.ID(), 1, 1, 0)
}

func testOffsetPages(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	id := tn.ID()
	names := []string{"Delta", "alpha", "Echo", "Bravo", "charlie", "Alpha", "Foxtrot"}
	for i, n := range names {
		c := newClient(t, s, clientele.Client{CompanyID: id, Name: n})
		newLocation(t, s, clientele.Location{CompanyID: id, ClientID: c.ID, IsPrimary: true, Name: n,
			Address: clientele.Address{City: n, Country: "DE"}})
		for j := range 2 {
			newContact(t, s, clientele.Contact{CompanyID: id, ClientID: c.ID, FirstName: n, LastName: names[(i+j)%len(names)]})
		}
	}
	for _, sort := range [][]clientele.SortKey{nil, {{Field: "name"}}, {{Field: "name", Desc: true}}} {
		all := clients.ids(clients.get(t, s, id, clientele.ClientQuery{Sort: sort, Page: clientele.Page{Limit: 100}}))
		for offset := range len(all) + 1 {
			got := clients.get(t, s, id, clientele.ClientQuery{Sort: sort, Page: clientele.Page{Limit: 3, Offset: offset}})
			checkIDs(t, "Clients "+sortName(sort)+" at an offset", got, clientID, all[offset:min(len(all), offset+3)]...)
			for _, c := range got {
				if c.Address == nil || c.Address.City != c.Name {
					t.Errorf("Clients at offset %d: client %q has address %+v, want its primary location", offset, c.Name, c.Address)
				}
			}
		}
		all = contacts.ids(contacts.get(t, s, id, clientele.ContactQuery{Sort: sort, Page: clientele.Page{Limit: 100}}))
		for offset := range len(all) + 1 {
			got := contacts.get(t, s, id, clientele.ContactQuery{Sort: sort, Page: clientele.Page{Limit: 4, Offset: offset}})
			checkIDs(t, "Contacts "+sortName(sort)+" at an offset", got, contactID, all[offset:min(len(all), offset+4)]...)
		}
		all = locations.ids(locations.get(t, s, id, clientele.LocationQuery{Sort: sort, Page: clientele.Page{Limit: 100}}))
		for offset := range len(all) + 1 {
			got := locations.get(t, s, id, clientele.LocationQuery{Sort: sort, Page: clientele.Page{Limit: 2, Offset: offset}})
			checkIDs(t, "Locations "+sortName(sort)+" at an offset", got, locationID, all[offset:min(len(all), offset+2)]...)
		}
	}
}
