package clientele

import (
	"context"
	"time"
)

// PreconditionFailed: the caller made a write conditional on the record's
// version (If-Match) and the record has another one; nothing changed.
const PreconditionFailed Kind = "precondition_failed"

// Precondition is a condition on the record an update or delete changes:
// given the record's current Version, it reports whether the write may go
// ahead. The Service checks it inside the write's own transaction, after
// reading the record (a missing record stays NotFound) and before changing or
// validating anything, so that of two writes made with the same condition at
// most one can pass it. False fails the write with PreconditionFailed.
type Precondition func(version time.Time) bool

// Options are the optional conditions of one write, set by an adapter from
// its request (HTTP If-Match, Idempotency-Key). Service write methods take at
// most one Options; the zero value adds nothing.
type Options struct {
	// If is checked by updates and deletes (see Precondition).
	If Precondition
	// Idempotency, on creates, stores the key's response in the create's
	// transaction (see Idempotent).
	Idempotency *Idempotent
}

// optionsOf returns the one Options of a variadic parameter, or the zero value.
func optionsOf(opts []Options) Options {
	if len(opts) > 0 {
		return opts[0]
	}
	return Options{}
}

// check fails with PreconditionFailed when o's precondition rejects version.
func (o Options) check(version time.Time) error {
	if o.If == nil || o.If(version) {
		return nil
	}
	return Errorf(PreconditionFailed, "precondition_failed", "",
		"the record has changed: its current version does not match If-Match")
}

// Version is the value a record's strong entity tag is made of: it changes
// with every change of the record's plain representation. For most records it
// is updated_at, which every write moves strictly forward (see next).
func (c Client) Version() time.Time   { return c.UpdatedAt }
func (l Location) Version() time.Time { return l.UpdatedAt }
func (c Contact) Version() time.Time  { return c.UpdatedAt }
func (u User) Version() time.Time     { return u.UpdatedAt }
func (c Company) Version() time.Time  { return c.UpdatedAt }

// Version of a token is its last use, or its creation when it was never used:
// a token's name and user never change, only last_used_at, which only grows.
func (t Token) Version() time.Time {
	if t.LastUsedAt.After(t.CreatedAt) {
		return t.LastUsedAt
	}
	return t.CreatedAt
}

// next returns the updated_at of a record changed now whose updated_at was
// old: the clock's time, but at least a microsecond after old, so that a
// version never repeats even when two writes fall in one microsecond or the
// clock steps back. Side effects on other records (TouchClient and the like)
// get the same guarantee from the engines' SQL.
func (s *Service) next(old time.Time) time.Time { return after(s.now(), old) }

// after returns at, or a microsecond after old when at is not after it.
func after(at, old time.Time) time.Time {
	if !at.After(old) {
		return old.Add(time.Microsecond)
	}
	return at
}

// created finishes a create's transaction: when v was made without error,
// it completes o's idempotency key with v's response in the same transaction.
func created[T any](ctx context.Context, s *Service, tx Tx, companyID int64, o Options, v T, err error) (T, error) {
	if err != nil || o.Idempotency == nil {
		return v, err
	}
	return v, s.completeKey(ctx, tx, companyID, o.Idempotency, v)
}
