package api_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele"
)

const portalPassword = "correct horse battery"

// portalFixture is acme with a client ("Globex") whose contact Pat has
// portal access, a second contact Sam of the same client with access, a
// contact without access, and a sibling client with a contact with access.
type portalFixture struct {
	*env
	client, sibling         string
	pat, sam, noAccess, sib string
}

func newPortalFixture(t *testing.T, open openStore) *portalFixture {
	t.Helper()
	e := newEnv(t, open)
	f := &portalFixture{env: e}
	f.client = e.createClient(e.admin, map[string]any{"name": "Globex", "notes": "pays late", "default_rate": "120.00",
		"default_rate_type": "hour", "bank_name": "Big Bank", "iban": "DE89370400440532013000"})
	f.sibling = e.createClient(e.admin, map[string]any{"name": "Initech"})
	f.pat = e.createContact(e.admin, f.client, map[string]any{"first_name": "Pat", "email": "Pat@Globex.example",
		"notes": "internal remark", "portal_access": true, "password": portalPassword})
	f.sam = e.createContact(e.admin, f.client, map[string]any{"first_name": "Sam", "email": "sam@globex.example",
		"portal_access": true, "password": portalPassword})
	f.noAccess = e.createContact(e.admin, f.client, map[string]any{"first_name": "Nia", "email": "nia@globex.example",
		"password": portalPassword})
	f.sib = e.createContact(e.admin, f.sibling, map[string]any{"first_name": "Ira", "email": "ira@initech.example",
		"portal_access": true, "password": portalPassword})
	return f
}

func login(company, email, password string) map[string]any {
	return map[string]any{"company": company, "email": email, "password": password}
}

// login signs in and returns the response.
func (e *env) login(company, email, password string) *response {
	e.t.Helper()
	return e.do("POST", "/api/v1/portal/login", "", login(company, email, password))
}

// portalToken signs in with the portal password and returns the session token.
func (e *env) portalToken(email string) string {
	e.t.Helper()
	r := e.login("acme", email, portalPassword).want(http.StatusOK)
	tok, _ := r.json()["meta"].(map[string]any)["token"].(string)
	if !strings.HasPrefix(tok, clientele.PortalTokenPrefix) {
		e.t.Fatalf("login token %q lacks the prefix %q", tok, clientele.PortalTokenPrefix)
	}
	return tok
}

func TestPortalLogin(t *testing.T) { forEachEngine(t, testPortalLogin) }

func testPortalLogin(t *testing.T, open openStore) {
	t.Parallel()
	f := newPortalFixture(t, open)
	before := time.Now()
	r := f.login("acme", "  pat@GLOBEX.example ", portalPassword).want(http.StatusOK)
	if r.id() != f.pat || r.data()["type"] != "contacts" {
		t.Fatalf("login answered %s, want contact %s", r.Body, f.pat)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("login Cache-Control %q, want no-store", cc)
	}
	attrs := r.attrs()
	for _, hidden := range []string{"notes", "password", "password_hash"} {
		if _, ok := attrs[hidden]; ok {
			t.Errorf("the portal's contact shows %q: %s", hidden, r.Body)
		}
	}
	if attrs["first_name"] != "Pat" || attrs["portal_access"] != true {
		t.Errorf("login contact attributes %v", attrs)
	}
	if r.relID("client") != f.client {
		t.Errorf("login contact's client %q, want %s", r.relID("client"), f.client)
	}
	for _, secret := range []string{portalPassword, "$argon2id"} {
		if strings.Contains(string(r.Body), secret) {
			t.Errorf("login answer contains %q", secret)
		}
	}
	meta := r.json()["meta"].(map[string]any)
	exp, err := time.Parse(time.RFC3339, meta["expires_at"].(string))
	if err != nil || exp.Before(before.Add(clientele.PortalSessionTTL-time.Second)) || exp.After(time.Now().Add(clientele.PortalSessionTTL)) {
		t.Errorf("expires_at %v (%v), want 30 days from now", meta["expires_at"], err)
	}
	tok := meta["token"].(string)
	if !strings.HasPrefix(tok, clientele.PortalTokenPrefix) || len(tok) < len(clientele.PortalTokenPrefix)+26 {
		t.Errorf("token %q: want clp_ and at least 128 random bits", tok)
	}
	me := f.do("GET", "/api/v1/portal/me", tok, nil).want(http.StatusOK)
	if me.id() != f.pat || me.data()["links"].(map[string]any)["self"] != "/api/v1/portal/me" {
		t.Errorf("GET /portal/me: %s", me.Body)
	}
	// Basic with the token as user name works as for API tokens.
	f.iAuthDo("GET", "/api/v1/portal/me", iBasic(tok, "x"), nil).want(http.StatusOK)
	// Each login is a session of its own.
	if other := f.portalToken("pat@globex.example"); other == tok {
		t.Error("two logins share a token")
	}
}

func TestPortalLoginFailuresLookAlike(t *testing.T) {
	forEachEngine(t, testPortalLoginFailuresLookAlike)
}

func testPortalLoginFailuresLookAlike(t *testing.T, open openStore) {
	t.Parallel()
	f := newPortalFixture(t, open)
	f.newCompany("hooli")
	var first *response
	for what, body := range map[string]map[string]any{
		"wrong password":         login("acme", "pat@globex.example", "wrong password!"),
		"unknown e-mail":         login("acme", "nobody@globex.example", portalPassword),
		"wrong company":          login("hooli", "pat@globex.example", portalPassword),
		"unknown company":        login("no-such-company", "pat@globex.example", portalPassword),
		"no portal access":       login("acme", "nia@globex.example", portalPassword),
		"empty password":         login("acme", "sam@globex.example", ""),
		"over-long password":     login("acme", "sam@globex.example", strings.Repeat("p", 300)),
		"over-long e-mail":       login("acme", strings.Repeat("e", 300)+"@globex.example", portalPassword),
		"staff admin's e-mail":   login("acme", "admin@acme.example", portalPassword),
		"contact of the sibling": login("acme", "ira@initech.example", "wrong password!"),
	} {
		r := f.do("POST", "/api/v1/portal/login", "", body)
		iWant401(t, what, r)
		r.wantError(http.StatusUnauthorized, "invalid_credentials", "")
		if first == nil {
			first = r
		} else if string(r.Body) != string(first.Body) {
			t.Errorf("%s: body %s, want the same as every failed login: %s", what, r.Body, first.Body)
		}
	}
}

func TestPortalLoginValidation(t *testing.T) { forEachEngine(t, testPortalLoginValidation) }

func testPortalLoginValidation(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	for _, tc := range []struct {
		body          any
		status        int
		code, pointer string
	}{
		{map[string]any{"email": "a@b.example", "password": "x"}, 422, "required", "/company"},
		{map[string]any{"company": "acme", "password": "x"}, 422, "required", "/email"},
		{map[string]any{"company": "acme", "email": "a@b.example"}, 422, "required", "/password"},
		{map[string]any{"company": "acme", "email": 7, "password": "x"}, 422, "invalid_type", "/email"},
		{map[string]any{"company": "acme", "email": "a@b.example", "password": nil}, 422, "invalid_type", "/password"},
		{map[string]any{"company": "acme", "email": "a@b.example", "password": "x", "remember": true}, 422, "unknown_attribute", "/remember"},
		{`["acme"]`, 400, "invalid_document", "/"},
		{`{"company": "acme",`, 400, "", ""},
	} {
		r := e.do("POST", "/api/v1/portal/login", "", tc.body)
		if tc.code == "" {
			r.want(tc.status)
			continue
		}
		r.wantError(tc.status, tc.code, tc.pointer)
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/portal/login", strings.NewReader(`company=acme`))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	e.send(req).wantError(http.StatusUnsupportedMediaType, "unsupported_media_type", "")
	e.do("GET", "/api/v1/portal/login", "", nil).wantError(http.StatusMethodNotAllowed, "method_not_allowed", "")
}

func TestPortalScope(t *testing.T) { forEachEngine(t, testPortalScope) }

func testPortalScope(t *testing.T, open openStore) {
	t.Parallel()
	f := newPortalFixture(t, open)
	tok := f.portalToken("pat@globex.example")
	for _, path := range []string{"/api/v1/clients", "/api/v1/clients/" + f.client, "/api/v1/clients/" + f.sibling,
		"/api/v1/contacts", "/api/v1/contacts/" + f.sam, "/api/v1/contacts/" + f.pat, "/api/v1/company",
		"/api/v1/info", "/api/v1/users", "/api/v1/tokens", "/api/v1/locations"} {
		f.do("GET", path, tok, nil).wantError(http.StatusForbidden, "portal_session_not_allowed", "")
	}
	f.do("PATCH", "/api/v1/contacts/"+f.pat, tok, resourceDoc("contacts", map[string]any{"notes": "x"}, nil)).
		wantError(http.StatusForbidden, "portal_session_not_allowed", "")
	f.do("DELETE", "/api/v1/clients/"+f.sibling, tok, nil).wantError(http.StatusForbidden, "portal_session_not_allowed", "")
	f.do("GET", "/api/v1/clients/"+f.sibling, f.admin, nil).want(http.StatusOK) // untouched
	for _, path := range []string{"/api/v1/portal/me", "/api/v1/portal/client"} {
		f.do("GET", path, f.admin, nil).wantError(http.StatusForbidden, "api_token_not_allowed", "")
		iWant401(t, path+" without credentials", f.do("GET", path, "", nil))
		iWant401(t, path+" with an unknown portal token", f.do("GET", path, "clp_AAAAAAAAAAAAAAAAAAAAAAAAAA", nil))
		iWant401(t, path+" with an unknown API token", f.do("GET", path, "clt_AAAAAAAAAAAAAAAAAAAAAAAAAA", nil))
		iWant401(t, path+" with garbage", f.do("GET", path, "garbage", nil))
	}
	f.do("POST", "/api/v1/portal/logout", f.admin, nil).wantError(http.StatusForbidden, "api_token_not_allowed", "")
	iWant401(t, "a staff route with an unknown portal token", f.do("GET", "/api/v1/clients", "clp_AAAAAAAAAAAAAAAAAAAAAAAAAA", nil))
	// The portal shows only the contact's own client; no portal route names another record.
	c := f.do("GET", "/api/v1/portal/client", tok, nil).want(http.StatusOK)
	if c.id() != f.client {
		t.Errorf("portal client %s, want %s", c.id(), f.client)
	}
	sib := f.portalToken("ira@initech.example")
	if got := f.do("GET", "/api/v1/portal/client", sib, nil).want(http.StatusOK).id(); got != f.sibling {
		t.Errorf("sibling's portal client %s, want %s", got, f.sibling)
	}
	f.do("GET", "/api/v1/portal/client/"+f.sibling, tok, nil).want(http.StatusNotFound)
	f.do("GET", "/api/v1/portal/contacts/"+f.sam, tok, nil).want(http.StatusNotFound)
}

func TestPortalClient(t *testing.T) { forEachEngine(t, testPortalClient) }

func testPortalClient(t *testing.T, open openStore) {
	t.Parallel()
	f := newPortalFixture(t, open)
	f.createLocation(f.admin, f.client, map[string]any{"city": "Springfield", "country": "US", "is_primary": true})
	tok := f.portalToken("pat@globex.example")
	r := f.do("GET", "/api/v1/portal/client", tok, nil).want(http.StatusOK)
	attrs := r.attrs()
	for _, hidden := range []string{"notes", "default_rate", "default_rate_type", "bank_name", "iban"} {
		if _, ok := attrs[hidden]; ok {
			t.Errorf("the portal's client shows %q", hidden)
		}
	}
	for _, secret := range []string{"pays late", "120.00", "Big Bank", "DE89"} {
		if strings.Contains(string(r.Body), secret) {
			t.Errorf("the portal's client contains %q: %s", secret, r.Body)
		}
	}
	if attrs["name"] != "Globex" || attrs["address"].(map[string]any)["city"] != "Springfield" {
		t.Errorf("portal client attributes %v", attrs)
	}
	if _, ok := r.data()["relationships"]; ok {
		t.Errorf("the portal's client has relationships: %s", r.Body)
	}
	if self := r.data()["links"].(map[string]any)["self"]; self != "/api/v1/portal/client" {
		t.Errorf("portal client self link %v", self)
	}
	f.do("GET", "/api/v1/portal/client?include=contacts", tok, nil).
		wantError(http.StatusBadRequest, "unknown_parameter", "?include")
	// An ETag like every single resource, changing with the client.
	tag := r.Header.Get("ETag")
	if tag == "" {
		t.Fatal("GET /portal/client without an ETag")
	}
	f.doWith("GET", "/api/v1/portal/client", tok, nil, "If-None-Match", tag).want(http.StatusNotModified)
	f.do("PATCH", "/api/v1/clients/"+f.client, f.admin, map[string]any{"data": map[string]any{
		"type": "clients", "id": f.client, "attributes": map[string]any{"name": "Globex AG"}}}).
		want(http.StatusOK)
	if got := f.doWith("GET", "/api/v1/portal/client", tok, nil, "If-None-Match", tag).want(http.StatusOK).Header.Get("ETag"); got == tag {
		t.Error("the portal client's ETag did not change with the client")
	}
}

func TestPortalUpdateMe(t *testing.T) { forEachEngine(t, testPortalUpdateMe) }

func testPortalUpdateMe(t *testing.T, open openStore) {
	t.Parallel()
	f := newPortalFixture(t, open)
	tok := f.portalToken("pat@globex.example")
	patch := func(attrs map[string]any, rels map[string]any) *response {
		return f.do("PATCH", "/api/v1/portal/me", tok, resourceDoc("contacts", attrs, rels))
	}
	r := patch(map[string]any{"phone": "+1 555 0100", "mobile": "+1 555 0101", "skype": "pat.g", "position": "Buyer"}, nil).
		want(http.StatusOK)
	if a := r.attrs(); a["phone"] != "+1 555 0100" || a["position"] != "Buyer" || a["skype"] != "pat.g" {
		t.Errorf("PATCH /portal/me attributes %v", a)
	}
	staff := f.do("GET", "/api/v1/contacts/"+f.pat, f.admin, nil).want(http.StatusOK).attrs()
	if staff["mobile"] != "+1 555 0101" || staff["notes"] != "internal remark" {
		t.Errorf("staff see %v", staff)
	}
	patch(map[string]any{"position": nil}, nil).want(http.StatusOK)
	before := f.snapshot("/api/v1/contacts/"+f.pat, f.admin)
	for _, name := range []string{"first_name", "last_name", "email", "notes", "is_main", "portal_access", "gender",
		"fax", "name", "created_at"} {
		patch(map[string]any{name: "x", "phone": "+1 555 0199"}, nil).
			wantError(http.StatusUnprocessableEntity, "read_only", "/data/attributes/"+name)
	}
	patch(map[string]any{"favourite_colour": "blue"}, nil).
		wantError(http.StatusUnprocessableEntity, "unknown_attribute", "/data/attributes/favourite_colour")
	patch(nil, map[string]any{"client": ref("clients", f.sibling)}).
		wantError(http.StatusUnprocessableEntity, "read_only", "/data/relationships/client")
	patch(map[string]any{"phone": "not a phone"}, nil).
		wantError(http.StatusUnprocessableEntity, "invalid_phone", "/data/attributes/phone")
	patch(map[string]any{"password": "a new password"}, nil).
		wantError(http.StatusUnprocessableEntity, "required", "/data/attributes/current_password")
	patch(map[string]any{"current_password": portalPassword}, nil).
		wantError(http.StatusUnprocessableEntity, "required", "/data/attributes/password")
	patch(map[string]any{"password": "short", "current_password": portalPassword}, nil).
		wantError(http.StatusUnprocessableEntity, "too_short", "/data/attributes/password")
	patch(map[string]any{"password": "a new password", "current_password": "not the password"}, nil).
		wantError(http.StatusUnprocessableEntity, "invalid_current_password", "/data/attributes/current_password")
	f.do("PATCH", "/api/v1/portal/me", tok, `{"data": {"type": "clients", "attributes": {}}}`).want(http.StatusConflict)
	f.do("PATCH", "/api/v1/portal/me", tok, `{"data": {"type": "contacts", "id": "`+f.sam+`", "attributes": {}}}`).
		want(http.StatusConflict)
	if after := f.snapshot("/api/v1/contacts/"+f.pat, f.admin); after != before {
		t.Errorf("refused PATCHes changed the contact:\n%s\n%s", before, after)
	}
	f.login("acme", "pat@globex.example", portalPassword).want(http.StatusOK) // the password is unchanged
}

// wantSessionEnded fails unless tok no longer reaches the portal.
func wantSessionEnded(t *testing.T, e *env, what, tok string) {
	t.Helper()
	r := e.do("GET", "/api/v1/portal/me", tok, nil)
	iWant401(t, what, r)
	r.wantError(http.StatusUnauthorized, "invalid_token", "")
}

func TestPortalPasswordChange(t *testing.T) { forEachEngine(t, testPortalPasswordChange) }

func testPortalPasswordChange(t *testing.T, open openStore) {
	t.Parallel()
	f := newPortalFixture(t, open)
	tok, other := f.portalToken("pat@globex.example"), f.portalToken("pat@globex.example")
	sam := f.portalToken("sam@globex.example")
	f.do("PATCH", "/api/v1/portal/me", tok, resourceDoc("contacts", map[string]any{
		"password": "a brand new password", "current_password": portalPassword}, nil)).want(http.StatusOK)
	f.do("GET", "/api/v1/portal/me", tok, nil).want(http.StatusOK) // the session that changed it stays
	wantSessionEnded(t, f.env, "the contact's other session after a portal password change", other)
	f.do("GET", "/api/v1/portal/me", sam, nil).want(http.StatusOK) // another contact's stays
	f.login("acme", "pat@globex.example", portalPassword).wantError(http.StatusUnauthorized, "invalid_credentials", "")
	f.login("acme", "pat@globex.example", "a brand new password").want(http.StatusOK)

	// Staff setting the password end every session of the contact.
	f.do("PATCH", "/api/v1/contacts/"+f.pat, f.admin, resourceDoc("contacts", map[string]any{"password": portalPassword}, nil)).
		want(http.StatusOK)
	wantSessionEnded(t, f.env, "the session that changed the password, after staff set it", tok)
	f.do("GET", "/api/v1/portal/me", sam, nil).want(http.StatusOK)
	f.login("acme", "pat@globex.example", portalPassword).want(http.StatusOK)
}

func TestPortalRevocation(t *testing.T) { forEachEngine(t, testPortalRevocation) }

func testPortalRevocation(t *testing.T, open openStore) {
	t.Parallel()
	f := newPortalFixture(t, open)
	sib := f.portalToken("ira@initech.example")

	tok := f.portalToken("pat@globex.example")
	f.do("POST", "/api/v1/portal/logout", tok, nil).want(http.StatusNoContent)
	wantSessionEnded(t, f.env, "after logout", tok)
	iWant401(t, "logout again", f.do("POST", "/api/v1/portal/logout", tok, nil))

	tok, sam := f.portalToken("pat@globex.example"), f.portalToken("sam@globex.example")
	f.do("PATCH", "/api/v1/contacts/"+f.pat, f.admin, resourceDoc("contacts", map[string]any{"phone": "+1 555 0100"}, nil)).
		want(http.StatusOK)
	f.do("GET", "/api/v1/portal/me", tok, nil).want(http.StatusOK) // other changes keep the session
	f.do("PATCH", "/api/v1/contacts/"+f.pat, f.admin, resourceDoc("contacts", map[string]any{"portal_access": false}, nil)).
		want(http.StatusOK)
	wantSessionEnded(t, f.env, "after staff turned portal_access off", tok)
	f.do("PATCH", "/api/v1/contacts/"+f.pat, f.admin, resourceDoc("contacts", map[string]any{"portal_access": true}, nil)).
		want(http.StatusOK)
	wantSessionEnded(t, f.env, "after portal_access came back: the old session stays ended", tok)

	tok = f.portalToken("pat@globex.example")
	f.do("PATCH", "/api/v1/contacts/"+f.pat, f.admin, resourceDoc("contacts", map[string]any{"email": "pat@new.example"}, nil)).
		want(http.StatusOK)
	wantSessionEnded(t, f.env, "after staff changed the e-mail", tok)

	tok = f.portalToken("pat@new.example")
	f.do("DELETE", "/api/v1/contacts/"+f.pat, f.admin, nil).want(http.StatusNoContent)
	wantSessionEnded(t, f.env, "after the contact was deleted", tok)
	f.do("GET", "/api/v1/portal/me", sam, nil).want(http.StatusOK)

	f.do("DELETE", "/api/v1/clients/"+f.client, f.admin, nil).want(http.StatusNoContent)
	wantSessionEnded(t, f.env, "after the client was deleted", sam)
	f.do("GET", "/api/v1/portal/client", sib, nil).want(http.StatusOK) // the sibling's session stays
}

func TestPortalExpiredSession(t *testing.T) { forEachEngine(t, testPortalExpiredSession) }

func testPortalExpiredSession(t *testing.T, open openStore) {
	t.Parallel()
	f := newPortalFixture(t, open)
	company, _ := strconv.ParseInt(f.do("GET", "/api/v1/company", f.admin, nil).want(http.StatusOK).id(), 10, 64)
	pat, _ := strconv.ParseInt(f.pat, 10, 64)
	session := func(expires time.Time) string {
		secret := clientele.PortalTokenPrefix + fmt.Sprintf("TESTSESSION%d", expires.UnixNano())
		hash := sha256.Sum256([]byte(secret))
		p := clientele.PortalSession{CompanyID: company, ContactID: pat, Hash: hash[:], CreatedAt: expires.Add(-time.Hour), ExpiresAt: expires}
		if err := f.store.Write(context.Background(), func(tx clientele.Tx) error { return tx.CreatePortalSession(context.Background(), &p) }); err != nil {
			t.Fatal(err)
		}
		return secret
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	expired, live := session(now.Add(-time.Second)), session(now.Add(time.Hour))
	wantSessionEnded(t, f.env, "an expired session", expired)
	f.do("GET", "/api/v1/portal/me", live, nil).want(http.StatusOK)
	// A login sweeps the company's expired sessions.
	f.portalToken("sam@globex.example")
	hash := sha256.Sum256([]byte(expired))
	err := f.store.Read(context.Background(), func(tx clientele.Tx) error {
		_, err := tx.PortalSessionByHash(context.Background(), hash[:])
		return err
	})
	if !clientele.IsNotFound(err) {
		t.Errorf("the expired session after a login of the company: %v, want it swept", err)
	}
}

// retryAfter returns the response's Retry-After in seconds.
func retryAfter(t *testing.T, r *response) int {
	t.Helper()
	n, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || n < 1 {
		t.Fatalf("Retry-After %q, want positive seconds", r.Header.Get("Retry-After"))
	}
	return n
}

func TestPortalLockout(t *testing.T) { forEachEngine(t, testPortalLockout) }

func testPortalLockout(t *testing.T, open openStore) {
	t.Parallel()
	f := newPortalFixture(t, open)
	f.newCompany("hooli")
	first := time.Now()
	var firstDone time.Time
	for i := range clientele.PortalMaxFailures {
		f.login("acme", "pat@globex.example", "wrong password!").wantError(http.StatusUnauthorized, "invalid_credentials", "")
		if i == 0 {
			firstDone = time.Now()
		}
	}
	sixth := time.Now()
	r := f.login("acme", "PAT@globex.example", portalPassword) // the right password, another case
	done := time.Now()
	r.wantError(http.StatusTooManyRequests, "too_many_attempts", "")
	window := clientele.PortalFailureWindow
	// The first failure was stored between first and firstDone, the sixth
	// attempt judged between sixth and done.
	lo, hi := int((window-done.Sub(first))/time.Second), int((window-sixth.Sub(firstDone))/time.Second)+1
	if got := retryAfter(t, r); got < lo || got > hi {
		t.Errorf("Retry-After %d, want between %d and %d", got, lo, hi)
	}
	// Other e-mails, of the company and of other companies, are not affected.
	f.login("acme", "sam@globex.example", portalPassword).want(http.StatusOK)
	f.login("acme", "sam@globex.example", "wrong password!").want(http.StatusUnauthorized)
	f.login("hooli", "pat@globex.example", "wrong password!").want(http.StatusUnauthorized)
	// Locked out attempts do not extend the lockout.
	again := f.login("acme", "pat@globex.example", portalPassword).want(http.StatusTooManyRequests)
	if got := retryAfter(t, again); got > hi {
		t.Errorf("Retry-After %d after more attempts, want at most %d", got, hi)
	}
	// An e-mail no contact has locks out alike, so the lockout tells nothing either.
	for range clientele.PortalMaxFailures {
		f.login("acme", "nobody@globex.example", portalPassword).want(http.StatusUnauthorized)
	}
	f.login("acme", "nobody@globex.example", portalPassword).wantError(http.StatusTooManyRequests, "too_many_attempts", "")
	// A session is not a login: the locked-out contact's session still works.
	if got := f.do("GET", "/api/v1/portal/me", f.portalToken("sam@globex.example"), nil).want(http.StatusOK).id(); got != f.sam {
		t.Errorf("me %s", got)
	}
	m := string(f.do("GET", "/metrics", "", nil).want(http.StatusOK).Body)
	for _, want := range []string{`clientele_portal_logins_total{result="ok"} 2`,
		`clientele_portal_logins_total{result="failed"} 12`, `clientele_portal_logins_total{result="rate_limited"} 3`} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestPortalLoginSuccessClearsFailures(t *testing.T) {
	forEachEngine(t, testPortalLoginSuccessClearsFailures)
}

func testPortalLoginSuccessClearsFailures(t *testing.T, open openStore) {
	t.Parallel()
	f := newPortalFixture(t, open)
	for range 3 {
		for range clientele.PortalMaxFailures - 1 {
			f.login("acme", "pat@globex.example", "wrong password!").want(http.StatusUnauthorized)
		}
		f.login("acme", "pat@globex.example", portalPassword).want(http.StatusOK)
	}
	// Wrong current passwords in the portal count towards the same lockout.
	tok := f.portalToken("pat@globex.example")
	wrong := resourceDoc("contacts", map[string]any{"password": "a brand new password", "current_password": "wrong password!"}, nil)
	for range clientele.PortalMaxFailures {
		f.do("PATCH", "/api/v1/portal/me", tok, wrong).want(http.StatusUnprocessableEntity)
	}
	r := f.do("PATCH", "/api/v1/portal/me", tok, resourceDoc("contacts", map[string]any{
		"password": "a brand new password", "current_password": portalPassword}, nil))
	r.wantError(http.StatusTooManyRequests, "too_many_attempts", "")
	retryAfter(t, r)
	f.login("acme", "pat@globex.example", portalPassword).want(http.StatusTooManyRequests)
}

func TestPortalManyWrongPasswords(t *testing.T) { forEachEngine(t, testPortalManyWrongPasswords) }

// testPortalManyWrongPasswords sends 200 wrong passwords in a row and then
// 20 at once: none may succeed or fail with a 5xx, and past the fifth failure
// within the window every answer is 429, concurrent ones included.
func testPortalManyWrongPasswords(t *testing.T, open openStore) {
	t.Parallel()
	f := newPortalFixture(t, open)
	counts := map[int]int{}
	for i := range 200 {
		r := f.login("acme", "pat@globex.example", fmt.Sprintf("wrong password %d", i))
		counts[r.Status]++
		want := http.StatusUnauthorized
		if i >= clientele.PortalMaxFailures {
			want = http.StatusTooManyRequests
		}
		if r.Status != want {
			t.Fatalf("attempt %d: status %d, want %d: %s", i+1, r.Status, want, r.Body)
		}
	}
	t.Logf("200 wrong passwords in a row: %v", counts)
	statuses := make(chan int, 20)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			statuses <- f.login("acme", "sam@globex.example", fmt.Sprintf("wrong password %d", i)).Status
		})
	}
	wg.Wait()
	close(statuses)
	concurrent := map[int]int{}
	for s := range statuses {
		concurrent[s]++
	}
	if concurrent[http.StatusUnauthorized] != clientele.PortalMaxFailures ||
		concurrent[http.StatusTooManyRequests] != 20-clientele.PortalMaxFailures {
		t.Errorf("20 concurrent wrong passwords: %v, want %d × 401 and the rest 429", concurrent, clientele.PortalMaxFailures)
	}
	f.login("acme", "sam@globex.example", portalPassword).want(http.StatusTooManyRequests)
}

// The portal's me has an ETag like every single resource: If-None-Match → 304,
// a stale If-Match on PATCH → 412 with nothing changed.
func TestPortalMeETag(t *testing.T) { forEachEngine(t, testPortalMeETag) }

func testPortalMeETag(t *testing.T, open openStore) {
	t.Parallel()
	f := newPortalFixture(t, open)
	tok := f.portalToken("pat@globex.example")
	tag := f.do("GET", "/api/v1/portal/me", tok, nil).want(http.StatusOK).Header.Get("ETag")
	if tag == "" {
		t.Fatal("GET /portal/me without an ETag")
	}
	f.doWith("GET", "/api/v1/portal/me", tok, nil, "If-None-Match", tag).want(http.StatusNotModified)
	patch := func(phone string) map[string]any {
		return resourceDoc("contacts", map[string]any{"phone": phone}, nil)
	}
	r := f.doWith("PATCH", "/api/v1/portal/me", tok, patch("+49 30 1234567"), "If-Match", tag).want(http.StatusOK)
	next := r.Header.Get("ETag")
	if next == "" || next == tag {
		t.Fatalf("PATCH ETag %q, before %q", next, tag)
	}
	f.doWith("PATCH", "/api/v1/portal/me", tok, patch("+49 30 7654321"), "If-Match", tag).
		wantError(http.StatusPreconditionFailed, "precondition_failed", "")
	me := f.doWith("GET", "/api/v1/portal/me", tok, nil, "If-None-Match", tag).want(http.StatusOK)
	if me.Header.Get("ETag") != next || !strings.Contains(string(me.Body), "1234567") {
		t.Errorf("after the refused PATCH: ETag %q (want %q), body %s", me.Header.Get("ETag"), next, me.Body)
	}
	f.doWith("GET", "/api/v1/portal/me", tok, nil, "If-None-Match", "nonsense").wantError(http.StatusBadRequest, "invalid_precondition", "")
}
