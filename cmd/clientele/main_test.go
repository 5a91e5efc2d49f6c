package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/argon2id"
	"github.com/clientele/clientele/sqlite"
)

// cTimeout bounds every single command the tests run.
const cTimeout = 60 * time.Second

// cTokenPattern matches an API token secret.
var cTokenPattern = regexp.MustCompile(`clt_[A-Za-z0-9]+`)

// cResult is what one in-process run of the program did.
type cResult struct {
	stdout, stderr string
	err            error
}

// cEnv returns a getenv over vars; every other variable is unset.
func cEnv(vars map[string]string) func(string) string {
	return func(key string) string { return vars[key] }
}

// cRun runs the program in-process with args and the environment vars.
func cRun(t *testing.T, vars map[string]string, args ...string) cResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, args, cEnv(vars), &stdout, &stderr)
	return cResult{stdout: stdout.String(), stderr: stderr.String(), err: err}
}

// cMust fails the test unless the run succeeded.
func (r cResult) cMust(t *testing.T) cResult {
	t.Helper()
	if r.err != nil {
		t.Fatalf("run failed: %v\nstdout: %s\nstderr: %s", r.err, r.stdout, r.stderr)
	}
	return r
}

// cFails fails the test unless the run failed and printed nothing on stdout.
func (r cResult) cFails(t *testing.T, wantInErr string) cResult {
	t.Helper()
	if r.err == nil {
		t.Fatalf("run succeeded, want an error containing %q\nstdout: %s", wantInErr, r.stdout)
	}
	if !strings.Contains(r.err.Error(), wantInErr) {
		t.Errorf("error %q does not contain %q", r.err, wantInErr)
	}
	if r.stdout != "" {
		t.Errorf("a failed run printed on stdout: %q", r.stdout)
	}
	return r
}

// cOpen opens the data directory's database as the server would, with a
// cheap password hasher.
func cOpen(t *testing.T, dir string) (*clientele.Service, clientele.Store) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "clientele.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	hasher := argon2id.New(argon2id.Params{MemoryKiB: 64, Time: 1, Threads: 1}, 2)
	return clientele.NewService(db, hasher), db
}

// cProvisioned is the exact shape of `company create --json`.
type cProvisioned struct {
	Company struct {
		ID   string `json:"id"`
		Slug string `json:"slug"`
		Name string `json:"name"`
	} `json:"company"`
	User struct {
		ID    string `json:"id"`
		Email string `json:"email"`
	} `json:"user"`
	Token string `json:"token"`
}

// cKeys returns the sorted keys of a JSON object.
func cKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// cOneObject decodes out as exactly one JSON object (and nothing else but
// white space) into a raw map and, with unknown fields disallowed, into v.
func cOneObject(t *testing.T, out string, v any) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		t.Fatalf("stdout is not a JSON object: %v\n%s", err, out)
	}
	if rest := strings.TrimSpace(out[dec.InputOffset():]); rest != "" {
		t.Fatalf("stdout holds more than one JSON object; after it: %q", rest)
	}
	strict := json.NewDecoder(strings.NewReader(out))
	strict.DisallowUnknownFields()
	if err := strict.Decode(v); err != nil {
		t.Fatalf("stdout does not decode strictly: %v\n%s", err, out)
	}
	return raw
}

// cCreateCompany runs `company create --json` and checks its output's shape.
func cCreateCompany(t *testing.T, dir, slug string) cProvisioned {
	t.Helper()
	r := cRun(t, nil, "company", "create", "--data-dir", dir, "--name", "Company "+slug, "--slug", slug,
		"--admin-email", "admin@"+slug+".example", "--admin-name", "Admin "+slug, "--json").cMust(t)
	var p cProvisioned
	raw := cOneObject(t, r.stdout, &p)
	cCheckProvisionedKeys(t, raw)
	return p
}

// cCheckProvisionedKeys checks the exact key set of a provisioning answer.
func cCheckProvisionedKeys(t *testing.T, raw map[string]any) {
	t.Helper()
	if got, want := cKeys(raw), []string{"company", "token", "user"}; !reflect.DeepEqual(got, want) {
		t.Errorf("top-level keys %v, want %v", got, want)
	}
	company, ok := raw["company"].(map[string]any)
	if !ok {
		t.Fatalf("company is %T, want an object", raw["company"])
	}
	if got, want := cKeys(company), []string{"id", "name", "slug"}; !reflect.DeepEqual(got, want) {
		t.Errorf("company keys %v, want %v", got, want)
	}
	user, ok := raw["user"].(map[string]any)
	if !ok {
		t.Fatalf("user is %T, want an object", raw["user"])
	}
	if got, want := cKeys(user), []string{"email", "id"}; !reflect.DeepEqual(got, want) {
		t.Errorf("user keys %v, want %v", got, want)
	}
	for _, v := range []any{company["id"], company["slug"], company["name"], user["id"], user["email"], raw["token"]} {
		if _, ok := v.(string); !ok {
			t.Errorf("value %v is %T, want a string", v, v)
		}
	}
}

// cID parses a rendered id.
func cID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		t.Fatalf("id %q is not a positive integer", s)
	}
	return id
}

// cAuth authenticates secret against the data directory's database.
func cAuth(t *testing.T, svc *clientele.Service, secret string) clientele.Actor {
	t.Helper()
	a, err := svc.Authenticate(context.Background(), secret)
	if err != nil {
		t.Fatalf("token %.8s… does not authenticate: %v", secret, err)
	}
	return a
}

func TestCompanyCreateJSON(t *testing.T) {
	dir := t.TempDir()
	r := cRun(t, nil, "company", "create", "--data-dir", dir, "--name", "  Acme GmbH ", "--slug", "acme",
		"--admin-email", "ada@acme.example", "--admin-name", "Ada Admin", "--json").cMust(t)
	var p cProvisioned
	raw := cOneObject(t, r.stdout, &p)
	cCheckProvisionedKeys(t, raw)
	if p.Company.Slug != "acme" || p.Company.Name != "Acme GmbH" || p.User.Email != "ada@acme.example" {
		t.Errorf("got %+v", p)
	}
	if !strings.HasPrefix(p.Token, clientele.TokenPrefix) || !cTokenPattern.MatchString(p.Token) {
		t.Errorf("token %q does not look like an API token", p.Token)
	}
	if strings.Contains(r.stderr, p.Token) {
		t.Error("the token was written to stderr")
	}

	svc, store := cOpen(t, dir)
	a := cAuth(t, svc, p.Token)
	if a.CompanyID != cID(t, p.Company.ID) || a.UserID != cID(t, p.User.ID) || a.Role != clientele.RoleAdmin {
		t.Errorf("token authenticates as %+v, want company %s user %s admin", a, p.Company.ID, p.User.ID)
	}
	c, err := svc.Company(context.Background(), a)
	if err != nil || c.Slug != "acme" || c.Name != "Acme GmbH" {
		t.Errorf("company %+v, %v", c, err)
	}
	err = store.Read(context.Background(), func(tx clientele.Tx) error {
		u, err := tx.User(context.Background(), a.CompanyID, a.UserID)
		if err != nil {
			return err
		}
		if u.FullName != "Ada Admin" || u.Email != "ada@acme.example" || u.Role != clientele.RoleAdmin {
			t.Errorf("admin %+v", u)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCompanyCreateText(t *testing.T) {
	dir := t.TempDir()
	r := cRun(t, nil, "company", "create", "--data-dir", dir, "--name", "Acme", "--slug", "acme",
		"--admin-email", "ada@acme.example", "--admin-name", "Ada").cMust(t)
	secrets := cTokenPattern.FindAllString(r.stdout, -1)
	if len(secrets) != 1 {
		t.Fatalf("want one token in %q", r.stdout)
	}
	if json.Valid([]byte(r.stdout)) {
		t.Errorf("without --json the output is JSON: %q", r.stdout)
	}
	svc, _ := cOpen(t, dir)
	cAuth(t, svc, secrets[0])
}

// cNoCompany fails unless the data directory holds no company at all.
func cNoCompany(t *testing.T, dir string) {
	t.Helper()
	_, store := cOpen(t, dir)
	err := store.Read(context.Background(), func(tx clientele.Tx) error {
		has, err := tx.HasCompanies(context.Background())
		if has {
			t.Error("a company was created")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCompanyCreateInvalid(t *testing.T) {
	valid := map[string]string{"--name": "Acme", "--slug": "acme", "--admin-email": "ada@acme.example", "--admin-name": "Ada"}
	for _, tc := range []struct {
		name, flag, value, wantInErr string
	}{
		{"upper-case slug", "--slug", "Acme", "slug"},
		{"slug with space", "--slug", "ac me", "slug"},
		{"slug with trailing hyphen", "--slug", "acme-", "slug"},
		{"slug too long", "--slug", strings.Repeat("a", 64), "slug"},
		{"empty slug", "--slug", "", "slug"},
		{"empty name", "--name", "  ", "name"},
		{"bad admin e-mail", "--admin-email", "not-an-email", "mail"},
		{"empty admin name", "--admin-name", "", "name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"company", "create", "--data-dir", dir, "--json"}
			for _, f := range []string{"--name", "--slug", "--admin-email", "--admin-name"} {
				v := valid[f]
				if f == tc.flag {
					v = tc.value
				}
				args = append(args, f, v)
			}
			cRun(t, nil, args...).cFails(t, tc.wantInErr)
			cNoCompany(t, dir)
		})
	}
	t.Run("no flags", func(t *testing.T) {
		dir := t.TempDir()
		cRun(t, nil, "company", "create", "--data-dir", dir).cFails(t, "")
		cNoCompany(t, dir)
	})
}

func TestCompanyCreateDuplicateSlug(t *testing.T) {
	dir := t.TempDir()
	first := cCreateCompany(t, dir, "acme")
	cRun(t, nil, "company", "create", "--data-dir", dir, "--name", "Other", "--slug", "acme",
		"--admin-email", "eve@other.example", "--admin-name", "Eve", "--json").cFails(t, "slug")

	svc, store := cOpen(t, dir)
	a := cAuth(t, svc, first.Token)
	ctx := context.Background()
	err := store.Read(ctx, func(tx clientele.Tx) error {
		c, err := tx.CompanyBySlug(ctx, "acme")
		if err != nil {
			return err
		}
		if c.ID != a.CompanyID || c.Name != "Company acme" {
			t.Errorf("company acme is now %+v", c)
		}
		users, err := tx.Users(ctx, c.ID, clientele.UserQuery{Page: clientele.Page{Limit: 100}})
		if err != nil {
			return err
		}
		if len(users) != 1 || users[0].Email != "admin@acme.example" {
			t.Errorf("users of acme: %+v", users)
		}
		tokens, err := tx.Tokens(ctx, c.ID, clientele.TokenQuery{Page: clientele.Page{Limit: 100}})
		if err != nil {
			return err
		}
		if len(tokens) != 1 {
			t.Errorf("acme has %d tokens, want 1", len(tokens))
		}
		// No user, token or company of the failed attempt exists anywhere:
		// ids are allocated in order, so a leftover would have the next id.
		if _, err := tx.Company(ctx, c.ID+1); !clientele.IsNotFound(err) {
			t.Errorf("company %d exists after the failed create (%v)", c.ID+1, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Same slug with surrounding white space is the same slug.
	cRun(t, nil, "company", "create", "--data-dir", dir, "--name", "Other", "--slug", " acme ",
		"--admin-email", "eve@other.example", "--admin-name", "Eve").cFails(t, "")
	// Another slug still works, with the same admin e-mail as another company.
	second := cCreateCompany(t, dir, "acme-2")
	if second.Company.ID == first.Company.ID {
		t.Errorf("two companies share id %s", first.Company.ID)
	}
}

func TestTokenCreate(t *testing.T) {
	dir := t.TempDir()
	p := cCreateCompany(t, dir, "acme")

	r := cRun(t, nil, "token", "create", "--data-dir", dir, "--company", "acme", "--user", "admin@acme.example",
		"--name", "CI deploy", "--json").cMust(t)
	var out struct {
		ID    string `json:"id"`
		Token string `json:"token"`
	}
	raw := cOneObject(t, r.stdout, &out)
	if got, want := cKeys(raw), []string{"id", "token"}; !reflect.DeepEqual(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	for k, v := range raw {
		if _, ok := v.(string); !ok {
			t.Errorf("%s is %T, want a string", k, v)
		}
	}
	if !strings.HasPrefix(out.Token, clientele.TokenPrefix) || out.Token == p.Token {
		t.Errorf("token %q", out.Token)
	}

	svc, store := cOpen(t, dir)
	a := cAuth(t, svc, out.Token)
	if a.TokenID != cID(t, out.ID) || a.UserID != cID(t, p.User.ID) || a.CompanyID != cID(t, p.Company.ID) {
		t.Errorf("new token authenticates as %+v; output %+v, company %+v", a, out, p)
	}
	cAuth(t, svc, p.Token) // the first token still works
	ctx := context.Background()
	if err := store.Read(ctx, func(tx clientele.Tx) error {
		tok, err := tx.Token(ctx, a.CompanyID, a.TokenID)
		if err == nil && tok.Name != "CI deploy" {
			t.Errorf("token name %q, want %q", tok.Name, "CI deploy")
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}

	// The e-mail matches case-insensitively, as everywhere else; without
	// --json a line with the token is printed.
	r = cRun(t, nil, "token", "create", "--data-dir", dir, "--company", "acme", "--user", "Admin@ACME.example").cMust(t)
	secrets := cTokenPattern.FindAllString(r.stdout, -1)
	if len(secrets) != 1 {
		t.Fatalf("want one token in %q", r.stdout)
	}
	cAuth(t, svc, secrets[0])
}

func TestTokenCreateUnknown(t *testing.T) {
	dir := t.TempDir()
	cCreateCompany(t, dir, "acme")
	cCreateCompany(t, dir, "other")
	for _, tc := range []struct{ name, company, user string }{
		{"unknown company", "nope", "admin@acme.example"},
		{"unknown user", "acme", "nobody@acme.example"},
		{"user of another company", "acme", "admin@other.example"},
		{"no company", "", "admin@acme.example"},
		{"no user", "acme", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cRun(t, nil, "token", "create", "--data-dir", dir, "--company", tc.company, "--user", tc.user, "--json").cFails(t, "")
		})
	}
	_, store := cOpen(t, dir)
	ctx := context.Background()
	if err := store.Read(ctx, func(tx clientele.Tx) error {
		for _, slug := range []string{"acme", "other"} {
			c, err := tx.CompanyBySlug(ctx, slug)
			if err != nil {
				return err
			}
			tokens, err := tx.Tokens(ctx, c.ID, clientele.TokenQuery{Page: clientele.Page{Limit: 100}})
			if err != nil {
				return err
			}
			if len(tokens) != 1 {
				t.Errorf("%s has %d tokens after failed creates, want 1", slug, len(tokens))
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestMigrateIdempotent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "data")
	for i := range 3 {
		r := cRun(t, nil, "migrate", "--data-dir", dir).cMust(t)
		if !strings.Contains(r.stdout, "migrations applied") {
			t.Errorf("run %d printed %q", i, r.stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "clientele.db")); err != nil {
		t.Fatal(err)
	}
	p := cCreateCompany(t, dir, "acme")
	cRun(t, nil, "migrate", "--data-dir", dir).cMust(t)
	cRun(t, nil, "migrate", "--data-dir", dir).cMust(t)
	svc, _ := cOpen(t, dir)
	cAuth(t, svc, p.Token) // data survives further migrations
}

func TestEnvFallback(t *testing.T) {
	envDir, flagDir := t.TempDir(), t.TempDir()
	vars := map[string]string{"CLIENTELE_DATA_DIR": envDir}

	r := cRun(t, vars, "company", "create", "--name", "Acme", "--slug", "acme",
		"--admin-email", "ada@acme.example", "--admin-name", "Ada", "--json").cMust(t)
	var p cProvisioned
	cOneObject(t, r.stdout, &p)
	svc, _ := cOpen(t, envDir)
	cAuth(t, svc, p.Token)

	cRun(t, vars, "token", "create", "--company", "acme", "--user", "ada@acme.example").cMust(t)

	// The flag wins over the variable.
	r = cRun(t, vars, "company", "create", "--data-dir", flagDir, "--name", "Beta", "--slug", "beta",
		"--admin-email", "bob@beta.example", "--admin-name", "Bob", "--json").cMust(t)
	var q cProvisioned
	cOneObject(t, r.stdout, &q)
	svcFlag, _ := cOpen(t, flagDir)
	cAuth(t, svcFlag, q.Token)
	if _, err := svc.Authenticate(context.Background(), q.Token); err == nil {
		t.Error("--data-dir was ignored: the company landed in CLIENTELE_DATA_DIR")
	}
	// The token command of the variable's directory does not see beta.
	cRun(t, vars, "token", "create", "--company", "beta", "--user", "bob@beta.example").cFails(t, "")

	// CLIENTELE_DATABASE_URL is read too: a URL that is not postgres:// is refused.
	cRun(t, map[string]string{"CLIENTELE_DATA_DIR": envDir, "CLIENTELE_DATABASE_URL": "mysql://x"}, "migrate").cFails(t, "database-url")
}

func TestDefaultDataDir(t *testing.T) {
	wd := t.TempDir()
	t.Chdir(wd)
	cRun(t, nil, "migrate").cMust(t)
	if _, err := os.Stat(filepath.Join(wd, "clientele-data", "clientele.db")); err != nil {
		t.Fatalf("no database in ./clientele-data: %v", err)
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name      string
		args      []string
		wantInErr string
	}{
		{"no command", nil, "no command"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"company without verb", []string{"company"}, "unknown command"},
		{"company unknown verb", []string{"company", "delete", "--slug", "acme"}, "unknown command"},
		{"token without verb", []string{"token"}, "unknown command"},
		{"migrate stray arg", []string{"migrate", "--data-dir", dir, "now"}, "unexpected argument"},
		{"migrate unknown flag", []string{"migrate", "--data-dir", dir, "--force"}, "force"},
		{"company create stray arg", []string{"company", "create", "--data-dir", dir, "--name", "Acme", "--slug", "acme",
			"--admin-email", "ada@acme.example", "--admin-name", "Ada", "extra"}, "unexpected argument"},
		{"company create unknown flag", []string{"company", "create", "--data-dir", dir, "--name", "Acme", "--slug", "acme",
			"--admin-email", "ada@acme.example", "--admin-name", "Ada", "--admin-phone", "1"}, "admin-phone"},
		{"token create stray arg", []string{"token", "create", "--data-dir", dir, "--company", "acme",
			"--user", "ada@acme.example", "x"}, "unexpected argument"},
		{"serve stray arg", []string{"serve", "--data-dir", dir, "--addr", "127.0.0.1:0", "now"}, "unexpected argument"},
		{"serve bad log level", []string{"serve", "--data-dir", dir, "--addr", "127.0.0.1:0", "--log-level", "loud"}, "log-level"},
		{"serve bad log format", []string{"serve", "--data-dir", dir, "--addr", "127.0.0.1:0", "--log-format", "xml"}, "log-format"},
		{"serve on an unreachable PostgreSQL", []string{"serve", "--addr", "127.0.0.1:0", "--database-url", "postgres://127.0.0.1:1/x?connect_timeout=2"}, "127.0.0.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cRun(t, nil, tc.args...).cFails(t, tc.wantInErr)
		})
	}
	// None of the failed commands created a company (the stray-argument
	// company create in particular).
	if _, err := os.Stat(filepath.Join(dir, "clientele.db")); err == nil {
		cNoCompany(t, dir)
	}
	r := cRun(t, nil, "help").cMust(t)
	if !strings.Contains(r.stdout, "company create") {
		t.Errorf("help printed %q", r.stdout)
	}
}

// cSyncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type cSyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *cSyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *cSyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// cWaitFor polls until s() matches re and returns the first submatch (or
// the match), failing the test after timeout.
func cWaitFor(t *testing.T, what string, timeout time.Duration, s func() string, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		out := s()
		if m := re.FindStringSubmatch(out); m != nil {
			return m[len(m)-1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s; output so far:\n%s", timeout, what, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var cListening = regexp.MustCompile(`Listening on http://(\S+)\n`)
