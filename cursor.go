package clientele

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
)

// Position is where a keyset page ends: the sort values of its last record,
// in the order of the sort keys, then that record's id.
type Position struct {
	Values []string `json:"v,omitempty"`
	ID     int64    `json:"i"`
}

// Cursors seals positions into opaque page tokens and opens them again. A
// token is authenticated with HMAC-SHA-256 over the company, the query it
// was made for (its sort, filters and search, as the caller describes them)
// and the position, so a forged or altered token, or one made for another
// company or another query, does not open.
type Cursors struct {
	key []byte
}

// NewCursors returns Cursors that seal with key, which must be secret and
// the same on every node of an installation.
func NewCursors(key []byte) Cursors {
	return Cursors{key: append([]byte(nil), key...)}
}

// IsZero reports whether c has no key: the zero Cursors, which must not seal.
func (c Cursors) IsZero() bool { return len(c.key) == 0 }

// cursorMAC is how many bytes of the HMAC a token carries: 128 bits.
const cursorMAC = 16

// Seal returns the token for p, valid for companyID and query only.
func (c Cursors) Seal(companyID int64, query string, p Position) string {
	payload, err := json.Marshal(p)
	if err != nil {
		panic(err) // strings and an integer always marshal
	}
	return base64.RawURLEncoding.EncodeToString(append(payload, c.mac(companyID, query, payload)...))
}

// Open returns the position a token holds, and false when the token was not
// sealed by these Cursors for companyID and query.
func (c Cursors) Open(companyID int64, query, token string) (Position, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) <= cursorMAC {
		return Position{}, false
	}
	payload, mac := raw[:len(raw)-cursorMAC], raw[len(raw)-cursorMAC:]
	if !hmac.Equal(mac, c.mac(companyID, query, payload)) {
		return Position{}, false
	}
	var p Position
	if err := json.Unmarshal(payload, &p); err != nil || p.ID < 1 {
		return Position{}, false
	}
	return p, true
}

func (c Cursors) mac(companyID int64, query string, payload []byte) []byte {
	h := hmac.New(sha256.New, c.key)
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(companyID))
	h.Write(b[:])
	binary.BigEndian.PutUint64(b[:], uint64(len(query))) // so that query and payload cannot trade bytes
	h.Write(b[:])
	h.Write([]byte(query))
	h.Write(payload)
	return h.Sum(nil)[:cursorMAC]
}
