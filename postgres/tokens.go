package postgres

import (
	"context"
	"time"

	"github.com/clientele/clientele"
	"github.com/jackc/pgx/v5"
)

const tokenColumns = `id, company_id, user_id, name, hash, created_at, last_used_at`

func scanToken(row pgx.Row) (clientele.Token, error) {
	var k clientele.Token
	var lastUsed *time.Time
	err := row.Scan(&k.ID, &k.CompanyID, &k.UserID, &k.Name, &k.Hash, &k.CreatedAt, &lastUsed)
	k.CreatedAt = k.CreatedAt.UTC()
	if lastUsed != nil {
		k.LastUsedAt = lastUsed.UTC()
	}
	return k, notFound(err, "token")
}

// nullTime maps the zero time to NULL.
func nullTime(at time.Time) any {
	if at.IsZero() {
		return nil
	}
	return at
}

func (t *tx) CreateToken(ctx context.Context, k *clientele.Token) error {
	return translate(t.row(ctx, k.CompanyID,
		`INSERT INTO tokens (company_id, user_id, name, hash, created_at, last_used_at)
		 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		k.CompanyID, k.UserID, k.Name, k.Hash, k.CreatedAt, nullTime(k.LastUsedAt)).Scan(&k.ID))
}

func (t *tx) TokenByHash(ctx context.Context, hash []byte) (clientele.Token, error) {
	return scanToken(t.tx.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1`, hash))
}

func (t *tx) Token(ctx context.Context, companyID, id int64) (clientele.Token, error) {
	return scanToken(t.row(ctx, companyID,
		`SELECT `+tokenColumns+` FROM tokens WHERE company_id = $1 AND id = $2`, companyID, id))
}

func (t *tx) Tokens(ctx context.Context, companyID int64, q clientele.TokenQuery) ([]clientele.Token, error) {
	rows, err := t.rows(ctx, companyID, `SELECT `+tokenColumns+` FROM tokens
		WHERE company_id = $1 AND ($2 = 0 OR user_id = $2) AND id > $3 ORDER BY id LIMIT $4`,
		companyID, q.UserID, q.After.ID, limit(q.Page))
	return collect(rows, err, scanToken)
}

func (t *tx) DeleteToken(ctx context.Context, companyID, id int64) error {
	return t.execOne(ctx, companyID, "token", `DELETE FROM tokens WHERE company_id = $1 AND id = $2`, companyID, id)
}

func (t *tx) TouchToken(ctx context.Context, companyID, id int64, at time.Time) error {
	return t.execOne(ctx, companyID, "token", `UPDATE tokens SET last_used_at = $1 WHERE company_id = $2 AND id = $3`,
		at, companyID, id)
}
