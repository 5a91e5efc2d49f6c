package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/clientele/clientele"
)

// The client portal (/api/v1/portal/*): a contact's own view, reached with
// a portal session (clp_…) and never with a staff API token (clt_…), and
// the staff routes never with a portal session.

// portalAuthed authenticates the request's portal session and passes it to
// fn. A valid staff token is refused (403).
func (s *Server) portalAuthed(fn func(http.ResponseWriter, *http.Request, clientele.Portal) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		secret := credentials(r)
		if strings.HasPrefix(secret, clientele.TokenPrefix) {
			return s.wrongScope(w, r, secret)
		}
		p, err := s.svc.PortalAuthenticate(r.Context(), secret)
		if err != nil {
			return s.refused(w, r, err)
		}
		if err := s.chargeSession(w, p.SessionID); err != nil {
			return err
		}
		return fn(w, r, p)
	}
}

// wrongScope answers credentials of the other side: 401 when they are not
// valid either, so that a revoked token is told it is revoked; 403 when they are.
func (s *Server) wrongScope(w http.ResponseWriter, r *http.Request, secret string) error {
	if strings.HasPrefix(secret, clientele.PortalTokenPrefix) {
		p, err := s.svc.PortalAuthenticate(r.Context(), secret)
		if err != nil {
			return s.refused(w, r, err)
		}
		if err := s.chargeSession(w, p.SessionID); err != nil {
			return err
		}
		return clientele.Errorf(clientele.Forbidden, "portal_session_not_allowed", "",
			"a portal session reaches only %s/portal/*", Base)
	}
	a, err := s.svc.Authenticate(r.Context(), secret)
	if err != nil {
		return s.refused(w, r, err)
	}
	if err := s.chargeToken(w, a.TokenID); err != nil {
		return err
	}
	return clientele.Errorf(clientele.Forbidden, "api_token_not_allowed", "",
		"API tokens do not reach the portal; sign in with POST %s/portal/login", Base)
}

// loginMembers are the members of the login body, all required strings.
var loginMembers = []string{"company", "email", "password"}

// portalLogin reads {"company", "email", "password"} and answers the contact
// with the new session's token in meta. The body is never logged.
func (s *Server) portalLogin(w http.ResponseWriter, r *http.Request) error {
	if err := noQuery(r); err != nil {
		return err
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	var raw map[string]json.RawMessage
	if json.Unmarshal(body, &raw) != nil || raw == nil {
		return malformed("invalid_document", "/", `the body must be a JSON object {"company", "email", "password"}`)
	}
	var ps clientele.Problems
	vals := map[string]string{}
	for name, v := range raw {
		var str string
		switch {
		case !slices.Contains(loginMembers, name):
			ps.Add("/"+name, "unknown_attribute", "%s is not a member of a login", name)
		case isNull(v) || json.Unmarshal(v, &str) != nil:
			ps.Add("/"+name, "invalid_type", "%s must be a string", name)
		default:
			vals[name] = str
		}
	}
	for _, name := range loginMembers {
		if _, ok := raw[name]; !ok {
			ps.Add("/"+name, "required", "%s is required", name)
		}
	}
	if ps != nil {
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].Field < ps[j].Field })
		return ps.Err()
	}
	in, err := s.svc.PortalLogin(r.Context(), vals["company"], vals["email"], vals["password"])
	switch {
	case err == nil:
		s.metrics.PortalLogins.Inc("ok")
	case clientele.KindOf(err) == clientele.RateLimited:
		s.metrics.PortalLogins.Inc("rate_limited")
	case clientele.KindOf(err) == clientele.Unauthorized:
		s.metrics.PortalLogins.Inc("failed")
	}
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, document{Data: renderPortalContact(in.Contact),
		Meta: map[string]string{"token": in.Secret, "expires_at": stamp(in.ExpiresAt)}})
	return nil
}

func (s *Server) portalLogout(w http.ResponseWriter, r *http.Request, p clientele.Portal) error {
	if err := noQuery(r); err != nil {
		return err
	}
	if err := s.svc.PortalLogout(r.Context(), p); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) portalMe(w http.ResponseWriter, r *http.Request, p clientele.Portal) error {
	if err := noQuery(r); err != nil {
		return err
	}
	inm, _, err := parseTags(r, "If-None-Match")
	if err != nil {
		return err
	}
	c, err := s.svc.PortalMe(r.Context(), p)
	if err != nil {
		return err
	}
	res := renderPortalContact(c)
	return writeShown(w, inm, document{Data: res}, etag(res.Type, res.ID, c.Version()))
}

// portalWritable are the attributes a contact may change of itself.
var portalWritable = []string{"phone", "mobile", "skype", "position", "password", "current_password"}

// contactAttributeNames are every attribute of a contact, to tell the
// portal's read-only ones from unknown ones.
var contactAttributeNames = []string{"first_name", "last_name", "name", "gender", "email", "phone", "mobile", "fax",
	"skype", "position", "notes", "is_main", "portal_access", "password", "image", "created_at", "updated_at"}

func (s *Server) updatePortalMe(w http.ResponseWriter, r *http.Request, p clientele.Portal) error {
	if err := noQuery(r); err != nil {
		return err
	}
	in, err := readInput(w, r, "contacts", idString(p.ContactID))
	if err != nil {
		return err
	}
	for _, name := range contactAttributeNames {
		if !slices.Contains(portalWritable, name) {
			if _, ok := in.raw(name); ok {
				in.ps.Add(attrPointer(name), "read_only", "%s cannot be changed in the portal", name)
			}
		}
	}
	in.readOnlyRels("client")
	pi := clientele.PortalContactInput{Phone: in.str("phone"), Mobile: in.str("mobile"), Skype: in.str("skype"),
		Position: in.str("position"), Password: in.requiredStr("password"), CurrentPassword: in.requiredStr("current_password")}
	pi.Rejected = in.problems()
	opts, err := precondition(r, "contacts", idString(p.ContactID))
	if err != nil {
		return err
	}
	c, err := s.svc.UpdatePortalMe(r.Context(), p, pi, opts)
	if err != nil {
		return err
	}
	return writeTagged(w, http.StatusOK, renderPortalContact(c), c.Version(), nil)
}

func (s *Server) portalClient(w http.ResponseWriter, r *http.Request, p clientele.Portal) error {
	if err := noQuery(r); err != nil {
		return err
	}
	inm, _, err := parseTags(r, "If-None-Match")
	if err != nil {
		return err
	}
	c, err := s.svc.PortalClient(r.Context(), p)
	if err != nil {
		return err
	}
	res := renderPortalClient(c)
	return writeShown(w, inm, document{Data: res}, etag(res.Type, res.ID, c.Version()))
}

// portalHidden are the attributes the portal never shows: the staff's own
// notes and the client's money matters.
var (
	portalHiddenContact = []string{"notes"}
	portalHiddenClient  = []string{"notes", "default_rate", "default_rate_type", "bank_name", "iban"}
)

// renderPortalContact is a contact as the portal shows it to itself: without
// the staff's notes, its client at the portal's client route.
func renderPortalContact(c clientele.Contact) resource {
	res := renderContact(c)
	res.Attributes = without(res.Attributes, portalHiddenContact)
	res.Links = links{Self: Base + "/portal/me"}
	res.Relationships = &struct {
		Client linkedOne `json:"client"`
	}{linkedOne{Links: links{Related: Base + "/portal/client"}, Data: &identifier{"clients", idString(c.ClientID)}}}
	return res
}

// linkedOne is a to-one relationship with its related link.
type linkedOne struct {
	Links links       `json:"links"`
	Data  *identifier `json:"data"`
}

// renderPortalClient is a client as the portal shows it: without internal
// attributes and without relationships (to users, and to the client's other
// contacts and its locations, which the portal does not serve).
func renderPortalClient(c clientele.Client) resource {
	res := renderClient(c)
	res.Attributes = without(res.Attributes, portalHiddenClient)
	res.Relationships = nil
	res.Links = links{Self: Base + "/portal/client"}
	return res
}

// without returns attrs as a JSON object without the members names.
func without(attrs any, names []string) map[string]json.RawMessage {
	b, err := json.Marshal(attrs)
	var m map[string]json.RawMessage
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil { // attributes are plain structs: a bug
		panic("api: re-encoding attributes: " + err.Error())
	}
	for _, name := range names {
		delete(m, name)
	}
	return m
}
