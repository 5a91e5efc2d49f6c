package storetest

import (
	"testing"

	"github.com/clientele/clientele"
)

var clientTests = []test{
	{"CreateSetsIncreasingIDs", testClientIDs},
	{"RoundTripEveryField", testClientRoundTrip},
	{"EmptyFieldsRoundTripEmpty", testClientEmpty},
	{"TypesKeepTheirOrder", testClientTypes},
	{"CreateIgnoresDerivedFields", testClientCreateDerived},
	{"MissingIsNotFound", testClientMissing},
	{"ExternalIDIsUniquePerCompany", testClientExternalID},
	{"EmptyExternalIDIsNotUnique", testClientEmptyExternalID},
	{"UpdateStoresEveryAttribute", testClientUpdate},
	{"UpdateToTakenExternalIDIsConflict", testClientUpdateConflict},
	{"UpdateIgnoresDerivedFields", testClientUpdateDerived},
	{"TouchSetsUpdatedAt", testClientTouch},
	{"LockClient", testClientLock},
	{"ListPagesByID", testClientList},
	{"ListFiltersByIDs", testClientListIDs},
	{"DeleteTakesLocationsAndContacts", testClientDelete},
}

// staff creates two members besides the tenant's admin, for a client's relationships.
func staff(t *testing.T, s clientele.Store, tn tenant) (a, b clientele.User) {
	t.Helper()
	return newUser(t, s, tn.ID(), "sales@"+tn.Company.Slug+".example", clientele.RoleMember),
		newUser(t, s, tn.ID(), "cases@"+tn.Company.Slug+".example", clientele.RoleMember)
}

func testClientIDs(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	a := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	b := newClient(t, s, clientele.Client{CompanyID: other.ID()})
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	d := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	checkIncreasingIDs(t, "CreateClient", a.ID, c.ID, d.ID)
	if b.ID <= 0 {
		t.Errorf("CreateClient in another company set ID %d, want a positive id", b.ID)
	}
}

func testClientRoundTrip(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	sales, cases := staff(t, s, tn)
	newClient(t, s, fullClient(tn.ID(), 1, sales.ID, cases.ID, tn.Admin.ID))
	want := fullClient(tn.ID(), 2, tn.Admin.ID, sales.ID, cases.ID)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateClient(ctx, &want) })
	if want.ID <= 0 {
		t.Fatalf("CreateClient set ID %d, want a positive id", want.ID)
	}
	checkEqual(t, "Client", get(t, s, clientOf(tn.ID(), want.ID)), want)
}

func testClientEmpty(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	want := clientele.Client{CompanyID: tn.ID(), Name: "Bare", Types: []string{clientele.TypeSupplier}, CreatedAt: at(1), UpdatedAt: at(2)}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateClient(ctx, &want) })
	checkEqual(t, "Client with empty attributes", get(t, s, clientOf(tn.ID(), want.ID)), want)
}

func testClientTypes(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	for _, types := range [][]string{
		{clientele.TypeProspect},
		{clientele.TypeCustomer, clientele.TypeProspect},
		{clientele.TypeSupplier, clientele.TypeProspect},
		{clientele.TypeCustomer, clientele.TypeSupplier, clientele.TypeProspect},
	} {
		c := newClient(t, s, clientele.Client{CompanyID: tn.ID(), Types: types})
		checkEqual(t, "Client types", get(t, s, clientOf(tn.ID(), c.ID)).Types, types)
	}
}

func testClientCreateDerived(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := clientele.Client{CompanyID: tn.ID(), Name: "Derived", Types: []string{clientele.TypeCustomer}, CreatedAt: at(1), UpdatedAt: at(1),
		Address: &clientele.Address{Street: "Nowhere", Country: "DE"}, MainContactID: 12345}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateClient(ctx, &c) })
	want := c
	want.Address, want.MainContactID = nil, 0
	checkEqual(t, "Client created with Address and MainContactID set", get(t, s, clientOf(tn.ID(), c.ID)), want)
	wantNotFound(t, getErr(s, primaryOf(tn.ID(), c.ID)), "PrimaryLocation of a client created with an Address")
	checkIDs(t, "Locations of a client created with an Address", get(t, s, locationsOf(tn.ID(), clientele.LocationQuery{Page: all})), locationID)
}

func testClientMissing(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	missing := c.ID + 1000
	wantNotFound(t, getErr(s, clientOf(tn.ID(), missing)), "Client of a missing id")
	ghost := c
	ghost.ID, ghost.Name = missing, "Ghost"
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.UpdateClient(ctx, ghost) }), "UpdateClient of a missing id")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.TouchClient(ctx, tn.ID(), missing, at(9)) }), "TouchClient of a missing id")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.DeleteClient(ctx, tn.ID(), missing) }), "DeleteClient of a missing id")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.LockClient(ctx, tn.ID(), missing) }), "LockClient of a missing id")
	checkIDs(t, "Clients after the failed calls", get(t, s, clientsOf(tn.ID(), clientele.ClientQuery{Page: all})), clientID, c.ID)
	checkEqual(t, "Client after the failed calls", get(t, s, clientOf(tn.ID(), c.ID)), c)
}

func testClientExternalID(t *testing.T, s clientele.Store) {
	a := newTenant(t, s, "a")
	b := newTenant(t, s, "b")
	first := newClient(t, s, clientele.Client{CompanyID: a.ID(), Name: "First", ExternalID: "CRM-1"})
	dup := clientele.Client{CompanyID: a.ID(), Name: "Dup", ExternalID: "CRM-1", Types: []string{clientele.TypeCustomer}, CreatedAt: at(1), UpdatedAt: at(1)}
	err := s.Write(ctx, func(tx clientele.Tx) error { return tx.CreateClient(ctx, &dup) })
	wantConflict(t, err, "external_id", "CreateClient with a taken external_id")
	checkIDs(t, "Clients after the conflict", get(t, s, clientsOf(a.ID(), clientele.ClientQuery{Page: all})), clientID, first.ID)

	other := newClient(t, s, clientele.Client{CompanyID: b.ID(), Name: "Other company", ExternalID: "CRM-1"})
	checkEqual(t, "Client with the same external_id in another company", get(t, s, clientOf(b.ID(), other.ID)), other)
	checkEqual(t, "the first client", get(t, s, clientOf(a.ID(), first.ID)), first)
}

func testClientEmptyExternalID(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	var ids []int64
	for range 3 {
		ids = append(ids, newClient(t, s, clientele.Client{CompanyID: tn.ID()}).ID)
	}
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID(), ExternalID: "CRM-1"})
	ids = append(ids, c.ID)
	c.ExternalID, c.UpdatedAt = "", at(9)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateClient(ctx, c) })
	checkEqual(t, "Client after clearing its external_id", get(t, s, clientOf(tn.ID(), c.ID)), c)
	checkIDs(t, "Clients without external_id", get(t, s, clientsOf(tn.ID(), clientele.ClientQuery{Page: all})), clientID, ids...)
}

func testClientUpdate(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	sales, cases := staff(t, s, tn)
	c := newClient(t, s, fullClient(tn.ID(), 1, tn.Admin.ID, sales.ID, cases.ID))
	other := newClient(t, s, fullClient(tn.ID(), 3, tn.Admin.ID, sales.ID, cases.ID))

	want := fullClient(tn.ID(), 2, cases.ID, tn.Admin.ID, sales.ID)
	want.ID, want.CreatedAt = c.ID, c.CreatedAt
	want.Types = []string{clientele.TypeSupplier}
	want.IBAN, want.DefaultRateType = "GB82WEST12345698765432", "day"
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateClient(ctx, want) })
	checkEqual(t, "Client after UpdateClient", get(t, s, clientOf(tn.ID(), c.ID)), want)

	bare := clientele.Client{ID: c.ID, CompanyID: tn.ID(), Name: "Bare", Types: []string{clientele.TypeProspect}, CreatedAt: c.CreatedAt, UpdatedAt: at(30)}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateClient(ctx, bare) })
	checkEqual(t, "Client after UpdateClient to empty attributes", get(t, s, clientOf(tn.ID(), c.ID)), bare)
	checkEqual(t, "another client after UpdateClient", get(t, s, clientOf(tn.ID(), other.ID)), other)
}

func testClientUpdateConflict(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	newClient(t, s, clientele.Client{CompanyID: tn.ID(), ExternalID: "CRM-1"})
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID(), ExternalID: "CRM-2"})
	changed := c
	changed.Name, changed.ExternalID, changed.UpdatedAt = "Changed", "CRM-1", at(9)
	err := s.Write(ctx, func(tx clientele.Tx) error { return tx.UpdateClient(ctx, changed) })
	wantConflict(t, err, "external_id", "UpdateClient to a taken external_id")
	checkEqual(t, "Client after the conflict", get(t, s, clientOf(tn.ID(), c.ID)), c)

	// Keeping one's own external_id is no conflict.
	c.Name, c.UpdatedAt = "Renamed", at(10)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateClient(ctx, c) })
	checkEqual(t, "Client after an update that keeps its external_id", get(t, s, clientOf(tn.ID(), c.ID)), c)
}

func testClientUpdateDerived(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	loc := newLocation(t, s, fullLocation(tn.ID(), c.ID, 1, true))
	con := newContact(t, s, fullContact(tn.ID(), c.ID, 1, true, false))
	c = get(t, s, clientOf(tn.ID(), c.ID))

	changed := c
	changed.Name, changed.UpdatedAt = "Renamed", at(9)
	changed.Address = &clientele.Address{Street: "Elsewhere", Country: "FR"}
	changed.MainContactID = con.ID + 1000
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateClient(ctx, changed) })
	want := changed
	want.Address, want.MainContactID = &loc.Address, con.ID
	checkEqual(t, "Client after UpdateClient with another Address and MainContactID", get(t, s, clientOf(tn.ID(), c.ID)), want)
	checkEqual(t, "primary location after UpdateClient", get(t, s, primaryOf(tn.ID(), c.ID)), loc)

	changed.Address, changed.MainContactID = nil, 0
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateClient(ctx, changed) })
	checkEqual(t, "Client after UpdateClient with a nil Address", get(t, s, clientOf(tn.ID(), c.ID)), want)
	checkEqual(t, "main contact after UpdateClient", get(t, s, contactOf(tn.ID(), con.ID)), con)
}

func testClientTouch(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, fullClient(tn.ID(), 1, tn.Admin.ID, 0, 0))
	other := newClient(t, s, fullClient(tn.ID(), 2, tn.Admin.ID, 0, 0))
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.TouchClient(ctx, tn.ID(), c.ID, at(50)) })
	c.UpdatedAt = at(50)
	checkEqual(t, "Client after TouchClient", get(t, s, clientOf(tn.ID(), c.ID)), c)
	checkEqual(t, "another client after TouchClient", get(t, s, clientOf(tn.ID(), other.ID)), other)
}

func testClientLock(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	mustWrite(t, s, func(tx clientele.Tx) error {
		if err := tx.LockClient(ctx, tn.ID(), c.ID); err != nil {
			t.Errorf("LockClient of an existing client: %v", err)
		}
		c.Name, c.UpdatedAt = "Changed under lock", at(9)
		return tx.UpdateClient(ctx, c)
	})
	checkEqual(t, "Client updated after LockClient", get(t, s, clientOf(tn.ID(), c.ID)), c)
}

func testClientList(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	var ids []int64
	var want []clientele.Client
	for i := range 5 {
		c := newClient(t, s, fullClient(tn.ID(), i, tn.Admin.ID, 0, 0))
		ids = append(ids, c.ID)
		want = append(want, c)
		newClient(t, s, fullClient(other.ID(), i, other.Admin.ID, 0, 0))
	}
	list := func(p clientele.Page) []clientele.Client {
		return get(t, s, clientsOf(tn.ID(), clientele.ClientQuery{Page: p}))
	}
	got := list(all)
	checkIDs(t, "Clients", got, clientID, ids...)
	if len(got) == len(want) {
		for i := range got {
			checkEqual(t, "Clients item", got[i], want[i])
		}
	}
	checkIDs(t, "Clients limit 2", list(clientele.Page{Limit: 2}), clientID, ids[:2]...)
	checkIDs(t, "Clients limit 2 after the second", list(clientele.Page{Limit: 2, After: clientele.Position{ID: ids[1]}}), clientID, ids[2:4]...)
	checkIDs(t, "Clients limit 2 after the fourth", list(clientele.Page{Limit: 2, After: clientele.Position{ID: ids[3]}}), clientID, ids[4])
	checkIDs(t, "Clients after the last", list(clientele.Page{Limit: 10, After: clientele.Position{ID: ids[4]}}), clientID)
}

func testClientListIDs(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	var ids []int64
	for range 5 {
		ids = append(ids, newClient(t, s, clientele.Client{CompanyID: tn.ID()}).ID)
	}
	foreign := newClient(t, s, clientele.Client{CompanyID: other.ID()})
	list := func(q clientele.ClientQuery) []clientele.Client { return get(t, s, clientsOf(tn.ID(), q)) }
	pick := []int64{ids[3], ids[0], ids[1], ids[4]}
	checkIDs(t, "Clients with IDs", list(clientele.ClientQuery{IDs: pick, Page: all}), clientID, ids[0], ids[1], ids[3], ids[4])
	checkIDs(t, "Clients with IDs limit 2", list(clientele.ClientQuery{IDs: pick, Page: clientele.Page{Limit: 2}}), clientID, ids[0], ids[1])
	checkIDs(t, "Clients with IDs after the first", list(clientele.ClientQuery{IDs: pick, Page: clientele.Page{Limit: 2, After: clientele.Position{ID: ids[0]}}}), clientID, ids[1], ids[3])
	checkIDs(t, "Clients with one ID", list(clientele.ClientQuery{IDs: []int64{ids[2]}, Page: all}), clientID, ids[2])
	checkIDs(t, "Clients with a missing ID", list(clientele.ClientQuery{IDs: []int64{ids[4] + 1000}, Page: all}), clientID)
	checkIDs(t, "Clients with another company's ID", list(clientele.ClientQuery{IDs: []int64{foreign.ID, ids[2]}, Page: all}), clientID, ids[2])
}

func testClientDelete(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID(), Name: "Doomed"})
	keep := newClient(t, s, clientele.Client{CompanyID: tn.ID(), Name: "Kept"})
	locs := []clientele.Location{
		newLocation(t, s, fullLocation(tn.ID(), c.ID, 1, true)),
		newLocation(t, s, fullLocation(tn.ID(), c.ID, 2, false)),
	}
	cons := []clientele.Contact{
		newContact(t, s, fullContact(tn.ID(), c.ID, 1, true, true)),
		newContact(t, s, fullContact(tn.ID(), c.ID, 2, false, false)),
	}
	keptLoc := newLocation(t, s, fullLocation(tn.ID(), keep.ID, 3, true))
	keptCon := newContact(t, s, fullContact(tn.ID(), keep.ID, 3, true, true))
	keep = get(t, s, clientOf(tn.ID(), keep.ID))

	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteClient(ctx, tn.ID(), c.ID) })
	wantNotFound(t, getErr(s, clientOf(tn.ID(), c.ID)), "Client after DeleteClient")
	wantNotFound(t, getErr(s, primaryOf(tn.ID(), c.ID)), "PrimaryLocation of a deleted client")
	for _, l := range locs {
		wantNotFound(t, getErr(s, locationOf(tn.ID(), l.ID)), "Location of a deleted client")
	}
	for _, con := range cons {
		wantNotFound(t, getErr(s, contactOf(tn.ID(), con.ID)), "Contact of a deleted client")
	}
	checkIDs(t, "Clients after DeleteClient", get(t, s, clientsOf(tn.ID(), clientele.ClientQuery{Page: all})), clientID, keep.ID)
	checkIDs(t, "Locations after DeleteClient", get(t, s, locationsOf(tn.ID(), clientele.LocationQuery{Page: all})), locationID, keptLoc.ID)
	checkIDs(t, "Contacts after DeleteClient", get(t, s, contactsOf(tn.ID(), clientele.ContactQuery{Page: all})), contactID, keptCon.ID)
	checkIDs(t, "Locations of the deleted client", get(t, s, locationsOf(tn.ID(), clientele.LocationQuery{ClientID: c.ID, Page: all})), locationID)
	checkIDs(t, "Contacts of the deleted client", get(t, s, contactsOf(tn.ID(), clientele.ContactQuery{ClientID: c.ID, Page: all})), contactID)
	checkEqual(t, "the other client", get(t, s, clientOf(tn.ID(), keep.ID)), keep)
	checkEqual(t, "the other client's location", get(t, s, locationOf(tn.ID(), keptLoc.ID)), keptLoc)
	checkEqual(t, "the other client's contact", get(t, s, contactOf(tn.ID(), keptCon.ID)), keptCon)
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.DeleteClient(ctx, tn.ID(), c.ID) }), "DeleteClient of a deleted client")
}
