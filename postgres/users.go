package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/clientele/clientele"
	"github.com/jackc/pgx/v5"
)

const userColumns = `id, company_id, full_name, email, role, created_at, updated_at`

func scanUser(row pgx.Row) (clientele.User, error) {
	var u clientele.User
	err := row.Scan(&u.ID, &u.CompanyID, &u.FullName, &u.Email, &u.Role, &u.CreatedAt, &u.UpdatedAt)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, notFound(err, "user")
}

func (t *tx) CreateUser(ctx context.Context, u *clientele.User) error {
	return translate(t.row(ctx, u.CompanyID,
		`INSERT INTO users (company_id, full_name, email, email_key, role, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		u.CompanyID, u.FullName, u.Email, clientele.EmailKey(u.Email), u.Role, u.CreatedAt, u.UpdatedAt).Scan(&u.ID))
}

func (t *tx) User(ctx context.Context, companyID, id int64) (clientele.User, error) {
	return scanUser(t.row(ctx, companyID,
		`SELECT `+userColumns+` FROM users WHERE company_id = $1 AND id = $2`, companyID, id))
}

func (t *tx) UserByEmail(ctx context.Context, companyID int64, email string) (clientele.User, error) {
	if strings.IndexByte(email, 0) >= 0 { // PostgreSQL text cannot hold NUL; no address has one
		return clientele.User{}, clientele.ErrNotFound("user")
	}
	return scanUser(t.row(ctx, companyID,
		`SELECT `+userColumns+` FROM users WHERE company_id = $1 AND email_key = $2`, companyID, clientele.EmailKey(email)))
}

func (t *tx) Users(ctx context.Context, companyID int64, q clientele.UserQuery) ([]clientele.User, error) {
	query := `SELECT ` + userColumns + ` FROM users WHERE company_id = $1 AND id > $2`
	args := []any{companyID, q.After.ID}
	if len(q.IDs) > 0 {
		query += ` AND id = ANY($3)`
		args = append(args, q.IDs)
	}
	rows, err := t.rows(ctx, companyID, query+` ORDER BY id LIMIT `+placeholders(len(args)+1, 1), append(args, limit(q.Page))...)
	return collect(rows, err, scanUser)
}

func (t *tx) UpdateUser(ctx context.Context, u clientele.User) error {
	return t.execOne(ctx, u.CompanyID, "user", `UPDATE users SET full_name = $1, email = $2, email_key = $3,
		role = $4, updated_at = $5 WHERE company_id = $6 AND id = $7`,
		u.FullName, u.Email, clientele.EmailKey(u.Email), u.Role, u.UpdatedAt, u.CompanyID, u.ID)
}

func (t *tx) DeleteUser(ctx context.Context, companyID, id int64, at time.Time) error {
	for _, column := range []string{"owner_id", "salesperson_id", "case_manager_id"} {
		if _, err := t.exec(ctx, companyID, `UPDATE clients SET `+column+` = NULL, updated_at = GREATEST($1, updated_at + interval '1 microsecond')
			WHERE company_id = $2 AND `+column+` = $3`, at, companyID, id); err != nil {
			return err
		}
	}
	// Tokens go by ON DELETE CASCADE.
	return t.execOne(ctx, companyID, "user", `DELETE FROM users WHERE company_id = $1 AND id = $2`, companyID, id)
}

func (t *tx) CountAdmins(ctx context.Context, companyID int64) (int, error) {
	var n int
	err := t.row(ctx, companyID, `SELECT count(*) FROM users WHERE company_id = $1 AND role = 'admin'`, companyID).Scan(&n)
	return n, translate(err)
}
