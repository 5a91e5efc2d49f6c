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

var insertUser = prepared(`INSERT INTO users (company_id, full_name, email, email_key, role, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`)

func (t *tx) CreateUser(ctx context.Context, u *clientele.User) error {
	return translate(t.QueryRowContext(ctx, insertUser,
		u.CompanyID, u.FullName, u.Email, clientele.EmailKey(u.Email), u.Role,
		micros(u.CreatedAt), micros(u.UpdatedAt)).Scan(&u.ID))
}

var selectUser = prepared(`SELECT ` + userColumns + ` FROM users WHERE company_id = ? AND id = ?`)

func (t *tx) User(ctx context.Context, companyID, id int64) (clientele.User, error) {
	return scanUser(t.QueryRowContext(ctx, selectUser, companyID, id))
}

var selectUserByEmail = prepared(`SELECT ` + userColumns + ` FROM users WHERE company_id = ? AND email_key = ?`)

func (t *tx) UserByEmail(ctx context.Context, companyID int64, email string) (clientele.User, error) {
	return scanUser(t.QueryRowContext(ctx, selectUserByEmail, companyID, clientele.EmailKey(email)))
}

// usersQuery selects a page of the company's users after a cursor, of n
// given ids when n > 0.
func usersQuery(n int) string {
	query := `SELECT ` + userColumns + ` FROM users WHERE company_id = ? AND id > ?`
	if n > 0 {
		query += ` AND id IN (` + placeholders(n) + `)`
	}
	return query + ` ORDER BY id LIMIT CAST(? AS INTEGER)`
}

var _ = prepared(usersQuery(0)) // the page without ids

func (t *tx) Users(ctx context.Context, companyID int64, q clientele.UserQuery) ([]clientele.User, error) {
	args := append(appendIDs([]any{companyID, q.After.ID}, q.IDs), limit(q.Page))
	rows, err := t.QueryContext(ctx, usersQuery(len(q.IDs)), args...)
	return collect(rows, err, scanUser)
}

var updateUser = prepared(`UPDATE users SET full_name = ?, email = ?, email_key = ?, role = ?, updated_at = ?
	WHERE company_id = ? AND id = ?`)

func (t *tx) UpdateUser(ctx context.Context, u clientele.User) error {
	return t.execOne(ctx, "user", updateUser,
		u.FullName, u.Email, clientele.EmailKey(u.Email), u.Role, micros(u.UpdatedAt), u.CompanyID, u.ID)
}

// unsetUser clears, in the company's clients, each of the references to a user.
var unsetUser = []string{
	prepared(`UPDATE clients SET owner_id = NULL, updated_at = MAX(?, updated_at + 1)
		WHERE company_id = ? AND owner_id = ?`),
	prepared(`UPDATE clients SET salesperson_id = NULL, updated_at = MAX(?, updated_at + 1)
		WHERE company_id = ? AND salesperson_id = ?`),
	prepared(`UPDATE clients SET case_manager_id = NULL, updated_at = MAX(?, updated_at + 1)
		WHERE company_id = ? AND case_manager_id = ?`),
}

var deleteUser = prepared(`DELETE FROM users WHERE company_id = ? AND id = ?`)

func (t *tx) DeleteUser(ctx context.Context, companyID, id int64, at time.Time) error {
	for _, query := range unsetUser {
		if _, err := t.ExecContext(ctx, query, micros(at), companyID, id); err != nil {
			return err
		}
	}
	// Tokens go by ON DELETE CASCADE.
	return t.execOne(ctx, "user", deleteUser, companyID, id)
}

var countAdmins = prepared(`SELECT count(*) FROM users WHERE company_id = ? AND role = 'admin'`)

func (t *tx) CountAdmins(ctx context.Context, companyID int64) (int, error) {
	var n int
	err := t.QueryRowContext(ctx, countAdmins, companyID).Scan(&n)
	return n, err
}
