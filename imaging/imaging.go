// Package imaging turns an uploaded image into the variants Clientele stores:
// it recognises the format by its bytes, refuses decompression bombs from the
// header alone, decodes, applies the EXIF orientation, and re-encodes the
// original and three thumbnails, so that no metadata and nothing appended
// to the image survives.
//
// JPEG stays JPEG; PNG, GIF (its first frame) and WebP become PNG, which
// keeps transparency and needs no WebP encoder. Every variant of an upload
// has the same format.
package imaging

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"

	"github.com/clientele/clientele"
	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
	"golang.org/x/sync/semaphore"
)

// MaxPixels is the largest image accepted: 40 megapixels.
const MaxPixels = 40_000_000

// Thumbnail boxes: each thumbnail fits within a square of this side.
var boxes = map[string]int{clientele.VariantSmall: 64, clientele.VariantMedium: 256, clientele.VariantLarge: 1024}

// Errors of Process, for the adapter to turn into statuses.
var (
	// ErrUnsupported: the bytes are not JPEG, PNG, GIF or WebP.
	ErrUnsupported = errors.New("imaging: not a JPEG, PNG, GIF or WebP image")
	// ErrTooManyPixels: the header declares more than MaxPixels.
	ErrTooManyPixels = errors.New("imaging: image larger than 40 megapixels")
	// ErrCorrupt: the image is empty, truncated or cannot be decoded.
	ErrCorrupt = errors.New("imaging: image cannot be decoded")
)

// DefaultBudget is the memory NewProcessor(0) lets uploads use at once:
// two 5 MP photos (about 110 MB each), which keep two cores busy.
const DefaultBudget = 256 << 20

// Processor processes uploads with a bounded amount of memory in use at once.
type Processor struct {
	budget *semaphore.Weighted
	limit  int64
}

// NewProcessor returns a Processor whose uploads together hold at most
// about budget bytes of decoded and scaled pixels (0: DefaultBudget): each
// upload estimates from its header what it will need (cost) and waits for
// that much before it decodes, so that however many uploads arrive at once,
// the bytes they hold stay bounded, and the rest wait their turn. An upload
// that needs more than the whole budget runs alone.
func NewProcessor(budget int64) *Processor {
	if budget <= 0 {
		budget = DefaultBudget
	}
	return &Processor{budget: semaphore.NewWeighted(budget), limit: budget}
}

// cost estimates the bytes Process holds for a w×h image: the decoded
// pixels and a normalised or oriented copy (at most 8 bytes per pixel
// each: 16-bit PNGs), the scaler's intermediate rows for the large
// thumbnail (a [4]float64 per pixel of the large width × the source height)
// and the encoded original.
func cost(w, h int, oriented bool) int64 {
	px := int64(w) * int64(h)
	c := px*8 + px
	if oriented {
		c += px * 8
	}
	lw, _ := fit(w, h, boxes[clientele.VariantLarge])
	if lw < w || h > boxes[clientele.VariantLarge] {
		c += int64(lw) * int64(h) * 32
	}
	return c
}

// Format returns the MIME type of an image's bytes ("image/jpeg",
// "image/png", "image/gif", "image/webp") or "" when they are none of them.
func Format(data []byte) string {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return "image/jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "image/gif"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "image/webp"
	}
	return ""
}

// Process checks and decodes data and returns its variants. ErrUnsupported,
// ErrTooManyPixels, ErrCorrupt, or ctx's error while it waits its turn.
func (p *Processor) Process(ctx context.Context, data []byte) (clientele.ImageUpload, error) {
	format := Format(data)
	if format == "" {
		return nil, ErrUnsupported
	}
	cfg, err := decodeConfig(format, data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, ErrCorrupt
	}
	if pixels > MaxPixels {
		return nil, ErrTooManyPixels
	}
	orientation := 1
	if format == "image/jpeg" {
		orientation = jpegOrientation(data)
	}
	need := min(cost(cfg.Width, cfg.Height, orientation != 1), p.limit)
	if err := p.budget.Acquire(ctx, need); err != nil {
		return nil, err
	}
	defer p.budget.Release(need)
	img, err := decode(format, data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, fmt.Errorf("%w: decoded size differs from the header's", ErrCorrupt)
	}
	img = orient(img, orientation)
	encode := encodePNG
	if format == "image/jpeg" {
		encode = encodeJPEG
	}
	out := clientele.ImageUpload{}
	if out[clientele.VariantOriginal], err = encode(img); err != nil {
		return nil, err
	}
	// Each thumbnail is scaled from the next larger one: the same result
	// to the eye at a fraction of the work of scaling the original thrice.
	// The first, largest step uses the bilinear kernel (half the taps of
	// Catmull-Rom; still a proper low-pass filter when shrinking), the
	// smaller steps Catmull-Rom for sharpness.
	kernel := draw.BiLinear
	src := img
	for _, v := range []string{clientele.VariantLarge, clientele.VariantMedium, clientele.VariantSmall} {
		w, h := fit(src.Bounds().Dx(), src.Bounds().Dy(), boxes[v])
		if w == src.Bounds().Dx() && h == src.Bounds().Dy() {
			// Small enough already: never enlarged, so the same pixels.
			if src == img {
				out[v] = out[clientele.VariantOriginal]
				continue
			}
		} else {
			dst := image.NewRGBA(image.Rect(0, 0, w, h))
			kernel.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
			src, kernel = dst, draw.CatmullRom
		}
		if out[v], err = encode(src); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fit returns the size of a w×h image scaled to fit within a box×box square,
// keeping the aspect ratio and never enlarging; each side is at least 1.
func fit(w, h, box int) (int, int) {
	if w <= box && h <= box {
		return w, h
	}
	if w >= h {
		return box, max(1, (h*box+w/2)/w)
	}
	return max(1, (w*box+h/2)/h), box
}

func decodeConfig(format string, data []byte) (image.Config, error) {
	r := bytes.NewReader(data)
	switch format {
	case "image/jpeg":
		return jpeg.DecodeConfig(r)
	case "image/png":
		return png.DecodeConfig(r)
	case "image/gif":
		return gif.DecodeConfig(r) // the logical screen, which every frame must fit in
	default:
		return webp.DecodeConfig(r)
	}
}

func decode(format string, data []byte) (image.Image, error) {
	r := bytes.NewReader(data)
	switch format {
	case "image/jpeg":
		return jpeg.Decode(r)
	case "image/png":
		return png.Decode(r)
	case "image/gif":
		// The first frame only, at the size of the logical screen.
		m, err := gif.Decode(r)
		if err != nil {
			return nil, err
		}
		cfg, _ := gif.DecodeConfig(bytes.NewReader(data))
		if b := m.Bounds(); b.Min != (image.Point{}) || b.Dx() != cfg.Width || b.Dy() != cfg.Height {
			screen := image.NewNRGBA(image.Rect(0, 0, cfg.Width, cfg.Height))
			draw.Draw(screen, m.Bounds(), m, m.Bounds().Min, draw.Src)
			return screen, nil
		}
		return m, nil
	default:
		return webp.Decode(r)
	}
}

func encodeJPEG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 88})
	return b.Bytes(), err
}

func encodePNG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	err := png.Encode(&b, img)
	return b.Bytes(), err
}
