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

func contactID(c clientele.Contact) int64 { return c.ID }

func (s *Server) listContacts(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	return s.contactList(w, r, a, 0)
}

// contactList lists contacts, of one client when clientID is not 0.
func (s *Server) contactList(w http.ResponseWriter, r *http.Request, a clientele.Actor, clientID int64) error {
	return serveList(w, r, func(p listParams) (clientele.List[clientele.Contact], clientele.Related, error) {
		return s.svc.Contacts(r.Context(), a, clientele.ContactQuery{ClientID: clientID, IDs: p.ids, Page: p.page}, p.doc.include)
	}, renderContact, contactID)
}
