// Package api serves the canonical Clientele API (JSON:API documents under
// /api/v1) over a clientele.Service.
package api

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/imaging"
	"github.com/clientele/clientele/internal/metrics"
)

// Server is the HTTP handler of the canonical API.
type Server struct {
	svc           *clientele.Service
	log           *slog.Logger
	ready         func(context.Context) error
	operatorToken string
	cursors       clientele.Cursors
	mux           *http.ServeMux
	handler       http.Handler
	info          []byte // the body of GET /info
	limits        RateLimits
	limiter       *limiter
	metrics       *serverMetrics
	images        *imaging.Processor
}

// Config is what a Server needs besides the Service.
type Config struct {
	Log *slog.Logger
	// Ready reports whether the server can serve (the database answers); /readyz calls it.
	Ready func(context.Context) error
	// OperatorToken enables the operator API when not empty.
	OperatorToken string
	// Cursors seals and opens the page[after] cursors of lists. Every node of
	// an installation needs the same key (clientele.NewCursors over the
	// store's Secret "cursor"), so that a cursor works on any node and after
	// a restart. When it is the zero value, New makes Cursors with a random
	// key: cursors then work only within this Server's lifetime.
	Cursors clientele.Cursors
	// RateLimits are the quotas per token and per client address; zero
	// Rates mean no limit.
	RateLimits RateLimits
	// MaxInFlight caps the requests served at once (0: no cap).
	MaxInFlight int
	// Pools reports the database connection pools for /metrics (nil: none).
	Pools func() []metrics.Pool
	// Now is the clock of the rate limits (nil: time.Now).
	Now func() time.Time
	// Images processes uploads; nil: a Processor with the smallest budget.
	Images *imaging.Processor
}

// New returns a Server for svc.
func New(svc *clientele.Service, cfg Config) *Server {
	s := &Server{svc: svc, log: cfg.Log, ready: cfg.Ready, operatorToken: cfg.OperatorToken, cursors: cfg.Cursors,
		images: cfg.Images}
	if s.images == nil {
		s.images = imaging.NewProcessor(0)
	}
	if cfg.Cursors.IsZero() { // no key: never seal with an empty one
		key := make([]byte, 32)
		rand.Read(key) // never fails
		s.cursors = clientele.NewCursors(key)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.ready == nil {
		s.ready = func(context.Context) error { return nil }
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	s.limits = cfg.RateLimits
	s.limits.Token.Name, s.limits.Anon.Name = "token", "anon"
	s.limits.Routes = make(map[string]Rate, len(cfg.RateLimits.Routes))
	for pattern, rate := range cfg.RateLimits.Routes {
		if rate.Name == "" {
			rate.Name = "route"
		}
		s.limits.Routes[pattern] = rate
	}
	s.limiter = newLimiter(now, cfg.RateLimits.MaxKeys)
	s.metrics = newServerMetrics(metrics.NewRegistry(), cfg.Pools)
	s.info = infoDocument()
	s.mux = s.routes()
	s.handler = s.logged(s.capped(cfg.MaxInFlight, http.HandlerFunc(s.dispatch)))
	return s
}

// ServeHTTP serves one request: routed, authenticated where the route needs
// it, logged, with any error written as a JSON:API error document.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routes lists every route of the API.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	// Routes wrapped by a charge the rate limit of their token in authed;
	// every other route charges its client's address. a marks its route for
	// the h call it is an argument of (arguments are evaluated first).
	byToken := false
	a := func(fn func(http.ResponseWriter, *http.Request, clientele.Actor) error) handlerFunc {
		byToken = true
		return s.authed(fn)
	}
	h := func(pattern string, fn handlerFunc) {
		if !byToken {
			fn = s.limitByClient(pattern, fn)
		}
		byToken = false
		mux.Handle(pattern, s.adapt(fn))
	}

	h("GET /healthz", s.healthz)
	h("GET /readyz", s.readyz)
	h("GET /metrics", s.serveMetrics)
	h("POST "+Base+"/operator/companies", s.createCompany)

	h("GET "+Base+"/info", a(s.getInfo))
	h("GET "+Base+"/company", a(s.getCompany))
	h("PATCH "+Base+"/company", a(s.updateCompany))

	users := crud[clientele.User, clientele.UserInput]{typ: "users", what: "user", input: userInput,
		render: renderUser, get: s.svc.User, create: s.svc.CreateUser, update: s.svc.UpdateUser, remove: s.svc.DeleteUser}
	h("GET "+Base+"/users", a(s.listUsers))
	h("POST "+Base+"/users", a(s.idempotent(users.post)))
	h("GET "+Base+"/users/{id}", a(users.show))
	h("PATCH "+Base+"/users/{id}", a(users.patch))
	h("DELETE "+Base+"/users/{id}", a(users.delete))

	tokens := crud[clientele.Token, struct{}]{typ: "tokens", what: "token", render: renderToken, get: s.svc.Token,
		remove: s.svc.DeleteToken}
	h("GET "+Base+"/tokens", a(s.listTokens))
	h("POST "+Base+"/tokens", a(s.idempotent(s.createToken)))
	h("GET "+Base+"/tokens/{id}", a(tokens.show))
	h("DELETE "+Base+"/tokens/{id}", a(tokens.delete))

	clients := crud[clientele.Client, clientele.ClientInput]{typ: "clients", what: "client", input: clientInput,
		render: renderClient, get: s.svc.Client, create: s.svc.CreateClient, update: s.svc.UpdateClient,
		remove: s.svc.DeleteClient}
	h("GET "+Base+"/clients", a(s.listClients))
	h("POST "+Base+"/clients", a(s.idempotent(clients.post)))
	h("GET "+Base+"/clients/{id}", a(clients.show))
	h("PATCH "+Base+"/clients/{id}", a(clients.patch))
	h("DELETE "+Base+"/clients/{id}", a(clients.delete))
	h("GET "+Base+"/clients/{id}/contacts", a(s.listClientContacts))
	h("GET "+Base+"/clients/{id}/locations", a(s.listClientLocations))

	locations := crud[clientele.Location, clientele.LocationInput]{typ: "locations", what: "location",
		input: locationInput, render: renderLocation, get: s.svc.Location, create: s.svc.CreateLocation,
		update: s.svc.UpdateLocation, remove: s.svc.DeleteLocation}
	h("GET "+Base+"/locations", a(s.listLocations))
	h("POST "+Base+"/locations", a(s.idempotent(locations.post)))
	h("GET "+Base+"/locations/{id}", a(locations.show))
	h("PATCH "+Base+"/locations/{id}", a(locations.patch))
	h("DELETE "+Base+"/locations/{id}", a(locations.delete))

	contacts := crud[clientele.Contact, clientele.ContactInput]{typ: "contacts", what: "contact",
		input: contactInput, render: renderContact, get: s.svc.Contact, create: s.svc.CreateContact,
		update: s.svc.UpdateContact, remove: s.svc.DeleteContact}
	h("GET "+Base+"/contacts", a(s.listContacts))
	h("POST "+Base+"/contacts", a(s.idempotent(contacts.post)))
	h("GET "+Base+"/contacts/{id}", a(contacts.show))
	h("PATCH "+Base+"/contacts/{id}", a(contacts.patch))
	h("DELETE "+Base+"/contacts/{id}", a(contacts.delete))

	p := func(fn func(http.ResponseWriter, *http.Request, clientele.Portal) error) handlerFunc {
		byToken = true // charged per session in portalAuthed
		return s.portalAuthed(fn)
	}
	h("POST "+Base+"/portal/login", s.portalLogin)
	h("POST "+Base+"/portal/logout", p(s.portalLogout))
	h("GET "+Base+"/portal/me", p(s.portalMe))
	h("PATCH "+Base+"/portal/me", p(s.updatePortalMe))
	h("GET "+Base+"/portal/client", p(s.portalClient))
	h("PUT "+Base+"/clients/{id}/logo", a(putImage(s, "clients", "client", s.svc.Client, s.svc.SetClientLogo, renderClient)))
	h("DELETE "+Base+"/clients/{id}/logo", a(deleteImage("clients", "client", s.svc.DeleteClientLogo)))
	h("PUT "+Base+"/contacts/{id}/image", a(putImage(s, "contacts", "contact", s.svc.Contact, s.svc.SetContactImage, renderContact)))
	h("DELETE "+Base+"/contacts/{id}/image", a(deleteImage("contacts", "contact", s.svc.DeleteContactImage)))
	h("GET /files/{key}/{variant}", s.serveFile)
	return mux
}

// dispatch serves matched routes through the mux and answers unmatched ones
// with a JSON:API error: 405 (with Allow) when the path exists for other
// methods, else 404.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	if err := s.chargeClient(w, r, ""); err != nil { // probing for routes is not free either
		writeError(w, r, s.log, err)
		return
	}
	probe := &headerProbe{header: http.Header{}}
	h.ServeHTTP(probe, r)
	switch probe.status {
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", probe.header.Get("Allow"))
		writeError(w, r, s.log, clientele.Errorf(kindMethodNotAllowed, "method_not_allowed", "", "%s is not allowed here", r.Method))
	case http.StatusMovedPermanently, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		h.ServeHTTP(w, r)
	default:
		writeError(w, r, s.log, clientele.Errorf(clientele.NotFound, "not_found", "", "no such route"))
	}
}

// headerProbe records what the mux's own fallback handler would answer.
type headerProbe struct {
	header http.Header
	status int
}

func (p *headerProbe) Header() http.Header         { return p.header }
func (p *headerProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *headerProbe) WriteHeader(status int)      { p.status = status }

// adapt turns a handlerFunc into an http.Handler that writes its error.
func (s *Server) adapt(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			writeError(w, r, s.log, err)
		}
	})
}

// authed authenticates the request's token (Bearer, or Basic with the token
// as user name) and passes the actor to fn. A valid portal session is
// refused (403): it reaches only the portal's routes.
func (s *Server) authed(fn func(http.ResponseWriter, *http.Request, clientele.Actor) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		secret := credentials(r)
		if strings.HasPrefix(secret, clientele.PortalTokenPrefix) {
			return s.wrongScope(w, r, secret)
		}
		a, err := s.svc.Authenticate(r.Context(), secret)
		if err != nil {
			return s.refused(w, r, err)
		}
		if err := s.chargeToken(w, a.TokenID); err != nil {
			return err
		}
		return fn(w, r, a)
	}
}

// credentials returns the token a request presents, or "".
func credentials(r *http.Request) string {
	h := r.Header.Get("Authorization")
	scheme, rest, _ := strings.Cut(h, " ")
	switch {
	case strings.EqualFold(scheme, "Bearer"):
		return strings.TrimSpace(rest)
	case strings.EqualFold(scheme, "Basic"):
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
		if err != nil {
			return ""
		}
		user, _, _ := strings.Cut(string(raw), ":")
		return user
	}
	return ""
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if err := s.ready(r.Context()); err != nil {
		s.log.WarnContext(r.Context(), "not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// bearerMatches reports in constant time whether the request's Bearer token is want.
func bearerMatches(r *http.Request, want string) bool {
	got := credentials(r)
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
