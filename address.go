package clientele

// Address is where a location is. A client's address is the address of its
// primary location.
type Address struct {
	Street       string
	HouseNumber  string
	AddressLine2 string
	AddressLine3 string
	PostalCode   string
	City         string
	Region       string
	Country      string // ISO 3166-1 alpha-2, upper case; required
	Recipient    string
}

// normalize trims every field and upper-cases the country.
func (a *Address) normalize() {
	for _, f := range []*string{&a.Street, &a.HouseNumber, &a.AddressLine2, &a.AddressLine3,
		&a.PostalCode, &a.City, &a.Region, &a.Recipient} {
		setText(f, f)
	}
	a.Country = normalizeCountry(a.Country)
}

// check adds a problem for every rule the address breaks; prefix is "" for a
// location and "address." for a client's address.
func (a *Address) check(ps *Problems, prefix string) {
	ps.checkText(prefix+"street", a.Street, MaxName)
	ps.checkText(prefix+"house_number", a.HouseNumber, MaxCode)
	ps.checkText(prefix+"address_line_2", a.AddressLine2, MaxName)
	ps.checkText(prefix+"address_line_3", a.AddressLine3, MaxName)
	ps.checkText(prefix+"postal_code", a.PostalCode, MaxCode)
	ps.checkText(prefix+"city", a.City, MaxShort)
	ps.checkText(prefix+"region", a.Region, MaxShort)
	ps.checkText(prefix+"recipient", a.Recipient, MaxName)
	if ps.checkText(prefix+"country", a.Country, MaxCode) {
		ps.checkCountry(prefix+"country", a.Country)
	}
}
