package clientele

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// FuzzCursors holds Cursors to their promise for any input: Open never
// panics; a token nobody sealed never opens; a sealed position opens to
// itself for its company and query only; and flipping any one bit of a
// sealed token makes it not open.
func FuzzCursors(f *testing.F) {
	c := NewCursors([]byte("fuzzing installation secret"))
	f.Add(int64(7), "clients?sort=name", "müller gmbh\x002026-11-22T10:00:00.123456Z", int64(42), "", uint16(0))
	f.Add(int64(1), "", "", int64(1), "eyJpIjoxfQ", uint16(3))
	f.Add(int64(-1), "contacts?filter%5Bemail%5D=a%40b", "\xff\xfe", int64(1<<62), "not a token!", uint16(999))
	f.Add(int64(0), "users", "a\x00\x00b", int64(0), c.Seal(0, "users", Position{ID: 5}), uint16(65535))
	f.Fuzz(func(t *testing.T, company int64, query, values string, id int64, token string, flip uint16) {
		// Any token: no panic; one that opens must be the seal of what it
		// opened to (never met by chance: that would be a forged MAC).
		if p, ok := c.Open(company, query, token); ok {
			raw, _ := base64.RawURLEncoding.DecodeString(token)
			sealed, _ := base64.RawURLEncoding.DecodeString(c.Seal(company, query, p))
			if !bytes.Equal(raw, sealed) {
				t.Fatalf("token %q opened to %+v but is not its seal", token, p)
			}
		}
		if id < 1 {
			return // Open refuses such positions; nothing seals them
		}
		p := Position{ID: id}
		if values != "" {
			p.Values = strings.Split(values, "\x00")
		}
		// What JSON keeps of the values (invalid UTF-8 becomes U+FFFD).
		var want Position
		b, _ := json.Marshal(p)
		json.Unmarshal(b, &want)

		sealed := c.Seal(company, query, p)
		got, ok := c.Open(company, query, sealed)
		if !ok || got.ID != want.ID || !slices.Equal(got.Values, want.Values) {
			t.Fatalf("Open(Seal(%+v)) = %+v, %v", p, got, ok)
		}
		if _, ok := c.Open(company+1, query, sealed); ok {
			t.Fatal("a cursor opened for another company")
		}
		if _, ok := c.Open(company, query+"&", sealed); ok {
			t.Fatal("a cursor opened for another query")
		}
		if _, ok := NewCursors([]byte("another installation")).Open(company, query, sealed); ok {
			t.Fatal("a cursor opened with another key")
		}
		raw, _ := base64.RawURLEncoding.DecodeString(sealed)
		bit := int(flip) % (len(raw) * 8)
		raw[bit/8] ^= 1 << (bit % 8)
		if q, ok := c.Open(company, query, base64.RawURLEncoding.EncodeToString(raw)); ok {
			t.Fatalf("a token with bit %d flipped opened to %+v", bit, q)
		}
	})
}
