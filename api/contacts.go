package api

import (
	"net/http"

	"github.com/clientele/clientele"
)

func contactInput(in *input) clientele.ContactInput {
	in.readOnly(append(serverSet, "name", "image")...)
	ci := clientele.ContactInput{
		FirstName: in.str("first_name"), LastName: in.str("last_name"), Gender: in.str("gender"),
		Email: in.str("email"), Phone: in.str("phone"), Mobile: in.str("mobile"), Fax: in.str("fax"),
		Skype: in.str("skype"), Position: in.str("position"), Notes: in.str("notes"),
		IsMain: in.boolean("is_main"), PortalAccess: in.boolean("portal_access"),
		Password: in.requiredStr("password"), ClientID: in.rel("client", "clients"),
	}
	ci.Rejected = in.problems()
	return ci
}

func (s *Server) listContacts(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	return s.contactList(w, r, a, 0)
}

// contactList lists contacts, of one client when clientID is not 0.
func (s *Server) contactList(w http.ResponseWriter, r *http.Request, a clientele.Actor, clientID int64) error {
	kind := listKind[clientele.ContactQuery]{name: "contacts", sorts: clientele.ContactSortFields, filters: contactFilters,
		search: func(q *clientele.ContactQuery, s string) { q.Search = s }}
	if clientID != 0 {
		kind.name = "clients/" + idString(clientID) + "/contacts"
	}
	return serveList(s, w, r, a, kind, func(p listParams[clientele.ContactQuery]) (clientele.List[clientele.Contact], clientele.Related, error) {
		q := p.query
		q.ClientID, q.Sort, q.Page = clientID, p.sort, p.page
		return s.svc.Contacts(r.Context(), a, q, p.doc.include)
	}, renderContact, clientele.ContactPosition)
}
