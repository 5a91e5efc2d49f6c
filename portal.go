package clientele

import "time"

// PortalTokenPrefix starts every portal session secret, so that the API can
// tell a contact's session from a staff API token (TokenPrefix) and refuse
// each on the other's routes.
const PortalTokenPrefix = "clp_"

// The portal's session lifetime and login lockout.
const (
	// PortalSessionTTL is how long a portal session lasts after its login.
	PortalSessionTTL = 30 * 24 * time.Hour
	// PortalMaxFailures failed logins for one company and e-mail within
	// PortalFailureWindow lock that e-mail out until the oldest of them
	// leaves the window.
	PortalMaxFailures   = 5
	PortalFailureWindow = 15 * time.Minute
)

// PortalSession is a contact's portal login. Its secret is shown once, at
// login; only its SHA-256 hash is stored.
type PortalSession struct {
	ID        int64
	CompanyID int64
	ContactID int64
	Hash      []byte
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Portal is who makes a portal request: a contact of a company with portal
// access, authenticated by the session SessionID.
type Portal struct {
	CompanyID int64
	ContactID int64
	SessionID int64
}

// PortalSignIn is what a successful portal login returns: the contact and
// the session's secret, which is never shown again, with its expiry.
type PortalSignIn struct {
	Contact   Contact
	Secret    string
	ExpiresAt time.Time
}

// PortalContactInput holds what a contact may change of itself in the
// portal; nil means "not named", a pointer to "" sets an attribute to null.
// Password needs CurrentPassword.
type PortalContactInput struct {
	Phone, Mobile, Skype, Position *string
	Password, CurrentPassword      *string // plain text
	// Rejected holds the problems an adapter found while decoding the request;
	// the service reports them together with its own and changes nothing.
	Rejected Problems
}
