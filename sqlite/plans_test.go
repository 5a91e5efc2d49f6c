package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele"
)

// plan returns the lines of SQLite's query plan for query.
func plan(t *testing.T, db *DB, query string, args []any, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.read.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	defer rows.Close()
	var lines []string
	late := strings.Contains(query, " IN (SELECT c.id FROM clients c") || strings.Contains(query, " IN (SELECT id FROM ")
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		if late && parent == 0 && detail == "USE TEMP B-TREE FOR ORDER BY" {
			// The late join (lists.go) sorts the page's rows, at most a
			// page, found by the list subquery, whose lines are checked.
			detail = "SORT THE PAGE"
		}
		lines = append(lines, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "; ")
}

// checkPlan reports a plan that scans a whole table or sorts a whole list,
// and, when index is not empty, one that does not use index.
func checkPlan(t *testing.T, what, plan, index string) {
	t.Helper()
	for _, line := range strings.Split(plan, "; ") {
		if strings.HasPrefix(line, "SCAN ") || strings.Contains(line, "USE TEMP B-TREE FOR ORDER BY") {
			t.Errorf("%s: plan %q: %s", what, plan, line)
		}
	}
	if index != "" && !strings.Contains(plan, " "+index+" ") {
		t.Errorf("%s: plan %q does not use %s", what, plan, index)
	}
}

// checkLoadPlan fails unless plan finds the rows through index without a
// full scan: the loading of a few clients' included contacts or locations,
// whose rows are then sorted (a handful of clients' rows, never the company's).
func checkLoadPlan(t *testing.T, what, plan, index string) {
	t.Helper()
	if strings.Contains(plan, "SCAN ") || !strings.Contains(plan, " "+index+" ") {
		t.Errorf("%s: plan %q, want a search through %s", what, plan, index)
	}
}

// position returns a position with n values, all "1".
func position(n int) clientele.Position {
	p := clientele.Position{ID: 5}
	for range n {
		p.Values = append(p.Values, "1")
	}
	return p
}

// Every sort field, either way, is served by an index led by company_id
// (for a descending key SQLite may sort the ties by id, never the whole
// list), on the first page and after a position; every filter that an index
// can serve is served by it when counting.
func TestListPlansUseIndexes(t *testing.T) {
	db := openDB(t)
	ranges := clientele.TimeRange{From: time.Unix(1, 0), To: time.Unix(2, 0)}
	yes := true
	for _, desc := range []bool{false, true} {
		for _, after := range []bool{false, true} {
			keys := func(field string) ([]clientele.SortKey, clientele.Page) {
				page := clientele.Page{Limit: 10}
				if after && field == "id" {
					page.After = position(0)
				} else if after {
					page.After = position(1)
				}
				return []clientele.SortKey{{Field: field, Desc: desc}}, page
			}
			what := func(kind, field string) string {
				return fmt.Sprintf("%s by %s, desc %t, after %t", kind, field, desc, after)
			}
			for _, f := range clientele.ClientSortFields {
				sort, page := keys(f)
				query, args, err := clientsQuery(1, clientele.ClientQuery{Sort: sort, Page: page})
				checkPlan(t, what("clients", f), plan(t, db, query, args, err), "")
			}
			for _, f := range clientele.ContactSortFields {
				sort, page := keys(f)
				query, args, err := contactsQuery(1, clientele.ContactQuery{Sort: sort, Page: page})
				checkPlan(t, what("contacts", f), plan(t, db, query, args, err), "")
			}
			for _, f := range clientele.LocationSortFields {
				sort, page := keys(f)
				query, args, err := locationsQuery(1, clientele.LocationQuery{Sort: sort, Page: page})
				checkPlan(t, what("locations", f), plan(t, db, query, args, err), "")
			}
		}
	}

	for _, tc := range []struct {
		index string
		q     clientele.ClientQuery
	}{
		{"", clientele.ClientQuery{}},
		{"", clientele.ClientQuery{Name: "x"}},
		{"", clientele.ClientQuery{Types: []string{clientele.TypeCustomer}}},
		{"", clientele.ClientQuery{IDs: []int64{1, 2}}},
		{"sqlite_autoindex_clients_2", clientele.ClientQuery{ExternalIDs: []string{"a"}}}, // UNIQUE (company_id, external_id)
		{"clients_owner", clientele.ClientQuery{OwnerIDs: []int64{1}}},
		{"clients_salesperson", clientele.ClientQuery{SalespersonIDs: []int64{1}}},
		{"clients_case_manager", clientele.ClientQuery{CaseManagerIDs: []int64{1}}},
		{"clients_country", clientele.ClientQuery{Countries: []string{"DE"}}},
		{"clients_city", clientele.ClientQuery{Cities: []string{"koln"}}},
		{"clients_email", clientele.ClientQuery{Emails: []string{"a@example.com"}}},
		{"clients_created", clientele.ClientQuery{Created: ranges}},
		{"clients_updated", clientele.ClientQuery{Updated: ranges}},
	} {
		tc.q.Limit = 10
		query, args, err := clientsQuery(1, tc.q)
		if !tc.q.Created.IsZero() || !tc.q.Updated.IsZero() {
			// A time range is read through its index and its ids sorted.
			checkLoadPlan(t, fmt.Sprintf("clients %+v", tc.q), plan(t, db, query, args, err), tc.index)
		} else {
			checkPlan(t, fmt.Sprintf("clients %+v", tc.q), plan(t, db, query, args, err), "")
		}
		query, args, err = countClientsQuery(1, tc.q)
		checkPlan(t, fmt.Sprintf("count clients %+v", tc.q), plan(t, db, query, args, err), tc.index)
	}
	for _, tc := range []struct {
		index string
		q     clientele.ContactQuery
	}{
		{"", clientele.ContactQuery{}},
		{"", clientele.ContactQuery{Name: "x"}},
		{"", clientele.ContactQuery{IDs: []int64{1, 2}}},
		{"contacts_client", clientele.ContactQuery{ClientID: 1}},
		{"contacts_client", clientele.ContactQuery{ClientIDs: []int64{1, 2}}},
		{"contacts_email", clientele.ContactQuery{Emails: []string{"a@example.com"}}},
		{"contacts_one_main", clientele.ContactQuery{IsMain: &yes}},
		{"contacts_portal_email", clientele.ContactQuery{PortalAccess: &yes}},
		{"contacts_created", clientele.ContactQuery{Created: ranges}},
		{"contacts_updated", clientele.ContactQuery{Updated: ranges}},
	} {
		tc.q.Limit = 10
		query, args, err := contactsQuery(1, tc.q)
		if len(tc.q.ClientIDs) > 0 {
			checkLoadPlan(t, fmt.Sprintf("contacts %+v", tc.q), plan(t, db, query, args, err), "contacts_client")
		} else if !tc.q.Created.IsZero() || !tc.q.Updated.IsZero() {
			checkLoadPlan(t, fmt.Sprintf("contacts %+v", tc.q), plan(t, db, query, args, err), "COVERING INDEX "+tc.index)
		} else {
			checkPlan(t, fmt.Sprintf("contacts %+v", tc.q), plan(t, db, query, args, err), "")
		}
		query, args, err = countContactsQuery(1, tc.q)
		checkPlan(t, fmt.Sprintf("count contacts %+v", tc.q), plan(t, db, query, args, err), tc.index)
	}
	for _, tc := range []struct {
		index string
		q     clientele.LocationQuery
	}{
		{"", clientele.LocationQuery{}},
		{"", clientele.LocationQuery{IDs: []int64{1, 2}}},
		{"locations_client", clientele.LocationQuery{ClientID: 1}},
		{"locations_client", clientele.LocationQuery{ClientIDs: []int64{1, 2}}},
		{"locations_country", clientele.LocationQuery{Countries: []string{"DE"}}},
		{"locations_city", clientele.LocationQuery{Cities: []string{"koln"}}},
		{"locations_one_primary", clientele.LocationQuery{IsPrimary: &yes}},
	} {
		tc.q.Limit = 10
		query, args, err := locationsQuery(1, tc.q)
		if len(tc.q.ClientIDs) > 0 {
			checkLoadPlan(t, fmt.Sprintf("locations %+v", tc.q), plan(t, db, query, args, err), "locations_client")
		} else {
			checkPlan(t, fmt.Sprintf("locations %+v", tc.q), plan(t, db, query, args, err), "")
		}
		query, args, err = countLocationsQuery(1, tc.q)
		checkPlan(t, fmt.Sprintf("count locations %+v", tc.q), plan(t, db, query, args, err), tc.index)
	}
}

// The shapes of migrations/0005_list_perf.sql: the country and city filters
// sorted by name walk the clients' own index in name order; a page deep in
// a list finds its ids within an index (the late join); the unfiltered
// counts read company_counts.
func TestListPlansAtScale(t *testing.T) {
	db := openDB(t)
	byName := []clientele.SortKey{{Field: "name"}}
	for _, tc := range []struct {
		index string
		q     clientele.ClientQuery
	}{
		{"clients_country", clientele.ClientQuery{Countries: []string{"PL"}, Sort: byName}},
		{"clients_city", clientele.ClientQuery{Cities: []string{"krakow"}, Sort: byName}},
		{"clients_created", clientele.ClientQuery{Created: clientele.TimeRange{From: time.Unix(1, 0), To: time.Unix(2, 0)}}},
	} {
		tc.q.Limit = 25
		query, args, err := clientsQuery(1, tc.q)
		if !tc.q.Created.IsZero() {
			checkLoadPlan(t, fmt.Sprintf("clients %+v", tc.q), plan(t, db, query, args, err), "COVERING INDEX "+tc.index)
		} else {
			checkPlan(t, fmt.Sprintf("clients %+v", tc.q), plan(t, db, query, args, err), tc.index)
		}
	}
	deep := clientele.Page{Limit: 25, Offset: 24975}
	query, args, err := clientsQuery(1, clientele.ClientQuery{Page: deep})
	checkPlan(t, "clients at an offset", plan(t, db, query, args, err), "sqlite_autoindex_clients_1")
	query, args, err = contactsQuery(1, clientele.ContactQuery{Page: deep})
	p := plan(t, db, query, args, err)
	checkPlan(t, "contacts at an offset", p, "sqlite_autoindex_contacts_1")
	if !strings.Contains(p, "LIST SUBQUERY") {
		t.Errorf("contacts at an offset: plan %q, want the page's ids found first", p)
	}
	query, args, err = locationsQuery(1, clientele.LocationQuery{Page: deep, Sort: byName})
	checkPlan(t, "locations by name at an offset", plan(t, db, query, args, err), "locations_name")

	for what, build := range map[string]func() (string, []any, error){
		"clients":   func() (string, []any, error) { return countClientsQuery(1, clientele.ClientQuery{}) },
		"contacts":  func() (string, []any, error) { return countContactsQuery(1, clientele.ContactQuery{}) },
		"locations": func() (string, []any, error) { return countLocationsQuery(1, clientele.LocationQuery{}) },
	} {
		query, args, err := build()
		if p := plan(t, db, query, args, err); !strings.Contains(p, "company_counts") {
			t.Errorf("count of all %s: plan %q, want the maintained count", what, p)
		}
	}
}
