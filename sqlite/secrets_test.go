package sqlite

import (
	"bytes"
	"context"
	"path/filepath"
	"sync"
	"testing"
)

// Secret makes a secret of 32 random bytes on first use and then always
// returns it, also after the database is opened again; each name has its own.
func TestSecret(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "clientele.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	first, err := db.Secret(ctx, "cursor")
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != SecretSize || bytes.Equal(first, make([]byte, SecretSize)) {
		t.Fatalf("Secret: got %x, want %d random bytes", first, SecretSize)
	}
	again, err := db.Secret(ctx, "cursor")
	if err != nil || !bytes.Equal(again, first) {
		t.Errorf("Secret again: got %x, %v, want %x", again, err, first)
	}
	other, err := db.Secret(ctx, "other")
	if err != nil || len(other) != SecretSize || bytes.Equal(other, first) {
		t.Errorf("Secret of another name: got %x, %v, want other random bytes", other, err)
	}
	db.Close()

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	reopened, err := db.Secret(ctx, "cursor")
	if err != nil || !bytes.Equal(reopened, first) {
		t.Errorf("Secret after reopening: got %x, %v, want %x", reopened, err, first)
	}
}

// Concurrent first uses, also from two handles on one file, agree on one secret.
func TestSecretConcurrentFirstUse(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "clientele.db")
	var dbs []*DB
	for range 2 {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs = append(dbs, db)
	}
	secrets := make([][]byte, 20)
	var wg sync.WaitGroup
	for i := range secrets {
		wg.Go(func() {
			s, err := dbs[i%2].Secret(ctx, "cursor")
			if err != nil {
				t.Error(err)
			}
			secrets[i] = s
		})
	}
	wg.Wait()
	for i, s := range secrets {
		if !bytes.Equal(s, secrets[0]) || len(s) != SecretSize {
			t.Errorf("Secret %d: got %x, want %x like the first", i, s, secrets[0])
		}
	}
}
