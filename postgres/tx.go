package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/storage"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// tx implements clientele.Tx over one PostgreSQL transaction.
type tx struct {
	tx     pgx.Tx
	write  bool
	locked []int64 // companies this write transaction holds the lock of
}

// companyLock is the advisory lock class of a company's writes; the company id is the object.
const companyLock = 0x436c74 // "Clt"

// lock takes, once per transaction, the write lock of companyID.
func (t *tx) lock(ctx context.Context, companyID int64) error {
	if !t.write {
		return nil
	}
	for _, id := range t.locked {
		if id == companyID {
			return nil
		}
	}
	if companyID <= 0 || companyID > 1<<31-1 {
		return fmt.Errorf("postgres: company id %d out of the lock range", companyID)
	}
	if _, err := t.tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, companyLock, int32(companyID)); err != nil {
		return translate(err)
	}
	t.locked = append(t.locked, companyID)
	return nil
}

// row runs a query of one row about companyID's data.
func (t *tx) row(ctx context.Context, companyID int64, query string, args ...any) pgx.Row {
	if err := t.lock(ctx, companyID); err != nil {
		return errRow{err}
	}
	return t.tx.QueryRow(ctx, query, args...)
}

// rows runs a query of many rows about companyID's data.
func (t *tx) rows(ctx context.Context, companyID int64, query string, args ...any) (pgx.Rows, error) {
	if err := t.lock(ctx, companyID); err != nil {
		return nil, err
	}
	return t.tx.Query(ctx, query, args...)
}

// exec runs a statement about companyID's data and returns how many rows it touched.
func (t *tx) exec(ctx context.Context, companyID int64, query string, args ...any) (int64, error) {
	if err := t.lock(ctx, companyID); err != nil {
		return 0, err
	}
	tag, err := t.tx.Exec(ctx, query, args...)
	return tag.RowsAffected(), translate(err)
}

// execOne runs an update or delete of one record; NotFound (naming what) when it touched no row.
func (t *tx) execOne(ctx context.Context, companyID int64, what, query string, args ...any) error {
	n, err := t.exec(ctx, companyID, query, args...)
	if err == nil && n == 0 {
		return clientele.ErrNotFound(what)
	}
	return err
}

// count runs a query of one count about companyID's data.
func (t *tx) count(ctx context.Context, companyID int64, query string, args []any) (int, error) {
	var n int
	err := t.row(ctx, companyID, query, args...).Scan(&n)
	return n, translate(err)
}

// collect scans every row with scan.
func collect[T any](rows pgx.Rows, err error, scan func(pgx.Row) (T, error)) ([]T, error) {
	if err != nil {
		return nil, translate(err)
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
	return out, translate(rows.Err())
}

// notFound returns NotFound for pgx.ErrNoRows and otherwise the translated err.
func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return clientele.ErrNotFound(what)
	}
	return translate(err)
}

// uniques maps constraint and index names to the domain's unique rules.
var uniques = map[string]storage.Unique{
	"companies_slug":        storage.CompanySlug,
	"users_email":           storage.UserEmail,
	"clients_external_id":   storage.ClientExternalID,
	"contacts_portal_email": storage.ContactPortalEmail,
}

// translate turns driver errors into domain errors where the domain has a
// meaning for them; anything else stays as it is, an internal error.
func translate(err error) error {
	var pe *pgconn.PgError
	if err == nil || !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case "23505": // unique_violation
		if u, ok := uniques[pe.ConstraintName]; ok {
			return storage.Conflict(u, err)
		}
		return storage.OtherConflict(err)
	case "23503": // foreign_key_violation
		return storage.MissingReference(err)
	}
	return err
}

// placeholders returns "$from, $from+1, …" for n values.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}
