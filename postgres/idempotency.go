package postgres

import (
	"context"
	"time"

	"github.com/clientele/clientele"
)

func (t *tx) IdempotencyKey(ctx context.Context, companyID int64, key []byte) (clientele.IdempotencyKey, error) {
	k := clientele.IdempotencyKey{CompanyID: companyID, Key: key}
	err := t.row(ctx, companyID, `SELECT fingerprint, response, claimed_at FROM idempotency_keys
		WHERE company_id = $1 AND key = $2`, companyID, key).Scan(&k.Fingerprint, &k.Response, &k.ClaimedAt)
	k.ClaimedAt = k.ClaimedAt.UTC()
	return k, notFound(err, "idempotency key")
}

func (t *tx) PutIdempotencyKey(ctx context.Context, k clientele.IdempotencyKey) error {
	_, err := t.exec(ctx, k.CompanyID, `INSERT INTO idempotency_keys (company_id, key, fingerprint, response, claimed_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (company_id, key) DO UPDATE SET fingerprint = excluded.fingerprint,
		response = excluded.response, claimed_at = excluded.claimed_at`,
		k.CompanyID, k.Key, k.Fingerprint, k.Response, k.ClaimedAt)
	return err
}

func (t *tx) DeleteIdempotencyKey(ctx context.Context, companyID int64, key []byte) error {
	return t.execOne(ctx, companyID, "idempotency key",
		`DELETE FROM idempotency_keys WHERE company_id = $1 AND key = $2`, companyID, key)
}

// DeleteIdempotencyKeys deletes expired keys of every company without taking
// their write locks: nobody reads an expired key's row as alive.
func (t *tx) DeleteIdempotencyKeys(ctx context.Context, before time.Time) (int, error) {
	tag, err := t.tx.Exec(ctx, `DELETE FROM idempotency_keys WHERE claimed_at < $1`, before)
	return int(tag.RowsAffected()), translate(err)
}
