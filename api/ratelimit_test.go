package api_test

// Rate limits through HTTP with a clock the test moves. Helpers start with
// "o" (operations) so that they cannot clash with those of other test files.

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/api"
)

// oClock is a clock that moves only when told.
type oClock struct {
	mu  sync.Mutex
	now time.Time
}

func newOClock() *oClock { return &oClock{now: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)} }

func (c *oClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *oClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// oEnv is newEnv with the given server configuration (store, readiness,
// operator token and cursors are filled in).
func oEnv(t *testing.T, open openStore, cfg api.Config) *env {
	t.Helper()
	store := open(t)
	svc := clientele.NewService(store, testHasher)
	cfg.Ready, cfg.OperatorToken, cfg.Cursors = store.Ping, "operator-secret", cursorsOf(t, store)
	srv := httptest.NewServer(api.New(svc, cfg))
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, svc: svc, store: store}
	e.admin, e.userID = e.newCompany("acme")
	return e
}

func oRate(t *testing.T, s string) api.Rate {
	t.Helper()
	r, err := api.ParseRate(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// oWant429 checks a rate-limited answer: status, code, Retry-After and RateLimit.
func oWant429(t *testing.T, r *response, retryAfter, rateLimit string) {
	t.Helper()
	r.want(http.StatusTooManyRequests)
	if !iHasProblem(r, "rate_limited", "") {
		t.Errorf("429 without code rate_limited: %s", r.Body)
	}
	if got := r.Header.Get("Retry-After"); got != retryAfter {
		t.Errorf("Retry-After %q, want %q", got, retryAfter)
	}
	if got := r.Header.Get("RateLimit"); got != rateLimit {
		t.Errorf("RateLimit %q, want %q", got, rateLimit)
	}
	if ct := r.Header.Get("Content-Type"); ct != api.MediaType {
		t.Errorf("Content-Type %q", ct)
	}
}

func TestRateLimitPerToken(t *testing.T) {
	clock := newOClock()
	e := oEnv(t, openSQLite, api.Config{Now: clock.Now,
		RateLimits: api.RateLimits{Token: oRate(t, "3/1m"), Anon: oRate(t, "100/1m")}})
	for i, want := range []string{`"token";r=2;t=20`, `"token";r=1;t=40`, `"token";r=0;t=60`} {
		r := e.do("GET", "/api/v1/clients", e.admin, nil).want(http.StatusOK)
		if got := r.Header.Get("RateLimit-Policy"); got != `"token";q=3;w=60` {
			t.Errorf("request %d: RateLimit-Policy %q", i, got)
		}
		if got := r.Header.Get("RateLimit"); got != want {
			t.Errorf("request %d: RateLimit %q, want %q", i, got, want)
		}
	}
	// Refused, and nothing is created.
	oWant429(t, e.do("POST", "/api/v1/clients", e.admin, resourceDoc("clients", map[string]any{"name": "Nope"}, nil)),
		"20", `"token";r=0;t=20`)
	clock.Advance(19 * time.Second)
	oWant429(t, e.do("GET", "/api/v1/clients", e.admin, nil), "1", `"token";r=0;t=1`)
	clock.Advance(time.Second)
	r := e.do("GET", "/api/v1/clients?filter[name]=Nope", e.admin, nil).want(http.StatusOK)
	if n := len(iItems(r)); n != 0 {
		t.Errorf("the refused POST created %d clients", n)
	}
}

func TestRateLimitTokensApart(t *testing.T) {
	clock := newOClock()
	e := oEnv(t, openSQLite, api.Config{Now: clock.Now,
		RateLimits: api.RateLimits{Token: oRate(t, "1/1m"), Anon: oRate(t, "100/1m")}})
	other, _ := e.newCompany("other")
	e.do("GET", "/api/v1/company", e.admin, nil).want(http.StatusOK)
	oWant429(t, e.do("GET", "/api/v1/company", e.admin, nil), "60", `"token";r=0;t=60`)
	e.do("GET", "/api/v1/company", other, nil).want(http.StatusOK)
	// Unauthenticated requests from the same address are on another quota.
	e.do("GET", "/healthz", "", nil).want(http.StatusOK)
	e.do("GET", "/api/v1/company", "", nil).want(http.StatusUnauthorized)
}

func TestRateLimitAnonymous(t *testing.T) {
	clock := newOClock()
	login := "POST /api/v1/operator/companies" // stands for any public route with a policy of its own
	e := oEnv(t, openSQLite, api.Config{Now: clock.Now, RateLimits: api.RateLimits{
		Token: oRate(t, "100/1m"), Anon: oRate(t, "2/10s"),
		Routes: map[string]api.Rate{login: {Name: "signup", Limit: 1, Window: time.Hour}}}})

	// Failed authentication spends the address's quota: token guessing is limited.
	for range 2 {
		r := e.do("GET", "/api/v1/clients", "clt_guess", nil).want(http.StatusUnauthorized)
		if got := r.Header.Get("RateLimit-Policy"); got != `"anon";q=2;w=10` {
			t.Errorf("RateLimit-Policy %q", got)
		}
	}
	oWant429(t, e.do("GET", "/api/v1/clients", "clt_guess", nil), "5", `"anon";r=0;t=5`)
	oWant429(t, e.do("GET", "/api/v1/nowhere", "", nil), "5", `"anon";r=0;t=5`)
	// A valid token is charged to the token, not to the spent address.
	e.do("GET", "/api/v1/clients", e.admin, nil).want(http.StatusOK)
	// Probes and metrics are never limited.
	for range 5 {
		e.do("GET", "/healthz", "", nil).want(http.StatusOK)
		e.do("GET", "/readyz", "", nil).want(http.StatusOK)
		e.do("GET", "/metrics", "", nil).want(http.StatusOK)
	}

	// A route with its own policy has its own quota.
	body := `{"name":"Beta","slug":"beta","admin":{"email":"a@beta.example","full_name":"A"}}`
	r := e.do("POST", "/api/v1/operator/companies", "operator-secret", body).want(http.StatusCreated)
	if got := r.Header.Get("RateLimit-Policy"); got != `"signup";q=1;w=3600` {
		t.Errorf("RateLimit-Policy %q", got)
	}
	oWant429(t, e.do("POST", "/api/v1/operator/companies", "operator-secret", body), "3600", `"signup";r=0;t=3600`)

	clock.Advance(5 * time.Second)
	e.do("GET", "/api/v1/clients", "", nil).want(http.StatusUnauthorized)
}

func TestRateLimitDisabled(t *testing.T) {
	e := oEnv(t, openSQLite, api.Config{})
	for range 20 {
		r := e.do("GET", "/api/v1/company", e.admin, nil).want(http.StatusOK)
		if r.Header.Get("RateLimit") != "" || r.Header.Get("RateLimit-Policy") != "" {
			t.Fatalf("rate limit headers without limits: %v", r.Header)
		}
		e.do("GET", "/api/v1/company", "", nil).want(http.StatusUnauthorized)
	}
}

func TestRateLimitTrustedProxy(t *testing.T) {
	clock := newOClock()
	cfg := func(trusted string) api.Config {
		p, err := api.ParsePrefixes(trusted)
		if err != nil {
			t.Fatal(err)
		}
		return api.Config{Now: clock.Now, RateLimits: api.RateLimits{Anon: oRate(t, "1/1m"), TrustedProxies: p}}
	}
	get := func(e *env, xff string) int {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/company", nil)
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		return e.send(req).Status
	}
	// Behind a trusted proxy (the test's loopback), each forwarded client has a quota.
	e := oEnv(t, openSQLite, cfg("127.0.0.0/8, ::1"))
	for _, xff := range []string{"203.0.113.1", "203.0.113.2", "198.51.100.7, 203.0.113.3"} {
		if got := get(e, xff); got != http.StatusUnauthorized {
			t.Errorf("first request of %s: %d", xff, got)
		}
	}
	if got := get(e, "203.0.113.1"); got != http.StatusTooManyRequests {
		t.Errorf("second request of 203.0.113.1: %d", got)
	}
	// A client cannot escape by writing its own X-Forwarded-For entries left of the proxy's.
	if got := get(e, "192.0.2.99, 203.0.113.2"); got != http.StatusTooManyRequests {
		t.Errorf("spoofed left-most entry: %d", got)
	}
	// Without trusted proxies X-Forwarded-For is ignored: one address, one quota.
	e2 := oEnv(t, openSQLite, cfg(""))
	if got := get(e2, "203.0.113.1"); got != http.StatusUnauthorized {
		t.Errorf("first: %d", got)
	}
	if got := get(e2, "203.0.113.2"); got != http.StatusTooManyRequests {
		t.Errorf("a forged X-Forwarded-For got a new quota: %d", got)
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]api.Rate{
		"600/1m": {Limit: 600, Window: time.Minute}, "10/30s": {Limit: 10, Window: 30 * time.Second},
		"0": {}, "5/1h": {Limit: 5, Window: time.Hour},
	} {
		got, err := api.ParseRate(in)
		if err != nil || got != want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "600", "x/1m", "-1/1m", "10/0s", "10/1500ms", "10/48h", "10/m"} {
		if _, err := api.ParseRate(bad); err == nil || !strings.Contains(err.Error(), "rate") {
			t.Errorf("ParseRate(%q): %v, want an error", bad, err)
		}
	}
}

// A portal session is charged like a token: per session, under the token policy.
func TestRateLimitPortalSession(t *testing.T) {
	clock := newOClock()
	e := oEnv(t, openSQLite, api.Config{Now: clock.Now,
		RateLimits: api.RateLimits{Token: oRate(t, "2/1m"), Anon: oRate(t, "100/1m")}})
	client := e.createClient(e.admin, map[string]any{"name": "Globex"})
	e.createContact(e.admin, client, map[string]any{"first_name": "Pat", "email": "pat@globex.example",
		"portal_access": true, "password": portalPassword})
	first, second := e.portalToken("pat@globex.example"), e.portalToken("pat@globex.example")
	for i, want := range []string{`"token";r=1;t=30`, `"token";r=0;t=60`} {
		r := e.do("GET", "/api/v1/portal/me", first, nil).want(http.StatusOK)
		if got := r.Header.Get("RateLimit"); got != want {
			t.Errorf("request %d: RateLimit %q, want %q", i, got, want)
		}
	}
	oWant429(t, e.do("GET", "/api/v1/portal/me", first, nil), "30", `"token";r=0;t=30`)
	e.do("GET", "/api/v1/portal/me", second, nil).want(http.StatusOK) // another session, its own quota
}

// Credentials of the wrong kind are charged like any others: an unknown
// clp_/clt_ secret spends the address's quota wherever it is sent.
func TestRateLimitWrongKindOfCredentials(t *testing.T) {
	clock := newOClock()
	e := oEnv(t, openSQLite, api.Config{Now: clock.Now,
		RateLimits: api.RateLimits{Token: oRate(t, "100/1m"), Anon: oRate(t, "2/1m")}})
	for i, req := range [][2]string{
		{"/api/v1/clients", clientele.PortalTokenPrefix + "guess1"},
		{"/api/v1/portal/me", clientele.TokenPrefix + "guess2"},
	} {
		r := e.do("GET", req[0], req[1], nil).want(http.StatusUnauthorized)
		if r.Header.Get("RateLimit") == "" {
			t.Errorf("request %d: refused credentials not charged", i)
		}
	}
	oWant429(t, e.do("GET", "/api/v1/clients", clientele.PortalTokenPrefix+"guess3", nil), "30", `"anon";r=0;t=30`)
}

// Serving files is not charged, but a miss is: guessing keys is limited.
func TestRateLimitFileMisses(t *testing.T) {
	clock := newOClock()
	e := oEnv(t, openSQLite, api.Config{Now: clock.Now,
		RateLimits: api.RateLimits{Token: oRate(t, "100/1m"), Anon: oRate(t, "2/1m")}})
	missing := "/files/" + clientele.NewImageKey() + "/small"
	for range 2 {
		if r := e.do("GET", missing, "", nil).want(http.StatusNotFound); r.Header.Get("RateLimit") == "" {
			t.Error("a miss is not charged")
		}
	}
	oWant429(t, e.do("GET", missing, "", nil), "30", `"anon";r=0;t=30`)
}
