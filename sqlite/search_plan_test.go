package sqlite

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clientele/clientele"
)

// A search (q) goes through the FTS5 index, for the list (by relevance, by
// id or by a sort field) and for the count, and never reads a whole table:
// the only sort is that of the matching rows by relevance.
func TestSearchPlansUseFTS(t *testing.T) {
	db := openDB(t)
	relevance := []clientele.SortKey{{Field: clientele.RelevanceSort, Search: "mul ko"}}
	for _, sort := range [][]clientele.SortKey{nil, relevance, {{Field: "name"}}} {
		for _, after := range []bool{false, true} {
			page := clientele.Page{Limit: 10}
			if after {
				page.After = position(len(sort))
			}
			what := fmt.Sprintf("sort %v, after %t", sort, after)
			check := func(what, plan, fts string) {
				t.Helper()
				if !strings.Contains(plan, fts+" VIRTUAL TABLE INDEX") {
					t.Errorf("%s: plan %q does not use %s", what, plan, fts)
				}
				for _, line := range strings.Split(plan, "; ") {
					if strings.HasPrefix(line, "SCAN ") && !strings.Contains(line, "VIRTUAL TABLE") ||
						strings.Contains(line, "ORDER BY") && sort == nil {
						t.Errorf("%s: plan %q: %s", what, plan, line)
					}
				}
			}
			query, args, err := clientsQuery(1, clientele.ClientQuery{Search: "mul ko", Sort: sort, Page: page})
			p := plan(t, db, query, args, err)
			check("clients "+what, p, "clients_search")
			if sort == nil || sort[0].Field != "name" {
				query, args, err = contactsQuery(1, clientele.ContactQuery{Search: "mul ko", Sort: sort, Page: page})
				check("contacts "+what, plan(t, db, query, args, err), "contacts_search")
			}
		}
	}
	query, args, err := countClientsQuery(1, clientele.ClientQuery{Search: "mul"})
	if p := plan(t, db, query, args, err); !strings.Contains(p, "clients_search VIRTUAL TABLE INDEX") {
		t.Errorf("count clients: plan %q does not use clients_search", p)
	}
	query, args, err = countContactsQuery(1, clientele.ContactQuery{Search: "mul", ClientID: 1})
	if p := plan(t, db, query, args, err); !strings.Contains(p, "contacts_search VIRTUAL TABLE INDEX") {
		t.Errorf("count contacts: plan %q does not use contacts_search", p)
	}
}

// A contact search for an e-mail word goes through the index of e-mail keys.
func TestSearchEmailPlansUseEmailIndex(t *testing.T) {
	db := openDB(t)
	const q = "anna.kowalska@example.pl"
	relevance := []clientele.SortKey{{Field: clientele.RelevanceSort, Search: q}}
	for _, sort := range [][]clientele.SortKey{nil, relevance} {
		query, args, err := contactsQuery(1, clientele.ContactQuery{Search: q, Sort: sort, Page: clientele.Page{Limit: 10}})
		if p := plan(t, db, query, args, err); !strings.Contains(p, "COVERING INDEX contacts_email (company_id=? AND <expr>>? AND <expr><?)") {
			t.Errorf("contacts sorted by %v: plan %q does not use contacts_email", sort, p)
		}
	}
	query, args, err := countContactsQuery(1, clientele.ContactQuery{Search: q + " anna"})
	if p := plan(t, db, query, args, err); !strings.Contains(p, "contacts_email") {
		t.Errorf("count contacts: plan %q does not use contacts_email", p)
	}
}
