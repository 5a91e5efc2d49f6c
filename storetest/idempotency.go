package storetest

import (
	"testing"
	"time"

	"github.com/clientele/clientele"
)

var idempotencyTests = []test{
	{"RoundTrip", testIdemRoundTrip},
	{"Missing", testIdemMissing},
	{"PutReplaces", testIdemReplace},
	{"CompaniesApart", testIdemTenancy},
	{"Delete", testIdemDelete},
	{"DeleteExpired", testIdemSweep},
	{"RollBack", testIdemRollback},
}

var versionTests = []test{
	{"TouchClientMovesForward", testTouchForward},
	{"ClearPrimaryLocationMovesForward", testClearPrimaryForward},
	{"ClearMainContactMovesForward", testClearMainForward},
	{"DeleteUserMovesClientsForward", testDeleteUserForward},
}

// touched is what a write that sets updated_at to at leaves on a record
// whose updated_at was old: at, or a microsecond after old when at is not after it.
func touched(at, old time.Time) time.Time {
	if !at.After(old) {
		return old.Add(time.Microsecond)
	}
	return at
}

func idemKey(companyID int64, key string, response []byte, claimed time.Time) clientele.IdempotencyKey {
	return clientele.IdempotencyKey{CompanyID: companyID, Key: []byte(key), Fingerprint: []byte("fp-" + key),
		Response: response, ClaimedAt: claimed}
}

func putIdem(t *testing.T, s clientele.Store, k clientele.IdempotencyKey) {
	t.Helper()
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.PutIdempotencyKey(ctx, k) })
}

func idemOf(companyID int64, key string) func(clientele.Tx) (clientele.IdempotencyKey, error) {
	return func(tx clientele.Tx) (clientele.IdempotencyKey, error) {
		return tx.IdempotencyKey(ctx, companyID, []byte(key))
	}
}

func testIdemRoundTrip(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	claim := idemKey(tn.ID(), "k1", nil, at(1))
	putIdem(t, s, claim)
	got := get(t, s, idemOf(tn.ID(), "k1"))
	if got.Response != nil {
		t.Errorf("a claim's Response: got %q, want nil", got.Response)
	}
	checkEqual(t, "a claimed key", got, claim)

	done := idemKey(tn.ID(), "k2", []byte{0, 1, 2, 255}, at(2))
	putIdem(t, s, done)
	checkEqual(t, "a finished key", get(t, s, idemOf(tn.ID(), "k2")), done)
}

func testIdemMissing(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	wantNotFound(t, getErr(s, idemOf(tn.ID(), "nope")), "IdempotencyKey of a missing key")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.DeleteIdempotencyKey(ctx, tn.ID(), []byte("nope")) }),
		"DeleteIdempotencyKey of a missing key")
}

func testIdemReplace(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	putIdem(t, s, idemKey(tn.ID(), "k", nil, at(1)))
	done := idemKey(tn.ID(), "k", []byte("answer"), at(2))
	done.Fingerprint = []byte("other")
	putIdem(t, s, done)
	checkEqual(t, "a key after a second Put", get(t, s, idemOf(tn.ID(), "k")), done)
	again := idemKey(tn.ID(), "k", nil, at(3))
	putIdem(t, s, again)
	checkEqual(t, "a key put back to claimed", get(t, s, idemOf(tn.ID(), "k")), again)
}

func testIdemTenancy(t *testing.T, s clientele.Store) {
	a := newTenant(t, s, "a")
	b := newTenant(t, s, "b")
	ka := idemKey(a.ID(), "same", []byte("a's"), at(1))
	putIdem(t, s, ka)
	wantNotFound(t, getErr(s, idemOf(b.ID(), "same")), "another company's key")
	kb := idemKey(b.ID(), "same", []byte("b's"), at(2))
	putIdem(t, s, kb)
	checkEqual(t, "a's key after b put the same key", get(t, s, idemOf(a.ID(), "same")), ka)
	checkEqual(t, "b's key", get(t, s, idemOf(b.ID(), "same")), kb)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteIdempotencyKey(ctx, b.ID(), []byte("same")) })
	checkEqual(t, "a's key after b deleted the same key", get(t, s, idemOf(a.ID(), "same")), ka)
}

func testIdemDelete(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	putIdem(t, s, idemKey(tn.ID(), "gone", nil, at(1)))
	keep := idemKey(tn.ID(), "kept", nil, at(1))
	putIdem(t, s, keep)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteIdempotencyKey(ctx, tn.ID(), []byte("gone")) })
	wantNotFound(t, getErr(s, idemOf(tn.ID(), "gone")), "a deleted key")
	checkEqual(t, "another key after a delete", get(t, s, idemOf(tn.ID(), "kept")), keep)
}

func testIdemSweep(t *testing.T, s clientele.Store) {
	a := newTenant(t, s, "a")
	b := newTenant(t, s, "b")
	putIdem(t, s, idemKey(a.ID(), "old", []byte("x"), at(1)))
	putIdem(t, s, idemKey(b.ID(), "old", nil, at(2)))
	edge := idemKey(a.ID(), "edge", nil, at(3))
	putIdem(t, s, edge)
	young := idemKey(b.ID(), "young", []byte("y"), at(4))
	putIdem(t, s, young)
	var n int
	mustWrite(t, s, func(tx clientele.Tx) (err error) {
		n, err = tx.DeleteIdempotencyKeys(ctx, at(3))
		return err
	})
	if n != 2 {
		t.Errorf("DeleteIdempotencyKeys: %d deleted, want 2", n)
	}
	wantNotFound(t, getErr(s, idemOf(a.ID(), "old")), "a's expired key")
	wantNotFound(t, getErr(s, idemOf(b.ID(), "old")), "b's expired key")
	checkEqual(t, "a key claimed at the bound", get(t, s, idemOf(a.ID(), "edge")), edge)
	checkEqual(t, "a younger key", get(t, s, idemOf(b.ID(), "young")), young)
}

func testIdemRollback(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	err := s.Write(ctx, func(tx clientele.Tx) error {
		if err := tx.PutIdempotencyKey(ctx, idemKey(tn.ID(), "k", []byte("r"), at(1))); err != nil {
			return err
		}
		return clientele.ErrNotFound("anything")
	})
	wantNotFound(t, err, "the failing Write")
	wantNotFound(t, getErr(s, idemOf(tn.ID(), "k")), "a key put in a rolled-back Write")
}

func testTouchForward(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID(), CreatedAt: at(5), UpdatedAt: at(5)})
	for i, when := range []time.Time{at(1), at(5), at(5), at(6)} {
		before := get(t, s, clientOf(tn.ID(), c.ID)).UpdatedAt
		mustWrite(t, s, func(tx clientele.Tx) error { return tx.TouchClient(ctx, tn.ID(), c.ID, when) })
		got := get(t, s, clientOf(tn.ID(), c.ID)).UpdatedAt
		if want := touched(when, before); !got.Equal(want) {
			t.Errorf("touch %d at %s of updated_at %s: got %s, want %s", i, when, before, got, want)
		}
	}
}

func testClearPrimaryForward(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	l := newLocation(t, s, clientele.Location{CompanyID: tn.ID(), ClientID: c.ID, IsPrimary: true,
		CreatedAt: at(7), UpdatedAt: at(7)})
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.ClearPrimaryLocation(ctx, tn.ID(), c.ID, at(2)) })
	got := get(t, s, locationOf(tn.ID(), l.ID))
	if want := at(7).Add(time.Microsecond); got.IsPrimary || !got.UpdatedAt.Equal(want) {
		t.Errorf("ClearPrimaryLocation at an earlier time: is_primary %v, updated_at %s, want false, %s",
			got.IsPrimary, got.UpdatedAt, want)
	}
}

func testClearMainForward(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	m := fullContact(tn.ID(), c.ID, 1, true, false)
	m.CreatedAt, m.UpdatedAt = at(7), at(7)
	m = newContact(t, s, m)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.ClearMainContact(ctx, tn.ID(), c.ID, at(7)) })
	got := get(t, s, contactOf(tn.ID(), m.ID))
	if want := at(7).Add(time.Microsecond); got.IsMain || !got.UpdatedAt.Equal(want) {
		t.Errorf("ClearMainContact at the same time: is_main %v, updated_at %s, want false, %s",
			got.IsMain, got.UpdatedAt, want)
	}
}

func testDeleteUserForward(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	u := newUser(t, s, tn.ID(), "pat@acme.example", clientele.RoleMember)
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID(), OwnerID: u.ID, CreatedAt: at(8), UpdatedAt: at(8)})
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteUser(ctx, tn.ID(), u.ID, at(8)) })
	if got, want := get(t, s, clientOf(tn.ID(), c.ID)).UpdatedAt, at(8).Add(time.Microsecond); !got.Equal(want) {
		t.Errorf("a client of a user deleted at its updated_at: updated_at %s, want %s", got, want)
	}
}
