package clientele

import (
	"slices"
	"strings"
	"time"
)

// Client types.
const (
	TypeCustomer = "customer"
	TypeSupplier = "supplier"
	TypeProspect = "prospect"
)

// ClientTypes lists the valid client types in their canonical order.
var ClientTypes = []string{TypeCustomer, TypeSupplier, TypeProspect}

// RateTypes lists the valid values of default_rate_type.
var RateTypes = []string{"hour", "day", "month", "fixed"}

// Client is an organisation, or a sole trader, the company deals with.
// Empty strings and zero ids mean null.
type Client struct {
	ID                    int64
	CompanyID             int64
	Name                  string
	ExternalID            string
	Types                 []string // canonical order, no duplicates
	Email                 string
	BillingEmail          string
	Phone                 string
	PhoneSecondary        string
	Mobile                string
	Fax                   string
	Website               string
	TaxName               string
	TaxNumber             string
	RegistrationNumber    string
	BankName              string
	IBAN                  string
	Notes                 string
	DefaultRate           string
	DefaultRateType       string
	InvoiceReminders      bool
	ShowLocationOnInvoice bool
	OwnerID               int64
	SalespersonID         int64
	CaseManagerID         int64
	CreatedAt             time.Time
	UpdatedAt             time.Time

	// Derived by the store on reads; ignored on writes.
	Address       *Address // the primary location's address; nil without one
	MainContactID int64

	Logo *Image // nil without one; written only by Tx.SetClientLogo
}

// ClientInput holds the attributes and relationships a request names; nil
// means "not named". A pointer to "" or to 0 sets the attribute or
// relationship to null.
type ClientInput struct {
	Name, ExternalID                                        *string
	Types                                                   *[]string
	Email, BillingEmail, Phone, PhoneSecondary, Mobile, Fax *string
	Website, TaxName, TaxNumber, RegistrationNumber         *string
	BankName, IBAN, Notes, DefaultRate, DefaultRateType     *string
	InvoiceReminders, ShowLocationOnInvoice                 *bool
	OwnerID, SalespersonID, CaseManagerID                   *int64

	// Rejected holds the problems an adapter found while decoding the request;
	// the service reports them together with its own and changes nothing.
	Rejected Problems

	// Address replaces the primary location's address as a whole;
	// ClearAddress removes the primary location.
	Address      *Address
	ClearAddress bool
}

// apply copies the named attributes into c, trimmed and normalised; problems
// that only the raw input shows (duplicate types) go to ps.
func (c *Client) apply(in ClientInput, ps *Problems) {
	for _, f := range []struct {
		dst *string
		v   *string
	}{
		{&c.Name, in.Name}, {&c.ExternalID, in.ExternalID}, {&c.Email, in.Email},
		{&c.BillingEmail, in.BillingEmail}, {&c.Phone, in.Phone}, {&c.PhoneSecondary, in.PhoneSecondary},
		{&c.Mobile, in.Mobile}, {&c.Fax, in.Fax}, {&c.Website, in.Website}, {&c.TaxName, in.TaxName},
		{&c.TaxNumber, in.TaxNumber}, {&c.RegistrationNumber, in.RegistrationNumber},
		{&c.BankName, in.BankName}, {&c.Notes, in.Notes}, {&c.DefaultRate, in.DefaultRate},
		{&c.DefaultRateType, in.DefaultRateType},
	} {
		setText(f.dst, f.v)
	}
	if in.IBAN != nil {
		c.IBAN = normalizeIBAN(*in.IBAN)
	}
	if in.Types != nil {
		c.Types = canonicalTypes(*in.Types, ps)
	}
	if in.InvoiceReminders != nil {
		c.InvoiceReminders = *in.InvoiceReminders
	}
	if in.ShowLocationOnInvoice != nil {
		c.ShowLocationOnInvoice = *in.ShowLocationOnInvoice
	}
	for _, f := range []struct {
		dst *int64
		v   *int64
	}{{&c.OwnerID, in.OwnerID}, {&c.SalespersonID, in.SalespersonID}, {&c.CaseManagerID, in.CaseManagerID}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
}

// canonicalTypes checks types and returns them in canonical order.
func canonicalTypes(types []string, ps *Problems) []string {
	seen := map[string]bool{}
	for _, t := range types {
		t = strings.TrimSpace(t)
		switch {
		case seen[t]:
			ps.Add("types", "duplicate_value", "types lists %q more than once", t)
		case !slices.Contains(ClientTypes, t):
			ps.Add("types", "invalid_choice", "types must each be one of %s", strings.Join(ClientTypes, ", "))
		}
		seen[t] = true
	}
	out := make([]string, 0, len(seen))
	for _, t := range ClientTypes {
		if seen[t] {
			out = append(out, t)
		}
	}
	return out
}

func (c *Client) check(ps *Problems) {
	ps.checkRequiredText("name", c.Name, MaxName)
	ps.checkText("external_id", c.ExternalID, MaxExternalID)
	ps.checkEmail("email", c.Email)
	ps.checkEmail("billing_email", c.BillingEmail)
	ps.checkPhone("phone", c.Phone)
	ps.checkPhone("phone_secondary", c.PhoneSecondary)
	ps.checkPhone("mobile", c.Mobile)
	ps.checkPhone("fax", c.Fax)
	ps.checkURL("website", c.Website)
	ps.checkText("tax_name", c.TaxName, MaxName)
	ps.checkText("tax_number", c.TaxNumber, MaxNumber)
	ps.checkText("registration_number", c.RegistrationNumber, MaxNumber)
	ps.checkText("bank_name", c.BankName, MaxName)
	if c.IBAN != "" && ps.checkText("iban", c.IBAN, 34) && !ValidIBAN(c.IBAN) {
		ps.Add("iban", "invalid_iban", "iban must be a valid IBAN (country, length and check digits)")
	}
	ps.checkText("notes", c.Notes, MaxNotes)
	ps.checkDecimal("default_rate", c.DefaultRate)
	ps.checkChoice("default_rate_type", c.DefaultRateType, RateTypes)
	if c.DefaultRate != "" && c.DefaultRateType == "" {
		ps.Add("default_rate_type", "required", "default_rate_type is required when default_rate is set")
	}
}
