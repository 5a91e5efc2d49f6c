package api

import (
	"net/http"

	"github.com/clientele/clientele"
)

func userInput(in *input) clientele.UserInput {
	in.readOnly(serverSet...)
	ui := clientele.UserInput{FullName: in.str("full_name"), Email: in.str("email"), Role: in.str("role")}
	ui.Rejected = in.problems()
	return ui
}

func userID(u clientele.User) int64 { return u.ID }

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	return serveList(w, r, func(p listParams) (clientele.List[clientele.User], clientele.Related, error) {
		if len(p.ids) > 0 {
			return clientele.List[clientele.User]{}, clientele.Related{}, malformed("unknown_filter", "filter[id]", "users cannot be filtered yet")
		}
		return s.svc.Users(r.Context(), a, clientele.UserQuery{Page: p.page}, p.doc.include)
	}, renderUser, userID)
}
