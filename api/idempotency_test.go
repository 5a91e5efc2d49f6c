package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele"
)

// kPost POSTs body (a string, sent as is) with an Idempotency-Key.
func (e *env) kPost(path, token, key, body string) *response {
	e.t.Helper()
	return e.doWith("POST", path, token, body, "Idempotency-Key", key)
}

// kClient is a request document of a client with external id ext.
func kClient(ext string) string {
	return `{"data":{"type":"clients","attributes":{"name":"Acme","external_id":"` + ext + `"}}}`
}

// kCount returns how many clients the company of token has.
func (e *env) kCount(token string) int {
	e.t.Helper()
	return int(iMeta(e.iGet("/api/v1/clients?page[number]=1", token))["page"].(map[string]any)["total"].(float64))
}

// kActor returns the actor of a token.
func (e *env) kActor(token string) clientele.Actor {
	e.t.Helper()
	a, err := e.svc.Authenticate(context.Background(), token)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// kDigest and kFingerprint restate, for the tests that plant stored keys, how
// the API names a key and a request in the store (api/idempotency.go).
func kDigest(key string) []byte {
	sum := sha256.Sum256([]byte("clientele idempotency key\x00" + key))
	return sum[:]
}

func kFingerprint(method, uri string, userID int64, body string) []byte {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%d\x00%s", method, uri, userID, body))
	return sum[:]
}

// kPlant stores a key for the company of token directly.
func (e *env) kPlant(token, key string, fingerprint, response []byte, claimed time.Time) {
	e.t.Helper()
	a := e.kActor(token)
	err := e.store.Write(context.Background(), func(tx clientele.Tx) error {
		return tx.PutIdempotencyKey(context.Background(), clientele.IdempotencyKey{CompanyID: a.CompanyID,
			Key: kDigest(key), Fingerprint: fingerprint, Response: response, ClaimedAt: claimed.UTC().Truncate(time.Microsecond)})
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// kStored returns the stored key of the company of token.
func (e *env) kStored(token, key string) (clientele.IdempotencyKey, error) {
	a := e.kActor(token)
	var k clientele.IdempotencyKey
	err := e.store.Read(context.Background(), func(tx clientele.Tx) (err error) {
		k, err = tx.IdempotencyKey(context.Background(), a.CompanyID, kDigest(key))
		return err
	})
	return k, err
}

// wantReplay fails unless r replays first: same status, body and the headers that matter.
func (r *response) wantReplay(first *response) {
	r.t.Helper()
	if r.Status != first.Status || !bytes.Equal(r.Body, first.Body) {
		r.t.Fatalf("replay: %d %s, want %d %s", r.Status, r.Body, first.Status, first.Body)
	}
	if r.Header.Get("Idempotent-Replayed") != "true" {
		r.t.Errorf("replay without Idempotent-Replayed: true")
	}
	for _, h := range []string{"Location", "ETag", "Content-Type"} {
		if r.Header.Get(h) != first.Header.Get(h) {
			r.t.Errorf("replayed %s %q, want %q", h, r.Header.Get(h), first.Header.Get(h))
		}
	}
}

func TestIdempotentCreates(t *testing.T) { forEachEngine(t, testIdempotentCreates) }

func testIdempotentCreates(t *testing.T, open openStore) {
	e := newEnv(t, open)
	client := e.kPost("/api/v1/clients", e.admin, "k-client", kClient("c1")).want(http.StatusCreated)
	if client.Header.Get("Idempotent-Replayed") != "" {
		t.Error("a first request marked as replayed")
	}
	if client.Header.Get("Location") == "" || client.tag() == "" {
		t.Error("a create without Location or ETag")
	}
	for range 3 {
		e.kPost("/api/v1/clients", e.admin, "k-client", kClient("c1")).wantReplay(client)
	}
	if n := e.kCount(e.admin); n != 1 {
		t.Errorf("%d clients after a create and its retries, want 1", n)
	}
	// The replay is the stored answer, not the record as it is now.
	e.do("PATCH", client.Header.Get("Location"), e.admin, map[string]any{"data": map[string]any{"type": "clients",
		"id": client.id(), "attributes": map[string]any{"name": "Renamed"}}}).want(http.StatusOK)
	e.kPost("/api/v1/clients", e.admin, "k-client", kClient("c1")).wantReplay(client)

	// Every create endpoint.
	cid := client.id()
	for _, c := range []struct{ path, body string }{
		{"/api/v1/locations", `{"data":{"type":"locations","attributes":{"country":"DE"},"relationships":{"client":{"data":{"type":"clients","id":"` + cid + `"}}}}}`},
		{"/api/v1/contacts", `{"data":{"type":"contacts","attributes":{"first_name":"Ann"},"relationships":{"client":{"data":{"type":"clients","id":"` + cid + `"}}}}}`},
		{"/api/v1/users", `{"data":{"type":"users","attributes":{"full_name":"Mia","email":"mia@acme.example"}}}`},
		{"/api/v1/tokens", `{"data":{"type":"tokens","attributes":{"name":"ci"}}}`},
	} {
		first := e.kPost(c.path, e.admin, "k"+c.path, c.body).want(http.StatusCreated)
		e.kPost(c.path, e.admin, "k"+c.path, c.body).wantReplay(first)
		if n := len(e.iGet(c.path, e.admin).list()); (c.path == "/api/v1/users" || c.path == "/api/v1/tokens") && n != 2 ||
			c.path != "/api/v1/users" && c.path != "/api/v1/tokens" && n != 1 {
			t.Errorf("%s: %d records after a create and its retry", c.path, n)
		}
	}
}

func TestIdempotencyKeyRules(t *testing.T) { forEachEngine(t, testIdempotencyKeyRules) }

func testIdempotencyKeyRules(t *testing.T, open openStore) {
	e := newEnv(t, open)
	first := e.kPost("/api/v1/clients", e.admin, "k1", kClient("a")).want(http.StatusCreated)

	// Another body, another path, another user: the same key is refused.
	e.kPost("/api/v1/clients", e.admin, "k1", kClient("b")).wantError(http.StatusUnprocessableEntity, "idempotency_key_reused", "")
	e.kPost("/api/v1/users", e.admin, "k1", `{"data":{"type":"users","attributes":{"full_name":"X","email":"x@acme.example"}}}`).
		wantError(http.StatusUnprocessableEntity, "idempotency_key_reused", "")
	e.kPost("/api/v1/clients?x=1", e.admin, "k1", kClient("a")).wantError(http.StatusUnprocessableEntity, "idempotency_key_reused", "")
	_, member := e.iMember(e.admin, "mo@acme.example")
	e.kPost("/api/v1/clients", member, "k1", kClient("a")).wantError(http.StatusUnprocessableEntity, "idempotency_key_reused", "")
	e.kPost("/api/v1/clients", e.admin, "k1", kClient("a")).wantReplay(first)
	if n := e.kCount(e.admin); n != 1 {
		t.Errorf("%d clients, want 1", n)
	}

	// Keys of 1 to 255 characters, given once.
	e.kPost("/api/v1/clients", e.admin, strings.Repeat("k", 256), kClient("long")).
		wantError(http.StatusBadRequest, "invalid_idempotency_key", "")
	e.kPost("/api/v1/clients", e.admin, "", kClient("empty")).wantError(http.StatusBadRequest, "invalid_idempotency_key", "")
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/clients", strings.NewReader(kClient("twice")))
	req.Header.Set("Content-Type", "application/vnd.api+json")
	req.Header.Set("Authorization", "Bearer "+e.admin)
	req.Header.Add("Idempotency-Key", "a")
	req.Header.Add("Idempotency-Key", "b")
	e.send(req).wantError(http.StatusBadRequest, "invalid_idempotency_key", "")
	if n := e.kCount(e.admin); n != 1 {
		t.Errorf("%d clients after refused keys, want 1", n)
	}
	max := strings.Repeat("m", 255)
	r := e.kPost("/api/v1/clients", e.admin, max, kClient("max")).want(http.StatusCreated)
	e.kPost("/api/v1/clients", e.admin, max, kClient("max")).wantReplay(r)

	// Errors below 500 are answers too: stored and replayed.
	bad := e.kPost("/api/v1/clients", e.admin, "k-bad", `{"data":{"type":"clients","attributes":{"name":""}}}`).
		wantError(http.StatusUnprocessableEntity, "required", "/data/attributes/name")
	e.kPost("/api/v1/clients", e.admin, "k-bad", `{"data":{"type":"clients","attributes":{"name":""}}}`).wantReplay(bad)
	dup := e.kPost("/api/v1/clients", e.admin, "k-dup", kClient("a")).wantError(http.StatusConflict, "duplicate_external_id", "/data/attributes/external_id")
	e.kPost("/api/v1/clients", e.admin, "k-dup", kClient("a")).wantReplay(dup)

	// A POST without a key is not idempotent.
	e.do("POST", "/api/v1/clients", e.admin, kClient("n1")).want(http.StatusCreated)
	e.do("POST", "/api/v1/clients", e.admin, kClient("n1")).wantError(http.StatusConflict, "duplicate_external_id", "/data/attributes/external_id")
}

// TestIdempotencyKeysOfCompanies: two companies using the same key each get
// their own create.
func TestIdempotencyKeysOfCompanies(t *testing.T) { forEachEngine(t, testIdempotencyKeysOfCompanies) }

func testIdempotencyKeysOfCompanies(t *testing.T, open openStore) {
	e := newEnv(t, open)
	other, _ := e.newCompany("other")
	a := e.kPost("/api/v1/clients", e.admin, "shared", kClient("x")).want(http.StatusCreated)
	b := e.kPost("/api/v1/clients", other, "shared", kClient("x")).want(http.StatusCreated)
	if b.Header.Get("Idempotent-Replayed") != "" || a.id() == b.id() {
		t.Fatalf("the other company got a replay of the first: %s", b.Body)
	}
	e.kPost("/api/v1/clients", other, "shared", kClient("x")).wantReplay(b)
	e.kPost("/api/v1/clients", e.admin, "shared", kClient("x")).wantReplay(a)
	e.kPost("/api/v1/clients", other, "shared", kClient("y")).wantError(http.StatusUnprocessableEntity, "idempotency_key_reused", "")
	if e.kCount(e.admin) != 1 || e.kCount(other) != 1 {
		t.Error("each company should have exactly its one client")
	}
}

func TestIdempotencyKeyInFlight(t *testing.T) { forEachEngine(t, testIdempotencyKeyInFlight) }

func testIdempotencyKeyInFlight(t *testing.T, open openStore) {
	e := newEnv(t, open)
	a := e.kActor(e.admin)
	body := kClient("f")
	fp := kFingerprint("POST", "/api/v1/clients", a.UserID, body)

	// A claim without a response is a request still running.
	e.kPlant(e.admin, "busy", fp, nil, time.Now())
	e.kPost("/api/v1/clients", e.admin, "busy", body).wantError(http.StatusConflict, "idempotency_key_in_flight", "")
	e.kPost("/api/v1/clients", e.admin, "busy", kClient("g")).wantError(http.StatusUnprocessableEntity, "idempotency_key_reused", "")
	if n := e.kCount(e.admin); n != 0 {
		t.Errorf("%d clients after in-flight refusals, want 0", n)
	}
	// A claim older than the claim TTL belongs to a request that died: a retry takes over.
	e.kPlant(e.admin, "dead", fp, nil, time.Now().Add(-clientele.IdempotencyClaimTTL-time.Second))
	r := e.kPost("/api/v1/clients", e.admin, "dead", body).want(http.StatusCreated)
	e.kPost("/api/v1/clients", e.admin, "dead", body).wantReplay(r)
	// An expired key is free, whatever it held.
	e.kPlant(e.admin, "old", []byte("another request"), []byte("garbage"), time.Now().Add(-clientele.IdempotencyTTL-time.Second))
	e.kPost("/api/v1/clients", e.admin, "old", kClient("h")).want(http.StatusCreated)
	if n := e.kCount(e.admin); n != 2 {
		t.Errorf("%d clients, want 2", n)
	}

	// A request whose claim was taken over cannot complete the key: its create is undone.
	ctx := context.Background()
	_, claimed, err := e.svc.ClaimIdempotencyKey(ctx, a, kDigest("lost"), fp)
	if err != nil {
		t.Fatal(err)
	}
	e.kPlant(e.admin, "lost", fp, nil, claimed.Add(time.Second))
	_, err = e.svc.CreateClient(ctx, a, clientele.ClientInput{Name: ptr("Lost")}, clientele.Options{
		Idempotency: &clientele.Idempotent{Key: kDigest("lost"), ClaimedAt: claimed,
			Response: func(any) ([]byte, error) { return []byte("r"), nil }}})
	if clientele.KindOf(err) != clientele.Conflict {
		t.Fatalf("a create under a lost claim: %v, want Conflict", err)
	}
	if n := e.kCount(e.admin); n != 2 {
		t.Errorf("%d clients after a create under a lost claim, want 2", n)
	}
}

func ptr[T any](v T) *T { return &v }

// TestIdempotencyRelease: a released key (what a 5xx does) is free at once;
// a release by a claim that was taken over, or of a finished key, changes nothing.
func TestIdempotencyRelease(t *testing.T) { forEachEngine(t, testIdempotencyRelease) }

func testIdempotencyRelease(t *testing.T, open openStore) {
	e := newEnv(t, open)
	ctx := context.Background()
	a := e.kActor(e.admin)
	key, fp := kDigest("r"), []byte("fp")
	_, first, err := e.svc.ClaimIdempotencyKey(ctx, a, key, fp)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.ClaimIdempotencyKey(ctx, a, key, fp); clientele.KindOf(err) != clientele.Conflict {
		t.Fatalf("a second claim while the first runs: %v, want Conflict", err)
	}
	if err := e.svc.ReleaseIdempotencyKey(ctx, a, key, first); err != nil {
		t.Fatal(err)
	}
	_, second, err := e.svc.ClaimIdempotencyKey(ctx, a, key, fp)
	if err != nil {
		t.Fatalf("a claim after a release: %v", err)
	}
	if err := e.svc.ReleaseIdempotencyKey(ctx, a, key, first); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.FinishIdempotencyKey(ctx, a, key, first, []byte("stale")); clientele.KindOf(err) != clientele.Conflict {
		t.Errorf("finishing under a lost claim: %v, want Conflict", err)
	}
	if err := e.svc.FinishIdempotencyKey(ctx, a, key, second, []byte("answer")); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ReleaseIdempotencyKey(ctx, a, key, second); err != nil {
		t.Fatal(err)
	}
	if got, _, err := e.svc.ClaimIdempotencyKey(ctx, a, key, fp); err != nil || string(got) != "answer" {
		t.Errorf("the finished key: %q, %v; want its answer", got, err)
	}
}

// TestIdempotencyConcurrentRetries: the same create sent many times at once
// creates one client; every answer is the create, its replay or in-flight.
func TestIdempotencyConcurrentRetries(t *testing.T) {
	forEachEngine(t, testIdempotencyConcurrentRetries)
}

func testIdempotencyConcurrentRetries(t *testing.T, open openStore) {
	e := newEnv(t, open)
	for round := range 5 {
		key, body := fmt.Sprintf("race-%d", round), kClient(fmt.Sprintf("r%d", round))
		var wg sync.WaitGroup
		type answer struct {
			status   int
			replayed bool
			code     string
			body     []byte
		}
		answers := make([]answer, 6)
		for i := range answers {
			wg.Go(func() {
				req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/clients", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/vnd.api+json")
				req.Header.Set("Authorization", "Bearer "+e.admin)
				req.Header.Set("Idempotency-Key", key)
				res, err := e.srv.Client().Do(req)
				if err != nil {
					return
				}
				raw, _ := io.ReadAll(res.Body)
				res.Body.Close()
				var doc struct{ Errors []struct{ Code string } }
				json.Unmarshal(raw, &doc)
				a := answer{status: res.StatusCode, replayed: res.Header.Get("Idempotent-Replayed") == "true", body: raw}
				if len(doc.Errors) > 0 {
					a.code = doc.Errors[0].Code
				}
				answers[i] = a
			})
		}
		wg.Wait()
		var created []byte
		originals := 0
		for _, a := range answers {
			switch {
			case a.status == http.StatusCreated && !a.replayed:
				originals++
				created = a.body
			case a.status == http.StatusCreated, a.status == http.StatusConflict && a.code == "idempotency_key_in_flight":
			default:
				t.Fatalf("round %d: answer %d %s", round, a.status, a.body)
			}
		}
		if originals != 1 {
			t.Fatalf("round %d: %d original creates, want 1", round, originals)
		}
		for _, a := range answers {
			if a.status == http.StatusCreated && !bytes.Equal(a.body, created) {
				t.Errorf("round %d: a replay differs from the create", round)
			}
		}
	}
	if n := e.kCount(e.admin); n != 5 {
		t.Errorf("%d clients after 5 rounds, want 5", n)
	}
}

// TestIdempotentTokenSecretSealed: a token's create replays its secret, which
// the database does not hold in the clear.
func TestIdempotentTokenSecretSealed(t *testing.T) { forEachEngine(t, testIdempotentTokenSecretSealed) }

func testIdempotentTokenSecretSealed(t *testing.T, open openStore) {
	e := newEnv(t, open)
	body := `{"data":{"type":"tokens","attributes":{"name":"ci"}}}`
	first := e.kPost("/api/v1/tokens", e.admin, "tok", body).want(http.StatusCreated)
	secret, _ := iMeta(first)["secret"].(string)
	if secret == "" {
		t.Fatal("no secret")
	}
	e.kPost("/api/v1/tokens", e.admin, "tok", body).wantReplay(first)
	k, err := e.kStored(e.admin, "tok")
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Response) == 0 || bytes.Contains(k.Response, []byte(secret)) || bytes.Contains(k.Response, []byte("tokens")) {
		t.Error("the stored response is not sealed")
	}
	if bytes.Contains(k.Key, []byte("tok")) {
		t.Error("the store holds the key as sent")
	}
	if _, err := e.svc.Authenticate(context.Background(), secret); err != nil {
		t.Errorf("the replayed secret does not authenticate: %v", err)
	}
}

func TestIdempotencySweep(t *testing.T) { forEachEngine(t, testIdempotencySweep) }

func testIdempotencySweep(t *testing.T, open openStore) {
	e := newEnv(t, open)
	other, _ := e.newCompany("other")
	e.kPlant(e.admin, "old", []byte("f"), []byte("r"), time.Now().Add(-clientele.IdempotencyTTL-time.Minute))
	e.kPlant(other, "old", []byte("f"), nil, time.Now().Add(-clientele.IdempotencyTTL-time.Minute))
	e.kPlant(e.admin, "young", []byte("f"), []byte("r"), time.Now().Add(-clientele.IdempotencyTTL+time.Minute))
	n, err := e.svc.SweepIdempotencyKeys(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("SweepIdempotencyKeys: %d, %v; want 2, nil", n, err)
	}
	for _, c := range []struct {
		token, key string
		gone       bool
	}{{e.admin, "old", true}, {other, "old", true}, {e.admin, "young", false}} {
		if _, err := e.kStored(c.token, c.key); clientele.IsNotFound(err) != c.gone {
			t.Errorf("key %s: %v after the sweep, want gone %v", c.key, err, c.gone)
		}
	}
}
