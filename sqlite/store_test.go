package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/sqlite"
	"github.com/clientele/clientele/storetest"
)

// Open returns an empty, migrated database in a temporary directory.
func open(t *testing.T) clientele.Store {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "clientele.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) { storetest.Run(t, open) }
