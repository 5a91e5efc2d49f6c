package api

import (
	"context"
	"net/http"

	"github.com/clientele/clientele"
)

// crud serves read, create, update and delete of one resource type: T is the
// domain record, I its input. Each endpoint decodes, calls the service and
// renders in the same way for every type.
type crud[T, I any] struct {
	typ    string         // JSON:API type, e.g. "clients"
	what   string         // singular, for not-found errors
	input  func(*input) I // sets the input's Rejected problems
	render func(T) resource
	get    func(context.Context, clientele.Actor, int64, clientele.Include) (T, clientele.Related, error)
	create func(context.Context, clientele.Actor, I) (T, error)
	update func(context.Context, clientele.Actor, int64, I) (T, error)
	remove func(context.Context, clientele.Actor, int64) error
}

// document is a response with one resource.
type document struct {
	Data     resource   `json:"data"`
	Included []resource `json:"included,omitzero"` // nil without include
	Meta     any        `json:"meta,omitempty"`
}

// writeResource writes one resource; status 201 also sets Location.
func writeResource(w http.ResponseWriter, status int, res resource, meta any) error {
	if status == http.StatusCreated {
		w.Header().Set("Location", res.Links.Self)
	}
	writeJSON(w, status, document{Data: res, Meta: meta})
	return nil
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
	v, rel, err := c.get(r.Context(), a, id, p.include)
	if err != nil {
		return err
	}
	doc := document{Data: c.render(v)}
	if !p.plain() {
		cp := newCompound(p, rel)
		cp.finish(&doc.Data)
		doc.Included = cp.included(doc.Data.Type, map[int64]bool{id: true})
	}
	writeJSON(w, http.StatusOK, doc)
	return nil
}

func (c crud[T, I]) post(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	in, err := c.decode(w, r, "")
	if err != nil {
		return err
	}
	v, err := c.create(r.Context(), a, in)
	if err != nil {
		return err
	}
	return writeResource(w, http.StatusCreated, c.render(v), nil)
}

func (c crud[T, I]) patch(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	id, err := pathID(r, c.what)
	if err != nil {
		return err
	}
	in, err := c.decode(w, r, r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := c.update(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return writeResource(w, http.StatusOK, c.render(v), nil)
}

func (c crud[T, I]) delete(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	id, err := pathID(r, c.what)
	if err != nil {
		return err
	}
	if err := noQuery(r); err != nil {
		return err
	}
	if err := c.remove(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
