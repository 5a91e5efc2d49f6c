package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// handlerFunc is an HTTP handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// MediaType is the JSON:API media type of every response document.
const MediaType = "application/vnd.api+json"

// writeJSON writes v as the response body with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil { // only unsupported types fail here: a bug
		panic(fmt.Sprintf("api: encoding response: %v", err))
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", MediaType)
	}
	w.WriteHeader(status)
	w.Write(body)
}

type ctxKey int

const (
	requestIDKey ctxKey = iota
	actorKey
)

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// statusRecorder remembers the status and body size a handler wrote, for
// the request log and metrics.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(status int) {
	if s.status == 0 {
		s.status = status
	}
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (deadlines, flush).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// validRequestID accepts a caller's X-Request-Id of up to 64 letters,
// digits and "-_.:" (UUIDs, hex and most tracing ids), which are safe to
// echo and to log anywhere.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.:", c) >= 0) {
			return false
		}
	}
	return true
}

// logged gives every request an id, logs one line for it (never its headers
// or body, which may hold secrets), counts it in the metrics, and turns a
// panic into a 500.
func (s *Server) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			var b [12]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey, id))
		rec := &statusRecorder{ResponseWriter: w}
		s.metrics.inFlight.Add(1)
		defer s.metrics.inFlight.Add(-1)
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(r.Context(), "panic", "panic", fmt.Sprint(p), "request_id", id)
				if rec.status == 0 {
					writeError(rec, r, s.log, fmt.Errorf("panic: %v", p))
				}
			}
			if rec.status == 0 { // nothing written: net/http answers 200 with no body
				rec.status = http.StatusOK
			}
			d := time.Since(start)
			s.metrics.observe(r, rec.status, d)
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method), slog.String("pattern", r.Pattern),
				slog.Int("status", rec.status), slog.Duration("duration", d),
				slog.Int64("bytes", rec.bytes), slog.String("request_id", id))
		}()
		next.ServeHTTP(rec, r)
	})
}
