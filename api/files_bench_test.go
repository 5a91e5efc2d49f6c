package api_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/clientele/clientele/files/filestest"
	"github.com/clientele/clientele/imaging/imagingtest"
)

// peakRSS is the process's peak resident set (VmHWM) in MiB, 0 where
// /proc is missing. It is a high-water mark over the whole process: run one
// benchmark per process to read it (docs/benchmarks.md).
func peakRSS() float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// cpuTime is the CPU time the process has used (user and system): on a
// shared machine it says more than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkImageUpload uploads a 5 MP JPEG (2592×1944) as the raw body of
// PUT /clients/{id}/logo, 50 requests at a time, into SQLite and the
// directory store (fsync on every file). It reports uploads per second and
// the process's peak RSS.
func BenchmarkImageUpload(b *testing.B) {
	data := imagingtest.Photo(2592, 1944)
	bench := cNewBench(b, openSQLite)
	bench.svc.UseFiles(filestest.Dir(b))
	id := strconv.FormatInt(bench.cSeed(b, 1)[0], 10)
	b.SetBytes(int64(len(data)))
	b.SetParallelism(max(1, 50/runtime.GOMAXPROCS(0))) // 50 uploads in flight
	cpu0 := cpuTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("PUT", "/api/v1/clients/"+id+"/logo", bytes.NewReader(data))
			req.Header.Set("Authorization", "Bearer "+bench.token)
			rec := httptest.NewRecorder()
			bench.h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("%d %s", rec.Code, rec.Body)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "uploads/s")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "CPU-ms/upload")
	b.ReportMetric(peakRSS(), "peak-RSS-MiB")
	b.ReportMetric(float64(len(data))/(1<<20), "upload-MiB")
}

// BenchmarkServeThumbnail serves a small thumbnail from the directory store.
func BenchmarkServeThumbnail(b *testing.B) {
	bench := cNewBench(b, openSQLite)
	bench.svc.UseFiles(filestest.Dir(b))
	id := strconv.FormatInt(bench.cSeed(b, 1)[0], 10)
	req := httptest.NewRequest("PUT", "/api/v1/clients/"+id+"/logo", bytes.NewReader(imagingtest.Photo(640, 480)))
	req.Header.Set("Authorization", "Bearer "+bench.token)
	rec := httptest.NewRecorder()
	bench.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%d %s", rec.Code, rec.Body)
	}
	_, rest, _ := strings.Cut(rec.Body.String(), `"small":"`)
	url, _, _ := strings.Cut(rest, `"`)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			bench.h.ServeHTTP(rec, httptest.NewRequest("GET", url, nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("%d", rec.Code)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
