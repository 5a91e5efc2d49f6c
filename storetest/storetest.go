// Package storetest checks that a storage engine keeps the clientele.Store
// contract, in the manner of testing/fstest: an engine's own tests call Run
// with a function that opens a fresh store.
package storetest

import (
	"testing"

	"github.com/clientele/clientele"
)

// Run tests that the Store returned by open behaves as the clientele.Store
// contract says: every clientele.Tx method's results, its NotFound and
// Conflict errors, tenancy between companies, the derived fields of clients,
// what deletes take along, list pages and filters, and the commit and
// rollback of Read and Write, and the queries that load related records.
//
// open is called once per subtest and must return an empty, migrated store;
// it should close the store with t.Cleanup. Run does not call t.Parallel, so
// open may do so to run the subtests in parallel.
func Run(t *testing.T, open func(t *testing.T) clientele.Store) {
	for _, g := range groups() {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					s := open(t)
					if s == nil {
						t.Fatal("open returned a nil Store")
					}
					tc.fn(t, s)
				})
			}
		})
	}
}

// test is one subtest of Run: it gets a fresh, empty store.
type test struct {
	name string
	fn   func(t *testing.T, s clientele.Store)
}

// group is a named list of subtests.
type group struct {
	name  string
	tests []test
}

func groups() []group {
	return []group{
		{"Transactions", transactionTests},
		{"Companies", companyTests},
		{"Users", userTests},
		{"Tokens", tokenTests},
		{"Clients", clientTests},
		{"ClientDerivedFields", derivedTests},
		{"Locations", locationTests},
		{"Contacts", contactTests},
		{"RelatedLoads", relatedTests},
		{"Tenancy", tenancyTests},
		{"Lists", listTests},
		{"Search", searchTests},
		{"Portal", portalTests},
		{"ListPerformance", listPerfTests},
		{"Images", imageTests},
		{"Idempotency", idempotencyTests},
		{"Versions", versionTests},
	}
}
