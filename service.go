package clientele

import (
	"context"
	"log/slog"
	"time"
)

// Actor is who makes a request: a user of a company, authenticated by a token.
// Every Service method that touches company data takes the Actor explicitly.
type Actor struct {
	CompanyID int64
	UserID    int64
	TokenID   int64
	Role      Role
}

// PasswordHasher makes and checks slow salted password hashes.
type PasswordHasher interface {
	// Hash returns an encoded hash of password.
	Hash(ctx context.Context, password string) (string, error)
	// Verify reports whether password matches hash.
	Verify(ctx context.Context, hash, password string) (bool, error)
}

// Service holds every business rule of Clientele: tenancy, roles, validation,
// the one-primary-location and one-main-contact invariants, a client's
// address, and what deleting takes along. Adapters (the canonical API, vendor
// dialects, the CLI) call it; it calls a Store.
type Service struct {
	store  Store
	hasher PasswordHasher
	now    func() time.Time
	portal portalKeys // made at the first portal login
	files  Files      // image bytes (UseFiles); nil: images cannot be uploaded
	log    *slog.Logger
}

// NewService returns a Service over store that hashes passwords with hasher.
func NewService(store Store, hasher PasswordHasher) *Service {
	return &Service{store: store, hasher: hasher, now: now, log: slog.New(slog.DiscardHandler)}
}

// UseLogger makes the Service log what it cannot report to a caller (a file
// left behind after a commit) to log. Call it once, before it serves.
func (s *Service) UseLogger(log *slog.Logger) { s.log = log }

// now is the wall clock at the precision every engine stores: microseconds, UTC.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// MaxPageSize is the largest page a list returns; DefaultPageSize the page
// size when none is asked for.
const (
	MaxPageSize     = 100
	DefaultPageSize = 25
)

// List is one page of a list; More says whether records follow it. Total is
// how many records the whole list holds, counted only in number mode.
type List[T any] struct {
	Items []T
	More  bool
	Total int
}

// fetch runs a list query for one record more than the page holds, to learn
// whether another page follows, and then, in the same read transaction, plan's
// related records of the page's records.
//
// In number mode (page.Number) it also counts the whole list with count, in
// the same snapshot, so that the total agrees with the page.
func fetch[T any](ctx context.Context, s *Service, a Actor, page *Page, plan includePlan,
	query func(Tx) ([]T, error), count func(Tx) (int, error)) (List[T], Related, error) {
	limit := page.Limit
	if limit < 1 || limit > MaxPageSize {
		limit = DefaultPageSize
	}
	page.Limit = limit + 1
	var out struct { // one variable, so that the closure moves one to the heap
		list List[T]
		rel  Related
	}
	err := s.store.Read(ctx, func(tx Tx) error {
		items, err := query(tx)
		if err != nil {
			return err
		}
		if len(items) > limit {
			items, out.list.More = items[:limit], true
		}
		out.list.Items = items
		if page.Number && count != nil {
			if out.list.Total, err = count(tx); err != nil {
				return err
			}
		}
		out.rel, err = plan.load(ctx, tx, a.CompanyID, items)
		return err
	})
	if err != nil {
		return List[T]{}, Related{}, err
	}
	return out.list, out.rel, nil
}

// readWith runs fn in a read transaction and then, in the same transaction,
// loads plan's related records of what it returns.
func readWith[T any](ctx context.Context, s *Service, a Actor, plan includePlan, fn func(Tx) (T, error)) (T, Related, error) {
	var out struct { // one variable, so that the closure moves one to the heap
		v   T
		rel Related
	}
	err := s.store.Read(ctx, func(tx Tx) (err error) {
		if out.v, err = fn(tx); err != nil {
			return err
		}
		out.rel, err = plan.load(ctx, tx, a.CompanyID, []T{out.v})
		return err
	})
	if err != nil {
		var zero T
		return zero, Related{}, err
	}
	return out.v, out.rel, nil
}

// read runs fn in a read transaction and returns what it returns.
func read[T any](ctx context.Context, s *Service, fn func(Tx) (T, error)) (T, error) {
	var v T
	err := s.store.Read(ctx, func(tx Tx) (err error) {
		v, err = fn(tx)
		return err
	})
	return v, err
}

// write runs fn in a write transaction and returns what it returns.
func write[T any](ctx context.Context, s *Service, fn func(Tx) (T, error)) (T, error) {
	var v T
	err := s.store.Write(ctx, func(tx Tx) (err error) {
		v, err = fn(tx)
		return err
	})
	return v, err
}

func requireAdmin(a Actor) error {
	if a.Role != RoleAdmin {
		return Errorf(Forbidden, "admin_only", "", "only admins may do this")
	}
	return nil
}

// relationshipProblem turns a NotFound from looking up a related record into a
// validation problem of field; other errors pass through.
func relationshipProblem(err error, ps *Problems, field, what string) error {
	if IsNotFound(err) {
		ps.Add(field, "invalid_relationship", "%s must be a %s of this company", field, what)
		return nil
	}
	return err
}
