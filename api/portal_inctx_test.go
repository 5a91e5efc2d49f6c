package api_test

import (
	"context"
	"time"

	"github.com/clientele/clientele"
)

// The portal's Tx methods on the counting incTx (include_test.go).

func (x incTx) CreatePortalSession(ctx context.Context, p *clientele.PortalSession) error {
	x.count("CreatePortalSession")
	return x.tx.CreatePortalSession(ctx, p)
}

func (x incTx) PortalSessionByHash(ctx context.Context, hash []byte) (clientele.PortalSession, error) {
	x.count("PortalSessionByHash")
	return x.tx.PortalSessionByHash(ctx, hash)
}

func (x incTx) DeletePortalSession(ctx context.Context, companyID, id int64) error {
	x.count("DeletePortalSession")
	return x.tx.DeletePortalSession(ctx, companyID, id)
}

func (x incTx) DeletePortalSessions(ctx context.Context, companyID, contactID, keep int64) error {
	x.count("DeletePortalSessions")
	return x.tx.DeletePortalSessions(ctx, companyID, contactID, keep)
}

func (x incTx) DeleteExpiredPortalSessions(ctx context.Context, companyID int64, at time.Time) error {
	x.count("DeleteExpiredPortalSessions")
	return x.tx.DeleteExpiredPortalSessions(ctx, companyID, at)
}

func (x incTx) AddPortalFailure(ctx context.Context, companyID int64, digest string, at time.Time) error {
	x.count("AddPortalFailure")
	return x.tx.AddPortalFailure(ctx, companyID, digest, at)
}

func (x incTx) PortalFailures(ctx context.Context, companyID int64, digest string, since time.Time) ([]time.Time, error) {
	x.count("PortalFailures")
	return x.tx.PortalFailures(ctx, companyID, digest, since)
}

func (x incTx) DeletePortalFailures(ctx context.Context, companyID int64, digest string, before time.Time) error {
	x.count("DeletePortalFailures")
	return x.tx.DeletePortalFailures(ctx, companyID, digest, before)
}
