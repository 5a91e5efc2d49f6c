package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/pgtest"
	"github.com/jackc/pgx/v5"
)

func openDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), pgtest.URL(t), Options{MaxConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// planNodes returns the node types and the index names of the plan of query.
func planNodes(t *testing.T, conn *pgx.Conn, query string, args []any) (nodes, indexes []string) {
	t.Helper()
	var raw []byte
	if err := conn.QueryRow(context.Background(), "EXPLAIN (FORMAT JSON) "+query, args...).Scan(&raw); err != nil {
		t.Fatalf("%v\n%s", err, query)
	}
	var plans []struct{ Plan map[string]any }
	if err := json.Unmarshal(raw, &plans); err != nil {
		t.Fatal(err)
	}
	var walk func(n map[string]any)
	walk = func(n map[string]any) {
		nodes = append(nodes, fmt.Sprint(n["Node Type"]))
		if name, ok := n["Index Name"].(string); ok {
			indexes = append(indexes, name)
		}
		if subs, ok := n["Plans"].([]any); ok {
			for _, s := range subs {
				walk(s.(map[string]any))
			}
		}
	}
	walk(plans[0].Plan)
	return nodes, indexes
}

// Every documented sort and filter is served by an index led by company_id:
// with sequential scans off, the plan of each list uses the index meant for
// it, and an ascending sort needs no Sort node (a descending one, whose
// order ends with id ascending, at most an Incremental Sort over equal keys).
func TestListPlans(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	_, err = conn.Exec(ctx, `
		INSERT INTO companies (id, name, slug, created_at, updated_at)
			SELECT g, 'Company ' || g, 'c' || g, now(), now() FROM generate_series(1, 3) g;
		INSERT INTO users (company_id, id, full_name, email, email_key, role, created_at, updated_at)
			SELECT c, (c - 1) * 20 + g, 'U', 'u' || g || '@x.example', 'u' || g || '@x.example', 'member', now(), now()
			FROM generate_series(1, 3) c, generate_series(1, 20) g;
		INSERT INTO clients (company_id, id, name, name_key, external_id, types, email, email_key,
				invoice_reminders, show_location_on_invoice, owner_id, salesperson_id, case_manager_id,
				created_at, updated_at, search_text)
			SELECT c, (c - 1) * 4000 + g, 'Client ' || g, 'client ' || g, 'E' || g, g % 7 + 1,
				'c' || g || '@x.example', 'c' || g || '@x.example', true, false,
				(c - 1) * 20 + g % 20 + 1, (c - 1) * 20 + g % 19 + 1, (c - 1) * 20 + g % 17 + 1,
				now() - g * interval '1 minute', now() - g * interval '1 second',
				'client ' || g || ' e' || g || ' c' || g || ' x example'
			FROM generate_series(1, 3) c, generate_series(1, 4000) g;
		INSERT INTO locations (company_id, client_id, name, name_key, city, city_key, country, is_primary,
				created_at, updated_at)
			SELECT company_id, id, 'L' || p, 'l' || id || p, 'City ' || id % 50, 'city ' || id % 50,
				(ARRAY['DE','AT','CH','FR','IT','ES','PT','NL','BE','LU'])[id % 10 + 1], p = 1,
				now() - id * interval '1 minute', now()
			FROM clients, generate_series(1, 2) p;
		INSERT INTO contacts (company_id, client_id, first_name, last_name, first_key, last_key, name_key,
				email, email_key, is_main, portal_access, created_at, updated_at, search_text)
			SELECT company_id, id, 'F' || id, 'L' || id % 300, 'f' || id, 'l' || id % 300, 'f' || id || ' l' || id % 300,
				'k' || id || '.' || p || '@x.example', 'k' || id || '.' || p || '@x.example', p = 1, false,
				now() - id * interval '1 minute', now() - id * interval '1 second',
				'f' || id || ' l' || id % 300 || ' k' || id || ' ' || p || ' x example'
			FROM clients, generate_series(1, 2) p;
		ANALYZE;
		SET enable_seqscan = off;`)
	if err != nil {
		t.Fatal(err)
	}
	// Rows inserted after a GIN index was made wait in its pending list,
	// which the planner prices high until a vacuum (autovacuum, in service)
	// merges it into the index.
	if _, err := conn.Exec(ctx, `SELECT gin_clean_pending_list('clients_search'), gin_clean_pending_list('contacts_search')`); err != nil {
		t.Fatal(err)
	}
	const company = 2
	page := clientele.Page{Limit: 26}
	at := time.Now().Add(-time.Hour)
	after := func(values ...string) clientele.Page {
		return clientele.Page{Limit: 26, After: clientele.Position{Values: values, ID: 4500}}
	}

	type shape struct {
		name  string
		query string
		args  []any
		err   error
		index string // the index the plan must use
		desc  bool   // a descending sort: an Incremental Sort is fine
	}
	var shapes, searches []shape
	list := func(name, index string, desc bool, query string, args []any, err error) {
		shapes = append(shapes, shape{name, query, args, err, index, desc})
	}
	count := func(name, index, query string, args []any) {
		shapes = append(shapes, shape{name: name, query: query, args: args, index: index})
	}
	sorted := func(field string, desc bool) []clientele.SortKey {
		return []clientele.SortKey{{Field: field, Desc: desc}}
	}
	stamp := func(t time.Time) string { return fmt.Sprint(t.UnixMicro()) }

	// Clients: every sort, from the start and after a position, both ways.
	for field, index := range map[string]string{"id": "clients_pkey", "name": "clients_name",
		"external_id": "clients_external_id_order", "created_at": "clients_created", "updated_at": "clients_updated"} {
		var value []string
		switch field {
		case "name", "external_id":
			value = []string{"m"}
		case "created_at", "updated_at":
			value = []string{stamp(at)}
		}
		for _, desc := range []bool{false, true} {
			q, a, err := clientsQuery(company, clientele.ClientQuery{Sort: sorted(field, desc), Page: page})
			list(fmt.Sprintf("clients sort %s desc=%v", field, desc), index, desc, q, a, err)
			q, a, err = clientsQuery(company, clientele.ClientQuery{Sort: sorted(field, desc), Page: after(value...)})
			list(fmt.Sprintf("clients sort %s desc=%v after", field, desc), index, desc, q, a, err)
		}
	}
	// Clients: every filter (counted, so that no order steers the plan).
	for name, c := range map[string]struct {
		q     clientele.ClientQuery
		index string
	}{
		"ids":          {clientele.ClientQuery{IDs: []int64{4001, 4002}}, "clients_pkey"},
		"external_ids": {clientele.ClientQuery{ExternalIDs: []string{"E5", "E6"}}, "clients_external_id"},
		"owner":        {clientele.ClientQuery{OwnerIDs: []int64{21}}, "clients_owner"},
		"salesperson":  {clientele.ClientQuery{SalespersonIDs: []int64{21}}, "clients_salesperson"},
		"case_manager": {clientele.ClientQuery{CaseManagerIDs: []int64{21}}, "clients_case_manager"},
		"country":      {clientele.ClientQuery{Countries: []string{"AT"}}, "locations_primary_country"},
		"city":         {clientele.ClientQuery{Cities: []string{"City 7"}}, "locations_primary_city"},
		"email":        {clientele.ClientQuery{Emails: []string{"C7@x.example"}}, "clients_email"},
		"created":      {clientele.ClientQuery{Created: clientele.TimeRange{From: at.Add(-time.Hour), To: at}}, "clients_created"},
		"updated":      {clientele.ClientQuery{Updated: clientele.TimeRange{From: at.Add(-time.Minute), To: at}}, "clients_updated"},
	} {
		q, a := countClientsQuery(company, c.q)
		count("count clients by "+name, c.index, q, a)
	}

	// Contacts.
	for field, index := range map[string]string{"id": "contacts_pkey", "first_name": "contacts_first",
		"last_name": "contacts_last", "name": "contacts_name", "email": "contacts_email_order",
		"created_at": "contacts_created", "updated_at": "contacts_updated"} {
		var value []string
		switch field {
		case "created_at", "updated_at":
			value = []string{stamp(at)}
		case "id":
		default:
			value = []string{"m"}
		}
		for _, desc := range []bool{false, true} {
			q, a, err := contactsQuery(company, clientele.ContactQuery{Sort: sorted(field, desc), Page: page})
			list(fmt.Sprintf("contacts sort %s desc=%v", field, desc), index, desc, q, a, err)
			q, a, err = contactsQuery(company, clientele.ContactQuery{Sort: sorted(field, desc), Page: after(value...)})
			list(fmt.Sprintf("contacts sort %s desc=%v after", field, desc), index, desc, q, a, err)
		}
	}
	for name, c := range map[string]struct {
		q     clientele.ContactQuery
		index string
	}{
		"client":  {clientele.ContactQuery{ClientID: 4007}, "contacts_client"},
		"clients": {clientele.ContactQuery{ClientIDs: []int64{4007, 4008}}, "contacts_client"},
		"email":   {clientele.ContactQuery{Emails: []string{"K4007.1@x.example"}}, "contacts_email_order"},
		"created": {clientele.ContactQuery{Created: clientele.TimeRange{From: at.Add(-time.Hour), To: at}}, "contacts_created"},
		"updated": {clientele.ContactQuery{Updated: clientele.TimeRange{From: at.Add(-time.Minute), To: at}}, "contacts_updated"},
	} {
		q, a := countContactsQuery(company, c.q)
		count("count contacts by "+name, c.index, q, a)
	}

	// Locations.
	for field, index := range map[string]string{"id": "locations_pkey", "name": "locations_name",
		"city": "locations_city", "country": "locations_country", "created_at": "locations_created"} {
		var value []string
		switch field {
		case "created_at":
			value = []string{stamp(at)}
		case "id":
		default:
			value = []string{"m"}
		}
		for _, desc := range []bool{false, true} {
			q, a, err := locationsQuery(company, clientele.LocationQuery{Sort: sorted(field, desc), Page: page})
			list(fmt.Sprintf("locations sort %s desc=%v", field, desc), index, desc, q, a, err)
			q, a, err = locationsQuery(company, clientele.LocationQuery{Sort: sorted(field, desc), Page: after(value...)})
			list(fmt.Sprintf("locations sort %s desc=%v after", field, desc), index, desc, q, a, err)
		}
	}
	for name, c := range map[string]struct {
		q     clientele.LocationQuery
		index string
	}{
		"client":  {clientele.LocationQuery{ClientID: 4007}, "locations_client"},
		"country": {clientele.LocationQuery{Countries: []string{"AT"}}, "locations_country"},
		"city":    {clientele.LocationQuery{Cities: []string{"city 7"}}, "locations_city"},
	} {
		q, a := countLocationsQuery(company, c.q)
		count("count locations by "+name, c.index, q, a)
	}

	// Without a filter, the count is read from company_counts (migrations/0007).
	q, a := countClientsQuery(company, clientele.ClientQuery{})
	count("count clients unfiltered", "company_counts_pkey", q, a)
	q, a = countContactsQuery(company, clientele.ContactQuery{})
	count("count contacts unfiltered", "company_counts_pkey", q, a)
	q, a = countLocationsQuery(company, clientele.LocationQuery{})
	count("count locations unfiltered", "company_counts_pkey", q, a)

	// Search (q) goes through the GIN index of search_vector, for the list
	// (by relevance, which sorts the matching rows) and for the count.
	relevance := []clientele.SortKey{{Field: clientele.RelevanceSort, Search: "c1234 client"}}
	for _, p := range []clientele.Page{page, after("1")} {
		q, a, err := clientsQuery(company, clientele.ClientQuery{Search: "c1234 client", Sort: relevance, Page: p})
		searches = append(searches, shape{name: fmt.Sprintf("clients q by relevance after %v", p.After), query: q, args: a, err: err, index: "clients_search"})
		q, a, err = contactsQuery(company, clientele.ContactQuery{Search: "k4007 l7", Sort: relevance, Page: p})
		searches = append(searches, shape{name: fmt.Sprintf("contacts q by relevance after %v", p.After), query: q, args: a, err: err, index: "contacts_search"})
	}
	q, a = countClientsQuery(company, clientele.ClientQuery{Search: "c1234 client", Types: []string{clientele.TypeCustomer}})
	searches = append(searches, shape{name: "count clients q", query: q, args: a, index: "clients_search"})
	q, a = countContactsQuery(company, clientele.ContactQuery{Search: "k4007"})
	searches = append(searches, shape{name: "count contacts q", query: q, args: a, index: "contacts_search"})
	// A time range or an offset finds the page's ids first (late): the range
	// through its index, whose ids are sorted (a Sort is fine), the offset
	// along the order's index; no shape reads the whole company.
	byID := []clientele.SortKey{{Field: "id"}}
	deep := clientele.Page{Limit: 26, Offset: 2000}
	hour := clientele.TimeRange{From: at.Add(-time.Hour), To: at}
	minute := clientele.TimeRange{From: at.Add(-time.Minute), To: at}
	q, a, err = clientsQuery(company, clientele.ClientQuery{Created: hour, Sort: byID, Page: page})
	searches = append(searches, shape{name: "clients created range late", query: q, args: a, err: err, index: "clients_created"})
	q, a, err = clientsQuery(company, clientele.ClientQuery{Updated: minute, Sort: byID, Page: page})
	searches = append(searches, shape{name: "clients updated range late", query: q, args: a, err: err, index: "clients_updated"})
	q, a, err = contactsQuery(company, clientele.ContactQuery{Created: hour, Sort: byID, Page: page})
	searches = append(searches, shape{name: "contacts created range late", query: q, args: a, err: err, index: "contacts_created"})
	q, a, err = clientsQuery(company, clientele.ClientQuery{Sort: byID, Page: deep})
	searches = append(searches, shape{name: "clients offset late", query: q, args: a, err: err, index: "clients_pkey"})
	q, a, err = clientsQuery(company, clientele.ClientQuery{Sort: sorted("name", false), Page: deep})
	searches = append(searches, shape{name: "clients by name offset late", query: q, args: a, err: err, index: "clients_name"})
	q, a, err = contactsQuery(company, clientele.ContactQuery{Sort: byID, Page: deep})
	searches = append(searches, shape{name: "contacts offset late", query: q, args: a, err: err, index: "contacts_pkey"})
	q, a, err = locationsQuery(company, clientele.LocationQuery{Sort: sorted("name", false), Page: deep})
	searches = append(searches, shape{name: "locations by name offset late", query: q, args: a, err: err, index: "locations_name"})
	for _, s := range searches {
		if s.err != nil {
			t.Errorf("%s: %v", s.name, s.err)
			continue
		}
		nodes, indexes := planNodes(t, conn.Conn(), s.query, s.args)
		if !slices.Contains(indexes, s.index) || slices.Contains(nodes, "Seq Scan") {
			t.Errorf("%s: plan %v on indexes %v, want %s\n%s", s.name, nodes, indexes, s.index, s.query)
		}
	}

	sort.Slice(shapes, func(i, j int) bool { return shapes[i].name < shapes[j].name })
	for _, s := range shapes {
		if s.err != nil {
			t.Errorf("%s: %v", s.name, s.err)
			continue
		}
		nodes, indexes := planNodes(t, conn.Conn(), s.query, s.args)
		if !slices.Contains(indexes, s.index) || slices.Contains(nodes, "Seq Scan") ||
			slices.Contains(nodes, "Sort") || (!s.desc && slices.Contains(nodes, "Incremental Sort")) {
			t.Errorf("%s: plan %v on indexes %v, want %s without a sort\n%s", s.name, nodes, indexes, s.index, s.query)
		}
	}
}

// Every text a list sorts or filters by compares byte-wise (COLLATE "C"),
// as Go compares strings and SQLite compares text, whatever the database's
// default collation.
func TestSortCollation(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	check := func(from string, exprs ...string) {
		for _, e := range exprs {
			var coll string
			if err := db.pool.QueryRow(ctx, `SELECT pg_collation_for(`+e+`) FROM (SELECT 1) one LEFT JOIN `+
				from+` ON false`).Scan(&coll); err != nil {
				t.Fatalf("%s of %s: %v", e, from, err)
			}
			if coll != `"C"` {
				t.Errorf("%s of %s compares with collation %s, want \"C\"", e, from, coll)
			}
		}
	}
	for _, sorts := range []struct {
		from    string
		columns map[string]sortColumn
	}{{"clients c", clientSort}, {"contacts", contactSort}, {"locations", locationSort}} {
		for _, col := range sorts.columns {
			if !col.stamp {
				check(sorts.from, col.expr)
			}
		}
	}
	check("clients c", "c.external_id", "c.email_key")
	check("locations p", "p.country", "p.city_key")
	check("contacts", "first_key", "last_key", "name_key")
}

// icuURL returns the URL of a new database whose default collation is
// ICU's en-US, which orders unlike bytes ("a" < "B" < "é" < "z"); it skips
// t when the server cannot make one.
func icuURL(t *testing.T) string {
	t.Helper()
	base := pgtest.URL(t) // skips without a server
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := "clientele_icu_" + strings.TrimPrefix(pgtest.Schema(base), "test_")
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8'
		LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`); err != nil {
		t.Skipf("no database with an ICU collation: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop database %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path, u.RawQuery = "/"+name, "" // its public schema
	return u.String()
}

// A list sorted by name (or external_id) is the order of (its sort value,
// id) in Go, both ways, on a database of the server's default collation and
// on one whose collation orders unlike bytes; walking the list a page at a
// time after each page's last position gives the same list.
func TestListOrderIsBytewise(t *testing.T) {
	t.Run("default collation", func(t *testing.T) { testListOrder(t, openDB(t)) })
	t.Run("ICU collation", func(t *testing.T) {
		db, err := Open(context.Background(), icuURL(t), Options{MaxConns: 2})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		var coll string
		if err := db.pool.QueryRow(context.Background(), `SELECT pg_collation_for('x'::text) || ' ' ||
			(SELECT daticulocale FROM pg_database WHERE datname = current_database())`).Scan(&coll); err != nil {
			t.Fatal(err)
		}
		t.Logf("database collation: %s", coll)
		testListOrder(t, db)
	})
}

func testListOrder(t *testing.T, db *DB) {
	ctx := context.Background()
	names := []string{"Zoë", "zoe", "Ångström", "angstrom", "Müller", "Mueller", "muller", "Łódź", "lodz",
		"Straße", "strasse", "_under", "%percent", "a b", "a  b", "a-b", "a.b", "A", "a", "B", "ä", "Éclair",
		"eclair", "日本", "中国", "🚀 Rocket", "rocket", "1 First", "10", "9", "Ωmega", "omega", "ǅemal",
		"ÿes", "yes", "\u00a0nbsp", "z", "Ž", "ž", "Øster", "Oster"}
	var companyID int64
	var clients []clientele.Client
	err := db.Write(ctx, func(tx clientele.Tx) error {
		now := time.Now().UTC().Truncate(time.Microsecond)
		co := clientele.Company{Name: "Order", Slug: "order", CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateCompany(ctx, &co); err != nil {
			return err
		}
		companyID = co.ID
		for i, name := range names {
			c := clientele.Client{CompanyID: co.ID, Name: name, ExternalID: name,
				Types: []string{"customer"}, CreatedAt: now.Add(time.Duration(i%5) * time.Second), UpdatedAt: now}
			if err := tx.CreateClient(ctx, &c); err != nil {
				return err
			}
			clients = append(clients, c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"name", "external_id", "created_at"} {
		for _, desc := range []bool{false, true} {
			sortBy := []clientele.SortKey{{Field: field, Desc: desc}}
			want := slices.Clone(clients)
			slices.SortFunc(want, func(a, b clientele.Client) int {
				pa, pb := clientele.ClientPosition(a, sortBy), clientele.ClientPosition(b, sortBy)
				c := strings.Compare(pa.Values[0], pb.Values[0])
				if field == "created_at" {
					c = a.CreatedAt.Compare(b.CreatedAt)
				}
				if desc {
					c = -c
				}
				if c == 0 {
					c = int(a.ID - b.ID)
				}
				return c
			})
			var all, walked []clientele.Client
			err := db.Read(ctx, func(tx clientele.Tx) (err error) {
				all, err = tx.Clients(ctx, companyID, clientele.ClientQuery{Sort: sortBy})
				if err != nil {
					return err
				}
				var after clientele.Position
				for {
					p, err := tx.Clients(ctx, companyID, clientele.ClientQuery{Sort: sortBy,
						Page: clientele.Page{Limit: 4, After: after}})
					if err != nil || len(p) == 0 {
						return err
					}
					walked = append(walked, p...)
					after = clientele.ClientPosition(p[len(p)-1], sortBy)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if got, w := clientNames(all), clientNames(want); !slices.Equal(got, w) {
				t.Errorf("sort %v:\n got %q\nwant %q", sortBy, got, w)
			}
			if got, w := clientNames(walked), clientNames(want); !slices.Equal(got, w) {
				t.Errorf("sort %v, in pages:\n got %q\nwant %q", sortBy, got, w)
			}
		}
	}
}

func clientNames(cs []clientele.Client) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}

// Secret makes one secret per name, once, however many ask at once.
func TestSecret(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	const n = 8
	got := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var err error
			if got[i], err = db.Secret(ctx, "cursor"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i := range n {
		if len(got[i]) != SecretSize || !bytes.Equal(got[i], got[0]) {
			t.Fatalf("secret %d is %x, secret 0 %x", i, got[i], got[0])
		}
	}
	other, err := db.Secret(ctx, "other")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(other, got[0]) {
		t.Error("two names share a secret")
	}
	if again, err := db.Secret(ctx, "cursor"); err != nil || !bytes.Equal(again, got[0]) {
		t.Errorf("the secret changed: %x, %v", again, err)
	}
}
