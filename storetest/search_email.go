package storetest

import (
	"testing"

	"github.com/clientele/clientele"
)

// testSearchEmailWords: a word with an @ after its first character matches
// the records with an e-mail address that starts with it (case-insensitive),
// not every record whose words its parts prefix; a word that starts with @
// still finds a whole domain by its words; the other words of the query
// must match as well.
func testSearchEmailWords(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	id := tn.ID()
	c0 := newClient(t, s, clientele.Client{CompanyID: id, Name: "Kowalska Sp", Email: "Anna.Kowalska@Example.pl"})
	c1 := newClient(t, s, clientele.Client{CompanyID: id, Name: "Anna Kowalska Example", Email: "biuro@kowalska.pl"})
	c2 := newClient(t, s, clientele.Client{CompanyID: id, Name: "Nowak", BillingEmail: "anna.kowalska@example.plus"})
	cl := newClient(t, s, clientele.Client{CompanyID: id, Name: "Firma"})
	k0 := newContact(t, s, clientele.Contact{CompanyID: id, ClientID: cl.ID, FirstName: "Anna", LastName: "Kowalska",
		Email: "Anna.Kowalska@Example.pl"})
	// Every part of anna.kowalska@example.pl prefixes one of k1's words, but not its e-mail.
	k1 := newContact(t, s, clientele.Contact{CompanyID: id, ClientID: cl.ID, FirstName: "Anna", LastName: "Example",
		Email: "kowalska@pl.example"})
	k2 := newContact(t, s, clientele.Contact{CompanyID: id, ClientID: cl.ID, FirstName: "Zofia", LastName: "Nowak",
		Email: "anna.kowalska@example.plus"})
	oc := newClient(t, s, clientele.Client{CompanyID: other.ID(), Name: "Kowalska", Email: "anna.kowalska@example.pl"})
	newContact(t, s, clientele.Contact{CompanyID: other.ID(), ClientID: oc.ID, FirstName: "Anna",
		Email: "anna.kowalska@example.pl"})

	of := listed(t, s, id)
	for _, tc := range []struct {
		search string
		want   []clientele.Client
	}{
		{"anna.kowalska@example.pl", of(c0, c2)}, // c2: a prefix of its billing e-mail
		{"ANNA.KOWALSKA@EXAMPLE.PL sp", of(c0)},
		{"anna.kowalska@example.pl nowak", of(c2)},
		{"anna.kowalska@example.pl kowalska@", nil},
		{"biuro@", of(c1)},
		{"@kowalska.pl", of(c0, c1, c2)}, // the words kowalska and pl (plus)
		{"anna@example.pl", nil},
	} {
		clients.searched(t, s, id, tc.search, clientele.ClientQuery{Search: tc.search}, tc.want)
	}
	for _, tc := range []struct {
		search string
		want   []clientele.Contact
	}{
		{"anna.kowalska@example.pl", []clientele.Contact{k0, k2}},
		{"Anna.Kowalska@Example.PL anna", []clientele.Contact{k0, k2}},
		{"anna.kowalska@example.pl zofia", []clientele.Contact{k2}},
		{"anna.kowalska@example.plus", []clientele.Contact{k2}},
		{"anna kowalska example pl", []clientele.Contact{k0, k1, k2}}, // words: k1 too
		{"kowalska@", []clientele.Contact{k1}},
		{"@pl.example", []clientele.Contact{k0, k1, k2}},
		{"anna@example.pl", nil},
		{"kowalska@pl.example zofia", nil},
	} {
		contacts.searched(t, s, id, tc.search, clientele.ContactQuery{Search: tc.search}, tc.want)
	}
}
