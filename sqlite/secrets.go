package sqlite

import (
	"context"
	"crypto/rand"
	"fmt"
)

// SecretSize is the length in bytes of the secrets Secret makes.
const SecretSize = 32

// Secret returns the installation's secret called name (the key that seals
// page cursors, for one), 32 random bytes made and stored on first use. Every
// process on the database gets the same secret: the first to ask stores it
// in a write transaction that keeps whatever another one stored first.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	fresh := make([]byte, SecretSize)
	rand.Read(fresh) // never fails (crypto/rand)
	t, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	defer t.Rollback()
	if _, err := t.ExecContext(ctx, `INSERT OR IGNORE INTO installation_secrets (name, value) VALUES (?, ?)`,
		name, fresh); err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	var value []byte
	if err := t.QueryRowContext(ctx, `SELECT value FROM installation_secrets WHERE name = ?`, name).Scan(&value); err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	if err := t.Commit(); err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	return value, nil
}
