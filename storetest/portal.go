package storetest

import (
	"testing"
	"time"

	"github.com/clientele/clientele"
)

var portalTests = []test{
	{"SessionRoundTrip", testPortalSessionRoundTrip},
	{"SessionMissingIsNotFound", testPortalSessionMissing},
	{"DeleteSessionsOfContactKeepsOne", testPortalDeleteSessions},
	{"DeleteExpiredSessions", testPortalDeleteExpired},
	{"DeletingContactOrClientDeletesSessions", testPortalSessionCascade},
	{"SessionOfAContactOfAnotherCompanyIsRefused", testPortalSessionTenancy},
	{"Failures", testPortalFailures},
	{"DeleteFailures", testPortalDeleteFailures},
}

// portalFixture is a company with a client and two contacts with portal access.
type portalFixture struct {
	tn     tenant
	client clientele.Client
	a, b   clientele.Contact
}

func newPortalFixture(t *testing.T, s clientele.Store, slug string) portalFixture {
	t.Helper()
	tn := newTenant(t, s, slug)
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	return portalFixture{tn: tn, client: c,
		a: newContact(t, s, fullContact(tn.ID(), c.ID, 1, true, true)),
		b: newContact(t, s, fullContact(tn.ID(), c.ID, 2, false, true))}
}

func newSession(t *testing.T, s clientele.Store, companyID, contactID int64, created, expires time.Time) clientele.PortalSession {
	t.Helper()
	p := clientele.PortalSession{CompanyID: companyID, ContactID: contactID, Hash: newHash(), CreatedAt: created, ExpiresAt: expires}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreatePortalSession(ctx, &p) })
	return p
}

func sessionByHash(hash []byte) func(clientele.Tx) (clientele.PortalSession, error) {
	return func(tx clientele.Tx) (clientele.PortalSession, error) { return tx.PortalSessionByHash(ctx, hash) }
}

func failuresOf(companyID int64, key string, since time.Time) func(clientele.Tx) ([]time.Time, error) {
	return func(tx clientele.Tx) ([]time.Time, error) { return tx.PortalFailures(ctx, companyID, key, since) }
}

// checkSessions fails unless exactly the sessions want are found by their
// hashes among all.
func checkSessions(t *testing.T, s clientele.Store, what string, all []clientele.PortalSession, want ...clientele.PortalSession) {
	t.Helper()
	for _, p := range all {
		err := getErr(s, sessionByHash(p.Hash))
		kept := false
		for _, w := range want {
			kept = kept || w.ID == p.ID
		}
		switch {
		case kept && err != nil:
			t.Errorf("%s: session %d: %v, want it kept", what, p.ID, err)
		case !kept:
			wantNotFound(t, err, what+": a deleted session")
		}
	}
}

func testPortalSessionRoundTrip(t *testing.T, s clientele.Store) {
	f := newPortalFixture(t, s, "acme")
	want := newSession(t, s, f.tn.ID(), f.a.ID, at(7), at(7).Add(clientele.PortalSessionTTL))
	if want.ID <= 0 {
		t.Fatalf("CreatePortalSession set ID %d, want a positive id", want.ID)
	}
	checkEqual(t, "PortalSessionByHash", get(t, s, sessionByHash(want.Hash)), want)
	other := newSession(t, s, f.tn.ID(), f.a.ID, at(8), at(9))
	checkIncreasingIDs(t, "CreatePortalSession", want.ID, other.ID)
	checkEqual(t, "PortalSessionByHash of the second", get(t, s, sessionByHash(other.Hash)), other)
}

func testPortalSessionMissing(t *testing.T, s clientele.Store) {
	f := newPortalFixture(t, s, "acme")
	p := newSession(t, s, f.tn.ID(), f.a.ID, at(7), at(9))
	wantNotFound(t, getErr(s, sessionByHash(newHash())), "PortalSessionByHash of an unknown hash")
	wantNotFound(t, getErr(s, sessionByHash(p.Hash[:16])), "PortalSessionByHash of a prefix of a hash")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.DeletePortalSession(ctx, f.tn.ID(), p.ID+1000) }),
		"DeletePortalSession of a missing id")
	other := newTenant(t, s, "other")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.DeletePortalSession(ctx, other.ID(), p.ID) }),
		"DeletePortalSession with another company's id")
	checkEqual(t, "session after the failed deletes", get(t, s, sessionByHash(p.Hash)), p)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeletePortalSession(ctx, f.tn.ID(), p.ID) })
	wantNotFound(t, getErr(s, sessionByHash(p.Hash)), "PortalSessionByHash after DeletePortalSession")
}

func testPortalDeleteSessions(t *testing.T, s clientele.Store) {
	f := newPortalFixture(t, s, "acme")
	other := newPortalFixture(t, s, "other")
	a1 := newSession(t, s, f.tn.ID(), f.a.ID, at(7), at(9))
	a2 := newSession(t, s, f.tn.ID(), f.a.ID, at(7), at(9))
	a3 := newSession(t, s, f.tn.ID(), f.a.ID, at(7), at(9))
	b1 := newSession(t, s, f.tn.ID(), f.b.ID, at(7), at(9))
	o1 := newSession(t, s, other.tn.ID(), other.a.ID, at(7), at(9))
	sessions := []clientele.PortalSession{a1, a2, a3, b1, o1}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeletePortalSessions(ctx, f.tn.ID(), f.a.ID, a2.ID) })
	checkSessions(t, s, "DeletePortalSessions keeping one", sessions, a2, b1, o1)
	// Another company's id of the contact deletes nothing.
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeletePortalSessions(ctx, other.tn.ID(), f.a.ID, 0) })
	checkSessions(t, s, "DeletePortalSessions with another company", sessions, a2, b1, o1)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeletePortalSessions(ctx, f.tn.ID(), f.a.ID, 0) })
	checkSessions(t, s, "DeletePortalSessions keeping none", sessions, b1, o1)
}

func testPortalDeleteExpired(t *testing.T, s clientele.Store) {
	f := newPortalFixture(t, s, "acme")
	other := newPortalFixture(t, s, "other")
	past := newSession(t, s, f.tn.ID(), f.a.ID, at(1), at(5))
	now := newSession(t, s, f.tn.ID(), f.b.ID, at(1), at(6))
	future := newSession(t, s, f.tn.ID(), f.a.ID, at(1), at(6).Add(time.Microsecond))
	otherPast := newSession(t, s, other.tn.ID(), other.a.ID, at(1), at(5))
	sessions := []clientele.PortalSession{past, now, future, otherPast}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteExpiredPortalSessions(ctx, f.tn.ID(), at(6)) })
	checkSessions(t, s, "DeleteExpiredPortalSessions", sessions, future, otherPast)
}

func testPortalSessionCascade(t *testing.T, s clientele.Store) {
	f := newPortalFixture(t, s, "acme")
	second := newClient(t, s, clientele.Client{CompanyID: f.tn.ID(), Name: "Second"})
	c := newContact(t, s, fullContact(f.tn.ID(), second.ID, 3, true, true))
	a := newSession(t, s, f.tn.ID(), f.a.ID, at(1), at(9))
	b := newSession(t, s, f.tn.ID(), f.b.ID, at(1), at(9))
	c1 := newSession(t, s, f.tn.ID(), c.ID, at(1), at(9))
	sessions := []clientele.PortalSession{a, b, c1}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteContact(ctx, f.tn.ID(), f.a.ID) })
	checkSessions(t, s, "after DeleteContact", sessions, b, c1)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteClient(ctx, f.tn.ID(), f.client.ID) })
	checkSessions(t, s, "after DeleteClient", sessions, c1)
}

func testPortalSessionTenancy(t *testing.T, s clientele.Store) {
	f := newPortalFixture(t, s, "acme")
	other := newTenant(t, s, "other")
	p := clientele.PortalSession{CompanyID: other.ID(), ContactID: f.a.ID, Hash: newHash(), CreatedAt: at(1), ExpiresAt: at(9)}
	if err := s.Write(ctx, func(tx clientele.Tx) error { return tx.CreatePortalSession(ctx, &p) }); err == nil {
		t.Fatal("CreatePortalSession for a contact of another company succeeded")
	}
	wantNotFound(t, getErr(s, sessionByHash(p.Hash)), "a session refused")
}

func testPortalFailures(t *testing.T, s clientele.Store) {
	f := newPortalFixture(t, s, "acme")
	other := newTenant(t, s, "other")
	add := func(companyID int64, key string, when time.Time) {
		t.Helper()
		mustWrite(t, s, func(tx clientele.Tx) error { return tx.AddPortalFailure(ctx, companyID, key, when) })
	}
	key := "zoe.1@client.example"
	add(f.tn.ID(), key, at(3))
	add(f.tn.ID(), key, at(1))
	add(f.tn.ID(), key, at(2))
	add(f.tn.ID(), key, at(2)) // the same instant twice counts twice
	add(f.tn.ID(), "someone@else.example", at(2))
	add(other.ID(), key, at(2))
	checkEqual(t, "PortalFailures since before all", get(t, s, failuresOf(f.tn.ID(), key, at(0))),
		[]time.Time{at(1), at(2), at(2), at(3)})
	checkEqual(t, "PortalFailures since at(1) (excluded)", get(t, s, failuresOf(f.tn.ID(), key, at(1))),
		[]time.Time{at(2), at(2), at(3)})
	if got := get(t, s, failuresOf(f.tn.ID(), key, at(3))); len(got) != 0 {
		t.Errorf("PortalFailures since the last: %v, want none", got)
	}
	if got := get(t, s, failuresOf(f.tn.ID(), "nobody@client.example", at(0))); len(got) != 0 {
		t.Errorf("PortalFailures of an e-mail without any: %v, want none", got)
	}
	checkEqual(t, "PortalFailures of another company", get(t, s, failuresOf(other.ID(), key, at(0))), []time.Time{at(2)})
}

func testPortalDeleteFailures(t *testing.T, s clientele.Store) {
	f := newPortalFixture(t, s, "acme")
	other := newTenant(t, s, "other")
	keys := []string{"a@client.example", "b@client.example"}
	for _, companyID := range []int64{f.tn.ID(), other.ID()} {
		for _, key := range keys {
			for n := 1; n <= 3; n++ {
				mustWrite(t, s, func(tx clientele.Tx) error { return tx.AddPortalFailure(ctx, companyID, key, at(n)) })
			}
		}
	}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeletePortalFailures(ctx, f.tn.ID(), keys[0], at(2)) })
	checkEqual(t, "failures of the e-mail after deleting those at or before at(2)",
		get(t, s, failuresOf(f.tn.ID(), keys[0], at(0))), []time.Time{at(3)})
	checkEqual(t, "failures of another e-mail", get(t, s, failuresOf(f.tn.ID(), keys[1], at(0))), []time.Time{at(1), at(2), at(3)})
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeletePortalFailures(ctx, f.tn.ID(), "", at(1)) })
	checkEqual(t, "failures of the other e-mail after deleting every e-mail's at or before at(1)",
		get(t, s, failuresOf(f.tn.ID(), keys[1], at(0))), []time.Time{at(2), at(3)})
	checkEqual(t, "the first e-mail's after deleting every e-mail's", get(t, s, failuresOf(f.tn.ID(), keys[0], at(0))), []time.Time{at(3)})
	for _, key := range keys {
		checkEqual(t, "another company's failures", get(t, s, failuresOf(other.ID(), key, at(0))), []time.Time{at(1), at(2), at(3)})
	}
}
