package sqlite

import (
	"context"
	"time"

	"github.com/clientele/clientele"
)

const portalSessionColumns = `id, company_id, contact_id, hash, created_at, expires_at`

func scanPortalSession(row interface{ Scan(...any) error }) (clientele.PortalSession, error) {
	var p clientele.PortalSession
	err := row.Scan(&p.ID, &p.CompanyID, &p.ContactID, &p.Hash, ts{&p.CreatedAt}, ts{&p.ExpiresAt})
	return p, notFound(err, "portal session")
}

var insertPortalSession = prepared(`INSERT INTO portal_sessions (company_id, contact_id, hash, created_at, expires_at)
	VALUES (?, ?, ?, ?, ?) RETURNING id`)

func (t *tx) CreatePortalSession(ctx context.Context, p *clientele.PortalSession) error {
	return translate(t.QueryRowContext(ctx, insertPortalSession,
		p.CompanyID, p.ContactID, p.Hash, micros(p.CreatedAt), micros(p.ExpiresAt)).Scan(&p.ID))
}

var selectPortalSessionByHash = prepared(`SELECT ` + portalSessionColumns + ` FROM portal_sessions WHERE hash = ?`)

func (t *tx) PortalSessionByHash(ctx context.Context, hash []byte) (clientele.PortalSession, error) {
	return scanPortalSession(t.QueryRowContext(ctx, selectPortalSessionByHash, hash))
}

var deletePortalSession = prepared(`DELETE FROM portal_sessions WHERE company_id = ? AND id = ?`)

func (t *tx) DeletePortalSession(ctx context.Context, companyID, id int64) error {
	return t.execOne(ctx, "portal session", deletePortalSession, companyID, id)
}

var deletePortalSessions = prepared(`DELETE FROM portal_sessions WHERE company_id = ? AND contact_id = ? AND id <> ?`)

func (t *tx) DeletePortalSessions(ctx context.Context, companyID, contactID, keep int64) error {
	_, err := t.ExecContext(ctx, deletePortalSessions, companyID, contactID, keep)
	return translate(err)
}

var deleteExpiredPortalSessions = prepared(`DELETE FROM portal_sessions WHERE company_id = ? AND expires_at <= ?`)

func (t *tx) DeleteExpiredPortalSessions(ctx context.Context, companyID int64, at time.Time) error {
	_, err := t.ExecContext(ctx, deleteExpiredPortalSessions, companyID, micros(at))
	return translate(err)
}

var insertPortalFailure = prepared(`INSERT INTO portal_login_failures (company_id, email_digest, failed_at) VALUES (?, ?, ?)`)

func (t *tx) AddPortalFailure(ctx context.Context, companyID int64, digest string, at time.Time) error {
	_, err := t.ExecContext(ctx, insertPortalFailure, companyID, digest, micros(at))
	return translate(err)
}

var selectPortalFailures = prepared(`SELECT failed_at FROM portal_login_failures
	WHERE company_id = ? AND email_digest = ? AND failed_at > ? ORDER BY failed_at, id`)

func (t *tx) PortalFailures(ctx context.Context, companyID int64, digest string, since time.Time) ([]time.Time, error) {
	rows, err := t.QueryContext(ctx, selectPortalFailures, companyID, digest, micros(since))
	return collect(rows, err, func(row interface{ Scan(...any) error }) (time.Time, error) {
		var at time.Time
		return at, row.Scan(ts{&at})
	})
}

var (
	deletePortalFailuresOf = prepared(`DELETE FROM portal_login_failures
		WHERE company_id = ? AND email_digest = ? AND failed_at <= ?`)
	deletePortalFailures = prepared(`DELETE FROM portal_login_failures WHERE company_id = ? AND failed_at <= ?`)
)

func (t *tx) DeletePortalFailures(ctx context.Context, companyID int64, digest string, before time.Time) error {
	var err error
	if digest == "" {
		_, err = t.ExecContext(ctx, deletePortalFailures, companyID, micros(before))
	} else {
		_, err = t.ExecContext(ctx, deletePortalFailuresOf, companyID, digest, micros(before))
	}
	return translate(err)
}
