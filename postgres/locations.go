package postgres

import (
	"context"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/storage"
	"github.com/jackc/pgx/v5"
)

const locationColumns = `id, company_id, client_id, created_at, name, coalesce(street, ''),
	coalesce(house_number, ''), coalesce(address_line_2, ''), coalesce(address_line_3, ''),
	coalesce(postal_code, ''), coalesce(city, ''), coalesce(region, ''), country, coalesce(recipient, ''),
	coalesce(email, ''), coalesce(phone, ''), coalesce(phone_secondary, ''), coalesce(fax, ''),
	coalesce(notes, ''), is_primary, updated_at`

func scanLocation(row pgx.Row) (clientele.Location, error) {
	var l clientele.Location
	err := row.Scan(&l.ID, &l.CompanyID, &l.ClientID, &l.CreatedAt, &l.Name, &l.Street, &l.HouseNumber,
		&l.AddressLine2, &l.AddressLine3, &l.PostalCode, &l.City, &l.Region, &l.Country, &l.Recipient,
		&l.Email, &l.Phone, &l.PhoneSecondary, &l.Fax, &l.Notes, &l.IsPrimary, &l.UpdatedAt)
	l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	return l, notFound(err, "location")
}

// locationValues are the changeable attributes of l, with the keys computed
// from them, in the UPDATE's order.
func locationValues(l *clientele.Location) []any {
	t := storage.Text
	return []any{l.Name, clientele.Fold(l.Name), t(l.Street), t(l.HouseNumber), t(l.AddressLine2),
		t(l.AddressLine3), t(l.PostalCode), t(l.City), clientele.Fold(l.City), t(l.Region), l.Country, t(l.Recipient), t(l.Email),
		t(l.Phone), t(l.PhoneSecondary), t(l.Fax), t(l.Notes), l.IsPrimary, l.UpdatedAt}
}

func (t *tx) CreateLocation(ctx context.Context, l *clientele.Location) error {
	args := append([]any{l.CompanyID, l.ClientID, l.CreatedAt}, locationValues(l)...)
	err := translate(t.row(ctx, l.CompanyID, `INSERT INTO locations (company_id, client_id, created_at, name,
		name_key, street, house_number, address_line_2, address_line_3, postal_code, city, city_key, region,
		country, recipient, email, phone, phone_secondary, fax, notes, is_primary, updated_at)
		VALUES (`+placeholders(1, len(args))+`) RETURNING id`, args...).Scan(&l.ID))
	if err != nil || !l.IsPrimary {
		return err
	}
	return t.refreshClientSearch(ctx, l.CompanyID, l.ClientID)
}

func (t *tx) Location(ctx context.Context, companyID, id int64) (clientele.Location, error) {
	return scanLocation(t.row(ctx, companyID,
		`SELECT `+locationColumns+` FROM locations WHERE company_id = $1 AND id = $2`, companyID, id))
}

func (t *tx) PrimaryLocation(ctx context.Context, companyID, clientID int64) (clientele.Location, error) {
	return scanLocation(t.row(ctx, companyID, `SELECT `+locationColumns+` FROM locations
		WHERE company_id = $1 AND client_id = $2 AND is_primary`, companyID, clientID))
}

func (t *tx) Locations(ctx context.Context, companyID int64, q clientele.LocationQuery) ([]clientele.Location, error) {
	query, args, err := locationsQuery(companyID, q)
	if err != nil {
		return nil, err
	}
	rows, err := t.rows(ctx, companyID, query, args...)
	return collect(rows, err, scanLocation)
}

func (t *tx) CountLocations(ctx context.Context, companyID int64, q clientele.LocationQuery) (int, error) {
	query, args := countLocationsQuery(companyID, q)
	return t.count(ctx, companyID, query, args)
}

// locationsQuery is the query of a page of the locations q selects.
func locationsQuery(companyID int64, q clientele.LocationQuery) (string, []any, error) {
	var w where
	locationFilter(&w, companyID, q)
	tail, err := w.page(locationSort, "id", q.Sort, q.Page)
	if l, _ := lateJoin(q.Page); err == nil && l {
		return late(`SELECT `+locationColumns+` FROM locations`, "locations", "", &w, tail, false), w.args, nil
	}
	return `SELECT ` + locationColumns + ` FROM locations` + w.sql() + tail, w.args, err
}

// countLocationsQuery is the query that counts the locations q selects.
func countLocationsQuery(companyID int64, q clientele.LocationQuery) (string, []any) {
	var w where
	locationFilter(&w, companyID, q)
	return countQuery("locations", "locations", &w)
}

// locationFilter adds the conditions of q about the company's locations to w.
func locationFilter(w *where, companyID int64, q clientele.LocationQuery) {
	w.add("company_id = %s", companyID)
	if q.ClientID != 0 {
		w.add("client_id = %s", q.ClientID)
	}
	w.ids("client_id", q.ClientIDs)
	w.ids("id", q.IDs)
	w.anyOf("country", q.Countries, nil)
	w.anyOf("city_key", q.Cities, clientele.Fold)
	w.flag("is_primary", q.IsPrimary)
}

// UpdateLocation stores l and refreshes its client's search text (the city
// or the primary location may have changed).
func (t *tx) UpdateLocation(ctx context.Context, l clientele.Location) error {
	var clientID int64
	err := t.row(ctx, l.CompanyID, `UPDATE locations SET name = $1, name_key = $2, street = $3,
		house_number = $4, address_line_2 = $5, address_line_3 = $6, postal_code = $7, city = $8, city_key = $9,
		region = $10, country = $11, recipient = $12, email = $13, phone = $14, phone_secondary = $15, fax = $16,
		notes = $17, is_primary = $18, updated_at = $19
		WHERE company_id = $20 AND id = $21 RETURNING client_id`, append(locationValues(&l), l.CompanyID, l.ID)...).Scan(&clientID)
	if err = notFound(translate(err), "location"); err != nil {
		return err
	}
	return t.refreshClientSearch(ctx, l.CompanyID, clientID)
}

// DeleteLocation deletes a location; deleting the primary one refreshes its
// client's search text.
func (t *tx) DeleteLocation(ctx context.Context, companyID, id int64) error {
	var clientID int64
	var primary bool
	err := t.row(ctx, companyID, `DELETE FROM locations WHERE company_id = $1 AND id = $2
		RETURNING client_id, is_primary`, companyID, id).Scan(&clientID, &primary)
	if err = notFound(translate(err), "location"); err != nil || !primary {
		return err
	}
	return t.refreshClientSearch(ctx, companyID, clientID)
}

func (t *tx) ClearPrimaryLocation(ctx context.Context, companyID, clientID int64, at time.Time) error {
	n, err := t.exec(ctx, companyID, `UPDATE locations SET is_primary = false, updated_at = GREATEST($1, updated_at + interval '1 microsecond')
		WHERE company_id = $2 AND client_id = $3 AND is_primary`, at, companyID, clientID)
	if err != nil || n == 0 {
		return err
	}
	return t.refreshClientSearch(ctx, companyID, clientID)
}
