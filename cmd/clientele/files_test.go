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
// older than --files-grace (an hour by default).
func TestServeFiles(t *testing.T) {
	dir := t.TempDir()
	s := cStartInProcess(t, dir, nil, "--addr", "127.0.0.1:0", "--data-dir", dir,
		"--files-sweep-interval", "100ms")
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
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
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

// A sweep grace shorter than an upload may take to commit, and values that
// are not durations or sizes, are refused before anything starts.
func TestServeFileFlagsRefused(t *testing.T) {
	for _, tc := range []struct{ flag, value, want string }{
		{"--files-grace", "1s", "--files-grace"},
		{"--files-grace", "soon", "--files-grace"},
		{"--files-sweep-interval", "-1m", "--files-sweep-interval"},
		{"--image-memory", "0", "--image-memory"},
		{"--image-memory", "lots", "--image-memory"},
	} {
		dir := t.TempDir()
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir,
			tc.flag, tc.value}, cEnv(nil), &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: %v", tc.flag, tc.value, err)
		}
	}
	// The environment sets them too.
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir()},
		cEnv(map[string]string{"CLIENTELE_FILES_GRACE": "5m"}), &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "--files-grace") {
		t.Errorf("CLIENTELE_FILES_GRACE=5m: %v", err)
	}
}
