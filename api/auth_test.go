package api_test

// Authentication, tokens, roles, users and the operator API (API.md §2, §3
// "users, tokens, company", §8).

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/clientele/clientele/api"
)

// iAuthDo sends a request with the Authorization header set as given ("" for none).
func (e *env) iAuthDo(method, path, authorization string, body any) *response {
	e.t.Helper()
	var rd *strings.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = strings.NewReader(string(raw))
	}
	var req *http.Request
	var err error
	if rd != nil {
		req, err = http.NewRequest(method, e.srv.URL+path, rd)
	} else {
		req, err = http.NewRequest(method, e.srv.URL+path, nil)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", api.MediaType)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return e.send(req)
}

func iBasic(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

// iWant401 fails unless r is a 401 error document with WWW-Authenticate.
func iWant401(t *testing.T, what string, r *response) {
	t.Helper()
	if r.Status != http.StatusUnauthorized {
		t.Errorf("%s: status %d, want 401; body %s", what, r.Status, r.Body)
		return
	}
	if len(r.Header.Values("WWW-Authenticate")) == 0 {
		t.Errorf("%s: 401 without WWW-Authenticate", what)
	}
	if len(iProblems(r)) == 0 {
		t.Errorf("%s: 401 body is not an error document: %s", what, r.Body)
	}
}

func TestAuthSchemes(t *testing.T) { forEachEngine(t, testAuthSchemes) }

func testAuthSchemes(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	for _, authz := range []string{
		"Bearer " + e.admin,
		iBasic(e.admin, "anything"),
		iBasic(e.admin, ""),
		iBasic(e.admin, "x:y:z"),
	} {
		r := e.iAuthDo("GET", "/api/v1/company", authz, nil)
		if r.Status != http.StatusOK || r.attrs()["slug"] != "acme" {
			t.Errorf("GET /company with %q: %d %s", strings.Replace(authz, e.admin, "<token>", 1), r.Status, r.Body)
		}
	}
	// Basic works for writes as well, and acts as the token's user.
	r := e.iAuthDo("POST", "/api/v1/clients", iBasic(e.admin, "pw"), resourceDoc("clients", map[string]any{"name": "Basic"}, nil))
	r.want(http.StatusCreated)
	if r.relID("owner") != e.userID {
		t.Errorf("client created with Basic: owner %q, want %s", r.relID("owner"), e.userID)
	}
}

func TestAuthRejects(t *testing.T) { forEachEngine(t, testAuthRejects) }

func testAuthRejects(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	revokedID, revoked := e.iToken(e.admin, "")
	e.do("DELETE", "/api/v1/tokens/"+revokedID, e.admin, nil).want(http.StatusNoContent)
	for what, authz := range map[string]string{
		"no credentials":              "",
		"garbage Bearer":              "Bearer garbage",
		"garbage clt_ Bearer":         "Bearer clt_AAAAAAAAAAAAAAAAAAAAAAAAAA",
		"truncated token":             "Bearer " + e.admin[:len(e.admin)-1],
		"token with a suffix":         "Bearer " + e.admin + "x",
		"empty Bearer":                "Bearer ",
		"Bearer without token":        "Bearer",
		"revoked Bearer":              "Bearer " + revoked,
		"revoked Basic":               iBasic(revoked, "x"),
		"garbage Basic":               iBasic("garbage", "x"),
		"token as Basic password":     iBasic("someone", e.admin),
		"Basic not base64":            "Basic !!!",
		"unknown scheme":              "Token " + e.admin,
		"operator token as API token": "Bearer operator-secret",
	} {
		iWant401(t, what, e.iAuthDo("GET", "/api/v1/clients", authz, nil))
	}
	// Every authenticated route refuses a request without credentials.
	for _, route := range []string{
		"GET /api/v1/company", "PATCH /api/v1/company",
		"GET /api/v1/users", "POST /api/v1/users", "GET /api/v1/users/1", "PATCH /api/v1/users/1", "DELETE /api/v1/users/1",
		"GET /api/v1/tokens", "POST /api/v1/tokens", "DELETE /api/v1/tokens/1",
		"GET /api/v1/clients", "POST /api/v1/clients", "GET /api/v1/clients/1", "PATCH /api/v1/clients/1",
		"DELETE /api/v1/clients/1", "GET /api/v1/clients/1/contacts", "GET /api/v1/clients/1/locations",
		"GET /api/v1/locations", "POST /api/v1/locations", "GET /api/v1/locations/1", "PATCH /api/v1/locations/1",
		"DELETE /api/v1/locations/1",
		"GET /api/v1/contacts", "POST /api/v1/contacts", "GET /api/v1/contacts/1", "PATCH /api/v1/contacts/1",
		"DELETE /api/v1/contacts/1",
	} {
		method, path, _ := strings.Cut(route, " ")
		var body any
		if method == "POST" || method == "PATCH" {
			body = resourceDoc("clients", map[string]any{"name": "X"}, nil)
		}
		iWant401(t, route+" without credentials", e.iAuthDo(method, path, "", body))
		iWant401(t, route+" with a revoked token", e.iAuthDo(method, path, "Bearer "+revoked, body))
	}
	// None of that created anything.
	if ids := e.iGet("/api/v1/clients", e.admin).list(); len(ids) != 0 {
		t.Errorf("unauthenticated requests created clients %v", ids)
	}
}

func TestAuthRevoke(t *testing.T) { forEachEngine(t, testAuthRevoke) }

func testAuthRevoke(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	id, secret := e.iToken(e.admin, "")
	e.iGet("/api/v1/company", secret)
	e.do("DELETE", "/api/v1/tokens/"+id, e.admin, nil).want(http.StatusNoContent)
	iWant401(t, "a token right after its DELETE", e.do("GET", "/api/v1/company", secret, nil))
	iWant401(t, "a revoked token as Basic", e.iAuthDo("GET", "/api/v1/company", iBasic(secret, ""), nil))
	if ids := e.iGet("/api/v1/tokens", e.admin).list(); slices.Contains(ids, id) {
		t.Errorf("a revoked token is still listed: %v", ids)
	}
	e.do("DELETE", "/api/v1/tokens/"+id, e.admin, nil).want(http.StatusNotFound)

	// A token may revoke itself; its next request fails.
	id2, secret2 := e.iToken(e.admin, "")
	e.do("DELETE", "/api/v1/tokens/"+id2, secret2, nil).want(http.StatusNoContent)
	iWant401(t, "a token after revoking itself", e.do("GET", "/api/v1/company", secret2, nil))

	// Deleting a user revokes its tokens.
	u, memberToken := e.iMember(e.admin, "gone@acme.example")
	e.iGet("/api/v1/company", memberToken)
	e.do("DELETE", "/api/v1/users/"+u, e.admin, nil).want(http.StatusNoContent)
	iWant401(t, "a token of a deleted user", e.do("GET", "/api/v1/company", memberToken, nil))

	// The other tokens keep working.
	e.iGet("/api/v1/company", e.admin)
}

func TestAuthTokenSecret(t *testing.T) { forEachEngine(t, testAuthTokenSecret) }

func testAuthTokenSecret(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	r := e.do("POST", "/api/v1/tokens", e.admin, resourceDoc("tokens", map[string]any{"name": "CI"}, nil)).
		want(http.StatusCreated)
	id := r.id()
	secret, _ := iMeta(r)["secret"].(string)
	if !strings.HasPrefix(secret, "clt_") || len(secret) < 20 {
		t.Fatalf("meta.secret = %q, want a clt_ secret", secret)
	}
	a := r.attrs()
	if a["name"] != "CI" || a["last_used_at"] != nil || r.relID("user") != e.userID || r.data()["type"] != "tokens" {
		t.Errorf("POST /tokens answered %s", r.Body)
	}
	iStamp(t, "token created_at", a["created_at"])
	if _, ok := a["secret"]; ok {
		t.Errorf("the secret is an attribute: %s", r.Body)
	}
	// Without a name the token gets one.
	r2 := e.do("POST", "/api/v1/tokens", e.admin, resourceDoc("tokens", nil, nil)).want(http.StatusCreated)
	other, _ := iMeta(r2)["secret"].(string)
	if other == secret || !strings.HasPrefix(other, "clt_") || r2.attrs()["name"] == "" {
		t.Errorf("a second token: %s", r2.Body)
	}

	// GET /tokens never shows a secret; the new token is not used yet.
	list := e.iGet("/api/v1/tokens", e.admin)
	for _, s := range []string{secret, other, e.admin, `"secret"`} {
		if strings.Contains(string(list.Body), s) {
			t.Errorf("GET /tokens shows %q: %s", s, list.Body)
		}
	}
	for _, it := range iItems(list) {
		attrs := it["attributes"].(map[string]any)
		keys := make([]string, 0, len(attrs))
		for k := range attrs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !slices.Equal(keys, []string{"created_at", "last_used_at", "name"}) {
			t.Errorf("token attributes %v", keys)
		}
		if it["id"] == id && attrs["last_used_at"] != nil {
			t.Errorf("unused token has last_used_at %v", attrs["last_used_at"])
		}
	}
	if m := iMeta(list); m != nil && m["secret"] != nil {
		t.Errorf("GET /tokens has meta.secret")
	}

	// After use, last_used_at is set.
	e.iGet("/api/v1/clients", secret)
	found := false
	for _, it := range iItems(e.iGet("/api/v1/tokens", e.admin)) {
		if it["id"] == id {
			found = true
			iStamp(t, "last_used_at after use", it["attributes"].(map[string]any)["last_used_at"])
		}
	}
	if !found {
		t.Errorf("token %s not listed", id)
	}
	// Secrets cannot be written.
	e.do("POST", "/api/v1/tokens", e.admin, resourceDoc("tokens", map[string]any{"secret": "clt_mine"}, nil)).
		wantError(http.StatusUnprocessableEntity, "read_only", "/data/attributes/secret")
}

func TestAuthMemberRole(t *testing.T) { forEachEngine(t, testAuthMemberRole) }

func testAuthMemberRole(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	m, mTok := e.iMember(e.admin, "member@acme.example")
	other := e.iUser(e.admin, "other@acme.example", "member")

	// Members read users and the company.
	if ids := e.iGet("/api/v1/users", mTok).list(); !slices.Equal(iSortIDs(ids), iSortIDs([]string{e.userID, m, other})) {
		t.Errorf("member's GET /users = %v", ids)
	}
	if r := e.iGet("/api/v1/users/"+e.userID, mTok); r.attrs()["role"] != "admin" {
		t.Errorf("member's GET /users/{admin} = %s", r.Body)
	}
	if r := e.iGet("/api/v1/users/"+m, mTok); r.attrs()["role"] != "member" {
		t.Errorf("member's GET /users/{self} = %s", r.Body)
	}
	e.iGet("/api/v1/company", mTok)

	// ... but change neither.
	before := map[string]string{}
	for _, p := range []string{"/api/v1/users", "/api/v1/users/" + m, "/api/v1/users/" + e.userID, "/api/v1/company"} {
		before[p] = e.snapshot(p, e.admin)
	}
	for _, tc := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/api/v1/users", resourceDoc("users", map[string]any{"full_name": "New", "email": "new@acme.example", "role": "member"}, nil)},
		{"POST", "/api/v1/users", resourceDoc("users", map[string]any{"full_name": "New", "email": "new@acme.example", "role": "admin"}, nil)},
		{"PATCH", "/api/v1/users/" + m, resourceDoc("users", map[string]any{"role": "admin"}, nil)},
		{"PATCH", "/api/v1/users/" + m, resourceDoc("users", map[string]any{"full_name": "Renamed"}, nil)},
		{"PATCH", "/api/v1/users/" + e.userID, resourceDoc("users", map[string]any{"role": "member"}, nil)},
		{"PATCH", "/api/v1/users/" + other, resourceDoc("users", map[string]any{"full_name": "Renamed"}, nil)},
		{"DELETE", "/api/v1/users/" + e.userID, nil},
		{"DELETE", "/api/v1/users/" + other, nil},
		{"DELETE", "/api/v1/users/" + m, nil},
		{"PATCH", "/api/v1/company", resourceDoc("companies", map[string]any{"name": "Member Inc"}, nil)},
	} {
		r := e.do(tc.method, tc.path, mTok, tc.body)
		if r.Status != http.StatusForbidden || len(iProblems(r)) == 0 {
			t.Errorf("member %s %s: %d %s, want 403", tc.method, tc.path, r.Status, r.Body)
		}
	}
	for p, b := range before {
		if got := e.snapshot(p, e.admin); got != b {
			t.Errorf("a member's refused request changed %s:\n%s\n%s", p, b, got)
		}
	}
	// Members do manage clients.
	e.createClient(mTok, map[string]any{"name": "Member's client"})

	// Tokens: a member sees and revokes only its own.
	mTok2ID, mTok2 := e.iToken(mTok, "")
	selfID, _ := e.iToken(mTok, m) // naming itself is fine
	adminTokID, adminTok := e.iToken(e.admin, "")
	otherTokID, _ := e.iToken(e.admin, other)
	for _, it := range iItems(e.iGet("/api/v1/tokens", mTok)) {
		if iItemRel(it, "user") != m {
			t.Errorf("member's GET /tokens lists token %v of user %q", it["id"], iItemRel(it, "user"))
		}
	}
	if ids := e.iGet("/api/v1/tokens", mTok).list(); len(ids) != 3 || !slices.Contains(ids, mTok2ID) || !slices.Contains(ids, selfID) {
		t.Errorf("member's GET /tokens = %v, want its 3 tokens", ids)
	}
	e.do("POST", "/api/v1/tokens", mTok, resourceDoc("tokens", nil, map[string]any{"user": ref("users", e.userID)})).
		want(http.StatusForbidden)
	for _, tid := range []string{adminTokID, otherTokID} {
		e.do("DELETE", "/api/v1/tokens/"+tid, mTok, nil).want(http.StatusForbidden)
	}
	e.iGet("/api/v1/company", adminTok)
	e.do("DELETE", "/api/v1/tokens/"+selfID, mTok, nil).want(http.StatusNoContent)

	// Admins see and manage every token of the company.
	all := e.iGet("/api/v1/tokens", e.admin).list()
	for _, tid := range []string{mTok2ID, adminTokID, otherTokID} {
		if !slices.Contains(all, tid) {
			t.Errorf("admin's GET /tokens = %v lacks %s", all, tid)
		}
	}
	e.do("DELETE", "/api/v1/tokens/"+mTok2ID, e.admin, nil).want(http.StatusNoContent)
	iWant401(t, "a member's token revoked by an admin", e.do("GET", "/api/v1/company", mTok2, nil))
	e.iGet("/api/v1/company", mTok)

	// Admins manage users; a promotion takes effect at once.
	e.do("PATCH", "/api/v1/users/"+other, e.admin, resourceDoc("users", map[string]any{"full_name": "Other Renamed"}, nil)).
		want(http.StatusOK)
	e.do("PATCH", "/api/v1/users/"+m, e.admin, resourceDoc("users", map[string]any{"role": "admin"}, nil)).want(http.StatusOK)
	e.do("PATCH", "/api/v1/company", mTok, resourceDoc("companies", map[string]any{"name": "Promoted"}, nil)).want(http.StatusOK)
	e.do("DELETE", "/api/v1/users/"+other, mTok, nil).want(http.StatusNoContent)
	// ... and so does a demotion.
	e.do("PATCH", "/api/v1/users/"+m, e.admin, resourceDoc("users", map[string]any{"role": "member"}, nil)).want(http.StatusOK)
	e.do("POST", "/api/v1/users", mTok, resourceDoc("users", map[string]any{"full_name": "N", "email": "n@acme.example", "role": "member"}, nil)).
		want(http.StatusForbidden)
}

func TestAuthLastAdmin(t *testing.T) { forEachEngine(t, testAuthLastAdmin) }

func testAuthLastAdmin(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	before := e.snapshot("/api/v1/users/"+e.userID, e.admin)
	e.do("DELETE", "/api/v1/users/"+e.userID, e.admin, nil).wantError(http.StatusConflict, "last_admin", "")
	e.do("PATCH", "/api/v1/users/"+e.userID, e.admin, resourceDoc("users", map[string]any{"role": "member"}, nil)).
		wantError(http.StatusConflict, "last_admin", "")
	if got := e.snapshot("/api/v1/users/"+e.userID, e.admin); got != before {
		t.Errorf("refused changes to the last admin changed it:\n%s\n%s", before, got)
	}
	e.iGet("/api/v1/users", e.admin) // still an admin's token

	// A member does not count: demoting or deleting members is fine.
	m := e.iUser(e.admin, "m@acme.example", "member")
	e.do("PATCH", "/api/v1/users/"+m, e.admin, resourceDoc("users", map[string]any{"role": "member"}, nil)).want(http.StatusOK)
	e.do("DELETE", "/api/v1/users/"+m, e.admin, nil).want(http.StatusNoContent)
	e.do("DELETE", "/api/v1/users/"+e.userID, e.admin, nil).wantError(http.StatusConflict, "last_admin", "")

	// With two admins one can be demoted; then the other is the last.
	second := e.iUser(e.admin, "second@acme.example", "admin")
	_, secondTok := e.iToken(e.admin, second)
	r := e.do("PATCH", "/api/v1/users/"+e.userID, e.admin, resourceDoc("users", map[string]any{"role": "member"}, nil)).
		want(http.StatusOK)
	if r.attrs()["role"] != "member" {
		t.Errorf("demoted admin: %s", r.Body)
	}
	e.do("PATCH", "/api/v1/users/"+second, secondTok, resourceDoc("users", map[string]any{"role": "member"}, nil)).
		wantError(http.StatusConflict, "last_admin", "")
	e.do("DELETE", "/api/v1/users/"+second, secondTok, nil).wantError(http.StatusConflict, "last_admin", "")
	if r := e.iGet("/api/v1/users/"+second, secondTok); r.attrs()["role"] != "admin" {
		t.Errorf("the last admin after refused changes: %s", r.Body)
	}

	// With two admins one can be deleted.
	third := e.iUser(secondTok, "third@acme.example", "admin")
	e.do("DELETE", "/api/v1/users/"+third, secondTok, nil).want(http.StatusNoContent)
	fourth := e.iUser(secondTok, "fourth@acme.example", "admin")
	e.do("DELETE", "/api/v1/users/"+second, secondTok, nil).want(http.StatusNoContent)
	iWant401(t, "the token of a deleted admin", e.do("GET", "/api/v1/company", secondTok, nil))
	if r := e.iGet("/api/v1/users/"+fourth, e.admin); r.attrs()["role"] != "admin" {
		t.Errorf("remaining admin: %s", r.Body)
	}
}

func TestAuthDuplicateEmail(t *testing.T) { forEachEngine(t, testAuthDuplicateEmail) }

func testAuthDuplicateEmail(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	post := func(token, email string) *response {
		t.Helper()
		return e.do("POST", "/api/v1/users", token, resourceDoc("users",
			map[string]any{"full_name": "Dup", "email": email, "role": "member"}, nil))
	}
	u := post(e.admin, "Dup@Acme.example").want(http.StatusCreated).id()
	for _, email := range []string{"Dup@Acme.example", "dup@acme.example", "DUP@ACME.EXAMPLE", " dup@acme.example ", "ADMIN@acme.example"} {
		post(e.admin, email).wantError(http.StatusConflict, "duplicate_email", "/data/attributes/email")
	}
	before := e.snapshot("/api/v1/users", e.admin)
	e.do("PATCH", "/api/v1/users/"+u, e.admin, resourceDoc("users", map[string]any{"email": "Admin@ACME.example"}, nil)).
		wantError(http.StatusConflict, "duplicate_email", "/data/attributes/email")
	if got := e.snapshot("/api/v1/users", e.admin); got != before {
		t.Errorf("refused duplicates changed the users:\n%s\n%s", before, got)
	}
	// Changing the case of one's own e-mail is not a duplicate.
	e.do("PATCH", "/api/v1/users/"+u, e.admin, resourceDoc("users", map[string]any{"email": "dup@acme.example"}, nil)).
		want(http.StatusOK)

	// Another company may use the same addresses.
	bAdmin, _ := e.newCompany("beta")
	post(bAdmin, "dup@acme.example").want(http.StatusCreated)
	post(bAdmin, "admin@acme.example").want(http.StatusCreated)
	post(bAdmin, "DUP@acme.example").wantError(http.StatusConflict, "duplicate_email", "/data/attributes/email")
}

// iOperator posts a plain JSON body to the operator API with authorization.
func (e *env) iOperator(authorization string, body any) *response {
	e.t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		e.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", e.srv.URL+"/api/v1/operator/companies", strings.NewReader(string(raw)))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return e.send(req)
}

func iKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestAuthOperator(t *testing.T) { forEachEngine(t, testAuthOperator) }

func testAuthOperator(t *testing.T, open openStore) {
	t.Parallel()
	e := newEnv(t, open)
	body := func(slug string) map[string]any {
		return map[string]any{"name": "Gamma Ltd", "slug": slug,
			"admin": map[string]any{"email": "boss@" + slug + ".example", "full_name": "The Boss"}}
	}

	// Wrong or missing operator credentials: 401, and nothing is created.
	for what, authz := range map[string]string{
		"no token":            "",
		"wrong token":         "Bearer operator-wrong",
		"prefix of the token": "Bearer operator-secre",
		"an API token":        "Bearer " + e.admin,
	} {
		iWant401(t, "operator API with "+what, e.iOperator(authz, body("gamma")))
	}

	r := e.iOperator("Bearer operator-secret", body("gamma"))
	r.want(http.StatusCreated)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("operator answer Content-Type %q, want application/json", ct)
	}
	var got map[string]any
	if err := json.Unmarshal(r.Body, &got); err != nil {
		t.Fatalf("operator answer is not JSON: %s", r.Body)
	}
	if k := iKeys(got); !slices.Equal(k, []string{"company", "token", "user"}) {
		t.Errorf("operator answer has members %v, want company, token, user: %s", k, r.Body)
	}
	company, _ := got["company"].(map[string]any)
	user, _ := got["user"].(map[string]any)
	token, _ := got["token"].(string)
	if k := iKeys(company); !slices.Equal(k, []string{"id", "name", "slug"}) {
		t.Errorf("operator answer company has members %v: %s", k, r.Body)
	}
	if k := iKeys(user); !slices.Equal(k, []string{"email", "id"}) {
		t.Errorf("operator answer user has members %v: %s", k, r.Body)
	}
	cid, _ := company["id"].(string)
	uid, _ := user["id"].(string)
	if cid == "" || uid == "" || company["slug"] != "gamma" || company["name"] != "Gamma Ltd" ||
		user["email"] != "boss@gamma.example" || !strings.HasPrefix(token, "clt_") {
		t.Errorf("operator answer %s", r.Body)
	}

	// The returned token works, as the new company's admin.
	c := e.iGet("/api/v1/company", token)
	if c.id() != cid || c.attrs()["slug"] != "gamma" || c.attrs()["name"] != "Gamma Ltd" {
		t.Errorf("GET /company with the new token: %s", c.Body)
	}
	u := e.iGet("/api/v1/users/"+uid, token)
	if u.attrs()["email"] != "boss@gamma.example" || u.attrs()["role"] != "admin" || u.attrs()["full_name"] != "The Boss" {
		t.Errorf("the new admin: %s", u.Body)
	}
	if ids := e.iGet("/api/v1/users", token).list(); !slices.Equal(ids, []string{uid}) {
		t.Errorf("new company's users %v, want only %s", ids, uid)
	}
	e.iGet("/api/v1/users", token)
	e.do("POST", "/api/v1/users", token, resourceDoc("users", map[string]any{"full_name": "N", "email": "n@gamma.example"}, nil)).
		want(http.StatusCreated)

	// Duplicate slugs: 409, whether made by the operator API or otherwise.
	e.iOperator("Bearer operator-secret", body("gamma")).wantError(http.StatusConflict, "duplicate_slug", "")
	e.iOperator("Bearer operator-secret", body("acme")).wantError(http.StatusConflict, "duplicate_slug", "")
	// Wrong credentials take precedence over a duplicate.
	iWant401(t, "wrong operator token with a duplicate slug", e.iOperator("Bearer nope", body("gamma")))
	// The operator token is no API token.
	iWant401(t, "operator token on /company", e.do("GET", "/api/v1/company", "operator-secret", nil))
}
