package api

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clientele/clientele"
)

// Rate is a quota of Limit requests per Window. A zero Limit means no limit.
type Rate struct {
	Name   string // the policy name in the RateLimit headers
	Limit  int
	Window time.Duration // whole seconds (the headers carry seconds)
}

// ParseRate parses "N/WINDOW" (600/1m, 10/30s) or "0" (no limit).
func ParseRate(s string) (Rate, error) {
	if strings.TrimSpace(s) == "0" {
		return Rate{}, nil
	}
	n, w, ok := strings.Cut(s, "/")
	limit, err := strconv.Atoi(n)
	if !ok || err != nil || limit < 0 || limit > 1_000_000 {
		return Rate{}, fmt.Errorf("rate %q: want N/WINDOW such as 600/1m, or 0 for no limit", s)
	}
	window, err := time.ParseDuration(w)
	if err != nil || window < time.Second || window > 24*time.Hour || window%time.Second != 0 {
		return Rate{}, fmt.Errorf("rate %q: the window must be whole seconds from 1s to 24h", s)
	}
	return Rate{Limit: limit, Window: window}, nil
}

// String is the flag form of r.
func (r Rate) String() string {
	if r.Limit == 0 {
		return "0"
	}
	return fmt.Sprintf("%d/%s", r.Limit, r.Window)
}

// RateLimits says how many requests a client may make. Every request is
// charged to exactly one bucket: its API token's when the route
// authenticates one and the token is valid, else its client address's
// (Anon, or Routes[pattern] for routes that need a stricter policy, such as
// a login). Limits are kept in memory per node.
type RateLimits struct {
	Token  Rate
	Anon   Rate
	Routes map[string]Rate // by route pattern ("POST /api/v1/portal/login"); charged per client address
	// TrustedProxies are the addresses whose X-Forwarded-For is believed;
	// empty: the client is the connection's peer.
	TrustedProxies []netip.Prefix
	// MaxKeys bounds the buckets kept (0: 100 000). Idle ones are evicted.
	MaxKeys int
}

// unlimitedRoutes are not charged up front: probes and scrapes come often
// from the infrastructure and must keep working when a client is throttled,
// and one page of a client list shows dozens of images, which browsers and
// CDNs then cache for good (they are immutable); serveFile charges a miss.
var unlimitedRoutes = map[string]bool{"GET /healthz": true, "GET /readyz": true, "GET /metrics": true,
	"GET /files/{key}/{variant}": true}

// limiter is a GCRA (generic cell rate algorithm) over a map from key to the
// theoretical arrival time of the next request: a token bucket that holds one
// time per key instead of a count and a refill time.
type limiter struct {
	now       func() time.Time
	maxKeys   int
	mu        sync.Mutex
	tat       map[string]time.Time
	lastSweep time.Time
}

func newLimiter(now func() time.Time, maxKeys int) *limiter {
	if maxKeys <= 0 {
		maxKeys = 100_000
	}
	return &limiter{now: now, maxKeys: maxKeys, tat: map[string]time.Time{}}
}

// decision is the outcome of one charge.
type decision struct {
	allowed    bool
	remaining  int
	reset      time.Duration // until the quota is whole again (or, refused, until one request is allowed)
	retryAfter time.Duration // refused only
}

// take charges one request to key under rate.
func (l *limiter) take(key string, rate Rate) decision {
	interval := rate.Window / time.Duration(rate.Limit)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	tat, known := l.tat[key]
	if tat.Before(now) {
		tat = now
	}
	next := tat.Add(interval)
	if allowAt := next.Add(-rate.Window); now.Before(allowAt) {
		wait := allowAt.Sub(now)
		return decision{reset: wait, retryAfter: wait}
	}
	if !known && len(l.tat) >= l.maxKeys {
		l.sweep(now)
	}
	// A table full of active buckets lets the new key through unrecorded
	// rather than refuse a client for the traffic of others.
	if known || len(l.tat) < l.maxKeys {
		l.tat[key] = next
	}
	return decision{allowed: true, remaining: int(now.Add(rate.Window).Sub(next) / interval), reset: next.Sub(now)}
}

// sweep drops the buckets that are full again (a time in the past is the
// same as no entry), at most once a second so a full table of active
// buckets does not make every request scan it.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < time.Second {
		return
	}
	l.lastSweep = now
	for k, t := range l.tat {
		if !t.After(now) {
			delete(l.tat, k)
		}
	}
}

// len returns the number of buckets kept.
func (l *limiter) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.tat)
}

// charge charges the request to key under rate, sets the RateLimit headers
// and returns a rate_limited error when the quota is spent.
func (s *Server) charge(w http.ResponseWriter, key string, rate Rate) error {
	if rate.Limit == 0 {
		return nil
	}
	d := s.limiter.take(key, rate)
	h := w.Header()
	h.Set("RateLimit-Policy", fmt.Sprintf("%q;q=%d;w=%d", rate.Name, rate.Limit, int(rate.Window/time.Second)))
	h.Set("RateLimit", fmt.Sprintf("%q;r=%d;t=%d", rate.Name, d.remaining, ceilSeconds(d.reset)))
	if d.allowed {
		return nil
	}
	s.metrics.rateLimited.Inc(rate.Name)
	e := clientele.Errorf(clientele.RateLimited, "rate_limited", "",
		"too many requests: at most %d per %s; retry after the seconds in Retry-After", rate.Limit, rate.Window)
	e.RetryAfter = d.retryAfter
	return e
}

// ceilSeconds rounds d up to whole seconds, so that a client that waits that
// long is served.
func ceilSeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

// chargeToken charges an authenticated request to its token.
func (s *Server) chargeToken(w http.ResponseWriter, tokenID int64) error {
	return s.charge(w, "t:"+strconv.FormatInt(tokenID, 10), s.limits.Token)
}

// chargeSession charges a request of a portal session to the session, under
// the token policy.
func (s *Server) chargeSession(w http.ResponseWriter, sessionID int64) error {
	return s.charge(w, "s:"+strconv.FormatInt(sessionID, 10), s.limits.Token)
}

// refused answers a request whose credentials (or file key) failed with
// err, after charging it to its client address, so that guessing tokens,
// sessions or keys is limited too: past the address's quota the answer is 429.
func (s *Server) refused(w http.ResponseWriter, r *http.Request, err error) error {
	if lerr := s.chargeClient(w, r, ""); lerr != nil {
		return lerr
	}
	return err
}

// chargeClient charges a request that no token authenticates to its client
// address, under the route's own policy when it has one.
func (s *Server) chargeClient(w http.ResponseWriter, r *http.Request, pattern string) error {
	if rate, ok := s.limits.Routes[pattern]; ok {
		return s.charge(w, "r:"+pattern+"|"+s.clientKey(r), rate)
	}
	return s.charge(w, "a:"+s.clientKey(r), s.limits.Anon)
}

// limitByClient charges every request of a route that no token authenticates.
func (s *Server) limitByClient(pattern string, fn handlerFunc) handlerFunc {
	if unlimitedRoutes[pattern] {
		return fn
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.chargeClient(w, r, pattern); err != nil {
			return err
		}
		return fn(w, r)
	}
}

// clientKey is the client's address for rate limiting: IPv6 clients by
// their /64, since one subscriber usually holds a whole /64.
func (s *Server) clientKey(r *http.Request) string {
	ip := clientIP(r, s.limits.TrustedProxies)
	if ip.Is6() && !ip.Is4In6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.Unmap().String()
}

// clientIP is the connection's peer, or, when the peer is a trusted proxy,
// the right-most address of X-Forwarded-For that is not a trusted proxy
// (left of it, any client can write what it likes).
func clientIP(r *http.Request, trusted []netip.Prefix) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	peer = peer.Unmap()
	if !isTrusted(peer, trusted) {
		return peer
	}
	hops := r.Header.Values("X-Forwarded-For")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return client // garbage: stop at the last address we could trust
			}
			client = a.Unmap()
			if !isTrusted(client, trusted) {
				return client
			}
		}
	}
	return client
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParsePrefixes parses a comma-separated list of CIDRs or addresses.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: %w", f, err)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", f, err)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
