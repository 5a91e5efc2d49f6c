package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// bulkChunk is how many rows one INSERT of a bulk load writes: each
// statement costs the driver a bind and a step and database/sql a lock and
// a context check, several times the cost of storing one row of a table
// without secondary indexes. 200 rows of at most 30 columns stay far below
// SQLite's limit of 32766 parameters.
const bulkChunk = 200

// bulkLoad is the state of a tx within DB.Bulk. The rows created are
// buffered and written bulkChunk at a time with multi-row INSERTs, with
// their ids assigned here: Bulk holds the one write connection, so nothing
// else takes an id meanwhile, and each table's next id is past both its
// largest id and its AUTOINCREMENT sequence (which the INSERTs move on).
type bulkLoad struct {
	// copied holds, by client id, the address whose country and city
	// CreateClient gave the client's row (the copies of its primary
	// location, and the city of its search text), until a primary location
	// with the same is created. Bulk sets again, from the stored rows, those
	// of the clients left in it and in stale (their primary location had
	// another address).
	copied map[int64]bulkCopy
	stale  []bulkCopy
	tables [3]bulkTable // clients, locations, contacts: flushed in that order
	// The INSERTs run on the writer goroutine (write); err and the
	// tables' stmts are its own, the others the caller's. After
	// pending.Wait, the caller may read them.
	writes  chan bulkWrite
	pending sync.WaitGroup
	failed  atomic.Bool
	err     error
}

// bulkTable is one table's buffer.
type bulkTable struct {
	name    string
	columns string            // of the INSERT, without id
	width   int               // columns with id
	next    int64             // the next id
	args    []any             // buffered rows, width values each
	stmts   map[int]*sql.Stmt // the INSERTs, by number of rows
}

// bulkCopy is the country and city that a client's row got in a bulk load.
type bulkCopy struct {
	companyID, clientID int64
	country, city       string
}

const (
	bulkClients = iota
	bulkLocations
	bulkContacts
)

// newBulkLoad reads the next ids of the bulk tables and starts the writer;
// stop it with stop.
func (t *tx) newBulkLoad(ctx context.Context) (*bulkLoad, error) {
	b := &bulkLoad{copied: map[int64]bulkCopy{}}
	for i, insert := range []string{insertClient, insertLocation, insertContact} {
		name, columns := insertColumns(insert)
		if i == bulkClients {
			columns += ", country, city_key" // the copies (CreateClient)
		}
		bt := &b.tables[i]
		bt.name, bt.columns, bt.width = name, columns, strings.Count(columns, ",")+2
		bt.stmts = map[int]*sql.Stmt{}
		err := t.QueryRowContext(ctx, `SELECT max(coalesce((SELECT max(id) FROM `+name+`), 0),
			coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0)) + 1`, name).Scan(&bt.next)
		if err != nil {
			return nil, err
		}
	}
	b.writes = make(chan bulkWrite, 8)
	go b.write(ctx, t)
	return b, nil
}

// insertColumns returns the table and the column list of a registered INSERT.
func insertColumns(insert string) (table, columns string) {
	rest := strings.TrimPrefix(insert, "INSERT INTO ")
	open := strings.IndexByte(rest, '(')
	return strings.TrimSpace(rest[:open]), rest[open+1 : open+strings.IndexByte(rest[open:], ')')]
}

// add buffers one row of table i (its values in the order of the INSERT
// without id) and returns its id; a full buffer is written.
func (t *tx) bulkAdd(ctx context.Context, i int, values []any) (int64, error) {
	bt := &t.bulk.tables[i]
	id := bt.next
	bt.next++
	bt.args = append(append(bt.args, id), values...)
	if len(bt.args) >= bulkChunk*bt.width {
		return id, t.bulkFlush(ctx, i)
	}
	return id, nil
}

// bulkFlush hands the buffered rows of table i to the writer, after the
// clients (which the other tables reference). Not deferring the foreign
// key checks instead: with a client's row written after its contacts',
// SQLite would look for the contacts that wait for it, with their index on
// client_id dropped.
func (t *tx) bulkFlush(ctx context.Context, i int) error {
	if i != bulkClients {
		if err := t.bulkFlush(ctx, bulkClients); err != nil {
			return err
		}
	}
	b := t.bulk
	if b.failed.Load() {
		return b.sync()
	}
	bt := &b.tables[i]
	if len(bt.args) == 0 {
		return nil
	}
	for done := 0; done < len(bt.args); {
		rows := min(bulkChunk, (len(bt.args)-done)/bt.width)
		b.pending.Add(1)
		b.writes <- bulkWrite{bt, rows, bt.args[done : done+rows*bt.width]}
		done += rows * bt.width
	}
	bt.args = make([]any, 0, bulkChunk*bt.width) // the writer has the old one
	return nil
}

// bulkFlushAll writes every buffered row and waits for the writer.
func (t *tx) bulkFlushAll(ctx context.Context) error {
	for i := range t.bulk.tables {
		if err := t.bulkFlush(ctx, i); err != nil {
			return err
		}
	}
	return t.bulk.sync()
}

// bulkWrite is one INSERT for the writer.
type bulkWrite struct {
	table *bulkTable
	rows  int
	args  []any
}

// write runs the INSERTs handed to it, in order, until writes is closed: on
// a goroutine of its own, so that the caller makes the next rows (their
// search texts above all) while SQLite stores these. After an error it
// skips the rest.
func (b *bulkLoad) write(ctx context.Context, t *tx) {
	for w := range b.writes {
		if !b.failed.Load() {
			if err := w.exec(ctx, t); err != nil {
				b.err = fmt.Errorf("bulk: %s: %w", w.table.name, translate(err))
				b.failed.Store(true)
			}
		}
		b.pending.Done()
	}
}

// exec runs w's INSERT, prepared once for each number of rows: chunks that
// are not full are frequent, as the buffered clients are written whenever
// the rows of a table that references them are (bulkFlush).
func (w bulkWrite) exec(ctx context.Context, t *tx) error {
	bt := w.table
	stmt := bt.stmts[w.rows]
	if stmt == nil {
		var err error
		if stmt, err = t.Tx.PrepareContext(ctx, bt.insert(w.rows)); err != nil {
			return err
		}
		bt.stmts[w.rows] = stmt
	}
	_, err := stmt.ExecContext(ctx, w.args...)
	return err
}

// sync waits for the writer to finish what it was handed and returns its error.
func (b *bulkLoad) sync() error {
	b.pending.Wait()
	return b.err
}

// stop ends the writer (after what it was handed) and closes the statements.
func (b *bulkLoad) stop() {
	close(b.writes)
	b.pending.Wait()
	for _, bt := range b.tables {
		for _, s := range bt.stmts {
			s.Close()
		}
	}
}

// insert returns the INSERT of rows rows.
func (bt *bulkTable) insert(rows int) string {
	row := "(" + strings.Repeat("?, ", bt.width-1) + "?)"
	var b strings.Builder
	b.WriteString("INSERT INTO " + bt.name + " (id, " + bt.columns + ") VALUES ")
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}
