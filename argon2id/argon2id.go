// Package argon2id hashes passwords with Argon2id and encodes them in the PHC
// string format ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
package argon2id

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the cost parameters of new hashes.
type Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// Default follows OWASP's minimum for Argon2id: 19 MiB, two passes, one lane.
var Default = Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// Hasher hashes and verifies passwords, at most a fixed number at a time, so
// that a flood of requests cannot allocate unbounded memory.
type Hasher struct {
	params Params
	slots  chan struct{}
}

// New returns a Hasher with params that runs at most concurrent hashes at once.
func New(params Params, concurrent int) *Hasher {
	return &Hasher{params: params, slots: make(chan struct{}, max(1, concurrent))}
}

const saltLen, keyLen = 16, 32

// Hash returns the PHC string of a new salted hash of password. It returns
// ctx's error if ctx ends while waiting for a slot.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, saltLen)
	rand.Read(salt)
	key, err := h.derive(ctx, []byte(password), salt, h.params, keyLen)
	if err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.params.MemoryKiB,
		h.params.Time, h.params.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether password matches encoded, with the parameters stored
// in encoded. It returns an error when encoded is not an argon2id PHC string.
func (h *Hasher) Verify(ctx context.Context, encoded, password string) (bool, error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, err
	}
	got, err := h.derive(ctx, []byte(password), salt, p, uint32(len(key)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

func (h *Hasher) derive(ctx context.Context, password, salt []byte, p Params, n uint32) ([]byte, error) {
	select {
	case h.slots <- struct{}{}:
		defer func() { <-h.slots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return argon2.IDKey(password, salt, p.Time, p.MemoryKiB, p.Threads, n), nil
}

var errFormat = errors.New("argon2id: not an argon2id PHC string")

func decode(s string) (Params, []byte, []byte, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return Params{}, nil, nil, errFormat
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil ||
		p.MemoryKiB == 0 || p.Time == 0 || p.Threads == 0 || p.MemoryKiB > 1<<22 {
		return Params{}, nil, nil, errFormat
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 {
		return Params{}, nil, nil, errFormat
	}
	return p, salt, key, nil
}
