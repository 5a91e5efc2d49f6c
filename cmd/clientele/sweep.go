package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/clientele/clientele"
)

// sweepInterval is how often serve deletes expired idempotency keys. A key
// expires clientele.IdempotencyTTL after its claim whether or not it has been
// swept (the claim treats an expired key as free), so the sweep only keeps
// the table small.
const sweepInterval = time.Hour

// sweepLoop deletes expired idempotency keys at once and then every
// interval, until ctx ends.
func sweepLoop(ctx context.Context, svc *clientele.Service, log *slog.Logger, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := svc.SweepIdempotencyKeys(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("sweeping idempotency keys", "err", err)
		case n > 0:
			log.Info("swept expired idempotency keys", "deleted", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
