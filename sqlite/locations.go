package sqlite

import (
	"context"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/storage"
)

const locationColumns = `id, company_id, client_id, created_at, name, street, house_number, address_line_2,
	address_line_3, postal_code, city, region, country, recipient, email, phone, phone_secondary, fax, notes,
	is_primary, updated_at`

func scanLocation(row interface{ Scan(...any) error }) (clientele.Location, error) {
	var l clientele.Location
	err := row.Scan(&l.ID, &l.CompanyID, &l.ClientID, ts{&l.CreatedAt}, &l.Name, str{&l.Street},
		str{&l.HouseNumber}, str{&l.AddressLine2}, str{&l.AddressLine3}, str{&l.PostalCode}, str{&l.City},
		str{&l.Region}, &l.Country, str{&l.Recipient}, str{&l.Email}, str{&l.Phone}, str{&l.PhoneSecondary},
		str{&l.Fax}, str{&l.Notes}, &l.IsPrimary, ts{&l.UpdatedAt})
	return l, notFound(err, "location")
}

// locationValues are the changeable attributes of l, with their keys, in the
// order of the UPDATE (and, after company_id, client_id and created_at, the
// INSERT) column list.
func locationValues(l *clientele.Location) []any {
	return []any{l.Name, clientele.Fold(l.Name), storage.Text(l.Street), storage.Text(l.HouseNumber),
		storage.Text(l.AddressLine2), storage.Text(l.AddressLine3), storage.Text(l.PostalCode),
		storage.Text(l.City), clientele.Fold(l.City), storage.Text(l.Region), l.Country, storage.Text(l.Recipient), storage.Text(l.Email),
		storage.Text(l.Phone), storage.Text(l.PhoneSecondary), storage.Text(l.Fax), storage.Text(l.Notes), l.IsPrimary, micros(l.UpdatedAt)}
}

var insertLocation = prepared(`INSERT INTO locations (company_id, client_id, created_at, name, name_key, street,
	house_number, address_line_2, address_line_3, postal_code, city, city_key, region, country, recipient, email,
	phone, phone_secondary, fax, notes, is_primary, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)

func (t *tx) CreateLocation(ctx context.Context, l *clientele.Location) error {
	args := append([]any{l.CompanyID, l.ClientID, micros(l.CreatedAt)}, locationValues(l)...)
	if t.bulk != nil {
		id, err := t.bulkAdd(ctx, bulkLocations, args)
		if err != nil {
			return err
		}
		l.ID = id
		if !l.IsPrimary {
			return nil
		}
		copied, ok := t.bulk.copied[l.ClientID]
		delete(t.bulk.copied, l.ClientID)
		if ok && copied.country == l.Country && copied.city == l.City {
			return nil // the client's row has them already
		}
		t.bulk.stale = append(t.bulk.stale, bulkCopy{companyID: l.CompanyID, clientID: l.ClientID})
		return nil
	}
	if err := translate(t.QueryRowContext(ctx, insertLocation, args...).Scan(&l.ID)); err != nil {
		return err
	}
	if !l.IsPrimary {
		return nil
	}
	return t.refreshClientSearch(ctx, l.CompanyID, l.ClientID)
}

var selectLocation = prepared(`SELECT ` + locationColumns + ` FROM locations WHERE company_id = ? AND id = ?`)

func (t *tx) Location(ctx context.Context, companyID, id int64) (clientele.Location, error) {
	return scanLocation(t.QueryRowContext(ctx, selectLocation, companyID, id))
}

var selectPrimaryLocation = prepared(`SELECT ` + locationColumns + ` FROM locations
	WHERE company_id = ? AND client_id = ? AND is_primary = 1`)

func (t *tx) PrimaryLocation(ctx context.Context, companyID, clientID int64) (clientele.Location, error) {
	return scanLocation(t.QueryRowContext(ctx, selectPrimaryLocation, companyID, clientID))
}

// Locations runs locationsQuery (lists.go).
func (t *tx) Locations(ctx context.Context, companyID int64, q clientele.LocationQuery) ([]clientele.Location, error) {
	query, args, err := locationsQuery(companyID, q)
	if err != nil {
		return nil, err
	}
	rows, err := t.QueryContext(ctx, query, args...)
	return collect(rows, err, scanLocation)
}

// CountLocations runs countLocationsQuery (lists.go).
func (t *tx) CountLocations(ctx context.Context, companyID int64, q clientele.LocationQuery) (int, error) {
	return count(ctx, t, countLocationsQuery, companyID, q)
}

var updateLocation = prepared(`UPDATE locations SET name = ?, name_key = ?, street = ?, house_number = ?,
	address_line_2 = ?, address_line_3 = ?, postal_code = ?, city = ?, city_key = ?, region = ?, country = ?,
	recipient = ?,
	email = ?, phone = ?, phone_secondary = ?, fax = ?, notes = ?, is_primary = ?, updated_at = ?
	WHERE company_id = ? AND id = ? RETURNING client_id`)

// UpdateLocation stores l and refreshes its client's search text (the city
// or the primary location may have changed).
func (t *tx) UpdateLocation(ctx context.Context, l clientele.Location) error {
	var clientID int64
	err := t.QueryRowContext(ctx, updateLocation, append(locationValues(&l), l.CompanyID, l.ID)...).Scan(&clientID)
	if err = notFound(translate(err), "location"); err != nil {
		return err
	}
	return t.refreshClientSearch(ctx, l.CompanyID, clientID)
}

var deleteLocation = prepared(`DELETE FROM locations WHERE company_id = ? AND id = ? RETURNING client_id, is_primary`)

// DeleteLocation deletes a location; deleting the primary one refreshes its
// client's search text.
func (t *tx) DeleteLocation(ctx context.Context, companyID, id int64) error {
	var clientID int64
	var primary bool
	err := t.QueryRowContext(ctx, deleteLocation, companyID, id).Scan(&clientID, &primary)
	if err = notFound(translate(err), "location"); err != nil || !primary {
		return err
	}
	return t.refreshClientSearch(ctx, companyID, clientID)
}

var clearPrimaryLocation = prepared(`UPDATE locations SET is_primary = 0, updated_at = MAX(?, updated_at + 1)
	WHERE company_id = ? AND client_id = ? AND is_primary = 1`)

func (t *tx) ClearPrimaryLocation(ctx context.Context, companyID, clientID int64, at time.Time) error {
	res, err := t.ExecContext(ctx, clearPrimaryLocation, micros(at), companyID, clientID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	return t.refreshClientSearch(ctx, companyID, clientID)
}
