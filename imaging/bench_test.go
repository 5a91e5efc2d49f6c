package imaging

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"testing"
)

// photo returns a w×h JPEG that compresses like a photograph.
func photo(w, h int) []byte {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	seed := uint32(1)
	for y := range h {
		for x := range w {
			seed = seed*1664525 + 1013904223
			m.Y[y*m.YStride+x] = uint8((x*255/w+y*255/h)/2) + uint8(seed>>28)
		}
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = uint8(i%251), uint8(255-i%241)
	}
	var b bytes.Buffer
	jpeg.Encode(&b, m, &jpeg.Options{Quality: 90})
	return b.Bytes()
}

// BenchmarkProcess5MP processes one 5 MP JPEG per op, one at a time.
func BenchmarkProcess5MP(b *testing.B) {
	data := photo(2592, 1944)
	p := NewProcessor(0)
	for b.Loop() {
		if _, err := p.Process(context.Background(), data); err != nil {
			b.Fatal(err)
		}
	}
}
