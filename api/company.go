package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/clientele/clientele"
)

func (s *Server) getCompany(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	if err := noQuery(r); err != nil {
		return err
	}
	inm, _, err := parseTags(r, "If-None-Match")
	if err != nil {
		return err
	}
	c, err := s.svc.Company(r.Context(), a)
	if err != nil {
		return err
	}
	res := renderCompany(c)
	return writeShown(w, inm, document{Data: res}, etag(res.Type, res.ID, c.Version()))
}

func (s *Server) updateCompany(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	if err := noQuery(r); err != nil {
		return err
	}
	pre, err := precondition(r, "companies", idString(a.CompanyID))
	if err != nil {
		return err
	}
	c, err := s.svc.Company(r.Context(), a)
	if err != nil {
		return err
	}
	in, err := readInput(w, r, "companies", idString(c.ID))
	if err != nil {
		return err
	}
	in.readOnly(append(serverSet, "slug")...)
	ci := clientele.CompanyInput{Name: in.str("name")}
	ci.Rejected = in.problems()
	if c, err = s.svc.UpdateCompany(r.Context(), a, ci, pre); err != nil {
		return err
	}
	return writeTagged(w, http.StatusOK, renderCompany(c), c.Version(), nil)
}

// Provisioned is the plain JSON answer of the operator API and of
// `clientele company create --json`.
type Provisioned struct {
	Company struct {
		ID   string `json:"id"`
		Slug string `json:"slug"`
		Name string `json:"name"`
	} `json:"company"`
	User struct {
		ID    string `json:"id"`
		Email string `json:"email"`
	} `json:"user"`
	Token string `json:"token"`
}

// NewProvisioned renders what creating a company made.
func NewProvisioned(p clientele.Provisioned) Provisioned {
	var out Provisioned
	out.Company.ID, out.Company.Slug, out.Company.Name = idString(p.Company.ID), p.Company.Slug, p.Company.Name
	out.User.ID, out.User.Email = idString(p.Admin.ID), p.Admin.Email
	out.Token = p.Secret
	return out
}

// createCompany is the operator API. Without a configured operator token the
// route does not exist (404), so that it cannot be probed.
func (s *Server) createCompany(w http.ResponseWriter, r *http.Request) error {
	if s.operatorToken == "" {
		return clientele.Errorf(clientele.NotFound, "not_found", "", "no such route")
	}
	if !bearerMatches(r, s.operatorToken) {
		return clientele.Errorf(clientele.Unauthorized, "invalid_token", "", "the operator token is missing or wrong")
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	var req struct {
		Name  string `json:"name"`
		Slug  string `json:"slug"`
		Admin struct {
			Email    string `json:"email"`
			FullName string `json:"full_name"`
		} `json:"admin"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return clientele.Errorf(clientele.Invalid, "invalid_document", "/", "expected {\"name\", \"slug\", \"admin\": {\"email\", \"full_name\"}}: %v", err)
	}
	p, err := s.svc.CreateCompany(r.Context(), clientele.NewCompany{Name: req.Name, Slug: req.Slug,
		AdminEmail: req.Admin.Email, AdminName: req.Admin.FullName})
	if err != nil {
		return operatorPointers(err)
	}
	w.Header().Set("Content-Type", "application/json")
	writeJSON(w, http.StatusCreated, NewProvisioned(p))
	return nil
}

// operatorPointers points the problems of a company creation into the plain
// operator document ("/slug", "/admin/email") instead of a JSON:API one.
func operatorPointers(err error) error {
	e, ok := err.(*clientele.Error)
	if !ok {
		return err
	}
	out := *e
	out.Problems = make([]clientele.Problem, len(e.Problems))
	for i, p := range e.Problems {
		if p.Field == "admin.full_name" || p.Field == "admin.email" || p.Field == "name" || p.Field == "slug" {
			p.Field = "/" + strings.ReplaceAll(p.Field, ".", "/")
		}
		out.Problems[i] = p
	}
	return &out
}
