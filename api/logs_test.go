package api_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/clientele/clientele/api"
)

// oLog is a concurrency-safe log buffer.
type oLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *oLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *oLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// TestLogsHoldNoSecrets sends tokens, passwords and the operator token every
// way a client can, on success and error paths (400, 401, 404, 422, 429 and
// a 500 from a closed database), logs at debug level, and checks that none
// of them reaches the log while every request has its line.
func TestLogsHoldNoSecrets(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) { testLogsHoldNoSecrets(t, format) })
	}
}

func testLogsHoldNoSecrets(t *testing.T, format string) {
	var logs oLog
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	var h slog.Handler = slog.NewJSONHandler(&logs, opts)
	if format == "text" {
		h = slog.NewTextHandler(&logs, opts)
	}
	store := openSQLite(t)
	rate, _ := api.ParseRate("1/1h")
	e := oEnvOver(t, store, api.Config{Log: slog.New(h),
		RateLimits: api.RateLimits{Routes: map[string]api.Rate{"POST /api/v1/operator/companies": rate}}})
	const password = "Sup3r-Secret-Passw0rd"
	const portal = "clp_PortalSessionSecretValue123"
	const badToken = "clt_NotARealTokenButSecretLooking"
	secrets := []string{e.admin, password, portal, badToken, "operator-secret",
		base64.StdEncoding.EncodeToString([]byte(e.admin + ":x"))}

	send := func(method, path, auth, body string) *response {
		t.Helper()
		req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", api.MediaType)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		req.Header.Set("X-Portal-Password", password) // a header the server does not know
		return e.send(req)
	}
	bearer := func(tok string) string { return "Bearer " + tok }
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(e.admin+":x"))
	withPassword := `{"data":{"type":"users","attributes":{"email":"p@acme.example","full_name":"P","password":"` + password + `"}}}`

	n := 0
	expect := func(r *response, status int) {
		t.Helper()
		n++
		r.want(status)
	}
	expect(send("GET", "/api/v1/company", bearer(e.admin), ""), http.StatusOK)
	expect(send("GET", "/api/v1/company", basic, ""), http.StatusOK)
	expect(send("GET", "/api/v1/company", bearer(badToken), ""), http.StatusUnauthorized)
	expect(send("GET", "/api/v1/company", bearer(portal), ""), http.StatusUnauthorized)
	expect(send("GET", "/api/v1/clients/1?password="+password, bearer(e.admin), ""), http.StatusBadRequest)
	expect(send("POST", "/api/v1/users", bearer(e.admin), withPassword), http.StatusUnprocessableEntity)
	expect(send("POST", "/api/v1/users", bearer(e.admin), `{"password":"`+password+`"`), http.StatusBadRequest)
	expect(send("POST", "/api/v1/users", bearer(badToken), withPassword), http.StatusUnauthorized)
	expect(send("GET", "/api/v1/nope/"+password, bearer(e.admin), ""), http.StatusNotFound)
	op := `{"name":"Beta","slug":"beta","admin":{"email":"a@beta.example","full_name":"A"}}`
	expect(send("POST", "/api/v1/operator/companies", bearer("operator-secret"), op), http.StatusCreated)
	expect(send("POST", "/api/v1/operator/companies", bearer("operator-secret"), op), http.StatusTooManyRequests)
	// A 500: the database is gone.
	store.Close()
	expect(send("POST", "/api/v1/clients", bearer(e.admin), withPassword), http.StatusInternalServerError)
	expect(send("GET", "/readyz", bearer(e.admin), ""), http.StatusServiceUnavailable)

	got := logs.String()
	if strings.Count(got, "msg=request ")+strings.Count(got, `"msg":"request"`) != n {
		t.Errorf("want %d request lines:\n%s", n, got)
	}
	if !strings.Contains(got, "internal error") {
		t.Errorf("the 500 was not logged:\n%s", got)
	}
	for _, s := range secrets {
		if strings.Contains(got, s) {
			t.Errorf("the log holds the secret %q:\n%s", s, got)
		}
	}
	for _, s := range []string{"Authorization", "Bearer", "Basic"} {
		if strings.Contains(got, s) {
			t.Errorf("the log mentions %q:\n%s", s, got)
		}
	}
	if format == "json" {
		for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
			var v map[string]any
			if err := json.Unmarshal([]byte(line), &v); err != nil {
				t.Errorf("not a JSON line: %s", line)
			}
			if v["msg"] == "request" {
				for _, k := range []string{"method", "pattern", "status", "duration", "bytes", "request_id"} {
					if _, ok := v[k]; !ok {
						t.Errorf("request line without %s: %s", k, line)
					}
				}
			}
		}
	}
}

func TestRequestID(t *testing.T) {
	e := oEnv(t, openSQLite, api.Config{})
	get := func(id string) string {
		req, _ := http.NewRequest("GET", e.srv.URL+"/healthz", nil)
		if id != "" {
			req.Header.Set("X-Request-Id", id)
		}
		return e.send(req).Header.Get("X-Request-Id")
	}
	if got := get("abc-123_XYZ.9:0"); got != "abc-123_XYZ.9:0" {
		t.Errorf("a sane id was not echoed: %q", got)
	}
	for _, bad := range []string{"", strings.Repeat("a", 65), "has space", "nl\u00e9", `a"b`, "a<b>", "a=b"} {
		got := get(bad)
		if got == bad || len(got) != 24 {
			t.Errorf("X-Request-Id %q answered with %q, want a generated one", bad, got)
		}
	}
	if get("") == get("") {
		t.Error("two generated ids are equal")
	}
}
