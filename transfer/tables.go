package transfer

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// schemaVersion is the migration both engines' schemas must be at for the
// tables below to describe them. A new migration must update the tables and
// this number together (TestTablesCoverTheSchemas fails until it does).
const schemaVersion = 8

// table is one table as both engines store it: the columns keep their names
// from SQLite to PostgreSQL, only their physical types differ.
type table struct {
	name string
	// sqlite reads every row, its columns in the order of columns.
	sqlite string
	// columns are the PostgreSQL columns COPY writes, each with how its
	// SQLite value becomes the PostgreSQL one.
	columns []column
	// installation marks a table of the installation rather than of the
	// companies: it has no id sequence, and its rows replace whatever the
	// target holds (a node started on the target may have made its own).
	installation bool
	// noID marks a company table without an id column (and so without a
	// sequence to set).
	noID bool
}

type column struct {
	name string
	kind kind
}

// tables lists every table of the data model, parents before children, so
// that each row's foreign keys hold when COPY writes it, and then the
// installation's own tables. The *_key columns (clientele.Fold and
// clientele.EmailKey of an attribute) and search_text (clientele's search
// tokens) are copied as stored: both engines compute them with the same
// code. PostgreSQL derives search_vector from search_text (a generated
// column), and SQLite's FTS5 search indexes are not copied; nor are what
// SQLite alone keeps for its lists (migrations/0005_list_perf.sql): the
// clients' copies of their primary location's country and city_key, and
// company_counts, which its triggers derive from the rows copied; nor
// PostgreSQL's company_counts and company_count_changes (its
// migrations/0007), which its triggers derive from the rows COPY writes.
var tables = []table{
	{
		name:   "companies",
		sqlite: `SELECT id, name, slug, created_at, updated_at FROM companies ORDER BY id`,
		columns: []column{
			{"id", integer}, {"name", text}, {"slug", text}, {"created_at", stamp}, {"updated_at", stamp},
		},
	},
	{
		name: "users",
		sqlite: `SELECT id, company_id, full_name, email, email_key, role, created_at, updated_at
			FROM users ORDER BY id`,
		columns: []column{
			{"id", integer}, {"company_id", integer}, {"full_name", text}, {"email", text}, {"email_key", text},
			{"role", text}, {"created_at", stamp}, {"updated_at", stamp},
		},
	},
	{
		name: "tokens",
		sqlite: `SELECT id, company_id, user_id, name, hash, created_at, last_used_at
			FROM tokens ORDER BY id`,
		columns: []column{
			{"id", integer}, {"company_id", integer}, {"user_id", integer}, {"name", text}, {"hash", blob},
			{"created_at", stamp}, {"last_used_at", nullStamp},
		},
	},
	{
		name: "clients",
		sqlite: `SELECT id, company_id, name, name_key, external_id, types, email, email_key, billing_email,
			phone, phone_secondary, mobile, fax, website, tax_name, tax_number, registration_number, bank_name,
			iban, notes, default_rate, default_rate_type, invoice_reminders, show_location_on_invoice,
			owner_id, salesperson_id, case_manager_id, search_text, created_at, updated_at, logo
			FROM clients ORDER BY id`,
		columns: []column{
			{"id", integer}, {"company_id", integer}, {"name", text}, {"name_key", text}, {"external_id", nullText},
			{"types", bitSet}, {"email", nullText}, {"email_key", nullText}, {"billing_email", nullText}, {"phone", nullText},
			{"phone_secondary", nullText}, {"mobile", nullText}, {"fax", nullText}, {"website", nullText},
			{"tax_name", nullText}, {"tax_number", nullText}, {"registration_number", nullText},
			{"bank_name", nullText}, {"iban", nullText}, {"notes", nullText}, {"default_rate", nullText},
			{"default_rate_type", nullText}, {"invoice_reminders", boolean}, {"show_location_on_invoice", boolean},
			{"owner_id", nullInteger}, {"salesperson_id", nullInteger}, {"case_manager_id", nullInteger},
			{"search_text", text}, {"created_at", stamp}, {"updated_at", stamp}, {"logo", nullText},
		},
	},
	{
		name: "locations",
		sqlite: `SELECT id, company_id, client_id, name, name_key, street, house_number, address_line_2,
			address_line_3, postal_code, city, city_key, region, country, recipient, email, phone, phone_secondary,
			fax, notes, is_primary, created_at, updated_at
			FROM locations ORDER BY id`,
		columns: []column{
			{"id", integer}, {"company_id", integer}, {"client_id", integer}, {"name", text}, {"name_key", text},
			{"street", nullText}, {"house_number", nullText}, {"address_line_2", nullText},
			{"address_line_3", nullText}, {"postal_code", nullText}, {"city", nullText}, {"city_key", text},
			{"region", nullText},
			{"country", text}, {"recipient", nullText}, {"email", nullText}, {"phone", nullText},
			{"phone_secondary", nullText}, {"fax", nullText}, {"notes", nullText}, {"is_primary", boolean},
			{"created_at", stamp}, {"updated_at", stamp},
		},
	},
	{
		name: "contacts",
		sqlite: `SELECT id, company_id, client_id, first_name, last_name, first_key, last_key, name_key, gender,
			email, email_key, phone, mobile, fax, skype, position, notes, is_main, portal_access, password_hash,
			search_text, created_at, updated_at, image
			FROM contacts ORDER BY id`,
		columns: []column{
			{"id", integer}, {"company_id", integer}, {"client_id", integer}, {"first_name", nullText},
			{"last_name", nullText}, {"first_key", text}, {"last_key", text}, {"name_key", text},
			{"gender", nullText}, {"email", nullText}, {"email_key", nullText}, {"phone", nullText},
			{"mobile", nullText}, {"fax", nullText}, {"skype", nullText},
			{"position", nullText}, {"notes", nullText}, {"is_main", boolean}, {"portal_access", boolean},
			{"password_hash", nullText}, {"search_text", text}, {"created_at", stamp}, {"updated_at", stamp},
			{"image", nullText},
		},
	},
	// The client portal's sessions (hashes only) and failed logins, so that
	// a move neither signs contacts out nor lifts a lockout.
	{
		name:   "portal_sessions",
		sqlite: `SELECT id, company_id, contact_id, hash, created_at, expires_at FROM portal_sessions ORDER BY id`,
		columns: []column{
			{"id", integer}, {"company_id", integer}, {"contact_id", integer}, {"hash", blob},
			{"created_at", stamp}, {"expires_at", stamp},
		},
	},
	{
		name:   "portal_login_failures",
		sqlite: `SELECT id, company_id, email_digest, failed_at FROM portal_login_failures ORDER BY id`,
		columns: []column{
			{"id", integer}, {"company_id", integer}, {"email_digest", text}, {"failed_at", stamp},
		},
	},
	// The idempotency keys of POST requests (migration 0004), so that a
	// client's retry after the move still gets its first answer.
	{
		name: "idempotency_keys",
		sqlite: `SELECT company_id, key, fingerprint, response, claimed_at
			FROM idempotency_keys ORDER BY company_id, key`,
		columns: []column{
			{"company_id", integer}, {"key", blob}, {"fingerprint", blob}, {"response", nullBlob},
			{"claimed_at", stamp},
		},
		noID: true,
	},
	// The logo and image columns carry only the file keys: the stored bytes
	// (--data-dir/files, or the bucket) must stay reachable from the
	// PostgreSQL installation, which `clientele copy` says when it is done.

	// The installation's secrets: the key that seals paging cursors, so
	// that the cursors of the SQLite installation keep working after the
	// move (both engines order every list alike, so a position means the
	// same on either).
	{
		name:         "installation_secrets",
		sqlite:       `SELECT name, value FROM installation_secrets ORDER BY name`,
		columns:      []column{{"name", text}, {"value", blob}},
		installation: true,
	},
}

// names returns the PostgreSQL column names of t, in order.
func (t table) names() []string {
	out := make([]string, len(t.columns))
	for i, c := range t.columns {
		out[i] = c.name
	}
	return out
}

// kind is how a column is stored in SQLite and in PostgreSQL.
type kind int

const (
	integer     kind = iota // INTEGER NOT NULL → bigint
	nullInteger             // INTEGER, NULL for none → bigint
	bitSet                  // INTEGER NOT NULL bit set of client types → smallint
	text                    // TEXT NOT NULL → text
	nullText                // TEXT → text; NULL stays NULL (and "" stays "")
	boolean                 // INTEGER NOT NULL, 0 or 1 → boolean
	stamp                   // INTEGER NOT NULL microseconds since the epoch, UTC → timestamptz
	nullStamp               // as stamp, NULL for none
	blob                    // BLOB NOT NULL → bytea
	nullBlob                // BLOB → bytea; NULL stays NULL
)

// convert turns v, as the SQLite driver returns it (int64, float64, string,
// []byte or nil), into the value pgx writes to a column of kind k. It is
// strict: anything the PostgreSQL column could not hold exactly is an error
// here, naming the value, rather than a failed COPY later.
func convert(k kind, v any) (any, error) {
	if v == nil {
		switch k {
		case nullInteger, nullText, nullStamp, nullBlob:
			return nil, nil
		}
		return nil, fmt.Errorf("is NULL")
	}
	switch k {
	case integer, nullInteger:
		return asInt(v)
	case bitSet:
		n, err := asInt(v)
		if err != nil {
			return nil, err
		}
		if n < 0 || n > math.MaxInt16 {
			return nil, fmt.Errorf("holds %d, out of the range of smallint", n)
		}
		return int16(n), nil
	case boolean:
		n, err := asInt(v)
		if err != nil {
			return nil, err
		}
		if n != 0 && n != 1 {
			return nil, fmt.Errorf("holds %d, not a boolean (0 or 1)", n)
		}
		return n == 1, nil
	case stamp, nullStamp:
		us, err := asInt(v)
		if err != nil {
			return nil, err
		}
		// Both engines keep microseconds: the value arrives unrounded.
		return time.UnixMicro(us).UTC(), nil
	case text, nullText:
		var s string
		switch v := v.(type) {
		case string:
			s = v
		case []byte:
			s = string(v)
		default:
			return nil, fmt.Errorf("holds %T, not text", v)
		}
		// PostgreSQL text refuses what SQLite accepts: invalid UTF-8 and NUL.
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("is not valid UTF-8")
		}
		if strings.IndexByte(s, 0) >= 0 {
			return nil, fmt.Errorf("contains a NUL character")
		}
		return s, nil
	case blob, nullBlob:
		switch v := v.(type) {
		case []byte:
			return v, nil
		case string:
			return []byte(v), nil
		}
		return nil, fmt.Errorf("holds %T, not a blob", v)
	}
	return nil, fmt.Errorf("unknown column kind %d", k)
}

func asInt(v any) (int64, error) {
	if n, ok := v.(int64); ok {
		return n, nil
	}
	return 0, fmt.Errorf("holds %T, not an integer", v)
}
