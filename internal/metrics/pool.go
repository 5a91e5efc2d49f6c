package metrics

import "time"

// Pool is a snapshot of one database connection pool. The engines report
// theirs (SQLite: the read and write pools; PostgreSQL: the pgx pool).
type Pool struct {
	Name     string        // "read", "write", "pgx"
	MaxOpen  int           // the most connections the pool opens
	InUse    int           // connections serving a query or transaction
	Idle     int           // open connections waiting for work
	Waits    int64         // times a caller waited for a connection, since start
	WaitTime time.Duration // total time callers waited, since start
}

// RegisterPools registers the pool gauges and counters over stats, which is
// called at every write.
func (r *Registry) RegisterPools(stats func() []Pool) {
	pool := []string{"pool"}
	r.Gauge("clientele_db_pool_max_connections", "The most connections the pool opens.", pool, func(e Emit) {
		for _, p := range stats() {
			e(float64(p.MaxOpen), p.Name)
		}
	})
	r.Gauge("clientele_db_pool_connections", "Open connections by state.", []string{"pool", "state"}, func(e Emit) {
		for _, p := range stats() {
			e(float64(p.InUse), p.Name, "in_use")
			e(float64(p.Idle), p.Name, "idle")
		}
	})
	r.CounterFunc("clientele_db_pool_waits_total", "Times a caller waited for a free connection.", pool, func(e Emit) {
		for _, p := range stats() {
			e(float64(p.Waits), p.Name)
		}
	})
	r.CounterFunc("clientele_db_pool_wait_seconds_total", "Total time callers waited for a free connection.", pool, func(e Emit) {
		for _, p := range stats() {
			e(p.WaitTime.Seconds(), p.Name)
		}
	})
}
