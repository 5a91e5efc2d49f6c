package postgres

import (
	"context"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/storage"
	"github.com/jackc/pgx/v5"
)

func (t *tx) SetClientLogo(ctx context.Context, companyID, id int64, logo *clientele.Image, at time.Time) error {
	return t.execOne(ctx, companyID, "client", `UPDATE clients SET logo = $1, updated_at = $2
		WHERE company_id = $3 AND id = $4`, storage.ImageKey(logo), at, companyID, id)
}

func (t *tx) SetContactImage(ctx context.Context, companyID, id int64, image *clientele.Image, at time.Time) error {
	return t.execOne(ctx, companyID, "contact", `UPDATE contacts SET image = $1, updated_at = $2
		WHERE company_id = $3 AND id = $4`, storage.ImageKey(image), at, companyID, id)
}

func (t *tx) ClientImages(ctx context.Context, companyID, id int64) ([]clientele.Image, error) {
	var logo string
	err := t.row(ctx, companyID, `SELECT coalesce(logo, '') FROM clients WHERE company_id = $1 AND id = $2`,
		companyID, id).Scan(&logo)
	if err != nil {
		return nil, notFound(err, "client")
	}
	rows, err := t.rows(ctx, companyID, `SELECT image FROM contacts
		WHERE company_id = $1 AND client_id = $2 AND image IS NOT NULL`, companyID, id)
	out, err := collect(rows, err, scanImage)
	if logo != "" {
		out = append(out, clientele.Image{Key: logo})
	}
	return out, err
}

func scanImage(row pgx.Row) (clientele.Image, error) {
	var img clientele.Image
	return img, row.Scan(&img.Key)
}

// ImagesInUse looks across companies (the file sweep knows no company), so
// it takes no company lock: a key it misses that a concurrent transaction is
// about to commit belongs to a file younger than the sweep's grace period.
func (t *tx) ImagesInUse(ctx context.Context, keys []string) ([]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	rows, err := t.tx.Query(ctx, `SELECT logo FROM clients WHERE logo = ANY($1)
		UNION ALL SELECT image FROM contacts WHERE image = ANY($1)`, keys)
	imgs, err := collect(rows, err, scanImage)
	out := make([]string, len(imgs))
	for i, img := range imgs {
		out[i] = img.Key
	}
	return out, err
}
