package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/imaging"
)

// Image uploads (§6): PUT takes the image as the multipart part "file" or as
// the raw body; what the bytes are decides, never a name or declared type.

// putImage is PUT of a record's image (a client's logo, a contact's image)
// of type typ: get checks that the record exists, set stores the upload
// (under the request's If-Match), render answers.
func putImage[T interface{ Version() time.Time }](s *Server, typ, what string,
	get func(context.Context, clientele.Actor, int64, clientele.Include) (T, clientele.Related, error),
	set func(context.Context, clientele.Actor, int64, clientele.ImageUpload, ...clientele.Options) (T, error),
	render func(T) resource) func(http.ResponseWriter, *http.Request, clientele.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
		id, err := pathID(r, what)
		if err != nil {
			return err
		}
		opts, err := precondition(r, typ, idString(id))
		if err != nil {
			return err
		}
		// A missing record costs no decoding.
		if _, _, err := get(r.Context(), a, id, nil); err != nil {
			return err
		}
		up, err := s.readImage(w, r)
		if err != nil {
			s.metrics.Uploads.Inc(uploadResult(err))
			return err
		}
		v, err := set(r.Context(), a, id, up, opts)
		if err != nil {
			return err
		}
		s.metrics.Uploads.Inc("ok")
		return writeTagged(w, http.StatusOK, render(v), v.Version(), nil)
	}
}

// uploadResult is the uploads_total label of a refused upload.
func uploadResult(err error) string {
	switch clientele.KindOf(err) {
	case kindTooLarge:
		return "too_large"
	case kindUnsupportedMedia:
		return "unsupported"
	}
	return "invalid"
}

// deleteImage is DELETE of the image of a record of type typ, under the
// request's If-Match.
func deleteImage(typ, what string, remove func(context.Context, clientele.Actor, int64, ...clientele.Options) error) func(http.ResponseWriter, *http.Request, clientele.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
		id, err := pathID(r, what)
		if err != nil {
			return err
		}
		if err := noQuery(r); err != nil {
			return err
		}
		opts, err := precondition(r, typ, idString(id))
		if err != nil {
			return err
		}
		if err := remove(r.Context(), a, id, opts); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// multipartOverhead is what a multipart envelope may add to the file it carries.
const multipartOverhead = 64 << 10

// readImage reads the upload (at most maxUploadBytes: 413 as soon as more
// arrives, or at once when Content-Length says so) and processes it.
func (s *Server) readImage(w http.ResponseWriter, r *http.Request) (clientele.ImageUpload, error) {
	if err := noQuery(r); err != nil {
		return nil, err
	}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	limit := int64(maxUploadBytes)
	if mt == "multipart/form-data" {
		limit += multipartOverhead
	}
	if r.ContentLength > limit {
		return nil, uploadTooLarge()
	}
	body := http.MaxBytesReader(w, r.Body, limit)
	var data []byte
	var err error
	if mt == "multipart/form-data" {
		data, err = filePart(multipart.NewReader(body, params["boundary"]))
	} else {
		data, err = readUpload(body, r.ContentLength)
	}
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, malformed("empty_body", "", "the request carries no image")
	}
	up, err := s.images.Process(r.Context(), data)
	switch {
	case errors.Is(err, imaging.ErrUnsupported):
		return nil, clientele.Errorf(kindUnsupportedMedia, "unsupported_image_type", "",
			"the image must be JPEG, PNG, GIF or WebP")
	case errors.Is(err, imaging.ErrTooManyPixels):
		return nil, clientele.Errorf(clientele.Invalid, "image_too_large", "",
			"the image has more than %d pixels", maxUploadPixels)
	case errors.Is(err, imaging.ErrCorrupt):
		return nil, clientele.Errorf(clientele.Invalid, "invalid_image", "",
			"the image is truncated or corrupt")
	}
	return up, err
}

// filePart returns the content of the part named "file".
func filePart(mr *multipart.Reader) ([]byte, error) {
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil, malformed("missing_file", "", `the multipart body has no part named "file"`)
		}
		if err != nil {
			return nil, uploadError(err, "malformed_multipart", "the multipart body cannot be read")
		}
		if p.FormName() == "file" {
			data, err := readUpload(p, 0)
			if err != nil {
				return nil, uploadError(err, "malformed_multipart", "the multipart body cannot be read")
			}
			return data, nil
		}
	}
}

// readUpload reads at most maxUploadBytes from r into one buffer of the
// announced size (0: unknown), so that a burst of uploads holds each body
// once rather than in the doubling buffers of io.ReadAll.
func readUpload(r io.Reader, size int64) ([]byte, error) {
	var b bytes.Buffer
	if size > 0 && size <= maxUploadBytes {
		b.Grow(int(size) + bytes.MinRead)
	}
	if _, err := b.ReadFrom(io.LimitReader(r, maxUploadBytes+1)); err != nil {
		return nil, uploadError(err, "unreadable_body", "the request body could not be read")
	}
	if b.Len() > maxUploadBytes {
		return nil, uploadTooLarge()
	}
	return b.Bytes(), nil
}

// uploadError is 413 when the body ran past its limit, else Malformed with code.
func uploadError(err error, code, detail string) error {
	var mbe *http.MaxBytesError
	var e *clientele.Error
	switch {
	case errors.As(err, &mbe):
		return uploadTooLarge()
	case errors.As(err, &e):
		return err
	}
	return malformed(code, "", "%s", detail)
}

func uploadTooLarge() error {
	return clientele.Errorf(kindTooLarge, "body_too_large", "", "the image is larger than %d bytes", maxUploadBytes)
}

// serveFile serves an image variant to anyone: the key is the secret. What
// is stored under a key never changes, so caches may keep it for a year
// and the ETag is the name itself. Only a miss is charged to the client's
// address (see unlimitedRoutes), so that guessing keys is rate limited.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) error {
	key, variant := r.PathValue("key"), r.PathValue("variant")
	f, err := s.svc.OpenImage(r.Context(), key, variant)
	if clientele.IsNotFound(err) {
		return s.refused(w, r, err)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	var head [16]byte
	n, _ := io.ReadFull(f, head[:])
	ct := imaging.Format(head[:n])
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if ct != "image/jpeg" && ct != "image/png" { // never stored by us: refuse rather than guess
		return clientele.ErrNotFound("file")
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'")
	h.Set("ETag", `"`+key+"-"+variant+`"`)
	http.ServeContent(w, r, "", f.ModTime(), f)
	return nil
}

// renderImage is an image's links, as the logo and image attributes show them.
func renderImage(img *clientele.Image) *imageRef {
	if img == nil {
		return nil
	}
	url := func(v string) string { return "/files/" + img.Key + "/" + v }
	return &imageRef{URL: url(clientele.VariantOriginal), Thumbnails: imageThumbnails{
		Small: url(clientele.VariantSmall), Medium: url(clientele.VariantMedium), Large: url(clientele.VariantLarge)}}
}

type imageRef struct {
	URL        string          `json:"url"`
	Thumbnails imageThumbnails `json:"thumbnails"`
}

type imageThumbnails struct {
	Small  string `json:"small"`
	Medium string `json:"medium"`
	Large  string `json:"large"`
}
