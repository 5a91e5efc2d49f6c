package api

import (
	"fmt"
	"net/http"
	"net/netip"
	"testing"
	"time"
)

func TestLimiterEvictsIdleBuckets(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(func() time.Time { return now }, 100)
	rate := Rate{Limit: 10, Window: 10 * time.Second}
	for i := range 100 {
		if !l.take(fmt.Sprint("k", i), rate).allowed {
			t.Fatal("a fresh key was refused")
		}
	}
	if l.len() != 100 {
		t.Fatalf("%d buckets, want 100", l.len())
	}
	// The table is full of active buckets: a new key is served, not kept.
	if !l.take("new", rate).allowed || l.len() != 100 {
		t.Errorf("full table: len %d", l.len())
	}
	// Once they are idle (full again), the next new key sweeps them away.
	now = now.Add(2 * time.Second)
	if !l.take("newer", rate).allowed {
		t.Fatal("refused")
	}
	if l.len() != 1 {
		t.Errorf("after the sweep %d buckets, want 1", l.len())
	}
}

func TestLimiterBurstThenSteady(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(func() time.Time { return now }, 0)
	rate := Rate{Limit: 600, Window: time.Minute} // one per 100 ms, bursts of 600
	for i := range 600 {
		if d := l.take("k", rate); !d.allowed || d.remaining != 599-i {
			t.Fatalf("request %d: %+v", i, d)
		}
	}
	d := l.take("k", rate)
	if d.allowed || d.retryAfter != 100*time.Millisecond || ceilSeconds(d.retryAfter) != 1 {
		t.Fatalf("601st: %+v", d)
	}
	now = now.Add(100 * time.Millisecond)
	if d := l.take("k", rate); !d.allowed || d.remaining != 0 {
		t.Fatalf("after one interval: %+v", d)
	}
}

func TestClientIP(t *testing.T) {
	trusted, err := ParsePrefixes("10.0.0.0/8, 2001:db8::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ remote, xff, want string }{
		{"192.0.2.1:1234", "", "192.0.2.1"},
		{"192.0.2.1:1234", "203.0.113.9", "192.0.2.1"}, // untrusted peer: header ignored
		{"10.1.2.3:1234", "203.0.113.9", "203.0.113.9"},
		{"10.1.2.3:1234", "203.0.113.9, 10.9.9.9", "203.0.113.9"}, // two trusted hops
		{"10.1.2.3:1234", "6.6.6.6, 203.0.113.9", "203.0.113.9"},  // spoofed left part
		{"10.1.2.3:1234", "garbage, 10.9.9.9", "10.9.9.9"},
		{"10.1.2.3:1234", "", "10.1.2.3"},
		{"[2001:db8::1]:443", "2001:db8:1:2:3::4", "2001:db8:1:2:3::4"},
		{"[::ffff:192.0.2.1]:80", "", "192.0.2.1"},
	} {
		r := &http.Request{RemoteAddr: c.remote, Header: http.Header{}}
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := clientIP(r, trusted); got != netip.MustParseAddr(c.want) {
			t.Errorf("%s + %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
	s := &Server{limits: RateLimits{TrustedProxies: trusted}}
	r := &http.Request{RemoteAddr: "[2001:db8:aa:bb:1::2]:1", Header: http.Header{}}
	if got := s.clientKey(r); got != "2001:db8:aa:bb::/64" {
		t.Errorf("IPv6 key %q, want its /64", got)
	}
	if _, err := ParsePrefixes("10.0.0.0/99"); err == nil {
		t.Error("a bad CIDR was accepted")
	}
}
