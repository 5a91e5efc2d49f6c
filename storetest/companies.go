package storetest

import (
	"testing"

	"github.com/clientele/clientele"
)

var companyTests = []test{
	{"HasCompanies", testHasCompanies},
	{"CreateSetsIncreasingIDs", testCompanyIDs},
	{"RoundTrip", testCompanyRoundTrip},
	{"MissingIsNotFound", testCompanyMissing},
	{"DuplicateSlugIsConflict", testCompanySlugConflict},
	{"UpdateStoresNameAndUpdatedAt", testCompanyUpdate},
	{"UpdateChangesNothingElse", testCompanyUpdateOnly},
	{"UpdateMissingIsNotFound", testCompanyUpdateMissing},
}

func testHasCompanies(t *testing.T, s clientele.Store) {
	if get(t, s, hasCompanies) {
		t.Error("HasCompanies of an empty store: got true")
	}
	newCompany(t, s, "acme")
	if !get(t, s, hasCompanies) {
		t.Error("HasCompanies with a company: got false")
	}
}

func testCompanyIDs(t *testing.T, s clientele.Store) {
	a := newCompany(t, s, "a")
	b := newCompany(t, s, "b")
	c := newCompany(t, s, "c")
	checkIncreasingIDs(t, "CreateCompany", a.ID, b.ID, c.ID)
}

func testCompanyRoundTrip(t *testing.T, s clientele.Store) {
	newCompany(t, s, "first")
	want := clientele.Company{Name: "Acme — Ünïcödé & 'Söhne'", Slug: "acme-2", CreatedAt: at(1), UpdatedAt: at(2)}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.CreateCompany(ctx, &want) })
	if want.ID <= 0 {
		t.Fatalf("CreateCompany set ID %d, want a positive id", want.ID)
	}
	checkEqual(t, "Company", get(t, s, companyOf(want.ID)), want)
	checkEqual(t, "CompanyBySlug", get(t, s, companyBySlug("acme-2")), want)
}

func testCompanyMissing(t *testing.T, s clientele.Store) {
	wantNotFound(t, getErr(s, companyOf(1)), "Company in an empty store")
	c := newCompany(t, s, "acme")
	wantNotFound(t, getErr(s, companyOf(c.ID+1000)), "Company of a missing id")
	wantNotFound(t, getErr(s, companyBySlug("other")), "CompanyBySlug of a missing slug")
	wantNotFound(t, getErr(s, companyBySlug("acm")), "CompanyBySlug of a prefix of a slug")
	wantNotFound(t, getErr(s, companyBySlug("")), "CompanyBySlug of an empty slug")
}

func testCompanySlugConflict(t *testing.T, s clientele.Store) {
	first := newCompany(t, s, "acme")
	dup := clientele.Company{Name: "Other", Slug: "acme", CreatedAt: at(5), UpdatedAt: at(5)}
	err := s.Write(ctx, func(tx clientele.Tx) error { return tx.CreateCompany(ctx, &dup) })
	wantConflict(t, err, "slug", "CreateCompany with a taken slug")
	checkEqual(t, "CompanyBySlug after the conflict", get(t, s, companyBySlug("acme")), first)
}

func testCompanyUpdate(t *testing.T, s clientele.Store) {
	other := newCompany(t, s, "other")
	c := newCompany(t, s, "acme")
	c.Name, c.UpdatedAt = "Acme Renamed Ltd", at(7)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateCompany(ctx, c) })
	checkEqual(t, "Company after UpdateCompany", get(t, s, companyOf(c.ID)), c)
	checkEqual(t, "another company after UpdateCompany", get(t, s, companyOf(other.ID)), other)
}

// testCompanyUpdateOnly checks that UpdateCompany stores only what its
// documentation names: the name and updated_at.
func testCompanyUpdateOnly(t *testing.T, s clientele.Store) {
	c := newCompany(t, s, "acme")
	want := c
	want.Name, want.UpdatedAt = "New Name", at(7)
	changed := want
	changed.Slug, changed.CreatedAt = "changed", at(8)
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateCompany(ctx, changed) })
	checkEqual(t, "Company after UpdateCompany with another slug and created_at", get(t, s, companyOf(c.ID)), want)
}

func testCompanyUpdateMissing(t *testing.T, s clientele.Store) {
	c := newCompany(t, s, "acme")
	missing := clientele.Company{ID: c.ID + 1000, Name: "Ghost", Slug: "ghost", CreatedAt: at(1), UpdatedAt: at(1)}
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error { return tx.UpdateCompany(ctx, missing) }), "UpdateCompany of a missing id")
	wantNotFound(t, getErr(s, companyBySlug("ghost")), "CompanyBySlug after UpdateCompany of a missing id")
}
