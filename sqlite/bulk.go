package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/clientele/clientele"
)

// bulkTables are the tables that a bulk load fills.
var bulkTables = []string{"clients", "locations", "contacts"}

// Bulk runs fn in one write transaction made for loading many new clients,
// locations and contacts at once (the seed command): maintaining a dozen
// indexes, the search indexes and the copies and counts of the triggers
// row by row costs several times more than building them once at the end.
// So Bulk drops the secondary indexes and the triggers of clients, locations
// and contacts, runs fn, and then, in the same transaction, creates the
// indexes again, adds the new rows to the search indexes, recounts the
// companies and creates the triggers again. Nothing of that is visible to
// another connection: the whole load commits at once, durably
// (synchronous=FULL), or not at all. A row that breaks a unique index fails
// the load when the index is created again.
//
// Within fn, the Create methods buffer their rows and write them in
// multi-row INSERTs with ids that Bulk assigns (bulkload.go): a foreign key
// or constraint error may come back from a later call, or from Bulk.
// CreateClient takes the country and city of the client's row (its copies
// of its primary location, and the city of its search text) from c.Address
// (when set): the address of the primary location that fn will create for
// it. Bulk sets them again from the stored rows for the clients whose
// primary location then has another address, or never comes. fn should
// only create rows; the unique indexes are gone while it runs.
func (db *DB) Bulk(ctx context.Context, fn func(clientele.Tx) error) error {
	return run(ctx, db.write, func(ct clientele.Tx) error {
		t := ct.(*tx)
		var maxClient, maxContact int64
		if err := t.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM clients`).Scan(&maxClient); err != nil {
			return err
		}
		if err := t.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM contacts`).Scan(&maxContact); err != nil {
			return err
		}
		schema, err := t.dropForBulk(ctx)
		if err != nil {
			return err
		}
		if t.bulk, err = t.newBulkLoad(ctx); err != nil {
			return err
		}
		err = fn(t)
		if err == nil {
			err = t.bulkFlushAll(ctx)
		}
		stale := append(t.bulk.stale, slices.Collect(maps.Values(t.bulk.copied))...)
		t.bulk.stop()
		t.bulk = nil
		if err != nil {
			return err
		}
		indexes, triggers := schema[:len(schema)-countTriggers(schema)], schema[len(schema)-countTriggers(schema):]
		for _, ddl := range indexes {
			if _, err := t.ExecContext(ctx, ddl); err != nil {
				return fmt.Errorf("bulk: %s: %w", ddl, translate(err))
			}
		}
		if err := t.fillSearch(ctx, "clients_search", "clients", maxClient); err != nil {
			return err
		}
		if err := t.fillSearch(ctx, "contacts_search", "contacts", maxContact); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE company_counts SET
			clients = (SELECT count(*) FROM clients WHERE company_id = company_counts.company_id),
			locations = (SELECT count(*) FROM locations WHERE company_id = company_counts.company_id),
			contacts = (SELECT count(*) FROM contacts WHERE company_id = company_counts.company_id)`); err != nil {
			return fmt.Errorf("bulk: %w", err)
		}
		for _, ddl := range triggers {
			if _, err := t.ExecContext(ctx, ddl); err != nil {
				return fmt.Errorf("bulk: %s: %w", ddl, err)
			}
		}
		// With the indexes back (the client's primary location is looked up
		// by client) and the triggers (which keep the search indexes in step,
		// also for the clients from before the load): the clients whose rows
		// did not get their primary location's address (rare: the seed gives it).
		for _, c := range stale {
			if err := t.refreshClientSearch(ctx, c.companyID, c.clientID); err != nil {
				return fmt.Errorf("bulk: %w", err)
			}
			if _, err := t.ExecContext(ctx, setClientCopies, c.companyID, c.clientID); err != nil {
				return fmt.Errorf("bulk: %w", err)
			}
		}
		return nil
	})
}

// fillSearch adds the rows of table after the id after to its FTS5 index
// fts. FTS5 merges the segments it writes when a level has automerge of
// them, 4 by default; with 8 while the rows are added, a million contacts
// take 10.5 s instead of 13.8, and searches are as fast. The index's own
// setting is restored for the writes to come.
func (t *tx) fillSearch(ctx context.Context, fts, table string, after int64) error {
	automerge := 4 // FTS5's default, when none is set
	err := t.QueryRowContext(ctx, `SELECT v FROM `+fts+`_config WHERE k = 'automerge'`).Scan(&automerge)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("bulk: %w", err)
	}
	for _, s := range []struct {
		query string
		arg   any
	}{
		{`INSERT INTO ` + fts + ` (` + fts + `, rank) VALUES ('automerge', ?)`, 8},
		{`INSERT INTO ` + fts + ` (rowid, search_index) SELECT id, search_index FROM ` + table + ` WHERE id > ?`, after},
		{`INSERT INTO ` + fts + ` (` + fts + `, rank) VALUES ('automerge', ?)`, automerge},
	} {
		if _, err := t.ExecContext(ctx, s.query, s.arg); err != nil {
			return fmt.Errorf("bulk: %s: %w", fts, err)
		}
	}
	return nil
}

// setClientCopies sets a client's copies of its primary location's country
// and city, as the triggers of migrations/0005_list_perf.sql do.
const setClientCopies = `UPDATE clients SET (country, city_key) = (SELECT p.country, p.city_key FROM locations p
	WHERE p.company_id = clients.company_id AND p.client_id = clients.id AND p.is_primary = 1)
	WHERE company_id = ? AND id = ?`

// dropForBulk drops the secondary indexes and the triggers of the bulk
// tables and returns the statements that create them again, indexes first.
func (t *tx) dropForBulk(ctx context.Context) ([]string, error) {
	rows, err := t.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_schema
		WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN (?, ?, ?)
		ORDER BY type, name`, bulkTables[0], bulkTables[1], bulkTables[2])
	if err != nil {
		return nil, err
	}
	type object struct{ kind, name, sql string }
	var objects []object
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.kind, &o.name, &o.sql); err != nil {
			rows.Close()
			return nil, err
		}
		objects = append(objects, o)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	var create []string
	for _, o := range objects { // "index" sorts before "trigger"
		if _, err := t.ExecContext(ctx, `DROP `+o.kind+` "`+o.name+`"`); err != nil {
			return nil, err
		}
		create = append(create, o.sql)
	}
	return create, nil
}

// countTriggers returns how many of the statements of dropForBulk create triggers (the last ones).
func countTriggers(create []string) int {
	n := 0
	for _, ddl := range create {
		if strings.HasPrefix(ddl, "CREATE TRIGGER") {
			n++
		}
	}
	return n
}
