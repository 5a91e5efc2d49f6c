package api

import (
	"strconv"
	"time"

	"github.com/clientele/clientele"
)

// Base is the path prefix of the canonical API.
const Base = "/api/v1"

// timeFormat renders timestamps in UTC to the microsecond, as they are stored.
const timeFormat = "2006-01-02T15:04:05.000000Z07:00"

func stamp(t time.Time) string { return t.UTC().Format(timeFormat) }

// stampOrNull renders the zero time as null.
func stampOrNull(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := stamp(t)
	return &s
}

// null renders "" as null.
func null(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

type resource struct {
	Type          string `json:"type"`
	ID            string `json:"id"`
	Attributes    any    `json:"attributes,omitempty"` // nil only when a sparse fieldset names none
	Relationships any    `json:"relationships,omitempty"`
	Links         links  `json:"links"`
}

type links struct {
	Self    string `json:"self,omitempty"`
	Related string `json:"related,omitempty"`
	First   string `json:"first,omitempty"`
	Prev    string `json:"prev,omitempty"`
	Next    string `json:"next,omitempty"`
	Last    string `json:"last,omitempty"`
}

type identifier struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// toOne is a to-one relationship; a nil Data renders as null.
type toOne struct {
	Data *identifier `json:"data"`
}

func one(typ string, id int64) toOne {
	if id == 0 {
		return toOne{}
	}
	return toOne{&identifier{typ, idString(id)}}
}

// toMany is a to-many relationship given by its related link, so that
// rendering a list never loads the related records; when they were loaded
// (include), Data is the full linkage, an empty array for none.
type toMany struct {
	Links links        `json:"links"`
	Data  []identifier `json:"data,omitzero"` // nil: not loaded
}

func selfLink(typ string, id int64) links { return links{Self: Base + "/" + typ + "/" + idString(id)} }

type addressAttributes struct {
	Street       *string `json:"street"`
	HouseNumber  *string `json:"house_number"`
	AddressLine2 *string `json:"address_line_2"`
	AddressLine3 *string `json:"address_line_3"`
	PostalCode   *string `json:"postal_code"`
	City         *string `json:"city"`
	Region       *string `json:"region"`
	Country      string  `json:"country"`
	Recipient    *string `json:"recipient"`
}

// addressMembers are the members of a client's address object, in document order.
var addressMembers = []string{"street", "house_number", "address_line_2", "address_line_3", "postal_code",
	"city", "region", "country", "recipient"}

func renderAddress(a clientele.Address) addressAttributes {
	return addressAttributes{null(a.Street), null(a.HouseNumber), null(a.AddressLine2), null(a.AddressLine3),
		null(a.PostalCode), null(a.City), null(a.Region), a.Country, null(a.Recipient)}
}

type clientAttributes struct {
	Name                  string             `json:"name"`
	ExternalID            *string            `json:"external_id"`
	Types                 []string           `json:"types"`
	Email                 *string            `json:"email"`
	BillingEmail          *string            `json:"billing_email"`
	Phone                 *string            `json:"phone"`
	PhoneSecondary        *string            `json:"phone_secondary"`
	Mobile                *string            `json:"mobile"`
	Fax                   *string            `json:"fax"`
	Website               *string            `json:"website"`
	TaxName               *string            `json:"tax_name"`
	TaxNumber             *string            `json:"tax_number"`
	RegistrationNumber    *string            `json:"registration_number"`
	BankName              *string            `json:"bank_name"`
	IBAN                  *string            `json:"iban"`
	Notes                 *string            `json:"notes"`
	DefaultRate           *string            `json:"default_rate"`
	DefaultRateType       *string            `json:"default_rate_type"`
	InvoiceReminders      bool               `json:"invoice_reminders"`
	ShowLocationOnInvoice bool               `json:"show_location_on_invoice"`
	Address               *addressAttributes `json:"address"`
	Logo                  *imageRef          `json:"logo"`
	CreatedAt             string             `json:"created_at"`
	UpdatedAt             string             `json:"updated_at"`
}

type clientRelationships struct {
	Owner       toOne  `json:"owner"`
	Salesperson toOne  `json:"salesperson"`
	CaseManager toOne  `json:"case_manager"`
	MainContact toOne  `json:"main_contact"`
	Contacts    toMany `json:"contacts"`
	Locations   toMany `json:"locations"`
}

func renderClient(c clientele.Client) resource {
	attrs := &clientAttributes{
		Name: c.Name, ExternalID: null(c.ExternalID), Types: c.Types, Email: null(c.Email),
		BillingEmail: null(c.BillingEmail), Phone: null(c.Phone), PhoneSecondary: null(c.PhoneSecondary),
		Mobile: null(c.Mobile), Fax: null(c.Fax), Website: null(c.Website), TaxName: null(c.TaxName),
		TaxNumber: null(c.TaxNumber), RegistrationNumber: null(c.RegistrationNumber), BankName: null(c.BankName),
		IBAN: null(c.IBAN), Notes: null(c.Notes), DefaultRate: null(c.DefaultRate),
		DefaultRateType: null(c.DefaultRateType), InvoiceReminders: c.InvoiceReminders,
		ShowLocationOnInvoice: c.ShowLocationOnInvoice, CreatedAt: stamp(c.CreatedAt), UpdatedAt: stamp(c.UpdatedAt),
		Logo: renderImage(c.Logo),
	}
	if c.Address != nil {
		a := renderAddress(*c.Address)
		attrs.Address = &a
	}
	self := selfLink("clients", c.ID)
	return resource{Type: "clients", ID: idString(c.ID), Attributes: attrs, Links: self,
		Relationships: &clientRelationships{
			Owner: one("users", c.OwnerID), Salesperson: one("users", c.SalespersonID),
			CaseManager: one("users", c.CaseManagerID), MainContact: one("contacts", c.MainContactID),
			Contacts:  toMany{Links: links{Related: self.Self + "/contacts"}},
			Locations: toMany{Links: links{Related: self.Self + "/locations"}},
		}}
}

type locationAttributes struct {
	Name string `json:"name"`
	addressAttributes
	Email          *string `json:"email"`
	Phone          *string `json:"phone"`
	PhoneSecondary *string `json:"phone_secondary"`
	Fax            *string `json:"fax"`
	Notes          *string `json:"notes"`
	IsPrimary      bool    `json:"is_primary"`
	CreatedAt      string  `json:"created_at"`
	UpdatedAt      string  `json:"updated_at"`
}

type clientRelationship struct {
	Client toOne `json:"client"`
}

func renderLocation(l clientele.Location) resource {
	return resource{Type: "locations", ID: idString(l.ID), Links: selfLink("locations", l.ID),
		Attributes: &locationAttributes{
			Name: l.Name, addressAttributes: renderAddress(l.Address), Email: null(l.Email), Phone: null(l.Phone),
			PhoneSecondary: null(l.PhoneSecondary), Fax: null(l.Fax), Notes: null(l.Notes), IsPrimary: l.IsPrimary,
			CreatedAt: stamp(l.CreatedAt), UpdatedAt: stamp(l.UpdatedAt),
		},
		Relationships: &clientRelationship{one("clients", l.ClientID)}}
}

type contactAttributes struct {
	FirstName    *string   `json:"first_name"`
	LastName     *string   `json:"last_name"`
	Name         string    `json:"name"`
	Gender       *string   `json:"gender"`
	Email        *string   `json:"email"`
	Phone        *string   `json:"phone"`
	Mobile       *string   `json:"mobile"`
	Fax          *string   `json:"fax"`
	Skype        *string   `json:"skype"`
	Position     *string   `json:"position"`
	Notes        *string   `json:"notes"`
	IsMain       bool      `json:"is_main"`
	PortalAccess bool      `json:"portal_access"`
	Image        *imageRef `json:"image"`
	CreatedAt    string    `json:"created_at"`
	UpdatedAt    string    `json:"updated_at"`
}

func renderContact(c clientele.Contact) resource {
	return resource{Type: "contacts", ID: idString(c.ID), Links: selfLink("contacts", c.ID),
		Attributes: &contactAttributes{
			FirstName: null(c.FirstName), LastName: null(c.LastName), Name: c.Name(), Gender: null(c.Gender),
			Email: null(c.Email), Phone: null(c.Phone), Mobile: null(c.Mobile), Fax: null(c.Fax),
			Skype: null(c.Skype), Position: null(c.Position), Notes: null(c.Notes), IsMain: c.IsMain,
			PortalAccess: c.PortalAccess, CreatedAt: stamp(c.CreatedAt), UpdatedAt: stamp(c.UpdatedAt),
			Image: renderImage(c.Image),
		},
		Relationships: &clientRelationship{one("clients", c.ClientID)}}
}

type userAttributes struct {
	FullName  string `json:"full_name"`
	Email     string `json:"email"`
	Role      string `json:"role"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func renderUser(u clientele.User) resource {
	return resource{Type: "users", ID: idString(u.ID), Links: selfLink("users", u.ID),
		Attributes: &userAttributes{u.FullName, u.Email, string(u.Role), stamp(u.CreatedAt), stamp(u.UpdatedAt)}}
}

type tokenAttributes struct {
	Name       string  `json:"name"`
	CreatedAt  string  `json:"created_at"`
	LastUsedAt *string `json:"last_used_at"`
}

type userRelationship struct {
	User toOne `json:"user"`
}

func renderToken(t clientele.Token) resource {
	return resource{Type: "tokens", ID: idString(t.ID), Links: selfLink("tokens", t.ID),
		Attributes:    &tokenAttributes{t.Name, stamp(t.CreatedAt), stampOrNull(t.LastUsedAt)},
		Relationships: &userRelationship{one("users", t.UserID)}}
}

type companyAttributes struct {
	Name      string `json:"name"`
	Slug      string `json:"slug"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func renderCompany(c clientele.Company) resource {
	return resource{Type: "companies", ID: idString(c.ID), Links: links{Self: Base + "/company"},
		Attributes: &companyAttributes{c.Name, c.Slug, stamp(c.CreatedAt), stamp(c.UpdatedAt)}}
}
