package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/clientele/clientele/api"
)

// The overhead of ETags and idempotency keys, next to BenchmarkGetClient and
// BenchmarkCreateClient (bench_test.go), in the same in-process setting.

// oServe sends one request with extra header lines and fails unless it answers want.
func (c *cBench) oServe(b *testing.B, method, target string, body []byte, want int, header ...string) *httptest.ResponseRecorder {
	var req *http.Request
	if body != nil {
		req = httptest.NewRequest(method, target, bytes.NewReader(body))
		req.Header.Set("Content-Type", api.MediaType)
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("%s %s: %d, want %d: %s", method, target, rec.Code, want, rec.Body)
	}
	return rec
}

// BenchmarkGetClientNotModified: a GET whose If-None-Match names the current tag (304).
func BenchmarkGetClientNotModified(b *testing.B) { cEngines(b, benchmarkGetClientNotModified) }

func benchmarkGetClientNotModified(b *testing.B, open openStore) {
	c := cNewBench(b, open)
	ids := c.cSeed(b, 1000)
	target := fmt.Sprintf("/api/v1/clients/%d", ids[500])
	tag := c.oServe(b, "GET", target, nil, http.StatusOK).Header().Get("ETag")
	b.ReportAllocs()
	for b.Loop() {
		c.oServe(b, "GET", target, nil, http.StatusNotModified, "If-None-Match", tag)
	}
}

// BenchmarkPatchClient compares a PATCH without and with If-Match (the tag of
// the previous answer, so that every one succeeds).
func BenchmarkPatchClient(b *testing.B) { cEngines(b, benchmarkPatchClient) }

func benchmarkPatchClient(b *testing.B, open openStore) {
	c := cNewBench(b, open)
	id := c.cSeed(b, 1)[0]
	target := fmt.Sprintf("/api/v1/clients/%d", id)
	body := fmt.Appendf(nil, `{"data":{"type":"clients","id":"%d","attributes":{"notes":"benchmark"}}}`, id)
	b.Run("plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c.oServe(b, "PATCH", target, body, http.StatusOK)
		}
	})
	b.Run("if-match", func(b *testing.B) {
		tag := c.oServe(b, "GET", target, nil, http.StatusOK).Header().Get("ETag")
		b.ReportAllocs()
		for b.Loop() {
			tag = c.oServe(b, "PATCH", target, body, http.StatusOK, "If-Match", tag).Header().Get("ETag")
		}
	})
}

// BenchmarkCreateClientIdempotent: a POST with a new Idempotency-Key each
// time (claim, create with the sealed response in its transaction), and the
// replay of a stored one.
func BenchmarkCreateClientIdempotent(b *testing.B) { cEngines(b, benchmarkCreateClientIdempotent) }

func benchmarkCreateClientIdempotent(b *testing.B, open openStore) {
	c := cNewBench(b, open)
	n := 0 // outside the sub-benchmark, which the framework may call more than once
	b.Run("new-key", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n++
			c.oServe(b, "POST", "/api/v1/clients", cClientBody, http.StatusCreated,
				"Idempotency-Key", fmt.Sprintf("bench-%d", n))
		}
	})
	b.Run("replay", func(b *testing.B) {
		c.oServe(b, "POST", "/api/v1/clients", cClientBody, http.StatusCreated, "Idempotency-Key", "replayed")
		b.ReportAllocs()
		for b.Loop() {
			c.oServe(b, "POST", "/api/v1/clients", cClientBody, http.StatusCreated, "Idempotency-Key", "replayed")
		}
	})
}
