package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clientele/clientele"
)

// A bulk load ends with the same schema it started with, and with everything
// the triggers would have kept: the search indexes, the clients' copies of
// their primary location and the counts; a load that breaks a unique index
// fails and leaves nothing behind.
func TestBulk(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	schema := func() int {
		var n int
		if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type IN ('index', 'trigger')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	objects := schema()
	co, now := bulkCompany(t, db)
	load := func(names []string, externalID string) error {
		return db.Bulk(ctx, func(tx clientele.Tx) error {
			for i, name := range names {
				city, country := "Kraków", "PL"
				if i%2 == 1 {
					city, country = "Köln", "DE"
				}
				c := clientele.Client{CompanyID: co.ID, Name: name, ExternalID: externalID, Types: []string{clientele.TypeCustomer},
					CreatedAt: now, UpdatedAt: now}
				if i == 0 {
					c.Address = &clientele.Address{City: city, Country: country}
				} // the others take the path that recomputes the search text
				if err := tx.CreateClient(ctx, &c); err != nil {
					return err
				}
				for _, l := range []clientele.Location{
					{Name: "Main", IsPrimary: true, Address: clientele.Address{City: city, Country: country}},
					{Name: "Other", Address: clientele.Address{City: "Wien", Country: "AT"}},
				} {
					l.CompanyID, l.ClientID, l.CreatedAt, l.UpdatedAt = co.ID, c.ID, now, now
					if err := tx.CreateLocation(ctx, &l); err != nil {
						return err
					}
				}
				ct := clientele.Contact{CompanyID: co.ID, ClientID: c.ID, FirstName: "Zoë", LastName: name, IsMain: true,
					CreatedAt: now, UpdatedAt: now}
				if err := tx.CreateContact(ctx, &ct); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := load([]string{"Müller Bau", "Nowak Sp", "Schmidt GmbH"}, ""); err != nil {
		t.Fatal(err)
	}
	if got := schema(); got != objects {
		t.Errorf("after Bulk: %d indexes and triggers, want %d", got, objects)
	}
	for _, fts := range []string{"clients_search", "contacts_search"} {
		var automerge int
		if err := db.read.QueryRowContext(ctx, `SELECT v FROM `+fts+`_config WHERE k = 'automerge'`).Scan(&automerge); err != nil || automerge != 4 {
			t.Errorf("%s after Bulk: automerge %d, %v; want FTS5's default, 4", fts, automerge, err)
		}
	}
	read := func(fn func(tx clientele.Tx) error) {
		t.Helper()
		if err := db.Read(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	read(func(tx clientele.Tx) error {
		for _, tc := range []struct {
			what string
			q    clientele.ClientQuery
			want int
		}{
			{"all", clientele.ClientQuery{}, 3},
			{"country PL", clientele.ClientQuery{Countries: []string{"PL"}}, 2},
			{"city Köln", clientele.ClientQuery{Cities: []string{"koln"}}, 1},
			{"country AT (not primary)", clientele.ClientQuery{Countries: []string{"AT"}}, 0},
			{"q müller", clientele.ClientQuery{Search: "müller"}, 1},
			{"q krakow (the city, set from Address)", clientele.ClientQuery{Search: "krakow muller"}, 1},
			{"q koln (the city, recomputed)", clientele.ClientQuery{Search: "koln nowak"}, 1},
		} {
			n, err := tx.CountClients(ctx, co.ID, tc.q)
			if err != nil {
				return err
			}
			tc.q.Limit = 10
			list, err := tx.Clients(ctx, co.ID, tc.q)
			if err != nil {
				return err
			}
			if n != tc.want || len(list) != tc.want {
				t.Errorf("clients %s after Bulk: count %d, list %d, want %d", tc.what, n, len(list), tc.want)
			}
		}
		for what, q := range map[string]clientele.ContactQuery{"all": {}, "q zoe": {Search: "zoe"}} {
			if n, err := tx.CountContacts(ctx, co.ID, q); err != nil || n != 3 {
				t.Errorf("contacts %s after Bulk: %d, %v, want 3", what, n, err)
			}
		}
		n, err := tx.CountLocations(ctx, co.ID, clientele.LocationQuery{})
		if err != nil || n != 6 {
			t.Errorf("locations after Bulk: %d, %v, want 6", n, err)
		}
		return nil
	})

	// Two clients with one external id break a unique index: nothing stays.
	if err := load([]string{"Dup One", "Dup Two"}, "X-1"); clientele.KindOf(err) != clientele.Conflict {
		t.Errorf("Bulk breaking a unique index: %v, want a conflict", err)
	}
	if got := schema(); got != objects {
		t.Errorf("after a failed Bulk: %d indexes and triggers, want %d", got, objects)
	}
	read(func(tx clientele.Tx) error {
		if n, err := tx.CountClients(ctx, co.ID, clientele.ClientQuery{}); err != nil || n != 3 {
			t.Errorf("clients after a failed Bulk: %d, %v, want 3", n, err)
		}
		return nil
	})
}

// A client's copies of its primary location and the city of its search
// text follow the primary location that the load creates, whatever address
// the client was given: another one, or one whose location never comes.
func TestBulkCopiesFollowPrimary(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	co, now := bulkCompany(t, db)
	err := db.Bulk(ctx, func(tx clientele.Tx) error {
		for _, tc := range []struct {
			name    string
			address *clientele.Address
			primary *clientele.Address
		}{
			{"Other Address", &clientele.Address{City: "Berlin", Country: "DE"}, &clientele.Address{City: "Wien", Country: "AT"}},
			{"No Primary", &clientele.Address{City: "Paris", Country: "FR"}, nil},
			{"Matching", &clientele.Address{City: "Kraków", Country: "PL"}, &clientele.Address{City: "Kraków", Country: "PL"}},
		} {
			c := clientele.Client{CompanyID: co.ID, Name: tc.name, Address: tc.address, CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateClient(ctx, &c); err != nil {
				return err
			}
			if tc.primary != nil {
				l := clientele.Location{CompanyID: co.ID, ClientID: c.ID, Name: "Main", IsPrimary: true,
					Address: *tc.primary, CreatedAt: now, UpdatedAt: now}
				if err := tx.CreateLocation(ctx, &l); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Read(ctx, func(tx clientele.Tx) error {
		for _, tc := range []struct {
			q    clientele.ClientQuery
			want int
		}{
			{clientele.ClientQuery{Countries: []string{"AT"}}, 1},
			{clientele.ClientQuery{Cities: []string{"wien"}}, 1},
			{clientele.ClientQuery{Search: "wien other"}, 1},
			{clientele.ClientQuery{Countries: []string{"DE"}}, 0},
			{clientele.ClientQuery{Search: "berlin"}, 0},
			{clientele.ClientQuery{Countries: []string{"FR"}}, 0},
			{clientele.ClientQuery{Cities: []string{"paris"}}, 0},
			{clientele.ClientQuery{Search: "paris"}, 0},
			{clientele.ClientQuery{Countries: []string{"PL"}}, 1},
			{clientele.ClientQuery{Search: "krakow matching"}, 1},
		} {
			n, err := tx.CountClients(ctx, co.ID, tc.q)
			if err != nil {
				return err
			}
			if n != tc.want {
				t.Errorf("clients %+v after Bulk: %d, want %d", tc.q, n, tc.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A client from before the load whose primary location the load creates:
// its copies and search text follow the location, and the search index stays
// in step with its search text (FTS5's integrity check).
func TestBulkPrimaryOfClientFromBefore(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	co := clientele.Company{Name: "Acme", Slug: "acme", CreatedAt: now, UpdatedAt: now}
	old := clientele.Client{Name: "Old Client", CreatedAt: now, UpdatedAt: now}
	err := db.Write(ctx, func(tx clientele.Tx) error {
		if err := tx.CreateCompany(ctx, &co); err != nil {
			return err
		}
		old.CompanyID = co.ID
		return tx.CreateClient(ctx, &old)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Bulk(ctx, func(tx clientele.Tx) error {
		l := clientele.Location{CompanyID: co.ID, ClientID: old.ID, Name: "Main", IsPrimary: true,
			Address: clientele.Address{City: "Wien", Country: "AT"}, CreatedAt: now, UpdatedAt: now}
		return tx.CreateLocation(ctx, &l)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Read(ctx, func(tx clientele.Tx) error {
		for _, q := range []clientele.ClientQuery{{Countries: []string{"AT"}}, {Search: "wien old"}} {
			if n, err := tx.CountClients(ctx, co.ID, q); err != nil || n != 1 {
				t.Errorf("clients %+v after Bulk: %d, %v; want 1", q, n, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, fts := range []string{"clients_search", "contacts_search"} {
		if _, err := db.write.ExecContext(ctx, `INSERT INTO `+fts+` (`+fts+`, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Errorf("%s after Bulk: %v", fts, err)
		}
	}
}

// bulkCompany creates the company the loads of a test fill, and returns it
// with the time its records are made at.
func bulkCompany(t *testing.T, db *DB) (clientele.Company, time.Time) {
	t.Helper()
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	co := clientele.Company{Name: "Acme", Slug: "acme", CreatedAt: now, UpdatedAt: now}
	if err := db.Write(context.Background(), func(tx clientele.Tx) error { return tx.CreateCompany(context.Background(), &co) }); err != nil {
		t.Fatal(err)
	}
	return co, now
}

// Bulk writes its rows in chunks with the ids it assigns: they follow the
// ids taken before (a deleted row's too: AUTOINCREMENT never reuses one),
// the rows read back as written, and the ids taken after follow them.
func TestBulkIDs(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	co := clientele.Company{Name: "Acme", Slug: "acme", CreatedAt: now, UpdatedAt: now}
	first := clientele.Client{Name: "First", CreatedAt: now, UpdatedAt: now}
	if err := db.Write(ctx, func(tx clientele.Tx) error {
		if err := tx.CreateCompany(ctx, &co); err != nil {
			return err
		}
		first.CompanyID = co.ID
		if err := tx.CreateClient(ctx, &first); err != nil {
			return err
		}
		return tx.DeleteClient(ctx, co.ID, first.ID)
	}); err != nil {
		t.Fatal(err)
	}
	const n = 2*bulkChunk + 50 // two full chunks and a partial one
	var ids, contactIDs []int64
	err := db.Bulk(ctx, func(tx clientele.Tx) error {
		for i := range n {
			c := clientele.Client{CompanyID: co.ID, Name: fmt.Sprintf("Client %03d", i), CreatedAt: now, UpdatedAt: now,
				Address: &clientele.Address{City: "Köln", Country: "DE"}}
			if err := tx.CreateClient(ctx, &c); err != nil {
				return err
			}
			l := clientele.Location{CompanyID: co.ID, ClientID: c.ID, Name: "Main", IsPrimary: true,
				Address: clientele.Address{City: "Köln", Country: "DE"}, CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateLocation(ctx, &l); err != nil {
				return err
			}
			ct := clientele.Contact{CompanyID: co.ID, ClientID: c.ID, LastName: fmt.Sprintf("Contact %03d", i),
				CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateContact(ctx, &ct); err != nil {
				return err
			}
			ids, contactIDs = append(ids, c.ID), append(contactIDs, ct.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if ids[i] != first.ID+1+int64(i) {
			t.Fatalf("client %d has id %d, want %d", i, ids[i], first.ID+1+int64(i))
		}
	}
	after := clientele.Client{CompanyID: co.ID, Name: "After", CreatedAt: now, UpdatedAt: now}
	if err := db.Write(ctx, func(tx clientele.Tx) error { return tx.CreateClient(ctx, &after) }); err != nil {
		t.Fatal(err)
	}
	if after.ID != ids[n-1]+1 {
		t.Errorf("the client created after the load has id %d, want %d", after.ID, ids[n-1]+1)
	}
	if err := db.Read(ctx, func(tx clientele.Tx) error {
		for _, i := range []int{0, bulkChunk, n - 1} {
			c, err := tx.Client(ctx, co.ID, ids[i])
			if err != nil {
				return err
			}
			if c.Name != fmt.Sprintf("Client %03d", i) || c.Address == nil || c.Address.City != "Köln" {
				t.Errorf("client %d reads back as %+v", i, c)
			}
			ct, err := tx.Contact(ctx, co.ID, contactIDs[i])
			if err != nil {
				return err
			}
			if ct.ClientID != ids[i] || ct.LastName != fmt.Sprintf("Contact %03d", i) {
				t.Errorf("contact %d reads back as %+v", i, ct)
			}
		}
		found, err := tx.Contacts(ctx, co.ID, clientele.ContactQuery{Search: fmt.Sprintf("contact %03d", n-1), Page: clientele.Page{Limit: 5}})
		if err != nil {
			return err
		}
		if len(found) != 1 || found[0].ID != contactIDs[n-1] {
			t.Errorf("the search finds %+v, want contact %d", found, contactIDs[n-1])
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// A row that the writer of Bulk fails to store (here: a contact of a client
// that does not exist) fails the whole load, which leaves nothing behind.
func TestBulkWriteError(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	co, now := bulkCompany(t, db)
	err := db.Bulk(ctx, func(tx clientele.Tx) error {
		for i := range bulkChunk + 10 {
			c := clientele.Client{CompanyID: co.ID, Name: fmt.Sprintf("C%d", i), CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateClient(ctx, &c); err != nil {
				return err
			}
			ct := clientele.Contact{CompanyID: co.ID, ClientID: c.ID, LastName: "X", CreatedAt: now, UpdatedAt: now}
			if i == 5 {
				ct.ClientID = 999999
			}
			if err := tx.CreateContact(ctx, &ct); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		t.Fatal("Bulk with a contact of a missing client succeeded")
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM clients) + (SELECT count(*) FROM contacts)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("after the failed load: %d rows", n)
	}
}
