package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// cServer is a running `clientele serve`, in-process or as a child process.
type cServer interface {
	Addr() string   // host:port it listens on
	Stdout() string // what it printed so far
	Stderr() string // its log so far
	Stop()          // asks it to shut down (context cancel or SIGTERM)
	// Wait waits up to timeout for it to end and returns its error (nil
	// for exit code 0); it fails the test on timeout.
	Wait(t *testing.T, timeout time.Duration) error
}

// cInProcess is `run(ctx, "serve", …)` in a goroutine.
type cInProcess struct {
	addr           string
	stdout, stderr *cSyncBuffer
	cancel         context.CancelFunc
	done           chan error
}

func (s *cInProcess) Addr() string   { return s.addr }
func (s *cInProcess) Stdout() string { return s.stdout.String() }
func (s *cInProcess) Stderr() string { return s.stderr.String() }
func (s *cInProcess) Stop()          { s.cancel() }
func (s *cInProcess) Wait(t *testing.T, timeout time.Duration) error {
	t.Helper()
	select {
	case err := <-s.done:
		s.done <- err // keep it for the cleanup
		return err
	case <-time.After(timeout):
		t.Fatalf("serve did not return within %v; log:\n%s", timeout, s.Stderr())
		return nil
	}
}

// cStartInProcess starts serve on a free port of 127.0.0.1 over dir, with
// the environment vars, and waits until it listens.
func cStartInProcess(t *testing.T, dir string, vars map[string]string, args ...string) cServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &cInProcess{stdout: &cSyncBuffer{}, stderr: &cSyncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	if len(args) == 0 {
		// No rate limit: the scenario writes as fast as it can for a while.
		args = []string{"--addr", "127.0.0.1:0", "--data-dir", dir, "--rate-limit", "0"}
	}
	go func() { s.done <- run(ctx, append([]string{"serve"}, args...), cEnv(vars), s.stdout, s.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(cTimeout):
			t.Errorf("serve did not stop within %v", cTimeout)
		}
	})
	s.addr = cWaitListening(t, s, func() error {
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("serve returned early: %v", err)
		default:
			return nil
		}
	})
	return s
}

// cWaitListening waits until s prints its address, failing early when
// exited reports that it ended.
func cWaitListening(t *testing.T, s cServer, exited func() error) string {
	t.Helper()
	deadline := time.Now().Add(cTimeout)
	for {
		if m := cListening.FindStringSubmatch(s.Stdout()); m != nil {
			return m[1]
		}
		if err := exited(); err != nil {
			t.Fatalf("%v\nstdout: %s\nstderr: %s", err, s.Stdout(), s.Stderr())
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no address within %v\nstdout: %s\nstderr: %s", cTimeout, s.Stdout(), s.Stderr())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cHTTP is the client of the serve tests: every request is bounded.
var cHTTP = &http.Client{Timeout: 20 * time.Second}

// cDo sends a request with an optional JSON:API body and Bearer token and
// returns the status and body.
func cDo(t *testing.T, method, url, token, body string) (int, []byte) {
	t.Helper()
	status, raw, err := cTry(method, url, token, body)
	if err != nil {
		t.Fatal(err)
	}
	return status, raw
}

// cTry is cDo that returns its error instead of failing the test, for use
// outside the test's goroutine.
func cTry(method, url, token, body string) (int, []byte, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/vnd.api+json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := cHTTP.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	return res.StatusCode, raw, err
}

// cCompanySlug returns the slug GET /api/v1/company answers for token.
func cCompanySlug(t *testing.T, base, token string) string {
	t.Helper()
	status, body := cDo(t, "GET", base+"/api/v1/company", token, "")
	if status != http.StatusOK {
		t.Fatalf("GET /api/v1/company: %d %s", status, body)
	}
	var doc struct {
		Data struct {
			Type       string `json:"type"`
			Attributes struct {
				Slug string `json:"slug"`
			} `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Data.Type != "companies" {
		t.Fatalf("GET /api/v1/company: %v: %s", err, body)
	}
	return doc.Data.Attributes.Slug
}

func cClientDoc(name string) string {
	return fmt.Sprintf(`{"data":{"type":"clients","attributes":{"name":%q}}}`, name)
}

// cSlowPost opens a connection to addr and sends the headers and the first
// bytes of a POST /api/v1/clients, so that the request is in flight; finish
// sends the rest of the body and returns the response's status and body.
func cSlowPost(t *testing.T, addr, token, name string) (finish func() (int, string, error)) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(cTimeout))
	body := cClientDoc(name)
	head := fmt.Sprintf("POST /api/v1/clients HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/vnd.api+json\r\nContent-Length: %d\r\n\r\n", addr, token, len(body))
	if _, err := io.WriteString(conn, head+body[:10]); err != nil {
		t.Fatal(err)
	}
	return func() (int, string, error) {
		if _, err := io.WriteString(conn, body[10:]); err != nil {
			return 0, "", fmt.Errorf("sending the rest of the body: %w", err)
		}
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			return 0, "", fmt.Errorf("reading the response: %w", err)
		}
		defer res.Body.Close()
		raw, err := io.ReadAll(res.Body)
		return res.StatusCode, string(raw), err
	}
}

// cWaitRefused waits until addr refuses new connections.
func cWaitRefused(t *testing.T, addr string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatalf("%s still accepts connections %v after shutdown began", addr, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var cShuttingDown = regexp.MustCompile(`(shutting down)`)

// cServeScenario is the life of a server over one data directory: the first
// start creates the demo company and prints its token once, the token works,
// a company created by `company create` (provision) while the server runs
// works against it, stopping drains an in-flight request and ends cleanly,
// and a second start prints no token and still has the data.
func cServeScenario(t *testing.T, start func(t *testing.T, dir string) cServer,
	provision func(t *testing.T, dir, slug string) cProvisioned) {
	dir := t.TempDir()
	s := start(t, dir)
	base := "http://" + s.Addr()

	secrets := cTokenPattern.FindAllString(s.Stdout(), -1)
	if len(secrets) != 1 {
		t.Fatalf("first start printed %d tokens, want 1:\n%s", len(secrets), s.Stdout())
	}
	demo := secrets[0]
	if got := cCompanySlug(t, base, demo); got != "demo" {
		t.Errorf("the printed token belongs to company %q, want demo", got)
	}
	if status, body := cDo(t, "GET", base+"/api/v1/company", "", ""); status != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/company without a token: %d %s", status, body)
	}
	if status, body := cDo(t, "GET", base+"/healthz", "", ""); status != http.StatusOK {
		t.Errorf("GET /healthz: %d %s", status, body)
	}

	// company create while the server runs, with the server writing at the same time.
	stopWrites := make(chan struct{})
	var writes sync.WaitGroup
	var writeErrs []string
	var mu sync.Mutex
	writes.Add(1)
	go func() {
		defer writes.Done()
		for i := 0; ; i++ {
			select {
			case <-stopWrites:
				return
			default:
			}
			status, body, err := cTry("POST", base+"/api/v1/clients", demo, cClientDoc(fmt.Sprintf("Busy %d", i)))
			if err != nil || status != http.StatusCreated {
				mu.Lock()
				writeErrs = append(writeErrs, fmt.Sprintf("%d %v %s", status, err, body))
				mu.Unlock()
				return
			}
		}
	}()
	p := provision(t, dir, "beta")
	close(stopWrites)
	writes.Wait()
	if len(writeErrs) > 0 {
		t.Errorf("server writes during company create failed: %v", writeErrs)
	}
	if got := cCompanySlug(t, base, p.Token); got != "beta" {
		t.Errorf("the new company's token belongs to %q, want beta", got)
	}
	if got := cCompanySlug(t, base, demo); got != "demo" {
		t.Errorf("after company create the demo token belongs to %q", got)
	}

	// Stop with a request in flight: it completes, then the server ends cleanly.
	finish := cSlowPost(t, s.Addr(), demo, "Slow Ltd")
	time.Sleep(300 * time.Millisecond) // let the server accept and read the headers
	s.Stop()
	cWaitFor(t, "the shutdown log line", cTimeout, s.Stderr, cShuttingDown)
	cWaitRefused(t, s.Addr(), 10*time.Second)
	status, body, err := finish()
	if err != nil || status != http.StatusCreated {
		t.Errorf("the in-flight request: status %d, err %v, body %s", status, err, body)
	}
	if err := s.Wait(t, cTimeout); err != nil {
		t.Errorf("serve ended with %v, want a clean exit\nlog:\n%s", err, s.Stderr())
	}
	for _, secret := range []string{demo, p.Token} {
		if strings.Contains(s.Stderr(), secret) {
			t.Errorf("a token appears in the log")
		}
	}

	// Second start: no new demo company, no token; the data is there.
	s2 := start(t, dir)
	if m := cTokenPattern.FindString(s2.Stdout()); m != "" || strings.Contains(s2.Stdout(), "API token") {
		t.Errorf("second start printed a token:\n%s", s2.Stdout())
	}
	base2 := "http://" + s2.Addr()
	if got := cCompanySlug(t, base2, demo); got != "demo" {
		t.Errorf("after restart the demo token belongs to %q", got)
	}
	status2, list := cDo(t, "GET", base2+"/api/v1/clients?filter[id]="+cCreatedID(t, body), demo, "")
	if status2 != http.StatusOK || !strings.Contains(string(list), "Slow Ltd") {
		t.Errorf("the drained request's client is missing after restart: %d %s", status2, list)
	}
	s2.Stop()
	if err := s2.Wait(t, cTimeout); err != nil {
		t.Errorf("second serve ended with %v", err)
	}
}

// cCreatedID returns data.id of a create response body ("0" when absent).
func cCreatedID(t *testing.T, body string) string {
	t.Helper()
	var doc struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if json.Unmarshal([]byte(body), &doc) != nil || doc.Data.ID == "" {
		return "0"
	}
	return doc.Data.ID
}

func TestServeInProcess(t *testing.T) {
	cServeScenario(t,
		func(t *testing.T, dir string) cServer { return cStartInProcess(t, dir, nil) },
		cCreateCompany)
}

func TestServeEnv(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"CLIENTELE_ADDR": "127.0.0.1:0", "CLIENTELE_DATA_DIR": dir,
		"CLIENTELE_LOG_LEVEL": "debug", "CLIENTELE_LOG_FORMAT": "json"}
	s := cStartInProcess(t, dir, vars, "--shutdown-timeout", "5s")
	secrets := cTokenPattern.FindAllString(s.Stdout(), -1)
	if len(secrets) != 1 {
		t.Fatalf("printed %d tokens:\n%s", len(secrets), s.Stdout())
	}
	cCompanySlug(t, "http://"+s.Addr(), secrets[0])
	// The database is in CLIENTELE_DATA_DIR.
	svc, _ := cOpen(t, dir)
	cAuth(t, svc, secrets[0])
	// CLIENTELE_LOG_FORMAT=json: every log line is a JSON object.
	s.Stop()
	if err := s.Wait(t, cTimeout); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(s.Stderr()), "\n")
	if len(lines) == 0 || lines[0] == "" {
		t.Fatal("no log lines")
	}
	for _, line := range lines {
		if !json.Valid([]byte(line)) {
			t.Errorf("log line is not JSON: %s", line)
		}
	}
	// The request log line names the path pattern and the status.
	if !strings.Contains(s.Stderr(), `/api/v1/company`) {
		t.Errorf("no request log line for /api/v1/company:\n%s", s.Stderr())
	}
}

func TestServeAddrInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := cRun(t, nil, "serve", "--data-dir", t.TempDir(), "--addr", ln.Addr().String())
	if r.err == nil {
		t.Fatal("serve on a busy address succeeded")
	}
}

// A first start that cannot listen must neither print the demo token nor
// create the demo company, or the newcomer's next start would show none.
func TestServeOnTakenPortCreatesNoDemo(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	dir := t.TempDir()
	cRun(t, nil, "serve", "--data-dir", dir, "--addr", taken.Addr().String()).cFails(t, "address already in use")
	cNoCompany(t, dir)
}

// TestServeCursorKey: serve seals page cursors with the key stored in the
// database, so a cursor made by one process opens on another process over
// the same database, and after a restart.
func TestServeCursorKey(t *testing.T) {
	dir := t.TempDir()
	a := cStartInProcess(t, dir, nil)
	secrets := cTokenPattern.FindAllString(a.Stdout(), -1)
	if len(secrets) != 1 {
		t.Fatalf("printed %d tokens:\n%s", len(secrets), a.Stdout())
	}
	token := secrets[0]
	for _, name := range []string{"Gamma", "Alpha", "Beta"} {
		if status, body := cDo(t, "POST", "http://"+a.Addr()+"/api/v1/clients", token, cClientDoc(name)); status != http.StatusCreated {
			t.Fatalf("POST /api/v1/clients: %d %s", status, body)
		}
	}
	status, body := cDo(t, "GET", "http://"+a.Addr()+"/api/v1/clients?page[size]=1&sort=name", token, "")
	var doc struct {
		Links struct{ Next string } `json:"links"`
	}
	if err := json.Unmarshal(body, &doc); status != http.StatusOK || err != nil || doc.Links.Next == "" {
		t.Fatalf("first page: %d %s", status, body)
	}
	names := func(s cServer) string {
		t.Helper()
		status, body := cDo(t, "GET", "http://"+s.Addr()+doc.Links.Next, token, "")
		var page struct {
			Data []struct {
				Attributes struct{ Name string } `json:"attributes"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &page); status != http.StatusOK || err != nil || len(page.Data) != 1 {
			t.Fatalf("links.next on another process: %d %s", status, body)
		}
		return page.Data[0].Attributes.Name
	}
	b := cStartInProcess(t, dir, nil)
	if got := names(b); got != "Beta" {
		t.Errorf("second process: the page after Alpha is %q, want Beta", got)
	}
	for _, s := range []cServer{a, b} {
		s.Stop()
		if err := s.Wait(t, cTimeout); err != nil {
			t.Fatal(err)
		}
	}
	if got := names(cStartInProcess(t, dir, nil)); got != "Beta" {
		t.Errorf("after a restart: the page after Alpha is %q, want Beta", got)
	}
}
