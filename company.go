package clientele

import (
	"regexp"
	"time"
)

// Company is a tenant. Every other record belongs to exactly one company.
type Company struct {
	ID        int64
	Name      string
	Slug      string // unique, used by the portal login and the CLI
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CompanyInput holds the attributes a request names; nil means "not named".
type CompanyInput struct {
	Name *string

	// Rejected holds the problems an adapter found while decoding the request;
	// the service reports them together with its own and changes nothing.
	Rejected Problems
}

// NewCompany is what an operator provides to create a company with its first admin.
type NewCompany struct {
	Name       string
	Slug       string
	AdminEmail string
	AdminName  string
}

var slugPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

func (c *Company) check(ps *Problems) {
	ps.checkRequiredText("name", c.Name, MaxName)
	if !slugPattern.MatchString(c.Slug) {
		ps.Add("slug", "invalid_slug", "slug must be 1–63 lower-case letters, digits and inner hyphens")
	}
}
