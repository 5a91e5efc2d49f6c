// Package imagingtest makes real image files for tests: generated PNG,
// JPEG (with a hand-made EXIF segment), GIF, and two WebP files from
// golang.org/x/image's test data (BSD licence, like Go's), and hostile ones.
package imagingtest

import (
	"archive/zip"
	"bytes"
	_ "embed"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
)

//go:embed testdata/gopher-doc.with-alpha.lossless.webp
var webpLossless []byte

//go:embed testdata/blue-purple-pink.lossy.webp
var webpLossy []byte

// WebPLossless is a lossless WebP with alpha and an ICC profile
// (VP8X extended format); WebPLossy a lossy one.
func WebPLossless() []byte { return bytes.Clone(webpLossless) }
func WebPLossy() []byte    { return bytes.Clone(webpLossy) }

// Halves returns a w×h picture whose left half is red and right half blue.
func Halves(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 0, 0, 255}
			if x >= w/2 {
				c = color.RGBA{0, 0, 255, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

// PNG returns a w×h PNG of Halves.
func PNG(w, h int) []byte {
	var b bytes.Buffer
	png.Encode(&b, Halves(w, h))
	return b.Bytes()
}

// JPEG returns a w×h JPEG of Halves.
func JPEG(w, h int) []byte {
	var b bytes.Buffer
	jpeg.Encode(&b, Halves(w, h), &jpeg.Options{Quality: 90})
	return b.Bytes()
}

// GIF returns a w×h GIF of Halves.
func GIF(w, h int) []byte {
	var b bytes.Buffer
	gif.Encode(&b, Halves(w, h), nil)
	return b.Bytes()
}

// Photo returns a w×h JPEG that compresses like a photograph: gradients
// with noise, about 0.4 bytes per pixel at quality 90.
func Photo(w, h int) []byte {
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

// Secret is in the EXIF segment of JPEGWithEXIF (as the image description
// and the GPS area) and must not survive processing.
const Secret = "GPS-SECRET-52.5200N-13.4050E"

// JPEGWithEXIF returns JPEG(w, h) with an APP1 EXIF segment right after
// SOI holding the orientation o (1–8), an image description and a GPS IFD
// with a latitude and Secret as its processing method.
func JPEGWithEXIF(w, h, o int) []byte {
	bo := binary.BigEndian
	var t bytes.Buffer
	t.WriteString("MM")
	binary.Write(&t, bo, uint16(42))
	binary.Write(&t, bo, uint32(8)) // IFD0 right after the header
	// IFD0: 3 entries, then the next-IFD offset (0), then the data area.
	const ifd0 = 8
	dataAt := uint32(ifd0 + 2 + 3*12 + 4)
	gpsAt := dataAt + uint32(len(Secret)+1)
	entry := func(tag, typ uint16, count, value uint32) {
		binary.Write(&t, bo, tag)
		binary.Write(&t, bo, typ)
		binary.Write(&t, bo, count)
		binary.Write(&t, bo, value)
	}
	binary.Write(&t, bo, uint16(3))
	entry(0x010E, 2, uint32(len(Secret)+1), dataAt) // ImageDescription, ASCII
	entry(0x0112, 3, 1, uint32(o)<<16)              // Orientation, SHORT, left-justified
	entry(0x8825, 4, 1, gpsAt)                      // GPSInfo IFD pointer
	binary.Write(&t, bo, uint32(0))
	t.WriteString(Secret + "\x00")
	// GPS IFD: latitude ref "N" and GPSProcessingMethod = Secret.
	methodAt := gpsAt + 2 + 2*12 + 4
	binary.Write(&t, bo, uint16(2))
	entry(0x0001, 2, 2, uint32('N')<<24)
	entry(0x001B, 7, uint32(len(Secret)), methodAt)
	binary.Write(&t, bo, uint32(0))
	t.WriteString(Secret)

	seg := append([]byte("Exif\x00\x00"), t.Bytes()...)
	app1 := []byte{0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}
	base := JPEG(w, h)
	out := append([]byte{}, base[:2]...)
	out = append(out, app1...)
	out = append(out, seg...)
	return append(out, base[2:]...)
}

// PNGHeaderBomb returns a PNG whose header declares w×h pixels but that
// holds almost no data: decoding it for real would allocate w×h×4 bytes.
func PNGHeaderBomb(w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk(&b, "IHDR", ihdr)
	chunk(&b, "IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk(&b, "IEND", nil)
	return b.Bytes()
}

func chunk(b *bytes.Buffer, typ string, data []byte) {
	binary.Write(b, binary.BigEndian, uint32(len(data)))
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	b.WriteString(typ)
	b.Write(data)
	binary.Write(b, binary.BigEndian, crc.Sum32())
}

// ZipMarker is the name of the file in the ZIP PNGWithZIP appends.
const ZipMarker = "payload-polyglot.txt"

// PNGWithZIP returns PNG(w, h) with a ZIP archive appended: a polyglot that
// is both a valid PNG and a valid ZIP.
func PNGWithZIP(w, h int) []byte {
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	f, _ := zw.Create(ZipMarker)
	f.Write([]byte("<script>alert(1)</script>"))
	zw.Close()
	return append(PNG(w, h), z.Bytes()...)
}
