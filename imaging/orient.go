package imaging

import (
	"image"

	"golang.org/x/image/draw"
)

// normalize returns img in a form the scaler reads quickly: YCbCr, RGBA and
// NRGBA as they are, anything else (paletted GIFs, 16-bit PNGs, gray) as NRGBA.
func normalize(img image.Image) image.Image {
	switch img.(type) {
	case *image.YCbCr, *image.RGBA, *image.NRGBA:
		return img
	}
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	return out
}

// orient returns img turned upright according to an EXIF orientation:
// 1 as it is, 2 mirrored, 3 turned 180°, 4 flipped, 5 transposed, 6 turned
// 90° clockwise, 7 transversed, 8 turned 90° counter-clockwise.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return normalize(img)
	}
	b := img.Bounds()
	src := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		row := src.Pix[y*src.Stride : y*src.Stride+4*w]
		for x := range w {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-x, y
			case 3:
				dx, dy = w-1-x, h-1-y
			case 4:
				dx, dy = x, h-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8:
				dx, dy = y, w-1-x
			}
			copy(dst.Pix[dy*dst.Stride+4*dx:], row[4*x:4*x+4])
		}
	}
	return dst
}
