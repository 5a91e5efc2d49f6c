package sqlite

import (
	"context"
	"time"

	"github.com/clientele/clientele"
)

const userColumns = `id, company_id, full_name, email, role, created_at, updated_at`

func scanUser(row interface{ Scan(...any) error }) (clientele.User, error) {
	var u clientele.User
	err := row.Scan(&u.ID, &u.CompanyID, &u.FullName, &u.Email, &u.Role, ts{&u.CreatedAt}, ts{&u.UpdatedAt})
	return u, notFound(err, "user")
}

func (t *tx) CreateUser(ctx context.Context, u *clientele.User) error {
	return translate(t.QueryRowContext(ctx,
		`INSERT INTO users (company_id, full_name, email, email_key, role, created_at, updated_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.CompanyID, u.FullName, u.Email, clientele.EmailKey(u.Email), u.Role,
		micros(u.CreatedAt), micros(u.UpdatedAt)).Scan(&u.ID))
}

func (t *tx) User(ctx context.Context, companyID, id int64) (clientele.User, error) {
	return scanUser(t.QueryRowContext(ctx,
		`SELECT `+userColumns+` FROM users WHERE company_id = ? AND id = ?`, companyID, id))
}

func (t *tx) UserByEmail(ctx context.Context, companyID int64, email string) (clientele.User, error) {
	return scanUser(t.QueryRowContext(ctx,
		`SELECT `+userColumns+` FROM users WHERE company_id = ? AND email_key = ?`, companyID, clientele.EmailKey(email)))
}

func (t *tx) Users(ctx context.Context, companyID int64, q clientele.UserQuery) ([]clientele.User, error) {
	rows, err := t.QueryContext(ctx, `SELECT `+userColumns+` FROM users
		WHERE company_id = ? AND id > ? ORDER BY id LIMIT ?`, companyID, q.After, q.Limit)
	return collect(rows, err, scanUser)
}

func (t *tx) UpdateUser(ctx context.Context, u clientele.User) error {
	return t.execOne(ctx, "user", `UPDATE users SET full_name = ?, email = ?, email_key = ?, role = ?, updated_at = ?
		WHERE company_id = ? AND id = ?`, u.FullName, u.Email, clientele.EmailKey(u.Email), u.Role, micros(u.UpdatedAt), u.CompanyID, u.ID)
}

func (t *tx) DeleteUser(ctx context.Context, companyID, id int64, at time.Time) error {
	for _, column := range []string{"owner_id", "salesperson_id", "case_manager_id"} {
		if _, err := t.ExecContext(ctx, `UPDATE clients SET `+column+` = NULL, updated_at = ?
			WHERE company_id = ? AND `+column+` = ?`, micros(at), companyID, id); err != nil {
			return err
		}
	}
	// Tokens go by ON DELETE CASCADE.
	return t.execOne(ctx, "user", `DELETE FROM users WHERE company_id = ? AND id = ?`, companyID, id)
}

func (t *tx) CountAdmins(ctx context.Context, companyID int64) (int, error) {
	var n int
	err := t.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE company_id = ? AND role = 'admin'`, companyID).Scan(&n)
	return n, err
}
