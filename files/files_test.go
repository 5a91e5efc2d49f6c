package files_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/files"
	"github.com/clientele/clientele/files/filestest"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func TestContract(t *testing.T) {
	for _, s := range filestest.Stores {
		t.Run(s.Name, func(t *testing.T) {
			filestest.Run(t, func(t *testing.T) clientele.Files { return s.Open(t) })
		})
	}
}

// A name that would leave the directory is no file at all.
func TestDirRefusesEscapingNames(t *testing.T) {
	root := t.TempDir()
	d, err := files.OpenDir(filepath.Join(root, "files"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "secret"), []byte("x"), 0o600)
	for _, name := range []string{"../secret", "..//secret", "abc/..", "abc/../../secret", `abc\..\..`, "/etc/passwd", "abc"} {
		if _, err := d.Open(context.Background(), name); !clientele.IsNotFound(err) {
			t.Errorf("Open(%q): %v, want NotFound", name, err)
		}
		if err := d.Put(context.Background(), name, []byte("x")); err == nil {
			t.Errorf("Put(%q) succeeded", name)
		}
	}
}

// A temporary file a crash left behind is listed under its key, so that the
// sweep can delete it.
func TestDirListsLeftoverTemporaryFiles(t *testing.T) {
	root := t.TempDir()
	d, err := files.OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	key := clientele.NewImageKey()
	dir := filepath.Join(root, key[:2], key)
	os.MkdirAll(dir, 0o750)
	os.WriteFile(filepath.Join(dir, ".tmp-123"), []byte("half"), 0o600)
	var names []string
	d.List(context.Background(), func(name string, _ time.Time) error { names = append(names, name); return nil })
	if len(names) != 1 || names[0] != key+"/.tmp-123" {
		t.Fatalf("listed %v", names)
	}
	if err := d.Delete(context.Background(), names[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("key directory still there: %v", err)
	}
}

// A bucket that does not exist, or a URL that is not s3://bucket, is
// refused at start rather than at the first upload.
func TestOpenS3Refuses(t *testing.T) {
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	defer srv.Close()
	for _, url := range []string{"s3://missing/prefix", "s3:///prefix", "http://bucket"} {
		_, err := files.OpenS3(context.Background(), url, files.S3Config{Endpoint: srv.URL, AccessKey: "a", SecretKey: "b"})
		if err == nil {
			t.Errorf("OpenS3(%q) succeeded", url)
		}
	}
}
