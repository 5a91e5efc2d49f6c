package sqlite

import (
	"context"
	"encoding/json"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/storage"
)

var setClientLogo = prepared(`UPDATE clients SET logo = ?, updated_at = ? WHERE company_id = ? AND id = ?`)

func (t *tx) SetClientLogo(ctx context.Context, companyID, id int64, logo *clientele.Image, at time.Time) error {
	return t.execOne(ctx, "client", setClientLogo, storage.ImageKey(logo), micros(at), companyID, id)
}

var setContactImage = prepared(`UPDATE contacts SET image = ?, updated_at = ? WHERE company_id = ? AND id = ?`)

func (t *tx) SetContactImage(ctx context.Context, companyID, id int64, image *clientele.Image, at time.Time) error {
	return t.execOne(ctx, "contact", setContactImage, storage.ImageKey(image), micros(at), companyID, id)
}

var (
	selectClientLogo    = prepared(`SELECT coalesce(logo, '') FROM clients WHERE company_id = ? AND id = ?`)
	selectContactImages = prepared(`SELECT image FROM contacts
		WHERE company_id = ? AND client_id = ? AND image IS NOT NULL`)
)

func (t *tx) ClientImages(ctx context.Context, companyID, id int64) ([]clientele.Image, error) {
	var logo string
	if err := t.QueryRowContext(ctx, selectClientLogo, companyID, id).Scan(&logo); err != nil {
		return nil, notFound(err, "client")
	}
	rows, err := t.QueryContext(ctx, selectContactImages, companyID, id)
	out, err := collect(rows, err, scanImage)
	if logo != "" {
		out = append(out, clientele.Image{Key: logo})
	}
	return out, err
}

func scanImage(row interface{ Scan(...any) error }) (clientele.Image, error) {
	var img clientele.Image
	return img, row.Scan(&img.Key)
}

// The keys travel as one JSON array, so that any number of them is one
// statement within SQLite's bound-parameter limit; both lookups use the
// partial key indexes.
var selectImagesInUse = prepared(`SELECT logo FROM clients WHERE logo IN (SELECT value FROM json_each(?1))
	UNION ALL SELECT image FROM contacts WHERE image IN (SELECT value FROM json_each(?1))`)

func (t *tx) ImagesInUse(ctx context.Context, keys []string) ([]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	rows, err := t.QueryContext(ctx, selectImagesInUse, string(list))
	imgs, err := collect(rows, err, scanImage)
	out := make([]string, len(imgs))
	for i, img := range imgs {
		out[i] = img.Key
	}
	return out, err
}
