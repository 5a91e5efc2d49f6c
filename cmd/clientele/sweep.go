package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/clientele/clientele"
)

// idempotencySweepInterval is how often serve deletes expired idempotency
// keys. A key expires clientele.IdempotencyTTL after its claim whether or not
// it has been swept (the claim treats an expired key as free), so the sweep
// only keeps the table small.
const idempotencySweepInterval = time.Hour

// sweepEvery runs sweep at once and then every interval (never when interval
// is 0) until ctx ends, logging what it deleted as what. Every node may run
// the sweeps of serve: each deletes only what no one needs, so twice is safe.
func sweepEvery(ctx context.Context, log *slog.Logger, interval time.Duration, what string,
	sweep func(context.Context) (int, error)) {
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := sweep(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("sweep failed", "what", what, "err", err)
		case n > 0:
			log.Info("swept", "what", what, "deleted", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// startSweeps starts serve's background sweeps: expired idempotency keys,
// and image files that no record references once older than grace.
func startSweeps(ctx context.Context, svc *clientele.Service, log *slog.Logger, files, grace time.Duration) {
	go sweepEvery(ctx, log, idempotencySweepInterval, "idempotency keys", svc.SweepIdempotencyKeys)
	go sweepEvery(ctx, log, files, "unreferenced image files", func(ctx context.Context) (int, error) {
		return svc.SweepFiles(ctx, grace)
	})
}
