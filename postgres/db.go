// Package postgres is the PostgreSQL storage engine of Clientele, on pgx.
//
// Read transactions are REPEATABLE READ and read-only, so that a list and its
// related records come from one snapshot. Write transactions are READ
// COMMITTED and, before their first statement about a company, take a
// transaction-scoped advisory lock on that company: writes of one company are
// serialised (as SQLite serialises all writes), which keeps every
// read-check-write rule of the Service (one primary location, one main
// contact, the last admin) true under concurrent writers without row-lock
// ordering, while different companies write in parallel.
//
// Every connection commits synchronously: one whose synchronous_commit is off
// is set to on when it connects (see durableCommits and docs/durability.md).
package postgres

import (
	"context"
	"crypto/rand"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/metrics"
	"github.com/clientele/clientele/internal/storage"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is a Clientele store in a PostgreSQL database.
type DB struct {
	pool *pgxpool.Pool
}

var _ clientele.Store = (*DB)(nil)

// IsURL reports whether s names a PostgreSQL database (postgres:// or postgresql://).
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Options tune the connection pool.
type Options struct {
	MaxConns         int32         // 0: pgxpool's default, the larger of 4 and the number of CPUs
	StatementTimeout time.Duration // 0: none
}

// Open connects to the database at url (postgres://…; extra query
// parameters such as search_path become session settings) and applies the
// migrations it lacks.
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database url: %w", err)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	if opts.StatementTimeout > 0 {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = fmt.Sprint(opts.StatementTimeout.Milliseconds())
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	cfg.AfterConnect = durableCommits
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	db := &DB{pool: pool}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return db, nil
}

// durableCommits makes sure that COMMIT on conn returns only once the
// transaction is flushed to the server's disk: a 2xx means durable.
// synchronous_commit=off (set by an administrator for the server, database or
// role, or in the URL) would acknowledge commits that a crash of PostgreSQL
// then loses, so it becomes on; local, remote_write, on and remote_apply all
// flush locally first and stay as they are, stronger replication settings
// included.
func durableCommits(ctx context.Context, conn *pgx.Conn) error {
	var level string
	if err := conn.QueryRow(ctx, `SELECT current_setting('synchronous_commit')`).Scan(&level); err != nil {
		return fmt.Errorf("reading synchronous_commit: %w", err)
	}
	if level == "off" {
		if _, err := conn.Exec(ctx, `SET synchronous_commit = on`); err != nil {
			return fmt.Errorf("setting synchronous_commit: %w", err)
		}
	}
	return nil
}

// Close closes the pool.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

// Read runs fn in a read-only REPEATABLE READ transaction.
func (db *DB) Read(ctx context.Context, fn func(clientele.Tx) error) error {
	return db.run(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, false, fn)
}

// Write runs fn in a READ COMMITTED transaction that locks each company it
// touches (see the package documentation).
func (db *DB) Write(ctx context.Context, fn func(clientele.Tx) error) error {
	return db.run(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, true, fn)
}

func (db *DB) run(ctx context.Context, opts pgx.TxOptions, write bool, fn func(clientele.Tx) error) error {
	pgTx, err := db.pool.BeginTx(ctx, opts)
	if err != nil {
		return translate(err)
	}
	// Always end the transaction, also when fn panics and someone recovers.
	defer pgTx.Rollback(context.WithoutCancel(ctx))
	if err := fn(&tx{tx: pgTx, write: write}); err != nil {
		return err
	}
	return translate(pgTx.Commit(ctx))
}

//go:embed migrations/*.sql
var migrations embed.FS

// migrateLock is the advisory lock key that serialises migrations of nodes starting at once.
const migrateLock = 0x436c7400 // "Clt\0"

func (db *DB) migrate(ctx context.Context) error {
	files, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	return storage.Migrate(ctx, files, func(ctx context.Context, version int, body string) error {
		return pgx.BeginFunc(ctx, db.pool, func(t pgx.Tx) error {
			if _, err := t.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLock); err != nil {
				return err
			}
			if _, err := t.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
				version    integer PRIMARY KEY,
				applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
				return err
			}
			var done bool
			if err := t.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`,
				version).Scan(&done); err != nil || done {
				return err
			}
			if _, err := t.Exec(ctx, body); err != nil {
				return err
			}
			_, err := t.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, version)
			return err
		})
	})
}

// errRow is a pgx.Row that only reports an error.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// SecretSize is how many random bytes an installation secret has.
const SecretSize = 32

// Secret returns the installation's secret called name (such as the key that
// seals paging cursors): SecretSize random bytes, made on first use and the
// same for every node from then on. Of nodes that ask at once, the first
// insert wins; the others' inserts do nothing (ON CONFLICT waits for the
// winner's commit), and each then reads the winner's value.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	fresh := make([]byte, SecretSize)
	rand.Read(fresh) // never fails
	if _, err := db.pool.Exec(ctx, `INSERT INTO installation_secrets (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO NOTHING`, name, fresh); err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	var value []byte
	if err := db.pool.QueryRow(ctx, `SELECT value FROM installation_secrets WHERE name = $1`, name).Scan(&value); err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	return value, nil
}

// PoolStats reports the connection pool, for /metrics.
func (db *DB) PoolStats() []metrics.Pool {
	s := db.pool.Stat()
	return []metrics.Pool{{Name: "pgx", MaxOpen: int(s.MaxConns()), InUse: int(s.AcquiredConns()), Idle: int(s.IdleConns()),
		Waits: s.EmptyAcquireCount(), WaitTime: s.EmptyAcquireWaitTime()}}
}
