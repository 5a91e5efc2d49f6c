package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/api"
	"github.com/clientele/clientele/argon2id"
	"github.com/clientele/clientele/internal/pgtest"
	"github.com/clientele/clientele/postgres"
	"github.com/clientele/clientele/sqlite"
)

// serveOn returns an env serving store with hasher, without creating a company.
func serveOn(t *testing.T, store clientele.Store, hasher clientele.PasswordHasher) *env {
	t.Helper()
	svc := clientele.NewService(store, hasher)
	srv := httptest.NewServer(api.New(svc, api.Config{Ready: store.Ping, Cursors: cursorsOf(t, store)}))
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, svc: svc, store: store}
}

// addPortalContact creates, as acme's admin, a client with Pat, who has portal access.
func (e *env) addPortalContact() {
	e.t.Helper()
	client := e.createClient(e.admin, map[string]any{"name": "Globex"})
	e.createContact(e.admin, client, map[string]any{"first_name": "Pat", "email": "pat@globex.example",
		"portal_access": true, "password": portalPassword})
}

// TestPortalLockoutSurvivesRestart: the failures are in the database, so a
// restarted process (the same SQLite file opened again) still locks out.
func TestPortalLockoutSurvivesRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "clientele.db")
	open := func() clientele.Store {
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	first := open()
	e := serveOn(t, first, testHasher)
	e.admin, e.userID = e.newCompany("acme")
	e.addPortalContact()
	for range clientele.PortalMaxFailures {
		e.login("acme", "pat@globex.example", "wrong password!").want(http.StatusUnauthorized)
	}
	e.srv.Close()
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second := open()
	t.Cleanup(func() { second.Close() })
	e = serveOn(t, second, testHasher)
	r := e.login("acme", "pat@globex.example", portalPassword).wantError(http.StatusTooManyRequests, "too_many_attempts", "")
	retryAfter(t, r)
}

// TestPortalLockoutAcrossNodes: two processes on one PostgreSQL database
// share the failures: attempts spread over both nodes lock out together.
func TestPortalLockoutAcrossNodes(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	node := func() *env {
		db, err := postgres.Open(context.Background(), url, postgres.Options{MaxConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return serveOn(t, db, testHasher)
	}
	a, b := node(), node()
	a.admin, a.userID = a.newCompany("acme")
	a.addPortalContact()
	for i := range clientele.PortalMaxFailures {
		[]*env{a, b}[i%2].login("acme", "pat@globex.example", "wrong password!").want(http.StatusUnauthorized)
	}
	for _, n := range []*env{a, b} {
		n.login("acme", "pat@globex.example", portalPassword).wantError(http.StatusTooManyRequests, "too_many_attempts", "")
	}
}

func TestPortalLoginTiming(t *testing.T) { forEachEngine(t, testPortalLoginTiming) }

// testPortalLoginTiming compares how long a wrong password takes for an
// e-mail with portal access and for an unknown e-mail, with the production
// Argon2id cost, so that a login that skipped the dummy verification (tens of
// milliseconds) would show. The samples interleave, in alternating order, so
// that load on the machine falls on both alike; the medians must be within a
// factor of two. A correct login after every few wrong ones clears the known
// e-mail's failures, so the lockout never answers instead; each unknown
// e-mail is used once for the same reason.
//
// Not parallel: it runs before the package's parallel tests start.
func testPortalLoginTiming(t *testing.T, open openStore) {
	if testing.Short() {
		t.Skip("timing with the production Argon2id cost: not in -short")
	}
	e := serveOn(t, open(t), argon2id.New(argon2id.Default, 2))
	e.admin, e.userID = e.newCompany("acme")
	e.addPortalContact()
	const tries = 50
	var known, unknown []time.Duration
	measure := func(email string, into *[]time.Duration) {
		start := time.Now()
		r := e.login("acme", email, "wrong password!")
		*into = append(*into, time.Since(start))
		r.wantError(http.StatusUnauthorized, "invalid_credentials", "")
	}
	for i := range tries {
		if i > 0 && i%(clientele.PortalMaxFailures-1) == 0 {
			e.login("acme", "pat@globex.example", portalPassword).want(http.StatusOK)
		}
		nobody := "nobody" + strconv.Itoa(i) + "@globex.example"
		if i%2 == 0 {
			measure("pat@globex.example", &known)
			measure(nobody, &unknown)
		} else {
			measure(nobody, &unknown)
			measure("pat@globex.example", &known)
		}
	}
	mk, mu := median(known), median(unknown)
	ratio := float64(mu) / float64(mk)
	t.Logf("median of %d wrong-password logins: known e-mail %v, unknown e-mail %v (unknown/known %.2f)", tries, mk, mu, ratio)
	if ratio < 0.5 || ratio > 2 {
		t.Errorf("unknown/known login time %.2f (medians %v, %v), want between 0.5 and 2", ratio, mu, mk)
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
