package sqlite

import (
	"context"
	"embed"
	"io/fs"
	"time"

	"github.com/clientele/clientele/internal/storage"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrate applies, in order and each in its own immediate transaction, the
// numbered migrations that the database has not recorded yet. Two processes
// migrating at once serialise on the write lock and the second finds nothing to do.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL)`); err != nil {
		return err
	}
	files, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	return storage.Migrate(ctx, files, db.apply)
}

func (db *DB) apply(ctx context.Context, version int, body string) error {
	t, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer t.Rollback()
	var done int
	if err := t.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&done); err != nil {
		return err
	}
	if done > 0 {
		return nil
	}
	if _, err := t.ExecContext(ctx, body); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		version, time.Now().UnixMicro()); err != nil {
		return err
	}
	return t.Commit()
}
