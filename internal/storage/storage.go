// Package storage holds what the storage engines share besides the contract
// itself: how domain values become columns, the errors a constraint maps to,
// and the order in which migrations run. Each engine keeps its own SQL.
package storage

import (
	"context"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/clientele/clientele"
)

// Text maps "" to NULL, as the domain's empty strings mean null.
func Text(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Ref maps a zero id to NULL.
func Ref(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// TypesMask turns client types into the stored bit set: 1 customer, 2 supplier, 4 prospect.
func TypesMask(types []string) int16 {
	var m int16
	for _, t := range types {
		for i, name := range clientele.ClientTypes {
			if t == name {
				m |= 1 << i
			}
		}
	}
	return m
}

// TypesOf turns the stored bit set back into client types, in canonical order.
func TypesOf(mask int16) []string {
	out := []string{}
	for i, name := range clientele.ClientTypes {
		if mask&(1<<i) != 0 {
			out = append(out, name)
		}
	}
	return out
}

// Unique names the unique rules of the schema, whatever each engine calls the constraint.
type Unique int

const (
	CompanySlug Unique = iota
	UserEmail
	ClientExternalID
	ContactPortalEmail
)

var conflicts = map[Unique]clientele.Problem{
	CompanySlug:        {Code: "duplicate_slug", Field: "slug", Detail: "a company with this slug exists"},
	UserEmail:          {Code: "duplicate_email", Field: "email", Detail: "a user with this e-mail exists"},
	ClientExternalID:   {Code: "duplicate_external_id", Field: "external_id", Detail: "a client with this external_id exists"},
	ContactPortalEmail: {Code: "duplicate_email", Field: "email", Detail: "another contact with portal access has this e-mail"},
}

// Conflict is the error for a write that broke unique rule u; cause is the driver's error.
func Conflict(u Unique, cause error) error {
	return &clientele.Error{Kind: clientele.Conflict, Err: cause, Problems: []clientele.Problem{conflicts[u]}}
}

// OtherConflict is the error for a unique violation the domain has no name for.
func OtherConflict(cause error) error {
	return &clientele.Error{Kind: clientele.Conflict, Err: cause,
		Problems: []clientele.Problem{{Code: "conflict", Detail: "the change conflicts with stored data"}}}
}

// MissingReference is the error for a foreign key violation: a row named a
// record that does not exist (the Service checks first; this is the last line).
func MissingReference(cause error) error {
	return &clientele.Error{Kind: clientele.Invalid, Err: cause,
		Problems: []clientele.Problem{{Code: "invalid_relationship", Detail: "a related record does not exist"}}}
}

// Migrate calls apply for every migration in files (named NNNN_what.sql, in
// the root of files), in the order of their numbers. apply must skip a
// version that is applied already and must apply one atomically.
func Migrate(ctx context.Context, files fs.FS, apply func(ctx context.Context, version int, body string) error) error {
	names, err := fs.Glob(files, "*.sql")
	if err != nil {
		return err
	}
	for _, name := range names { // fs.Glob sorts, and names start with a zero-padded number
		version, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with its number", name)
		}
		body, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		if err := apply(ctx, version, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}
