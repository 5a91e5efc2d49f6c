// Package seed fills a company with a large amount of realistic,
// deterministic data for load tests and benchmarks. It writes through the
// Store's Create methods in large transactions (no HTTP, no Service), in one
// bulk transaction when the Store has a bulk path (sqlite.DB.Bulk), and
// checks every record with the domain's exported rules before writing it, so
// that it never stores what the API would reject.
package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/clientele/clientele"
)

// Options says how much to generate.
type Options struct {
	Clients   int
	Contacts  int
	Locations int    // total; at least Clients (each client has a primary location); 0: 1.3 × Clients
	Seed      uint64 // the same seed gives the same data
	Batch     int    // records per Write transaction (per Progress call in a bulk load); 0: 10000
	Users     int    // owners to spread clients over (created when missing); 0: 8
	// End is the newest created_at; the data spans the three years before it.
	// Zero: 2026-01-01 UTC.
	End time.Time
	// PasswordHash is stored for the contacts with portal access (a few percent).
	// Empty: no contact gets portal access.
	PasswordHash string
	// Progress, when set, is called after every committed transaction (in a
	// bulk load, after every Batch records written in its one transaction).
	Progress func(Result)
}

// Result counts what was written.
type Result struct {
	Clients, Locations, Contacts int
	Elapsed                      time.Duration
}

// Rows is the number of rows of clients, locations and contacts.
func (r Result) Rows() int { return r.Clients + r.Locations + r.Contacts }

func (o *Options) defaults() error {
	if o.Clients < 0 || o.Contacts < 0 || o.Locations < 0 {
		return fmt.Errorf("seed: counts must not be negative")
	}
	if o.Locations == 0 {
		o.Locations = o.Clients + o.Clients*3/10
	}
	if o.Locations < o.Clients {
		return fmt.Errorf("seed: --locations must be at least --clients (every client has a primary location)")
	}
	if o.Contacts > 0 && o.Clients == 0 {
		return fmt.Errorf("seed: contacts need clients")
	}
	if o.Batch <= 0 {
		o.Batch = 10000
	}
	if o.Users <= 0 {
		o.Users = 8
	}
	if o.End.IsZero() {
		o.End = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return nil
}

// rnd is a seeded PCG source with a few helpers.
type rnd struct{ *rand.Rand }

func newRnd(seed, stream uint64) *rnd { return &rnd{rand.New(rand.NewPCG(seed, stream))} }

func (r *rnd) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

func pick[T any](r *rnd, s []T) T { return s[r.IntN(len(s))] }

func (r *rnd) locale() *locale {
	n := r.IntN(totalWeight)
	for _, l := range locales {
		if n < l.weight {
			return l
		}
		n -= l.weight
	}
	return locales[0]
}

var totalWeight = func() int {
	t := 0
	for _, l := range locales {
		t += l.weight
	}
	return t
}()

// Users makes sure the company has n users to own clients (the existing ones
// count, admins included) and returns their ids, oldest first.
func Users(ctx context.Context, store clientele.Store, companyID int64, n int, seed uint64) ([]int64, error) {
	var ids []int64
	err := store.Write(ctx, func(tx clientele.Tx) error {
		ids = ids[:0]
		us, err := tx.Users(ctx, companyID, clientele.UserQuery{Page: clientele.Page{Limit: n}})
		if err != nil {
			return err
		}
		for _, u := range us {
			ids = append(ids, u.ID)
		}
		r := newRnd(seed, 99)
		for i := len(ids); i < n; i++ {
			l := r.locale()
			first, last := pick(r, l.first), pick(r, l.last)
			u := clientele.User{CompanyID: companyID, FullName: first + " " + last,
				Email: fmt.Sprintf("%s.%s.%d@staff.example", ascii(first), ascii(last), i), Role: clientele.RoleMember,
				CreatedAt: time.Now().UTC().Truncate(time.Microsecond)}
			u.UpdatedAt = u.CreatedAt
			if !clientele.ValidEmail(u.Email) {
				return fmt.Errorf("seed: generated an invalid user e-mail %q", u.Email)
			}
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
			ids = append(ids, u.ID)
		}
		return nil
	})
	return ids, err
}

// Run fills the company with clients, their locations and contacts, owned by owners.
func Run(ctx context.Context, store clientele.Store, companyID int64, owners []int64, o Options) (Result, error) {
	if err := o.defaults(); err != nil {
		return Result{}, err
	}
	if len(owners) == 0 {
		return Result{}, fmt.Errorf("seed: no owners")
	}
	start := time.Now()
	g := newGen(o, owners)
	var res Result
	perClient := float64(o.Clients+o.Locations+o.Contacts) / float64(max(o.Clients, 1))
	clientsPerTx := max(1, int(float64(o.Batch)/perClient))
	write := store.Write
	if b, ok := store.(bulker); ok && o.Clients > 0 { // a bulk load rebuilds every index: not for nothing
		// One bulk transaction for everything: each batch runs in it.
		var inBulk clientele.Tx
		write = func(_ context.Context, fn func(clientele.Tx) error) error { return fn(inBulk) }
		err := b.Bulk(ctx, func(tx clientele.Tx) error {
			inBulk = tx
			var err error
			res, err = g.run(ctx, write, companyID, start, clientsPerTx, o.Progress)
			return err
		})
		res.Elapsed = time.Since(start)
		return res, err
	}
	res, err := g.run(ctx, write, companyID, start, clientsPerTx, o.Progress)
	res.Elapsed = time.Since(start)
	return res, err
}

// bulker is a Store with a faster path for loading many new rows in one
// transaction (sqlite.DB.Bulk). Within it, CreateClient takes the city of
// the client's search text from the client's Address.
type bulker interface {
	Bulk(ctx context.Context, fn func(clientele.Tx) error) error
}

// run writes the records in transactions of clientsPerTx clients, each through write.
func (g *gen) run(ctx context.Context, write func(context.Context, func(clientele.Tx) error) error,
	companyID int64, start time.Time, clientsPerTx int, progress func(Result)) (Result, error) {
	var res Result
	o := g.o
	for next := 0; next < o.Clients; {
		end := min(o.Clients, next+clientsPerTx)
		batch := g.batch(next, end)
		err := write(ctx, func(tx clientele.Tx) error {
			for i := range batch {
				b := &batch[i]
				b.client.CompanyID = companyID
				for _, l := range b.locations {
					if l.IsPrimary {
						b.client.Address = &clientele.Address{City: l.City, Country: l.Country}
					}
				}
				if err := tx.CreateClient(ctx, &b.client); err != nil {
					return fmt.Errorf("client %d: %w", next+i, err)
				}
				for j := range b.locations {
					l := &b.locations[j]
					l.CompanyID, l.ClientID = companyID, b.client.ID
					if err := tx.CreateLocation(ctx, l); err != nil {
						return fmt.Errorf("location of client %d: %w", next+i, err)
					}
				}
				for j := range b.contacts {
					c := &b.contacts[j]
					c.CompanyID, c.ClientID = companyID, b.client.ID
					if err := tx.CreateContact(ctx, c); err != nil {
						return fmt.Errorf("contact of client %d: %w", next+i, err)
					}
				}
			}
			return nil
		})
		if err != nil {
			return res, err
		}
		for _, b := range batch {
			res.Clients++
			res.Locations += len(b.locations)
			res.Contacts += len(b.contacts)
		}
		res.Elapsed = time.Since(start)
		if progress != nil {
			progress(res)
		}
		next = end
	}
	return res, nil
}

// record is one client with its locations and contacts.
type record struct {
	client    clientele.Client
	locations []clientele.Location
	contacts  []clientele.Contact
}

// gen generates records. The number of locations and contacts of every
// client is drawn up front, so that a batch of clients can be generated
// independently of the others and the totals are exact.
type gen struct {
	o        Options
	owners   []int64
	contacts []int32 // per client
	extra    []int32 // extra (non-primary) locations per client
	firstCt  []int   // global index of a client's first contact
	span     time.Duration
	start    time.Time
}

func newGen(o Options, owners []int64) *gen {
	g := &gen{o: o, owners: owners, contacts: make([]int32, o.Clients), extra: make([]int32, o.Clients),
		firstCt: make([]int, o.Clients)}
	g.span = 3 * 365 * 24 * time.Hour
	g.start = o.End.Add(-g.span)
	r := newRnd(o.Seed, 1)
	spread(r, g.contacts, o.Contacts)
	// Extra locations go to random clients.
	for range o.Locations - o.Clients {
		g.extra[r.IntN(o.Clients)]++
	}
	n := 0
	for i, c := range g.contacts {
		g.firstCt[i] = n
		n += int(c)
	}
	return g
}

// spread distributes total over counts: every client gets one while there
// are enough, the rest goes mostly evenly with a tail of large clients.
func spread(r *rnd, counts []int32, total int) {
	if len(counts) == 0 {
		return
	}
	if total >= len(counts) {
		for i := range counts {
			counts[i] = 1
		}
		total -= len(counts)
	}
	big := max(1, len(counts)/100)
	for range total {
		if r.IntN(10) == 0 { // 10 % of the rest to the biggest 1 %
			counts[r.IntN(big)*(len(counts)/big)]++
		} else {
			counts[r.IntN(len(counts))]++
		}
	}
}

func (g *gen) batch(from, to int) []record {
	out := make([]record, to-from)
	for i := from; i < to; i++ {
		out[i-from] = g.record(i)
	}
	return out
}

// micros truncates to the precision the engines store.
func micros(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// record generates client i; it depends only on the seed and i.
func (g *gen) record(i int) record {
	r := newRnd(g.o.Seed, uint64(i)+1000)
	l := r.locale()
	// created_at grows with i across three years, with jitter within the
	// client's own slot of the span, so that it grows with the ids, as in a
	// database whose rows were created one after the other; the records of
	// the client (its locations and contacts, which take the next ids) are
	// created with it. The last hour is left, so created_at stays before End.
	slot := float64(g.span-time.Hour) / float64(max(g.o.Clients, 1))
	base := g.start.Add(time.Duration(slot * float64(i)))
	created := micros(base.Add(time.Duration(r.Int64N(max(int64(slot)/2, 1)))))
	updated := created
	if r.IntN(3) > 0 {
		updated = micros(created.Add(time.Duration(r.Int64N(int64(g.o.End.Sub(created)) + 1))))
	}
	c := clientele.Client{CreatedAt: created, UpdatedAt: updated}
	personal := r.IntN(5) == 0 // a sole trader, named after its owner
	ownerFirst, ownerLast := pick(r, l.first), pick(r, l.last)
	switch {
	case personal:
		c.Name = ownerFirst + " " + ownerLast + " " + pick(r, l.words)
	case r.IntN(2) == 0:
		c.Name = ownerLast + " " + pick(r, l.words) + " " + pick(r, l.suffixes)
	default:
		c.Name = pick(r, l.words) + " " + ownerLast + " & " + pick(r, l.last) + " " + pick(r, l.suffixes)
	}
	domain := ascii(ownerLast) + "-" + strings.ToLower(ascii(strings.Fields(pick(r, l.words))[0])) + "." + l.tld
	if r.IntN(10) < 9 {
		c.ExternalID = fmt.Sprintf("CRM-%07d", i+1)
	}
	switch n := r.IntN(20); {
	case n < 12:
		c.Types = []string{clientele.TypeCustomer}
	case n < 15:
		c.Types = []string{clientele.TypeSupplier}
	case n < 18:
		c.Types = []string{clientele.TypeProspect}
	default:
		c.Types = []string{clientele.TypeCustomer, clientele.TypeSupplier}
	}
	ct := pick(r, l.cities)
	if r.IntN(10) < 8 {
		c.Email = pick(r, []string{"info", "office", "kontakt", "contact", "hello", "sales"}) + "@" + domain
	}
	if r.IntN(4) == 0 {
		c.BillingEmail = pick(r, []string{"billing", "rechnung", "facturation", "faktura", "invoices"}) + "@" + domain
	}
	if r.IntN(10) < 8 {
		c.Phone = l.phone(r, ct)
	}
	if r.IntN(5) == 0 {
		c.Fax = l.phone(r, ct)
	}
	if r.IntN(3) == 0 {
		c.Mobile = l.phone(r, ct)
	}
	if r.IntN(2) == 0 {
		c.Website = "https://www." + domain + "/"
	}
	if !personal && r.IntN(2) == 0 {
		c.TaxName = c.Name
		c.TaxNumber = l.country + r.digits(9)
	}
	if r.IntN(3) == 0 {
		c.RegistrationNumber = "HR " + r.digits(6)
	}
	if r.IntN(6) == 0 {
		c.Notes = pick(r, notes)
	}
	if r.IntN(4) == 0 {
		c.DefaultRate = fmt.Sprintf("%d.%02d", 40+r.IntN(260), r.IntN(4)*25)
		c.DefaultRateType = pick(r, clientele.RateTypes)
	}
	c.InvoiceReminders = r.IntN(2) == 0
	// Owners: most clients belong to the first few users.
	c.OwnerID = g.owners[min(len(g.owners)-1, int(float64(len(g.owners))*r.Float64()*r.Float64()))]
	if r.IntN(3) == 0 {
		c.SalespersonID = pick(r, g.owners)
	}
	if r.IntN(5) == 0 {
		c.CaseManagerID = pick(r, g.owners)
	}

	rec := record{client: c}
	nloc := 1 + int(g.extra[i])
	for j := range nloc {
		lc := ct
		if j > 0 {
			lc = pick(r, l.cities)
		}
		loc := clientele.Location{Name: clientele.DefaultLocationName, IsPrimary: j == 0,
			CreatedAt: created, UpdatedAt: updated}
		if j > 0 {
			loc.Name = pick(r, []string{"Lager", "Warehouse", "Filiale " + lc.name, "Entrepôt", "Magazyn", "Almacén", "Lager " + lc.name, "Depo"})
			loc.CreatedAt = created.Add(time.Duration(j) * time.Microsecond)
			loc.UpdatedAt = micros(loc.CreatedAt.Add(time.Duration(r.Int64N(int64(g.o.End.Sub(loc.CreatedAt)) + 1))))
		}
		loc.Street = pick(r, l.streets)
		loc.HouseNumber = l.house(r)
		loc.PostalCode = l.postal(r)
		loc.City = lc.name
		if r.IntN(2) == 0 {
			loc.Region = lc.region
		}
		loc.Country = l.country
		if r.IntN(8) == 0 {
			loc.AddressLine2 = pick(r, []string{"2. OG", "Hinterhaus", "Bâtiment B", "Suite 200", "lok. 4", "Kat 3", "c/o " + c.Name})
		}
		if r.IntN(5) == 0 {
			loc.Recipient = c.Name
		}
		if j > 0 && r.IntN(2) == 0 {
			loc.Phone = l.phone(r, lc)
		}
		rec.locations = append(rec.locations, loc)
	}

	for j := range int(g.contacts[i]) {
		k := g.firstCt[i] + j // global contact index
		first, last := pick(r, l.first), pick(r, l.last)
		if r.IntN(20) == 0 {
			first = ""
		} else if r.IntN(30) == 0 {
			last = ""
		}
		cc := clientele.Contact{FirstName: first, LastName: last, IsMain: j == 0}
		cc.CreatedAt = created.Add(time.Duration(j) * time.Microsecond)
		cc.UpdatedAt = cc.CreatedAt
		if r.IntN(2) == 0 {
			cc.UpdatedAt = micros(cc.CreatedAt.Add(time.Duration(r.Int64N(int64(g.o.End.Sub(cc.CreatedAt)) + 1))))
		}
		switch r.IntN(10) {
		case 0, 1, 2, 3:
			cc.Gender = "female"
		case 4, 5, 6, 7:
			cc.Gender = "male"
		case 8:
			cc.Gender = "other"
		}
		if r.IntN(10) < 8 {
			local := ascii(first)
			if last != "" {
				if local != "" {
					local += "."
				}
				local += ascii(last)
			}
			cc.Email = local + "@" + domain
		}
		if r.IntN(3) > 0 {
			cc.Phone = l.phone(r, ct)
		}
		if r.IntN(2) == 0 {
			cc.Mobile = l.phone(r, ct)
		}
		if r.IntN(4) == 0 {
			cc.Position = pick(r, positions)
		}
		if r.IntN(20) == 0 {
			cc.Skype = "live:" + strings.ToLower(ascii(first)+ascii(last)) + r.digits(2)
		}
		if r.IntN(50) == 0 {
			cc.Notes = pick(r, notes)
		}
		if g.o.PasswordHash != "" && cc.Email != "" && r.IntN(30) == 0 {
			// Unique among the company's portal users: the global index.
			at := strings.IndexByte(cc.Email, '@')
			cc.Email = fmt.Sprintf("%s.%d%s", cc.Email[:at], k, cc.Email[at:])
			cc.PortalAccess = true
			cc.PasswordHash = g.o.PasswordHash
		}
		rec.contacts = append(rec.contacts, cc)
	}
	if err := Check(rec.client, rec.locations, rec.contacts); err != nil {
		panic(fmt.Sprintf("seed: generated an invalid record %d: %v", i, err)) // a bug in this package
	}
	return rec
}

// ascii returns the folded name with every character that is not a-z or 0-9 dropped.
func ascii(s string) string {
	f := clientele.Fold(s)
	b := make([]byte, 0, len(f))
	for i := 0; i < len(f); i++ {
		if c := f[i]; c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b = append(b, c)
		}
	}
	if len(b) == 0 {
		return "x"
	}
	return string(b)
}

// Check applies the domain's exported rules to a client with its locations
// and contacts: e-mails, phones, countries, IBAN, lengths, and the
// invariants (one primary location first, at most one main contact).
func Check(c clientele.Client, locs []clientele.Location, cts []clientele.Contact) error {
	bad := func(field, v string) error { return fmt.Errorf("invalid %s %q", field, v) }
	email := func(field, v string) error {
		if v != "" && (len(v) > clientele.MaxEmail || !clientele.ValidEmail(v)) {
			return bad(field, v)
		}
		return nil
	}
	phone := func(field, v string) error {
		if v != "" && (len(v) > clientele.MaxPhone || !clientele.ValidPhone(v)) {
			return bad(field, v)
		}
		return nil
	}
	if n := len([]rune(c.Name)); n == 0 || n > clientele.MaxName || strings.TrimSpace(c.Name) != c.Name {
		return bad("name", c.Name)
	}
	if len(c.ExternalID) > clientele.MaxExternalID {
		return bad("external_id", c.ExternalID)
	}
	if c.IBAN != "" && !clientele.ValidIBAN(c.IBAN) {
		return bad("iban", c.IBAN)
	}
	for _, f := range []error{email("email", c.Email), email("billing_email", c.BillingEmail),
		phone("phone", c.Phone), phone("phone_secondary", c.PhoneSecondary), phone("mobile", c.Mobile), phone("fax", c.Fax)} {
		if f != nil {
			return f
		}
	}
	if len(locs) == 0 || !locs[0].IsPrimary {
		return fmt.Errorf("client %q: the first location must be primary", c.Name)
	}
	for i, l := range locs {
		if i > 0 && l.IsPrimary {
			return fmt.Errorf("client %q: more than one primary location", c.Name)
		}
		if !clientele.ValidCountry(l.Country) {
			return bad("country", l.Country)
		}
		if len([]rune(l.City)) > clientele.MaxShort || len([]rune(l.PostalCode)) > clientele.MaxCode || len([]rune(l.HouseNumber)) > clientele.MaxCode {
			return bad("address", fmt.Sprint(l.Address))
		}
		for _, f := range []error{email("location email", l.Email), phone("location phone", l.Phone)} {
			if f != nil {
				return f
			}
		}
	}
	mains := 0
	for _, ct := range cts {
		if ct.IsMain {
			mains++
		}
		if ct.FirstName == "" && ct.LastName == "" {
			return fmt.Errorf("contact without a name")
		}
		if ct.PortalAccess && (ct.Email == "" || ct.PasswordHash == "") {
			return fmt.Errorf("portal contact without e-mail or password")
		}
		for _, f := range []error{email("contact email", ct.Email), phone("contact phone", ct.Phone), phone("contact mobile", ct.Mobile)} {
			if f != nil {
				return f
			}
		}
	}
	if mains > 1 {
		return fmt.Errorf("client %q: %d main contacts", c.Name, mains)
	}
	return nil
}
