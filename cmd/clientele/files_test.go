package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/imaging/imagingtest"
)

// serve keeps uploads under <data-dir>/files, serves them without a token,
// and its sweep deletes files that no record references once they are
// older than --files-grace.
func TestServeFiles(t *testing.T) {
	dir := t.TempDir()
	s := cStartInProcess(t, dir, nil, "--addr", "127.0.0.1:0", "--data-dir", dir,
		"--files-sweep-interval", "100ms", "--files-grace", "1s")
	token := cTokenPattern.FindString(s.Stdout())
	base := "http://" + s.Addr()
	_, body := cDo(t, "POST", base+"/api/v1/clients", token, cClientDoc("Acme"))
	id := cCreatedID(t, string(body))
	status, body := cDo(t, "PUT", base+"/api/v1/clients/"+id+"/logo", token, string(imagingtest.PNG(300, 100)))
	if status != http.StatusOK {
		t.Fatalf("upload: %d %s", status, body)
	}
	var doc struct {
		Data struct {
			Attributes struct {
				Logo struct {
					URL string `json:"url"`
				} `json:"logo"`
			} `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Data.Attributes.Logo.URL == "" {
		t.Fatalf("no logo URL in %s", body)
	}
	key := strings.Split(doc.Data.Attributes.Logo.URL, "/")[2]
	if _, err := os.Stat(filepath.Join(dir, "files", key[:2], key, "original")); err != nil {
		t.Fatalf("the original is not under --data-dir/files: %v", err)
	}
	res, err := cHTTP.Get(base + doc.Data.Attributes.Logo.URL)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.HasPrefix(raw, []byte("\x89PNG")) {
		t.Fatalf("GET %s: %d", doc.Data.Attributes.Logo.URL, res.StatusCode)
	}

	// An orphan, as a crash between storing and committing leaves one.
	orphan := clientele.NewImageKey()
	path := filepath.Join(dir, "files", orphan[:2], orphan, "original")
	os.MkdirAll(filepath.Dir(path), 0o750)
	os.WriteFile(path, []byte("orphan"), 0o600)
	deadline := time.Now().Add(cTimeout)
	for {
		if _, err := os.Stat(path); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sweep left the orphan; log:\n%s", s.Stderr())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Join(dir, "files", key[:2], key, "original")); err != nil {
		t.Fatalf("the sweep deleted the logo: %v", err)
	}
}

func TestServeFilesURLRefused(t *testing.T) {
	for _, url := range []string{"ftp://bucket/x", "s3://", "/some/dir"} {
		dir := t.TempDir()
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir,
			"--files-url", url}, cEnv(nil), &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), "s3://bucket/prefix") {
			t.Errorf("--files-url %s: %v", url, err)
		}
	}
}
