package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/storetest"
)

func openDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "clientele.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Open prepares every registered query on the write pool, and the SELECTs
// on the read pool too.
func TestOpenPreparesStatics(t *testing.T) {
	db := openDB(t)
	if len(statics) < 30 {
		t.Fatalf("only %d queries registered", len(statics))
	}
	for _, query := range statics {
		if db.write.stmts[query] == nil {
			t.Errorf("not prepared on the write pool: %s", query)
		}
		if read := db.read.stmts[query] != nil; read != isRead(query) {
			t.Errorf("prepared on the read pool: %t, a read: %t: %s", read, isRead(query), query)
		}
	}
}

// No registered query has a bare LIMIT or OFFSET parameter, which would make
// SQLite prepare it again on every run (see prepared.go).
func TestStaticsHaveNoBareLimitParameter(t *testing.T) {
	bare := regexp.MustCompile(`(?i)\b(LIMIT|OFFSET)\s+\?`)
	for _, query := range statics {
		if bare.MatchString(query) {
			t.Errorf("a bare LIMIT/OFFSET ? re-prepares on every run; write CAST(? AS INTEGER): %s", query)
		}
	}
}

// Through the whole storage contract, every query that runs unprepared is a
// dynamic one (a list of ids, or a list or count built from a query's
// filters and sort), and every registered query runs prepared.
func TestStoreRunsStaticsPrepared(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	var misses []string
	dynamic := map[string]bool{}
	traceBuilt = func(query string) {
		mu.Lock()
		defer mu.Unlock()
		dynamic[query] = true
	}
	defer func() { traceBuilt = nil }()
	traceQuery = func(query string, prepared bool) {
		mu.Lock()
		defer mu.Unlock()
		if prepared {
			hits[query]++
		} else {
			misses = append(misses, query)
		}
	}
	defer func() { traceQuery = nil }()
	t.Run("contract", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) clientele.Store { return openDB(t) })
	})

	for _, query := range misses {
		if !strings.Contains(query, " IN (") && !dynamic[query] {
			t.Errorf("a static query ran unprepared; register it with prepared: %s", query)
		}
	}
	for _, query := range statics {
		if hits[query] == 0 {
			t.Errorf("a registered query never ran prepared: %s", query)
		}
	}
	if len(misses) == 0 {
		t.Error("no dynamic query ran: the trace is not called")
	}
}

// Right after Open, concurrent reads and writes (more than the read pool has
// connections, and more than the single write connection) all finish: a
// statement is prepared on a connection only by the transaction that holds
// it, never by taking another connection from the pool.
func TestPreparedConcurrentReadWrite(t *testing.T) {
	db := openDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	now := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				err = db.Write(ctx, func(tx clientele.Tx) error {
					if _, err := tx.HasCompanies(ctx); err != nil {
						return err
					}
					c := clientele.Company{Name: "C", Slug: fmt.Sprintf("c%d", i), CreatedAt: now, UpdatedAt: now}
					if err := tx.CreateCompany(ctx, &c); err != nil {
						return err
					}
					_, err := tx.Company(ctx, c.ID)
					return err
				})
			} else {
				err = db.Read(ctx, func(tx clientele.Tx) error {
					if _, err := tx.HasCompanies(ctx); err != nil {
						return err
					}
					_, err := tx.CompanyBySlug(ctx, fmt.Sprintf("c%d", i-1))
					if clientele.IsNotFound(err) {
						err = nil
					}
					return err
				})
			}
			if err != nil {
				errs <- fmt.Errorf("goroutine %d: %w", i, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Close closes the prepared statements with the pools.
func TestCloseClosesStatements(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "clientele.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	var one int
	if err := db.write.stmts[selectAnyCompany].QueryRow().Scan(&one); err == nil ||
		!strings.Contains(err.Error(), "statement is closed") {
		t.Errorf("query on a statement after Close: %v, want statement is closed", err)
	}
}
