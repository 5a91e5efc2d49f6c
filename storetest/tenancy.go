package storetest

import (
	"testing"

	"github.com/clientele/clientele"
)

// tenancyTests check that a company-scoped method called with company B's id
// never sees, changes or counts a record of company A.
var tenancyTests = []test{
	{"Users", testTenancyUsers},
	{"Tokens", testTenancyTokens},
	{"Clients", testTenancyClients},
	{"Locations", testTenancyLocations},
	{"Contacts", testTenancyContacts},
}

// world is two companies with one record of every kind each.
type world struct {
	a, b tenant
	// Company A's records; the client names the member in every relationship
	// and has a primary location and a main contact with portal access.
	member   clientele.User
	token    clientele.Token
	client   clientele.Client
	location clientele.Location
	contact  clientele.Contact
	// Company B's records.
	bToken    clientele.Token
	bClient   clientele.Client
	bLocation clientele.Location
	bContact  clientele.Contact
}

func newWorld(t *testing.T, s clientele.Store) world {
	t.Helper()
	var w world
	w.a = newTenant(t, s, "a")
	w.b = newTenant(t, s, "b")
	w.member = newUser(t, s, w.a.ID(), "member@a.example", clientele.RoleMember)
	w.token = newToken(t, s, w.a.ID(), w.member.ID)
	w.bToken = newToken(t, s, w.b.ID(), w.b.Admin.ID)
	w.client = newClient(t, s, fullClient(w.a.ID(), 1, w.member.ID, w.member.ID, w.member.ID))
	w.bClient = newClient(t, s, fullClient(w.b.ID(), 2, w.b.Admin.ID, 0, 0))
	w.location = newLocation(t, s, fullLocation(w.a.ID(), w.client.ID, 1, true))
	w.bLocation = newLocation(t, s, fullLocation(w.b.ID(), w.bClient.ID, 2, true))
	w.contact = newContact(t, s, fullContact(w.a.ID(), w.client.ID, 1, true, true))
	w.bContact = newContact(t, s, fullContact(w.b.ID(), w.bClient.ID, 2, true, true))
	w.client = get(t, s, clientOf(w.a.ID(), w.client.ID))
	w.bClient = get(t, s, clientOf(w.b.ID(), w.bClient.ID))
	return w
}

// unchanged reports unless company A's records are as newWorld made them.
func (w world) unchanged(t *testing.T, s clientele.Store, after string) {
	t.Helper()
	a := w.a.ID()
	checkEqual(t, "company A's member after "+after, get(t, s, userOf(a, w.member.ID)), w.member)
	checkEqual(t, "company A's token after "+after, get(t, s, tokenOf(a, w.token.ID)), w.token)
	checkEqual(t, "company A's token by hash after "+after, get(t, s, tokenByHash(w.token.Hash)), w.token)
	checkEqual(t, "company A's client after "+after, get(t, s, clientOf(a, w.client.ID)), w.client)
	checkEqual(t, "company A's location after "+after, get(t, s, locationOf(a, w.location.ID)), w.location)
	checkEqual(t, "company A's contact after "+after, get(t, s, contactOf(a, w.contact.ID)), w.contact)
}

func writeErr(s clientele.Store, fn func(tx clientele.Tx) error) error { return s.Write(ctx, fn) }

func testTenancyUsers(t *testing.T, s clientele.Store) {
	w := newWorld(t, s)
	b := w.b.ID()
	newUser(t, s, w.a.ID(), "second-admin@a.example", clientele.RoleAdmin)

	wantNotFound(t, getErr(s, userOf(b, w.member.ID)), "User of company A asked for by company B")
	wantNotFound(t, getErr(s, userOf(b, w.a.Admin.ID)), "admin of company A asked for by company B")
	wantNotFound(t, getErr(s, userByEmail(b, w.member.Email)), "UserByEmail of company A's user asked for by company B")
	checkIDs(t, "Users of company B", get(t, s, usersOf(b, clientele.UserQuery{Page: all})), userID, w.b.Admin.ID)
	checkIDs(t, "Users of company B after company A's member", get(t, s, usersOf(b, clientele.UserQuery{Page: clientele.Page{Limit: 10, After: clientele.Position{ID: w.member.ID - 1}}})), userID)
	checkIDs(t, "Users of company B with company A's users' ids", get(t, s, usersOf(b, clientele.UserQuery{IDs: []int64{w.member.ID, w.a.Admin.ID}})), userID)
	checkIDs(t, "Users of company B without limit", get(t, s, usersOf(b, clientele.UserQuery{})), userID, w.b.Admin.ID)
	if got := get(t, s, countAdmins(b)); got != 1 {
		t.Errorf("CountAdmins of company B, which has 1 admin while company A has 2: got %d", got)
	}
	if got := get(t, s, countAdmins(w.a.ID())); got != 2 {
		t.Errorf("CountAdmins of company A: got %d, want 2", got)
	}

	changed := w.member
	changed.CompanyID, changed.FullName, changed.Email, changed.Role, changed.UpdatedAt = b, "Hijacked", "hijacked@b.example", clientele.RoleAdmin, at(90)
	wantNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.UpdateUser(ctx, changed) }), "UpdateUser of company A's user by company B")
	wantNotFound(t, getErr(s, userByEmail(b, "hijacked@b.example")), "UserByEmail after UpdateUser of company A's user by company B")
	wantNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.DeleteUser(ctx, b, w.member.ID, at(9)) }), "DeleteUser of company A's user by company B")
	w.unchanged(t, s, "company B's UpdateUser and DeleteUser")
}

func testTenancyTokens(t *testing.T, s clientele.Store) {
	w := newWorld(t, s)
	b := w.b.ID()
	wantNotFound(t, getErr(s, tokenOf(b, w.token.ID)), "Token of company A asked for by company B")
	checkIDs(t, "Tokens of company B", get(t, s, tokensOf(b, clientele.TokenQuery{Page: all})), tokenID, w.bToken.ID)
	checkIDs(t, "Tokens of company B for company A's user", get(t, s, tokensOf(b, clientele.TokenQuery{UserID: w.member.ID, Page: all})), tokenID)
	checkIDs(t, "Tokens of company A", get(t, s, tokensOf(w.a.ID(), clientele.TokenQuery{Page: all})), tokenID, w.token.ID)
	wantNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.TouchToken(ctx, b, w.token.ID, at(90)) }), "TouchToken of company A's token by company B")
	wantNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.DeleteToken(ctx, b, w.token.ID) }), "DeleteToken of company A's token by company B")
	w.unchanged(t, s, "company B's TouchToken and DeleteToken")
}

func testTenancyClients(t *testing.T, s clientele.Store) {
	w := newWorld(t, s)
	b := w.b.ID()
	wantNotFound(t, getErr(s, clientOf(b, w.client.ID)), "Client of company A asked for by company B")
	checkIDs(t, "Clients of company B", get(t, s, clientsOf(b, clientele.ClientQuery{Page: all})), clientID, w.bClient.ID)
	checkIDs(t, "Clients of company B with company A's client's id", get(t, s, clientsOf(b, clientele.ClientQuery{IDs: []int64{w.client.ID}, Page: all})), clientID)
	checkIDs(t, "Clients of company B with company A's client's id, without limit", get(t, s, clientsOf(b, clientele.ClientQuery{IDs: []int64{w.client.ID, w.bClient.ID}})), clientID, w.bClient.ID)

	changed := w.bClient
	changed.ID, changed.Name, changed.UpdatedAt = w.client.ID, "Hijacked", at(90)
	wantNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.UpdateClient(ctx, changed) }), "UpdateClient of company A's client by company B")
	wantNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.TouchClient(ctx, b, w.client.ID, at(90)) }), "TouchClient of company A's client by company B")
	wantNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.LockClient(ctx, b, w.client.ID) }), "LockClient of company A's client by company B")
	wantNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.DeleteClient(ctx, b, w.client.ID) }), "DeleteClient of company A's client by company B")
	w.unchanged(t, s, "company B's UpdateClient, TouchClient, LockClient and DeleteClient")
}

func testTenancyLocations(t *testing.T, s clientele.Store) {
	w := newWorld(t, s)
	b := w.b.ID()
	wantNotFound(t, getErr(s, locationOf(b, w.location.ID)), "Location of company A asked for by company B")
	wantNotFound(t, getErr(s, primaryOf(b, w.client.ID)), "PrimaryLocation of company A's client asked for by company B")
	checkIDs(t, "Locations of company B", get(t, s, locationsOf(b, clientele.LocationQuery{Page: all})), locationID, w.bLocation.ID)
	checkIDs(t, "Locations of company B for company A's client", get(t, s, locationsOf(b, clientele.LocationQuery{ClientID: w.client.ID, Page: all})), locationID)
	checkIDs(t, "Locations of company B with company A's location's id", get(t, s, locationsOf(b, clientele.LocationQuery{IDs: []int64{w.location.ID}, Page: all})), locationID)
	checkIDs(t, "Locations of company B for company A's client among ClientIDs", get(t, s, locationsOf(b, clientele.LocationQuery{ClientIDs: []int64{w.client.ID, w.bClient.ID}})), locationID, w.bLocation.ID)
	checkIDs(t, "Locations of company B without limit", get(t, s, locationsOf(b, clientele.LocationQuery{})), locationID, w.bLocation.ID)

	changed := w.location
	changed.CompanyID, changed.Name, changed.UpdatedAt = b, "Hijacked", at(90)
	wantNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.UpdateLocation(ctx, changed) }), "UpdateLocation of company A's location by company B")
	changed.ClientID = w.bClient.ID
	wantNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.UpdateLocation(ctx, changed) }), "UpdateLocation of company A's location by company B, naming company B's client")
	wantNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.DeleteLocation(ctx, b, w.location.ID) }), "DeleteLocation of company A's location by company B")
	wantNilOrNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.ClearPrimaryLocation(ctx, b, w.client.ID, at(90)) }), "ClearPrimaryLocation of company A's client by company B")
	w.unchanged(t, s, "company B's UpdateLocation, DeleteLocation and ClearPrimaryLocation")
}

func testTenancyContacts(t *testing.T, s clientele.Store) {
	w := newWorld(t, s)
	b := w.b.ID()
	wantNotFound(t, getErr(s, contactOf(b, w.contact.ID)), "Contact of company A asked for by company B")
	checkIDs(t, "Contacts of company B", get(t, s, contactsOf(b, clientele.ContactQuery{Page: all})), contactID, w.bContact.ID)
	checkIDs(t, "Contacts of company B for company A's client", get(t, s, contactsOf(b, clientele.ContactQuery{ClientID: w.client.ID, Page: all})), contactID)
	checkIDs(t, "Contacts of company B with company A's contact's id", get(t, s, contactsOf(b, clientele.ContactQuery{IDs: []int64{w.contact.ID}, Page: all})), contactID)
	checkIDs(t, "Contacts of company B for company A's client among ClientIDs", get(t, s, contactsOf(b, clientele.ContactQuery{ClientIDs: []int64{w.client.ID, w.bClient.ID}})), contactID, w.bContact.ID)
	checkIDs(t, "Contacts of company B without limit", get(t, s, contactsOf(b, clientele.ContactQuery{})), contactID, w.bContact.ID)

	changed := w.contact
	changed.CompanyID, changed.FirstName, changed.Email, changed.UpdatedAt = b, "Hijacked", "hijacked@b.example", at(90)
	wantNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, changed) }), "UpdateContact of company A's contact by company B")
	changed.ClientID = w.bClient.ID
	wantNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.UpdateContact(ctx, changed) }), "UpdateContact of company A's contact by company B, moving it to company B's client")
	wantNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.DeleteContact(ctx, b, w.contact.ID) }), "DeleteContact of company A's contact by company B")
	wantNilOrNotFound(t, writeErr(s, func(tx clientele.Tx) error { return tx.ClearMainContact(ctx, b, w.client.ID, at(90)) }), "ClearMainContact of company A's client by company B")
	checkIDs(t, "Contacts of company B after the attempts", get(t, s, contactsOf(b, clientele.ContactQuery{Page: all})), contactID, w.bContact.ID)
	w.unchanged(t, s, "company B's UpdateContact, DeleteContact and ClearMainContact")
}
