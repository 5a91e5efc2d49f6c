package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/storage"
)

// clientSelect reads a client with its primary location's address (p) and
// its main contact (m); the partial unique indexes make each join hit at most one row.
const clientSelect = `SELECT c.id, c.company_id, c.name, c.external_id, c.types, c.email, c.billing_email,
	c.phone, c.phone_secondary, c.mobile, c.fax, c.website, c.tax_name, c.tax_number, c.registration_number,
	c.bank_name, c.iban, c.notes, c.default_rate, c.default_rate_type, c.invoice_reminders,
	c.show_location_on_invoice, c.owner_id, c.salesperson_id, c.case_manager_id, c.created_at, c.updated_at,
	p.id, p.street, p.house_number, p.address_line_2, p.address_line_3, p.postal_code, p.city, p.region,
	p.country, p.recipient, m.id, c.logo
FROM clients c
LEFT JOIN locations p ON p.company_id = c.company_id AND p.client_id = c.id AND p.is_primary = 1
LEFT JOIN contacts m ON m.company_id = c.company_id AND m.client_id = c.id AND m.is_main = 1
`

func scanClient(row interface{ Scan(...any) error }) (clientele.Client, error) {
	var c clientele.Client
	var types int16
	var primaryID int64
	var a clientele.Address
	var logo string
	err := row.Scan(&c.ID, &c.CompanyID, &c.Name, str{&c.ExternalID}, &types, str{&c.Email}, str{&c.BillingEmail},
		str{&c.Phone}, str{&c.PhoneSecondary}, str{&c.Mobile}, str{&c.Fax}, str{&c.Website}, str{&c.TaxName},
		str{&c.TaxNumber}, str{&c.RegistrationNumber}, str{&c.BankName}, str{&c.IBAN}, str{&c.Notes},
		str{&c.DefaultRate}, str{&c.DefaultRateType}, &c.InvoiceReminders, &c.ShowLocationOnInvoice,
		id{&c.OwnerID}, id{&c.SalespersonID}, id{&c.CaseManagerID}, ts{&c.CreatedAt}, ts{&c.UpdatedAt},
		id{&primaryID}, str{&a.Street}, str{&a.HouseNumber}, str{&a.AddressLine2}, str{&a.AddressLine3},
		str{&a.PostalCode}, str{&a.City}, str{&a.Region}, str{&a.Country}, str{&a.Recipient}, id{&c.MainContactID},
		str{&logo})
	c.Types = storage.TypesOf(types)
	c.Logo = storage.ImageOf(logo)
	if primaryID != 0 {
		c.Address = &a
	}
	return c, notFound(err, "client")
}

// clientValues are the stored attributes of c, with their keys, in the order
// of the INSERT and UPDATE column lists.
func clientValues(c *clientele.Client) []any {
	return []any{c.Name, clientele.Fold(c.Name), storage.Text(clientele.EmailKey(c.Email)),
		storage.Text(c.ExternalID), storage.TypesMask(c.Types), storage.Text(c.Email), storage.Text(c.BillingEmail),
		storage.Text(c.Phone), storage.Text(c.PhoneSecondary), storage.Text(c.Mobile), storage.Text(c.Fax), storage.Text(c.Website), storage.Text(c.TaxName),
		storage.Text(c.TaxNumber), storage.Text(c.RegistrationNumber), storage.Text(c.BankName), storage.Text(c.IBAN), storage.Text(c.Notes),
		storage.Text(c.DefaultRate), storage.Text(c.DefaultRateType), c.InvoiceReminders, c.ShowLocationOnInvoice,
		storage.Ref(c.OwnerID), storage.Ref(c.SalespersonID), storage.Ref(c.CaseManagerID), micros(c.UpdatedAt),
		clientele.ClientSearchText(*c)}
}

var insertClient = prepared(`INSERT INTO clients (company_id, created_at,
	name, name_key, email_key, external_id, types, email, billing_email, phone, phone_secondary, mobile, fax,
	website, tax_name,
	tax_number, registration_number, bank_name, iban, notes, default_rate, default_rate_type, invoice_reminders,
	show_location_on_invoice, owner_id, salesperson_id, case_manager_id, updated_at, search_text)
	VALUES (?, ?,
	?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
	?, ?, ?, ?, ?, ?, ?, ?,
	?, ?, ?, ?, ?, ?) RETURNING id`)

// CreateClient stores c with its search text; a new client has no
// locations, so no city in it (but see Bulk).
func (t *tx) CreateClient(ctx context.Context, c *clientele.Client) error {
	n := *c
	if t.bulk == nil || n.Address == nil {
		n.Address = &clientele.Address{}
	}
	args := append([]any{c.CompanyID, micros(c.CreatedAt)}, clientValues(&n)...)
	if t.bulk == nil {
		return translate(t.QueryRowContext(ctx, insertClient, args...).Scan(&c.ID))
	}
	var country, cityKey any // the copies of the primary location to come: none without c.Address
	if c.Address != nil {
		country, cityKey = c.Address.Country, clientele.Fold(c.Address.City)
	}
	id, err := t.bulkAdd(ctx, bulkClients, append(args, country, cityKey))
	if err == nil {
		c.ID = id
		if c.Address != nil {
			t.bulk.copied[id] = bulkCopy{c.CompanyID, id, c.Address.Country, c.Address.City}
		}
	}
	return err
}

var selectClient = prepared(clientSelect + `WHERE c.company_id = ? AND c.id = ?`)

func (t *tx) Client(ctx context.Context, companyID, id int64) (clientele.Client, error) {
	return scanClient(t.QueryRowContext(ctx, selectClient, companyID, id))
}

// Clients runs clientsQuery (lists.go).
func (t *tx) Clients(ctx context.Context, companyID int64, q clientele.ClientQuery) ([]clientele.Client, error) {
	if byRelevance(q.Sort) && q.Limit > 0 { // every row (Limit 0): ranking them all is the work anyway
		ranks, ok, err := clientRanks(companyID, q)
		if err != nil {
			return nil, err
		}
		if ok {
			return rankedRows(ctx, t, ranks, q.Page, clientSelect+`WHERE c.company_id = ? AND c.id IN `, companyID,
				scanClient, func(c clientele.Client) int64 { return c.ID })
		}
	}
	query, args, err := clientsQuery(companyID, q)
	if err != nil {
		return nil, err
	}
	rows, err := t.QueryContext(ctx, query, args...)
	return collect(rows, err, scanClient)
}

// CountClients runs countClientsQuery (lists.go).
func (t *tx) CountClients(ctx context.Context, companyID int64, q clientele.ClientQuery) (int, error) {
	return count(ctx, t, countClientsQuery, companyID, q)
}

var updateClient = prepared(`UPDATE clients SET
	name = ?, name_key = ?, email_key = ?, external_id = ?, types = ?, email = ?, billing_email = ?, phone = ?,
	phone_secondary = ?,
	mobile = ?, fax = ?, website = ?, tax_name = ?, tax_number = ?, registration_number = ?, bank_name = ?,
	iban = ?, notes = ?, default_rate = ?, default_rate_type = ?, invoice_reminders = ?,
	show_location_on_invoice = ?, owner_id = ?, salesperson_id = ?, case_manager_id = ?, updated_at = ?,
	search_text = ?
	WHERE company_id = ? AND id = ?`)

// UpdateClient stores c with its search text, made with the city of the
// primary location as stored (not c.Address, which the caller may not have set).
func (t *tx) UpdateClient(ctx context.Context, c clientele.Client) error {
	city, err := t.primaryCity(ctx, c.CompanyID, c.ID)
	if err != nil {
		return err
	}
	c.Address = &clientele.Address{City: city}
	return t.execOne(ctx, "client", updateClient, append(clientValues(&c), c.CompanyID, c.ID)...)
}

var selectPrimaryCity = prepared(`SELECT coalesce(city, '') FROM locations
	WHERE company_id = ? AND client_id = ? AND is_primary = 1`)

// primaryCity returns the city of a client's primary location, "" without one.
func (t *tx) primaryCity(ctx context.Context, companyID, clientID int64) (string, error) {
	var city string
	err := t.QueryRowContext(ctx, selectPrimaryCity, companyID, clientID).Scan(&city)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return city, err
}

var updateClientSearch = prepared(`UPDATE clients SET search_text = ? WHERE company_id = ? AND id = ?`)

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
	_, err = t.ExecContext(ctx, updateClientSearch, clientele.ClientSearchText(c), companyID, clientID)
	return err
}

var touchClient = prepared(`UPDATE clients SET updated_at = MAX(?, updated_at + 1) WHERE company_id = ? AND id = ?`)

func (t *tx) TouchClient(ctx context.Context, companyID, id int64, at time.Time) error {
	return t.execOne(ctx, "client", touchClient, micros(at), companyID, id)
}

var deleteClient = prepared(`DELETE FROM clients WHERE company_id = ? AND id = ?`)

func (t *tx) DeleteClient(ctx context.Context, companyID, id int64) error {
	// Locations and contacts go by ON DELETE CASCADE.
	return t.execOne(ctx, "client", deleteClient, companyID, id)
}

var lockClient = prepared(`SELECT 1 FROM clients WHERE company_id = ? AND id = ?`)

// LockClient only checks that the client exists: a write transaction here
// holds the database's write lock from its start, which already keeps every
// other writer out.
func (t *tx) LockClient(ctx context.Context, companyID, id int64) error {
	var one int
	err := t.QueryRowContext(ctx, lockClient, companyID, id).Scan(&one)
	return notFound(err, "client")
}

func appendIDs(args []any, ids []int64) []any {
	for _, id := range ids {
		args = append(args, id)
	}
	return args
}
