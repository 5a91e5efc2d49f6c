package api

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/clientele/clientele"
)

// Compound documents (include) and sparse fieldsets (fields[type]).
//
// include is the service's business: it checks the paths and loads the
// related records in the read's transaction (clientele.Include,
// clientele.Related). Here they are rendered into the document's included
// member, each record once and never one of the primary data, and, when a
// client's contacts or locations were loaded, into full linkage of its
// to-many relationships. fields[type] is a rendering concern only: the
// resources of that type keep the named attributes and relationships.

// anyFields, in the allowed parameters of parseQuery, accepts every
// fields[…] parameter; parseDocParams checks them.
const anyFields = "fields[…]"

// docParams are the query parameters that shape a document.
type docParams struct {
	include clientele.Include // nil without an include parameter
	fields  fieldsets         // nil without a fields parameter
}

// plain reports whether the document is rendered as without include and
// fields: then it needs none of compound's work.
func (p docParams) plain() bool { return p.include == nil && p.fields == nil }

// parseDocParams reads include (comma-separated paths, which the service
// checks) and fields[type] (comma-separated names of the type's attributes
// and relationships; empty for none). It reports every bad fields[…] at once.
func parseDocParams(values url.Values) (docParams, error) {
	var p docParams
	if v, ok := values["include"]; ok {
		p.include = strings.Split(v[0], ",")
	}
	var names []string
	for name := range values {
		if strings.HasPrefix(name, "fields[") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var ps clientele.Problems
	for _, name := range names {
		typ := strings.TrimSuffix(strings.TrimPrefix(name, "fields["), "]")
		known, ok := fieldsOf[typ]
		if !ok {
			ps.Add(name, "invalid_fields", "%s: %q is not a type whose fields can be chosen (clients, contacts, locations, users, tokens)", name, typ)
			continue
		}
		want := map[string]bool{}
		if v := values.Get(name); v != "" {
			for _, f := range strings.Split(v, ",") {
				if !known[f] {
					ps.Add(name, "invalid_fields", "%s: %q is not an attribute or relationship of %s", name, f, typ)
				}
				want[f] = true
			}
		}
		if p.fields == nil {
			p.fields = fieldsets{}
		}
		p.fields[typ] = want
	}
	if ps != nil {
		return docParams{}, &clientele.Error{Kind: clientele.Malformed, Problems: ps}
	}
	return p, nil
}

// resourceShapes are the attribute and relationship types each resource type renders.
var resourceShapes = map[string][2]reflect.Type{
	"clients":   {reflect.TypeFor[clientAttributes](), reflect.TypeFor[clientRelationships]()},
	"contacts":  {reflect.TypeFor[contactAttributes](), reflect.TypeFor[clientRelationship]()},
	"locations": {reflect.TypeFor[locationAttributes](), reflect.TypeFor[clientRelationship]()},
	"users":     {reflect.TypeFor[userAttributes](), nil},
	"tokens":    {reflect.TypeFor[tokenAttributes](), reflect.TypeFor[userRelationship]()},
}

// shapeMembers holds the JSON members of each type of resourceShapes;
// fieldsOf holds, by resource type, the names fields[type] may name. Both
// are filled at start-up and read-only after.
var shapeMembers, fieldsOf = func() (map[reflect.Type][]member, map[string]map[string]bool) {
	members, fields := map[reflect.Type][]member{}, map[string]map[string]bool{}
	for typ, shapes := range resourceShapes {
		fields[typ] = map[string]bool{}
		for _, t := range shapes {
			if t == nil {
				continue
			}
			members[t] = jsonMembers(t)
			for _, m := range members[t] {
				fields[typ][m.name] = true
			}
		}
	}
	return members, fields
}()

// member is a JSON member of a struct that renders a JSON object.
type member struct {
	name  string
	index []int
}

// membersOf returns the JSON members of struct type t.
func membersOf(t reflect.Type) []member {
	if ms, ok := shapeMembers[t]; ok {
		return ms
	}
	return jsonMembers(t)
}

// jsonMembers returns the JSON members of struct type t in the order
// encoding/json writes them (an embedded struct's fields in its place).
func jsonMembers(t reflect.Type) []member {
	var ms []member
	for _, f := range reflect.VisibleFields(t) {
		if f.Anonymous || !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		ms = append(ms, member{name, f.Index})
	}
	return ms
}

// fieldsets are the fields[type] of a request: by type, the names to render.
type fieldsets map[string]map[string]bool

// apply keeps, in res, only the attributes and relationships its type's
// fieldset names; a type without a fieldset keeps all of them.
func (fs fieldsets) apply(res *resource) {
	want, ok := fs[res.Type]
	if !ok {
		return
	}
	res.Attributes = sparse(res.Attributes, want)
	res.Relationships = sparse(res.Relationships, want)
}

// sparse returns the members of v (a struct or a pointer to one) that want
// names, as an object in v's member order; nil when there are none.
func sparse(v any, want map[string]bool) any {
	if v == nil {
		return nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	var obj object
	for _, m := range membersOf(rv.Type()) {
		if want[m.name] {
			obj = append(obj, objectMember{m.name, rv.FieldByIndex(m.index).Interface()})
		}
	}
	if obj == nil {
		return nil
	}
	return obj
}

// object is a JSON object whose members keep their order.
type object []objectMember

type objectMember struct {
	name  string
	value any
}

func (o object) MarshalJSON() ([]byte, error) {
	buf := []byte{'{'}
	for i, m := range o {
		if i > 0 {
			buf = append(buf, ',')
		}
		name, _ := json.Marshal(m.name)
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		buf = append(append(append(buf, name...), ':'), v...)
	}
	return append(buf, '}'), nil
}

// compound finishes the resources of one document: full linkage of the
// to-many relationships that were included, sparse fieldsets, and the
// included member.
type compound struct {
	params    docParams
	rel       clientele.Related
	contacts  map[int64][]int64 // by client, when the contacts of clients were included
	locations map[int64][]int64 // by client, when their locations were included
}

func newCompound(p docParams, rel clientele.Related) *compound {
	c := &compound{params: p, rel: rel}
	if rel.ClientContacts {
		c.contacts = map[int64][]int64{}
		for _, con := range rel.Contacts {
			c.contacts[con.ClientID] = append(c.contacts[con.ClientID], con.ID)
		}
	}
	if rel.ClientLocations {
		c.locations = map[int64][]int64{}
		for _, l := range rel.Locations {
			c.locations[l.ClientID] = append(c.locations[l.ClientID], l.ID)
		}
	}
	return c
}

// finish adds linkage to res and applies the fieldsets.
func (c *compound) finish(res *resource) {
	if rels, ok := res.Relationships.(*clientRelationships); ok && (c.contacts != nil || c.locations != nil) {
		id, _ := strconv.ParseInt(res.ID, 10, 64)
		if c.contacts != nil {
			rels.Contacts.Data = linkage("contacts", c.contacts[id])
		}
		if c.locations != nil {
			rels.Locations.Data = linkage("locations", c.locations[id])
		}
	}
	if c.params.fields != nil {
		c.params.fields.apply(res)
	}
}

// linkage returns the identifiers of ids, an empty (not nil) slice for none.
func linkage(typ string, ids []int64) []identifier {
	out := make([]identifier, len(ids))
	for i, id := range ids {
		out[i] = identifier{typ, idString(id)}
	}
	return out
}

// included renders the related records, each once, leaving out those of
// primaryType whose id is in primary (the primary data). It returns nil when
// the request has no include parameter, so that the member is left out.
func (c *compound) included(primaryType string, primary map[int64]bool) []resource {
	if c.params.include == nil {
		return nil
	}
	out := []resource{}
	add := func(typ string, id int64, render func() resource) {
		if typ == primaryType && primary[id] {
			return
		}
		res := render()
		c.finish(&res)
		out = append(out, res)
	}
	for _, v := range c.rel.Clients {
		add("clients", v.ID, func() resource { return renderClient(v) })
	}
	for _, v := range c.rel.Contacts {
		add("contacts", v.ID, func() resource { return renderContact(v) })
	}
	for _, v := range c.rel.Locations {
		add("locations", v.ID, func() resource { return renderLocation(v) })
	}
	for _, v := range c.rel.Users {
		add("users", v.ID, func() resource { return renderUser(v) })
	}
	return out
}
