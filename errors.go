package clientele

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind classifies an error by what the caller can do about it. Adapters map
// each kind to their own status (see the canonical API's status table); an
// error that is not an *Error is internal.
type Kind string

const (
	// Invalid: the input breaks a validation rule; Problems names each one.
	Invalid Kind = "invalid"
	// Malformed: the request itself cannot be understood (syntax, parameters).
	Malformed Kind = "malformed"
	// NotFound: the record does not exist or belongs to another company.
	NotFound Kind = "not_found"
	// Conflict: the input collides with stored state (a duplicate, the last admin).
	Conflict Kind = "conflict"
	// Unauthorized: no valid credentials.
	Unauthorized Kind = "unauthorized"
	// Forbidden: valid credentials, but the role does not allow the action.
	Forbidden Kind = "forbidden"
	// Internal: a fault of ours or of the storage; its text is never shown.
	Internal Kind = "internal"
	// RateLimited: too many attempts; Error.RetryAfter says when to try again.
	RateLimited Kind = "rate_limited"
)

// Problem is one reason a request failed. Field is the canonical attribute or
// relationship name ("email", "address.country", "owner") or, for Malformed
// errors, a query parameter; empty when the problem concerns the whole request.
type Problem struct {
	Code   string // stable snake_case machine code, e.g. "invalid_email"
	Field  string
	Detail string
}

// Error is the one error type the domain returns. Every exported method of
// Service and Store documents the kinds it can return.
type Error struct {
	Kind     Kind
	Problems []Problem
	Err      error // the underlying cause, for logs only
	// RetryAfter is, when set, how long until a retry may succeed (RateLimited, and an overloaded server).
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Kind))
	for _, p := range e.Problems {
		b.WriteString(": ")
		if p.Field != "" {
			b.WriteString(p.Field)
			b.WriteString(" ")
		}
		b.WriteString(p.Code)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of kind with a single problem.
func Errorf(kind Kind, code, field, format string, args ...any) *Error {
	return &Error{Kind: kind, Problems: []Problem{{Code: code, Field: field, Detail: fmt.Sprintf(format, args...)}}}
}

// ErrNotFound returns the NotFound error for a record of the named type.
func ErrNotFound(what string) *Error {
	return Errorf(NotFound, "not_found", "", "%s not found", what)
}

// KindOf returns the kind of err: Internal for anything that is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// IsNotFound reports whether err is a NotFound error.
func IsNotFound(err error) bool { return KindOf(err) == NotFound }

// Problems collects validation problems so that a request learns all of them at once.
type Problems []Problem

// Add records a problem with field.
func (ps *Problems) Add(field, code, format string, args ...any) {
	*ps = append(*ps, Problem{Code: code, Field: field, Detail: fmt.Sprintf(format, args...)})
}

// Err returns an Invalid error holding the problems, or nil if there are none.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Problems: ps}
}
