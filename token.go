package clientele

import "time"

// TokenPrefix starts every API token secret, so that leaked secrets are easy to recognise.
const TokenPrefix = "clt_"

// Token is an API token. Its secret is shown once at creation; only its
// SHA-256 hash is stored.
type Token struct {
	ID         int64
	CompanyID  int64
	UserID     int64
	Name       string
	Hash       []byte
	CreatedAt  time.Time
	LastUsedAt time.Time // zero when never used
}

// TokenInput holds what a request names to create a token; UserID 0 means the caller.
type TokenInput struct {
	Name   string
	UserID int64

	// Rejected holds the problems an adapter found while decoding the request;
	// the service reports them together with its own and changes nothing.
	Rejected Problems
}

// DefaultTokenName names a token created without a name.
const DefaultTokenName = "API token"

func (t *Token) check(ps *Problems) {
	ps.checkRequiredText("name", t.Name, MaxShort)
}
