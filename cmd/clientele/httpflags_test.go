package main

import (
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeShutdownDeadline: a request that outlives --shutdown-timeout is
// cut, and serve still ends cleanly (exit 0) soon after the deadline.
func TestServeShutdownDeadline(t *testing.T) {
	dir := t.TempDir()
	s := cStartInProcess(t, dir, nil, "--addr", "127.0.0.1:0", "--data-dir", dir, "--shutdown-timeout", "300ms")
	token := cTokenPattern.FindString(s.Stdout())
	finish := cSlowPost(t, s.Addr(), token, "Never Finished Ltd")
	time.Sleep(300 * time.Millisecond) // let the server read the headers
	start := time.Now()
	s.Stop()
	if err := s.Wait(t, cTimeout); err != nil {
		t.Fatalf("serve ended with %v, want a clean exit\n%s", err, s.Stderr())
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("serve took %v to stop with a 300ms deadline", took)
	}
	cWaitFor(t, "the deadline log line", cTimeout, s.Stderr, regexp.MustCompile(`shutdown deadline passed`))
	if status, _, err := finish(); err == nil && status == http.StatusCreated {
		t.Errorf("the request cut at the deadline was acknowledged")
	}
}

func TestServeHTTPFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--rate-limit", "lots"}, "--rate-limit"},
		{[]string{"--rate-limit-anon", "10/0s"}, "--rate-limit-anon"},
		{[]string{"--rate-limit-portal-login", "1/1ms"}, "--rate-limit-portal-login"},
		{[]string{"--trusted-proxies", "10.0.0.0/33"}, "--trusted-proxies"},
		{[]string{"--max-in-flight", "-1"}, "--max-in-flight"},
		{[]string{"--read-timeout", "0s"}, "--read-timeout"},
		{[]string{"--shutdown-timeout", "soon"}, "--shutdown-timeout"},
	} {
		r := cRun(t, nil, append([]string{"serve", "--data-dir", t.TempDir(), "--addr", "127.0.0.1:0"}, c.args...)...)
		if r.err == nil || !strings.Contains(r.err.Error(), c.want) {
			t.Errorf("serve %v: %v, want an error naming %s", c.args, r.err, c.want)
		}
	}
	// The environment sets the same; a bad value is refused as well.
	r := cRun(t, map[string]string{"CLIENTELE_RATE_LIMIT": "nope"}, "serve", "--data-dir", t.TempDir(), "--addr", "127.0.0.1:0")
	if r.err == nil || !strings.Contains(r.err.Error(), "--rate-limit") {
		t.Errorf("CLIENTELE_RATE_LIMIT=nope: %v", r.err)
	}
}

// TestServeRateLimitFlag: --rate-limit reaches the server (429 past it, with
// the RateLimit headers), and /metrics counts it.
func TestServeRateLimitFlag(t *testing.T) {
	dir := t.TempDir()
	s := cStartInProcess(t, dir, map[string]string{"CLIENTELE_RATE_LIMIT_ANON": "2/1m"},
		"--addr", "127.0.0.1:0", "--data-dir", dir, "--rate-limit", "2/1m")
	base := "http://" + s.Addr()
	token := cTokenPattern.FindString(s.Stdout())
	var last *http.Response
	for range 3 {
		req, _ := http.NewRequest("GET", base+"/api/v1/company", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := cHTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		last = res
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") != "30" ||
		last.Header.Get("RateLimit-Policy") != `"token";q=2;w=60` {
		t.Errorf("third request: %d %v", last.StatusCode, last.Header)
	}
	for range 2 {
		cDo(t, "GET", base+"/api/v1/company", "", "")
	}
	if status, _ := cDo(t, "GET", base+"/api/v1/company", "", ""); status != http.StatusTooManyRequests {
		t.Errorf("third anonymous request: %d", status)
	}
	_, body := cDo(t, "GET", base+"/metrics", "", "")
	for _, want := range []string{`clientele_rate_limited_total{policy="token"} 1`, `clientele_rate_limited_total{policy="anon"} 1`,
		`clientele_db_pool_max_connections{pool="write"} 1`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestServeHeaderLimits: headers past 64 KiB are refused with 431, and a
// client that never finishes its headers is cut at --read-header-timeout.
func TestServeHeaderLimits(t *testing.T) {
	dir := t.TempDir()
	s := cStartInProcess(t, dir, nil, "--addr", "127.0.0.1:0", "--data-dir", dir, "--read-header-timeout", "200ms")
	req, _ := http.NewRequest("GET", "http://"+s.Addr()+"/healthz", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 100<<10))
	res, err := cHTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("100 KiB of headers: %d, want 431", res.StatusCode)
	}

	conn, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n") // and never the blank line
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	start := time.Now()
	buf := make([]byte, 512)
	for {
		if _, err := conn.Read(buf); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("the server kept a connection with unfinished headers for 10 s")
			}
			break // closed by the server
		}
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("cut after %v, want about 200ms", took)
	}
}
