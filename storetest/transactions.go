package storetest

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele"
)

var transactionTests = []test{
	{"PingAnswers", testPing},
	{"WriteCommits", testWriteCommits},
	{"WriteSeesItsOwnWrites", testWriteSeesOwnWrites},
	{"WriteErrorRollsBackCreates", testWriteRollsBackCreates},
	{"WriteErrorRollsBackUpdatesAndDeletes", testWriteRollsBackChanges},
	{"WriteReturnsDomainErrorUnchanged", testWriteReturnsDomainError},
	{"ConflictInsideWriteRollsBackEarlierWrites", testConflictRollsBack},
	{"ReadReturnsCallbackError", testReadReturnsError},
	{"ReadSeesOneSnapshot", testReadSnapshot},
	{"ConcurrentWritesDoNotLoseUpdates", testWritesSerialized},
}

var errBoom = errors.New("storetest: the callback failed")

func testPing(t *testing.T, s clientele.Store) {
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func testWriteCommits(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	cl := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	if !get(t, s, hasCompanies) {
		t.Error("HasCompanies after a committed Write: got false")
	}
	checkEqual(t, "Company after commit", get(t, s, companyOf(tn.ID())), tn.Company)
	checkEqual(t, "User after commit", get(t, s, userOf(tn.ID(), tn.Admin.ID)), tn.Admin)
	checkEqual(t, "Client after commit", get(t, s, clientOf(tn.ID(), cl.ID)), cl)
}

func testWriteSeesOwnWrites(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	mustWrite(t, s, func(tx clientele.Tx) error {
		c := clientele.Client{CompanyID: tn.ID(), Name: "Inside", Types: []string{clientele.TypeProspect}, CreatedAt: at(1), UpdatedAt: at(1)}
		if err := tx.CreateClient(ctx, &c); err != nil {
			return err
		}
		got, err := tx.Client(ctx, tn.ID(), c.ID)
		if err != nil {
			return fmt.Errorf("Client created in the same transaction: %w", err)
		}
		checkEqual(t, "Client read in the transaction that created it", got, c)
		return nil
	})
}

func testWriteRollsBackCreates(t *testing.T, s clientele.Store) {
	var (
		co  clientele.Company
		u   clientele.User
		k   clientele.Token
		cl  clientele.Client
		loc clientele.Location
		con clientele.Contact
	)
	err := s.Write(ctx, func(tx clientele.Tx) error {
		co = clientele.Company{Name: "Gone", Slug: "gone", CreatedAt: at(1), UpdatedAt: at(1)}
		if err := tx.CreateCompany(ctx, &co); err != nil {
			return fmt.Errorf("CreateCompany: %w", err)
		}
		u = clientele.User{CompanyID: co.ID, FullName: "Gone", Email: "gone@gone.example", Role: clientele.RoleAdmin, CreatedAt: at(1), UpdatedAt: at(1)}
		if err := tx.CreateUser(ctx, &u); err != nil {
			return fmt.Errorf("CreateUser: %w", err)
		}
		k = clientele.Token{CompanyID: co.ID, UserID: u.ID, Name: "t", Hash: newHash(), CreatedAt: at(1)}
		if err := tx.CreateToken(ctx, &k); err != nil {
			return fmt.Errorf("CreateToken: %w", err)
		}
		cl = fullClient(co.ID, 1, u.ID, u.ID, u.ID)
		if err := tx.CreateClient(ctx, &cl); err != nil {
			return fmt.Errorf("CreateClient: %w", err)
		}
		loc = fullLocation(co.ID, cl.ID, 1, true)
		if err := tx.CreateLocation(ctx, &loc); err != nil {
			return fmt.Errorf("CreateLocation: %w", err)
		}
		con = fullContact(co.ID, cl.ID, 1, true, true)
		if err := tx.CreateContact(ctx, &con); err != nil {
			return fmt.Errorf("CreateContact: %w", err)
		}
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("Write whose callback failed: got error %v, want the callback's error %q", err, errBoom)
	}
	if get(t, s, hasCompanies) {
		t.Error("HasCompanies after a rolled back Write: got true")
	}
	wantNotFound(t, getErr(s, companyOf(co.ID)), "Company created in a rolled back Write")
	wantNotFound(t, getErr(s, companyBySlug(co.Slug)), "CompanyBySlug of a company created in a rolled back Write")
	wantNotFound(t, getErr(s, userOf(co.ID, u.ID)), "User created in a rolled back Write")
	wantNotFound(t, getErr(s, tokenByHash(k.Hash)), "TokenByHash of a token created in a rolled back Write")
	wantNotFound(t, getErr(s, tokenOf(co.ID, k.ID)), "Token created in a rolled back Write")
	wantNotFound(t, getErr(s, clientOf(co.ID, cl.ID)), "Client created in a rolled back Write")
	wantNotFound(t, getErr(s, locationOf(co.ID, loc.ID)), "Location created in a rolled back Write")
	wantNotFound(t, getErr(s, contactOf(co.ID, con.ID)), "Contact created in a rolled back Write")

	// The store still works, and the slug is free.
	newCompany(t, s, "gone")
}

func testWriteRollsBackChanges(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	member := newUser(t, s, tn.ID(), "member@acme.example", clientele.RoleMember)
	k := newToken(t, s, tn.ID(), member.ID)
	cl := newClient(t, s, fullClient(tn.ID(), 1, member.ID, member.ID, member.ID))
	loc := newLocation(t, s, fullLocation(tn.ID(), cl.ID, 1, true))
	con := newContact(t, s, fullContact(tn.ID(), cl.ID, 1, true, true))
	cl = get(t, s, clientOf(tn.ID(), cl.ID))

	err := s.Write(ctx, func(tx clientele.Tx) error {
		co := tn.Company
		co.Name, co.UpdatedAt = "Renamed", at(90)
		c := cl
		c.Name, c.UpdatedAt = "Renamed", at(90)
		steps := []struct {
			name string
			fn   func() error
		}{
			{"UpdateCompany", func() error { return tx.UpdateCompany(ctx, co) }},
			{"UpdateClient", func() error { return tx.UpdateClient(ctx, c) }},
			{"TouchToken", func() error { return tx.TouchToken(ctx, tn.ID(), k.ID, at(90)) }},
			{"ClearMainContact", func() error { return tx.ClearMainContact(ctx, tn.ID(), cl.ID, at(90)) }},
			{"DeleteLocation", func() error { return tx.DeleteLocation(ctx, tn.ID(), loc.ID) }},
			{"DeleteUser", func() error { return tx.DeleteUser(ctx, tn.ID(), member.ID, at(9)) }},
		}
		for _, st := range steps {
			if err := st.fn(); err != nil {
				return fmt.Errorf("%s: %w", st.name, err)
			}
		}
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("Write whose callback failed: got error %v, want the callback's error %q", err, errBoom)
	}
	checkEqual(t, "Company after a rolled back update", get(t, s, companyOf(tn.ID())), tn.Company)
	checkEqual(t, "Client after rolled back changes", get(t, s, clientOf(tn.ID(), cl.ID)), cl)
	checkEqual(t, "Token after a rolled back touch and delete", get(t, s, tokenOf(tn.ID(), k.ID)), k)
	checkEqual(t, "Contact after a rolled back ClearMainContact", get(t, s, contactOf(tn.ID(), con.ID)), con)
	checkEqual(t, "Location after a rolled back delete", get(t, s, locationOf(tn.ID(), loc.ID)), loc)
	checkEqual(t, "User after a rolled back delete", get(t, s, userOf(tn.ID(), member.ID)), member)
}

func testWriteReturnsDomainError(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	want := clientele.Errorf(clientele.Invalid, "required", "name", "name is required")
	var cl clientele.Client
	err := s.Write(ctx, func(tx clientele.Tx) error {
		cl = clientele.Client{CompanyID: tn.ID(), Name: "Gone", Types: []string{clientele.TypeCustomer}, CreatedAt: at(1), UpdatedAt: at(1)}
		if err := tx.CreateClient(ctx, &cl); err != nil {
			return err
		}
		return want
	})
	if err != error(want) {
		t.Fatalf("Write whose callback returned %q: got error %v", want, err)
	}
	wantNotFound(t, getErr(s, clientOf(tn.ID(), cl.ID)), "Client created in a rolled back Write")
}

func testConflictRollsBack(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	newClient(t, s, clientele.Client{CompanyID: tn.ID(), ExternalID: "X-1"})
	var first clientele.Client
	err := s.Write(ctx, func(tx clientele.Tx) error {
		first = clientele.Client{CompanyID: tn.ID(), Name: "First", ExternalID: "X-2", Types: []string{clientele.TypeCustomer}, CreatedAt: at(1), UpdatedAt: at(1)}
		if err := tx.CreateClient(ctx, &first); err != nil {
			return fmt.Errorf("the first CreateClient: %w", err)
		}
		dup := clientele.Client{CompanyID: tn.ID(), Name: "Duplicate", ExternalID: "X-1", Types: []string{clientele.TypeCustomer}, CreatedAt: at(1), UpdatedAt: at(1)}
		return tx.CreateClient(ctx, &dup)
	})
	wantConflict(t, err, "external_id", "Write returning a duplicate external_id's error")
	wantNotFound(t, getErr(s, clientOf(tn.ID(), first.ID)), "Client created before the conflict in the same Write")
	got := get(t, s, clientsOf(tn.ID(), clientele.ClientQuery{Page: all}))
	if len(got) != 1 {
		t.Errorf("Clients after the rolled back Write: got %d, want 1", len(got))
	}
}

func testReadReturnsError(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	err := s.Read(ctx, func(tx clientele.Tx) error {
		if _, err := tx.Company(ctx, tn.ID()); err != nil {
			return err
		}
		return errBoom
	})
	if err != errBoom {
		t.Errorf("Read whose callback failed: got error %v, want the callback's error %q", err, errBoom)
	}
}

// testWritesSerialized checks that a Write holds the write lock from its
// start: concurrent read-modify-write transactions neither fail nor lose an
// update.
func testWritesSerialized(t *testing.T, s clientele.Store) {
	const workers, rounds = 8, 5
	c := newCompany(t, s, "counter")
	c.Name = "0"
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateCompany(ctx, c) })
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range rounds {
				err := s.Write(ctx, func(tx clientele.Tx) error {
					cur, err := tx.Company(ctx, c.ID)
					if err != nil {
						return err
					}
					n, err := strconv.Atoi(cur.Name)
					if err != nil {
						return err
					}
					cur.Name = strconv.Itoa(n + 1)
					return tx.UpdateCompany(ctx, cur)
				})
				if err != nil {
					t.Errorf("concurrent Write: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if got, want := get(t, s, companyOf(c.ID)).Name, strconv.Itoa(workers*rounds); got != want {
		t.Errorf("counter after %d concurrent increments: got %s, want %s", workers*rounds, got, want)
	}
}

// testReadSnapshot checks that a Read does not see what a Write commits while
// it runs. A store whose writers wait for readers passes without the check.
func testReadSnapshot(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID(), Name: "Before"})
	done := make(chan error, 1)
	waited := false
	err := s.Read(ctx, func(tx clientele.Tx) error {
		before, err := tx.Client(ctx, tn.ID(), c.ID)
		if err != nil {
			return err
		}
		go func() {
			done <- s.Write(ctx, func(tx clientele.Tx) error {
				changed := c
				changed.Name, changed.UpdatedAt = "After", at(9)
				if err := tx.UpdateClient(ctx, changed); err != nil {
					return err
				}
				added := clientele.Client{CompanyID: tn.ID(), Name: "Added", Types: []string{clientele.TypeCustomer}, CreatedAt: at(9), UpdatedAt: at(9)}
				return tx.CreateClient(ctx, &added)
			})
		}()
		select {
		case err := <-done:
			waited = true
			if err != nil {
				return fmt.Errorf("Write beside a Read: %w", err)
			}
		case <-time.After(2 * time.Second):
			return nil
		}
		after, err := tx.Client(ctx, tn.ID(), c.ID)
		if err != nil {
			return err
		}
		checkEqual(t, "Client read again after a Write beside the Read committed", after, before)
		list, err := tx.Clients(ctx, tn.ID(), clientele.ClientQuery{Page: all})
		if err != nil {
			return err
		}
		checkIDs(t, "Clients listed after a Write beside the Read committed", list, clientID, c.ID)
		return nil
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if !waited {
		if err := <-done; err != nil {
			t.Fatalf("Write after a Read: %v", err)
		}
	}
	if got := get(t, s, clientOf(tn.ID(), c.ID)); got.Name != "After" {
		t.Errorf("Client after the Write committed: Name %q, want %q", got.Name, "After")
	}
}
