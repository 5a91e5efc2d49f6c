package clientele

import (
	"strings"
	"time"
)

// Genders lists the valid values of a contact's gender.
var Genders = []string{"female", "male", "other"}

// Contact is a person at a client. At most one contact of a client is main.
type Contact struct {
	ID           int64
	CompanyID    int64
	ClientID     int64
	FirstName    string
	LastName     string
	Gender       string
	Email        string
	Phone        string
	Mobile       string
	Fax          string
	Skype        string
	Position     string
	Notes        string
	IsMain       bool
	PortalAccess bool
	PasswordHash string // PHC-formatted slow hash; empty when no password was ever set
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Image        *Image // nil without one; written only by Tx.SetContactImage
}

// Name is the first and last name joined by one space.
func (c *Contact) Name() string {
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

// ContactInput holds the attributes and relationships a request names; nil
// means "not named"; a pointer to "" sets an attribute to null.
type ContactInput struct {
	FirstName, LastName, Gender, Email         *string
	Phone, Mobile, Fax, Skype, Position, Notes *string
	IsMain, PortalAccess                       *bool
	Password                                   *string // plain text, hashed by the service
	ClientID                                   *int64
	// Rejected holds the problems an adapter found while decoding the request;
	// the service reports them together with its own and changes nothing.
	Rejected Problems
}

func (c *Contact) apply(in ContactInput) {
	for _, f := range []struct {
		dst *string
		v   *string
	}{
		{&c.FirstName, in.FirstName}, {&c.LastName, in.LastName}, {&c.Gender, in.Gender},
		{&c.Email, in.Email}, {&c.Phone, in.Phone}, {&c.Mobile, in.Mobile}, {&c.Fax, in.Fax},
		{&c.Skype, in.Skype}, {&c.Position, in.Position}, {&c.Notes, in.Notes},
	} {
		setText(f.dst, f.v)
	}
	if in.IsMain != nil {
		c.IsMain = *in.IsMain
	}
	if in.PortalAccess != nil {
		c.PortalAccess = *in.PortalAccess
	}
}

func (c *Contact) check(ps *Problems, passwordGiven bool) {
	ps.checkText("first_name", c.FirstName, MaxShort)
	ps.checkText("last_name", c.LastName, MaxShort)
	if c.FirstName == "" && c.LastName == "" {
		ps.Add("first_name", "required", "first_name or last_name is required")
	}
	ps.checkChoice("gender", c.Gender, Genders)
	ps.checkEmail("email", c.Email)
	ps.checkPhone("phone", c.Phone)
	ps.checkPhone("mobile", c.Mobile)
	ps.checkPhone("fax", c.Fax)
	ps.checkText("skype", c.Skype, MaxShort)
	ps.checkText("position", c.Position, MaxShort)
	ps.checkText("notes", c.Notes, MaxNotes)
	if c.PortalAccess {
		if c.Email == "" {
			ps.Add("email", "required", "email is required while portal_access is true")
		}
		if c.PasswordHash == "" && !passwordGiven {
			ps.Add("password", "required", "a password is required to turn portal_access on")
		}
	}
}

// checkPassword checks a plain password: 8–256 characters, not trimmed
// (white space is part of a password), valid UTF-8 without NUL.
func checkPassword(ps *Problems, field, pw string) {
	if !ps.checkText(field, pw, MaxPassword) {
		return
	}
	if n := len([]rune(pw)); n < MinPassword {
		ps.Add(field, "too_short", "%s must be at least %d characters", field, MinPassword)
	}
}
