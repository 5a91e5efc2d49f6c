package sqlite

import (
	"context"
	"time"

	"github.com/clientele/clientele"
)

var selectIdempotencyKey = prepared(`SELECT fingerprint, response, claimed_at FROM idempotency_keys
	WHERE company_id = ? AND key = ?`)

func (t *tx) IdempotencyKey(ctx context.Context, companyID int64, key []byte) (clientele.IdempotencyKey, error) {
	k := clientele.IdempotencyKey{CompanyID: companyID, Key: key}
	var at int64
	err := t.QueryRowContext(ctx, selectIdempotencyKey, companyID, key).Scan(&k.Fingerprint, &k.Response, &at)
	k.ClaimedAt = fromMicros(at)
	return k, notFound(translate(err), "idempotency key")
}

var putIdempotencyKey = prepared(`INSERT INTO idempotency_keys (company_id, key, fingerprint, response, claimed_at)
	VALUES (?, ?, ?, ?, ?)
	ON CONFLICT (company_id, key) DO UPDATE SET fingerprint = excluded.fingerprint,
	response = excluded.response, claimed_at = excluded.claimed_at`)

func (t *tx) PutIdempotencyKey(ctx context.Context, k clientele.IdempotencyKey) error {
	var response any // NULL for nil, not an empty blob
	if k.Response != nil {
		response = k.Response
	}
	_, err := t.ExecContext(ctx, putIdempotencyKey, k.CompanyID, k.Key, k.Fingerprint, response, micros(k.ClaimedAt))
	return translate(err)
}

var deleteIdempotencyKey = prepared(`DELETE FROM idempotency_keys WHERE company_id = ? AND key = ?`)

func (t *tx) DeleteIdempotencyKey(ctx context.Context, companyID int64, key []byte) error {
	return t.execOne(ctx, "idempotency key", deleteIdempotencyKey, companyID, key)
}

var deleteIdempotencyKeys = prepared(`DELETE FROM idempotency_keys WHERE claimed_at < ?`)

func (t *tx) DeleteIdempotencyKeys(ctx context.Context, before time.Time) (int, error) {
	res, err := t.ExecContext(ctx, deleteIdempotencyKeys, micros(before))
	if err != nil {
		return 0, translate(err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
