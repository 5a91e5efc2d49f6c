package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/clientele/clientele/api"
)

// portalLoginRoute is the route whose rate limit --rate-limit-portal-login sets.
const portalLoginRoute = "POST /api/v1/portal/login"

// httpFlags are serve's flags for the HTTP server: limits, timeouts and shutdown.
type httpFlags struct {
	rate, anon, login, proxies              string
	maxInFlight                             string
	readHeader, read, write, idle, shutdown string
}

func (h *httpFlags) add(fs *flag.FlagSet, getenv func(string) string) {
	str := func(p *string, name, env, def, usage string) {
		fs.StringVar(p, name, envOr(getenv, env, def), usage+" (env "+env+")")
	}
	str(&h.rate, "rate-limit", "CLIENTELE_RATE_LIMIT", "1200/1m", "requests per API token per window, per node; 0: no limit")
	str(&h.anon, "rate-limit-anon", "CLIENTELE_RATE_LIMIT_ANON", "120/1m",
		"requests without a valid token per client address per window, per node; 0: no limit")
	str(&h.login, "rate-limit-portal-login", "CLIENTELE_RATE_LIMIT_PORTAL_LOGIN", "10/1m",
		"portal logins per client address per window, per node; 0: no limit")
	str(&h.proxies, "trusted-proxies", "CLIENTELE_TRUSTED_PROXIES", "",
		"comma-separated CIDRs of proxies whose X-Forwarded-For names the client")
	str(&h.maxInFlight, "max-in-flight", "CLIENTELE_MAX_IN_FLIGHT", "256", "requests served at once; past it 503 (0: no cap)")
	str(&h.readHeader, "read-header-timeout", "CLIENTELE_READ_HEADER_TIMEOUT", "10s", "longest time to read a request's headers")
	str(&h.read, "read-timeout", "CLIENTELE_READ_TIMEOUT", "2m", "longest time to read a whole request, body included")
	str(&h.write, "write-timeout", "CLIENTELE_WRITE_TIMEOUT", "3m",
		"longest time from the end of a request's headers to the end of its response")
	str(&h.idle, "idle-timeout", "CLIENTELE_IDLE_TIMEOUT", "2m", "how long an idle keep-alive connection stays open")
	str(&h.shutdown, "shutdown-timeout", "CLIENTELE_SHUTDOWN_TIMEOUT", "25s",
		"how long SIGTERM waits for in-flight requests before cutting them")
}

// httpConfig is httpFlags parsed.
type httpConfig struct {
	limits                                  api.RateLimits
	maxInFlight                             int
	readHeader, read, write, idle, shutdown time.Duration
}

func (h *httpFlags) config() (httpConfig, error) {
	var c httpConfig
	var err error
	rate := func(name, v string) api.Rate {
		r, e := api.ParseRate(v)
		if e != nil && err == nil {
			err = fmt.Errorf("--%s: %w", name, e)
		}
		return r
	}
	c.limits.Token = rate("rate-limit", h.rate)
	c.limits.Anon = rate("rate-limit-anon", h.anon)
	if login := rate("rate-limit-portal-login", h.login); login.Limit > 0 {
		login.Name = "portal_login"
		c.limits.Routes = map[string]api.Rate{portalLoginRoute: login}
	}
	if err != nil {
		return c, err
	}
	if c.limits.TrustedProxies, err = api.ParsePrefixes(h.proxies); err != nil {
		return c, fmt.Errorf("--trusted-proxies: %w", err)
	}
	if c.maxInFlight, err = strconv.Atoi(h.maxInFlight); err != nil || c.maxInFlight < 0 {
		return c, fmt.Errorf("--max-in-flight must be a whole number, 0 or more")
	}
	for _, d := range []struct {
		name string
		v    string
		p    *time.Duration
	}{{"read-header-timeout", h.readHeader, &c.readHeader}, {"read-timeout", h.read, &c.read},
		{"write-timeout", h.write, &c.write}, {"idle-timeout", h.idle, &c.idle}, {"shutdown-timeout", h.shutdown, &c.shutdown}} {
		if *d.p, err = time.ParseDuration(d.v); err != nil || *d.p <= 0 {
			return c, fmt.Errorf("--%s must be a positive duration such as 30s", d.name)
		}
	}
	return c, nil
}

// server returns the http.Server of handler with the configured timeouts.
func (c httpConfig) server(handler http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: c.readHeader,
		ReadTimeout:       c.read,
		WriteTimeout:      c.write,
		IdleTimeout:       c.idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
