package imaging

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"testing"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/imaging/imagingtest"
)

func decodeAny(t *testing.T, data []byte) image.Image {
	t.Helper()
	m, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	return m
}

func size(m image.Image) image.Point { return m.Bounds().Size() }

func TestProcessFormatsAndSizes(t *testing.T) {
	p := NewProcessor(0)
	for _, tc := range []struct {
		name   string
		data   []byte
		format string
		w, h   int
	}{
		{"png", imagingtest.PNG(2000, 500), "image/png", 2000, 500},
		{"jpeg", imagingtest.JPEG(300, 1200), "image/jpeg", 300, 1200},
		{"gif", imagingtest.GIF(120, 80), "image/png", 120, 80},
		{"webp lossless", imagingtest.WebPLossless(), "image/png", 0, 0},
		{"webp lossy", imagingtest.WebPLossy(), "image/png", 0, 0},
		{"tiny png", imagingtest.PNG(10, 3), "image/png", 10, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up, err := p.Process(context.Background(), tc.data)
			if err != nil {
				t.Fatal(err)
			}
			orig := decodeAny(t, up[clientele.VariantOriginal])
			if got := Format(up[clientele.VariantOriginal]); got != tc.format {
				t.Errorf("original is %s, want %s", got, tc.format)
			}
			if tc.w != 0 && size(orig) != image.Pt(tc.w, tc.h) {
				t.Errorf("original %v, want %dx%d", size(orig), tc.w, tc.h)
			}
			ow, oh := size(orig).X, size(orig).Y
			for v, box := range boxes {
				if Format(up[v]) != tc.format {
					t.Errorf("%s is %s", v, Format(up[v]))
				}
				s := size(decodeAny(t, up[v]))
				if s.X > box || s.Y > box {
					t.Errorf("%s is %v, larger than %d", v, s, box)
				}
				if s.X > ow || s.Y > oh {
					t.Errorf("%s is %v, enlarged from %dx%d", v, s, ow, oh)
				}
				if ow > box || oh > box { // scaled: the longer side fills the box, aspect kept
					if max(s.X, s.Y) != box {
						t.Errorf("%s is %v, longer side not %d", v, s, box)
					}
					if ratio, want := float64(s.X)/float64(s.Y), float64(ow)/float64(oh); ratio/want > 1.1 || want/ratio > 1.1 {
						t.Errorf("%s is %v: aspect %.2f, want %.2f", v, s, ratio, want)
					}
				} else if s != size(orig) {
					t.Errorf("%s is %v, want the original's %v", v, s, size(orig))
				}
			}
		})
	}
}

func TestEXIFOrientationAppliedAndMetadataGone(t *testing.T) {
	p := NewProcessor(0)
	// Orientation 6: the camera was turned; the upright picture is the
	// stored one turned 90° clockwise, so its left (red) half ends on top.
	data := imagingtest.JPEGWithEXIF(400, 200, 6)
	if jpegOrientation(data) != 6 {
		t.Fatalf("fixture orientation %d", jpegOrientation(data))
	}
	up, err := p.Process(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	for v, b := range up {
		if bytes.Contains(b, []byte(imagingtest.Secret)) || bytes.Contains(b, []byte("Exif")) {
			t.Errorf("%s still holds the EXIF segment", v)
		}
	}
	m, err := jpeg.Decode(bytes.NewReader(up[clientele.VariantOriginal]))
	if err != nil {
		t.Fatal(err)
	}
	if size(m) != image.Pt(200, 400) {
		t.Fatalf("oriented size %v, want 200x400", size(m))
	}
	r, _, b, _ := m.At(100, 50).RGBA()
	if r < 0xc000 || b > 0x4000 {
		t.Errorf("top is not red: r=%x b=%x", r, b)
	}
	r, _, b, _ = m.At(100, 350).RGBA()
	if b < 0xc000 || r > 0x4000 {
		t.Errorf("bottom is not blue: r=%x b=%x", r, b)
	}
}

func TestOrientations(t *testing.T) {
	// A 3×2 image with distinct pixels; where pixel (0,0) goes for each orientation.
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range src.Pix {
		src.Pix[i] = byte(i)
	}
	corner := func(m image.Image) image.Point {
		for y := range size(m).Y {
			for x := range size(m).X {
				if r, g, _, _ := m.At(x, y).RGBA(); r == 0 && g == 1<<8|1 {
					return image.Pt(x, y)
				}
			}
		}
		return image.Pt(-1, -1)
	}
	for o, want := range map[int]struct{ size, corner image.Point }{
		1: {image.Pt(3, 2), image.Pt(0, 0)}, 2: {image.Pt(3, 2), image.Pt(2, 0)},
		3: {image.Pt(3, 2), image.Pt(2, 1)}, 4: {image.Pt(3, 2), image.Pt(0, 1)},
		5: {image.Pt(2, 3), image.Pt(0, 0)}, 6: {image.Pt(2, 3), image.Pt(1, 0)},
		7: {image.Pt(2, 3), image.Pt(1, 2)}, 8: {image.Pt(2, 3), image.Pt(0, 2)},
	} {
		m := orient(src, o)
		if size(m) != want.size || corner(m) != want.corner {
			t.Errorf("orientation %d: size %v corner %v, want %v %v", o, size(m), corner(m), want.size, want.corner)
		}
	}
}

func TestHostileInput(t *testing.T) {
	p := NewProcessor(0)
	full := imagingtest.JPEG(64, 64)
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"text named .png", []byte("just some text, not an image\n"), ErrUnsupported},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), ErrUnsupported},
		{"empty", nil, ErrUnsupported},
		{"bmp", []byte("BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00"), ErrUnsupported},
		{"30000x30000 header bomb", imagingtest.PNGHeaderBomb(30000, 30000), ErrTooManyPixels},
		{"40 MP + 1 row", imagingtest.PNGHeaderBomb(10000, 4001), ErrTooManyPixels},
		{"exactly 40 MP but no data", imagingtest.PNGHeaderBomb(10000, 4000), ErrCorrupt},
		{"truncated jpeg", full[:len(full)/2], ErrCorrupt},
		{"jpeg magic only", []byte{0xFF, 0xD8, 0xFF}, ErrCorrupt},
		{"png signature only", []byte("\x89PNG\r\n\x1a\n"), ErrCorrupt},
		{"riff webp header only", []byte("RIFF\x04\x00\x00\x00WEBP"), ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := p.Process(context.Background(), tc.data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if tc.want == ErrTooManyPixels && time.Since(start) > 100*time.Millisecond {
				t.Errorf("refusing the bomb took %v: it was decoded", time.Since(start))
			}
		})
	}
}

func TestAppendedPayloadIsGone(t *testing.T) {
	up, err := NewProcessor(0).Process(context.Background(), imagingtest.PNGWithZIP(300, 200))
	if err != nil {
		t.Fatal(err)
	}
	for v, b := range up {
		if bytes.Contains(b, []byte("PK\x03\x04")) || bytes.Contains(b, []byte(imagingtest.ZipMarker)) {
			t.Errorf("%s keeps the appended ZIP", v)
		}
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("%s: %v", v, err)
		}
	}
}

// The processor waits for memory budget: while other uploads hold it, an
// upload waits until they are done, and gives up with its context.
func TestBudgetBoundsConcurrentDecodes(t *testing.T) {
	p := NewProcessor(0)
	if !p.budget.TryAcquire(DefaultBudget) {
		t.Fatal("budget not free")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := p.Process(ctx, imagingtest.PNG(10, 10)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("with the budget taken: %v, want to wait and time out", err)
	}
	p.budget.Release(DefaultBudget)
	if _, err := p.Process(context.Background(), imagingtest.PNG(10, 10)); err != nil {
		t.Fatal(err)
	}
	// An image that needs more than the whole budget still runs, alone.
	small := NewProcessor(1 << 20)
	if _, err := small.Process(context.Background(), imagingtest.PNG(1000, 1000)); err != nil {
		t.Fatal(err)
	}
}

func TestCost(t *testing.T) {
	// A 5 MP JPEG: decoded and copied pixels, the scaler's rows, the output.
	if got, want := cost(2592, 1944, false), int64(2592*1944*9+1024*1944*32); got != want {
		t.Errorf("cost = %d, want %d", got, want)
	}
	if cost(2592, 1944, true) <= cost(2592, 1944, false) {
		t.Error("orientation costs nothing")
	}
	if got := cost(100, 100, false); got != 100*100*9 {
		t.Errorf("small image: %d, nothing to scale", got)
	}
}

func FuzzJPEGOrientation(f *testing.F) {
	f.Add(imagingtest.JPEGWithEXIF(8, 8, 6))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x02})
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}

func FuzzProcess(f *testing.F) {
	f.Add(imagingtest.PNG(4, 4))
	f.Add(imagingtest.GIF(4, 4))
	f.Add(imagingtest.JPEGWithEXIF(4, 4, 8))
	p := NewProcessor(0)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := p.Process(context.Background(), data)
		if err != nil && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTooManyPixels) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}
