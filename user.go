package clientele

import (
	"strings"
	"time"
)

// Role is what a user may do in its company.
type Role string

const (
	RoleAdmin  Role = "admin"  // manages users, all tokens and the company
	RoleMember Role = "member" // manages clients, locations, contacts and its own tokens
)

// Roles lists the valid roles.
var Roles = []string{string(RoleAdmin), string(RoleMember)}

// User is a member of a company's staff.
type User struct {
	ID        int64
	CompanyID int64
	FullName  string
	Email     string
	Role      Role
	CreatedAt time.Time
	UpdatedAt time.Time
}

// UserInput holds the attributes a request names; nil means "not named".
type UserInput struct {
	FullName *string
	Email    *string
	Role     *string
	// Rejected holds the problems an adapter found while decoding the request;
	// the service reports them together with its own and changes nothing.
	Rejected Problems
}

// EmailKey is the form in which e-mail addresses are compared for uniqueness:
// case-insensitive, computed here so that every engine agrees.
func EmailKey(email string) string { return strings.ToLower(email) }

func (u *User) apply(in UserInput) {
	setText(&u.FullName, in.FullName)
	setText(&u.Email, in.Email)
	if in.Role != nil {
		u.Role = Role(strings.TrimSpace(*in.Role))
	}
}

// check adds the problems of u; prefix names where the user sits in the
// request ("admin." when a company is created with it).
func (u *User) check(ps *Problems, prefix string) {
	ps.checkRequiredText(prefix+"full_name", u.FullName, MaxName)
	ps.checkRequired(prefix+"email", u.Email)
	ps.checkEmail(prefix+"email", u.Email)
	ps.checkRequired(prefix+"role", string(u.Role))
	ps.checkChoice(prefix+"role", string(u.Role), Roles)
}
