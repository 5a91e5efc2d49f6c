package api

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/clientele/clientele"
)

// MaxIdempotencyKey is the longest Idempotency-Key, in bytes.
const MaxIdempotencyKey = 255

// idemCall is a POST that holds its idempotency key.
type idemCall struct {
	key       string // as sent
	digest    []byte // what the store knows the key by
	claimedAt time.Time
	companyID int64
	stored    bool // the create stored its response in its own transaction
}

type idemKey struct{}

// idempotent makes a POST handler honour Idempotency-Key (see
// docs/decisions.md): without the header it runs next as is. With it, it
// claims the key for the company (committed before next runs), replays the
// stored response of a finished request with Idempotent-Replayed: true, and
// otherwise runs next and stores its response: a create stores it in its own
// transaction (idempotency, below); any other answer below 500 (an error
// included, 429 excepted) is stored after it; a 5xx, a 429 or a panic
// releases the key so that a retry runs again.
func (s *Server) idempotent(next func(http.ResponseWriter, *http.Request, clientele.Actor) error) func(http.ResponseWriter, *http.Request, clientele.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
		lines := r.Header.Values("Idempotency-Key")
		if len(lines) == 0 {
			return next(w, r, a)
		}
		if len(lines) > 1 || lines[0] == "" || len(lines[0]) > MaxIdempotencyKey {
			return clientele.Errorf(clientele.Malformed, "invalid_idempotency_key", "",
				"Idempotency-Key must be given once, with 1 to %d characters", MaxIdempotencyKey)
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
		if err != nil {
			return malformed("unreadable_body", "/", "the request body could not be read")
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		call := &idemCall{key: lines[0], digest: keyDigest(lines[0]), companyID: a.CompanyID}
		stored, at, err := s.svc.ClaimIdempotencyKey(r.Context(), a, call.digest, fingerprint(r, a, body))
		if err != nil {
			return err
		}
		if stored != nil {
			rp, err := call.open(stored)
			if err != nil {
				return err
			}
			w.Header().Set("Idempotent-Replayed", "true")
			rp.write(w)
			return nil
		}
		call.claimedAt = at
		return s.runClaimed(w, r.WithContext(context.WithValue(r.Context(), idemKey{}, call)), a, call, next)
	}
}

// runClaimed runs next for a request that holds call's key and then stores
// or releases the key.
func (s *Server) runClaimed(w http.ResponseWriter, r *http.Request, a clientele.Actor, call *idemCall,
	next func(http.ResponseWriter, *http.Request, clientele.Actor) error) error {
	ctx := context.WithoutCancel(r.Context()) // settle the key even when the client has gone
	rec := &recorder{statusRecorder: statusRecorder{ResponseWriter: w}}
	settled := false
	defer func() {
		if !settled { // next panicked: free the key for a retry
			s.settle(ctx, a, call, nil)
		}
	}()
	if err := next(rec, r, a); err != nil {
		writeError(rec, r, s.log, err)
	}
	settled = true
	if call.stored && rec.status < 300 {
		return nil
	}
	if rec.status >= 500 || rec.status == http.StatusTooManyRequests {
		s.settle(ctx, a, call, nil)
		return nil
	}
	h := rec.Header()
	s.settle(ctx, a, call, &reply{Status: rec.status, Location: h.Get("Location"), ETag: h.Get("ETag"),
		ContentType: h.Get("Content-Type"), Body: rec.body.Bytes()})
	return nil
}

// settle stores rp as the response of call's key, or releases the key when
// rp is nil. The answer has been written already: a failure is only logged.
func (s *Server) settle(ctx context.Context, a clientele.Actor, call *idemCall, rp *reply) {
	var err error
	if rp == nil {
		err = s.svc.ReleaseIdempotencyKey(ctx, a, call.digest, call.claimedAt)
	} else {
		var sealed []byte
		if sealed, err = call.seal(*rp); err == nil {
			err = s.svc.FinishIdempotencyKey(ctx, a, call.digest, call.claimedAt, sealed)
		}
	}
	if err != nil {
		s.log.WarnContext(ctx, "idempotency key not settled", "err", err, "request_id", requestID(ctx))
	}
}

// idempotency returns the write options that make a create store its
// response, answer(created record), as the key's response in the create's own
// transaction; none when the request holds no key.
func idempotency(r *http.Request, answer func(created any) reply) clientele.Options {
	call, _ := r.Context().Value(idemKey{}).(*idemCall)
	if call == nil {
		return clientele.Options{}
	}
	return clientele.Options{Idempotency: &clientele.Idempotent{Key: call.digest, ClaimedAt: call.claimedAt,
		Response: func(v any) ([]byte, error) {
			sealed, err := call.seal(answer(v))
			call.stored = err == nil
			return sealed, err
		}}}
}

// keyDigest is what the store knows a key by: its SHA-256, so that the
// database never holds the key, which also opens the stored response.
func keyDigest(key string) []byte {
	sum := sha256.Sum256([]byte("clientele idempotency key\x00" + key))
	return sum[:]
}

// fingerprint is the digest of what makes a request the same request:
// method, path and query, the calling user, and the body. Headers such as
// Content-Type are not part of it.
func fingerprint(r *http.Request, a clientele.Actor, body []byte) []byte {
	h := sha256.New()
	h.Write([]byte(r.Method + "\x00" + r.URL.RequestURI() + "\x00" + strconv.FormatInt(a.UserID, 10) + "\x00"))
	h.Write(body)
	return h.Sum(nil)
}

// aead is AES-256-GCM under a key made from the company and the
// idempotency key as sent. The stored responses (a new token's secret among
// them) are sealed with it, so that reading them takes the key that only the
// client knows; the database holds only its digest.
func (c *idemCall) aead() cipher.AEAD {
	var id [8]byte
	binary.BigEndian.PutUint64(id[:], uint64(c.companyID))
	key := sha256.Sum256(append(append([]byte("clientele idempotency response\x00"), id[:]...), c.key...))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		panic(err) // a 32-byte key never fails
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return g
}

// seal encodes and encrypts a reply for the store.
func (c *idemCall) seal(rp reply) ([]byte, error) {
	plain, err := json.Marshal(rp)
	if err != nil {
		return nil, err
	}
	g := c.aead()
	nonce := make([]byte, g.NonceSize())
	rand.Read(nonce)
	return g.Seal(nonce, nonce, plain, c.digest), nil
}

// open decrypts and decodes a stored reply.
func (c *idemCall) open(sealed []byte) (reply, error) {
	g := c.aead()
	var rp reply
	if len(sealed) < g.NonceSize() {
		return rp, errors.New("idempotency: stored response too short")
	}
	plain, err := g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], c.digest)
	if err == nil {
		err = json.Unmarshal(plain, &rp)
	}
	return rp, err
}

// recorder passes a response through and keeps its status and body.
type recorder struct {
	statusRecorder
	body bytes.Buffer
}

func (rc *recorder) Write(b []byte) (int, error) {
	rc.body.Write(b)
	return rc.statusRecorder.Write(b)
}
