package postgres

import (
	"context"
	"time"

	"github.com/clientele/clientele"
	"github.com/jackc/pgx/v5"
)

const portalSessionColumns = `id, company_id, contact_id, hash, created_at, expires_at`

func scanPortalSession(row pgx.Row) (clientele.PortalSession, error) {
	var p clientele.PortalSession
	err := row.Scan(&p.ID, &p.CompanyID, &p.ContactID, &p.Hash, &p.CreatedAt, &p.ExpiresAt)
	p.CreatedAt, p.ExpiresAt = p.CreatedAt.UTC(), p.ExpiresAt.UTC()
	return p, notFound(err, "portal session")
}

func (t *tx) CreatePortalSession(ctx context.Context, p *clientele.PortalSession) error {
	return translate(t.row(ctx, p.CompanyID,
		`INSERT INTO portal_sessions (company_id, contact_id, hash, created_at, expires_at)
		 VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		p.CompanyID, p.ContactID, p.Hash, p.CreatedAt, p.ExpiresAt).Scan(&p.ID))
}

func (t *tx) PortalSessionByHash(ctx context.Context, hash []byte) (clientele.PortalSession, error) {
	return scanPortalSession(t.tx.QueryRow(ctx, `SELECT `+portalSessionColumns+` FROM portal_sessions WHERE hash = $1`, hash))
}

func (t *tx) DeletePortalSession(ctx context.Context, companyID, id int64) error {
	return t.execOne(ctx, companyID, "portal session",
		`DELETE FROM portal_sessions WHERE company_id = $1 AND id = $2`, companyID, id)
}

func (t *tx) DeletePortalSessions(ctx context.Context, companyID, contactID, keep int64) error {
	_, err := t.exec(ctx, companyID,
		`DELETE FROM portal_sessions WHERE company_id = $1 AND contact_id = $2 AND id <> $3`, companyID, contactID, keep)
	return err
}

func (t *tx) DeleteExpiredPortalSessions(ctx context.Context, companyID int64, at time.Time) error {
	_, err := t.exec(ctx, companyID, `DELETE FROM portal_sessions WHERE company_id = $1 AND expires_at <= $2`, companyID, at)
	return err
}

func (t *tx) AddPortalFailure(ctx context.Context, companyID int64, digest string, at time.Time) error {
	_, err := t.exec(ctx, companyID,
		`INSERT INTO portal_login_failures (company_id, email_digest, failed_at) VALUES ($1, $2, $3)`, companyID, digest, at)
	return err
}

func (t *tx) PortalFailures(ctx context.Context, companyID int64, digest string, since time.Time) ([]time.Time, error) {
	rows, err := t.rows(ctx, companyID, `SELECT failed_at FROM portal_login_failures
		WHERE company_id = $1 AND email_digest = $2 AND failed_at > $3 ORDER BY failed_at, id`, companyID, digest, since)
	return collect(rows, err, func(row pgx.Row) (time.Time, error) {
		var at time.Time
		err := row.Scan(&at)
		return at.UTC(), err
	})
}

func (t *tx) DeletePortalFailures(ctx context.Context, companyID int64, digest string, before time.Time) error {
	var err error
	if digest == "" {
		_, err = t.exec(ctx, companyID, `DELETE FROM portal_login_failures WHERE company_id = $1 AND failed_at <= $2`,
			companyID, before)
	} else {
		_, err = t.exec(ctx, companyID, `DELETE FROM portal_login_failures
			WHERE company_id = $1 AND email_digest = $2 AND failed_at <= $3`, companyID, digest, before)
	}
	return err
}
