package transfer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/pgtest"
	"github.com/clientele/clientele/postgres"
	"github.com/clientele/clientele/sqlite"
	"github.com/jackc/pgx/v5"
)

// shape is how the schemas declare one column, as "table.column type null|not null".
func (k kind) shape(sqliteSide bool) string {
	nullable := k == nullInteger || k == nullText || k == nullStamp || k == nullBlob
	null := "not null"
	if nullable {
		null = "null"
	}
	types := map[kind][2]string{
		integer: {"INTEGER", "bigint"}, nullInteger: {"INTEGER", "bigint"}, bitSet: {"INTEGER", "smallint"},
		text: {"TEXT", "text"}, nullText: {"TEXT", "text"}, boolean: {"INTEGER", "boolean"},
		stamp: {"INTEGER", "timestamp with time zone"}, nullStamp: {"INTEGER", "timestamp with time zone"},
		blob: {"BLOB", "bytea"}, nullBlob: {"BLOB", "bytea"},
	}[k]
	if sqliteSide {
		return types[0] + " " + null
	}
	return types[1] + " " + null
}

// want returns every column of tables, shaped for one engine.
func want(sqliteSide bool) []string {
	var out []string
	for _, t := range tables {
		for _, c := range t.columns {
			out = append(out, t.name+"."+c.name+" "+c.kind.shape(sqliteSide))
		}
	}
	sort.Strings(out)
	return out
}

// The tables of tables.go are every table and every column of both schemas,
// with the types and nullability they declare: a new migration that adds a
// table or a column fails here until the copy carries it.
func TestTablesCoverTheSchemas(t *testing.T) {
	ctx := context.Background()
	for _, dir := range []string{"../sqlite/migrations", "../postgres/migrations"} {
		files, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		last, _ := strconv.Atoi(strings.SplitN(files[len(files)-1].Name(), "_", 2)[0])
		if last != schemaVersion {
			t.Errorf("%s ends at version %d; the copy knows version %d", dir, last, schemaVersion)
		}
	}

	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "clientele.db")
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		src, err := openSource(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer src.close()
		rows, err := src.tx.QueryContext(ctx, `SELECT m.name, c.name, c.type, c."notnull" OR c.pk > 0
			FROM sqlite_master m, pragma_table_info(m.name) c
			WHERE m.type = 'table' AND m.name NOT IN ('schema_migrations', 'sqlite_sequence')
			-- the FTS5 search indexes and their shadow tables: derived from
			-- search_text, which the copy carries
			AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%'
				AND (m.name = v.name OR m.name LIKE v.name || '\_%' ESCAPE '\'))
			-- what SQLite alone derives for its lists (tables.go)
			AND m.name <> 'company_counts' AND NOT (m.name = 'clients' AND c.name IN ('country', 'city_key'))`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var table, column, typ string
			var notNull bool
			if err := rows.Scan(&table, &column, &typ, &notNull); err != nil {
				t.Fatal(err)
			}
			null := "null"
			if notNull {
				null = "not null"
			}
			got = append(got, fmt.Sprintf("%s.%s %s %s", table, column, typ, null))
		}
		sort.Strings(got)
		if w := want(true); !reflect.DeepEqual(got, w) {
			t.Errorf("SQLite schema:\n%s\ncopy's tables:\n%s", strings.Join(got, "\n"), strings.Join(w, "\n"))
		}
	})

	t.Run("postgres", func(t *testing.T) {
		url := pgtest.URL(t)
		db, err := postgres.Open(ctx, url, postgres.Options{MaxConns: 1})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		rows, err := conn.Query(ctx, `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' ||
				CASE is_nullable WHEN 'YES' THEN 'null' ELSE 'not null' END
			FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'
				AND is_generated = 'NEVER' -- search_vector: computed from search_text
				-- what the triggers of migrations/0007 derive (tables.go)
				AND table_name NOT IN ('company_counts', 'company_count_changes')`)
		got, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(got)
		if w := want(false); !reflect.DeepEqual(got, w) {
			t.Errorf("PostgreSQL schema:\n%s\ncopy's tables:\n%s", strings.Join(got, "\n"), strings.Join(w, "\n"))
		}
	})
}
