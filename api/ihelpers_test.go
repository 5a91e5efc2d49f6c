package api_test

// Helpers of invariants_test.go, tenancy_test.go and auth_test.go. Every name
// starts with "i" so that it cannot clash with helpers of other test files.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// iWith returns a copy of e that reports to t, so that subtests may use it.
func (e *env) iWith(t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}

// iGet GETs path and wants 200.
func (e *env) iGet(path, token string) *response {
	e.t.Helper()
	return e.do("GET", path, token, nil).want(http.StatusOK)
}

// iUser creates a user with role in the company of adminToken and returns its id.
func (e *env) iUser(adminToken, email, role string) string {
	e.t.Helper()
	return e.do("POST", "/api/v1/users", adminToken, resourceDoc("users",
		map[string]any{"full_name": "User " + email, "email": email, "role": role}, nil)).
		want(http.StatusCreated).id()
}

// iToken creates, as the holder of token, an API token for user (the
// caller when "") and returns its id and secret.
func (e *env) iToken(token, user string) (id, secret string) {
	e.t.Helper()
	var rels map[string]any
	if user != "" {
		rels = map[string]any{"user": ref("users", user)}
	}
	r := e.do("POST", "/api/v1/tokens", token, resourceDoc("tokens", map[string]any{"name": "token of " + user}, rels)).
		want(http.StatusCreated)
	s, _ := iMeta(r)["secret"].(string)
	if s == "" {
		e.t.Fatalf("POST /tokens answered no meta.secret: %s", r.Body)
	}
	return r.id(), s
}

// iMember creates a member with email in the company of adminToken and,
// through POST /tokens with relationships.user, a token for it.
func (e *env) iMember(adminToken, email string) (userID, token string) {
	e.t.Helper()
	userID = e.iUser(adminToken, email, "member")
	_, token = e.iToken(adminToken, userID)
	return userID, token
}

// iMeta returns the body's meta object (nil when absent).
func iMeta(r *response) map[string]any {
	r.t.Helper()
	m, _ := r.json()["meta"].(map[string]any)
	return m
}

// iNext returns links.next of a list document, or "".
func iNext(r *response) string {
	r.t.Helper()
	l, _ := r.json()["links"].(map[string]any)
	s, _ := l["next"].(string)
	return s
}

// iItems returns the resource objects of a list document.
func iItems(r *response) []map[string]any {
	r.t.Helper()
	items, ok := r.json()["data"].([]any)
	if !ok {
		r.t.Fatalf("no data array in %s", r.Body)
	}
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i] = it.(map[string]any)
	}
	return out
}

// iItemRel returns the id a to-one relationship of a resource object names, or "".
func iItemRel(item map[string]any, name string) string {
	rels, _ := item["relationships"].(map[string]any)
	rel, _ := rels[name].(map[string]any)
	d, _ := rel["data"].(map[string]any)
	id, _ := d["id"].(string)
	return id
}

// iPath makes a link of a document (absolute, or relative to the server)
// into a path with query for e.do.
func (e *env) iPath(link string) string {
	return strings.TrimPrefix(link, e.srv.URL)
}

// iPages follows links.next from path and returns the ids of every page, in
// order, and the sizes of the pages. It gives up after 50 pages.
func (e *env) iPages(path, token string) (ids []string, sizes []int) {
	e.t.Helper()
	for range 50 {
		r := e.iGet(path, token)
		page := r.list()
		ids = append(ids, page...)
		sizes = append(sizes, len(page))
		next := iNext(r)
		if next == "" {
			return ids, sizes
		}
		if !strings.Contains(next, "page%5Bafter%5D=") && !strings.Contains(next, "page[after]=") {
			e.t.Errorf("links.next %q carries no page[after]", next)
		}
		path = e.iPath(next)
	}
	e.t.Fatalf("more than 50 pages from %s", path)
	return nil, nil
}

// iSortIDs sorts numeric string ids in ascending numeric order.
func iSortIDs(ids []string) []string {
	out := slices.Clone(ids)
	sort.Slice(out, func(i, j int) bool { return iNum(out[i]) < iNum(out[j]) })
	return out
}

func iNum(id string) int64 {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		panic(fmt.Sprintf("id %q is not a number", id))
	}
	return n
}

// iStampPattern is a timestamp as the contract renders it: RFC 3339, UTC,
// six fractional digits and Z.
var iStampPattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$`)

// iStamp checks that v is a contract timestamp and returns it parsed.
func iStamp(t *testing.T, what string, v any) time.Time {
	t.Helper()
	s, ok := v.(string)
	if !ok || !iStampPattern.MatchString(s) {
		t.Errorf("%s = %#v, want RFC 3339 UTC with 6 fractional digits and Z", what, v)
		return time.Time{}
	}
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Errorf("%s = %q does not parse as RFC 3339: %v", what, s, err)
	}
	return at
}

// iProblem is an error object reduced to what must match between two answers.
type iProblem struct{ Status, Code, Pointer, Parameter string }

// iProblems returns the error objects of r in a comparable form, sorted.
func iProblems(r *response) []iProblem {
	r.t.Helper()
	var doc struct {
		Errors []apiError `json:"errors"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		return nil
	}
	out := make([]iProblem, len(doc.Errors))
	for i, e := range doc.Errors {
		out[i] = iProblem{e.Status, e.Code, e.Source.Pointer, e.Source.Parameter}
	}
	sort.Slice(out, func(i, j int) bool { return fmt.Sprint(out[i]) < fmt.Sprint(out[j]) })
	return out
}

// iHasProblem reports whether r holds an error object with code at pointer.
func iHasProblem(r *response, code, pointer string) bool {
	r.t.Helper()
	for _, p := range iProblems(r) {
		if p.Code == code && p.Pointer == pointer {
			return true
		}
	}
	return false
}

// iAddress returns the client's address attribute, nil when null.
func iAddress(r *response) map[string]any {
	r.t.Helper()
	a, _ := r.attrs()["address"].(map[string]any)
	return a
}
