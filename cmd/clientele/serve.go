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
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/api"
)

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var sf storeFlags
	fs := newFlags("serve", getenv, &sf)
	addr := fs.String("addr", envOr(getenv, "CLIENTELE_ADDR", "127.0.0.1:8080"), "listen address (env CLIENTELE_ADDR)")
	level := fs.String("log-level", envOr(getenv, "CLIENTELE_LOG_LEVEL", "info"), "debug, info, warn or error (env CLIENTELE_LOG_LEVEL)")
	format := fs.String("log-format", envOr(getenv, "CLIENTELE_LOG_FORMAT", "text"), "text or json (env CLIENTELE_LOG_FORMAT)")
	drain := fs.Duration("shutdown-timeout", 30*time.Second, "how long SIGTERM waits for in-flight requests")
	if err := parse(fs, args); err != nil {
		return err
	}
	log, err := newLogger(stderr, *level, *format)
	if err != nil {
		return err
	}
	store, err := sf.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := newService(store)
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

	srv := &http.Server{
		Handler: api.New(svc, api.Config{Log: log, Ready: store.Ping,
			OperatorToken: getenv("CLIENTELE_OPERATOR_TOKEN"), Cursors: clientele.NewCursors(cursorKey)}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "Listening on http://%s\n", ln.Addr())
	log.Info("listening", "addr", ln.Addr().String())

	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	go sweepLoop(sweepCtx, svc, log, sweepInterval)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining in-flight requests", "timeout", drain.String())
	sctx, cancel := context.WithTimeout(context.Background(), *drain)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
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
