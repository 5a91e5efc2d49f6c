package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/clientele/clientele"
)

// relatedTests check the queries that load the records related to a page
// (the service's include): users by ids, contacts and locations by client
// ids, and Page.Limit 0, which means no limit.
var relatedTests = []test{
	{"UsersFilterByIDs", testUserListIDs},
	{"ContactsFilterByClientIDs", testContactListClientIDs},
	{"LocationsFilterByClientIDs", testLocationListClientIDs},
	{"LimitZeroListsEverything", testLimitZero},
}

func testUserListIDs(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	ids := []int64{tn.Admin.ID}
	for _, email := range []string{"b@acme.example", "c@acme.example", "d@acme.example"} {
		ids = append(ids, newUser(t, s, tn.ID(), email, clientele.RoleMember).ID)
	}
	list := func(q clientele.UserQuery) []clientele.User { return get(t, s, usersOf(tn.ID(), q)) }
	pick := []int64{ids[3], ids[1], ids[0]}
	got := list(clientele.UserQuery{IDs: pick, Page: all})
	checkIDs(t, "Users with IDs", got, userID, ids[0], ids[1], ids[3])
	if len(got) > 0 {
		checkEqual(t, "Users with IDs [0]", got[0], tn.Admin)
	}
	checkIDs(t, "Users with IDs limit 1 after the first", list(clientele.UserQuery{IDs: pick, Page: clientele.Page{Limit: 1, After: clientele.Position{ID: ids[0]}}}), userID, ids[1])
	checkIDs(t, "Users with IDs named twice", list(clientele.UserQuery{IDs: []int64{ids[2], ids[2]}, Page: all}), userID, ids[2])
	checkIDs(t, "Users with a missing ID", list(clientele.UserQuery{IDs: []int64{ids[3] + 1000}, Page: all}), userID)
	checkIDs(t, "Users with another company's ID", list(clientele.UserQuery{IDs: []int64{other.Admin.ID, ids[2]}, Page: all}), userID, ids[2])
	checkIDs(t, "Users with IDs, no limit", list(clientele.UserQuery{IDs: pick}), userID, ids[0], ids[1], ids[3])
}

// children creates, for each of n clients of the company, k contacts and k
// locations, and returns the clients' ids and, by client, the children's ids.
func children(t *testing.T, s clientele.Store, companyID int64, n, k int) (clients []int64, contacts, locations map[int64][]int64) {
	t.Helper()
	contacts, locations = map[int64][]int64{}, map[int64][]int64{}
	for range n {
		c := newClient(t, s, clientele.Client{CompanyID: companyID})
		clients = append(clients, c.ID)
		for i := range k {
			contacts[c.ID] = append(contacts[c.ID], newContact(t, s, clientele.Contact{CompanyID: companyID, ClientID: c.ID, IsMain: i == 0}).ID)
			locations[c.ID] = append(locations[c.ID], newLocation(t, s, clientele.Location{CompanyID: companyID, ClientID: c.ID, IsPrimary: i == 0}).ID)
		}
	}
	return clients, contacts, locations
}

// idsOf returns the ids of the clients', in id order (creation order is id order).
func idsOf(by map[int64][]int64, clients ...int64) []int64 {
	var ids []int64
	for _, c := range clients {
		ids = append(ids, by[c]...)
	}
	slices.Sort(ids)
	return ids
}

func testContactListClientIDs(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	cl, byClient, _ := children(t, s, tn.ID(), 3, 2)
	foreign, foreignBy, _ := children(t, s, other.ID(), 1, 2)
	list := func(q clientele.ContactQuery) []clientele.Contact { return get(t, s, contactsOf(tn.ID(), q)) }

	got := list(clientele.ContactQuery{ClientIDs: []int64{cl[2], cl[0]}, Page: all})
	checkIDs(t, "Contacts of two clients", got, contactID, idsOf(byClient, cl[0], cl[2])...)
	if len(got) > 0 {
		checkEqual(t, "Contacts of two clients [0]", got[0], get(t, s, contactOf(tn.ID(), got[0].ID)))
	}
	checkIDs(t, "Contacts of one client by ClientIDs", list(clientele.ContactQuery{ClientIDs: []int64{cl[1]}, Page: all}), contactID, byClient[cl[1]]...)
	checkIDs(t, "Contacts of two clients, no limit", list(clientele.ContactQuery{ClientIDs: []int64{cl[0], cl[2]}}), contactID, idsOf(byClient, cl[0], cl[2])...)
	checkIDs(t, "Contacts of two clients limit 1 after the first", list(clientele.ContactQuery{ClientIDs: []int64{cl[0], cl[2]},
		Page: clientele.Page{Limit: 1, After: clientele.Position{ID: byClient[cl[0]][0]}}}), contactID, byClient[cl[0]][1])
	checkIDs(t, "Contacts of two clients and one client", list(clientele.ContactQuery{ClientID: cl[2], ClientIDs: []int64{cl[0], cl[2]}, Page: all}), contactID, byClient[cl[2]]...)
	checkIDs(t, "Contacts of two clients with IDs", list(clientele.ContactQuery{ClientIDs: []int64{cl[0], cl[1]},
		IDs: []int64{byClient[cl[0]][1], byClient[cl[2]][0]}, Page: all}), contactID, byClient[cl[0]][1])
	checkIDs(t, "Contacts of a missing client", list(clientele.ContactQuery{ClientIDs: []int64{cl[2] + 1000}, Page: all}), contactID)
	checkIDs(t, "Contacts of a client and another company's client", list(clientele.ContactQuery{ClientIDs: []int64{foreign[0], cl[1]}}), contactID, byClient[cl[1]]...)
	checkIDs(t, "Contacts of the other company's client, for that company", get(t, s, contactsOf(other.ID(), clientele.ContactQuery{ClientIDs: foreign})), contactID, foreignBy[foreign[0]]...)
}

func testLocationListClientIDs(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	cl, _, byClient := children(t, s, tn.ID(), 3, 2)
	foreign, _, foreignBy := children(t, s, other.ID(), 1, 2)
	list := func(q clientele.LocationQuery) []clientele.Location { return get(t, s, locationsOf(tn.ID(), q)) }

	got := list(clientele.LocationQuery{ClientIDs: []int64{cl[2], cl[0]}, Page: all})
	checkIDs(t, "Locations of two clients", got, locationID, idsOf(byClient, cl[0], cl[2])...)
	if len(got) > 0 {
		checkEqual(t, "Locations of two clients [0]", got[0], get(t, s, locationOf(tn.ID(), got[0].ID)))
	}
	checkIDs(t, "Locations of one client by ClientIDs", list(clientele.LocationQuery{ClientIDs: []int64{cl[1]}, Page: all}), locationID, byClient[cl[1]]...)
	checkIDs(t, "Locations of two clients, no limit", list(clientele.LocationQuery{ClientIDs: []int64{cl[0], cl[2]}}), locationID, idsOf(byClient, cl[0], cl[2])...)
	checkIDs(t, "Locations of two clients limit 1 after the first", list(clientele.LocationQuery{ClientIDs: []int64{cl[0], cl[2]},
		Page: clientele.Page{Limit: 1, After: clientele.Position{ID: byClient[cl[0]][0]}}}), locationID, byClient[cl[0]][1])
	checkIDs(t, "Locations of two clients and one client", list(clientele.LocationQuery{ClientID: cl[2], ClientIDs: []int64{cl[0], cl[2]}, Page: all}), locationID, byClient[cl[2]]...)
	checkIDs(t, "Locations of two clients with IDs", list(clientele.LocationQuery{ClientIDs: []int64{cl[0], cl[1]},
		IDs: []int64{byClient[cl[0]][1], byClient[cl[2]][0]}, Page: all}), locationID, byClient[cl[0]][1])
	checkIDs(t, "Locations of a missing client", list(clientele.LocationQuery{ClientIDs: []int64{cl[2] + 1000}, Page: all}), locationID)
	checkIDs(t, "Locations of a client and another company's client", list(clientele.LocationQuery{ClientIDs: []int64{foreign[0], cl[1]}}), locationID, byClient[cl[1]]...)
	checkIDs(t, "Locations of the other company's client, for that company", get(t, s, locationsOf(other.ID(), clientele.LocationQuery{ClientIDs: foreign})), locationID, foreignBy[foreign[0]]...)
}

// testLimitZero checks that Limit 0 lists every record, more than the
// largest page, of the company only, and still after the cursor.
func testLimitZero(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	const n = clientele.MaxPageSize + 20
	users := []int64{tn.Admin.ID}
	var tokens, clients, contacts, locations []int64
	mustWrite(t, s, func(tx clientele.Tx) error {
		for i := range n {
			for _, companyID := range []int64{tn.ID(), other.ID()} {
				u := clientele.User{CompanyID: companyID, FullName: "U", Email: fmt.Sprintf("u%d@example.com", i),
					Role: clientele.RoleMember, CreatedAt: at(1), UpdatedAt: at(1)}
				if err := tx.CreateUser(ctx, &u); err != nil {
					return err
				}
				k := clientele.Token{CompanyID: companyID, UserID: u.ID, Name: "T", Hash: newHash(), CreatedAt: at(2)}
				if err := tx.CreateToken(ctx, &k); err != nil {
					return err
				}
				c := clientele.Client{CompanyID: companyID, Name: "C", Types: []string{clientele.TypeCustomer},
					CreatedAt: at(3), UpdatedAt: at(3)}
				if err := tx.CreateClient(ctx, &c); err != nil {
					return err
				}
				con := clientele.Contact{CompanyID: companyID, ClientID: c.ID, FirstName: "P", CreatedAt: at(5), UpdatedAt: at(5)}
				if err := tx.CreateContact(ctx, &con); err != nil {
					return err
				}
				loc := clientele.Location{CompanyID: companyID, ClientID: c.ID, Name: "L", Address: clientele.Address{Country: "DE"},
					CreatedAt: at(4), UpdatedAt: at(4)}
				if err := tx.CreateLocation(ctx, &loc); err != nil {
					return err
				}
				if companyID == tn.ID() {
					users, tokens, clients = append(users, u.ID), append(tokens, k.ID), append(clients, c.ID)
					contacts, locations = append(contacts, con.ID), append(locations, loc.ID)
				}
			}
		}
		return nil
	})
	checkIDs(t, "Users limit 0", get(t, s, usersOf(tn.ID(), clientele.UserQuery{})), userID, users...)
	checkIDs(t, "Users limit 0 after the first", get(t, s, usersOf(tn.ID(), clientele.UserQuery{Page: clientele.Page{After: clientele.Position{ID: users[0]}}})), userID, users[1:]...)
	checkIDs(t, "Tokens limit 0", get(t, s, tokensOf(tn.ID(), clientele.TokenQuery{})), tokenID, tokens...)
	checkIDs(t, "Clients limit 0", get(t, s, clientsOf(tn.ID(), clientele.ClientQuery{})), clientID, clients...)
	checkIDs(t, "Clients limit 0 after the first", get(t, s, clientsOf(tn.ID(), clientele.ClientQuery{Page: clientele.Page{After: clientele.Position{ID: clients[0]}}})), clientID, clients[1:]...)
	checkIDs(t, "Clients with IDs limit 0", get(t, s, clientsOf(tn.ID(), clientele.ClientQuery{IDs: clients})), clientID, clients...)
	checkIDs(t, "Contacts limit 0", get(t, s, contactsOf(tn.ID(), clientele.ContactQuery{})), contactID, contacts...)
	checkIDs(t, "Contacts of every client limit 0", get(t, s, contactsOf(tn.ID(), clientele.ContactQuery{ClientIDs: clients})), contactID, contacts...)
	checkIDs(t, "Contacts with IDs limit 0", get(t, s, contactsOf(tn.ID(), clientele.ContactQuery{IDs: contacts})), contactID, contacts...)
	checkIDs(t, "Contacts of one client limit 0", get(t, s, contactsOf(tn.ID(), clientele.ContactQuery{ClientID: clients[1]})), contactID, contacts[1])
	checkIDs(t, "Locations limit 0", get(t, s, locationsOf(tn.ID(), clientele.LocationQuery{})), locationID, locations...)
	checkIDs(t, "Locations of every client limit 0", get(t, s, locationsOf(tn.ID(), clientele.LocationQuery{ClientIDs: clients})), locationID, locations...)
	checkIDs(t, "Locations with IDs limit 0", get(t, s, locationsOf(tn.ID(), clientele.LocationQuery{IDs: locations})), locationID, locations...)
	checkIDs(t, "Locations of one client limit 0", get(t, s, locationsOf(tn.ID(), clientele.LocationQuery{ClientID: clients[1]})), locationID, locations[1])
}
