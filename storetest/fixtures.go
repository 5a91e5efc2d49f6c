package storetest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele"
)

var ctx = context.Background()

// base is the first test timestamp: UTC, with microseconds, as every engine stores.
var base = time.Date(2024, time.February, 29, 13, 14, 15, 123456000, time.UTC)

// at returns the n-th test timestamp; each lies an hour and 1001µs after the one before.
func at(n int) time.Time {
	return base.Add(time.Duration(n) * (time.Hour + 1001*time.Microsecond))
}

// mustWrite runs fn in a Write and stops the test if it fails.
func mustWrite(t *testing.T, s clientele.Store, fn func(tx clientele.Tx) error) {
	t.Helper()
	if err := s.Write(ctx, fn); err != nil {
		t.Fatalf("Write: %v", err)
	}
}

// get runs fn in a Read and returns its value; it stops the test if fn fails.
func get[T any](t *testing.T, s clientele.Store, fn func(tx clientele.Tx) (T, error)) T {
	t.Helper()
	var v T
	err := s.Read(ctx, func(tx clientele.Tx) (err error) {
		v, err = fn(tx)
		return err
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return v
}

// getErr runs fn in a Read and returns its error.
func getErr[T any](s clientele.Store, fn func(tx clientele.Tx) (T, error)) error {
	return s.Read(ctx, func(tx clientele.Tx) error {
		_, err := fn(tx)
		return err
	})
}

// Lookups, for get and getErr.

func hasCompanies(tx clientele.Tx) (bool, error) { return tx.HasCompanies(ctx) }

func companyOf(id int64) func(clientele.Tx) (clientele.Company, error) {
	return func(tx clientele.Tx) (clientele.Company, error) { return tx.Company(ctx, id) }
}

func companyBySlug(slug string) func(clientele.Tx) (clientele.Company, error) {
	return func(tx clientele.Tx) (clientele.Company, error) { return tx.CompanyBySlug(ctx, slug) }
}

func userOf(companyID, id int64) func(clientele.Tx) (clientele.User, error) {
	return func(tx clientele.Tx) (clientele.User, error) { return tx.User(ctx, companyID, id) }
}

func userByEmail(companyID int64, email string) func(clientele.Tx) (clientele.User, error) {
	return func(tx clientele.Tx) (clientele.User, error) { return tx.UserByEmail(ctx, companyID, email) }
}

func usersOf(companyID int64, q clientele.UserQuery) func(clientele.Tx) ([]clientele.User, error) {
	return func(tx clientele.Tx) ([]clientele.User, error) { return tx.Users(ctx, companyID, q) }
}

func countAdmins(companyID int64) func(clientele.Tx) (int, error) {
	return func(tx clientele.Tx) (int, error) { return tx.CountAdmins(ctx, companyID) }
}

func tokenOf(companyID, id int64) func(clientele.Tx) (clientele.Token, error) {
	return func(tx clientele.Tx) (clientele.Token, error) { return tx.Token(ctx, companyID, id) }
}

func tokenByHash(hash []byte) func(clientele.Tx) (clientele.Token, error) {
	return func(tx clientele.Tx) (clientele.Token, error) { return tx.TokenByHash(ctx, hash) }
}

func tokensOf(companyID int64, q clientele.TokenQuery) func(clientele.Tx) ([]clientele.Token, error) {
	return func(tx clientele.Tx) ([]clientele.Token, error) { return tx.Tokens(ctx, companyID, q) }
}

func clientOf(companyID, id int64) func(clientele.Tx) (clientele.Client, error) {
	return func(tx clientele.Tx) (clientele.Client, error) { return tx.Client(ctx, companyID, id) }
}

func clientsOf(companyID int64, q clientele.ClientQuery) func(clientele.Tx) ([]clientele.Client, error) {
	return func(tx clientele.Tx) ([]clientele.Client, error) { return tx.Clients(ctx, companyID, q) }
}

func locationOf(companyID, id int64) func(clientele.Tx) (clientele.Location, error) {
	return func(tx clientele.Tx) (clientele.Location, error) { return tx.Location(ctx, companyID, id) }
}

func primaryOf(companyID, clientID int64) func(clientele.Tx) (clientele.Location, error) {
	return func(tx clientele.Tx) (clientele.Location, error) { return tx.PrimaryLocation(ctx, companyID, clientID) }
}

func locationsOf(companyID int64, q clientele.LocationQuery) func(clientele.Tx) ([]clientele.Location, error) {
	return func(tx clientele.Tx) ([]clientele.Location, error) { return tx.Locations(ctx, companyID, q) }
}

func contactOf(companyID, id int64) func(clientele.Tx) (clientele.Contact, error) {
	return func(tx clientele.Tx) (clientele.Contact, error) { return tx.Contact(ctx, companyID, id) }
}

func contactsOf(companyID int64, q clientele.ContactQuery) func(clientele.Tx) ([]clientele.Contact, error) {
	return func(tx clientele.Tx) ([]clientele.Contact, error) { return tx.Contacts(ctx, companyID, q) }
}

// all is a page large enough for every list of a test.
var all = clientele.Page{Limit: 100}

// Fixtures. Each creates one record in its own Write and returns it as stored.

// tenant is a company with its first admin.
type tenant struct {
	Company clientele.Company
	Admin   clientele.User
}

// ID is the company's id.
func (tn tenant) ID() int64 { return tn.Company.ID }

func newTenant(t *testing.T, s clientele.Store, slug string) tenant {
	t.Helper()
	c := newCompany(t, s, slug)
	return tenant{Company: c, Admin: newUser(t, s, c.ID, "admin@"+slug+".example", clientele.RoleAdmin)}
}

func newCompany(t *testing.T, s clientele.Store, slug string) clientele.Company {
	t.Helper()
	c := clientele.Company{Name: "Company " + slug, Slug: slug, CreatedAt: at(0), UpdatedAt: at(0)}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateCompany(ctx, &c) })
	return c
}

func newUser(t *testing.T, s clientele.Store, companyID int64, email string, role clientele.Role) clientele.User {
	t.Helper()
	u := clientele.User{CompanyID: companyID, FullName: "User " + email, Email: email, Role: role, CreatedAt: at(1), UpdatedAt: at(1)}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateUser(ctx, &u) })
	return u
}

var hashes atomic.Int64

// newHash returns a token hash that no other call returns.
func newHash() []byte {
	h := sha256.Sum256(fmt.Appendf(nil, "storetest token %d", hashes.Add(1)))
	return h[:]
}

func newToken(t *testing.T, s clientele.Store, companyID, userID int64) clientele.Token {
	t.Helper()
	k := clientele.Token{CompanyID: companyID, UserID: userID, Name: clientele.DefaultTokenName, Hash: newHash(), CreatedAt: at(2)}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateToken(ctx, &k) })
	return k
}

// newClient stores c, named "Client" and a customer unless it says otherwise.
func newClient(t *testing.T, s clientele.Store, c clientele.Client) clientele.Client {
	t.Helper()
	if c.Name == "" {
		c.Name = "Client"
	}
	if c.Types == nil {
		c.Types = []string{clientele.TypeCustomer}
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt, c.UpdatedAt = at(3), at(3)
	}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateClient(ctx, &c) })
	return c
}

// newLocation stores l, with a default name and country unless it names them.
func newLocation(t *testing.T, s clientele.Store, l clientele.Location) clientele.Location {
	t.Helper()
	if l.Name == "" {
		l.Name = clientele.DefaultLocationName
	}
	if l.Country == "" {
		l.Country = "DE"
	}
	if l.CreatedAt.IsZero() {
		l.CreatedAt, l.UpdatedAt = at(4), at(4)
	}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateLocation(ctx, &l) })
	return l
}

// newContact stores c, with a first name unless it names one.
func newContact(t *testing.T, s clientele.Store, c clientele.Contact) clientele.Contact {
	t.Helper()
	if c.FirstName == "" && c.LastName == "" {
		c.FirstName = "Pat"
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt, c.UpdatedAt = at(5), at(5)
	}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateContact(ctx, &c) })
	return c
}

// fullClient returns a client of the company with every attribute set;
// n varies the values.
func fullClient(companyID int64, n int, owner, salesperson, caseManager int64) clientele.Client {
	return clientele.Client{
		CompanyID:             companyID,
		Name:                  fmt.Sprintf("Müller & Söhne GmbH %d", n),
		ExternalID:            fmt.Sprintf("EXT-%d", n),
		Types:                 []string{clientele.TypeCustomer, clientele.TypeSupplier, clientele.TypeProspect},
		Email:                 fmt.Sprintf("info%d@mueller.example", n),
		BillingEmail:          fmt.Sprintf("billing%d@mueller.example", n),
		Phone:                 fmt.Sprintf("+49 30 1234 %d", n),
		PhoneSecondary:        fmt.Sprintf("+49 30 5678 %d", n),
		Mobile:                fmt.Sprintf("+49 170 %d", n),
		Fax:                   fmt.Sprintf("+49 30 9999 %d", n),
		Website:               fmt.Sprintf("https://mueller%d.example/", n),
		TaxName:               fmt.Sprintf("Müller Steuer %d", n),
		TaxNumber:             fmt.Sprintf("DE%09d", n),
		RegistrationNumber:    fmt.Sprintf("HRB %d", n),
		BankName:              fmt.Sprintf("Bank %d", n),
		IBAN:                  "DE89370400440532013000",
		Notes:                 fmt.Sprintf("Line one %d\nline two: 'quotes' \"double\" ; -- %%", n),
		DefaultRate:           fmt.Sprintf("%d.50", 100+n),
		DefaultRateType:       "hour",
		InvoiceReminders:      true,
		ShowLocationOnInvoice: true,
		OwnerID:               owner,
		SalespersonID:         salesperson,
		CaseManagerID:         caseManager,
		CreatedAt:             at(10 + n),
		UpdatedAt:             at(20 + n),
	}
}

// fullLocation returns a location of the client with every attribute set;
// n varies the values.
func fullLocation(companyID, clientID int64, n int, primary bool) clientele.Location {
	return clientele.Location{
		CompanyID: companyID,
		ClientID:  clientID,
		Name:      fmt.Sprintf("Werk %d", n),
		Address: clientele.Address{
			Street:       fmt.Sprintf("Hauptstraße %d", n),
			HouseNumber:  fmt.Sprintf("%da", n),
			AddressLine2: fmt.Sprintf("Hinterhaus %d", n),
			AddressLine3: fmt.Sprintf("3. OG %d", n),
			PostalCode:   fmt.Sprintf("1011%d", n%10),
			City:         fmt.Sprintf("Berlin %d", n),
			Region:       fmt.Sprintf("Region %d", n),
			Country:      []string{"DE", "AT", "CH", "FR"}[n%4],
			Recipient:    fmt.Sprintf("z. Hd. Frau Schmidt %d", n),
		},
		Email:          fmt.Sprintf("werk%d@mueller.example", n),
		Phone:          fmt.Sprintf("+49 30 100 %d", n),
		PhoneSecondary: fmt.Sprintf("+49 30 200 %d", n),
		Fax:            fmt.Sprintf("+49 30 300 %d", n),
		Notes:          fmt.Sprintf("Gate code %d", n),
		IsPrimary:      primary,
		CreatedAt:      at(30 + n),
		UpdatedAt:      at(40 + n),
	}
}

// fullContact returns a contact of the client with every attribute set;
// n varies the values.
func fullContact(companyID, clientID int64, n int, main, portal bool) clientele.Contact {
	return clientele.Contact{
		CompanyID:    companyID,
		ClientID:     clientID,
		FirstName:    fmt.Sprintf("Zoë %d", n),
		LastName:     fmt.Sprintf("O'Brien-Łukasz %d", n),
		Gender:       clientele.Genders[n%len(clientele.Genders)],
		Email:        fmt.Sprintf("Zoe.%d@Client.example", n),
		Phone:        fmt.Sprintf("+44 20 7946 %04d", n),
		Mobile:       fmt.Sprintf("+44 7700 9%05d", n),
		Fax:          fmt.Sprintf("+44 20 7946 9%03d", n),
		Skype:        fmt.Sprintf("zoe.%d", n),
		Position:     fmt.Sprintf("Head of Procurement %d", n),
		Notes:        fmt.Sprintf("Prefers e-mail %d", n),
		IsMain:       main,
		PortalAccess: portal,
		PasswordHash: fmt.Sprintf("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaC0%d", n),
		CreatedAt:    at(50 + n),
		UpdatedAt:    at(60 + n),
	}
}
