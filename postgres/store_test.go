package postgres_test

import (
	"context"
	"testing"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/pgtest"
	"github.com/clientele/clientele/postgres"
	"github.com/clientele/clientele/storetest"
)

// open returns an empty, migrated store in a schema of its own. The
// contract's subtests run in parallel: each has its own schema, and most of
// their time is PostgreSQL making it and running the migrations.
func open(t *testing.T) clientele.Store {
	t.Helper()
	t.Parallel()
	db, err := postgres.Open(context.Background(), pgtest.URL(t), postgres.Options{MaxConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) { storetest.Run(t, open) }
