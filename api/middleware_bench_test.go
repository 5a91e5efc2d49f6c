package api

// The cost of the middleware: go test -run X -bench 'Middleware|Limiter|Metrics' -benchmem ./api/

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/internal/metrics"
)

func benchServer(b *testing.B, cfg Config) *Server {
	b.Helper()
	cfg.Log = slog.New(slog.NewJSONHandler(io.Discard, nil)) // log lines are formatted, then dropped
	return New(clientele.NewService(nil, nil), cfg)
}

// BenchmarkMiddleware compares GET /healthz served by its handler alone with
// the same request through the whole chain: request id, log line, metrics,
// in-flight cap, routing; and a route with a rate limit.
func BenchmarkMiddleware(b *testing.B) {
	s := benchServer(b, Config{MaxInFlight: 256})
	b.Run("handler-only", func(b *testing.B) {
		r := httptest.NewRequest("GET", "/healthz", nil)
		for b.Loop() {
			s.healthz(httptest.NewRecorder(), r)
		}
	})
	b.Run("full-chain", func(b *testing.B) {
		r := httptest.NewRequest("GET", "/healthz", nil)
		for b.Loop() {
			s.ServeHTTP(httptest.NewRecorder(), r)
		}
	})
	b.Run("full-chain-rate-limited-route", func(b *testing.B) {
		r := httptest.NewRequest("GET", "/nope", nil) // unmatched: charged to the address, then 404
		s := benchServer(b, Config{MaxInFlight: 256, RateLimits: RateLimits{Anon: Rate{Limit: 1 << 30, Window: time.Second}}})
		for b.Loop() {
			s.ServeHTTP(httptest.NewRecorder(), r)
		}
	})
	b.Run("full-chain-parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			r := httptest.NewRequest("GET", "/healthz", nil)
			for pb.Next() {
				s.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	})
}

func BenchmarkLimiter(b *testing.B) {
	rate := Rate{Limit: 1 << 30, Window: time.Minute}
	b.Run("one-key", func(b *testing.B) {
		l := newLimiter(time.Now, 0)
		for b.Loop() {
			l.take("t:1", rate)
		}
	})
	b.Run("10k-keys-parallel", func(b *testing.B) {
		l := newLimiter(time.Now, 0)
		keys := make([]string, 10_000)
		for i := range keys {
			keys[i] = fmt.Sprint("a:192.0.2.", i)
		}
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				l.take(keys[i%len(keys)], rate)
				i++
			}
		})
	})
}

func BenchmarkMetrics(b *testing.B) {
	m := newServerMetrics(metrics.NewRegistry(), nil)
	r := httptest.NewRequest("GET", "/api/v1/clients/1", nil)
	r.Pattern = "GET /api/v1/clients/{id}"
	b.Run("observe", func(b *testing.B) {
		for b.Loop() {
			m.observe(r, http.StatusOK, 3*time.Millisecond)
		}
	})
	b.Run("scrape-40-routes", func(b *testing.B) {
		for i := range 40 {
			r := httptest.NewRequest("GET", "/", nil)
			r.Pattern = fmt.Sprint("GET /route/", i)
			m.observe(r, 200, time.Millisecond)
			m.observe(r, 404, time.Millisecond)
		}
		for b.Loop() {
			m.registry.WriteText(io.Discard)
		}
	})
}
