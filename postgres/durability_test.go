package postgres

import (
	"context"
	"testing"

	"github.com/clientele/clientele/internal/pgtest"
)

// Commits are acknowledged only once flushed: a session that would start
// with synchronous_commit=off (here from the URL; an administrator's
// ALTER SYSTEM, DATABASE or ROLE acts alike) gets on, and every setting that
// flushes locally is kept.
func TestSynchronousCommit(t *testing.T) {
	ctx := context.Background()
	base := pgtest.URL(t)
	for given, want := range map[string]string{"off": "on", "local": "local", "on": "on", "remote_apply": "remote_apply"} {
		db, err := Open(ctx, base+"&synchronous_commit="+given, Options{MaxConns: 2})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		err = db.pool.QueryRow(ctx, `SHOW synchronous_commit`).Scan(&got)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("synchronous_commit=%s in the URL: the session runs with %s, want %s", given, got, want)
		}
	}
}
