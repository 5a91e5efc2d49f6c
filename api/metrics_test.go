package api_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/api"
	"github.com/clientele/clientele/internal/metrics"
)

// oPools returns the pool stats of store (both engines have them).
func oPools(t *testing.T, store clientele.Store) func() []metrics.Pool {
	t.Helper()
	p, ok := store.(interface{ PoolStats() []metrics.Pool })
	if !ok {
		t.Fatalf("%T has no PoolStats", store)
	}
	return p.PoolStats
}

func TestMetrics(t *testing.T) { forEachEngine(t, testMetrics) }

func testMetrics(t *testing.T, open openStore) {
	store := open(t)
	e := oEnvOver(t, store, api.Config{Pools: oPools(t, store)})
	id := e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "Acme"}, nil)).
		want(http.StatusCreated).data()["id"].(string)
	e.do("GET", "/api/v1/clients/"+id, e.admin, nil).want(http.StatusOK)
	e.do("GET", "/api/v1/clients/987654", e.admin, nil).want(http.StatusNotFound)
	e.do("GET", "/api/v1/clients/987655", e.admin, nil).want(http.StatusNotFound)
	e.do("GET", "/no/such/path", "", nil).want(http.StatusNotFound)
	e.do("BREW", "/api/v1/clients", e.admin, nil).want(http.StatusMethodNotAllowed)

	r := e.do("GET", "/metrics", "", nil).want(http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != metrics.ContentType {
		t.Errorf("Content-Type %q", ct)
	}
	body := string(r.Body)
	for _, want := range []string{
		`clientele_http_requests_total{route="POST /api/v1/clients",method="POST",status="201"} 1`,
		`clientele_http_requests_total{route="GET /api/v1/clients/{id}",method="GET",status="200"} 1`,
		`clientele_http_requests_total{route="GET /api/v1/clients/{id}",method="GET",status="404"} 2`,
		`clientele_http_requests_total{route="unmatched",method="GET",status="404"} 1`,
		`clientele_http_requests_total{route="unmatched",method="OTHER",status="405"} 1`,
		`clientele_http_request_duration_seconds_count{route="GET /api/v1/clients/{id}"} 3`,
		`clientele_http_request_duration_seconds_bucket{route="GET /api/v1/clients/{id}",le="+Inf"} 3`,
		"# TYPE clientele_http_request_duration_seconds histogram",
		"clientele_http_requests_in_flight 1", // the scrape itself
		"# TYPE clientele_uploads_total counter",
		"# TYPE clientele_portal_logins_total counter",
		"# TYPE clientele_db_pool_connections gauge",
		"# TYPE go_goroutines gauge",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, "987654") || strings.Contains(body, "/no/such") {
		t.Error("/metrics holds a raw path")
	}
	pools := []string{`pool="read"`, `pool="write"`}
	if strings.Contains(fmt.Sprintf("%T", store), "postgres") {
		pools = []string{`pool="pgx"`}
	}
	for _, p := range pools {
		if !strings.Contains(body, "clientele_db_pool_max_connections{"+p+"}") {
			t.Errorf("/metrics lacks the pool %s:\n%s", p, body)
		}
	}
}

// oEnvOver is oEnv over a store the test already opened.
func oEnvOver(t *testing.T, store clientele.Store, cfg api.Config) *env {
	t.Helper()
	return oEnv(t, func(testing.TB) clientele.Store { return store }, cfg)
}

func TestInFlightCap(t *testing.T) {
	e := oEnv(t, openSQLite, api.Config{MaxInFlight: 1})
	addr := strings.TrimPrefix(e.srv.URL, "http://")
	// Hold the one slot: a POST whose body has not fully arrived.
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	body := `{"data":{"type":"clients","attributes":{"name":"Slow"}}}`
	fmt.Fprintf(conn, "POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/vnd.api+json\r\nContent-Length: %d\r\n\r\n%s", e.admin, len(body), body[:5])

	// Wait until the server has taken the slot.
	deadline := time.Now().Add(10 * time.Second)
	var r *response
	for {
		r = e.do("GET", "/api/v1/company", e.admin, nil)
		if r.Status == http.StatusServiceUnavailable || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.want(http.StatusServiceUnavailable)
	if r.Header.Get("Retry-After") != "1" || !iHasProblem(r, "overloaded", "") {
		t.Errorf("503 without Retry-After 1 or code overloaded: %v %s", r.Header, r.Body)
	}
	// Probes and metrics still answer.
	e.do("GET", "/healthz", "", nil).want(http.StatusOK)
	m := string(e.do("GET", "/metrics", "", nil).want(http.StatusOK).Body)
	if !strings.Contains(m, "clientele_overloaded_total ") ||
		!strings.Contains(m, `clientele_http_requests_total{route="GET /api/v1/company",method="GET",status="503"}`) || !strings.Contains(m, "clientele_http_requests_in_flight 2") {
		t.Errorf("metrics under overload:\n%s", m)
	}

	// The held request completes; then the slot is free again.
	io.WriteString(conn, body[5:])
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Errorf("the held request: %d", res.StatusCode)
	}
	e.do("GET", "/api/v1/company", e.admin, nil).want(http.StatusOK)
}
