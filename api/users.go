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

// Users and tokens are few: they are paged by id, without filters or number mode.
var userList = listKind[clientele.UserQuery]{name: "users"}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	return serveList(s, w, r, a, userList, func(p listParams[clientele.UserQuery]) (clientele.List[clientele.User], clientele.Related, error) {
		return s.svc.Users(r.Context(), a, clientele.UserQuery{Page: p.page}, p.doc.include)
	}, renderUser, byID(userID))
}
