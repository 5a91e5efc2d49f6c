package postgres

import (
	"context"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/storage"
	"github.com/jackc/pgx/v5"
)

const contactColumns = `id, company_id, created_at, client_id, coalesce(first_name, ''), coalesce(last_name, ''),
	coalesce(gender, ''), coalesce(email, ''), coalesce(phone, ''), coalesce(mobile, ''), coalesce(fax, ''),
	coalesce(skype, ''), coalesce(position, ''), coalesce(notes, ''), is_main, portal_access,
	coalesce(password_hash, ''), updated_at`

func scanContact(row pgx.Row) (clientele.Contact, error) {
	var c clientele.Contact
	err := row.Scan(&c.ID, &c.CompanyID, &c.CreatedAt, &c.ClientID, &c.FirstName, &c.LastName, &c.Gender,
		&c.Email, &c.Phone, &c.Mobile, &c.Fax, &c.Skype, &c.Position, &c.Notes, &c.IsMain, &c.PortalAccess,
		&c.PasswordHash, &c.UpdatedAt)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, notFound(err, "contact")
}

// contactValues are the changeable attributes of c, in the UPDATE's order.
func contactValues(c *clientele.Contact) []any {
	t := storage.Text
	return []any{c.ClientID, t(c.FirstName), t(c.LastName), t(c.Gender), t(c.Email),
		t(clientele.EmailKey(c.Email)), t(c.Phone), t(c.Mobile), t(c.Fax), t(c.Skype),
		t(c.Position), t(c.Notes), c.IsMain, c.PortalAccess, t(c.PasswordHash), c.UpdatedAt}
}

func (t *tx) CreateContact(ctx context.Context, c *clientele.Contact) error {
	args := append([]any{c.CompanyID, c.CreatedAt}, contactValues(c)...)
	return translate(t.row(ctx, c.CompanyID, `INSERT INTO contacts (company_id, created_at, client_id,
		first_name, last_name, gender, email, email_key, phone, mobile, fax, skype, position, notes, is_main,
		portal_access, password_hash, updated_at)
		VALUES (`+placeholders(1, len(args))+`) RETURNING id`, args...).Scan(&c.ID))
}

func (t *tx) Contact(ctx context.Context, companyID, id int64) (clientele.Contact, error) {
	return scanContact(t.row(ctx, companyID,
		`SELECT `+contactColumns+` FROM contacts WHERE company_id = $1 AND id = $2`, companyID, id))
}

func (t *tx) Contacts(ctx context.Context, companyID int64, q clientele.ContactQuery) ([]clientele.Contact, error) {
	rows, err := t.listChildren(ctx, `SELECT `+contactColumns+` FROM contacts`, companyID, q.ClientID, q.ClientIDs, q.IDs, q.Page)
	return collect(rows, err, scanContact)
}

func (t *tx) UpdateContact(ctx context.Context, c clientele.Contact) error {
	return t.execOne(ctx, c.CompanyID, "contact", `UPDATE contacts SET client_id = $1, first_name = $2,
		last_name = $3, gender = $4, email = $5, email_key = $6, phone = $7, mobile = $8, fax = $9, skype = $10,
		position = $11, notes = $12, is_main = $13, portal_access = $14, password_hash = $15, updated_at = $16
		WHERE company_id = $17 AND id = $18`, append(contactValues(&c), c.CompanyID, c.ID)...)
}

func (t *tx) DeleteContact(ctx context.Context, companyID, id int64) error {
	return t.execOne(ctx, companyID, "contact", `DELETE FROM contacts WHERE company_id = $1 AND id = $2`, companyID, id)
}

func (t *tx) ClearMainContact(ctx context.Context, companyID, clientID int64, at time.Time) error {
	_, err := t.exec(ctx, companyID, `UPDATE contacts SET is_main = false, updated_at = $1
		WHERE company_id = $2 AND client_id = $3 AND is_main`, at, companyID, clientID)
	return err
}
