package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/sqlite"
)

// TestSweepLoop: the loop serve runs for idempotency keys deletes expired idempotency keys at
// once and on every tick, keeps live ones, and ends with its context.
func TestSweepLoop(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "clientele.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	svc := clientele.NewService(store, nil)
	p, err := svc.CreateCompany(ctx, clientele.NewCompany{Name: "Acme", Slug: "acme", AdminEmail: "a@acme.example", AdminName: "A"})
	if err != nil {
		t.Fatal(err)
	}
	put := func(key string, claimed time.Time) {
		t.Helper()
		err := store.Write(ctx, func(tx clientele.Tx) error {
			return tx.PutIdempotencyKey(ctx, clientele.IdempotencyKey{CompanyID: p.Company.ID, Key: []byte(key),
				Fingerprint: []byte("f"), ClaimedAt: claimed.UTC().Truncate(time.Microsecond)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	exists := func(key string) bool {
		err := store.Read(ctx, func(tx clientele.Tx) error {
			_, err := tx.IdempotencyKey(ctx, p.Company.ID, []byte(key))
			return err
		})
		if err != nil && !clientele.IsNotFound(err) {
			t.Fatal(err)
		}
		return err == nil
	}
	waitGone := func(key string) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); exists(key); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("key %s was not swept", key)
			}
		}
	}
	expired := time.Now().Add(-clientele.IdempotencyTTL - time.Minute)
	put("first", expired)
	put("live", time.Now())

	var logs cSyncBuffer
	loopCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		sweepEvery(loopCtx, slog.New(slog.NewTextHandler(&logs, nil)), 20*time.Millisecond, "idempotency keys", svc.SweepIdempotencyKeys)
		close(done)
	}()
	waitGone("first")
	put("second", expired)
	waitGone("second")
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("sweepEvery did not end with its context")
	}
	if !exists("live") {
		t.Error("a live key was swept")
	}
	if !bytes.Contains([]byte(logs.String()), []byte(`msg=swept what="idempotency keys" deleted=`)) {
		t.Errorf("no log line of the sweep: %s", logs.String())
	}
}
