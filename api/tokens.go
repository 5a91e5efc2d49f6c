package api

import (
	"net/http"

	"github.com/clientele/clientele"
)

func tokenID(t clientele.Token) int64 { return t.ID }

var tokenList = listKind[clientele.TokenQuery]{name: "tokens"}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	return serveList(s, w, r, a, tokenList, func(p listParams[clientele.TokenQuery]) (clientele.List[clientele.Token], clientele.Related, error) {
		return s.svc.Tokens(r.Context(), a, clientele.TokenQuery{Page: p.page}, p.doc.include)
	}, renderToken, byID(tokenID))
}

// createToken answers with the token and, once only, its secret in meta.secret.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	if err := noQuery(r); err != nil {
		return err
	}
	in, err := readInput(w, r, "tokens", "")
	if err != nil {
		return err
	}
	in.readOnly(append(serverSet, "last_used_at", "secret")...)
	name, userID := in.str("name"), in.rel("user", "users")
	ti := clientele.TokenInput{Rejected: in.problems()}
	if name != nil {
		ti.Name = *name
	}
	if userID != nil {
		ti.UserID = *userID
	}
	answer := func(t clientele.Token, secret string) reply {
		return resourceReply(http.StatusCreated, renderToken(t), t.Version(), map[string]string{"secret": secret})
	}
	t, secret, err := s.svc.CreateToken(r.Context(), a, ti, idempotency(r, func(v any) reply {
		it := v.(clientele.IssuedToken)
		return answer(it.Token, it.Secret)
	}))
	if err != nil {
		return err
	}
	answer(t, secret).write(w)
	return nil
}
