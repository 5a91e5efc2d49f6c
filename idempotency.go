package clientele

import (
	"bytes"
	"context"
	"time"
)

// IdempotencyTTL is how long a company's idempotency key is kept: a retry
// within it gets the first request's response; after it the key is free.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyClaimTTL is how long a claimed key whose request has not
// finished answers idempotency_key_in_flight. A claim older than this belongs
// to a request that died (a crash between the claim and its end): a retry
// takes the key over and does the request. A request that outlives its claim
// cannot complete the key any more and fails (see Idempotent), so that a
// create happens at most once per key even then. It is above serve's default
// 3-minute --write-timeout, so a request still running keeps its claim.
const IdempotencyClaimTTL = 5 * time.Minute

// IdempotencyKey is the stored state of one idempotency key of a company.
type IdempotencyKey struct {
	CompanyID int64
	// Key is a digest of the key the client sent (the adapter's choice), at most 64 bytes.
	Key []byte
	// Fingerprint is a digest of the request made with the key (method, path,
	// caller, body): another request with the same key is refused.
	Fingerprint []byte
	// Response is the adapter's encoding of the answer; nil while the request runs.
	Response []byte
	// ClaimedAt is when the key was (last) claimed; the key expires
	// IdempotencyTTL after it, and a claim without Response is stale after
	// IdempotencyClaimTTL. It also tells a claim from a later one.
	ClaimedAt time.Time
}

// Idempotent carries an idempotency key into a create, so that the created
// record and the key's response are committed in one transaction: a crash
// cannot leave the record without the response that a retry replays.
type Idempotent struct {
	Key       []byte    // as given to ClaimIdempotencyKey
	ClaimedAt time.Time // as ClaimIdempotencyKey returned it
	// Response encodes the answer to the create from the created record (a
	// Client, Location, Contact, User or IssuedToken). It runs inside the
	// create's transaction; an error undoes the create.
	Response func(created any) ([]byte, error)
}

// IssuedToken is a token just made, with its secret: what CreateToken passes
// to an Idempotent's Response.
type IssuedToken struct {
	Token  Token
	Secret string
}

func errKeyInFlight() error {
	return Errorf(Conflict, "idempotency_key_in_flight", "",
		"a request with this Idempotency-Key is still being processed; retry later")
}

// ClaimIdempotencyKey claims key for a request whose digest is fingerprint.
// When the key already has a response, it returns that response (to replay)
// and the zero time; otherwise the caller now holds the key (committed before
// this returns) and gets the claim's time, to pass to the create (Idempotent)
// or to FinishIdempotencyKey or ReleaseIdempotencyKey.
// Invalid (idempotency_key_reused: the key was used for another request);
// Conflict (idempotency_key_in_flight: its first request still runs).
func (s *Service) ClaimIdempotencyKey(ctx context.Context, a Actor, key, fingerprint []byte) ([]byte, time.Time, error) {
	var out struct {
		response []byte
		at       time.Time
	}
	// A retry of a finished request (the common case of a key seen before)
	// is answered from a read, without taking the company's write lock.
	k, err := read(ctx, s, func(tx Tx) (IdempotencyKey, error) { return tx.IdempotencyKey(ctx, a.CompanyID, key) })
	if err == nil && k.Response != nil && bytes.Equal(k.Fingerprint, fingerprint) &&
		s.now().Before(k.ClaimedAt.Add(IdempotencyTTL)) {
		return k.Response, time.Time{}, nil
	}
	err = s.store.Write(ctx, func(tx Tx) error {
		at := s.now()
		k, err := tx.IdempotencyKey(ctx, a.CompanyID, key)
		switch {
		case IsNotFound(err) || (err == nil && !at.Before(k.ClaimedAt.Add(IdempotencyTTL))):
			// free, or expired and not swept yet
		case err != nil:
			return err
		case !bytes.Equal(k.Fingerprint, fingerprint):
			return Errorf(Invalid, "idempotency_key_reused", "",
				"this Idempotency-Key was used for another request (method, path, caller or body)")
		case k.Response != nil:
			out.response = k.Response
			return nil
		case at.Before(k.ClaimedAt.Add(IdempotencyClaimTTL)):
			return errKeyInFlight()
		}
		if !at.After(k.ClaimedAt) { // a new claim must differ from the one it replaces
			at = k.ClaimedAt.Add(time.Microsecond)
		}
		out.at = at
		return tx.PutIdempotencyKey(ctx, IdempotencyKey{CompanyID: a.CompanyID, Key: key,
			Fingerprint: fingerprint, ClaimedAt: at})
	})
	return out.response, out.at, err
}

// FinishIdempotencyKey stores the response of a request that holds key by the
// claim made at claimedAt, for retries to replay. Conflict
// (idempotency_key_in_flight) when the claim was taken over meanwhile.
func (s *Service) FinishIdempotencyKey(ctx context.Context, a Actor, key []byte, claimedAt time.Time, response []byte) error {
	return s.store.Write(ctx, func(tx Tx) error {
		return s.completeKey(ctx, tx, a.CompanyID, &Idempotent{Key: key, ClaimedAt: claimedAt,
			Response: func(any) ([]byte, error) { return response, nil }}, nil)
	})
}

// ReleaseIdempotencyKey frees a key claimed at claimedAt whose request failed
// in a way a retry may do better (an internal error), so that a retry runs at
// once. It does nothing when the key was taken over or completed meanwhile.
func (s *Service) ReleaseIdempotencyKey(ctx context.Context, a Actor, key []byte, claimedAt time.Time) error {
	return s.store.Write(ctx, func(tx Tx) error {
		k, err := tx.IdempotencyKey(ctx, a.CompanyID, key)
		if IsNotFound(err) || (err == nil && (k.Response != nil || !k.ClaimedAt.Equal(claimedAt))) {
			return nil
		}
		if err != nil {
			return err
		}
		return tx.DeleteIdempotencyKey(ctx, a.CompanyID, key)
	})
}

// SweepIdempotencyKeys deletes every company's keys that have expired and
// returns how many.
func (s *Service) SweepIdempotencyKeys(ctx context.Context) (int, error) {
	before := s.now().Add(-IdempotencyTTL)
	var n int
	err := s.store.Write(ctx, func(tx Tx) (err error) {
		n, err = tx.DeleteIdempotencyKeys(ctx, before)
		return err
	})
	return n, err
}

// completeKey stores p's response for created as its key's response, in tx,
// provided the key is still held by p's claim.
func (s *Service) completeKey(ctx context.Context, tx Tx, companyID int64, p *Idempotent, created any) error {
	k, err := tx.IdempotencyKey(ctx, companyID, p.Key)
	if IsNotFound(err) || (err == nil && (k.Response != nil || !k.ClaimedAt.Equal(p.ClaimedAt))) {
		return errKeyInFlight()
	}
	if err != nil {
		return err
	}
	if k.Response, err = p.Response(created); err != nil {
		return err
	}
	return tx.PutIdempotencyKey(ctx, k)
}
