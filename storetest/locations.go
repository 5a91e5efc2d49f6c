package storetest

import (
	"testing"

	"github.com/clientele/clientele"
)

var locationTests = []test{
	{"CreateSetsIncreasingIDs", testLocationIDs},
	{"RoundTripEveryField", testLocationRoundTrip},
	{"EmptyFieldsRoundTripEmpty", testLocationEmpty},
	{"MissingIsNotFound", testLocationMissing},
	{"PrimaryLocation", testPrimaryLocation},
	{"UpdateStoresEveryAttribute", testLocationUpdate},
	{"DeleteRemovesLocation", testLocationDelete},
	{"ClearPrimaryLocationAffectsOnlyThatClient", testClearPrimaryLocation},
	{"ClearPrimaryLocationWithoutPrimary", testClearPrimaryLocationNone},
	{"ListPagesByID", testLocationList},
	{"ListFiltersByClientAndIDs", testLocationListFilters},
}

func testLocationIDs(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	d := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	a := newLocation(t, s, clientele.Location{CompanyID: tn.ID(), ClientID: c.ID})
	b := newLocation(t, s, clientele.Location{CompanyID: tn.ID(), ClientID: d.ID})
	e := newLocation(t, s, clientele.Location{CompanyID: tn.ID(), ClientID: c.ID})
	checkIncreasingIDs(t, "CreateLocation", a.ID, b.ID, e.ID)
}

func testLocationRoundTrip(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	for i, primary := range []bool{true, false} {
		want := fullLocation(tn.ID(), c.ID, i+1, primary)
		mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateLocation(ctx, &want) })
		if want.ID <= 0 {
			t.Fatalf("CreateLocation set ID %d, want a positive id", want.ID)
		}
		checkEqual(t, "Location", get(t, s, locationOf(tn.ID(), want.ID)), want)
	}
}

func testLocationEmpty(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	want := clientele.Location{CompanyID: tn.ID(), ClientID: c.ID, Name: "Bare", Address: clientele.Address{Country: "NL"}, CreatedAt: at(1), UpdatedAt: at(2)}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateLocation(ctx, &want) })
	checkEqual(t, "Location with empty attributes", get(t, s, locationOf(tn.ID(), want.ID)), want)
}

func testLocationMissing(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	l := newLocation(t, s, fullLocation(tn.ID(), c.ID, 1, true))
	missing := l.ID + 1000
	wantNotFound(t, getErr(s, locationOf(tn.ID(), missing)), "Location of a missing id")
	ghost := l
	ghost.ID, ghost.Name = missing, "Ghost"
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.UpdateLocation(ctx, ghost) }), "UpdateLocation of a missing id")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.DeleteLocation(ctx, tn.ID(), missing) }), "DeleteLocation of a missing id")
	wantNotFound(t, getErr(s, primaryOf(tn.ID(), c.ID+1000)), "PrimaryLocation of a missing client")
	checkEqual(t, "Location after the failed calls", get(t, s, locationOf(tn.ID(), l.ID)), l)
}

func testPrimaryLocation(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	wantNotFound(t, getErr(s, primaryOf(tn.ID(), c.ID)), "PrimaryLocation of a client without locations")
	newLocation(t, s, fullLocation(tn.ID(), c.ID, 1, false))
	other := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	otherPrimary := newLocation(t, s, fullLocation(tn.ID(), other.ID, 2, true))
	wantNotFound(t, getErr(s, primaryOf(tn.ID(), c.ID)), "PrimaryLocation of a client whose only location is not primary")
	p := newLocation(t, s, fullLocation(tn.ID(), c.ID, 3, true))
	newLocation(t, s, fullLocation(tn.ID(), c.ID, 4, false))
	checkEqual(t, "PrimaryLocation", get(t, s, primaryOf(tn.ID(), c.ID)), p)
	checkEqual(t, "PrimaryLocation of another client", get(t, s, primaryOf(tn.ID(), other.ID)), otherPrimary)
}

func testLocationUpdate(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	l := newLocation(t, s, fullLocation(tn.ID(), c.ID, 1, false))
	other := newLocation(t, s, fullLocation(tn.ID(), c.ID, 3, false))

	want := fullLocation(tn.ID(), c.ID, 2, true)
	want.ID, want.CreatedAt = l.ID, l.CreatedAt
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateLocation(ctx, want) })
	checkEqual(t, "Location after UpdateLocation", get(t, s, locationOf(tn.ID(), l.ID)), want)

	bare := clientele.Location{ID: l.ID, CompanyID: tn.ID(), ClientID: c.ID, Name: "Bare", Address: clientele.Address{Country: "BE"}, CreatedAt: l.CreatedAt, UpdatedAt: at(90)}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateLocation(ctx, bare) })
	checkEqual(t, "Location after UpdateLocation to empty attributes", get(t, s, locationOf(tn.ID(), l.ID)), bare)
	checkEqual(t, "another location after UpdateLocation", get(t, s, locationOf(tn.ID(), other.ID)), other)
}

func testLocationDelete(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	l := newLocation(t, s, fullLocation(tn.ID(), c.ID, 1, true))
	keep := newLocation(t, s, fullLocation(tn.ID(), c.ID, 2, false))
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteLocation(ctx, tn.ID(), l.ID) })
	wantNotFound(t, getErr(s, locationOf(tn.ID(), l.ID)), "Location after DeleteLocation")
	wantNotFound(t, getErr(s, primaryOf(tn.ID(), c.ID)), "PrimaryLocation after its deletion")
	checkIDs(t, "Locations after DeleteLocation", get(t, s, locationsOf(tn.ID(), clientele.LocationQuery{Page: all})), locationID, keep.ID)
	checkEqual(t, "the other location", get(t, s, locationOf(tn.ID(), keep.ID)), keep)
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.DeleteLocation(ctx, tn.ID(), l.ID) }), "DeleteLocation of a deleted location")
}

func testClearPrimaryLocation(t *testing.T, s clientele.Store) {
	a := newTenant(t, s, "a")
	b := newTenant(t, s, "b")
	c := newClient(t, s, clientele.Client{CompanyID: a.ID()})
	other := newClient(t, s, clientele.Client{CompanyID: a.ID()})
	foreign := newClient(t, s, clientele.Client{CompanyID: b.ID()})
	notPrimary := newLocation(t, s, fullLocation(a.ID(), c.ID, 1, false))
	primary := newLocation(t, s, fullLocation(a.ID(), c.ID, 2, true))
	otherPrimary := newLocation(t, s, fullLocation(a.ID(), other.ID, 3, true))
	otherLoc := newLocation(t, s, fullLocation(a.ID(), other.ID, 4, false))
	foreignPrimary := newLocation(t, s, fullLocation(b.ID(), foreign.ID, 5, true))

	mustWrite(t, s, func(tx clientele.Tx) error { return tx.ClearPrimaryLocation(ctx, a.ID(), c.ID, at(90)) })
	wantNotFound(t, getErr(s, primaryOf(a.ID(), c.ID)), "PrimaryLocation after ClearPrimaryLocation")

	got := get(t, s, locationOf(a.ID(), primary.ID))
	if got.IsPrimary {
		t.Error("the primary location after ClearPrimaryLocation: IsPrimary is true")
	}
	if !got.UpdatedAt.Equal(at(90)) {
		t.Errorf("the primary location after ClearPrimaryLocation at %s: UpdatedAt %s", at(90), got.UpdatedAt)
	}
	want := primary
	want.IsPrimary, want.UpdatedAt = false, got.UpdatedAt
	checkEqual(t, "the primary location after ClearPrimaryLocation", got, want)

	got = get(t, s, locationOf(a.ID(), notPrimary.ID))
	want = notPrimary
	want.UpdatedAt = got.UpdatedAt
	checkEqual(t, "a location that was not primary after ClearPrimaryLocation", got, want)

	checkEqual(t, "another client's primary location", get(t, s, locationOf(a.ID(), otherPrimary.ID)), otherPrimary)
	checkEqual(t, "another client's location", get(t, s, locationOf(a.ID(), otherLoc.ID)), otherLoc)
	checkEqual(t, "another company's primary location", get(t, s, locationOf(b.ID(), foreignPrimary.ID)), foreignPrimary)
	checkEqual(t, "PrimaryLocation of another client", get(t, s, primaryOf(a.ID(), other.ID)), otherPrimary)
}

func testClearPrimaryLocationNone(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	if err := s.Write(ctx, func(tx clientele.Tx) error { return tx.ClearPrimaryLocation(ctx, tn.ID(), c.ID, at(9)) }); err != nil {
		t.Errorf("ClearPrimaryLocation of a client without locations: %v", err)
	}
	l := newLocation(t, s, fullLocation(tn.ID(), c.ID, 1, false))
	if err := s.Write(ctx, func(tx clientele.Tx) error { return tx.ClearPrimaryLocation(ctx, tn.ID(), c.ID, at(9)) }); err != nil {
		t.Errorf("ClearPrimaryLocation of a client without a primary location: %v", err)
	}
	got := get(t, s, locationOf(tn.ID(), l.ID))
	l.UpdatedAt = got.UpdatedAt
	checkEqual(t, "a location that was not primary after ClearPrimaryLocation", got, l)
}

func testLocationList(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	foreign := newClient(t, s, clientele.Client{CompanyID: other.ID()})
	var want []clientele.Location
	var ids []int64
	for i := range 5 {
		l := newLocation(t, s, fullLocation(tn.ID(), c.ID, i, i == 0))
		want = append(want, l)
		ids = append(ids, l.ID)
		newLocation(t, s, fullLocation(other.ID(), foreign.ID, i, i == 0))
	}
	list := func(p clientele.Page) []clientele.Location {
		return get(t, s, locationsOf(tn.ID(), clientele.LocationQuery{Page: p}))
	}
	got := list(all)
	checkIDs(t, "Locations", got, locationID, ids...)
	if len(got) == len(want) {
		for i := range got {
			checkEqual(t, "Locations item", got[i], want[i])
		}
	}
	checkIDs(t, "Locations limit 2", list(clientele.Page{Limit: 2}), locationID, ids[:2]...)
	checkIDs(t, "Locations limit 2 after the second", list(clientele.Page{Limit: 2, After: clientele.Position{ID: ids[1]}}), locationID, ids[2:4]...)
	checkIDs(t, "Locations limit 2 after the fourth", list(clientele.Page{Limit: 2, After: clientele.Position{ID: ids[3]}}), locationID, ids[4])
	checkIDs(t, "Locations after the last", list(clientele.Page{Limit: 10, After: clientele.Position{ID: ids[4]}}), locationID)
}

func testLocationListFilters(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	d := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	var cIDs, dIDs []int64
	for i := range 3 {
		cIDs = append(cIDs, newLocation(t, s, clientele.Location{CompanyID: tn.ID(), ClientID: c.ID, IsPrimary: i == 0}).ID)
		dIDs = append(dIDs, newLocation(t, s, clientele.Location{CompanyID: tn.ID(), ClientID: d.ID, IsPrimary: i == 0}).ID)
	}
	list := func(q clientele.LocationQuery) []clientele.Location { return get(t, s, locationsOf(tn.ID(), q)) }
	checkIDs(t, "Locations of a client", list(clientele.LocationQuery{ClientID: c.ID, Page: all}), locationID, cIDs...)
	checkIDs(t, "Locations of another client", list(clientele.LocationQuery{ClientID: d.ID, Page: all}), locationID, dIDs...)
	checkIDs(t, "Locations of a client limit 2", list(clientele.LocationQuery{ClientID: c.ID, Page: clientele.Page{Limit: 2}}), locationID, cIDs[:2]...)
	checkIDs(t, "Locations of a client after its first", list(clientele.LocationQuery{ClientID: c.ID, Page: clientele.Page{Limit: 10, After: clientele.Position{ID: cIDs[0]}}}), locationID, cIDs[1:]...)
	checkIDs(t, "Locations of a missing client", list(clientele.LocationQuery{ClientID: d.ID + 1000, Page: all}), locationID)
	pick := []int64{dIDs[2], cIDs[1], cIDs[0]}
	checkIDs(t, "Locations with IDs", list(clientele.LocationQuery{IDs: pick, Page: all}), locationID, cIDs[0], cIDs[1], dIDs[2])
	checkIDs(t, "Locations with IDs limit 1 after the first", list(clientele.LocationQuery{IDs: pick, Page: clientele.Page{Limit: 1, After: clientele.Position{ID: cIDs[0]}}}), locationID, cIDs[1])
	checkIDs(t, "Locations with IDs of a client", list(clientele.LocationQuery{ClientID: c.ID, IDs: pick, Page: all}), locationID, cIDs[0], cIDs[1])
	checkIDs(t, "Locations with IDs of none of the client's", list(clientele.LocationQuery{ClientID: d.ID, IDs: cIDs, Page: all}), locationID)
	checkIDs(t, "Locations with a missing ID", list(clientele.LocationQuery{IDs: []int64{dIDs[2] + 1000}, Page: all}), locationID)
}
