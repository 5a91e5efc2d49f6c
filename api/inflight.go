package api

import (
	"net/http"
	"time"

	"github.com/clientele/clientele"
)

const kindOverloaded clientele.Kind = "overloaded"

// capped serves at most max requests at once; past it a request is refused
// at once with 503 and Retry-After: 1 instead of queueing: a queue in the
// process holds sockets and memory while the client cannot see it, and a
// client (or the proxy in front) can retry elsewhere or later. Probes and
// /metrics are never refused, so an overloaded node is seen as one.
func (s *Server) capped(max int, next http.Handler) http.Handler {
	if max <= 0 {
		return next
	}
	slots := make(chan struct{}, max)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz", "/readyz", "/metrics":
			next.ServeHTTP(w, r)
			return
		}
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
			next.ServeHTTP(w, r)
		default:
			_, r.Pattern = s.mux.Handler(r) // for the log line and metrics: the mux never runs
			s.metrics.overloaded.Inc()
			e := clientele.Errorf(kindOverloaded, "overloaded", "",
				"the server is serving as many requests as it may; retry after the seconds in Retry-After")
			e.RetryAfter = time.Second
			writeError(w, r, s.log, e)
		}
	})
}
