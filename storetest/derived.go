package storetest

import (
	"testing"

	"github.com/clientele/clientele"
)

// derivedTests check the fields the store derives on reading a client:
// Address from its primary location, MainContactID from its main contact.
var derivedTests = []test{
	{"AddressIsThePrimaryLocations", testDerivedAddress},
	{"MainContactIDIsTheMainContacts", testDerivedMainContact},
	{"ClientsListFillsThem", testDerivedList},
}

// checkDerived reports unless the client has the derived address and main contact.
func checkDerived(t *testing.T, s clientele.Store, what string, c clientele.Client, addr *clientele.Address, main int64) {
	t.Helper()
	got := get(t, s, clientOf(c.CompanyID, c.ID))
	checkEqual(t, what+": Client.Address", got.Address, addr)
	if got.MainContactID != main {
		t.Errorf("%s: Client.MainContactID: got %d, want %d", what, got.MainContactID, main)
	}
}

func testDerivedAddress(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	other := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	checkDerived(t, s, "without locations", c, nil, 0)

	second := newLocation(t, s, fullLocation(tn.ID(), c.ID, 1, false))
	checkDerived(t, s, "with a location that is not primary", c, nil, 0)

	otherLoc := newLocation(t, s, fullLocation(tn.ID(), other.ID, 2, true))
	checkDerived(t, s, "when another client has a primary location", c, nil, 0)
	checkDerived(t, s, "the other client", other, &otherLoc.Address, 0)

	primary := newLocation(t, s, fullLocation(tn.ID(), c.ID, 3, true))
	checkDerived(t, s, "with a primary location", c, &primary.Address, 0)

	primary.Address = clientele.Address{Street: "Neue Straße", City: "Wien", Country: "AT"}
	primary.UpdatedAt = at(80)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateLocation(ctx, primary) })
	checkDerived(t, s, "after the primary location's address changed", c, &primary.Address, 0)

	mustWrite(t, s, func(tx clientele.Tx) error { return tx.ClearPrimaryLocation(ctx, tn.ID(), c.ID, at(81)) })
	checkDerived(t, s, "after ClearPrimaryLocation", c, nil, 0)
	checkDerived(t, s, "the other client after ClearPrimaryLocation", other, &otherLoc.Address, 0)

	second.IsPrimary, second.UpdatedAt = true, at(82)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateLocation(ctx, second) })
	checkDerived(t, s, "after another location became primary", c, &second.Address, 0)

	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteLocation(ctx, tn.ID(), second.ID) })
	checkDerived(t, s, "after the primary location was deleted", c, nil, 0)
}

func testDerivedMainContact(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	other := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	checkDerived(t, s, "without contacts", c, nil, 0)

	second := newContact(t, s, fullContact(tn.ID(), c.ID, 1, false, false))
	checkDerived(t, s, "with a contact that is not main", c, nil, 0)

	otherCon := newContact(t, s, fullContact(tn.ID(), other.ID, 2, true, false))
	checkDerived(t, s, "when another client has a main contact", c, nil, 0)
	checkDerived(t, s, "the other client", other, nil, otherCon.ID)

	main := newContact(t, s, fullContact(tn.ID(), c.ID, 3, true, false))
	checkDerived(t, s, "with a main contact", c, nil, main.ID)

	mustWrite(t, s, func(tx clientele.Tx) error { return tx.ClearMainContact(ctx, tn.ID(), c.ID, at(81)) })
	checkDerived(t, s, "after ClearMainContact", c, nil, 0)
	checkDerived(t, s, "the other client after ClearMainContact", other, nil, otherCon.ID)

	second.IsMain, second.UpdatedAt = true, at(82)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, second) })
	checkDerived(t, s, "after another contact became main", c, nil, second.ID)

	// A main contact that moves takes its mainness along.
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.ClearMainContact(ctx, tn.ID(), other.ID, at(83)) })
	second.ClientID, second.UpdatedAt = other.ID, at(83)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, second) })
	checkDerived(t, s, "after its main contact moved away", c, nil, 0)
	checkDerived(t, s, "the client the main contact moved to", other, nil, second.ID)

	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteContact(ctx, tn.ID(), second.ID) })
	checkDerived(t, s, "after the main contact was deleted", other, nil, 0)
}

func testDerivedList(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	full := newClient(t, s, fullClient(tn.ID(), 1, tn.Admin.ID, 0, 0))
	half := newClient(t, s, fullClient(tn.ID(), 2, tn.Admin.ID, 0, 0))
	bare := newClient(t, s, clientele.Client{CompanyID: tn.ID()})

	newLocation(t, s, fullLocation(tn.ID(), full.ID, 1, false))
	p := newLocation(t, s, fullLocation(tn.ID(), full.ID, 2, true))
	newContact(t, s, fullContact(tn.ID(), full.ID, 1, false, false))
	m := newContact(t, s, fullContact(tn.ID(), full.ID, 2, true, false))
	newLocation(t, s, fullLocation(tn.ID(), half.ID, 3, false))
	newContact(t, s, fullContact(tn.ID(), half.ID, 3, false, false))

	full.Address, full.MainContactID = &p.Address, m.ID
	want := []clientele.Client{full, half, bare}
	for _, q := range []clientele.ClientQuery{{Page: all}, {IDs: []int64{full.ID, half.ID, bare.ID}, Page: all}} {
		got := get(t, s, clientsOf(tn.ID(), q))
		checkIDs(t, "Clients", got, clientID, full.ID, half.ID, bare.ID)
		if len(got) != len(want) {
			continue
		}
		for i := range want {
			checkEqual(t, "Clients item "+want[i].Name, got[i], want[i])
		}
	}
	checkEqual(t, "Client "+full.Name, get(t, s, clientOf(tn.ID(), full.ID)), full)
}
