package seed

import (
	"context"
	"flag"
	"path/filepath"
	"testing"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/sqlite"
)

// TestGenerate checks that every generated record passes the domain rules
// (record panics otherwise) and that generation is deterministic.
func TestGenerate(t *testing.T) {
	o := Options{Clients: 300, Contacts: 1500, Seed: 7, PasswordHash: "$argon2id$x"}
	if err := o.defaults(); err != nil {
		t.Fatal(err)
	}
	a, b := newGen(o, []int64{1, 2, 3}).batch(0, 300), newGen(o, []int64{1, 2, 3}).batch(0, 300)
	locs, cts := 0, 0
	for i := range a {
		if a[i].client.Name != b[i].client.Name || a[i].client.CreatedAt != b[i].client.CreatedAt ||
			len(a[i].contacts) != len(b[i].contacts) {
			t.Fatalf("record %d differs between two runs with the same seed", i)
		}
		locs += len(a[i].locations)
		cts += len(a[i].contacts)
	}
	for _, r := range a {
		if !r.client.CreatedAt.Before(o.End) {
			t.Errorf("created_at %v is not before the end %v", r.client.CreatedAt, o.End)
		}
	}
	if locs != o.Locations || cts != o.Contacts {
		t.Errorf("generated %d locations and %d contacts, want %d and %d", locs, cts, o.Locations, o.Contacts)
	}
}

// The size of BenchmarkRunSQLite: go test -bench RunSQLite -seed.clients 40000 -seed.contacts 200000 ./seed/
var (
	benchClients  = flag.Int("seed.clients", 5000, "clients of BenchmarkRunSQLite")
	benchContacts = flag.Int("seed.contacts", 25000, "contacts of BenchmarkRunSQLite")
)

func BenchmarkRunSQLite(b *testing.B) {
	TuneSQLite()
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "c.db"))
		if err != nil {
			b.Fatal(err)
		}
		c := clientele.Company{Name: "A", Slug: "a"}
		if err := db.Write(ctx, func(tx clientele.Tx) error { return tx.CreateCompany(ctx, &c) }); err != nil {
			b.Fatal(err)
		}
		owners, err := Users(ctx, db, c.ID, 4, 1)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := Run(ctx, db, c.ID, owners, Options{Clients: *benchClients, Contacts: *benchContacts, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

func BenchmarkGenerate(b *testing.B) {
	o := Options{Clients: 5000, Contacts: 25000, Seed: 1}
	o.defaults()
	for b.Loop() {
		newGen(o, []int64{1}).batch(0, 5000)
	}
}

// TestLastClientBeforeEnd: with many clients the created_at of the last one
// (base plus up to an hour of jitter) must still be before End.
func TestLastClientBeforeEnd(t *testing.T) {
	o := Options{Clients: 200000, Seed: 1}
	if err := o.defaults(); err != nil {
		t.Fatal(err)
	}
	g := newGen(o, []int64{1})
	for i := o.Clients - 50; i < o.Clients; i++ {
		if r := g.record(i); !r.client.CreatedAt.Before(o.End) {
			t.Fatalf("client %d created at %v, after the end %v", i, r.client.CreatedAt, o.End)
		}
	}
}
