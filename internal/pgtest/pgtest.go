// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema in the server that CLIENTELE_TEST_DATABASE_URL names.
package pgtest

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// EnvURL is the environment variable that enables the PostgreSQL tests.
const EnvURL = "CLIENTELE_TEST_DATABASE_URL"

// URL returns the URL of an empty schema that is dropped when t ends. Without
// CLIENTELE_TEST_DATABASE_URL it skips t, saying how to enable it; with it,
// an unreachable server fails t.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		t.Skipf("PostgreSQL tests are off: set %s, e.g. %s=postgres://postgres@127.0.0.1:5432/test", EnvURL, EnvURL)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("%s=%s: %v", EnvURL, base, err)
	}
	defer conn.Close(ctx)
	schema := "test_" + strings.ToLower(rand.Text()[:16]) // as PostgreSQL folds unquoted names
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Schema returns the schema a URL from URL points at.
func Schema(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		panic(fmt.Sprintf("pgtest: %v", err))
	}
	return u.Query().Get("search_path")
}
