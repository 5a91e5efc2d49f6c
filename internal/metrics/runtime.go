package metrics

import (
	"runtime"
	rm "runtime/metrics"
)

// RegisterRuntime registers the Go runtime basics: goroutines, heap and GC.
// They are read through runtime/metrics, which does not stop the world as
// runtime.ReadMemStats does.
func (r *Registry) RegisterRuntime() {
	read := func(name string) float64 {
		s := []rm.Sample{{Name: name}}
		rm.Read(s)
		switch s[0].Value.Kind() {
		case rm.KindUint64:
			return float64(s[0].Value.Uint64())
		case rm.KindFloat64:
			return s[0].Value.Float64()
		}
		return 0
	}
	r.Gauge("go_goroutines", "Goroutines that exist now.", nil, func(e Emit) { e(float64(runtime.NumGoroutine())) })
	r.Gauge("go_heap_objects_bytes", "Bytes of live and not yet swept heap objects.", nil, func(e Emit) {
		e(read("/memory/classes/heap/objects:bytes"))
	})
	r.Gauge("go_memory_total_bytes", "All memory mapped by the Go runtime.", nil, func(e Emit) {
		e(read("/memory/classes/total:bytes"))
	})
	r.CounterFunc("go_gc_cycles_total", "Completed GC cycles.", nil, func(e Emit) { e(read("/gc/cycles/total:gc-cycles")) })
	r.Gauge("go_gomaxprocs", "GOMAXPROCS.", nil, func(e Emit) { e(float64(runtime.GOMAXPROCS(0))) })
}
