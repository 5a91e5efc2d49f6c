package sqlite

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clientele/clientele"
)

// A search (q) goes through the FTS5 index, for the list (by relevance, by
// id or by a sort field) and for the count, and never reads a whole table.
// By relevance, each rank's query reads the index in rowid order (FTS5's
// index number has its ORDER BY rowid bit, 64), so that it stops after a
// page, and sorts nothing.
func TestSearchPlansUseFTS(t *testing.T) {
	db := openDB(t)
	check := func(what, plan, use string, sorted bool) {
		t.Helper()
		if !strings.Contains(plan, use) {
			t.Errorf("%s: plan %q does not use %s", what, plan, use)
		}
		for _, line := range strings.Split(plan, "; ") {
			if strings.HasPrefix(line, "SCAN ") && !strings.Contains(line, "VIRTUAL TABLE") ||
				strings.Contains(line, "ORDER BY") && !sorted {
				t.Errorf("%s: plan %q: %s", what, plan, line)
			}
		}
	}
	for _, sort := range [][]clientele.SortKey{nil, {{Field: "name"}}} {
		for _, after := range []bool{false, true} {
			page := clientele.Page{Limit: 10}
			if after {
				page.After = position(len(sort))
			}
			what := fmt.Sprintf("sort %v, after %t", sort, after)
			query, args, err := clientsQuery(1, clientele.ClientQuery{Search: "mul ko", Sort: sort, Page: page})
			check("clients "+what, plan(t, db, query, args, err), "clients_search VIRTUAL TABLE INDEX", sort != nil)
			if sort == nil {
				query, args, err = contactsQuery(1, clientele.ContactQuery{Search: "mul ko", Sort: sort, Page: page})
				check("contacts "+what, plan(t, db, query, args, err), "contacts_search VIRTUAL TABLE INDEX", false)
			}
		}
	}
	relevance := []clientele.SortKey{{Field: clientele.RelevanceSort, Search: "mul ko"}}
	for _, after := range []clientele.Position{{}, {ID: 5, Values: []string{"0"}}, {ID: 5, Values: []string{"2"}}} {
		clients, ok, err := clientRanks(1, clientele.ClientQuery{Search: "mul ko", Sort: relevance, Page: clientele.Page{After: after}})
		if !ok || err != nil {
			t.Fatalf("clientRanks after %v: %t, %v", after, ok, err)
		}
		contacts, _, _ := contactRanks(1, clientele.ContactQuery{Search: "mul ko", Sort: relevance, Page: clientele.Page{After: after}})
		if r, _ := clientele.ParseRank(append(after.Values, "0")[0]); len(clients) != 3-r || len(contacts) != 3-r {
			t.Errorf("after %v: %d and %d ranks, want %d", after, len(clients), len(contacts), 3-r)
		}
		for i, r := range clients {
			p := plan(t, db, r.text, append(r.args, 10), nil)
			check(fmt.Sprintf("clients rank %d after %v", i, after), p, "clients_search VIRTUAL TABLE INDEX 64:", false)
		}
		for i, r := range contacts {
			p := plan(t, db, r.text, append(r.args, 10), nil)
			check(fmt.Sprintf("contacts rank %d after %v", i, after), p, "contacts_search VIRTUAL TABLE INDEX 64:", false)
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
