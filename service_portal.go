package clientele

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The portal: a contact with portal access signs in with the company's slug,
// its e-mail and its password, and then reads itself and its client and
// changes a few of its own attributes. Every way a login can fail (no such
// company, e-mail or contact with access, a wrong password) answers alike and
// costs one password verification, so neither the answer nor its time tells
// which e-mails have access.

func errPortalLogin() error {
	return Errorf(Unauthorized, "invalid_credentials", "",
		"the company, e-mail or password is wrong, or the contact has no portal access")
}

func errPortalSession() error {
	return Errorf(Unauthorized, "invalid_token", "", "the portal session is missing, invalid, expired or ended")
}

// portalKeys are made once per Service and kept: dummy, a password hash of a
// random password with the hasher's parameters, is what a login verifies when
// no contact matches; failures is the installation's key of the digests that
// failed logins are recorded under (see failureKey).
type portalKeys struct {
	mu       sync.Mutex
	dummy    string
	failures []byte
}

func (s *Service) portalKeys(ctx context.Context) (dummy string, failures []byte, err error) {
	k := &s.portal
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.dummy == "" {
		if k.dummy, err = s.hasher.Hash(ctx, rand.Text()); err != nil {
			return "", nil, err
		}
	}
	if k.failures == nil {
		// An installation secret, so that every node (and a copy to
		// PostgreSQL) records an e-mail's failures under the same digest.
		if k.failures, err = s.store.Secret(ctx, "portal-failures"); err != nil {
			return "", nil, err
		}
	}
	return k.dummy, k.failures, nil
}

// PortalLogin signs a contact in to the portal of the company with slug and
// returns the contact and a new session's secret, valid for
// PortalSessionTTL.
//
// Unauthorized (invalid_credentials) when the company, the e-mail or the
// password is wrong or the contact has no portal access, all alike.
// RateLimited (too_many_attempts, with RetryAfter) when the company's
// e-mail already has PortalMaxFailures failures within PortalFailureWindow,
// even if the password is right. Each attempt counts as a failure from before
// its password is verified, so concurrent attempts cannot pass the limit; a
// successful login clears the e-mail's failures.
func (s *Service) PortalLogin(ctx context.Context, slug, email, password string) (PortalSignIn, error) {
	dummy, failures, err := s.portalKeys(ctx)
	if err != nil {
		return PortalSignIn{}, err
	}
	email = strings.TrimSpace(email)
	key := failureKey(failures, email)
	at := s.now()
	var c Contact
	// No stored e-mail is longer than MaxEmail, no password than MaxPassword:
	// such input needs no lookup and leaves no failure record behind.
	if utf8.RuneCountInString(email) <= MaxEmail && utf8.RuneCountInString(password) <= MaxPassword {
		err = s.store.Write(ctx, func(tx Tx) error {
			co, err := tx.CompanyBySlug(ctx, slug)
			if IsNotFound(err) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := portalAttempt(ctx, tx, co.ID, key, at); err != nil {
				return err
			}
			c, err = portalContact(ctx, tx, co.ID, email)
			return err
		})
		if err != nil {
			return PortalSignIn{}, err
		}
	}
	hash := c.PasswordHash
	if hash == "" {
		hash = dummy
	}
	ok, err := s.hasher.Verify(ctx, hash, password)
	if err != nil {
		return PortalSignIn{}, err
	}
	if !ok || c.PasswordHash == "" {
		return PortalSignIn{}, errPortalLogin()
	}
	secret, sessionHash := newSecret(PortalTokenPrefix)
	sess := PortalSession{CompanyID: c.CompanyID, ContactID: c.ID, Hash: sessionHash, CreatedAt: s.now()}
	sess.ExpiresAt = sess.CreatedAt.Add(PortalSessionTTL)
	err = s.store.Write(ctx, func(tx Tx) error {
		// The contact may have lost access, or its password, while the
		// password was being verified.
		cur, err := tx.Contact(ctx, c.CompanyID, c.ID)
		if IsNotFound(err) || (err == nil && (!cur.PortalAccess || cur.PasswordHash != c.PasswordHash)) {
			return errPortalLogin()
		}
		if err != nil {
			return err
		}
		c = cur
		if err := tx.DeletePortalFailures(ctx, c.CompanyID, key, sess.CreatedAt); err != nil {
			return err
		}
		// Expired sessions are refused when presented; the company's logins sweep them.
		if err := tx.DeleteExpiredPortalSessions(ctx, c.CompanyID, sess.CreatedAt); err != nil {
			return err
		}
		return tx.CreatePortalSession(ctx, &sess)
	})
	if err != nil {
		return PortalSignIn{}, err
	}
	return PortalSignIn{Contact: c, Secret: secret, ExpiresAt: sess.ExpiresAt}, nil
}

// failureKey is what the failed logins of email are recorded under: an
// HMAC of its EmailKey under the installation's secret, so that what people
// type into the e-mail field (now and then a password) is not kept, nor can
// it be found again by hashing a dictionary without the secret.
func failureKey(secret []byte, email string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(EmailKey(strings.TrimSpace(email))))
	return hex.EncodeToString(mac.Sum(nil))
}

// portalAttempt counts an attempt to prove the password of the company's
// e-mail (key: failureKey) as a failure, unless the key is locked out: RateLimited then,
// with the time until the oldest failure that keeps it locked leaves the
// window. It also deletes the company's failures that left the window.
func portalAttempt(ctx context.Context, tx Tx, companyID int64, key string, at time.Time) error {
	since := at.Add(-PortalFailureWindow)
	fails, err := tx.PortalFailures(ctx, companyID, key, since)
	if err != nil {
		return err
	}
	if n := len(fails); n >= PortalMaxFailures {
		e := Errorf(RateLimited, "too_many_attempts", "",
			"too many failed attempts for this e-mail; try again after the time in Retry-After")
		e.RetryAfter = fails[n-PortalMaxFailures].Add(PortalFailureWindow).Sub(at)
		return e
	}
	if err := tx.DeletePortalFailures(ctx, companyID, "", since); err != nil {
		return err
	}
	return tx.AddPortalFailure(ctx, companyID, key, at)
}

// portalContact returns the company's contact with portal access and email,
// or the zero Contact when there is none.
func portalContact(ctx context.Context, tx Tx, companyID int64, email string) (Contact, error) {
	access := true
	list, err := tx.Contacts(ctx, companyID, ContactQuery{Emails: []string{email}, PortalAccess: &access, Page: Page{Limit: 1}})
	if err != nil || len(list) == 0 {
		return Contact{}, err
	}
	return list[0], nil
}

// PortalAuthenticate returns the portal session whose secret is secret.
// Unauthorized (invalid_token) when there is none, or it expired or ended.
func (s *Service) PortalAuthenticate(ctx context.Context, secret string) (Portal, error) {
	if !strings.HasPrefix(secret, PortalTokenPrefix) || len(secret) > 200 {
		return Portal{}, errPortalSession()
	}
	hash := sha256.Sum256([]byte(secret))
	sess, err := read(ctx, s, func(tx Tx) (PortalSession, error) { return tx.PortalSessionByHash(ctx, hash[:]) })
	if IsNotFound(err) || (err == nil && (subtle.ConstantTimeCompare(sess.Hash, hash[:]) != 1 || !s.now().Before(sess.ExpiresAt))) {
		return Portal{}, errPortalSession()
	}
	if err != nil {
		return Portal{}, err
	}
	return Portal{CompanyID: sess.CompanyID, ContactID: sess.ContactID, SessionID: sess.ID}, nil
}

// PortalLogout ends the session p. Ending one that already ended is not an error.
func (s *Service) PortalLogout(ctx context.Context, p Portal) error {
	err := s.store.Write(ctx, func(tx Tx) error { return tx.DeletePortalSession(ctx, p.CompanyID, p.SessionID) })
	if IsNotFound(err) {
		return nil
	}
	return err
}

// PortalMe returns the contact signed in. Unauthorized when it is gone (the
// session then ended with it).
func (s *Service) PortalMe(ctx context.Context, p Portal) (Contact, error) {
	return read(ctx, s, func(tx Tx) (Contact, error) { return portalMe(ctx, tx, p) })
}

func portalMe(ctx context.Context, tx Tx, p Portal) (Contact, error) {
	c, err := tx.Contact(ctx, p.CompanyID, p.ContactID)
	if IsNotFound(err) || (err == nil && !c.PortalAccess) {
		return Contact{}, errPortalSession()
	}
	return c, err
}

// PortalClient returns the client of the contact signed in. Unauthorized
// when the contact is gone.
func (s *Service) PortalClient(ctx context.Context, p Portal) (Client, error) {
	return read(ctx, s, func(tx Tx) (Client, error) {
		c, err := portalMe(ctx, tx, p)
		if err != nil {
			return Client{}, err
		}
		return tx.Client(ctx, p.CompanyID, c.ClientID)
	})
}

// UpdatePortalMe changes the phone, mobile, skype, position and password of
// the contact signed in. A new password needs the current one; it ends the
// contact's other sessions, p stays. Invalid (attributes; current_password
// missing or wrong: invalid_current_password); RateLimited when wrong current
// passwords for the contact's e-mail reach the login lockout, which they
// count towards; Unauthorized when the contact is gone.
func (s *Service) UpdatePortalMe(ctx context.Context, p Portal, in PortalContactInput, opts ...Options) (Contact, error) {
	ps := append(Problems(nil), in.Rejected...)
	c, err := s.PortalMe(ctx, p)
	if err == nil { // early, so that a stale request costs no password hashing
		err = optionsOf(opts).check(c.Version())
	}
	if err != nil {
		return c, err
	}
	changing := in.Password != nil
	switch {
	case changing:
		checkPassword(&ps, "password", *in.Password)
		if in.CurrentPassword == nil {
			ps.Add("current_password", "required", "current_password is required to change the password")
		}
	case in.CurrentPassword != nil:
		ps.Add("password", "required", "current_password is only read together with a new password")
	}
	change := ContactInput{Phone: in.Phone, Mobile: in.Mobile, Skype: in.Skype, Position: in.Position}
	c.apply(change)
	c.check(&ps, false)
	if ps != nil {
		return c, ps.Err()
	}
	_, failures, err := s.portalKeys(ctx)
	if err != nil {
		return c, err
	}
	key := failureKey(failures, c.Email)
	var hash string
	if changing {
		if err := s.store.Write(ctx, func(tx Tx) error { return portalAttempt(ctx, tx, p.CompanyID, key, s.now()) }); err != nil {
			return c, err
		}
		if ok, err := s.hasher.Verify(ctx, c.PasswordHash, *in.CurrentPassword); err != nil || !ok {
			return c, firstErr(err, errCurrentPassword())
		}
		if hash, err = s.hasher.Hash(ctx, *in.Password); err != nil {
			return c, err
		}
	}
	return write(ctx, s, func(tx Tx) (Contact, error) {
		cur, err := portalMe(ctx, tx, p)
		if err == nil { // again, decided atomically with the write
			err = optionsOf(opts).check(cur.Version())
		}
		if err != nil {
			return cur, err
		}
		if changing && cur.PasswordHash != c.PasswordHash { // changed while this request verified the old one
			return cur, errCurrentPassword()
		}
		cur.apply(change)
		cur.UpdatedAt = s.next(cur.UpdatedAt)
		if changing {
			cur.PasswordHash = hash
			if err := tx.DeletePortalSessions(ctx, p.CompanyID, p.ContactID, p.SessionID); err != nil {
				return cur, err
			}
			if err := tx.DeletePortalFailures(ctx, p.CompanyID, key, cur.UpdatedAt); err != nil {
				return cur, err
			}
		}
		return cur, tx.UpdateContact(ctx, cur)
	})
}

func errCurrentPassword() error {
	return Errorf(Invalid, "invalid_current_password", "current_password", "current_password is not the contact's password")
}
