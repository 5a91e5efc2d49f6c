// Package metrics is a small registry of counters, gauges and histograms
// written in the Prometheus text exposition format (version 0.0.4).
//
// It is hand-written instead of prometheus/client_golang on purpose: the
// server needs a handful of counters and one histogram, and the client
// library would add a dozen transitive modules (protobuf among them) for
// that. The format is plain text and is pinned by tests.
package metrics

import (
	"bufio"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ContentType is the media type of WriteText's output.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// Registry holds metric families in the order they were registered.
type Registry struct {
	mu       sync.Mutex
	families []family
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry { return &Registry{} }

type family interface {
	write(w *bufio.Writer)
}

func (r *Registry) add(f family) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.families = append(r.families, f)
}

// WriteText writes every family in the text exposition format.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	families := slices.Clone(r.families)
	r.mu.Unlock()
	bw := bufio.NewWriter(w)
	for _, f := range families {
		f.write(bw)
	}
	return bw.Flush()
}

// desc is the name, help and label names of a family.
type desc struct {
	name, help string
	labels     []string
}

func (d desc) header(w *bufio.Writer, typ string) {
	w.WriteString("# HELP " + d.name + " " + escapeHelp(d.help) + "\n")
	w.WriteString("# TYPE " + d.name + " " + typ + "\n")
}

// sample writes one line: name{labels} value.
func (d desc) sample(w *bufio.Writer, suffix string, values []string, extraName, extraValue string, v float64) {
	w.WriteString(d.name + suffix)
	if len(values) > 0 || extraName != "" {
		w.WriteByte('{')
		for i, l := range d.labels {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(l + `="` + escapeLabel(values[i]) + `"`)
		}
		if extraName != "" {
			if len(values) > 0 {
				w.WriteByte(',')
			}
			w.WriteString(extraName + `="` + extraValue + `"`)
		}
		w.WriteByte('}')
	}
	w.WriteString(" " + formatFloat(v) + "\n")
}

func (d desc) check(values []string) {
	if len(values) != len(d.labels) {
		panic("metrics: " + d.name + " takes " + strconv.Itoa(len(d.labels)) + " label values, got " + strconv.Itoa(len(values)))
	}
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
var helpEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`)

func escapeLabel(s string) string { return labelEscaper.Replace(s) }
func escapeHelp(s string) string  { return helpEscaper.Replace(s) }

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// seriesKey joins label values; \xff cannot occur in UTF-8 text.
func seriesKey(values []string) string { return strings.Join(values, "\xff") }

// series is a map from label values to one series, created on first use.
type series[T any] struct {
	mu sync.RWMutex
	m  map[string]*T
	mk func(values []string) *T
}

func (s *series[T]) get(values []string) *T {
	key := seriesKey(values)
	s.mu.RLock()
	v, ok := s.m[key]
	s.mu.RUnlock()
	if ok {
		return v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.m[key]; ok {
		return v
	}
	v = s.mk(slices.Clone(values))
	s.m[key] = v
	return v
}

// sorted returns the series ordered by their label values, for a stable output.
func (s *series[T]) sorted() []*T {
	s.mu.RLock()
	keys := make([]string, 0, len(s.m))
	for k := range s.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*T, len(keys))
	for i, k := range keys {
		out[i] = s.m[k]
	}
	s.mu.RUnlock()
	return out
}

// Counter is a family of monotonically increasing counts.
type Counter struct {
	desc
	s series[counterSeries]
}

type counterSeries struct {
	values []string
	n      atomic.Uint64
}

// Counter registers a counter with the given label names.
func (r *Registry) Counter(name, help string, labels ...string) *Counter {
	c := &Counter{desc: desc{name, help, labels}}
	c.s = series[counterSeries]{m: map[string]*counterSeries{},
		mk: func(v []string) *counterSeries { return &counterSeries{values: v} }}
	r.add(c)
	return c
}

// Inc adds one to the series of the label values (one per label name; it
// panics otherwise, a programming error).
func (c *Counter) Inc(values ...string) { c.Add(1, values...) }

// Add adds n to the series of the label values.
func (c *Counter) Add(n uint64, values ...string) {
	c.check(values)
	c.s.get(values).n.Add(n)
}

// Value returns the count of the label values (0 when never counted).
func (c *Counter) Value(values ...string) uint64 {
	c.check(values)
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	if s, ok := c.s.m[seriesKey(values)]; ok {
		return s.n.Load()
	}
	return 0
}

func (c *Counter) write(w *bufio.Writer) {
	c.header(w, "counter")
	for _, s := range c.s.sorted() {
		c.sample(w, "", s.values, "", "", float64(s.n.Load()))
	}
}

// Histogram is a family of distributions over fixed buckets.
type Histogram struct {
	desc
	buckets []float64 // upper bounds, ascending, without +Inf
	s       series[histogramSeries]
}

type histogramSeries struct {
	values []string
	mu     sync.Mutex
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
}

// DefaultDurations are latency buckets in seconds, from 1 ms to 10 s.
var DefaultDurations = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Histogram registers a histogram with ascending bucket upper bounds.
func (r *Registry) Histogram(name, help string, buckets []float64, labels ...string) *Histogram {
	if !slices.IsSorted(buckets) {
		panic("metrics: " + name + ": buckets are not ascending")
	}
	h := &Histogram{desc: desc{name, help, labels}, buckets: slices.Clone(buckets)}
	h.s = series[histogramSeries]{m: map[string]*histogramSeries{}, mk: func(v []string) *histogramSeries {
		return &histogramSeries{values: v, counts: make([]uint64, len(buckets)+1)}
	}}
	r.add(h)
	return h
}

// Observe records v in the series of the label values.
func (h *Histogram) Observe(v float64, values ...string) {
	h.check(values)
	i, _ := slices.BinarySearch(h.buckets, v) // first bound >= v: "le" is inclusive
	s := h.s.get(values)
	s.mu.Lock()
	s.counts[i]++
	s.sum += v
	s.mu.Unlock()
}

// ObserveDuration records d in seconds.
func (h *Histogram) ObserveDuration(d time.Duration, values ...string) {
	h.Observe(d.Seconds(), values...)
}

func (h *Histogram) write(w *bufio.Writer) {
	h.header(w, "histogram")
	for _, s := range h.s.sorted() {
		s.mu.Lock()
		counts, sum := slices.Clone(s.counts), s.sum
		s.mu.Unlock()
		var cum uint64
		for i, n := range counts {
			cum += n
			le := "+Inf"
			if i < len(h.buckets) {
				le = formatFloat(h.buckets[i])
			}
			h.sample(w, "_bucket", s.values, "le", le, float64(cum))
		}
		h.sample(w, "_sum", s.values, "", "", sum)
		h.sample(w, "_count", s.values, "", "", float64(cum))
	}
}

// Emit reports one sample of a collected family.
type Emit func(value float64, labelValues ...string)

// collected is a family whose samples are read when it is written.
type collected struct {
	desc
	typ     string
	collect func(Emit)
}

// Gauge registers a gauge whose samples collect reports at every write.
func (r *Registry) Gauge(name, help string, labels []string, collect func(Emit)) {
	r.add(&collected{desc: desc{name, help, labels}, typ: "gauge", collect: collect})
}

// CounterFunc registers a counter whose samples collect reports at every
// write, for counts kept elsewhere (database pools, the Go runtime).
func (r *Registry) CounterFunc(name, help string, labels []string, collect func(Emit)) {
	r.add(&collected{desc: desc{name, help, labels}, typ: "counter", collect: collect})
}

func (c *collected) write(w *bufio.Writer) {
	c.header(w, c.typ)
	c.collect(func(v float64, values ...string) {
		c.check(values)
		c.sample(w, "", values, "", "", v)
	})
}
