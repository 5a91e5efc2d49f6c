package api

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/clientele/clientele/internal/metrics"
)

// serverMetrics are the metrics the server keeps. Labels are bounded: route
// patterns (never raw paths), known methods, statuses and fixed results.
type serverMetrics struct {
	registry    *metrics.Registry
	requests    *metrics.Counter   // route, method, status
	duration    *metrics.Histogram // route
	inFlight    atomic.Int64
	rateLimited *metrics.Counter // policy
	overloaded  *metrics.Counter
	// Uploads counts image uploads by result ("ok", "invalid", "too_large", "unsupported").
	Uploads *metrics.Counter
	// PortalLogins counts portal logins by result ("ok", "failed", "rate_limited").
	PortalLogins *metrics.Counter
}

func newServerMetrics(reg *metrics.Registry, pools func() []metrics.Pool) *serverMetrics {
	m := &serverMetrics{registry: reg}
	m.requests = reg.Counter("clientele_http_requests_total", "HTTP requests by route pattern, method and status.",
		"route", "method", "status")
	m.duration = reg.Histogram("clientele_http_request_duration_seconds",
		"Time from the request's arrival to the end of its response, by route pattern.",
		metrics.DefaultDurations, "route")
	reg.Gauge("clientele_http_requests_in_flight", "Requests being served now.", nil,
		func(e metrics.Emit) { e(float64(m.inFlight.Load())) })
	m.rateLimited = reg.Counter("clientele_rate_limited_total", "Requests refused with 429, by policy.", "policy")
	m.overloaded = reg.Counter("clientele_overloaded_total", "Requests refused with 503 past the in-flight cap.")
	m.Uploads = reg.Counter("clientele_uploads_total", "File uploads by result.", "result")
	m.PortalLogins = reg.Counter("clientele_portal_logins_total", "Portal logins by result.", "result")
	if pools != nil {
		reg.RegisterPools(pools)
	}
	reg.RegisterRuntime()
	return m
}

// knownMethods keeps the method label bounded: any other method is "OTHER".
var knownMethods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true,
	"DELETE": true, "OPTIONS": true}

// observe records a finished request.
func (m *serverMetrics) observe(r *http.Request, status int, d time.Duration) {
	route := r.Pattern
	if route == "" {
		route = "unmatched"
	}
	method := r.Method
	if !knownMethods[method] {
		method = "OTHER"
	}
	m.requests.Inc(route, method, strconv.Itoa(status))
	m.duration.ObserveDuration(d, route)
}

// serveMetrics answers GET /metrics in the Prometheus text format. It needs
// no token (§8): bind the server to a private address or hide /metrics
// behind the proxy.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", metrics.ContentType)
	return s.metrics.registry.WriteText(w)
}
