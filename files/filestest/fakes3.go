package filestest

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/files"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// FakeS3 returns a files.S3 over an in-process S3 server (gofakes3) with a
// fresh bucket, stored under a prefix as an installation would.
func FakeS3(t testing.TB) clientele.Files {
	t.Helper()
	backend := s3mem.New()
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	if err := backend.CreateBucket("clientele"); err != nil {
		t.Fatal(err)
	}
	s, err := files.OpenS3(context.Background(), "s3://clientele/images", files.S3Config{
		Endpoint: srv.URL, AccessKey: "test", SecretKey: "test-secret",
		Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Dir returns a files.Dir in a fresh temporary directory.
func Dir(t testing.TB) clientele.Files {
	t.Helper()
	d, err := files.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Stores are both implementations, by name, for tests that run on each.
var Stores = []struct {
	Name string
	Open func(testing.TB) clientele.Files
}{{"dir", Dir}, {"s3", FakeS3}}
