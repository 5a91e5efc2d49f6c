package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/api"
	"github.com/clientele/clientele/imaging"
	"github.com/clientele/clientele/internal/metrics"
)

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var sf storeFlags
	fs := newFlags("serve", getenv, &sf)
	addr := fs.String("addr", envOr(getenv, "CLIENTELE_ADDR", "127.0.0.1:8080"), "listen address (env CLIENTELE_ADDR)")
	level := fs.String("log-level", envOr(getenv, "CLIENTELE_LOG_LEVEL", "info"), "debug, info, warn or error (env CLIENTELE_LOG_LEVEL)")
	format := fs.String("log-format", envOr(getenv, "CLIENTELE_LOG_FORMAT", "text"), "text or json (env CLIENTELE_LOG_FORMAT)")
	var hf httpFlags
	hf.add(fs, getenv)
	var ff fileFlags
	addFileFlags(fs, getenv, &ff)
	if err := parse(fs, args); err != nil {
		return err
	}
	log, err := newLogger(stderr, *level, *format)
	if err != nil {
		return err
	}
	hc, err := hf.config()
	if err != nil {
		return err
	}
	if err := ff.parse(); err != nil {
		return err
	}
	store, err := sf.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := newService(store)
	fileStore, err := ff.open(ctx, sf.dataDir, getenv)
	if err != nil {
		return err
	}
	svc.UseFiles(fileStore)
	svc.UseLogger(log)
	// Cursors are sealed with a key stored in the database, so that every
	// node and every restart opens the cursors of the others.
	cursorKey, err := store.Secret(ctx, "cursor")
	if err != nil {
		return fmt.Errorf("reading the cursor key: %w", err)
	}

	// Listen before creating the demo company: a start that fails on a taken
	// port must not print (and so lose) the only demo token.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	p, created, err := svc.Bootstrap(ctx)
	if err != nil {
		ln.Close()
		return fmt.Errorf("creating the demo company: %w", err)
	}
	if created {
		fmt.Fprintf(stdout, "Created company %q with admin %s.\nAPI token (shown once, keep it): %s\n",
			p.Company.Slug, p.Admin.Email, p.Secret)
	}

	cfg := api.Config{Log: log, Ready: store.Ping, OperatorToken: getenv("CLIENTELE_OPERATOR_TOKEN"),
		Cursors: clientele.NewCursors(cursorKey), RateLimits: hc.limits, MaxInFlight: hc.maxInFlight,
		Images: imaging.NewProcessor(ff.memoryMiB << 20)}
	if p, ok := store.(interface{ PoolStats() []metrics.Pool }); ok {
		cfg.Pools = p.PoolStats
	}
	srv := hc.server(api.New(svc, cfg), log)
	fmt.Fprintf(stdout, "Listening on http://%s\n", ln.Addr())
	log.Info("listening", "addr", ln.Addr().String())

	sweepCtx, stopSweeps := context.WithCancel(ctx)
	defer stopSweeps()
	startSweeps(sweepCtx, svc, log, ff.sweep, ff.grace)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining in-flight requests", "timeout", hc.shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), hc.shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// The deadline passed: cut the requests still running (their
		// clients get no answer, so nothing unacknowledged is promised)
		// and end as a normal stop, as an orchestrator expects.
		log.Warn("shutdown deadline passed: closing the connections still open", "err", err)
		srv.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json")
}
