package clientele

import (
	"encoding/base64"
	"slices"
	"testing"
)

func TestCursors(t *testing.T) {
	c := NewCursors([]byte("installation secret"))
	p := Position{Values: []string{"müller gmbh", "2026-11-22T10:00:00.123456Z"}, ID: 42}
	token := c.Seal(7, "sort=name,-created_at", p)

	got, ok := c.Open(7, "sort=name,-created_at", token)
	if !ok || got.ID != 42 || !slices.Equal(got.Values, p.Values) {
		t.Fatalf("Open(Seal(p)) = %+v, %v", got, ok)
	}
	if id := (Position{ID: 9}); !func() bool { q, ok := c.Open(1, "", c.Seal(1, "", id)); return ok && q.ID == 9 }() {
		t.Error("a position without values does not round-trip")
	}

	refused := map[string]func() (Position, bool){
		"another company": func() (Position, bool) { return c.Open(8, "sort=name,-created_at", token) },
		"another query":   func() (Position, bool) { return c.Open(7, "sort=name", token) },
		"another key": func() (Position, bool) {
			return NewCursors([]byte("other secret")).Open(7, "sort=name,-created_at", token)
		},
		"not base64":  func() (Position, bool) { return c.Open(7, "sort=name,-created_at", "%%%") },
		"empty":       func() (Position, bool) { return c.Open(7, "sort=name,-created_at", "") },
		"too short":   func() (Position, bool) { return c.Open(7, "sort=name,-created_at", token[:10]) },
		"mac removed": func() (Position, bool) { return c.Open(7, "sort=name,-created_at", token[:len(token)-22]) },
		"forged": func() (Position, bool) {
			return c.Open(7, "sort=name,-created_at", base64.RawURLEncoding.EncodeToString([]byte(`{"i":1}0123456789abcdef`)))
		},
	}
	raw, _ := base64.RawURLEncoding.DecodeString(token)
	for i := range raw {
		altered := slices.Clone(raw)
		altered[i] ^= 0x01
		tok := base64.RawURLEncoding.EncodeToString(altered)
		if _, ok := c.Open(7, "sort=name,-created_at", tok); ok {
			t.Errorf("a token with byte %d altered opens", i)
		}
	}
	for name, open := range refused {
		if p, ok := open(); ok {
			t.Errorf("%s: opened as %+v", name, p)
		}
	}
}
