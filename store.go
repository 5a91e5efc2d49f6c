package clientele

import (
	"context"
	"time"
)

// Store is a storage engine. Every business rule lives in Service; a Store
// keeps records, enforces uniqueness and referential integrity as a last line
// of defence, and scopes every company-owned record by the company id it is
// given.
type Store interface {
	// Read runs fn in a read-only transaction that sees one consistent snapshot.
	Read(ctx context.Context, fn func(Tx) error) error
	// Write runs fn in a read-write transaction. Writes of one company are
	// serialised: from fn's first read or write of a company's records (the
	// company itself included) until the commit, no other Write changes that
	// company's records, so what fn read stays true. An engine may serialise
	// more (SQLite serialises all writes). When Write returns nil the changes
	// are durable; when fn returns an error nothing it did is kept and Write
	// returns that error.
	Write(ctx context.Context, fn func(Tx) error) error
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// Secret returns the installation's secret called name ("cursor": the
	// key that seals page cursors): 32 random bytes, made and stored the
	// first time any process asks for it, and the same ever after for every
	// process and node on the database.
	Secret(ctx context.Context, name string) ([]byte, error)
	Close() error
}

// Tx is a transaction. Methods that take a company id never see, change or
// count records of another company: such a record behaves as if it did not
// exist. Lookups of a missing record return a NotFound *Error, never a zero
// value with a nil error. Writes that break a unique rule return a Conflict
// *Error whose problem names the field (external_id, email, slug).
type Tx interface {
	// CreateCompany stores c and sets c.ID. Conflict on a duplicate slug.
	CreateCompany(ctx context.Context, c *Company) error
	// Company returns the company with id. NotFound.
	Company(ctx context.Context, id int64) (Company, error)
	// CompanyBySlug returns the company with slug. NotFound.
	CompanyBySlug(ctx context.Context, slug string) (Company, error)
	// UpdateCompany stores c's name and updated_at. NotFound.
	UpdateCompany(ctx context.Context, c Company) error
	// HasCompanies reports whether any company exists.
	HasCompanies(ctx context.Context) (bool, error)

	// CreateUser stores u and sets u.ID. Conflict on a duplicate e-mail (EmailKey) in the company.
	CreateUser(ctx context.Context, u *User) error
	// User returns a user of the company. NotFound.
	User(ctx context.Context, companyID, id int64) (User, error)
	// UserByEmail returns the user of the company whose EmailKey matches email's. NotFound.
	UserByEmail(ctx context.Context, companyID int64, email string) (User, error)
	// Users returns a page of the company's users ordered by id.
	Users(ctx context.Context, companyID int64, q UserQuery) ([]User, error)
	// UpdateUser stores u's attributes. NotFound, Conflict.
	UpdateUser(ctx context.Context, u User) error
	// DeleteUser deletes a user with its tokens and sets the client
	// relationships that name it (owner, salesperson, case manager) to null,
	// with those clients' updated_at set to at. NotFound.
	DeleteUser(ctx context.Context, companyID, id int64, at time.Time) error
	// CountAdmins returns how many admins the company has.
	CountAdmins(ctx context.Context, companyID int64) (int, error)

	// CreateToken stores t and sets t.ID.
	CreateToken(ctx context.Context, t *Token) error
	// TokenByHash returns the token of any company whose hash is hash. NotFound.
	TokenByHash(ctx context.Context, hash []byte) (Token, error)
	// Token returns a token of the company. NotFound.
	Token(ctx context.Context, companyID, id int64) (Token, error)
	// Tokens returns a page of the company's tokens ordered by id.
	Tokens(ctx context.Context, companyID int64, q TokenQuery) ([]Token, error)
	// DeleteToken deletes a token. NotFound.
	DeleteToken(ctx context.Context, companyID, id int64) error
	// TouchToken sets a token's last_used_at. NotFound.
	TouchToken(ctx context.Context, companyID, id int64, at time.Time) error

	// CreateClient stores c (not its address) and sets c.ID. Conflict on a duplicate external_id.
	CreateClient(ctx context.Context, c *Client) error
	// Client returns a client with its derived Address and MainContactID. NotFound.
	Client(ctx context.Context, companyID, id int64) (Client, error)
	// Clients returns a page of clients, each with Address and MainContactID,
	// in the order of q.Sort (see SortKey and ClientPosition).
	Clients(ctx context.Context, companyID int64, q ClientQuery) ([]Client, error)
	// CountClients returns how many clients q selects, ignoring its Sort and Page.
	CountClients(ctx context.Context, companyID int64, q ClientQuery) (int, error)
	// UpdateClient stores c's attributes (not its address). NotFound, Conflict.
	UpdateClient(ctx context.Context, c Client) error
	// TouchClient sets a client's updated_at to at, or to a microsecond after
	// its updated_at when that is not before at: every write that changes a
	// record moves its updated_at strictly forward (ClearPrimaryLocation,
	// ClearMainContact and DeleteUser's clients alike). NotFound.
	TouchClient(ctx context.Context, companyID, id int64, at time.Time) error
	// DeleteClient deletes a client with all its locations and contacts. NotFound.
	DeleteClient(ctx context.Context, companyID, id int64) error
	// LockClient makes sure the client exists and that no other transaction
	// changes it or its locations and contacts until this one ends. NotFound.
	LockClient(ctx context.Context, companyID, id int64) error

	// CreateLocation stores l and sets l.ID.
	//
	// The location writes keep the client's search text (ClientSearchText,
	// which holds the primary location's city) in step, in the same
	// transaction, as CreateClient and UpdateClient do.
	CreateLocation(ctx context.Context, l *Location) error
	// Location returns a location. NotFound.
	Location(ctx context.Context, companyID, id int64) (Location, error)
	// PrimaryLocation returns a client's primary location. NotFound when it has none.
	PrimaryLocation(ctx context.Context, companyID, clientID int64) (Location, error)
	// Locations returns a page of locations in the order of q.Sort.
	Locations(ctx context.Context, companyID int64, q LocationQuery) ([]Location, error)
	// CountLocations returns how many locations q selects, ignoring its Sort and Page.
	CountLocations(ctx context.Context, companyID int64, q LocationQuery) (int, error)
	// UpdateLocation stores l's attributes. NotFound.
	UpdateLocation(ctx context.Context, l Location) error
	// DeleteLocation deletes a location. NotFound.
	DeleteLocation(ctx context.Context, companyID, id int64) error
	// ClearPrimaryLocation makes none of a client's locations primary.
	ClearPrimaryLocation(ctx context.Context, companyID, clientID int64, at time.Time) error

	// CreateContact stores c and sets c.ID. Conflict on a duplicate e-mail
	// (EmailKey) among the company's contacts with portal access.
	CreateContact(ctx context.Context, c *Contact) error
	// Contact returns a contact. NotFound.
	Contact(ctx context.Context, companyID, id int64) (Contact, error)
	// Contacts returns a page of contacts in the order of q.Sort.
	Contacts(ctx context.Context, companyID int64, q ContactQuery) ([]Contact, error)
	// CountContacts returns how many contacts q selects, ignoring its Sort and Page.
	CountContacts(ctx context.Context, companyID int64, q ContactQuery) (int, error)
	// UpdateContact stores c's attributes, client and password hash. NotFound, Conflict.
	UpdateContact(ctx context.Context, c Contact) error
	// DeleteContact deletes a contact. NotFound.
	DeleteContact(ctx context.Context, companyID, id int64) error
	// ClearMainContact makes none of a client's contacts main.
	ClearMainContact(ctx context.Context, companyID, clientID int64, at time.Time) error

	// CreatePortalSession stores p and sets p.ID. Deleting the contact (or
	// its client) deletes its sessions.
	CreatePortalSession(ctx context.Context, p *PortalSession) error
	// PortalSessionByHash returns the session of any company whose hash is
	// hash, expired or not. NotFound.
	PortalSessionByHash(ctx context.Context, hash []byte) (PortalSession, error)
	// DeletePortalSession deletes a session. NotFound.
	DeletePortalSession(ctx context.Context, companyID, id int64) error
	// DeletePortalSessions deletes every session of a contact except the
	// session keep (0: keeps none).
	DeletePortalSessions(ctx context.Context, companyID, contactID, keep int64) error
	// DeleteExpiredPortalSessions deletes the company's sessions whose
	// ExpiresAt is at or before at.
	DeleteExpiredPortalSessions(ctx context.Context, companyID int64, at time.Time) error
	// AddPortalFailure records a failed portal login of the company at at
	// for the e-mail whose digest is digest (the Service's; see failureKey).
	AddPortalFailure(ctx context.Context, companyID int64, digest string, at time.Time) error
	// PortalFailures returns, oldest first, the times of the company's
	// failed portal logins for digest that are after since.
	PortalFailures(ctx context.Context, companyID int64, digest string, since time.Time) ([]time.Time, error)
	// DeletePortalFailures deletes the company's failed portal logins for
	// digest ("": for every e-mail) that are at or before before.
	DeletePortalFailures(ctx context.Context, companyID int64, digest string, before time.Time) error
	// SetClientLogo sets (nil: removes) a client's logo and its updated_at. NotFound.
	SetClientLogo(ctx context.Context, companyID, id int64, logo *Image, at time.Time) error
	// SetContactImage sets (nil: removes) a contact's image and its updated_at. NotFound.
	SetContactImage(ctx context.Context, companyID, id int64, image *Image, at time.Time) error
	// ClientImages returns the images that deleting the client takes along:
	// its logo and its contacts' images, in no order. NotFound.
	ClientImages(ctx context.Context, companyID, id int64) ([]Image, error)
	// ImagesInUse returns those of keys that a client or contact of any
	// company references, in no order.
	ImagesInUse(ctx context.Context, keys []string) ([]string, error)
	// IdempotencyKey returns a company's idempotency key. NotFound.
	IdempotencyKey(ctx context.Context, companyID int64, key []byte) (IdempotencyKey, error)
	// PutIdempotencyKey stores k, replacing the company's key of the same Key.
	PutIdempotencyKey(ctx context.Context, k IdempotencyKey) error
	// DeleteIdempotencyKey deletes a company's idempotency key. NotFound.
	DeleteIdempotencyKey(ctx context.Context, companyID int64, key []byte) error
	// DeleteIdempotencyKeys deletes the keys of every company claimed before
	// before, and returns how many.
	DeleteIdempotencyKeys(ctx context.Context, before time.Time) (int, error)
}

// Page selects a window of a list: at most Limit records that follow After in
// the list's order (users and tokens: by id; the zero Position: from the
// start), or, in number mode, that follow the first Offset records. Limit 0
// means no limit: every matching record.
// Only the loading of related records uses it, where the query's IDs or
// ClientIDs bound the result (a page of 100 clients may still have many
// contacts); lists that callers page through always have a Limit.
type Page struct {
	Limit  int
	After  Position
	Offset int
	Number bool // number mode: the Service also counts the list (stores ignore it)
}

// UserQuery selects users; empty IDs means all.
type UserQuery struct {
	IDs []int64
	Page
}

// TokenQuery selects tokens; UserID 0 means every user's.
type TokenQuery struct {
	UserID int64
	Page
}

// ClientQuery selects and orders clients. Every condition that is set must
// hold; a list condition holds when any of its values matches.
type ClientQuery struct {
	IDs            []int64
	Name           string   // Fold(name) contains Fold(Name)
	ExternalIDs    []string // exact, case-sensitive
	Types          []string // the client has any of them
	OwnerIDs       []int64
	SalespersonIDs []int64
	CaseManagerIDs []int64
	Countries      []string  // of the primary location; upper case
	Cities         []string  // of the primary location; compared folded
	Emails         []string  // compared by EmailKey
	Created        TimeRange // created_at
	Updated        TimeRange // updated_at
	Search         string    // q: every SearchTerms term prefixes a token of ClientSearchText; "": no search
	Sort           []SortKey // then id; empty: by id; RelevanceSort only with Search
	Page
}

// LocationQuery selects locations; zero ClientID means every client's, empty
// ClientIDs any client's, empty IDs any id. The conditions that are set must
// all hold: ClientIDs selects the locations of any of those clients.
type LocationQuery struct {
	ClientID  int64
	ClientIDs []int64
	IDs       []int64
	Countries []string  // upper case
	Cities    []string  // compared folded
	IsPrimary *bool     // nil: either
	Sort      []SortKey // then id; empty: by id
	Page
}

// ContactQuery selects contacts; zero ClientID means every client's, empty
// ClientIDs any client's, empty IDs any id. The conditions that are set must
// all hold: ClientIDs selects the contacts of any of those clients.
type ContactQuery struct {
	ClientID     int64
	ClientIDs    []int64
	IDs          []int64
	Name         string    // Fold of the first, last or full name contains Fold(Name)
	Emails       []string  // compared by EmailKey
	IsMain       *bool     // nil: either
	PortalAccess *bool     // nil: either
	Created      TimeRange // created_at
	Updated      TimeRange // updated_at
	Search       string    // q: every SearchTerms term prefixes a token of ContactSearchText; "": no search
	Sort         []SortKey // then id; empty: by id; RelevanceSort only with Search
	Page
}
