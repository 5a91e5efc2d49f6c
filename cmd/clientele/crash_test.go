package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele/api"
	"github.com/clientele/clientele/internal/pgtest"
	"github.com/clientele/clientele/sqlite"
	"github.com/jackc/pgx/v5"
)

// cCrashRunsEnv sets how many kill-and-restart runs the crash tests make
// per engine (default cCrashRunsDefault); docs/durability.md records a long run.
const (
	cCrashRunsEnv     = "CLIENTELE_CRASH_RUNS"
	cCrashRunsDefault = 5
	cCrashWriters     = 12 // concurrent clients POSTing creates
)

// cCrashEnv is the environment of the crashed servers: the test's bursts of
// creates with one token are not what the per-token rate limit is for, so it
// is off (a binary without rate limits ignores the variable).
var cCrashEnv = []string{"CLIENTELE_RATE_LIMIT=0"}

// cCrashEngine is one database under the crash test.
type cCrashEngine struct {
	store []string // the flags that name the database
	// check inspects the database while no server runs, right after the
	// kill; it returns how many clients of the crash test it holds.
	check func(t *testing.T, run int) int64
}

// TestCrashSQLite proves "a 2xx means durable" for the SQLite engine
// against a process crash: see cCrash.
func TestCrashSQLite(t *testing.T) {
	dir := t.TempDir()
	path := sqlite.Path(dir)
	cCrash(t, cCrashEngine{store: []string{"--data-dir", dir}, check: func(t *testing.T, run int) int64 {
		return cSQLiteIntegrity(t, run, path)
	}})
}

// TestCrashPostgres is TestCrashSQLite on a PostgreSQL schema of its own.
// The server process is killed, not PostgreSQL: this proves that a 2xx is
// sent only after the commit returned, and that a connection cut mid
// transaction leaves nothing behind.
func TestCrashPostgres(t *testing.T) {
	url := pgtest.URL(t)
	cCrash(t, cCrashEngine{store: []string{"--database-url", url, "--db-max-conns", "8"},
		check: func(t *testing.T, run int) int64 { return cPostgresConsistency(t, run, url) }})
}

// cCrash runs the binary's serve over the engine's database and, run after
// run, fires concurrent creates of clients with unique external ids, kills
// the process with SIGKILL after a random delay, checks the database as the
// kill left it, restarts the server and checks through the API that every
// create answered 2xx exists exactly once with what was sent, and that no
// client exists that was never sent. Creates cut off by the kill (no
// response) may or may not exist, but at most once. The restarted server
// serves the next run.
func cCrash(t *testing.T, e cCrashEngine) {
	runs := cCrashRunsDefault
	if v := os.Getenv(cCrashRunsEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive number", cCrashRunsEnv, v)
		}
		runs = n
	}
	srv := cStartBinary(t, cCrashEnv, e.store...)
	p := cProvisionStore(t, "crash", e.store...)
	acked := map[string]bool{} // external ids of the creates answered 2xx
	var inFlight, perRun []int // creates cut off by the kill; acknowledged per run
	start := time.Now()
	for run := range runs {
		a, cut := cCrashRun(t, srv, p.Token, run)
		for _, id := range a {
			acked[id] = true
		}
		perRun = append(perRun, len(a))
		inFlight = append(inFlight, cut)
		if n := e.check(t, run); n < int64(len(acked)) {
			t.Errorf("run %d: after the kill the database holds %d clients of the test, %d were acknowledged", run, n, len(acked))
		}
		srv = cStartBinary(t, cCrashEnv, e.store...)
		cCrashVerify(t, run, "http://"+srv.Addr()+api.Base, p.Token, acked)
		if t.Failed() {
			t.FailNow() // one broken run is enough to read
		}
	}
	srv.cmd.Process.Kill()
	srv.Wait(t, cTimeout)
	t.Logf("%d runs in %v: %d creates acknowledged (per run %v), %d cut off by the kill (per run %v), 0 lost",
		runs, time.Since(start).Round(time.Millisecond), len(acked), perRun, cSum(inFlight), inFlight)
}

// cCrashID is the external id of create i of writer w in run; the client
// is named cCrashName of it.
func cCrashID(run, w, i int) string { return fmt.Sprintf("crash-%03d-%02d-%04d", run, w, i) }

var cCrashIDPattern = regexp.MustCompile(`^crash-\d{3}-\d{2}-\d{4}$`)

func cCrashName(id string) string { return "Crash client " + id }

// cCrashRun fires the creates of one run at srv and kills it; it returns
// the external ids of the creates answered 2xx and how many requests got no
// answer.
func cCrashRun(t *testing.T, srv *cProcess, token string, run int) ([]string, int) {
	t.Helper()
	base := "http://" + srv.Addr() + api.Base + "/clients"
	var (
		mu       sync.Mutex
		acked    []string
		cut      atomic.Int64
		first    = make(chan struct{}) // closed by the first 2xx
		once     sync.Once
		killed   atomic.Bool
		wg       sync.WaitGroup
		problems []string
	)
	for w := range cCrashWriters {
		wg.Go(func() {
			for i := range 2000 {
				id := cCrashID(run, w, i)
				body := fmt.Sprintf(`{"data":{"type":"clients","attributes":{"name":%q,"external_id":%q}}}`, cCrashName(id), id)
				status, raw, err := cTry("POST", base, token, body)
				mu.Lock()
				switch {
				case err != nil && killed.Load():
					cut.Add(1)
				case err != nil:
					problems = append(problems, fmt.Sprintf("%s before the kill: %v", id, err))
				case status == http.StatusCreated:
					acked = append(acked, id)
					once.Do(func() { close(first) })
				default:
					problems = append(problems, fmt.Sprintf("%s: %d %s", id, status, raw))
				}
				mu.Unlock()
				if err != nil || status != http.StatusCreated {
					return
				}
			}
			mu.Lock()
			problems = append(problems, "a writer ran out of creates before the kill: raise the count")
			mu.Unlock()
		})
	}
	// The kill lands at a random moment once the creates are under way
	// (the first acknowledged).
	select {
	case <-first:
	case <-time.After(cTimeout):
		t.Errorf("run %d: no create was acknowledged within %v; server log:\n%s", run, cTimeout, srv.Stderr())
	}
	time.Sleep(time.Duration(rand.IntN(800)) * time.Millisecond)
	killed.Store(true)
	if err := srv.cmd.Process.Kill(); err != nil {
		t.Fatalf("run %d: SIGKILL: %v", run, err)
	}
	srv.Wait(t, cTimeout)
	wg.Wait()
	for _, p := range problems {
		t.Errorf("run %d: %s", run, p)
	}
	return acked, int(cut.Load())
}

// cCrashVerify lists every client of the company through the API and checks
// it against what was sent and acknowledged.
func cCrashVerify(t *testing.T, run int, base, token string, acked map[string]bool) {
	t.Helper()
	seen := map[string]int{}
	next := base + "/clients?page[size]=100"
	for next != "" {
		status, raw := cDo(t, "GET", next, token, "")
		if status != http.StatusOK {
			t.Fatalf("run %d: GET %s after the restart: %d %s", run, next, status, raw)
		}
		var doc struct {
			Data []struct {
				Attributes struct {
					Name       string  `json:"name"`
					ExternalID *string `json:"external_id"`
				} `json:"attributes"`
			} `json:"data"`
			Links struct {
				Next *string `json:"next"`
			} `json:"links"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("run %d: %v: %s", run, err, raw)
		}
		for _, c := range doc.Data {
			if c.Attributes.ExternalID == nil {
				t.Errorf("run %d: a client without external id exists: %q", run, c.Attributes.Name)
				continue
			}
			id := *c.Attributes.ExternalID
			seen[id]++
			if !cCrashIDPattern.MatchString(id) || id > cCrashID(run, 99, 9999) {
				t.Errorf("run %d: client %s exists but was never sent", run, id)
			} else if c.Attributes.Name != cCrashName(id) {
				t.Errorf("run %d: client %s is named %q, sent %q", run, id, c.Attributes.Name, cCrashName(id))
			}
		}
		next = ""
		if doc.Links.Next != nil {
			next = cAbsolute(t, base, *doc.Links.Next)
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("run %d: client %s exists %d times", run, id, n)
		}
	}
	for id := range acked {
		if seen[id] == 0 {
			t.Errorf("run %d: LOST: client %s was acknowledged (201) but is gone after the crash", run, id)
		}
	}
}

// cAbsolute resolves a link of a response against base.
func cAbsolute(t *testing.T, base, link string) string {
	t.Helper()
	b, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	l, err := b.Parse(link)
	if err != nil {
		t.Fatalf("link %q: %v", link, err)
	}
	return l.String()
}

func cSum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// cDuplicateExternalIDs finds external ids that a company has more than once
// (the unique constraint forbids it; this checks the constraint held).
const cDuplicateExternalIDs = `SELECT company_id, external_id FROM clients
	WHERE external_id IS NOT NULL GROUP BY company_id, external_id HAVING count(*) > 1`

// cCrashClients counts the clients the crash test made.
const cCrashClients = `SELECT count(*) FROM clients WHERE external_id LIKE 'crash-%'`

// cSQLiteIntegrity opens the database file read-only as the kill left it
// (with its write-ahead log) and runs SQLite's own checks.
func cSQLiteIntegrity(t *testing.T, run int, path string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), cTimeout)
	defer cancel()
	var problems []string
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		t.Fatalf("run %d: integrity_check: %v", run, err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("run %d: integrity_check: %v", run, err)
	}
	rows.Close()
	for _, q := range []string{"PRAGMA foreign_key_check", cDuplicateExternalIDs} {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("run %d: %s: %v", run, q, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			problems = append(problems, fmt.Sprintf("%s: %v", q, vals))
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("run %d: %s: %v", run, q, err)
		}
		rows.Close()
	}
	for _, p := range problems {
		t.Errorf("run %d: after the kill: %s", run, p)
	}
	var n int64
	if err := db.QueryRowContext(ctx, cCrashClients).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// cPostgresConsistency checks the schema as the killed server left it.
// PostgreSQL has no integrity_check: it checks that the unique and foreign
// keys hold, that no index is left invalid, that the unique index and the
// table agree on the clients.
func cPostgresConsistency(t *testing.T, run int, url string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	schema := pgtest.Schema(url)
	checks := []struct{ what, query string }{
		{"duplicate external ids", cDuplicateExternalIDs},
		{"clients of no company", `SELECT id FROM clients c WHERE NOT EXISTS (SELECT 1 FROM companies WHERE id = c.company_id)`},
		{"tokens of no user", `SELECT id FROM tokens t WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.company_id = t.company_id AND u.id = t.user_id)`},
		{"invalid indexes", `SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '` + schema + `' AND NOT (i.indisvalid AND i.indisready)`},
	}
	for _, c := range checks {
		rows, err := conn.Query(ctx, c.query)
		if err != nil {
			t.Fatalf("run %d: %s: %v", run, c.what, err)
		}
		for rows.Next() {
			vals, _ := rows.Values()
			t.Errorf("run %d: after the kill: %s: %v", run, c.what, vals)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatalf("run %d: %s: %v", run, c.what, err)
		}
	}
	// The table and its unique index agree: counted by a sequential scan
	// and through the index alone, in one snapshot (a commit of the killed
	// server's session may still land), the clients with an external id are
	// as many.
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var counts [2]int64
	for i, plan := range []string{
		"enable_seqscan = on, enable_indexscan = off, enable_indexonlyscan = off, enable_bitmapscan = off",
		"enable_seqscan = off, enable_indexscan = on, enable_indexonlyscan = on, enable_bitmapscan = off",
	} {
		for _, setting := range strings.Split(plan, ", ") {
			if _, err := tx.Exec(ctx, "SET LOCAL "+setting); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM clients WHERE company_id > 0 AND external_id >= ''`).Scan(&counts[i]); err != nil {
			t.Fatal(err)
		}
	}
	if counts[0] != counts[1] {
		t.Errorf("run %d: after the kill: %d clients with an external id in the table, %d through the unique index", run, counts[0], counts[1])
	}
	var n int64
	if err := tx.QueryRow(ctx, cCrashClients).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
