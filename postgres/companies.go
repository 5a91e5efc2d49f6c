package postgres

import (
	"context"
	"strings"

	"github.com/clientele/clientele"
	"github.com/jackc/pgx/v5"
)

const companyColumns = `id, name, slug, created_at, updated_at`

func scanCompany(row pgx.Row) (clientele.Company, error) {
	var c clientele.Company
	err := row.Scan(&c.ID, &c.Name, &c.Slug, &c.CreatedAt, &c.UpdatedAt)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, notFound(err, "company")
}

func (t *tx) CreateCompany(ctx context.Context, c *clientele.Company) error {
	return translate(t.tx.QueryRow(ctx,
		`INSERT INTO companies (name, slug, created_at, updated_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		c.Name, c.Slug, c.CreatedAt, c.UpdatedAt).Scan(&c.ID))
}

func (t *tx) Company(ctx context.Context, id int64) (clientele.Company, error) {
	return scanCompany(t.row(ctx, id, `SELECT `+companyColumns+` FROM companies WHERE id = $1`, id))
}

func (t *tx) CompanyBySlug(ctx context.Context, slug string) (clientele.Company, error) {
	if strings.IndexByte(slug, 0) >= 0 { // PostgreSQL text cannot hold NUL; no slug has one
		return clientele.Company{}, clientele.ErrNotFound("company")
	}
	return scanCompany(t.tx.QueryRow(ctx, `SELECT `+companyColumns+` FROM companies WHERE slug = $1`, slug))
}

func (t *tx) UpdateCompany(ctx context.Context, c clientele.Company) error {
	return t.execOne(ctx, c.ID, "company", `UPDATE companies SET name = $1, updated_at = $2 WHERE id = $3`,
		c.Name, c.UpdatedAt, c.ID)
}

func (t *tx) HasCompanies(ctx context.Context) (bool, error) {
	var has bool
	err := t.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM companies)`).Scan(&has)
	return has, translate(err)
}
