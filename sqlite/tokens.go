package sqlite

import (
	"context"
	"time"

	"github.com/clientele/clientele"
)

const tokenColumns = `id, company_id, user_id, name, hash, created_at, last_used_at`

func scanToken(row interface{ Scan(...any) error }) (clientele.Token, error) {
	var k clientele.Token
	err := row.Scan(&k.ID, &k.CompanyID, &k.UserID, &k.Name, &k.Hash, ts{&k.CreatedAt}, nullTime{&k.LastUsedAt})
	return k, notFound(err, "token")
}

var insertToken = prepared(`INSERT INTO tokens (company_id, user_id, name, hash, created_at, last_used_at)
	VALUES (?, ?, ?, ?, ?, ?) RETURNING id`)

func (t *tx) CreateToken(ctx context.Context, k *clientele.Token) error {
	return translate(t.QueryRowContext(ctx, insertToken,
		k.CompanyID, k.UserID, k.Name, k.Hash, micros(k.CreatedAt), microsOrNull(k.LastUsedAt)).Scan(&k.ID))
}

var selectTokenByHash = prepared(`SELECT ` + tokenColumns + ` FROM tokens WHERE hash = ?`)

func (t *tx) TokenByHash(ctx context.Context, hash []byte) (clientele.Token, error) {
	return scanToken(t.QueryRowContext(ctx, selectTokenByHash, hash))
}

var selectToken = prepared(`SELECT ` + tokenColumns + ` FROM tokens WHERE company_id = ? AND id = ?`)

func (t *tx) Token(ctx context.Context, companyID, id int64) (clientele.Token, error) {
	return scanToken(t.QueryRowContext(ctx, selectToken, companyID, id))
}

var selectTokens = prepared(`SELECT ` + tokenColumns + ` FROM tokens
	WHERE company_id = ? AND (? = 0 OR user_id = ?) AND id > ? ORDER BY id LIMIT CAST(? AS INTEGER)`)

func (t *tx) Tokens(ctx context.Context, companyID int64, q clientele.TokenQuery) ([]clientele.Token, error) {
	rows, err := t.QueryContext(ctx, selectTokens, companyID, q.UserID, q.UserID, q.After.ID, limit(q.Page))
	return collect(rows, err, scanToken)
}

var deleteToken = prepared(`DELETE FROM tokens WHERE company_id = ? AND id = ?`)

func (t *tx) DeleteToken(ctx context.Context, companyID, id int64) error {
	return t.execOne(ctx, "token", deleteToken, companyID, id)
}

var touchToken = prepared(`UPDATE tokens SET last_used_at = ? WHERE company_id = ? AND id = ?`)

func (t *tx) TouchToken(ctx context.Context, companyID, id int64, at time.Time) error {
	return t.execOne(ctx, "token", touchToken, micros(at), companyID, id)
}
