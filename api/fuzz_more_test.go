package api_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clientele/clientele/api"
	"github.com/clientele/clientele/files"
	"github.com/clientele/clientele/imaging/imagingtest"
)

// FuzzPortalLogin sends any body to the portal login: never a 5xx, a 4xx is
// an error document, and a 200 only for the one contact's right password.
func FuzzPortalLogin(f *testing.F) {
	a := newFuzzAPI(f)
	status, raw := a.do("POST", api.Base+"/contacts", `{"data":{"type":"contacts","attributes":{"first_name":"Pat",`+
		`"email":"pat@fuzz.example","portal_access":true,"password":"`+portalPassword+`"},`+
		`"relationships":{"client":{"data":{"type":"clients","id":"1"}}}}}`)
	if status != http.StatusCreated {
		f.Fatalf("setting up the portal contact: %d %s", status, raw)
	}
	right := `{"company":"fuzz","email":"pat@fuzz.example","password":"` + portalPassword + `"}`
	f.Add(right)
	f.Add(`{"company":"fuzz","email":"PAT@fuzz.example","password":"wrong"}`)
	f.Add(`{"company":"fuzz","email":"ann@fuzz.example","password":"` + portalPassword + `"}`)
	f.Add(`{"company":1,"email":null}`)
	f.Add(`{"company":"fuzz","email":"pat@fuzz.example","password":"x","extra":true}`)
	f.Add(`[]`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", api.Base+"/portal/login", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		a.h.ServeHTTP(rec, req)
		switch {
		case rec.Code == http.StatusOK:
			if !strings.Contains(body, portalPassword) {
				t.Fatalf("signed in without the password: %s", body)
			}
		case rec.Code == http.StatusUnauthorized || rec.Code == http.StatusTooManyRequests:
			// 401 and 429 name no field on purpose: they must not tell what was wrong.
			fuzzErrors(t, rec.Code, rec.Body.Bytes())
		default:
			fuzzErrors(t, rec.Code, rec.Body.Bytes(), "empty_body", "invalid_json")
		}
	})
}

// FuzzImageUpload sends any bytes to the logo upload as a raw image body
// (mode 0), as the file part of a well-formed multipart body (1), or as a
// whole multipart body (2): never a 5xx, and a 4xx is an error document.
func FuzzImageUpload(f *testing.F) {
	a := newFuzzAPI(f)
	store, err := files.OpenDir(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	a.svc.UseFiles(store)
	f.Add(imagingtest.PNG(4, 4), uint8(0))
	f.Add(imagingtest.PNG(4, 4), uint8(1))
	f.Add(imagingtest.GIF(3, 2), uint8(1))
	f.Add([]byte("<svg/>"), uint8(0))
	f.Add([]byte{}, uint8(1))
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\nGIF89a\r\n--b--\r\n"), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		body, ct := data, "application/octet-stream"
		switch mode % 3 {
		case 1:
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			w, _ := mw.CreateFormFile("file", "x")
			w.Write(data)
			mw.Close()
			body, ct = b.Bytes(), mw.FormDataContentType()
		case 2:
			ct = "multipart/form-data; boundary=b"
		}
		req := httptest.NewRequest("PUT", api.Base+"/clients/"+a.ids["clients"]+"/logo", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+a.token)
		rec := httptest.NewRecorder()
		a.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			fuzzErrors(t, rec.Code, rec.Body.Bytes(), "empty_body", "missing_file", "malformed_multipart",
				"invalid_image", "image_too_large", "unsupported_image_type")
		}
	})
}
