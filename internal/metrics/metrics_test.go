package metrics

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func text(t *testing.T, r *Registry) string {
	t.Helper()
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestExposition(t *testing.T) {
	r := NewRegistry()
	c := r.Counter("req_total", "Requests.\nBy route \\ method.", "route", "method")
	c.Inc("GET /a", "GET")
	c.Add(2, "GET /a", "GET")
	c.Inc(`we"ird\`+"\n", "POST")
	h := r.Histogram("lat_seconds", "Latency.", []float64{0.1, 1}, "route")
	h.Observe(0.1, "x") // on a bound: counted in le=0.1
	h.Observe(0.5, "x")
	h.ObserveDuration(2*time.Second, "x")
	r.Gauge("g", "A gauge.", nil, func(e Emit) { e(1.5) })
	r.CounterFunc("cf_total", "A counter kept elsewhere.", []string{"pool"}, func(e Emit) { e(3, "read"); e(4, "write") })
	want := `# HELP req_total Requests.\nBy route \\ method.
# TYPE req_total counter
req_total{route="GET /a",method="GET"} 3
req_total{route="we\"ird\\\n",method="POST"} 1
# HELP lat_seconds Latency.
# TYPE lat_seconds histogram
lat_seconds_bucket{route="x",le="0.1"} 1
lat_seconds_bucket{route="x",le="1"} 2
lat_seconds_bucket{route="x",le="+Inf"} 3
lat_seconds_sum{route="x"} 2.6
lat_seconds_count{route="x"} 3
# HELP g A gauge.
# TYPE g gauge
g 1.5
# HELP cf_total A counter kept elsewhere.
# TYPE cf_total counter
cf_total{pool="read"} 3
cf_total{pool="write"} 4
`
	if got := text(t, r); got != want {
		t.Errorf("exposition:\n%s\nwant:\n%s", got, want)
	}
	if c.Value("GET /a", "GET") != 3 || c.Value("nope", "GET") != 0 {
		t.Errorf("Value: %d %d", c.Value("GET /a", "GET"), c.Value("nope", "GET"))
	}
}

func TestHistogramWithoutLabels(t *testing.T) {
	r := NewRegistry()
	h := r.Histogram("h", "H.", []float64{1})
	h.Observe(3)
	want := "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 1\nh_sum 3\nh_count 1\n"
	if got := text(t, r); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestWrongLabelCountPanics(t *testing.T) {
	c := NewRegistry().Counter("c", "C.", "a")
	defer func() {
		if recover() == nil {
			t.Error("Inc with two values for one label did not panic")
		}
	}()
	c.Inc("x", "y")
}

func TestConcurrentCounts(t *testing.T) {
	r := NewRegistry()
	c := r.Counter("c", "C.", "k")
	h := r.Histogram("h", "H.", DefaultDurations, "k")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				c.Inc([]string{"a", "b"}[g%2])
				h.Observe(0.003, "a")
				text(t, r)
			}
		}()
	}
	wg.Wait()
	if c.Value("a")+c.Value("b") != 8000 {
		t.Errorf("counted %d, want 8000", c.Value("a")+c.Value("b"))
	}
	if !strings.Contains(text(t, r), `h_count{k="a"} 8000`) {
		t.Errorf("histogram count:\n%s", text(t, r))
	}
}

func TestPoolsAndRuntime(t *testing.T) {
	r := NewRegistry()
	r.RegisterPools(func() []Pool {
		return []Pool{{Name: "write", MaxOpen: 1, InUse: 1, Idle: 0, Waits: 7, WaitTime: 1500 * time.Millisecond}}
	})
	r.RegisterRuntime()
	got := text(t, r)
	for _, want := range []string{
		`clientele_db_pool_max_connections{pool="write"} 1`,
		`clientele_db_pool_connections{pool="write",state="in_use"} 1`,
		`clientele_db_pool_connections{pool="write",state="idle"} 0`,
		`clientele_db_pool_waits_total{pool="write"} 7`,
		`clientele_db_pool_wait_seconds_total{pool="write"} 1.5`,
		"# TYPE go_goroutines gauge\ngo_goroutines ",
		"go_heap_objects_bytes ",
		"go_gc_cycles_total ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}
