package storetest

import (
	"testing"

	"github.com/clientele/clientele"
)

var contactTests = []test{
	{"CreateSetsIncreasingIDs", testContactIDs},
	{"RoundTripEveryField", testContactRoundTrip},
	{"EmptyFieldsRoundTripEmpty", testContactEmpty},
	{"MissingIsNotFound", testContactMissing},
	{"PortalEmailIsUniquePerCompany", testContactPortalEmail},
	{"EmailWithoutPortalAccessIsNotUnique", testContactEmailNoPortal},
	{"UpdateStoresEveryAttribute", testContactUpdate},
	{"UpdateStoresClientAndPasswordHash", testContactMove},
	{"UpdateToTakenPortalEmailIsConflict", testContactUpdateConflict},
	{"PortalEmailIsFreedByRevokingAccessOrDeleting", testContactEmailFreed},
	{"DeleteRemovesContact", testContactDelete},
	{"ClearMainContactAffectsOnlyThatClient", testClearMainContact},
	{"ClearMainContactWithoutMain", testClearMainContactNone},
	{"ListPagesByID", testContactList},
	{"ListFiltersByClientAndIDs", testContactListFilters},
}

// portalContact returns a contact with portal access, an e-mail and a password hash.
func portalContact(companyID, clientID int64, email string) clientele.Contact {
	return clientele.Contact{CompanyID: companyID, ClientID: clientID, FirstName: "Portal", Email: email,
		PortalAccess: true, PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", CreatedAt: at(5), UpdatedAt: at(5)}
}

func createContactErr(s clientele.Store, c clientele.Contact) error {
	return s.Write(ctx, func(tx clientele.Tx) error { return tx.CreateContact(ctx, &c) })
}

func testContactIDs(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	d := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	a := newContact(t, s, clientele.Contact{CompanyID: tn.ID(), ClientID: c.ID})
	b := newContact(t, s, clientele.Contact{CompanyID: tn.ID(), ClientID: d.ID})
	e := newContact(t, s, clientele.Contact{CompanyID: tn.ID(), ClientID: c.ID})
	checkIncreasingIDs(t, "CreateContact", a.ID, b.ID, e.ID)
}

func testContactRoundTrip(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	for i, main := range []bool{true, false} {
		want := fullContact(tn.ID(), c.ID, i+1, main, main)
		mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateContact(ctx, &want) })
		if want.ID <= 0 {
			t.Fatalf("CreateContact set ID %d, want a positive id", want.ID)
		}
		checkEqual(t, "Contact", get(t, s, contactOf(tn.ID(), want.ID)), want)
	}
}

func testContactEmpty(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	for _, want := range []clientele.Contact{
		{CompanyID: tn.ID(), ClientID: c.ID, FirstName: "Only first", CreatedAt: at(1), UpdatedAt: at(2)},
		{CompanyID: tn.ID(), ClientID: c.ID, LastName: "Only last", CreatedAt: at(1), UpdatedAt: at(2)},
	} {
		mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateContact(ctx, &want) })
		checkEqual(t, "Contact with empty attributes", get(t, s, contactOf(tn.ID(), want.ID)), want)
	}
}

func testContactMissing(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	con := newContact(t, s, fullContact(tn.ID(), c.ID, 1, true, true))
	missing := con.ID + 1000
	wantNotFound(t, getErr(s, contactOf(tn.ID(), missing)), "Contact of a missing id")
	ghost := con
	ghost.ID, ghost.Email = missing, "ghost@client.example"
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, ghost) }), "UpdateContact of a missing id")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.DeleteContact(ctx, tn.ID(), missing) }), "DeleteContact of a missing id")
	checkEqual(t, "Contact after the failed calls", get(t, s, contactOf(tn.ID(), con.ID)), con)
}

func testContactPortalEmail(t *testing.T, s clientele.Store) {
	a := newTenant(t, s, "a")
	b := newTenant(t, s, "b")
	c1 := newClient(t, s, clientele.Client{CompanyID: a.ID()})
	c2 := newClient(t, s, clientele.Client{CompanyID: a.ID()})
	foreign := newClient(t, s, clientele.Client{CompanyID: b.ID()})
	first := newContact(t, s, portalContact(a.ID(), c1.ID, "Pat@Client.example"))

	wantConflict(t, createContactErr(s, portalContact(a.ID(), c1.ID, "Pat@Client.example")), "email",
		"CreateContact with portal access and the e-mail of a contact with portal access")
	wantConflict(t, createContactErr(s, portalContact(a.ID(), c2.ID, "pat@client.EXAMPLE")), "email",
		"CreateContact with portal access, for another client, and the e-mail of a contact with portal access in another case")
	checkIDs(t, "Contacts after the conflicts", get(t, s, contactsOf(a.ID(), clientele.ContactQuery{Page: all})), contactID, first.ID)

	noPortal := portalContact(a.ID(), c2.ID, "PAT@client.example")
	noPortal.PortalAccess, noPortal.PasswordHash = false, ""
	noPortal = newContact(t, s, noPortal)
	checkEqual(t, "Contact without portal access sharing the e-mail", get(t, s, contactOf(a.ID(), noPortal.ID)), noPortal)

	elsewhere := newContact(t, s, portalContact(b.ID(), foreign.ID, "pat@client.example"))
	checkEqual(t, "Contact with portal access and the same e-mail in another company", get(t, s, contactOf(b.ID(), elsewhere.ID)), elsewhere)
	checkEqual(t, "the first contact", get(t, s, contactOf(a.ID(), first.ID)), first)
}

func testContactEmailNoPortal(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	d := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	var ids []int64
	for _, in := range []struct {
		client int64
		email  string
		portal bool
	}{
		{c.ID, "sam@client.example", false},
		{c.ID, "sam@client.example", false},
		{d.ID, "SAM@Client.example", false},
		{d.ID, "Sam@client.example", true},
		{c.ID, "sam@CLIENT.example", false},
	} {
		con := portalContact(tn.ID(), in.client, in.email)
		con.PortalAccess = in.portal
		ids = append(ids, newContact(t, s, con).ID)
	}
	checkIDs(t, "Contacts sharing an e-mail, one with portal access", get(t, s, contactsOf(tn.ID(), clientele.ContactQuery{Page: all})), contactID, ids...)
}

func testContactUpdate(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	con := newContact(t, s, fullContact(tn.ID(), c.ID, 1, false, false))
	other := newContact(t, s, fullContact(tn.ID(), c.ID, 3, false, false))

	want := fullContact(tn.ID(), c.ID, 2, true, true)
	want.ID, want.CreatedAt = con.ID, con.CreatedAt
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, want) })
	checkEqual(t, "Contact after UpdateContact", get(t, s, contactOf(tn.ID(), con.ID)), want)

	bare := clientele.Contact{ID: con.ID, CompanyID: tn.ID(), ClientID: c.ID, LastName: "Bare", PasswordHash: want.PasswordHash, CreatedAt: con.CreatedAt, UpdatedAt: at(90)}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, bare) })
	checkEqual(t, "Contact after UpdateContact to empty attributes", get(t, s, contactOf(tn.ID(), con.ID)), bare)
	checkEqual(t, "another contact after UpdateContact", get(t, s, contactOf(tn.ID(), other.ID)), other)
}

func testContactMove(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	from := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	to := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	con := newContact(t, s, clientele.Contact{CompanyID: tn.ID(), ClientID: from.ID, FirstName: "Mover", Email: "mover@client.example"})

	con.ClientID, con.PasswordHash, con.PortalAccess, con.UpdatedAt = to.ID, "$argon2id$v=19$m=65536,t=3,p=4$bmV3$bmV3aGFzaA", true, at(9)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, con) })
	checkEqual(t, "Contact after moving it and setting a password hash", get(t, s, contactOf(tn.ID(), con.ID)), con)
	checkIDs(t, "Contacts of the client it left", get(t, s, contactsOf(tn.ID(), clientele.ContactQuery{ClientID: from.ID, Page: all})), contactID)
	checkIDs(t, "Contacts of the client it joined", get(t, s, contactsOf(tn.ID(), clientele.ContactQuery{ClientID: to.ID, Page: all})), contactID, con.ID)

	con.PasswordHash, con.UpdatedAt = "$argon2id$v=19$m=65536,t=3,p=4$YWdhaW4$YWdhaW5oYXNo", at(10)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, con) })
	checkEqual(t, "Contact after changing its password hash", get(t, s, contactOf(tn.ID(), con.ID)), con)
}

func testContactUpdateConflict(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	d := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	newContact(t, s, portalContact(tn.ID(), c.ID, "taken@client.example"))
	noPortal := portalContact(tn.ID(), d.ID, "Taken@Client.example")
	noPortal.PortalAccess = false
	noPortal = newContact(t, s, noPortal)
	portal := newContact(t, s, portalContact(tn.ID(), d.ID, "free@client.example"))

	changed := noPortal
	changed.PortalAccess, changed.UpdatedAt = true, at(9)
	err := s.Write(ctx, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, changed) })
	wantConflict(t, err, "email", "UpdateContact granting portal access to a contact whose e-mail a contact with portal access has")
	checkEqual(t, "Contact after the conflict", get(t, s, contactOf(tn.ID(), noPortal.ID)), noPortal)

	changed = portal
	changed.Email, changed.UpdatedAt = "TAKEN@client.example", at(9)
	err = s.Write(ctx, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, changed) })
	wantConflict(t, err, "email", "UpdateContact of a contact with portal access to a taken e-mail")
	checkEqual(t, "Contact after the conflict", get(t, s, contactOf(tn.ID(), portal.ID)), portal)

	// Changing only the case of one's own e-mail is no conflict.
	portal.Email, portal.UpdatedAt = "FREE@client.example", at(10)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, portal) })
	checkEqual(t, "Contact after changing the case of its e-mail", get(t, s, contactOf(tn.ID(), portal.ID)), portal)
}

func testContactEmailFreed(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	first := newContact(t, s, portalContact(tn.ID(), c.ID, "pat@client.example"))
	first.PortalAccess, first.UpdatedAt = false, at(9)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, first) })
	second := newContact(t, s, portalContact(tn.ID(), c.ID, "Pat@Client.example"))
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteContact(ctx, tn.ID(), second.ID) })
	third := newContact(t, s, portalContact(tn.ID(), c.ID, "PAT@client.example"))
	checkIDs(t, "Contacts", get(t, s, contactsOf(tn.ID(), clientele.ContactQuery{Page: all})), contactID, first.ID, third.ID)
}

func testContactDelete(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	con := newContact(t, s, fullContact(tn.ID(), c.ID, 1, true, true))
	keep := newContact(t, s, fullContact(tn.ID(), c.ID, 2, false, true))
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteContact(ctx, tn.ID(), con.ID) })
	wantNotFound(t, getErr(s, contactOf(tn.ID(), con.ID)), "Contact after DeleteContact")
	checkIDs(t, "Contacts after DeleteContact", get(t, s, contactsOf(tn.ID(), clientele.ContactQuery{Page: all})), contactID, keep.ID)
	checkEqual(t, "the other contact", get(t, s, contactOf(tn.ID(), keep.ID)), keep)
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.DeleteContact(ctx, tn.ID(), con.ID) }), "DeleteContact of a deleted contact")
}

func testClearMainContact(t *testing.T, s clientele.Store) {
	a := newTenant(t, s, "a")
	b := newTenant(t, s, "b")
	c := newClient(t, s, clientele.Client{CompanyID: a.ID()})
	other := newClient(t, s, clientele.Client{CompanyID: a.ID()})
	foreign := newClient(t, s, clientele.Client{CompanyID: b.ID()})
	notMain := newContact(t, s, fullContact(a.ID(), c.ID, 1, false, false))
	main := newContact(t, s, fullContact(a.ID(), c.ID, 2, true, true))
	otherMain := newContact(t, s, fullContact(a.ID(), other.ID, 3, true, false))
	otherCon := newContact(t, s, fullContact(a.ID(), other.ID, 4, false, false))
	foreignMain := newContact(t, s, fullContact(b.ID(), foreign.ID, 5, true, false))

	mustWrite(t, s, func(tx clientele.Tx) error { return tx.ClearMainContact(ctx, a.ID(), c.ID, at(90)) })

	got := get(t, s, contactOf(a.ID(), main.ID))
	if got.IsMain {
		t.Error("the main contact after ClearMainContact: IsMain is true")
	}
	if !got.UpdatedAt.Equal(at(90)) {
		t.Errorf("the main contact after ClearMainContact at %s: UpdatedAt %s", at(90), got.UpdatedAt)
	}
	want := main
	want.IsMain, want.UpdatedAt = false, got.UpdatedAt
	checkEqual(t, "the main contact after ClearMainContact", got, want)

	got = get(t, s, contactOf(a.ID(), notMain.ID))
	want = notMain
	want.UpdatedAt = got.UpdatedAt
	checkEqual(t, "a contact that was not main after ClearMainContact", got, want)

	checkEqual(t, "another client's main contact", get(t, s, contactOf(a.ID(), otherMain.ID)), otherMain)
	checkEqual(t, "another client's contact", get(t, s, contactOf(a.ID(), otherCon.ID)), otherCon)
	checkEqual(t, "another company's main contact", get(t, s, contactOf(b.ID(), foreignMain.ID)), foreignMain)
}

func testClearMainContactNone(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	if err := s.Write(ctx, func(tx clientele.Tx) error { return tx.ClearMainContact(ctx, tn.ID(), c.ID, at(9)) }); err != nil {
		t.Errorf("ClearMainContact of a client without contacts: %v", err)
	}
	con := newContact(t, s, fullContact(tn.ID(), c.ID, 1, false, false))
	if err := s.Write(ctx, func(tx clientele.Tx) error { return tx.ClearMainContact(ctx, tn.ID(), c.ID, at(9)) }); err != nil {
		t.Errorf("ClearMainContact of a client without a main contact: %v", err)
	}
	got := get(t, s, contactOf(tn.ID(), con.ID))
	con.UpdatedAt = got.UpdatedAt
	checkEqual(t, "a contact that was not main after ClearMainContact", got, con)
}

func testContactList(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	foreign := newClient(t, s, clientele.Client{CompanyID: other.ID()})
	var want []clientele.Contact
	var ids []int64
	for i := range 5 {
		con := newContact(t, s, fullContact(tn.ID(), c.ID, i, i == 0, true))
		want = append(want, con)
		ids = append(ids, con.ID)
		newContact(t, s, fullContact(other.ID(), foreign.ID, i, i == 0, true))
	}
	list := func(p clientele.Page) []clientele.Contact {
		return get(t, s, contactsOf(tn.ID(), clientele.ContactQuery{Page: p}))
	}
	got := list(all)
	checkIDs(t, "Contacts", got, contactID, ids...)
	if len(got) == len(want) {
		for i := range got {
			checkEqual(t, "Contacts item", got[i], want[i])
		}
	}
	checkIDs(t, "Contacts limit 2", list(clientele.Page{Limit: 2}), contactID, ids[:2]...)
	checkIDs(t, "Contacts limit 2 after the second", list(clientele.Page{Limit: 2, After: clientele.Position{ID: ids[1]}}), contactID, ids[2:4]...)
	checkIDs(t, "Contacts limit 2 after the fourth", list(clientele.Page{Limit: 2, After: clientele.Position{ID: ids[3]}}), contactID, ids[4])
	checkIDs(t, "Contacts after the last", list(clientele.Page{Limit: 10, After: clientele.Position{ID: ids[4]}}), contactID)
}

func testContactListFilters(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	d := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	var cIDs, dIDs []int64
	for i := range 3 {
		cIDs = append(cIDs, newContact(t, s, clientele.Contact{CompanyID: tn.ID(), ClientID: c.ID, IsMain: i == 0}).ID)
		dIDs = append(dIDs, newContact(t, s, clientele.Contact{CompanyID: tn.ID(), ClientID: d.ID, IsMain: i == 0}).ID)
	}
	list := func(q clientele.ContactQuery) []clientele.Contact { return get(t, s, contactsOf(tn.ID(), q)) }
	checkIDs(t, "Contacts of a client", list(clientele.ContactQuery{ClientID: c.ID, Page: all}), contactID, cIDs...)
	checkIDs(t, "Contacts of another client", list(clientele.ContactQuery{ClientID: d.ID, Page: all}), contactID, dIDs...)
	checkIDs(t, "Contacts of a client limit 2", list(clientele.ContactQuery{ClientID: c.ID, Page: clientele.Page{Limit: 2}}), contactID, cIDs[:2]...)
	checkIDs(t, "Contacts of a client after its first", list(clientele.ContactQuery{ClientID: c.ID, Page: clientele.Page{Limit: 10, After: clientele.Position{ID: cIDs[0]}}}), contactID, cIDs[1:]...)
	checkIDs(t, "Contacts of a missing client", list(clientele.ContactQuery{ClientID: d.ID + 1000, Page: all}), contactID)
	pick := []int64{dIDs[2], cIDs[1], cIDs[0]}
	checkIDs(t, "Contacts with IDs", list(clientele.ContactQuery{IDs: pick, Page: all}), contactID, cIDs[0], cIDs[1], dIDs[2])
	checkIDs(t, "Contacts with IDs limit 1 after the first", list(clientele.ContactQuery{IDs: pick, Page: clientele.Page{Limit: 1, After: clientele.Position{ID: cIDs[0]}}}), contactID, cIDs[1])
	checkIDs(t, "Contacts with IDs of a client", list(clientele.ContactQuery{ClientID: c.ID, IDs: pick, Page: all}), contactID, cIDs[0], cIDs[1])
	checkIDs(t, "Contacts with IDs of none of the client's", list(clientele.ContactQuery{ClientID: d.ID, IDs: cIDs, Page: all}), contactID)
	checkIDs(t, "Contacts with a missing ID", list(clientele.ContactQuery{IDs: []int64{dIDs[2] + 1000}, Page: all}), contactID)
}
