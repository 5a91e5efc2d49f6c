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

var insertCompany = prepared(`INSERT INTO companies (name, slug, created_at, updated_at) VALUES (?, ?, ?, ?)
	RETURNING id`)

func (t *tx) CreateCompany(ctx context.Context, c *clientele.Company) error {
	return translate(t.QueryRowContext(ctx, insertCompany,
		c.Name, c.Slug, micros(c.CreatedAt), micros(c.UpdatedAt)).Scan(&c.ID))
}

var selectCompany = prepared(`SELECT ` + companyColumns + ` FROM companies WHERE id = ?`)

func (t *tx) Company(ctx context.Context, id int64) (clientele.Company, error) {
	return scanCompany(t.QueryRowContext(ctx, selectCompany, id))
}

var selectCompanyBySlug = prepared(`SELECT ` + companyColumns + ` FROM companies WHERE slug = ?`)

func (t *tx) CompanyBySlug(ctx context.Context, slug string) (clientele.Company, error) {
	return scanCompany(t.QueryRowContext(ctx, selectCompanyBySlug, slug))
}

var updateCompany = prepared(`UPDATE companies SET name = ?, updated_at = ? WHERE id = ?`)

func (t *tx) UpdateCompany(ctx context.Context, c clientele.Company) error {
	return t.execOne(ctx, "company", updateCompany, c.Name, micros(c.UpdatedAt), c.ID)
}

var selectAnyCompany = prepared(`SELECT count(*) FROM (SELECT 1 FROM companies LIMIT 1)`)

func (t *tx) HasCompanies(ctx context.Context) (bool, error) {
	var n int
	err := t.QueryRowContext(ctx, selectAnyCompany).Scan(&n)
	return n > 0, err
}
