package clientele

import "time"

// DefaultLocationName names a location created without a name.
const DefaultLocationName = "Main location"

// Location is an address of a client. At most one location of a client is primary.
type Location struct {
	ID             int64
	CompanyID      int64
	ClientID       int64
	Name           string
	Address        // Country is required
	Email          string
	Phone          string
	PhoneSecondary string
	Fax            string
	Notes          string
	IsPrimary      bool
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// LocationInput holds the attributes and relationships a request names; nil
// means "not named"; a pointer to "" sets an attribute to null.
type LocationInput struct {
	Name                                            *string
	Street, HouseNumber, AddressLine2, AddressLine3 *string
	PostalCode, City, Region, Country, Recipient    *string
	Email, Phone, PhoneSecondary, Fax, Notes        *string
	IsPrimary                                       *bool
	ClientID                                        *int64

	// Rejected holds the problems an adapter found while decoding the request;
	// the service reports them together with its own and changes nothing.
	Rejected Problems
}

func (l *Location) apply(in LocationInput) {
	for _, f := range []struct {
		dst *string
		v   *string
	}{
		{&l.Name, in.Name}, {&l.Street, in.Street}, {&l.HouseNumber, in.HouseNumber},
		{&l.AddressLine2, in.AddressLine2}, {&l.AddressLine3, in.AddressLine3},
		{&l.PostalCode, in.PostalCode}, {&l.City, in.City}, {&l.Region, in.Region},
		{&l.Recipient, in.Recipient}, {&l.Email, in.Email}, {&l.Phone, in.Phone},
		{&l.PhoneSecondary, in.PhoneSecondary}, {&l.Fax, in.Fax}, {&l.Notes, in.Notes},
	} {
		setText(f.dst, f.v)
	}
	if in.Country != nil {
		l.Country = normalizeCountry(*in.Country)
	}
	if in.IsPrimary != nil {
		l.IsPrimary = *in.IsPrimary
	}
}

func (l *Location) check(ps *Problems) {
	ps.checkRequiredText("name", l.Name, MaxName)
	l.Address.check(ps, "")
	ps.checkEmail("email", l.Email)
	ps.checkPhone("phone", l.Phone)
	ps.checkPhone("phone_secondary", l.PhoneSecondary)
	ps.checkPhone("fax", l.Fax)
	ps.checkText("notes", l.Notes, MaxNotes)
}
