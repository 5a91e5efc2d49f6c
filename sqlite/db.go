// Package sqlite is the embedded storage engine of Clientele, on SQLite
// (modernc.org/sqlite, pure Go).
//
// Writes go through one connection in BEGIN IMMEDIATE transactions, so they
// are serialised inside the process without "database is locked" errors, and
// wait on busy_timeout for other processes (the CLI) on the same file. Reads
// use a pool of connections that WAL lets run beside the writer. With
// synchronous=FULL a committed transaction survives power loss.
//
// Every query whose text does not vary is prepared once per connection and
// kept (see prepared.go).
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/metrics"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DB is a Clientele store in one SQLite database file.
type DB struct {
	write pool
	read  pool
}

// pool is one of the two connection pools, with the statements prepared on it.
type pool struct {
	*sql.DB
	stmts map[string]*sql.Stmt // by query text; filled by Open, read-only after
}

var _ clientele.Store = (*DB)(nil)

// Path is where the database of a data directory lives.
func Path(dataDir string) string { return filepath.Join(dataDir, "clientele.db") }

// Open opens (creating it if needed) the database at path and applies the
// migrations it lacks.
func Open(ctx context.Context, path string) (*DB, error) {
	dsn := func(txlock string, extra ...string) string {
		q := url.Values{"_txlock": {txlock}}
		for _, p := range append([]string{"busy_timeout(10000)", "foreign_keys(1)", "journal_mode(WAL)",
			"synchronous(FULL)"}, extra...) {
			q.Add("_pragma", p)
		}
		return "file:" + path + "?" + q.Encode()
	}
	write, err := sql.Open("sqlite", dsn("immediate"))
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", dsn("deferred", "query_only(1)"))
	if err != nil {
		write.Close()
		return nil, err
	}
	n := max(4, runtime.NumCPU())
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	db := &DB{write: pool{DB: write}, read: pool{DB: read}}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	if err := db.prepare(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// Close closes the prepared statements and both connection pools.
func (db *DB) Close() error {
	return firstErr(db.read.close(), db.write.close())
}

func (p *pool) close() error {
	var errs []error
	for _, s := range p.stmts {
		errs = append(errs, s.Close())
	}
	return firstErr(append(errs, p.DB.Close())...)
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Read runs fn in a deferred (snapshot) transaction on the read pool.
func (db *DB) Read(ctx context.Context, fn func(clientele.Tx) error) error {
	return run(ctx, db.read, fn)
}

// Write runs fn in a BEGIN IMMEDIATE transaction on the write connection.
func (db *DB) Write(ctx context.Context, fn func(clientele.Tx) error) error {
	return run(ctx, db.write, fn)
}

func run(ctx context.Context, p pool, fn func(clientele.Tx) error) error {
	sqlTx, err := p.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	// Always end the transaction, also when fn panics and someone recovers:
	// an open transaction would hold the only write connection for ever.
	// After a commit, Rollback does nothing.
	defer sqlTx.Rollback()
	if err := fn(&tx{Tx: sqlTx, stmts: p.stmts}); err != nil {
		return err
	}
	return translate(sqlTx.Commit())
}

// tx implements clientele.Tx over one SQLite transaction. Its
// QueryRowContext, QueryContext and ExecContext (prepared.go) run the
// registered queries as prepared statements.
type tx struct {
	*sql.Tx
	stmts map[string]*sql.Stmt // of the transaction's pool
	// bulk, within DB.Bulk only, buffers the rows created (bulkload.go).
	bulk *bulkLoad
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// PoolStats reports the read and write connection pools, for /metrics.
func (db *DB) PoolStats() []metrics.Pool {
	out := make([]metrics.Pool, 0, 2)
	for _, p := range []struct {
		name string
		db   *sql.DB
	}{{"read", db.read.DB}, {"write", db.write.DB}} {
		s := p.db.Stats()
		out = append(out, metrics.Pool{Name: p.name, MaxOpen: s.MaxOpenConnections, InUse: s.InUse, Idle: s.Idle,
			Waits: s.WaitCount, WaitTime: s.WaitDuration})
	}
	return out
}
