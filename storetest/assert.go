package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/clientele/clientele"
)

// checkEqual reports every field in which got differs from want; what names
// the record in the messages.
func checkEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	for _, d := range diff(got, want) {
		t.Errorf("%s: %s", what, d)
	}
}

// diff returns one line for every field in which got differs from want, two
// values of the same type. Times are equal when time.Time.Equal says so and,
// unless zero, got's must be in time.UTC. A nil slice equals an empty one.
func diff(got, want any) []string {
	var out []string
	diffValue(&out, "", reflect.ValueOf(got), reflect.ValueOf(want))
	return out
}

var timeType = reflect.TypeFor[time.Time]()

func diffValue(out *[]string, path string, g, w reflect.Value) {
	add := func(format string, args ...any) {
		line := fmt.Sprintf(format, args...)
		if path != "" {
			line = path + ": " + line
		}
		*out = append(*out, line)
	}
	switch {
	case w.Type() == timeType:
		gt, wt := g.Interface().(time.Time), w.Interface().(time.Time)
		switch {
		case wt.IsZero():
			if !gt.IsZero() {
				add("got %s, want the zero time", gt.Format(time.RFC3339Nano))
			}
		case !gt.Equal(wt):
			add("got %s, want %s", gt.Format(time.RFC3339Nano), wt.Format(time.RFC3339Nano))
		case gt.Location() != time.UTC:
			add("got location %q, want UTC", gt.Location())
		}
	case w.Kind() == reflect.Struct:
		for i := range w.NumField() {
			name := w.Type().Field(i).Name
			if path != "" {
				name = path + "." + name
			}
			diffValue(out, name, g.Field(i), w.Field(i))
		}
	case w.Kind() == reflect.Pointer:
		switch {
		case g.IsNil() && w.IsNil():
		case g.IsNil() || w.IsNil():
			add("got %+v, want %+v", g.Interface(), w.Interface())
		default:
			diffValue(out, path, g.Elem(), w.Elem())
		}
	case w.Kind() == reflect.Slice:
		if g.Len() != w.Len() {
			add("got %#v, want %#v", g.Interface(), w.Interface())
			return
		}
		for i := range w.Len() {
			diffValue(out, fmt.Sprintf("%s[%d]", path, i), g.Index(i), w.Index(i))
		}
	default:
		if !g.Equal(w) {
			add("got %#v, want %#v", g.Interface(), w.Interface())
		}
	}
}

// wantKind reports whether err is an error of kind, and reports it otherwise.
func wantKind(t *testing.T, err error, kind clientele.Kind, what string) bool {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("%s: got nil error, want a %s error", what, kind)
		return false
	case clientele.KindOf(err) != kind:
		t.Errorf("%s: got error %q of kind %s, want kind %s", what, err, clientele.KindOf(err), kind)
		return false
	}
	return true
}

// wantNotFound reports unless err is a NotFound error.
func wantNotFound(t *testing.T, err error, what string) {
	t.Helper()
	wantKind(t, err, clientele.NotFound, what)
}

// wantConflict reports unless err is a Conflict error with a problem of field.
func wantConflict(t *testing.T, err error, field, what string) {
	t.Helper()
	if !wantKind(t, err, clientele.Conflict, what) {
		return
	}
	var e *clientele.Error
	if !errors.As(err, &e) {
		t.Errorf("%s: %q is not a *clientele.Error", what, err)
		return
	}
	var fields []string
	for _, p := range e.Problems {
		fields = append(fields, p.Field)
	}
	if !slices.Contains(fields, field) {
		t.Errorf("%s: conflict names fields %q, want one named %q", what, fields, field)
	}
}

// wantNilOrNotFound reports unless err is nil or a NotFound error: what a
// method that the contract gives no error for may return for a record of
// another company.
func wantNilOrNotFound(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil && !clientele.IsNotFound(err) {
		t.Errorf("%s: got error %q of kind %s, want nil or NotFound", what, err, clientele.KindOf(err))
	}
}

// checkIDs reports unless the records of a list have exactly the ids want, in that order.
func checkIDs[T any](t *testing.T, what string, got []T, id func(T) int64, want ...int64) {
	t.Helper()
	ids := make([]int64, 0, len(got))
	for _, v := range got {
		ids = append(ids, id(v))
	}
	if !slices.Equal(ids, want) {
		t.Errorf("%s: got ids %v, want %v", what, ids, want)
	}
}

// checkIncreasingIDs reports unless ids are positive and strictly increasing.
func checkIncreasingIDs(t *testing.T, what string, ids ...int64) {
	t.Helper()
	for i, id := range ids {
		if id <= 0 {
			t.Errorf("%s: id %d of record %d is not positive", what, id, i)
		}
		if i > 0 && id <= ids[i-1] {
			t.Errorf("%s: ids %v are not increasing", what, ids)
			return
		}
	}
}

func userID(u clientele.User) int64         { return u.ID }
func tokenID(k clientele.Token) int64       { return k.ID }
func clientID(c clientele.Client) int64     { return c.ID }
func locationID(l clientele.Location) int64 { return l.ID }
func contactID(c clientele.Contact) int64   { return c.ID }
