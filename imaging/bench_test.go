package imaging

import (
	"context"
	"testing"

	"github.com/clientele/clientele/imaging/imagingtest"
)

// BenchmarkProcess5MP processes one 5 MP JPEG per op, one at a time.
func BenchmarkProcess5MP(b *testing.B) {
	data := imagingtest.Photo(2592, 1944)
	p := NewProcessor(0)
	for b.Loop() {
		if _, err := p.Process(context.Background(), data); err != nil {
			b.Fatal(err)
		}
	}
}
