// Package transfer moves a Clientele installation from SQLite to PostgreSQL.
//
// It is the one place that knows both engines' physical schemas at once:
// the SQL of each side is written out here by hand, table by table (see
// tables.go), and nothing goes through clientele.Store, whose contract is
// about records, not about moving a whole database with its ids.
//
// Copy reads the SQLite file in one read transaction (one snapshot, so a
// server may keep running on it; what it writes after the snapshot is not
// copied) and writes PostgreSQL in one transaction: the target must be empty,
// every row keeps its id, each table is streamed with COPY, the row counts
// are checked before the commit, and each table's identity sequence is set
// to continue where SQLite's AUTOINCREMENT would have, so that no id is ever
// given out twice. Either everything is copied or nothing is.
//
// The installation's secrets (the key that seals paging cursors) are copied
// too, replacing any the target has, so that cursors handed out by the
// SQLite installation stay valid. A node already running on the target
// keeps the key it read at its start: restart it after the copy.
package transfer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/clientele/clientele/postgres"
	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Count is how many rows of one table a copy wrote.
type Count struct {
	Table string
	Rows  int64
}

// Counts are the per-table counts of a copy, in the order it copied them.
type Counts []Count

// String renders the counts as "companies 3, users 7, …".
func (cs Counts) String() string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s %d", c.Table, c.Rows)
	}
	return strings.Join(parts, ", ")
}

// Copy copies every record of the SQLite database at sqlitePath into the
// PostgreSQL database at postgresURL, which it first migrates and which must
// hold no company. See the package documentation.
func Copy(ctx context.Context, sqlitePath, postgresURL string) (Counts, error) {
	src, err := openSource(ctx, sqlitePath)
	if err != nil {
		return nil, err
	}
	defer src.close()

	// Opening the store applies the migrations a fresh database lacks.
	store, err := postgres.Open(ctx, postgresURL, postgres.Options{MaxConns: 1})
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL: %w", err)
	}
	store.Close()
	cfg, err := pgx.ParseConfig(postgresURL)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL: %w", err)
	}
	cfg.RuntimeParams["timezone"] = "UTC"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	var counts Counts
	err = pgx.BeginFunc(ctx, conn, func(dst pgx.Tx) (err error) {
		counts, err = copyAll(ctx, src.tx, dst)
		return err
	})
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// source is the SQLite database, open in one read transaction.
type source struct {
	db *sql.DB
	tx *sql.Tx
}

// openSource opens the SQLite file (never creating it, never writing it) and
// starts the read transaction whose snapshot the whole copy reads.
func openSource(ctx context.Context, path string) (*source, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("SQLite database: %w", err)
	}
	q := url.Values{"mode": {"rw"}} // rw, not rwc: a missing file is an error, not a new database
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "query_only(1)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("SQLite %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	// A deferred transaction: its snapshot is taken by the first SELECT and
	// held until the end (WAL lets a server write beside it meanwhile).
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("SQLite %s: %w", path, err)
	}
	src := &source{db: db, tx: tx}
	var version int
	err = tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&version)
	switch {
	case err != nil && strings.Contains(err.Error(), "no such table"):
		err = fmt.Errorf("SQLite %s: not a Clientele database (no schema_migrations)", path)
	case err != nil:
		err = fmt.Errorf("SQLite %s: %w", path, err)
	case version != schemaVersion:
		err = fmt.Errorf("SQLite %s: schema version %d, this copy knows version %d; run this version's `clientele migrate` on it first, or use the matching release",
			path, version, schemaVersion)
	}
	if err != nil {
		src.close()
		return nil, err
	}
	return src, nil
}

func (s *source) close() {
	s.tx.Rollback()
	s.db.Close()
}

// copyAll copies every table from the SQLite transaction into the
// PostgreSQL one; it returns an error, and the caller rolls back, on
// anything short of a complete and verified copy.
func copyAll(ctx context.Context, src *sql.Tx, dst pgx.Tx) (Counts, error) {
	var version int
	if err := dst.QueryRow(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&version); err != nil {
		return nil, fmt.Errorf("PostgreSQL: %w", err)
	}
	if version != schemaVersion {
		return nil, fmt.Errorf("PostgreSQL: schema version %d, this copy knows version %d", version, schemaVersion)
	}
	// No one else writes until the commit: a server started on the target
	// meanwhile waits, then finds it full (and does not create its demo
	// company) and reads the copied secrets (not making its own).
	names := make([]string, len(tables))
	for i, t := range tables {
		names[i] = t.name
	}
	if _, err := dst.Exec(ctx, `LOCK TABLE `+strings.Join(names, ", ")+` IN EXCLUSIVE MODE`); err != nil {
		return nil, fmt.Errorf("PostgreSQL: %w", err)
	}
	// Every company table references companies, so no company means no rows
	// at all; the installation's tables are replaced below.
	var companies int64
	if err := dst.QueryRow(ctx, `SELECT count(*) FROM companies`).Scan(&companies); err != nil {
		return nil, fmt.Errorf("PostgreSQL: %w", err)
	}
	if companies > 0 {
		return nil, fmt.Errorf("the PostgreSQL database is not empty (companies: %d): copy only into an empty database",
			companies)
	}

	counts := make(Counts, 0, len(tables))
	for _, t := range tables {
		if t.installation {
			if _, err := dst.Exec(ctx, `DELETE FROM `+t.name); err != nil {
				return nil, fmt.Errorf("PostgreSQL: empty %s: %w", t.name, err)
			}
		}
		n, err := copyTable(ctx, src, dst, t)
		if err != nil {
			return nil, err
		}
		counts = append(counts, Count{t.name, n})
	}

	// Verify, still inside the transaction: a mismatch rolls everything back.
	for _, c := range counts {
		var want, got int64
		if err := src.QueryRowContext(ctx, `SELECT count(*) FROM `+c.Table).Scan(&want); err != nil {
			return nil, fmt.Errorf("SQLite: count %s: %w", c.Table, err)
		}
		if err := dst.QueryRow(ctx, `SELECT count(*) FROM `+c.Table).Scan(&got); err != nil {
			return nil, fmt.Errorf("PostgreSQL: count %s: %w", c.Table, err)
		}
		if want != c.Rows || got != c.Rows {
			return nil, fmt.Errorf("%s: SQLite has %d rows, %d were read, PostgreSQL has %d; nothing was copied",
				c.Table, want, c.Rows, got)
		}
	}

	// Last, as setval is not undone by a rollback: after a failure above the
	// sequences stay as they were.
	for _, t := range tables {
		if t.installation || t.noID {
			continue
		}
		if err := resetSequence(ctx, src, dst, t.name); err != nil {
			return nil, err
		}
	}
	return counts, nil
}

// copyTable streams every row of t from SQLite into PostgreSQL with COPY and
// returns how many it wrote.
func copyTable(ctx context.Context, src *sql.Tx, dst pgx.Tx, t table) (int64, error) {
	rows, err := src.QueryContext(ctx, t.sqlite)
	if err != nil {
		return 0, fmt.Errorf("SQLite: read %s: %w", t.name, err)
	}
	defer rows.Close()
	got, err := rows.Columns()
	if err != nil {
		return 0, fmt.Errorf("SQLite: read %s: %w", t.name, err)
	}
	if want := t.names(); strings.Join(got, ",") != strings.Join(want, ",") {
		// A mistake in tables.go, not in the data.
		return 0, fmt.Errorf("transfer: %s: the SQLite query reads %v, COPY writes %v", t.name, got, want)
	}
	rs := newRowSource(rows, t)
	n, err := dst.CopyFrom(ctx, pgx.Identifier{t.name}, t.names(), rs)
	if rs.err != nil { // the row that stopped the COPY, named
		return 0, rs.err
	}
	if err != nil {
		return 0, fmt.Errorf("PostgreSQL: copy %s: %w", t.name, err)
	}
	if n != rs.n {
		return 0, fmt.Errorf("%s: %d rows read from SQLite, PostgreSQL took %d; nothing was copied", t.name, rs.n, n)
	}
	return n, nil
}

// rowSource feeds the rows of one SQLite query to pgx's CopyFrom, converted
// column by column.
type rowSource struct {
	rows *sql.Rows
	t    table
	raw  []any // the row as the driver returns it
	ptrs []any // pointers into raw, for Scan
	n    int64 // rows read so far
	err  error // conversion error, naming the row and column
}

func newRowSource(rows *sql.Rows, t table) *rowSource {
	rs := &rowSource{rows: rows, t: t, raw: make([]any, len(t.columns)), ptrs: make([]any, len(t.columns))}
	for i := range rs.raw {
		rs.ptrs[i] = &rs.raw[i]
	}
	return rs
}

func (rs *rowSource) Next() bool { return rs.err == nil && rs.rows.Next() }

func (rs *rowSource) Values() ([]any, error) {
	if err := rs.rows.Scan(rs.ptrs...); err != nil { // Scan into *any copies []byte values
		rs.err = fmt.Errorf("SQLite: read %s: %w", rs.t.name, err)
		return nil, rs.err
	}
	out := make([]any, len(rs.raw))
	for i, c := range rs.t.columns {
		v, err := convert(c.kind, rs.raw[i])
		if err != nil {
			rs.err = fmt.Errorf("%s %s %v: column %s %w; nothing was copied",
				rs.t.name, rs.t.columns[0].name, rs.raw[0], c.name, err) // "contacts id 2"
			return nil, rs.err
		}
		out[i] = v
	}
	rs.n++
	return out, nil
}

func (rs *rowSource) Err() error {
	if rs.err != nil {
		return rs.err
	}
	if err := rs.rows.Err(); err != nil {
		rs.err = fmt.Errorf("SQLite: read %s: %w", rs.t.name, err)
	}
	return rs.err
}

// resetSequence makes the identity of table continue where SQLite's
// AUTOINCREMENT would: after the largest id ever given out there, which
// sqlite_sequence remembers even when that record is deleted since. Ids of
// deleted records are so never given out again.
func resetSequence(ctx context.Context, src *sql.Tx, dst pgx.Tx, table string) error {
	var maxID, seq int64
	if err := src.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM `+table).Scan(&maxID); err != nil {
		return fmt.Errorf("SQLite: %s: %w", table, err)
	}
	err := src.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = ?`, table).Scan(&seq)
	if err != nil && !errors.Is(err, sql.ErrNoRows) { // no row: the table never had one
		return fmt.Errorf("SQLite: sqlite_sequence of %s: %w", table, err)
	}
	last := max(maxID, seq)
	// setval(s, n, true): the next id is n+1; setval(s, 1, false): it is 1.
	_, err = dst.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), $2, $3)`, table, max(last, 1), last > 0)
	if err != nil {
		return fmt.Errorf("PostgreSQL: sequence of %s: %w", table, err)
	}
	return nil
}
