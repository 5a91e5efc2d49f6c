package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/argon2id"
	"github.com/clientele/clientele/seed"
)

// seedCompany fills a company (created with an admin when missing) with
// generated clients, locations and contacts (see package seed).
func seedCompany(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var sf storeFlags
	var o seed.Options
	fs := newFlags("seed", getenv, &sf)
	slug := fs.String("company", "", "slug of the company to fill (created when missing)")
	fs.IntVar(&o.Clients, "clients", 1000, "clients to create")
	fs.IntVar(&o.Contacts, "contacts", 5000, "contacts to create, spread over the clients")
	fs.IntVar(&o.Locations, "locations", 0, "locations to create, at least --clients (0: 1.3 × clients)")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed: the same seed gives the same data")
	fs.IntVar(&o.Batch, "batch", 10000, "records per transaction")
	fs.IntVar(&o.Users, "users", 8, "users to spread client ownership over (created when missing)")
	quiet := fs.Bool("quiet", false, "print only the summary")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *slug == "" {
		return fmt.Errorf("seed: --company SLUG is required")
	}
	if o.Clients < 0 || o.Contacts < 0 || o.Locations < 0 || (o.Locations > 0 && o.Locations < o.Clients) {
		return fmt.Errorf("seed: counts must not be negative, and --locations at least --clients")
	}
	if sf.databaseURL == "" {
		seed.TuneSQLite()
	}
	store, err := sf.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := newService(store)

	var company clientele.Company
	err = store.Read(ctx, func(tx clientele.Tx) error {
		company, err = tx.CompanyBySlug(ctx, *slug)
		return err
	})
	if clientele.IsNotFound(err) {
		p, err := svc.CreateCompany(ctx, clientele.NewCompany{Name: "Seeded " + *slug, Slug: *slug,
			AdminEmail: "admin@" + *slug + ".example", AdminName: "Admin " + *slug})
		if err != nil {
			return describe(err)
		}
		company = p.Company
		fmt.Fprintf(stdout, "Created company %q with admin %s.\n", company.Slug, p.Admin.Email)
	} else if err != nil {
		return err
	}
	owners, err := seed.Users(ctx, store, company.ID, o.Users, o.Seed)
	if err != nil {
		return err
	}
	// One real hash for every portal contact: the password is "portal-password".
	if o.PasswordHash, err = argon2id.New(argon2id.Default, 1).Hash(ctx, "portal-password"); err != nil {
		return err
	}
	last := time.Now()
	if !*quiet {
		o.Progress = func(r seed.Result) {
			if time.Since(last) < time.Second {
				return
			}
			last = time.Now()
			fmt.Fprintf(stdout, "  %d clients, %d locations, %d contacts (%.0f rows/s)\n",
				r.Clients, r.Locations, r.Contacts, float64(r.Rows())/r.Elapsed.Seconds())
		}
	}
	res, err := seed.Run(ctx, store, company.ID, owners, o)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(stdout, "Seeded company %q: %d clients, %d locations, %d contacts over %d owners in %s (%.0f rows/s).\n",
		company.Slug, res.Clients, res.Locations, res.Contacts, len(owners), res.Elapsed.Round(time.Millisecond),
		float64(res.Rows())/res.Elapsed.Seconds())
	return nil
}
