package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

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

// A panic inside Write, once recovered (as net/http does), must not leave the
// single write connection inside an open transaction.
func TestWriteAfterRecoveredPanic(t *testing.T) {
	db := open(t)
	func() {
		defer func() { recover() }()
		db.Write(context.Background(), func(clientele.Tx) error { panic("boom") })
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := db.Write(ctx, func(tx clientele.Tx) error { _, err := tx.HasCompanies(ctx); return err }); err != nil {
		t.Fatalf("Write after a recovered panic: %v", err)
	}
}
