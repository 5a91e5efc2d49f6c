package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Prepared statements.
//
// Preparing SQL (parse, plan, code generation) costs more than running the
// store's small queries, and database/sql prepares the text again on every
// Tx.QueryContext. So each query whose text does not vary is registered with
// prepared, in a package-level variable, and Open prepares it once on each
// pool that runs it: a SELECT on both, a write on the write pool only. The
// tx methods below look the query text up: a registered query runs through
// Tx.StmtContext, which reuses the statement already prepared on the
// transaction's connection, or prepares it there, on the connection the
// transaction already holds, and keeps it for that connection's life. Other
// queries (a variable number of placeholders, as in `IN (?, ?)`, or a list
// built from a query's filters and sort, see lists.go) run unprepared.
//
// A registered query must not have a bare `LIMIT ?` (nor `OFFSET ?`): recent
// SQLite (3.53 here) reads such a parameter's bound value into the program
// (computeLimitRegisters), so binding another value expires the statement and
// the next step prepares it again, every time. Write `LIMIT CAST(? AS INTEGER)`, which
// SQLite evaluates when the statement runs, with the same plan.
//
// Never call (*sql.DB).PrepareContext after Open: it takes a connection of
// the pool, and from inside a transaction that waits for ever on the single
// write connection, or on a read pool whose connections are all in
// transactions.

// statics are the registered query texts.
var statics []string

// prepared registers query for Open to prepare and returns it. Call it only
// to initialise a package-level variable: the registry is read without locking.
func prepared(query string) string {
	statics = append(statics, query)
	return query
}

// isRead tells whether query only reads, so that it is prepared on the read pool too.
func isRead(query string) bool { return strings.HasPrefix(query, "SELECT ") }

// prepare prepares the registered queries on the pools that run them.
func (db *DB) prepare(ctx context.Context) error {
	db.write.stmts = map[string]*sql.Stmt{}
	db.read.stmts = map[string]*sql.Stmt{}
	for _, query := range statics {
		pools := []*pool{&db.write}
		if isRead(query) {
			pools = append(pools, &db.read)
		}
		for _, p := range pools {
			if p.stmts[query] != nil {
				continue // registered twice
			}
			s, err := p.PrepareContext(ctx, query)
			if err != nil {
				return fmt.Errorf("prepare %q: %w", query, err)
			}
			p.stmts[query] = s
		}
	}
	return nil
}

// traceQuery, when not nil, is told of each query a tx runs and whether it
// ran prepared. Tests set it.
var traceQuery func(query string, prepared bool)

// stmt returns query's prepared statement bound to t, or nil when query is
// not registered.
func (t *tx) stmt(ctx context.Context, query string) *sql.Stmt {
	s := t.stmts[query]
	if traceQuery != nil {
		traceQuery(query, s != nil)
	}
	if s == nil {
		return nil
	}
	return t.Tx.StmtContext(ctx, s)
}

func (t *tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

func (t *tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t *tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}
