package storetest

import (
	"testing"

	"github.com/clientele/clientele"
)

var userTests = []test{
	{"CreateSetsIncreasingIDs", testUserIDs},
	{"RoundTrip", testUserRoundTrip},
	{"UserByEmailIgnoresCase", testUserByEmail},
	{"MissingIsNotFound", testUserMissing},
	{"DuplicateEmailIsConflict", testUserEmailConflict},
	{"SameEmailInAnotherCompany", testUserEmailOtherCompany},
	{"UpdateStoresAttributes", testUserUpdate},
	{"UpdateToTakenEmailIsConflict", testUserUpdateConflict},
	{"UpdateMissingIsNotFound", testUserUpdateMissing},
	{"ListPagesByID", testUserList},
	{"CountAdmins", testCountAdmins},
	{"DeleteRemovesUser", testUserDelete},
	{"DeleteRemovesItsTokens", testUserDeleteTokens},
	{"DeleteClearsClientRelationships", testUserDeleteClients},
	{"DeleteMissingIsNotFound", testUserDeleteMissing},
}

func testUserIDs(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	a := newUser(t, s, tn.ID(), "a@acme.example", clientele.RoleMember)
	b := newUser(t, s, other.ID(), "b@other.example", clientele.RoleMember)
	c := newUser(t, s, tn.ID(), "c@acme.example", clientele.RoleAdmin)
	checkIncreasingIDs(t, "CreateUser", tn.Admin.ID, a.ID, c.ID)
	checkIncreasingIDs(t, "CreateUser in another company", other.Admin.ID, b.ID)
}

func testUserRoundTrip(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	want := clientele.User{CompanyID: tn.ID(), FullName: "Zoë O'Brien", Email: "Zoe.OBrien@Acme.example", Role: clientele.RoleMember, CreatedAt: at(3), UpdatedAt: at(4)}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateUser(ctx, &want) })
	if want.ID <= 0 {
		t.Fatalf("CreateUser set ID %d, want a positive id", want.ID)
	}
	checkEqual(t, "User", get(t, s, userOf(tn.ID(), want.ID)), want)
	checkEqual(t, "UserByEmail", get(t, s, userByEmail(tn.ID(), want.Email)), want)
	checkEqual(t, "the admin", get(t, s, userOf(tn.ID(), tn.Admin.ID)), tn.Admin)
}

func testUserByEmail(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	u := newUser(t, s, tn.ID(), "Mixed.Case@Acme.Example", clientele.RoleMember)
	for _, email := range []string{"mixed.case@acme.example", "MIXED.CASE@ACME.EXAMPLE", "Mixed.Case@Acme.Example"} {
		checkEqual(t, "UserByEmail("+email+")", get(t, s, userByEmail(tn.ID(), email)), u)
	}
	checkEqual(t, "UserByEmail of the admin", get(t, s, userByEmail(tn.ID(), tn.Admin.Email)), tn.Admin)
}

func testUserMissing(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	wantNotFound(t, getErr(s, userOf(tn.ID(), tn.Admin.ID+1000)), "User of a missing id")
	wantNotFound(t, getErr(s, userOf(tn.ID()+1000, tn.Admin.ID)), "User of a missing company")
	wantNotFound(t, getErr(s, userByEmail(tn.ID(), "nobody@acme.example")), "UserByEmail of an unknown e-mail")
	wantNotFound(t, getErr(s, userByEmail(tn.ID(), "admin@acme")), "UserByEmail of a prefix of an e-mail")
}

func testUserEmailConflict(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	u := newUser(t, s, tn.ID(), "pat@acme.example", clientele.RoleMember)
	for _, email := range []string{"pat@acme.example", "PAT@Acme.Example"} {
		dup := clientele.User{CompanyID: tn.ID(), FullName: "Dup", Email: email, Role: clientele.RoleAdmin, CreatedAt: at(5), UpdatedAt: at(5)}
		err := s.Write(ctx, func(tx clientele.Tx) error { return tx.CreateUser(ctx, &dup) })
		wantConflict(t, err, "email", "CreateUser with the taken e-mail "+email)
	}
	checkEqual(t, "UserByEmail after the conflicts", get(t, s, userByEmail(tn.ID(), "pat@acme.example")), u)
	checkIDs(t, "Users after the conflicts", get(t, s, usersOf(tn.ID(), clientele.UserQuery{Page: all})), userID, tn.Admin.ID, u.ID)
}

func testUserEmailOtherCompany(t *testing.T, s clientele.Store) {
	a := newTenant(t, s, "a")
	b := newTenant(t, s, "b")
	ua := newUser(t, s, a.ID(), "pat@example.com", clientele.RoleMember)
	ub := newUser(t, s, b.ID(), "Pat@Example.com", clientele.RoleAdmin)
	checkEqual(t, "UserByEmail in company a", get(t, s, userByEmail(a.ID(), "pat@example.com")), ua)
	checkEqual(t, "UserByEmail in company b", get(t, s, userByEmail(b.ID(), "pat@example.com")), ub)
}

func testUserUpdate(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	u := newUser(t, s, tn.ID(), "pat@acme.example", clientele.RoleMember)
	u.FullName, u.Email, u.Role, u.UpdatedAt = "Patricia Doe", "Patricia@Acme.example", clientele.RoleAdmin, at(9)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateUser(ctx, u) })
	checkEqual(t, "User after UpdateUser", get(t, s, userOf(tn.ID(), u.ID)), u)
	checkEqual(t, "UserByEmail of the new e-mail", get(t, s, userByEmail(tn.ID(), "patricia@acme.example")), u)
	wantNotFound(t, getErr(s, userByEmail(tn.ID(), "pat@acme.example")), "UserByEmail of the old e-mail")
	checkEqual(t, "another user after UpdateUser", get(t, s, userOf(tn.ID(), tn.Admin.ID)), tn.Admin)

	// Changing only the case of one's own e-mail is no conflict.
	u.Email, u.UpdatedAt = "PATRICIA@ACME.EXAMPLE", at(10)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateUser(ctx, u) })
	checkEqual(t, "User after changing the case of its e-mail", get(t, s, userOf(tn.ID(), u.ID)), u)
}

func testUserUpdateConflict(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	u := newUser(t, s, tn.ID(), "pat@acme.example", clientele.RoleMember)
	changed := u
	changed.FullName, changed.Email, changed.UpdatedAt = "Changed", "ADMIN@acme.example", at(9)
	err := s.Write(ctx, func(tx clientele.Tx) error { return tx.UpdateUser(ctx, changed) })
	wantConflict(t, err, "email", "UpdateUser to another user's e-mail")
	checkEqual(t, "User after the conflict", get(t, s, userOf(tn.ID(), u.ID)), u)
}

func testUserUpdateMissing(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	ghost := clientele.User{ID: tn.Admin.ID + 1000, CompanyID: tn.ID(), FullName: "Ghost", Email: "ghost@acme.example", Role: clientele.RoleAdmin, CreatedAt: at(1), UpdatedAt: at(1)}
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.UpdateUser(ctx, ghost) }), "UpdateUser of a missing id")
	wantNotFound(t, getErr(s, userByEmail(tn.ID(), "ghost@acme.example")), "UserByEmail after UpdateUser of a missing id")
}

func testUserList(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	ids := []int64{tn.Admin.ID}
	for _, email := range []string{"b@acme.example", "c@acme.example", "d@acme.example", "e@acme.example"} {
		ids = append(ids, newUser(t, s, tn.ID(), email, clientele.RoleMember).ID)
		newUser(t, s, other.ID(), email, clientele.RoleMember)
	}
	list := func(p clientele.Page) []clientele.User {
		return get(t, s, usersOf(tn.ID(), clientele.UserQuery{Page: p}))
	}
	got := list(all)
	checkIDs(t, "Users", got, userID, ids...)
	if len(got) > 0 {
		checkEqual(t, "Users[0]", got[0], tn.Admin)
	}
	checkIDs(t, "Users limit 2", list(clientele.Page{Limit: 2}), userID, ids[:2]...)
	checkIDs(t, "Users limit 2 after the second", list(clientele.Page{Limit: 2, After: clientele.Position{ID: ids[1]}}), userID, ids[2:4]...)
	checkIDs(t, "Users limit 2 after the fourth", list(clientele.Page{Limit: 2, After: clientele.Position{ID: ids[3]}}), userID, ids[4])
	checkIDs(t, "Users after the last", list(clientele.Page{Limit: 10, After: clientele.Position{ID: ids[4]}}), userID)
	if ids[2]+1 < ids[3] {
		checkIDs(t, "Users limit 1 after an id of no user of the company", list(clientele.Page{Limit: 1, After: clientele.Position{ID: ids[2] + 1}}), userID, ids[3])
	}
}

func testCountAdmins(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	newUser(t, s, other.ID(), "second@other.example", clientele.RoleAdmin)
	count := func(what string, want int) {
		t.Helper()
		if got := get(t, s, countAdmins(tn.ID())); got != want {
			t.Errorf("CountAdmins %s: got %d, want %d", what, got, want)
		}
	}
	count("with one admin", 1)
	member := newUser(t, s, tn.ID(), "member@acme.example", clientele.RoleMember)
	count("with one admin and a member", 1)
	second := newUser(t, s, tn.ID(), "second@acme.example", clientele.RoleAdmin)
	count("with two admins and a member", 2)
	member.Role, member.UpdatedAt = clientele.RoleAdmin, at(9)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateUser(ctx, member) })
	count("after promoting the member", 3)
	second.Role, second.UpdatedAt = clientele.RoleMember, at(9)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateUser(ctx, second) })
	count("after demoting an admin", 2)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteUser(ctx, tn.ID(), member.ID, at(9)) })
	count("after deleting an admin", 1)
	if got := get(t, s, countAdmins(tn.ID()+1000)); got != 0 {
		t.Errorf("CountAdmins of a missing company: got %d, want 0", got)
	}
}

func testUserDelete(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	u := newUser(t, s, tn.ID(), "pat@acme.example", clientele.RoleMember)
	keep := newUser(t, s, tn.ID(), "kim@acme.example", clientele.RoleMember)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteUser(ctx, tn.ID(), u.ID, at(9)) })
	wantNotFound(t, getErr(s, userOf(tn.ID(), u.ID)), "User after DeleteUser")
	wantNotFound(t, getErr(s, userByEmail(tn.ID(), u.Email)), "UserByEmail after DeleteUser")
	checkIDs(t, "Users after DeleteUser", get(t, s, usersOf(tn.ID(), clientele.UserQuery{Page: all})), userID, tn.Admin.ID, keep.ID)
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.DeleteUser(ctx, tn.ID(), u.ID, at(9)) }), "DeleteUser of a deleted user")
}

func testUserDeleteTokens(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	u := newUser(t, s, tn.ID(), "pat@acme.example", clientele.RoleMember)
	k1 := newToken(t, s, tn.ID(), u.ID)
	keep := newToken(t, s, tn.ID(), tn.Admin.ID)
	k2 := newToken(t, s, tn.ID(), u.ID)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteUser(ctx, tn.ID(), u.ID, at(9)) })
	for _, k := range []clientele.Token{k1, k2} {
		wantNotFound(t, getErr(s, tokenOf(tn.ID(), k.ID)), "Token of a deleted user")
		wantNotFound(t, getErr(s, tokenByHash(k.Hash)), "TokenByHash of a deleted user's token")
	}
	checkIDs(t, "Tokens of the deleted user", get(t, s, tokensOf(tn.ID(), clientele.TokenQuery{UserID: u.ID, Page: all})), tokenID)
	checkIDs(t, "Tokens after DeleteUser", get(t, s, tokensOf(tn.ID(), clientele.TokenQuery{Page: all})), tokenID, keep.ID)
	checkEqual(t, "another user's token", get(t, s, tokenByHash(keep.Hash)), keep)
}

func testUserDeleteClients(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	u := newUser(t, s, tn.ID(), "pat@acme.example", clientele.RoleMember)
	kim := newUser(t, s, tn.ID(), "kim@acme.example", clientele.RoleMember)
	admin := tn.Admin.ID
	all3 := newClient(t, s, fullClient(tn.ID(), 1, u.ID, u.ID, u.ID))
	owner := newClient(t, s, fullClient(tn.ID(), 2, u.ID, kim.ID, admin))
	sales := newClient(t, s, fullClient(tn.ID(), 3, kim.ID, u.ID, admin))
	cm := newClient(t, s, fullClient(tn.ID(), 4, admin, kim.ID, u.ID))
	none := newClient(t, s, fullClient(tn.ID(), 5, kim.ID, admin, kim.ID))
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteUser(ctx, tn.ID(), u.ID, at(9)) })

	all3.OwnerID, all3.SalespersonID, all3.CaseManagerID = 0, 0, 0
	owner.OwnerID = 0
	sales.SalespersonID = 0
	cm.CaseManagerID = 0
	// Each relationship that named the user is one write that moves
	// updated_at forward (at(9) lies before it): all3 moves three times.
	for _, c := range []*clientele.Client{&all3, &all3, &all3, &owner, &sales, &cm} {
		c.UpdatedAt = touched(at(9), c.UpdatedAt)
	}
	for _, want := range []clientele.Client{all3, owner, sales, cm, none} {
		got := get(t, s, clientOf(tn.ID(), want.ID))
		checkEqual(t, "Client "+want.Name+" after DeleteUser", got, want)
	}
}

func testUserDeleteMissing(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.DeleteUser(ctx, tn.ID(), tn.Admin.ID+1000, at(9)) }), "DeleteUser of a missing id")
	checkIDs(t, "Users after DeleteUser of a missing id", get(t, s, usersOf(tn.ID(), clientele.UserQuery{Page: all})), userID, tn.Admin.ID)
}
