package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/api"
)

// The benchmarks call the real handler (api.New over clientele.Service over
// SQLite in a temporary directory, with the production pragmas:
// WAL, synchronous=FULL) in-process through handler.ServeHTTP with an
// httptest.ResponseRecorder: no sockets, so the numbers are the cost of
// routing, authentication (a token lookup per request), decoding,
// validation, SQL and rendering. The request log goes to a discarding
// logger. BenchmarkGetClientHTTP adds a real loopback HTTP server for
// comparison.

// cBench is a handler over a fresh database with one company.
type cBench struct {
	h     http.Handler
	svc   *clientele.Service
	actor clientele.Actor
	token string
}

// cEngines runs bench once per storage engine, as sub-benchmarks named
// after the engine; PostgreSQL only when CLIENTELE_TEST_DATABASE_URL is set.
func cEngines(b *testing.B, bench func(*testing.B, openStore)) {
	b.Run("sqlite", func(b *testing.B) { bench(b, openSQLite) })
	b.Run("postgres", func(b *testing.B) { bench(b, openPostgres) })
}

func cNewBench(b *testing.B, open openStore) *cBench {
	b.Helper()
	store := open(b)
	svc := clientele.NewService(store, testHasher)
	ctx := context.Background()
	p, err := svc.CreateCompany(ctx, clientele.NewCompany{Name: "Bench", Slug: "bench",
		AdminEmail: "admin@bench.example", AdminName: "Bench Admin"})
	if err != nil {
		b.Fatal(err)
	}
	a, err := svc.Authenticate(ctx, p.Secret)
	if err != nil {
		b.Fatal(err)
	}
	return &cBench{h: api.New(svc, api.Config{Ready: store.Ping, Cursors: cursorsOf(b, store)}), svc: svc, actor: a, token: p.Secret}
}

// cSeed creates n clients through the service and returns their ids.
func (c *cBench) cSeed(b *testing.B, n int) []int64 {
	b.Helper()
	ids := make([]int64, n)
	for i := range ids {
		name := fmt.Sprintf("Client %04d GmbH", i)
		email := fmt.Sprintf("office%04d@client.example", i)
		cl, err := c.svc.CreateClient(context.Background(), c.actor, clientele.ClientInput{Name: &name, Email: &email})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = cl.ID
	}
	return ids
}

// cAfter returns the path of the page of size records that follows the
// first n clients, with the cursor links.next made (n a multiple of 100).
func (c *cBench) cAfter(b *testing.B, n, size int) string {
	b.Helper()
	target := "/api/v1/clients?page[size]=100"
	for range n / 100 {
		var doc struct {
			Links struct{ Next string } `json:"links"`
		}
		if err := json.Unmarshal(c.cServe(b, "GET", target, nil, http.StatusOK).Body.Bytes(), &doc); err != nil || doc.Links.Next == "" {
			b.Fatalf("no links.next after %s: %v", target, err)
		}
		target = doc.Links.Next
	}
	return strings.Replace(target, "page%5Bsize%5D=100", "page%5Bsize%5D="+strconv.Itoa(size), 1)
}

// cServe sends one request to the handler and fails unless it answers want.
func (c *cBench) cServe(b *testing.B, method, target string, body []byte, want int) *httptest.ResponseRecorder {
	rec, err := c.cTryServe(method, target, body, want)
	if err != nil {
		b.Fatal(err)
	}
	return rec
}

// cTryServe is cServe for goroutines other than the benchmark's.
func (c *cBench) cTryServe(method, target string, body []byte, want int) (*httptest.ResponseRecorder, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", api.MediaType)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	if rec.Code != want {
		return rec, fmt.Errorf("%s %s: %d, want %d: %s", method, target, rec.Code, want, rec.Body)
	}
	return rec, nil
}

var cClientBody = []byte(`{"data":{"type":"clients","attributes":{"name":"Benchmark Industries Ltd",` +
	`"email":"office@benchmark.example","phone":"+49 30 1234567","types":["customer","supplier"]}}}`)

func BenchmarkCreateClient(b *testing.B) { cEngines(b, benchmarkCreateClient) }

func benchmarkCreateClient(b *testing.B, open openStore) {
	c := cNewBench(b, open)
	b.ReportAllocs()
	for b.Loop() {
		c.cServe(b, "POST", "/api/v1/clients", cClientBody, http.StatusCreated)
	}
}

func BenchmarkGetClient(b *testing.B) { cEngines(b, benchmarkGetClient) }

func benchmarkGetClient(b *testing.B, open openStore) {
	c := cNewBench(b, open)
	ids := c.cSeed(b, 1000)
	target := fmt.Sprintf("/api/v1/clients/%d", ids[500])
	b.ReportAllocs()
	for b.Loop() {
		c.cServe(b, "GET", target, nil, http.StatusOK)
	}
}

func BenchmarkListClients(b *testing.B) { cEngines(b, benchmarkListClients) }

func benchmarkListClients(b *testing.B, open openStore) {
	c := cNewBench(b, open)
	c.cSeed(b, 1000)
	for _, bc := range []struct{ name, target string }{
		{"first", "/api/v1/clients?page[size]=25"},
		{"after500", c.cAfter(b, 500, 25)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			rec := c.cServe(b, "GET", bc.target, nil, http.StatusOK)
			if n := bytes.Count(rec.Body.Bytes(), []byte(`"type":"clients"`)); n != 25 {
				b.Fatalf("page holds %d clients, want 25", n)
			}
			b.ReportAllocs()
			for b.Loop() {
				c.cServe(b, "GET", bc.target, nil, http.StatusOK)
			}
		})
	}
}

// BenchmarkGetClientParallel reads from GOMAXPROCS goroutines at once: reads
// use a pool of connections that WAL lets run side by side.
func BenchmarkGetClientParallel(b *testing.B) { cEngines(b, benchmarkGetClientParallel) }

func benchmarkGetClientParallel(b *testing.B, open openStore) {
	c := cNewBench(b, open)
	ids := c.cSeed(b, 10)
	target := fmt.Sprintf("/api/v1/clients/%d", ids[5])
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.cTryServe("GET", target, nil, http.StatusOK); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkCreateClientParallel writes from GOMAXPROCS goroutines at once:
// writes are serialised on one connection, so this shows the write ceiling.
func BenchmarkCreateClientParallel(b *testing.B) { cEngines(b, benchmarkCreateClientParallel) }

func benchmarkCreateClientParallel(b *testing.B, open openStore) {
	c := cNewBench(b, open)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.cTryServe("POST", "/api/v1/clients", cClientBody, http.StatusCreated); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkGetClientHTTP is BenchmarkGetClient through a loopback HTTP
// server and client (keep-alive), to show what the network stack adds.
func BenchmarkGetClientHTTP(b *testing.B) { cEngines(b, benchmarkGetClientHTTP) }

func benchmarkGetClientHTTP(b *testing.B, open openStore) {
	c := cNewBench(b, open)
	ids := c.cSeed(b, 10)
	srv := httptest.NewServer(c.h)
	defer srv.Close()
	client := srv.Client()
	url := fmt.Sprintf("%s/api/v1/clients/%d", srv.URL, ids[5])
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+c.token)
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}
