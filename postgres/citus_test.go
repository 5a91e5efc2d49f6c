package postgres_test

// The schema must stay distributable with Citus by company (docs/scaling.md):
// every table has a company_id column (companies: its id), NOT NULL and of
// companies.id's type, and every primary key, unique constraint, exclusion
// constraint, unique index (partial ones included) and foreign key includes
// it; companies, a reference table, may have other unique constraints (its
// slug). The check reads the PostgreSQL catalog of a freshly migrated schema,
// so it holds whatever a later migration adds.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/pgtest"
	"github.com/clientele/clientele/postgres"
	"github.com/jackc/pgx/v5"
)

// citusBookkeeping lists the tables the rule does not cover: they hold no
// company's data (the applied migrations; the installation's own secrets,
// such as the cursor key) and stay plain tables on the coordinator.
var citusBookkeeping = []string{"installation_secrets", "schema_migrations"}

// citusReference lists the tables that would be Citus reference tables:
// copied whole to every node, so their unique constraints need not include
// the company id (companies: its slug is unique across companies).
var citusReference = []string{"companies"}

// citusViolation is one way a table breaks the distribution rule.
type citusViolation struct {
	Table  string // table the problem is on
	Kind   string // "column", "primary key", "unique constraint", "exclusion constraint", "unique index", "foreign key"
	Name   string // the column, constraint or index
	Detail string // what is wrong, for people
}

func (v citusViolation) String() string {
	return fmt.Sprintf("%s: %s %s: %s", v.Table, v.Kind, v.Name, v.Detail)
}

// citusKey is the column that holds the company id of table.
func citusKey(table string) string {
	if table == "companies" {
		return "id"
	}
	return "company_id"
}

// citusCheck returns every violation of the distribution rule in schema,
// sorted by table, kind and name.
func citusCheck(ctx context.Context, conn *pgx.Conn, schema string) ([]citusViolation, error) {
	var out []citusViolation
	add := func(table, kind, name, format string, args ...any) {
		out = append(out, citusViolation{table, kind, name, fmt.Sprintf(format, args...)})
	}

	// Tables (partitions follow their parent) and their company key column.
	rows, err := conn.Query(ctx, `
		SELECT c.relname, a.attname IS NOT NULL, COALESCE(a.attnotnull, false),
		       COALESCE(format_type(a.atttypid, a.atttypmod), '')
		FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND NOT a.attisdropped
		     AND a.attname = CASE WHEN c.relname = 'companies' THEN 'id' ELSE 'company_id' END
		WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
		ORDER BY c.relname`, schema)
	if err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	type table struct {
		hasKey, notNull bool
		keyType         string
	}
	tables := map[string]table{}
	var names []string
	for rows.Next() {
		var name string
		var tb table
		if err := rows.Scan(&name, &tb.hasKey, &tb.notNull, &tb.keyType); err != nil {
			rows.Close()
			return nil, err
		}
		if slices.Contains(citusBookkeeping, name) {
			continue
		}
		tables[name] = tb
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	// Colocated tables need distribution columns of one type: companies.id's.
	wantType := "bigint"
	if c, ok := tables["companies"]; ok && c.hasKey {
		wantType = c.keyType
	}
	for _, name := range names {
		tb, key := tables[name], citusKey(name)
		switch {
		case !tb.hasKey:
			add(name, "column", key, "missing: the table cannot be distributed by company")
			continue
		case !tb.notNull:
			add(name, "column", key, "nullable: a distribution column must be NOT NULL")
		}
		if tb.keyType != wantType {
			add(name, "column", key, "type %s, but colocation needs %s (the type of companies.id)", tb.keyType, wantType)
		}
	}

	// Constraints: primary keys, unique, exclusion and foreign keys.
	rows, err = conn.Query(ctx, `
		SELECT con.conname, con.contype::text, rel.relname,
		       array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
		             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord),
		       COALESCE(frel.relname::text, ''),
		       array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
		             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord)
		FROM pg_constraint con
		JOIN pg_class rel ON rel.oid = con.conrelid
		JOIN pg_namespace n ON n.oid = rel.relnamespace
		LEFT JOIN pg_class frel ON frel.oid = con.confrelid
		WHERE n.nspname = $1 AND con.contype IN ('p', 'u', 'x', 'f')
		ORDER BY rel.relname, con.conname`, schema)
	if err != nil {
		return nil, fmt.Errorf("constraints: %w", err)
	}
	kinds := map[string]string{"p": "primary key", "u": "unique constraint", "x": "exclusion constraint", "f": "foreign key"}
	for rows.Next() {
		var name, typ, tbl, ftbl string
		var cols, fcols []string
		if err := rows.Scan(&name, &typ, &tbl, &cols, &ftbl, &fcols); err != nil {
			rows.Close()
			return nil, err
		}
		if _, ok := tables[tbl]; !ok {
			continue // bookkeeping
		}
		key, kind := citusKey(tbl), kinds[typ]
		if typ == "u" && slices.Contains(citusReference, tbl) {
			continue
		}
		i := slices.Index(cols, key)
		if i < 0 {
			if typ == "f" {
				add(tbl, kind, name, "(%s) → %s(%s) lacks %s", strings.Join(cols, ", "), ftbl, strings.Join(fcols, ", "), key)
			} else {
				add(tbl, kind, name, "(%s) lacks %s", strings.Join(cols, ", "), key)
			}
			continue
		}
		// A foreign key stays on one shard only when it pairs the company
		// columns of both tables.
		if typ == "f" && i < len(fcols) && fcols[i] != citusKey(ftbl) {
			add(tbl, kind, name, "(%s) → %s(%s) pairs %s with %s.%s instead of %s.%s",
				strings.Join(cols, ", "), ftbl, strings.Join(fcols, ", "), key, ftbl, fcols[i], ftbl, citusKey(ftbl))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("constraints: %w", err)
	}

	// Unique indexes that back no constraint (those were checked above),
	// partial ones included. Only key columns count: INCLUDE columns do not
	// take part in uniqueness, and an expression is not the column.
	rows, err = conn.Query(ctx, `
		SELECT i.relname, t.relname,
		       array(SELECT COALESCE(a.attname::text, '(expression)')
		             FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(num, ord)
		             LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.num
		             WHERE k.ord <= ix.indnkeyatts ORDER BY k.ord),
		       ix.indpred IS NOT NULL
		FROM pg_index ix
		JOIN pg_class i ON i.oid = ix.indexrelid
		JOIN pg_class t ON t.oid = ix.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = $1 AND ix.indisunique
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
		                  WHERE c.conindid = ix.indexrelid AND c.conrelid = ix.indrelid AND c.contype IN ('p', 'u', 'x'))
		ORDER BY t.relname, i.relname`, schema)
	if err != nil {
		return nil, fmt.Errorf("indexes: %w", err)
	}
	for rows.Next() {
		var name, tbl string
		var cols []string
		var partial bool
		if err := rows.Scan(&name, &tbl, &cols, &partial); err != nil {
			rows.Close()
			return nil, err
		}
		if _, ok := tables[tbl]; !ok || slices.Contains(citusReference, tbl) {
			continue
		}
		if key := citusKey(tbl); !slices.Contains(cols, key) {
			what := ""
			if partial {
				what = "partial, "
			}
			add(tbl, "unique index", name, "(%s%s) lacks %s", what, strings.Join(cols, ", "), key)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("indexes: %w", err)
	}

	slices.SortStableFunc(out, func(a, b citusViolation) int {
		return strings.Compare(a.Table+"\x00"+a.Kind+"\x00"+a.Name, b.Table+"\x00"+b.Kind+"\x00"+b.Name)
	})
	return out, nil
}

// citusMigrated returns a connection to a fresh schema that postgres.Open
// has migrated, and the schema's name.
func citusMigrated(t *testing.T) (*pgx.Conn, string) {
	t.Helper()
	ctx := context.Background()
	url := pgtest.URL(t)
	db, err := postgres.Open(ctx, url, postgres.Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	conn, err := pgx.Connect(ctx, url) // search_path is the test schema
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	schema := pgtest.Schema(url)
	var current string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&current); err != nil {
		t.Fatal(err)
	}
	if current != schema {
		t.Fatalf("connection's schema is %q, want %q", current, schema)
	}
	return conn, schema
}

func TestCitusDistributable(t *testing.T) {
	ctx := context.Background()

	t.Run("migrated schema", func(t *testing.T) {
		conn, schema := citusMigrated(t)
		// Make sure the check looks at something: every table the engine uses.
		var tables []string
		if err := conn.QueryRow(ctx, `SELECT array(SELECT table_name::text FROM information_schema.tables
			WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1)`, schema).Scan(&tables); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"clients", "companies", "contacts", "installation_secrets", "locations",
			"schema_migrations", "tokens", "users"} {
			if !slices.Contains(tables, want) {
				t.Errorf("table %s missing from the migrated schema %s (has %v)", want, schema, tables)
			}
		}
		got, err := citusCheck(ctx, conn, schema)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range got {
			t.Errorf("not distributable by company: %s", v)
		}
	})

	// The checker itself must catch what it is meant to: bad tables added to
	// a second migrated schema come back exactly, and a good one adds nothing.
	t.Run("checker finds violations", func(t *testing.T) {
		conn, schema := citusMigrated(t)
		baseline, err := citusCheck(ctx, conn, schema)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, `
			-- Good: everything includes company_id, paired with the parent's key.
			CREATE TABLE citus_good (
				company_id bigint NOT NULL REFERENCES companies (id),
				id         bigint GENERATED BY DEFAULT AS IDENTITY,
				client_id  bigint NOT NULL,
				code       text,
				PRIMARY KEY (company_id, id),
				CONSTRAINT citus_good_code UNIQUE (company_id, code),
				FOREIGN KEY (company_id, client_id) REFERENCES clients (company_id, id)
			);
			CREATE UNIQUE INDEX citus_good_one ON citus_good (client_id, company_id) WHERE code IS NULL;
			CREATE INDEX citus_good_code_plain ON citus_good (code); -- not unique: allowed

			-- Bad: the key, a unique constraint, unique indexes and foreign keys lack company_id.
			CREATE TABLE citus_bad (
				company_id  bigint NOT NULL,
				id          bigint NOT NULL,
				user_id     bigint,
				name        text,
				other_co    bigint REFERENCES companies (id),
				CONSTRAINT citus_bad_pkey PRIMARY KEY (id),
				CONSTRAINT citus_bad_name UNIQUE (name),
				CONSTRAINT citus_bad_user FOREIGN KEY (company_id, user_id) REFERENCES users (id, company_id)
			);
			CREATE UNIQUE INDEX citus_bad_partial ON citus_bad (name) WHERE user_id IS NOT NULL;
			CREATE UNIQUE INDEX citus_bad_include ON citus_bad (user_id) INCLUDE (company_id);
			CREATE UNIQUE INDEX citus_bad_expr ON citus_bad (lower(name), id);

			-- Bad: no company column at all.
			CREATE TABLE citus_orphan (id bigint PRIMARY KEY);

			-- Bad: a nullable company column of another type.
			CREATE TABLE citus_loose (company_id integer, note text);
		`); err != nil {
			t.Fatal(err)
		}
		got, err := citusCheck(ctx, conn, schema)
		if err != nil {
			t.Fatal(err)
		}
		type key struct{ table, kind, name string }
		want := []key{
			{"citus_bad", "foreign key", "citus_bad_other_co_fkey"},
			{"citus_bad", "foreign key", "citus_bad_user"},
			{"citus_bad", "primary key", "citus_bad_pkey"},
			{"citus_bad", "unique constraint", "citus_bad_name"},
			{"citus_bad", "unique index", "citus_bad_expr"},
			{"citus_bad", "unique index", "citus_bad_include"},
			{"citus_bad", "unique index", "citus_bad_partial"},
			{"citus_loose", "column", "company_id"}, // nullable
			{"citus_loose", "column", "company_id"}, // integer
			{"citus_orphan", "column", "company_id"},
			{"citus_orphan", "primary key", "citus_orphan_pkey"}, // every violation, not just the first
		}
		var added []key
		for _, v := range got {
			if !slices.Contains(baseline, v) {
				added = append(added, key{v.Table, v.Kind, v.Name})
			}
		}
		if !slices.Equal(added, want) {
			t.Errorf("violations the bad tables added:\n%s\nwant:\n%v", citusList(got, baseline), want)
		}
		for _, v := range got {
			if v.Table == "citus_good" {
				t.Errorf("false positive on the good table: %s", v)
			}
		}
		// Every violation should say what is wrong; spot-check the subtle ones.
		for _, frag := range []string{
			"citus_bad: foreign key citus_bad_user: (company_id, user_id) → users(id, company_id) pairs company_id with users.id",
			"citus_bad: unique index citus_bad_partial: (partial, name) lacks company_id",
			"citus_bad: unique index citus_bad_include: (user_id) lacks company_id",
			"citus_loose: column company_id: nullable",
			"citus_loose: column company_id: type integer",
			"citus_orphan: column company_id: missing",
		} {
			if !strings.Contains(citusList(got, nil), frag) {
				t.Errorf("no violation reads %q in:\n%s", frag, citusList(got, nil))
			}
		}
	})
}

// citusList renders the violations of got that are not in except, one a line.
func citusList(got, except []citusViolation) string {
	var b strings.Builder
	for _, v := range got {
		if !slices.Contains(except, v) {
			fmt.Fprintf(&b, "\t%s\n", v)
		}
	}
	return b.String()
}
