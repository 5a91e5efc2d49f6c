package sqlite

import (
	"context"

	"github.com/clientele/clientele"
)

const companyColumns = `id, name, slug, created_at, updated_at`

func scanCompany(row interface{ Scan(...any) error }) (clientele.Company, error) {
	var c clientele.Company
	err := row.Scan(&c.ID, &c.Name, &c.Slug, ts{&c.CreatedAt}, ts{&c.UpdatedAt})
	return c, notFound(err, "company")
}

func (t *tx) CreateCompany(ctx context.Context, c *clientele.Company) error {
	return translate(t.QueryRowContext(ctx,
		`INSERT INTO companies (name, slug, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
		c.Name, c.Slug, micros(c.CreatedAt), micros(c.UpdatedAt)).Scan(&c.ID))
}

func (t *tx) Company(ctx context.Context, id int64) (clientele.Company, error) {
	return scanCompany(t.QueryRowContext(ctx, `SELECT `+companyColumns+` FROM companies WHERE id = ?`, id))
}

func (t *tx) CompanyBySlug(ctx context.Context, slug string) (clientele.Company, error) {
	return scanCompany(t.QueryRowContext(ctx, `SELECT `+companyColumns+` FROM companies WHERE slug = ?`, slug))
}

func (t *tx) UpdateCompany(ctx context.Context, c clientele.Company) error {
	return t.execOne(ctx, "company", `UPDATE companies SET name = ?, updated_at = ? WHERE id = ?`, c.Name, micros(c.UpdatedAt), c.ID)
}

func (t *tx) HasCompanies(ctx context.Context) (bool, error) {
	var n int
	err := t.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM companies LIMIT 1)`).Scan(&n)
	return n > 0, err
}
