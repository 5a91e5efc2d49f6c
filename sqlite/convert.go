package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/storage"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

func micros(t time.Time) int64 { return t.UnixMicro() }

// microsOrNull maps the zero time to NULL.
func microsOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// nullTime scans a nullable microsecond timestamp; NULL is the zero time.
type nullTime struct{ t *time.Time }

func (n nullTime) Scan(v any) error {
	var ni sql.NullInt64
	if err := ni.Scan(v); err != nil {
		return err
	}
	*n.t = time.Time{}
	if ni.Valid {
		*n.t = fromMicros(ni.Int64)
	}
	return nil
}

// str scans a nullable text column into a string; NULL is "".
type str struct{ s *string }

func (n str) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*n.s = ""
	case string:
		*n.s = v
	case []byte:
		*n.s = string(v)
	default:
		return errors.New("sqlite: text column holds a non-text value")
	}
	return nil
}

// id scans a nullable integer column into an int64; NULL is 0.
type id struct{ p *int64 }

func (n id) Scan(v any) error {
	var ni sql.NullInt64
	err := ni.Scan(v)
	*n.p = ni.Int64
	return err
}

// ts scans a microsecond timestamp.
type ts struct{ t *time.Time }

func (n ts) Scan(v any) error {
	var i int64
	if err := (id{&i}).Scan(v); err != nil {
		return err
	}
	*n.t = fromMicros(i)
	return nil
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// translate turns driver errors into domain errors where the domain has a
// meaning for them; anything else stays as it is, an internal error.
func translate(err error) error {
	var se *sqlite.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	msg := se.Error()
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		for _, u := range uniques {
			if strings.Contains(msg, u.columns) {
				return storage.Conflict(u.rule, err)
			}
		}
		return storage.OtherConflict(err)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return storage.MissingReference(err)
	}
	return err
}

// uniques maps the columns that SQLite names in a UNIQUE failure to the
// domain's unique rules.
var uniques = []struct {
	columns string
	rule    storage.Unique
}{
	{"companies.slug", storage.CompanySlug},
	{"users.company_id, users.email_key", storage.UserEmail},
	{"clients.company_id, clients.external_id", storage.ClientExternalID},
	{"contacts.company_id, contacts.email_key", storage.ContactPortalEmail},
}

// notFound returns NotFound for sql.ErrNoRows and otherwise err.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return clientele.ErrNotFound(what)
	}
	return err
}

// execOne runs an update or delete of one record; NotFound (naming what)
// when it touched no row.
func (t *tx) execOne(ctx context.Context, what, query string, args ...any) error {
	res, err := t.ExecContext(ctx, query, args...)
	if err != nil {
		return translate(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return clientele.ErrNotFound(what)
	}
	return nil
}

// collect scans every row with scan.
func collect[T any](rows *sql.Rows, err error, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// limit is the LIMIT argument of page: its Limit, or -1 (no limit) for 0.
func limit(page clientele.Page) int {
	if page.Limit == 0 {
		return -1
	}
	return page.Limit
}
