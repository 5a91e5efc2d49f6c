package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/clientele/clientele"
)

// Kinds that only the HTTP transport produces, beside the domain's.
const (
	kindTooLarge         clientele.Kind = "too_large"
	kindUnsupportedMedia clientele.Kind = "unsupported_media_type"
	kindMethodNotAllowed clientele.Kind = "method_not_allowed"
)

// statusOf is the one table from error kinds to HTTP statuses. A kind not in
// it, and any error that is not a *clientele.Error, is a 500.
var statusOf = map[clientele.Kind]int{
	clientele.Malformed:          http.StatusBadRequest,
	clientele.Unauthorized:       http.StatusUnauthorized,
	clientele.Forbidden:          http.StatusForbidden,
	clientele.NotFound:           http.StatusNotFound,
	kindMethodNotAllowed:         http.StatusMethodNotAllowed,
	clientele.Conflict:           http.StatusConflict,
	clientele.PreconditionFailed: http.StatusPreconditionFailed,
	kindTooLarge:                 http.StatusRequestEntityTooLarge,
	kindUnsupportedMedia:         http.StatusUnsupportedMediaType,
	clientele.Invalid:            http.StatusUnprocessableEntity,
	clientele.RateLimited:        http.StatusTooManyRequests,
	kindOverloaded:               http.StatusServiceUnavailable,
}

type errorObject struct {
	Status string       `json:"status"`
	Code   string       `json:"code"`
	Title  string       `json:"title"`
	Detail string       `json:"detail,omitempty"`
	Source *errorSource `json:"source,omitempty"`
}

type errorSource struct {
	Pointer   string `json:"pointer,omitempty"`
	Parameter string `json:"parameter,omitempty"`
}

// relationshipNames are the fields that are relationships, not attributes, in documents.
var relationshipNames = map[string]bool{
	"owner": true, "salesperson": true, "case_manager": true, "main_contact": true,
	"contacts": true, "locations": true, "client": true, "user": true,
}

// pointer returns the JSON pointer of a problem's field in a JSON:API document.
// Fields that start with "/" are pointers already.
func pointer(field string) string {
	switch {
	case field == "":
		return ""
	case strings.HasPrefix(field, "/"):
		return field
	case relationshipNames[field]:
		return "/data/relationships/" + field
	}
	return "/data/attributes/" + strings.ReplaceAll(field, ".", "/")
}

// writeError writes err as a JSON:API error document. The text of internal
// errors is logged with the request id, never sent.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var e *clientele.Error
	status, known := 0, false
	if errors.As(err, &e) {
		status, known = statusOf[e.Kind]
	}
	if !known {
		log.ErrorContext(r.Context(), "internal error", "err", err, "request_id", requestID(r.Context()),
			"method", r.Method, "pattern", r.Pattern)
		status = http.StatusInternalServerError
		e = &clientele.Error{Problems: []clientele.Problem{{Code: "internal", Detail: "an internal error occurred; the request id is in X-Request-Id"}}}
	}
	if status == http.StatusUnauthorized {
		w.Header().Add("WWW-Authenticate", `Bearer realm="clientele"`)
		w.Header().Add("WWW-Authenticate", `Basic realm="clientele"`)
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(ceilSeconds(e.RetryAfter)))
	}
	objects := make([]errorObject, 0, len(e.Problems))
	for _, p := range e.Problems {
		o := errorObject{Status: strconv.Itoa(status), Code: p.Code, Title: http.StatusText(status), Detail: p.Detail}
		switch {
		case e.Kind == clientele.Malformed && p.Field != "" && !strings.HasPrefix(p.Field, "/"):
			o.Source = &errorSource{Parameter: p.Field}
		case p.Field != "":
			o.Source = &errorSource{Pointer: pointer(p.Field)}
		}
		objects = append(objects, o)
	}
	writeJSON(w, status, struct {
		Errors []errorObject `json:"errors"`
	}{objects})
}

// malformed returns a Malformed error about a query parameter or, when param
// starts with "/", a place in the body.
func malformed(code, param, format string, args ...any) error {
	return clientele.Errorf(clientele.Malformed, code, param, format, args...)
}
