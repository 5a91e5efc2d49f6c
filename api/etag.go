package api

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/clientele/clientele"
)

// etag returns the strong entity tag of the plain representation (no include,
// no fields) of record typ/id at version: a digest of the three, so that it
// changes with every change of the record (see clientele's Version) and
// never names another record or a compound document.
func etag(typ string, id string, version time.Time) string {
	h := sha256.New()
	var us [8]byte
	binary.BigEndian.PutUint64(us[:], uint64(version.UnixMicro()))
	h.Write([]byte("record\x00" + typ + "\x00" + id + "\x00"))
	h.Write(us[:])
	return quoteTag(h.Sum(nil))
}

// bodyTag returns the strong entity tag of a document that include or fields
// shaped: a digest of its bytes, which hold every resource it renders with
// its updated_at, so that it changes when any of them, or the set of them,
// does.
func bodyTag(body []byte) string {
	h := sha256.New()
	h.Write([]byte("document\x00"))
	h.Write(body)
	return quoteTag(h.Sum(nil))
}

func quoteTag(sum []byte) string { return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"` }

// entityTags is a parsed If-Match or If-None-Match field: "*" or a list of tags.
type entityTags struct {
	any  bool
	tags []string // as sent, W/ prefixes kept
}

// parseTags parses every line of the header field name; present is false
// without one. Anything but "*" or a comma-separated list of entity tags
// (RFC 9110, 8.8.3) is 400 invalid_precondition: a malformed If-Match is
// refused rather than ignored, since ignoring it would make the write
// unconditional.
func parseTags(r *http.Request, name string) (entityTags, bool, error) {
	lines := r.Header.Values(name)
	if len(lines) == 0 {
		return entityTags{}, false, nil
	}
	bad := func() (entityTags, bool, error) {
		return entityTags{}, true, clientele.Errorf(clientele.Malformed, "invalid_precondition", "",
			"%s must be * or a comma-separated list of quoted entity tags", name)
	}
	var out entityTags
	for _, line := range lines {
		for item := range strings.SplitSeq(line, ",") {
			item = strings.Trim(item, " \t")
			switch {
			case item == "":
				continue // RFC 9110 5.6.1: empty list elements are ignored
			case item == "*":
				out.any = true
			case validTag(item):
				out.tags = append(out.tags, item)
			default:
				return bad()
			}
		}
	}
	if !out.any && len(out.tags) == 0 || out.any && len(out.tags) > 0 {
		return bad()
	}
	return out, true, nil
}

// validTag reports whether s is an entity tag: an optional W/ and a quoted
// string of etagc characters.
func validTag(s string) bool {
	s = strings.TrimPrefix(s, "W/")
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; c == '"' || c < 0x21 || c == 0x7f {
			return false
		}
	}
	return true
}

// strongMatch reports whether the If-Match list names tag (strong comparison:
// a weak tag never matches).
func (e entityTags) strongMatch(tag string) bool { return e.any || slices.Contains(e.tags, tag) }

// weakMatch reports whether the If-None-Match list names tag (weak
// comparison: W/"x" matches "x").
func (e entityTags) weakMatch(tag string) bool {
	return e.strongMatch(tag) || slices.Contains(e.tags, "W/"+tag)
}

// precondition turns the request's If-Match into the Service's write options:
// the write goes ahead only when the record's current plain tag is listed
// (any existing record for "*"). typ and id name the record.
func precondition(r *http.Request, typ, id string) (clientele.Options, error) {
	m, ok, err := parseTags(r, "If-Match")
	if err != nil || !ok {
		return clientele.Options{}, err
	}
	return clientele.Options{If: func(v time.Time) bool { return m.strongMatch(etag(typ, id, v)) }}, nil
}

// reply is a complete response: status, the headers that describe it, body.
type reply struct {
	Status      int    `json:"status"`
	Location    string `json:"location,omitempty"`
	ETag        string `json:"etag,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Body        []byte `json:"body,omitempty"`
}

// resourceReply is a document of one resource in its plain representation,
// tagged with etag of version; status 201 also sets Location.
func resourceReply(status int, res resource, version time.Time, meta any) reply {
	body, err := json.Marshal(document{Data: res, Meta: meta})
	if err != nil { // only unsupported types fail here: a bug
		panic(fmt.Sprintf("api: encoding response: %v", err))
	}
	rp := reply{Status: status, ETag: etag(res.Type, res.ID, version), ContentType: MediaType, Body: body}
	if status == http.StatusCreated {
		rp.Location = res.Links.Self
	}
	return rp
}

// write sends the reply.
func (rp reply) write(w http.ResponseWriter) {
	h := w.Header()
	for name, v := range map[string]string{"Location": rp.Location, "ETag": rp.ETag, "Content-Type": rp.ContentType} {
		if v != "" {
			h.Set(name, v)
		}
	}
	w.WriteHeader(rp.Status)
	w.Write(rp.Body)
}

// writeTagged writes one resource in its plain representation with its ETag
// (see resourceReply). Adapters of other single resources (the portal's me)
// use it too.
func writeTagged(w http.ResponseWriter, status int, res resource, version time.Time, meta any) error {
	resourceReply(status, res, version, meta).write(w)
	return nil
}

// writeShown answers a GET of one resource: 304 without a body when
// If-None-Match names its tag (or is "*"), else 200 with the document and
// its ETag. tag is the plain tag, or "" for a document shaped by include or
// fields, whose tag is its body's digest.
// inm is the request's If-None-Match (parseTags), read before the record so
// that a malformed one is 400 even for a missing record.
func writeShown(w http.ResponseWriter, inm entityTags, doc document, tag string) error {
	body, err := json.Marshal(doc)
	if err != nil {
		panic(fmt.Sprintf("api: encoding response: %v", err))
	}
	if tag == "" {
		tag = bodyTag(body)
	}
	if inm.weakMatch(tag) { // the zero entityTags (no If-None-Match) matches nothing
		w.Header().Set("ETag", tag)
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	reply{Status: http.StatusOK, ETag: tag, ContentType: MediaType, Body: body}.write(w)
	return nil
}
