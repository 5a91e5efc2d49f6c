package sqlite

import (
	"context"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/storage"
)

const contactColumns = `id, company_id, created_at, client_id, first_name, last_name, gender, email, email_key,
	phone, mobile, fax, skype, position, notes, is_main, portal_access, password_hash, updated_at, image`

func scanContact(row interface{ Scan(...any) error }) (clientele.Contact, error) {
	var c clientele.Contact
	var emailKey, image string
	err := row.Scan(&c.ID, &c.CompanyID, ts{&c.CreatedAt}, &c.ClientID, str{&c.FirstName}, str{&c.LastName},
		str{&c.Gender}, str{&c.Email}, str{&emailKey}, str{&c.Phone}, str{&c.Mobile}, str{&c.Fax}, str{&c.Skype},
		str{&c.Position}, str{&c.Notes}, &c.IsMain, &c.PortalAccess, str{&c.PasswordHash}, ts{&c.UpdatedAt},
		str{&image})
	c.Image = storage.ImageOf(image)
	return c, notFound(err, "contact")
}

// contactValues are the changeable attributes of c, with their keys, in the
// order of the UPDATE (and, after company_id and created_at, the INSERT) column list.
func contactValues(c *clientele.Contact) []any {
	return []any{c.ClientID, storage.Text(c.FirstName), storage.Text(c.LastName),
		clientele.Fold(c.FirstName), clientele.Fold(c.LastName), clientele.Fold(c.Name()),
		storage.Text(c.Gender), storage.Text(c.Email),
		storage.Text(clientele.EmailKey(c.Email)), storage.Text(c.Phone), storage.Text(c.Mobile), storage.Text(c.Fax), storage.Text(c.Skype),
		storage.Text(c.Position), storage.Text(c.Notes), c.IsMain, c.PortalAccess, storage.Text(c.PasswordHash), micros(c.UpdatedAt),
		clientele.ContactSearchText(*c)}
}

var insertContact = prepared(`INSERT INTO contacts (company_id, created_at, client_id, first_name, last_name,
	first_key, last_key, name_key, gender, email, email_key, phone, mobile, fax, skype, position, notes, is_main,
	portal_access, password_hash, updated_at, search_text)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)

func (t *tx) CreateContact(ctx context.Context, c *clientele.Contact) error {
	args := append([]any{c.CompanyID, micros(c.CreatedAt)}, contactValues(c)...)
	if t.bulk != nil {
		id, err := t.bulkAdd(ctx, bulkContacts, args)
		if err == nil {
			c.ID = id
		}
		return err
	}
	return translate(t.QueryRowContext(ctx, insertContact, args...).Scan(&c.ID))
}

var selectContact = prepared(`SELECT ` + contactColumns + ` FROM contacts WHERE company_id = ? AND id = ?`)

func (t *tx) Contact(ctx context.Context, companyID, id int64) (clientele.Contact, error) {
	return scanContact(t.QueryRowContext(ctx, selectContact, companyID, id))
}

// Contacts runs contactsQuery (lists.go).
func (t *tx) Contacts(ctx context.Context, companyID int64, q clientele.ContactQuery) ([]clientele.Contact, error) {
	if byRelevance(q.Sort) && q.Limit > 0 { // every row (Limit 0): ranking them all is the work anyway
		ranks, ok, err := contactRanks(companyID, q)
		if err != nil {
			return nil, err
		}
		if ok {
			return rankedRows(ctx, t, ranks, q.Page, `SELECT `+contactColumns+` FROM contacts WHERE company_id = ? AND id IN `,
				companyID, scanContact, func(c clientele.Contact) int64 { return c.ID })
		}
	}
	query, args, err := contactsQuery(companyID, q)
	if err != nil {
		return nil, err
	}
	rows, err := t.QueryContext(ctx, query, args...)
	return collect(rows, err, scanContact)
}

// CountContacts runs countContactsQuery (lists.go).
func (t *tx) CountContacts(ctx context.Context, companyID int64, q clientele.ContactQuery) (int, error) {
	return count(ctx, t, countContactsQuery, companyID, q)
}

var updateContact = prepared(`UPDATE contacts SET client_id = ?, first_name = ?, last_name = ?,
	first_key = ?, last_key = ?, name_key = ?, gender = ?, email = ?, email_key = ?, phone = ?, mobile = ?, fax = ?,
	skype = ?, position = ?, notes = ?,
	is_main = ?, portal_access = ?, password_hash = ?, updated_at = ?, search_text = ?
	WHERE company_id = ? AND id = ?`)

func (t *tx) UpdateContact(ctx context.Context, c clientele.Contact) error {
	return t.execOne(ctx, "contact", updateContact, append(contactValues(&c), c.CompanyID, c.ID)...)
}

var deleteContact = prepared(`DELETE FROM contacts WHERE company_id = ? AND id = ?`)

func (t *tx) DeleteContact(ctx context.Context, companyID, id int64) error {
	return t.execOne(ctx, "contact", deleteContact, companyID, id)
}

var clearMainContact = prepared(`UPDATE contacts SET is_main = 0, updated_at = MAX(?, updated_at + 1)
	WHERE company_id = ? AND client_id = ? AND is_main = 1`)

func (t *tx) ClearMainContact(ctx context.Context, companyID, clientID int64, at time.Time) error {
	_, err := t.ExecContext(ctx, clearMainContact, micros(at), companyID, clientID)
	return err
}
