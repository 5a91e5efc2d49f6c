package api

import (
	"context"
	"net/http"
	"time"

	"github.com/clientele/clientele"
)

// crud serves read, create, update and delete of one resource type: T is the
// domain record, I its input. Each endpoint decodes, calls the service and
// renders in the same way for every type. Every answer of one resource has
// its ETag (etag.go); PATCH and DELETE honour If-Match and POST
// Idempotency-Key (idempotency.go).
type crud[T versioned, I any] struct {
	typ    string         // JSON:API type, e.g. "clients"
	what   string         // singular, for not-found errors
	input  func(*input) I // sets the input's Rejected problems
	render func(T) resource
	get    func(context.Context, clientele.Actor, int64, clientele.Include) (T, clientele.Related, error)
	create func(context.Context, clientele.Actor, I, ...clientele.Options) (T, error)
	update func(context.Context, clientele.Actor, int64, I, ...clientele.Options) (T, error)
	remove func(context.Context, clientele.Actor, int64, ...clientele.Options) error
}

// versioned is a record with a Version, which its ETag is made of.
type versioned interface{ Version() time.Time }

// document is a response with one resource.
type document struct {
	Data     resource   `json:"data"`
	Included []resource `json:"included,omitzero"` // nil without include
	Meta     any        `json:"meta,omitempty"`
}

// decode reads a request document of the crud's type; id is "" on create.
// Problems with single attributes travel in the input to the service, which
// reports them together with its own.
func (c crud[T, I]) decode(w http.ResponseWriter, r *http.Request, id string) (I, error) {
	var zero I
	if err := noQuery(r); err != nil {
		return zero, err
	}
	in, err := readInput(w, r, c.typ, id)
	if err != nil {
		return zero, err
	}
	return c.input(in), nil
}

func (c crud[T, I]) show(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	id, err := pathID(r, c.what)
	if err != nil {
		return err
	}
	values, err := parseQuery(r, "include", anyFields)
	if err != nil {
		return err
	}
	p, err := parseDocParams(values)
	if err != nil {
		return err
	}
	inm, _, err := parseTags(r, "If-None-Match")
	if err != nil {
		return err
	}
	v, rel, err := c.get(r.Context(), a, id, p.include)
	if err != nil {
		return err
	}
	doc := document{Data: c.render(v)}
	if p.plain() {
		return writeShown(w, inm, doc, etag(doc.Data.Type, doc.Data.ID, v.Version()))
	}
	cp := newCompound(p, rel)
	cp.finish(&doc.Data)
	doc.Included = cp.included(doc.Data.Type, map[int64]bool{id: true})
	return writeShown(w, inm, doc, "")
}

func (c crud[T, I]) post(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	in, err := c.decode(w, r, "")
	if err != nil {
		return err
	}
	answer := func(v T) reply { return resourceReply(http.StatusCreated, c.render(v), v.Version(), nil) }
	v, err := c.create(r.Context(), a, in, idempotency(r, func(v any) reply { return answer(v.(T)) }))
	if err != nil {
		return err
	}
	answer(v).write(w)
	return nil
}

func (c crud[T, I]) patch(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	id, err := pathID(r, c.what)
	if err != nil {
		return err
	}
	pre, err := precondition(r, c.typ, idString(id))
	if err != nil {
		return err
	}
	in, err := c.decode(w, r, r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := c.update(r.Context(), a, id, in, pre)
	if err != nil {
		return err
	}
	return writeTagged(w, http.StatusOK, c.render(v), v.Version(), nil)
}

func (c crud[T, I]) delete(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	id, err := pathID(r, c.what)
	if err != nil {
		return err
	}
	if err := noQuery(r); err != nil {
		return err
	}
	pre, err := precondition(r, c.typ, idString(id))
	if err != nil {
		return err
	}
	if err := c.remove(r.Context(), a, id, pre); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
