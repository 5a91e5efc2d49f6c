package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strconv"

	"github.com/clientele/clientele"
)

// input is the resource object of a request document, read attribute by
// attribute. Each accessor records problems instead of failing, so that a
// request learns all of them at once; problems returns them together with
// every attribute or relationship no accessor asked for.
type input struct {
	attrs map[string]json.RawMessage
	rels  map[string]json.RawMessage
	seen  map[string]bool
	ps    clientele.Problems
}

// readInput reads a request document whose data is one resource of type typ.
// On create (id == "") the document must not carry an id; on update it may,
// and then it must be id.
func readInput(w http.ResponseWriter, r *http.Request, typ, id string) (*input, error) {
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, malformed("invalid_document", "/", "the body must be a JSON object with a data member")
	}
	for k := range doc {
		if k != "data" && k != "meta" && k != "jsonapi" {
			return nil, malformed("invalid_document", "/"+k, "unknown top-level member %q", k)
		}
	}
	var res map[string]json.RawMessage
	if err := json.Unmarshal(doc["data"], &res); err != nil || res == nil {
		return nil, malformed("invalid_document", "/data", "data must be a resource object")
	}
	for k := range res {
		switch k {
		case "type", "id", "attributes", "relationships", "meta", "lid":
		default:
			return nil, malformed("invalid_document", "/data/"+k, "unknown resource member %q", k)
		}
	}
	var gotType string
	if err := json.Unmarshal(res["type"], &gotType); err != nil || gotType == "" {
		return nil, malformed("invalid_document", "/data/type", "data.type must be %q", typ)
	}
	if gotType != typ {
		return nil, clientele.Errorf(clientele.Conflict, "type_mismatch", "/data/type", "data.type must be %q, not %q", typ, gotType)
	}
	in := &input{seen: map[string]bool{}}
	if raw, ok := res["id"]; ok {
		var gotID string
		switch {
		case id == "":
			in.ps.Add("/data/id", "read_only", "id is set by the server")
		case json.Unmarshal(raw, &gotID) != nil:
			return nil, malformed("invalid_document", "/data/id", "data.id must be a string")
		case gotID != id:
			return nil, clientele.Errorf(clientele.Conflict, "id_mismatch", "/data/id", "data.id %q does not match the URL's id %q", gotID, id)
		}
	}
	for member, dst := range map[string]*map[string]json.RawMessage{"attributes": &in.attrs, "relationships": &in.rels} {
		raw, ok := res[member]
		if !ok || bytes.Equal(raw, []byte("null")) {
			continue
		}
		if err := json.Unmarshal(raw, dst); err != nil || raw[0] != '{' {
			return nil, malformed("invalid_document", "/data/"+member, "data.%s must be an object", member)
		}
	}
	return in, nil
}

// raw returns the raw value of attribute name and marks it as known.
func (in *input) raw(name string) (json.RawMessage, bool) {
	in.seen[name] = true
	v, ok := in.attrs[name]
	return v, ok
}

// attrPointer is the pointer to an attribute, given explicitly so that an
// attribute named like a relationship ("owner") is not taken for one.
func attrPointer(name string) string { return "/data/attributes/" + name }

func isNull(v json.RawMessage) bool { return bytes.Equal(v, []byte("null")) }

// str reads a string attribute: nil when absent, a pointer to "" when null.
func (in *input) str(name string) *string {
	v, ok := in.raw(name)
	if !ok {
		return nil
	}
	s := ""
	if !isNull(v) && json.Unmarshal(v, &s) != nil {
		in.ps.Add(attrPointer(name), "invalid_type", "%s must be a string or null", name)
		return nil
	}
	return &s
}

// requiredStr is str for attributes that cannot be null, such as a password.
func (in *input) requiredStr(name string) *string {
	v, ok := in.raw(name)
	if ok && isNull(v) {
		in.ps.Add(attrPointer(name), "invalid_type", "%s must be a string", name)
		return nil
	}
	return in.str(name)
}

// boolean reads a boolean attribute; null is not a boolean.
func (in *input) boolean(name string) *bool {
	v, ok := in.raw(name)
	if !ok {
		return nil
	}
	var b bool
	if isNull(v) || json.Unmarshal(v, &b) != nil {
		in.ps.Add(attrPointer(name), "invalid_type", "%s must be true or false", name)
		return nil
	}
	return &b
}

// strings reads an array of strings.
func (in *input) strings(name string) *[]string {
	v, ok := in.raw(name)
	if !ok {
		return nil
	}
	var list []string
	if isNull(v) || json.Unmarshal(v, &list) != nil {
		in.ps.Add(attrPointer(name), "invalid_type", "%s must be an array of strings", name)
		return nil
	}
	return &list
}

// object reads an object attribute whose members are strings or null, with
// the allowed member names; ok is false when absent, obj nil when null.
func (in *input) object(name string, members []string) (obj map[string]string, ok bool) {
	v, present := in.raw(name)
	if !present || isNull(v) {
		return nil, present
	}
	var raw map[string]*string
	if err := json.Unmarshal(v, &raw); err != nil || v[0] != '{' {
		in.ps.Add(attrPointer(name), "invalid_type", "%s must be an object or null", name)
		return nil, false
	}
	obj = map[string]string{}
	for k, s := range raw {
		switch {
		case !slices.Contains(members, k):
			in.ps.Add(attrPointer(name+"/"+k), "unknown_attribute", "%s has no member %q", name, k)
		case s != nil:
			obj[k] = *s
		}
	}
	return obj, true
}

// readOnly records a problem for each read-only attribute present.
func (in *input) readOnly(names ...string) {
	for _, name := range names {
		if _, ok := in.raw(name); ok {
			in.ps.Add(attrPointer(name), "read_only", "%s is set by the server", name)
		}
	}
}

// rel reads a to-one relationship to a resource of type typ: nil when absent,
// a pointer to 0 when its data is null.
func (in *input) rel(name, typ string) *int64 {
	in.seen["rel:"+name] = true
	v, ok := in.rels[name]
	if !ok {
		return nil
	}
	var r struct {
		Data *struct {
			Type string `json:"type"`
			ID   string `json:"id"`
		} `json:"data"`
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(v, &members) != nil || members["data"] == nil || json.Unmarshal(v, &r) != nil {
		in.ps.Add(name, "invalid_relationship", "%s must be {\"data\": {\"type\": %q, \"id\": …}} or {\"data\": null}", name, typ)
		return nil
	}
	var id int64
	if r.Data != nil {
		n, err := strconv.ParseInt(r.Data.ID, 10, 64)
		if r.Data.Type != typ || err != nil || n < 1 {
			in.ps.Add(name, "invalid_relationship", "%s must name a %s by its id", name, typ)
			return nil
		}
		id = n
	}
	return &id
}

// readOnlyRels records a problem for each read-only relationship present.
func (in *input) readOnlyRels(names ...string) {
	for _, name := range names {
		in.seen["rel:"+name] = true
		if _, ok := in.rels[name]; ok {
			in.ps.Add(name, "read_only", "%s cannot be written here", name)
		}
	}
}

// problems returns all problems found, unknown attributes and relationships
// included, in a stable order.
func (in *input) problems() clientele.Problems {
	for name := range in.attrs {
		if !in.seen[name] {
			in.ps.Add(attrPointer(name), "unknown_attribute", "%s is not an attribute of this resource", name)
		}
	}
	for name := range in.rels {
		if !in.seen["rel:"+name] {
			in.ps.Add("/data/relationships/"+name, "unknown_relationship", "%s is not a relationship of this resource", name)
		}
	}
	sort.SliceStable(in.ps, func(i, j int) bool { return in.ps[i].Field < in.ps[j].Field })
	return in.ps
}
