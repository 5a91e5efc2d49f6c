package api_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/files/filestest"
	"github.com/clientele/clientele/imaging/imagingtest"
)

// forEachFiles runs test on every database engine with every file store.
func forEachFiles(t *testing.T, test func(t *testing.T, e *env, blobs clientele.Files)) {
	forEachEngine(t, func(t *testing.T, open openStore) {
		for _, st := range filestest.Stores {
			t.Run(st.Name, func(t *testing.T) {
				blobs := st.Open(t)
				e := newEnv(t, open)
				e.svc.UseFiles(blobs)
				test(t, e, blobs)
			})
		}
	})
}

// upload PUTs data to path: as the multipart part "file" called name when
// name is not "", else as the raw body (declared as contentType).
func (e *env) upload(path, token string, data []byte, name, contentType string, header ...string) *response {
	e.t.Helper()
	body, ct := io.Reader(bytes.NewReader(data)), contentType
	if name != "" {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("note", "ignored")
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
		mw.Close()
		body, ct = &b, mw.FormDataContentType()
	}
	req, err := http.NewRequest("PUT", e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	return e.send(req)
}

// fetch GETs a file URL without credentials.
func (e *env) fetch(url string, header ...string) *response {
	e.t.Helper()
	req, err := http.NewRequest("GET", e.srv.URL+url, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.send(req)
}

// imageURLs returns the four URLs of an image attribute, original first; nil for null.
func imageURLs(t *testing.T, v any) []string {
	t.Helper()
	if v == nil {
		return nil
	}
	m := v.(map[string]any)
	th := m["thumbnails"].(map[string]any)
	urls := []string{m["url"].(string), th["small"].(string), th["medium"].(string), th["large"].(string)}
	for i, variant := range clientele.ImageVariants {
		if !strings.HasPrefix(urls[i], "/files/") || !strings.HasSuffix(urls[i], "/"+variant) {
			t.Errorf("%s URL %q", variant, urls[i])
		}
	}
	return urls
}

// wantImage checks that every URL serves an image of format within its box.
func (e *env) wantImage(urls []string, format string) {
	e.t.Helper()
	boxes := []int{0, 64, 256, 1024}
	for i, u := range urls {
		r := e.fetch(u).want(http.StatusOK)
		if ct := r.Header.Get("Content-Type"); ct != format {
			e.t.Errorf("%s: Content-Type %q, want %q", u, ct, format)
		}
		m, _, err := image.Decode(bytes.NewReader(r.Body))
		if err != nil {
			e.t.Fatalf("%s: %v", u, err)
		}
		if s := m.Bounds().Size(); boxes[i] > 0 && (s.X > boxes[i] || s.Y > boxes[i]) {
			e.t.Errorf("%s is %v", u, s)
		}
	}
}

func (e *env) wantGone(urls []string) {
	e.t.Helper()
	if len(urls) == 0 {
		e.t.Fatal("no URLs to check")
	}
	for _, u := range urls {
		e.fetch(u).wantError(http.StatusNotFound, "not_found", "")
	}
}

// stored returns how many files the store holds.
func stored(t *testing.T, blobs clientele.Files) int {
	t.Helper()
	n := 0
	if err := blobs.List(context.Background(), func(string, time.Time) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImageLifecycle(t *testing.T) {
	forEachFiles(t, func(t *testing.T, e *env, blobs clientele.Files) {
		client := e.createClient(e.admin, map[string]any{"name": "Acme"})
		logoPath := "/api/v1/clients/" + client + "/logo"
		before := e.do("GET", "/api/v1/clients/"+client, e.admin, nil).want(http.StatusOK).attrs()
		if before["logo"] != nil {
			t.Fatalf("new client logo %v", before["logo"])
		}

		// A PNG with a ZIP appended, as multipart; the declared name does not matter.
		r := e.upload(logoPath, e.admin, imagingtest.PNGWithZIP(1500, 600), "logo.zip", "").want(http.StatusOK)
		if r.data()["type"] != "clients" || r.id() != client {
			t.Fatalf("upload answered %s", r.Body)
		}
		png := imageURLs(t, r.attrs()["logo"])
		if r.attrs()["updated_at"] == before["updated_at"] {
			t.Error("updated_at unchanged by the upload")
		}
		e.wantImage(png, "image/png")
		if orig := e.fetch(png[0]).Body; bytes.Contains(orig, []byte("PK\x03\x04")) {
			t.Error("the appended ZIP survived")
		}
		got := e.do("GET", "/api/v1/clients/"+client, e.admin, nil).want(http.StatusOK)
		if u := imageURLs(t, got.attrs()["logo"]); u[0] != png[0] {
			t.Errorf("GET shows %v, upload answered %v", u, png)
		}
		list := e.do("GET", "/api/v1/clients", e.admin, nil).want(http.StatusOK).json()["data"].([]any)
		if u := imageURLs(t, list[0].(map[string]any)["attributes"].(map[string]any)["logo"]); u[0] != png[0] {
			t.Errorf("list shows %v", u)
		}

		// Replacing: a raw JPEG with EXIF (GPS, orientation 6), declared as something else.
		r = e.upload(logoPath, e.admin, imagingtest.JPEGWithEXIF(800, 400, 6), "", "text/plain").want(http.StatusOK)
		jpg := imageURLs(t, r.attrs()["logo"])
		if jpg[0] == png[0] {
			t.Fatal("a new upload kept the old URL")
		}
		e.wantImage(jpg, "image/jpeg")
		orig := e.fetch(jpg[0]).Body
		if bytes.Contains(orig, []byte(imagingtest.Secret)) || bytes.Contains(orig, []byte("Exif")) {
			t.Error("EXIF survived")
		}
		if m, _, _ := image.Decode(bytes.NewReader(orig)); m.Bounds().Size() != image.Pt(400, 800) {
			t.Errorf("orientation not applied: %v", m.Bounds().Size())
		}
		e.wantGone(png)
		if n := stored(t, blobs); n != 4 {
			t.Errorf("%d files stored, want the 4 of the current logo", n)
		}

		e.do("DELETE", logoPath, e.admin, nil).want(http.StatusNoContent)
		if logo := e.do("GET", "/api/v1/clients/"+client, e.admin, nil).want(http.StatusOK).attrs()["logo"]; logo != nil {
			t.Errorf("logo after DELETE: %v", logo)
		}
		e.wantGone(jpg)
		e.do("DELETE", logoPath, e.admin, nil).want(http.StatusNoContent)

		// Contacts: a GIF, then deleting the contact.
		contact := e.createContact(e.admin, client, map[string]any{"first_name": "Ada"})
		r = e.upload("/api/v1/contacts/"+contact+"/image", e.admin, imagingtest.GIF(90, 60), "me.gif", "").want(http.StatusOK)
		if r.data()["type"] != "contacts" {
			t.Fatalf("upload answered %s", r.Body)
		}
		gif := imageURLs(t, r.attrs()["image"])
		e.wantImage(gif, "image/png")
		e.do("DELETE", "/api/v1/contacts/"+contact+"/image", e.admin, nil).want(http.StatusNoContent)
		e.wantGone(gif)
		r = e.upload("/api/v1/contacts/"+contact+"/image", e.admin, imagingtest.WebPLossless(), "", "image/webp").want(http.StatusOK)
		webp := imageURLs(t, r.attrs()["image"])
		e.wantImage(webp, "image/png")
		e.do("DELETE", "/api/v1/contacts/"+contact, e.admin, nil).want(http.StatusNoContent)
		e.wantGone(webp)

		// Deleting a client takes its logo and its contacts' images along.
		var all []string
		all = append(all, imageURLs(t, e.upload(logoPath, e.admin, imagingtest.PNG(50, 50), "", "").want(http.StatusOK).attrs()["logo"])...)
		for _, name := range []string{"Bea", "Cy"} {
			c := e.createContact(e.admin, client, map[string]any{"first_name": name})
			all = append(all, imageURLs(t, e.upload("/api/v1/contacts/"+c+"/image", e.admin, imagingtest.WebPLossy(), "", "").want(http.StatusOK).attrs()["image"])...)
		}
		e.wantImage(all[:4], "image/png")
		e.do("DELETE", "/api/v1/clients/"+client, e.admin, nil).want(http.StatusNoContent)
		e.wantGone(all)
		if n := stored(t, blobs); n != 0 {
			t.Errorf("%d files left after deleting everything", n)
		}
	})
}

func TestImageUploadRejected(t *testing.T) {
	big := append(imagingtest.PNG(10, 10), bytes.Repeat([]byte{0}, 11<<20)...)
	full := imagingtest.JPEG(64, 64)
	forEachFiles(t, func(t *testing.T, e *env, blobs clientele.Files) {
		client := e.createClient(e.admin, map[string]any{"name": "Acme"})
		contact := e.createContact(e.admin, client, map[string]any{"first_name": "Ada"})
		for _, tc := range []struct {
			name        string
			data        []byte
			part, ctype string
			chunked     bool
			status      int
			code        string
		}{
			{"text named .png", []byte("hello, I am text\n"), "logo.png", "", false, 415, "unsupported_image_type"},
			{"text declared image/png", []byte("hello, I am text\n"), "", "image/png", false, 415, "unsupported_image_type"},
			{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "logo.svg", "", false, 415, "unsupported_image_type"},
			{"empty raw body", nil, "", "image/png", false, 400, "empty_body"},
			{"empty file part", nil, "logo.png", "", false, 400, "empty_body"},
			{"30000x30000 header bomb", imagingtest.PNGHeaderBomb(30000, 30000), "bomb.png", "", false, 422, "image_too_large"},
			{"truncated jpeg", full[:len(full)*2/3], "", "image/jpeg", false, 422, "invalid_image"},
			{"11 MiB", big, "", "image/png", false, 413, "body_too_large"},
			{"11 MiB chunked", big, "", "image/png", true, 413, "body_too_large"},
			{"11 MiB in multipart", big, "big.png", "", false, 413, "body_too_large"},
			{"bad query", imagingtest.PNG(4, 4), "", "image/png", false, 400, "unknown_parameter"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				for _, path := range []string{"/api/v1/clients/" + client + "/logo", "/api/v1/contacts/" + contact + "/image"} {
					owner := strings.TrimSuffix(strings.TrimSuffix(path, "/logo"), "/image")
					snap := e.snapshot(owner, e.admin)
					var r *response
					switch {
					case tc.chunked:
						req, _ := http.NewRequest("PUT", e.srv.URL+path, vChunked{bytes.NewReader(tc.data)})
						req.Header.Set("Authorization", "Bearer "+e.admin)
						req.Header.Set("Content-Type", tc.ctype)
						r = e.send(req)
					case tc.code == "unknown_parameter":
						r = e.upload(path+"?x=1", e.admin, tc.data, tc.part, tc.ctype)
					default:
						r = e.upload(path, e.admin, tc.data, tc.part, tc.ctype)
					}
					r.wantError(tc.status, tc.code, "")
					if e.snapshot(owner, e.admin) != snap {
						t.Errorf("%s changed", owner)
					}
				}
				if n := stored(t, blobs); n != 0 {
					t.Errorf("%d files stored by a rejected upload", n)
				}
			})
		}
		m := string(e.do("GET", "/metrics", "", nil).want(http.StatusOK).Body)
		for _, want := range []string{`clientele_uploads_total{result="too_large"} 6`,
			`clientele_uploads_total{result="unsupported"} 6`} {
			if !strings.Contains(m, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		if strings.Contains(m, `clientele_uploads_total{result="ok"}`) {
			t.Error("/metrics counts a rejected upload as ok")
		}
	})
}

func TestImageMultipartWithoutFile(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open openStore) {
		e := newEnv(t, open)
		e.svc.UseFiles(filestest.Dir(t))
		client := e.createClient(e.admin, map[string]any{"name": "Acme"})
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("image", "not the file part")
		mw.Close()
		req, _ := http.NewRequest("PUT", e.srv.URL+"/api/v1/clients/"+client+"/logo", &b)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+e.admin)
		e.send(req).wantError(http.StatusBadRequest, "missing_file", "")
		req, _ = http.NewRequest("PUT", e.srv.URL+"/api/v1/clients/"+client+"/logo", strings.NewReader("--x\r\nbroken"))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		req.Header.Set("Authorization", "Bearer "+e.admin)
		e.send(req).wantError(http.StatusBadRequest, "malformed_multipart", "")
	})
}

func TestImageTenancy(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open openStore) {
		e := newEnv(t, open)
		blobs := filestest.Dir(t)
		e.svc.UseFiles(blobs)
		other, _ := e.newCompany("other")
		client := e.createClient(e.admin, map[string]any{"name": "Acme"})
		contact := e.createContact(e.admin, client, map[string]any{"first_name": "Ada"})
		logo := imageURLs(t, e.upload("/api/v1/clients/"+client+"/logo", e.admin, imagingtest.PNG(20, 20), "", "").want(http.StatusOK).attrs()["logo"])
		img := imageURLs(t, e.upload("/api/v1/contacts/"+contact+"/image", e.admin, imagingtest.PNG(20, 20), "", "").want(http.StatusOK).attrs()["image"])
		snapClient, snapContact := e.snapshot("/api/v1/clients/"+client, e.admin), e.snapshot("/api/v1/contacts/"+contact, e.admin)
		for _, path := range []string{"/api/v1/clients/" + client + "/logo", "/api/v1/contacts/" + contact + "/image",
			"/api/v1/clients/999999/logo", "/api/v1/contacts/999999/image", "/api/v1/clients/x/logo"} {
			e.upload(path, other, imagingtest.PNG(20, 20), "", "").wantError(http.StatusNotFound, "not_found", "")
			e.do("DELETE", path, other, nil).wantError(http.StatusNotFound, "not_found", "")
		}
		e.upload("/api/v1/clients/"+client+"/logo", "", imagingtest.PNG(20, 20), "", "").want(http.StatusUnauthorized)
		if e.snapshot("/api/v1/clients/"+client, e.admin) != snapClient || e.snapshot("/api/v1/contacts/"+contact, e.admin) != snapContact {
			t.Error("another company changed the records")
		}
		e.wantImage(logo, "image/png")
		e.wantImage(img, "image/png")
		if n := stored(t, blobs); n != 8 {
			t.Errorf("%d files stored, want 8", n)
		}
	})
}

func TestServeFile(t *testing.T) {
	forEachFiles(t, func(t *testing.T, e *env, blobs clientele.Files) {
		client := e.createClient(e.admin, map[string]any{"name": "Acme"})
		urls := imageURLs(t, e.upload("/api/v1/clients/"+client+"/logo", e.admin, imagingtest.PNG(300, 300), "", "").want(http.StatusOK).attrs()["logo"])
		r := e.fetch(urls[1]).want(http.StatusOK)
		for h, want := range map[string]string{
			"Content-Type": "image/png", "Cache-Control": "public, max-age=31536000, immutable",
			"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'",
			"Content-Length": fmt.Sprint(len(r.Body)), "Accept-Ranges": "bytes",
		} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s: %q, want %q", h, got, want)
			}
		}
		etag, lm := r.Header.Get("ETag"), r.Header.Get("Last-Modified")
		if etag == "" || lm == "" {
			t.Fatalf("ETag %q, Last-Modified %q", etag, lm)
		}
		e.fetch(urls[1], "If-None-Match", etag).want(http.StatusNotModified)
		part := e.fetch(urls[1], "Range", "bytes=0-7").want(http.StatusPartialContent)
		if string(part.Body) != "\x89PNG\r\n\x1a\n" || part.Header.Get("Content-Range") != fmt.Sprintf("bytes 0-7/%d", len(r.Body)) {
			t.Errorf("range: %q, %q", part.Body, part.Header.Get("Content-Range"))
		}
		req, _ := http.NewRequest("HEAD", e.srv.URL+urls[0], nil)
		if h := e.send(req).want(http.StatusOK); len(h.Body) != 0 || h.Header.Get("Content-Type") != "image/png" {
			t.Errorf("HEAD: %q %q", h.Body, h.Header.Get("Content-Type"))
		}
		key := strings.Split(urls[0], "/")[2]
		if len(key) < 32 {
			t.Errorf("key %q has fewer than 128 bits", key)
		}
		for _, u := range []string{"/files/" + key + "/huge", "/files/" + key + "/", "/files/" + clientele.NewImageKey() + "/small",
			"/files/" + strings.ToUpper(key) + "/small", "/files/..%2f..%2fetc/passwd", "/files/" + key + "/.tmp-1"} {
			if r := e.fetch(u); r.Status != http.StatusNotFound {
				t.Errorf("%s: %d", u, r.Status)
			}
		}
		e.do("POST", urls[0], "", nil).want(http.StatusMethodNotAllowed)
	})
}

// failingStore fails every write transaction while fail is set, after fn
// has run: like a crash, or a commit that the database refuses, between the
// file writes and the commit that would reference them.
type failingStore struct {
	clientele.Store
	fail atomic.Bool
}

func (s *failingStore) Write(ctx context.Context, fn func(clientele.Tx) error) error {
	return s.Store.Write(ctx, func(tx clientele.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if s.fail.Load() {
			return errors.New("simulated crash before commit")
		}
		return nil
	})
}

func TestImageWriteOrder(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open openStore) {
		for _, st := range filestest.Stores {
			t.Run(st.Name, func(t *testing.T) {
				var fs *failingStore
				e := newEnv(t, func(tb testing.TB) clientele.Store { fs = &failingStore{Store: open(tb)}; return fs })
				blobs := st.Open(t)
				e.svc.UseFiles(blobs)
				client := e.createClient(e.admin, map[string]any{"name": "Acme"})
				logo := imageURLs(t, e.upload("/api/v1/clients/"+client+"/logo", e.admin, imagingtest.PNG(80, 80), "", "").want(http.StatusOK).attrs()["logo"])

				fs.fail.Store(true)
				e.upload("/api/v1/clients/"+client+"/logo", e.admin, imagingtest.JPEG(80, 80), "", "").want(http.StatusInternalServerError)
				e.do("DELETE", "/api/v1/clients/"+client, e.admin, nil).want(http.StatusInternalServerError)
				fs.fail.Store(false)

				// The row still points at the old logo, whose files are all there.
				got := imageURLs(t, e.do("GET", "/api/v1/clients/"+client, e.admin, nil).want(http.StatusOK).attrs()["logo"])
				if got[0] != logo[0] {
					t.Fatalf("logo %v after the failed upload, want %v", got, logo)
				}
				e.wantImage(logo, "image/png")
				if n := stored(t, blobs); n != 8 {
					t.Fatalf("%d files stored, want the old logo's 4 and the orphaned upload's 4", n)
				}

				// Within the grace period the sweep keeps the orphan (its
				// upload might still commit); after it, only the orphan goes.
				if n, err := e.svc.SweepFiles(context.Background(), time.Hour); err != nil || n != 0 {
					t.Fatalf("sweep within grace deleted %d (%v)", n, err)
				}
				if n, err := e.svc.SweepFiles(context.Background(), -time.Second); err != nil || n != 1 {
					t.Fatalf("sweep after grace deleted %d keys (%v), want the orphan", n, err)
				}
				if n := stored(t, blobs); n != 4 {
					t.Errorf("%d files after the sweep, want the logo's 4", n)
				}
				e.wantImage(logo, "image/png")
			})
		}
	})
}

// An upload and a removal change the record's ETag like any other write, and
// the upload's answer carries the new one.
func TestImageETag(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open openStore) {
		e := newEnv(t, open)
		e.svc.UseFiles(filestest.Stores[0].Open(t))
		client := e.createClient(e.admin, map[string]any{"name": "Acme"})
		path := "/api/v1/clients/" + client
		before := e.do("GET", path, e.admin, nil).want(http.StatusOK).Header.Get("ETag")
		up := e.upload(path+"/logo", e.admin, imagingtest.PNG(8, 8), "", "image/png").want(http.StatusOK)
		tag := up.Header.Get("ETag")
		if tag == "" || tag == before {
			t.Fatalf("upload ETag %q, before %q", tag, before)
		}
		if got := e.do("GET", path, e.admin, nil).want(http.StatusOK).Header.Get("ETag"); got != tag {
			t.Errorf("GET ETag %q after the upload answered %q", got, tag)
		}
		// If-Match holds for the image as for the record: stale → 412 and
		// nothing changes, malformed → 400, current → done.
		png := imagingtest.PNG(9, 9)
		e.upload(path+"/logo", e.admin, png, "", "image/png", "If-Match", before).
			wantError(http.StatusPreconditionFailed, "precondition_failed", "")
		e.doWith("DELETE", path+"/logo", e.admin, nil, "If-Match", before).
			wantError(http.StatusPreconditionFailed, "precondition_failed", "")
		e.doWith("DELETE", path+"/logo", e.admin, nil, "If-Match", "nonsense").
			wantError(http.StatusBadRequest, "invalid_precondition", "")
		if got := e.do("GET", path, e.admin, nil).want(http.StatusOK).Header.Get("ETag"); got != tag {
			t.Errorf("refused writes changed the client: ETag %q, want %q", got, tag)
		}
		e.doWith("DELETE", path+"/logo", e.admin, nil, "If-Match", tag).want(http.StatusNoContent)
		e.doWith("PATCH", path, e.admin, resourceDoc("clients", map[string]any{"notes": "x"}, nil), "If-Match", tag).
			wantError(http.StatusPreconditionFailed, "precondition_failed", "")
		contact := e.createContact(e.admin, client, map[string]any{"first_name": "Ada"})
		ctag := e.do("GET", "/api/v1/contacts/"+contact, e.admin, nil).want(http.StatusOK).Header.Get("ETag")
		e.upload("/api/v1/contacts/"+contact+"/image", e.admin, png, "", "image/png", "If-Match", ctag).want(http.StatusOK)
		e.upload("/api/v1/contacts/"+contact+"/image", e.admin, png, "", "image/png", "If-Match", ctag).
			wantError(http.StatusPreconditionFailed, "precondition_failed", "")
	})
}
