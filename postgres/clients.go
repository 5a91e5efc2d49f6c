package postgres

import (
	"context"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/storage"
	"github.com/jackc/pgx/v5"
)

// clientSelect reads a client with its primary location's address (p) and
// its main contact (m); the partial unique indexes make each join hit at most
// one row. Nullable columns come back as ” or 0, the domain's null.
const clientSelect = `SELECT c.id, c.company_id, c.name, coalesce(c.external_id, ''), c.types,
	coalesce(c.email, ''), coalesce(c.billing_email, ''), coalesce(c.phone, ''), coalesce(c.phone_secondary, ''),
	coalesce(c.mobile, ''), coalesce(c.fax, ''), coalesce(c.website, ''), coalesce(c.tax_name, ''),
	coalesce(c.tax_number, ''), coalesce(c.registration_number, ''), coalesce(c.bank_name, ''),
	coalesce(c.iban, ''), coalesce(c.notes, ''), coalesce(c.default_rate, ''), coalesce(c.default_rate_type, ''),
	c.invoice_reminders, c.show_location_on_invoice, coalesce(c.owner_id, 0), coalesce(c.salesperson_id, 0),
	coalesce(c.case_manager_id, 0), c.created_at, c.updated_at,
	coalesce(p.id, 0), coalesce(p.street, ''), coalesce(p.house_number, ''), coalesce(p.address_line_2, ''),
	coalesce(p.address_line_3, ''), coalesce(p.postal_code, ''), coalesce(p.city, ''), coalesce(p.region, ''),
	coalesce(p.country, ''), coalesce(p.recipient, ''), coalesce(m.id, 0)
FROM clients c
LEFT JOIN locations p ON p.company_id = c.company_id AND p.client_id = c.id AND p.is_primary
LEFT JOIN contacts m ON m.company_id = c.company_id AND m.client_id = c.id AND m.is_main
`

func scanClient(row pgx.Row) (clientele.Client, error) {
	var c clientele.Client
	var types int16
	var primaryID int64
	var a clientele.Address
	err := row.Scan(&c.ID, &c.CompanyID, &c.Name, &c.ExternalID, &types, &c.Email, &c.BillingEmail,
		&c.Phone, &c.PhoneSecondary, &c.Mobile, &c.Fax, &c.Website, &c.TaxName,
		&c.TaxNumber, &c.RegistrationNumber, &c.BankName, &c.IBAN, &c.Notes,
		&c.DefaultRate, &c.DefaultRateType, &c.InvoiceReminders, &c.ShowLocationOnInvoice,
		&c.OwnerID, &c.SalespersonID, &c.CaseManagerID, &c.CreatedAt, &c.UpdatedAt,
		&primaryID, &a.Street, &a.HouseNumber, &a.AddressLine2, &a.AddressLine3,
		&a.PostalCode, &a.City, &a.Region, &a.Country, &a.Recipient, &c.MainContactID)
	c.Types = storage.TypesOf(types)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if primaryID != 0 {
		c.Address = &a
	}
	return c, notFound(err, "client")
}

// clientValues are the stored attributes of c in the order of the INSERT and UPDATE column lists.
func clientValues(c *clientele.Client) []any {
	t := storage.Text
	return []any{c.Name, t(c.ExternalID), storage.TypesMask(c.Types), t(c.Email), t(c.BillingEmail),
		t(c.Phone), t(c.PhoneSecondary), t(c.Mobile), t(c.Fax), t(c.Website), t(c.TaxName),
		t(c.TaxNumber), t(c.RegistrationNumber), t(c.BankName), t(c.IBAN), t(c.Notes),
		t(c.DefaultRate), t(c.DefaultRateType), c.InvoiceReminders, c.ShowLocationOnInvoice,
		storage.Ref(c.OwnerID), storage.Ref(c.SalespersonID), storage.Ref(c.CaseManagerID), c.UpdatedAt}
}

func (t *tx) CreateClient(ctx context.Context, c *clientele.Client) error {
	args := append([]any{c.CompanyID, c.CreatedAt}, clientValues(c)...)
	return translate(t.row(ctx, c.CompanyID, `INSERT INTO clients (company_id, created_at,
		name, external_id, types, email, billing_email, phone, phone_secondary, mobile, fax, website, tax_name,
		tax_number, registration_number, bank_name, iban, notes, default_rate, default_rate_type, invoice_reminders,
		show_location_on_invoice, owner_id, salesperson_id, case_manager_id, updated_at)
		VALUES (`+placeholders(1, len(args))+`) RETURNING id`, args...).Scan(&c.ID))
}

func (t *tx) Client(ctx context.Context, companyID, id int64) (clientele.Client, error) {
	return scanClient(t.row(ctx, companyID, clientSelect+`WHERE c.company_id = $1 AND c.id = $2`, companyID, id))
}

func (t *tx) Clients(ctx context.Context, companyID int64, q clientele.ClientQuery) ([]clientele.Client, error) {
	query := clientSelect + `WHERE c.company_id = $1 AND c.id > $2`
	args := []any{companyID, q.After.ID}
	if len(q.IDs) > 0 {
		query += ` AND c.id = ANY($3)`
		args = append(args, q.IDs)
	}
	rows, err := t.rows(ctx, companyID, query+` ORDER BY c.id LIMIT `+placeholders(len(args)+1, 1), append(args, limit(q.Page))...)
	return collect(rows, err, scanClient)
}

func (t *tx) UpdateClient(ctx context.Context, c clientele.Client) error {
	args := append(clientValues(&c), c.CompanyID, c.ID)
	return t.execOne(ctx, c.CompanyID, "client", `UPDATE clients SET
		name = $1, external_id = $2, types = $3, email = $4, billing_email = $5, phone = $6, phone_secondary = $7,
		mobile = $8, fax = $9, website = $10, tax_name = $11, tax_number = $12, registration_number = $13,
		bank_name = $14, iban = $15, notes = $16, default_rate = $17, default_rate_type = $18,
		invoice_reminders = $19, show_location_on_invoice = $20, owner_id = $21, salesperson_id = $22,
		case_manager_id = $23, updated_at = $24
		WHERE company_id = $25 AND id = $26`, args...)
}

func (t *tx) TouchClient(ctx context.Context, companyID, id int64, at time.Time) error {
	return t.execOne(ctx, companyID, "client", `UPDATE clients SET updated_at = $1 WHERE company_id = $2 AND id = $3`,
		at, companyID, id)
}

func (t *tx) DeleteClient(ctx context.Context, companyID, id int64) error {
	// Locations and contacts go by ON DELETE CASCADE.
	return t.execOne(ctx, companyID, "client", `DELETE FROM clients WHERE company_id = $1 AND id = $2`, companyID, id)
}

// LockClient only checks that the client exists: a write transaction holds
// its company's lock (see the package documentation), which keeps every other
// writer of the company out.
func (t *tx) LockClient(ctx context.Context, companyID, id int64) error {
	var one int
	err := t.row(ctx, companyID, `SELECT 1 FROM clients WHERE company_id = $1 AND id = $2`, companyID, id).Scan(&one)
	return notFound(err, "client")
}

// listChildren runs selectFrom (a SELECT … FROM of a table of client
// children: locations or contacts) for a page of the company's rows, of one
// client when clientID is not 0, of one of clientIDs when clientIDs is not
// empty and with one of ids when ids is not empty.
func (t *tx) listChildren(ctx context.Context, selectFrom string, companyID, clientID int64, clientIDs, ids []int64,
	page clientele.Page) (pgx.Rows, error) {
	query := selectFrom + ` WHERE company_id = $1 AND id > $2 AND ($3 = 0 OR client_id = $3)`
	args := []any{companyID, page.After.ID, clientID}
	if len(clientIDs) > 0 {
		args = append(args, clientIDs)
		query += ` AND client_id = ANY(` + placeholders(len(args), 1) + `)`
	}
	if len(ids) > 0 {
		args = append(args, ids)
		query += ` AND id = ANY(` + placeholders(len(args), 1) + `)`
	}
	return t.rows(ctx, companyID, query+` ORDER BY id LIMIT `+placeholders(len(args)+1, 1), append(args, limit(page))...)
}

// limit is the LIMIT argument of page: its Limit, or NULL (no limit) for 0.
func limit(page clientele.Page) any {
	if page.Limit == 0 {
		return nil
	}
	return page.Limit
}
