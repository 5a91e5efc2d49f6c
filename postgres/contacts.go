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
	coalesce(password_hash, ''), updated_at, coalesce(image, '')`

func scanContact(row pgx.Row) (clientele.Contact, error) {
	var c clientele.Contact
	var image string
	err := row.Scan(&c.ID, &c.CompanyID, &c.CreatedAt, &c.ClientID, &c.FirstName, &c.LastName, &c.Gender,
		&c.Email, &c.Phone, &c.Mobile, &c.Fax, &c.Skype, &c.Position, &c.Notes, &c.IsMain, &c.PortalAccess,
		&c.PasswordHash, &c.UpdatedAt, &image)
	c.Image = storage.ImageOf(image)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, notFound(err, "contact")
}

// contactValues are the changeable attributes of c, with the keys computed
// from them, in the UPDATE's order.
func contactValues(c *clientele.Contact) []any {
	t := storage.Text
	return []any{c.ClientID, t(c.FirstName), t(c.LastName), clientele.Fold(c.FirstName), clientele.Fold(c.LastName),
		clientele.Fold(c.Name()), t(c.Gender), t(c.Email), t(clientele.EmailKey(c.Email)), t(c.Phone), t(c.Mobile),
		t(c.Fax), t(c.Skype), t(c.Position), t(c.Notes), c.IsMain, c.PortalAccess, t(c.PasswordHash), c.UpdatedAt,
		clientele.ContactSearchText(*c)}
}

func (t *tx) CreateContact(ctx context.Context, c *clientele.Contact) error {
	args := append([]any{c.CompanyID, c.CreatedAt}, contactValues(c)...)
	return translate(t.row(ctx, c.CompanyID, `INSERT INTO contacts (company_id, created_at, client_id,
		first_name, last_name, first_key, last_key, name_key, gender, email, email_key, phone, mobile, fax, skype,
		position, notes, is_main, portal_access, password_hash, updated_at, search_text)
		VALUES (`+placeholders(1, len(args))+`) RETURNING id`, args...).Scan(&c.ID))
}

func (t *tx) Contact(ctx context.Context, companyID, id int64) (clientele.Contact, error) {
	return scanContact(t.row(ctx, companyID,
		`SELECT `+contactColumns+` FROM contacts WHERE company_id = $1 AND id = $2`, companyID, id))
}

func (t *tx) Contacts(ctx context.Context, companyID int64, q clientele.ContactQuery) ([]clientele.Contact, error) {
	query, args, err := contactsQuery(companyID, q)
	if err != nil {
		return nil, err
	}
	rows, err := t.rows(ctx, companyID, query, args...)
	return collect(rows, err, scanContact)
}

func (t *tx) CountContacts(ctx context.Context, companyID int64, q clientele.ContactQuery) (int, error) {
	query, args := countContactsQuery(companyID, q)
	return t.count(ctx, companyID, query, args)
}

// contactsQuery is the query of a page of the contacts q selects.
func contactsQuery(companyID int64, q clientele.ContactQuery) (string, []any, error) {
	var w where
	contactFilter(&w, companyID, q)
	columns := w.withRelevance(contactSort, q.Sort, q.Search, "search_text")
	tail, err := w.page(columns, "id", q.Sort, q.Page)
	if l, byRange := lateJoin(q.Page, q.Created, q.Updated); err == nil && l {
		return late(`SELECT `+contactColumns+` FROM contacts`, "contacts", "", &w, tail, byRange), w.args, nil
	}
	return `SELECT ` + contactColumns + ` FROM contacts` + w.sql() + tail, w.args, err
}

// countContactsQuery is the query that counts the contacts q selects.
func countContactsQuery(companyID int64, q clientele.ContactQuery) (string, []any) {
	var w where
	contactFilter(&w, companyID, q)
	return countQuery("contacts", "contacts", &w)
}

// contactFilter adds the conditions of q about the company's contacts to w.
func contactFilter(w *where, companyID int64, q clientele.ContactQuery) {
	w.add("company_id = %s", companyID)
	if q.ClientID != 0 {
		w.add("client_id = %s", q.ClientID)
	}
	w.ids("client_id", q.ClientIDs)
	w.ids("id", q.IDs)
	w.contains([]string{"first_key", "last_key", "name_key"}, q.Name)
	// coalesce, as contacts_email_order indexes it (a stored key is never "").
	w.anyOf("coalesce(email_key, '')", q.Emails, clientele.EmailKey)
	w.flag("is_main", q.IsMain)
	w.flag("portal_access", q.PortalAccess)
	w.during("created_at", q.Created)
	w.during("updated_at", q.Updated)
	w.search("search_vector", q.Search, true, "coalesce(email_key, '')")
}

func (t *tx) UpdateContact(ctx context.Context, c clientele.Contact) error {
	return t.execOne(ctx, c.CompanyID, "contact", `UPDATE contacts SET client_id = $1, first_name = $2,
		last_name = $3, first_key = $4, last_key = $5, name_key = $6, gender = $7, email = $8, email_key = $9,
		phone = $10, mobile = $11, fax = $12, skype = $13, position = $14, notes = $15, is_main = $16,
		portal_access = $17, password_hash = $18, updated_at = $19, search_text = $20
		WHERE company_id = $21 AND id = $22`, append(contactValues(&c), c.CompanyID, c.ID)...)
}

func (t *tx) DeleteContact(ctx context.Context, companyID, id int64) error {
	return t.execOne(ctx, companyID, "contact", `DELETE FROM contacts WHERE company_id = $1 AND id = $2`, companyID, id)
}

func (t *tx) ClearMainContact(ctx context.Context, companyID, clientID int64, at time.Time) error {
	_, err := t.exec(ctx, companyID, `UPDATE contacts SET is_main = false, updated_at = GREATEST($1, updated_at + interval '1 microsecond')
		WHERE company_id = $2 AND client_id = $3 AND is_main`, at, companyID, clientID)
	return err
}
