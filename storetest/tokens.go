package storetest

import (
	"testing"

	"github.com/clientele/clientele"
)

var tokenTests = []test{
	{"CreateSetsIncreasingIDs", testTokenIDs},
	{"RoundTrip", testTokenRoundTrip},
	{"MissingIsNotFound", testTokenMissing},
	{"TokenByHashFindsAnyCompany", testTokenByHash},
	{"TouchSetsLastUsedAt", testTokenTouch},
	{"DeleteRemovesToken", testTokenDelete},
	{"ListPagesByIDAndFiltersByUser", testTokenList},
}

func testTokenIDs(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	a := newToken(t, s, tn.ID(), tn.Admin.ID)
	b := newToken(t, s, other.ID(), other.Admin.ID)
	c := newToken(t, s, tn.ID(), tn.Admin.ID)
	d := newToken(t, s, other.ID(), other.Admin.ID)
	checkIncreasingIDs(t, "CreateToken", a.ID, c.ID)
	checkIncreasingIDs(t, "CreateToken in another company", b.ID, d.ID)
}

func testTokenRoundTrip(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	hash := make([]byte, 32)
	for i := range hash {
		hash[i] = byte(i * 37) // includes 0x00 and bytes above 0x7f
	}
	want := clientele.Token{CompanyID: tn.ID(), UserID: tn.Admin.ID, Name: "CI — deploy 'token'", Hash: hash, CreatedAt: at(3)}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateToken(ctx, &want) })
	if want.ID <= 0 {
		t.Fatalf("CreateToken set ID %d, want a positive id", want.ID)
	}
	got := get(t, s, tokenOf(tn.ID(), want.ID))
	checkEqual(t, "Token", got, want)
	if !got.LastUsedAt.IsZero() {
		t.Errorf("Token never used: LastUsedAt %v, want the zero time", got.LastUsedAt)
	}
	checkEqual(t, "TokenByHash", get(t, s, tokenByHash(hash)), want)
}

func testTokenMissing(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	k := newToken(t, s, tn.ID(), tn.Admin.ID)
	wantNotFound(t, getErr(s, tokenOf(tn.ID(), k.ID+1000)), "Token of a missing id")
	other := newHash()
	wantNotFound(t, getErr(s, tokenByHash(other)), "TokenByHash of an unknown hash")
	wantNotFound(t, getErr(s, tokenByHash(k.Hash[:16])), "TokenByHash of a prefix of a hash")
	wantNotFound(t, getErr(s, tokenByHash(nil)), "TokenByHash of no hash")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.DeleteToken(ctx, tn.ID(), k.ID+1000) }), "DeleteToken of a missing id")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.TouchToken(ctx, tn.ID(), k.ID+1000, at(9)) }), "TouchToken of a missing id")
	checkEqual(t, "Token after the failed calls", get(t, s, tokenOf(tn.ID(), k.ID)), k)
}

func testTokenByHash(t *testing.T, s clientele.Store) {
	a := newTenant(t, s, "a")
	b := newTenant(t, s, "b")
	ka := newToken(t, s, a.ID(), a.Admin.ID)
	kb := newToken(t, s, b.ID(), b.Admin.ID)
	checkEqual(t, "TokenByHash of company a's token", get(t, s, tokenByHash(ka.Hash)), ka)
	checkEqual(t, "TokenByHash of company b's token", get(t, s, tokenByHash(kb.Hash)), kb)
}

func testTokenTouch(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	k := newToken(t, s, tn.ID(), tn.Admin.ID)
	other := newToken(t, s, tn.ID(), tn.Admin.ID)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.TouchToken(ctx, tn.ID(), k.ID, at(9)) })
	k.LastUsedAt = at(9)
	checkEqual(t, "Token after TouchToken", get(t, s, tokenOf(tn.ID(), k.ID)), k)
	checkEqual(t, "TokenByHash after TouchToken", get(t, s, tokenByHash(k.Hash)), k)
	checkEqual(t, "another token after TouchToken", get(t, s, tokenOf(tn.ID(), other.ID)), other)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.TouchToken(ctx, tn.ID(), k.ID, at(12)) })
	k.LastUsedAt = at(12)
	checkEqual(t, "Token after a second TouchToken", get(t, s, tokenOf(tn.ID(), k.ID)), k)
}

func testTokenDelete(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	k := newToken(t, s, tn.ID(), tn.Admin.ID)
	keep := newToken(t, s, tn.ID(), tn.Admin.ID)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteToken(ctx, tn.ID(), k.ID) })
	wantNotFound(t, getErr(s, tokenOf(tn.ID(), k.ID)), "Token after DeleteToken")
	wantNotFound(t, getErr(s, tokenByHash(k.Hash)), "TokenByHash after DeleteToken")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.DeleteToken(ctx, tn.ID(), k.ID) }), "DeleteToken of a deleted token")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.TouchToken(ctx, tn.ID(), k.ID, at(9)) }), "TouchToken of a deleted token")
	checkIDs(t, "Tokens after DeleteToken", get(t, s, tokensOf(tn.ID(), clientele.TokenQuery{Page: all})), tokenID, keep.ID)
	checkEqual(t, "the other token", get(t, s, tokenByHash(keep.Hash)), keep)
}

func testTokenList(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	u := newUser(t, s, tn.ID(), "pat@acme.example", clientele.RoleMember)
	var ids, adminIDs, userIDs []int64
	for i := range 6 {
		owner := tn.Admin.ID
		if i%2 == 1 {
			owner = u.ID
		}
		k := newToken(t, s, tn.ID(), owner)
		ids = append(ids, k.ID)
		if owner == u.ID {
			userIDs = append(userIDs, k.ID)
		} else {
			adminIDs = append(adminIDs, k.ID)
		}
		newToken(t, s, other.ID(), other.Admin.ID)
	}
	list := func(q clientele.TokenQuery) []clientele.Token { return get(t, s, tokensOf(tn.ID(), q)) }
	got := list(clientele.TokenQuery{Page: all})
	checkIDs(t, "Tokens", got, tokenID, ids...)
	if len(got) > 0 {
		checkEqual(t, "Tokens[0]", got[0], get(t, s, tokenOf(tn.ID(), ids[0])))
	}
	checkIDs(t, "Tokens limit 4", list(clientele.TokenQuery{Page: clientele.Page{Limit: 4}}), tokenID, ids[:4]...)
	checkIDs(t, "Tokens limit 4 after the fourth", list(clientele.TokenQuery{Page: clientele.Page{Limit: 4, After: clientele.Position{ID: ids[3]}}}), tokenID, ids[4:]...)
	checkIDs(t, "Tokens of the admin", list(clientele.TokenQuery{UserID: tn.Admin.ID, Page: all}), tokenID, adminIDs...)
	checkIDs(t, "Tokens of the member", list(clientele.TokenQuery{UserID: u.ID, Page: all}), tokenID, userIDs...)
	checkIDs(t, "Tokens of the member limit 2", list(clientele.TokenQuery{UserID: u.ID, Page: clientele.Page{Limit: 2}}), tokenID, userIDs[:2]...)
	checkIDs(t, "Tokens of the member after its first", list(clientele.TokenQuery{UserID: u.ID, Page: clientele.Page{Limit: 10, After: clientele.Position{ID: userIDs[0]}}}), tokenID, userIDs[1:]...)
	checkIDs(t, "Tokens of a user without tokens", list(clientele.TokenQuery{UserID: u.ID + 1000, Page: all}), tokenID)
}
