package postgres

import (
	"context"
	"errors"
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
	coalesce(p.country, ''), coalesce(p.recipient, ''), coalesce(m.id, 0), coalesce(c.logo, '')
FROM clients c
LEFT JOIN locations p ON p.company_id = c.company_id AND p.client_id = c.id AND p.is_primary
LEFT JOIN contacts m ON m.company_id = c.company_id AND m.client_id = c.id AND m.is_main
`

func scanClient(row pgx.Row) (clientele.Client, error) {
	var c clientele.Client
	var types int16
	var primaryID int64
	var a clientele.Address
	var logo string
	err := row.Scan(&c.ID, &c.CompanyID, &c.Name, &c.ExternalID, &types, &c.Email, &c.BillingEmail,
		&c.Phone, &c.PhoneSecondary, &c.Mobile, &c.Fax, &c.Website, &c.TaxName,
		&c.TaxNumber, &c.RegistrationNumber, &c.BankName, &c.IBAN, &c.Notes,
		&c.DefaultRate, &c.DefaultRateType, &c.InvoiceReminders, &c.ShowLocationOnInvoice,
		&c.OwnerID, &c.SalespersonID, &c.CaseManagerID, &c.CreatedAt, &c.UpdatedAt,
		&primaryID, &a.Street, &a.HouseNumber, &a.AddressLine2, &a.AddressLine3,
		&a.PostalCode, &a.City, &a.Region, &a.Country, &a.Recipient, &c.MainContactID, &logo)
	c.Types = storage.TypesOf(types)
	c.Logo = storage.ImageOf(logo)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if primaryID != 0 {
		c.Address = &a
	}
	return c, notFound(err, "client")
}

// clientValues are the stored attributes of c, with the keys computed from
// them, in the order of the INSERT and UPDATE column lists.
func clientValues(c *clientele.Client) []any {
	t := storage.Text
	return []any{c.Name, clientele.Fold(c.Name), t(clientele.EmailKey(c.Email)), t(c.ExternalID),
		storage.TypesMask(c.Types), t(c.Email), t(c.BillingEmail), t(c.Phone), t(c.PhoneSecondary), t(c.Mobile),
		t(c.Fax), t(c.Website), t(c.TaxName), t(c.TaxNumber), t(c.RegistrationNumber), t(c.BankName), t(c.IBAN),
		t(c.Notes),
		t(c.DefaultRate), t(c.DefaultRateType), c.InvoiceReminders, c.ShowLocationOnInvoice,
		storage.Ref(c.OwnerID), storage.Ref(c.SalespersonID), storage.Ref(c.CaseManagerID), c.UpdatedAt,
		clientele.ClientSearchText(*c)}
}

// CreateClient stores c with its search text; a new client has no
// locations, so no city in it.
func (t *tx) CreateClient(ctx context.Context, c *clientele.Client) error {
	n := *c
	n.Address = nil
	args := append([]any{c.CompanyID, c.CreatedAt}, clientValues(&n)...)
	return translate(t.row(ctx, c.CompanyID, `INSERT INTO clients (company_id, created_at,
		name, name_key, email_key, external_id, types, email, billing_email, phone, phone_secondary, mobile, fax,
		website, tax_name, tax_number, registration_number, bank_name, iban, notes, default_rate, default_rate_type,
		invoice_reminders, show_location_on_invoice, owner_id, salesperson_id, case_manager_id, updated_at,
		search_text)
		VALUES (`+placeholders(1, len(args))+`) RETURNING id`, args...).Scan(&c.ID))
}

func (t *tx) Client(ctx context.Context, companyID, id int64) (clientele.Client, error) {
	return scanClient(t.row(ctx, companyID, clientSelect+`WHERE c.company_id = $1 AND c.id = $2`, companyID, id))
}

func (t *tx) Clients(ctx context.Context, companyID int64, q clientele.ClientQuery) ([]clientele.Client, error) {
	query, args, err := clientsQuery(companyID, q)
	if err != nil {
		return nil, err
	}
	rows, err := t.rows(ctx, companyID, query, args...)
	return collect(rows, err, scanClient)
}

func (t *tx) CountClients(ctx context.Context, companyID int64, q clientele.ClientQuery) (int, error) {
	query, args := countClientsQuery(companyID, q)
	return t.count(ctx, companyID, query, args)
}

// clientsQuery is the query of a page of the clients q selects.
func clientsQuery(companyID int64, q clientele.ClientQuery) (string, []any, error) {
	var w where
	primary := clientFilter(&w, companyID, q) // clientSelect joins p
	columns := w.withRelevance(clientSort, q.Sort, q.Search, "c.search_text")
	tail, err := w.page(columns, "c.id", q.Sort, q.Page)
	if l, byRange := lateJoin(q.Page, q.Created, q.Updated); err == nil && !primary && l {
		return late(clientSelect, "clients", "c", &w, tail, byRange), w.args, nil
	}
	return clientSelect + w.sql() + tail, w.args, err
}

// countClientsQuery is the query that counts the clients q selects.
func countClientsQuery(companyID int64, q clientele.ClientQuery) (string, []any) {
	var w where
	from := `clients c`
	if clientFilter(&w, companyID, q) {
		from += ` JOIN locations p ON p.company_id = c.company_id AND p.client_id = c.id AND p.is_primary`
	}
	return countQuery("clients", from, &w)
}

// clientFilter adds the conditions of q about the company's clients (c) to w;
// it reports whether they name the primary location (p), which the query
// must then join.
func clientFilter(w *where, companyID int64, q clientele.ClientQuery) (primary bool) {
	w.add("c.company_id = %s", companyID)
	w.ids("c.id", q.IDs)
	w.contains([]string{"c.name_key"}, q.Name)
	w.anyOf("c.external_id", q.ExternalIDs, nil)
	if len(q.Types) > 0 {
		w.add("(c.types & %s) <> 0", storage.TypesMask(q.Types))
	}
	w.ids("c.owner_id", q.OwnerIDs)
	w.ids("c.salesperson_id", q.SalespersonIDs)
	w.ids("c.case_manager_id", q.CaseManagerIDs)
	w.anyOf("p.country", q.Countries, nil)
	w.anyOf("p.city_key", q.Cities, clientele.Fold)
	w.anyOf("c.email_key", q.Emails, clientele.EmailKey)
	w.during("c.created_at", q.Created)
	w.during("c.updated_at", q.Updated)
	w.search("c.search_vector", q.Search, false, "c.email_key", "lower(c.billing_email)")
	return len(q.Countries) > 0 || len(q.Cities) > 0
}

// UpdateClient stores c with its search text, made with the city of the
// primary location as stored (not c.Address, which the caller may not have set).
func (t *tx) UpdateClient(ctx context.Context, c clientele.Client) error {
	city, err := t.primaryCity(ctx, c.CompanyID, c.ID)
	if err != nil {
		return err
	}
	c.Address = &clientele.Address{City: city}
	args := append(clientValues(&c), c.CompanyID, c.ID)
	return t.execOne(ctx, c.CompanyID, "client", `UPDATE clients SET
		name = $1, name_key = $2, email_key = $3, external_id = $4, types = $5, email = $6, billing_email = $7,
		phone = $8, phone_secondary = $9, mobile = $10, fax = $11, website = $12, tax_name = $13,
		tax_number = $14, registration_number = $15, bank_name = $16, iban = $17, notes = $18,
		default_rate = $19, default_rate_type = $20, invoice_reminders = $21, show_location_on_invoice = $22,
		owner_id = $23, salesperson_id = $24, case_manager_id = $25, updated_at = $26, search_text = $27
		WHERE company_id = $28 AND id = $29`, args...)
}

// primaryCity returns the city of a client's primary location, "" without one.
func (t *tx) primaryCity(ctx context.Context, companyID, clientID int64) (string, error) {
	var city string
	err := t.row(ctx, companyID, `SELECT coalesce(city, '') FROM locations
		WHERE company_id = $1 AND client_id = $2 AND is_primary`, companyID, clientID).Scan(&city)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return city, err
}

// refreshClientSearch recomputes a client's search text after a write to its
// locations, which may have changed its primary location's city. A missing
// client has nothing to refresh.
func (t *tx) refreshClientSearch(ctx context.Context, companyID, clientID int64) error {
	c, err := t.Client(ctx, companyID, clientID)
	if clientele.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, companyID, `UPDATE clients SET search_text = $1
		WHERE company_id = $2 AND id = $3 AND search_text <> $1`, clientele.ClientSearchText(c), companyID, clientID)
	return err
}

func (t *tx) TouchClient(ctx context.Context, companyID, id int64, at time.Time) error {
	return t.execOne(ctx, companyID, "client", `UPDATE clients SET updated_at = GREATEST($1, updated_at + interval '1 microsecond') WHERE company_id = $2 AND id = $3`,
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
