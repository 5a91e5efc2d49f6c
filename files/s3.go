package files

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/clientele/clientele"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 keeps files as objects "<prefix>key/variant" in an S3-compatible bucket,
// for installations with several nodes.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string // "" or ending in "/"
}

// S3Config is how to reach the bucket.
type S3Config struct {
	Endpoint  string // host[:port] or an http:// or https:// URL; "" is s3.amazonaws.com
	AccessKey string
	SecretKey string
	Region    string
	Insecure  bool // plain HTTP, for a local MinIO
}

// OpenS3 returns the store that rawURL ("s3://bucket/prefix") names. The
// bucket must exist.
func OpenS3(ctx context.Context, rawURL string, cfg S3Config) (*S3, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return nil, fmt.Errorf("files: %q is not s3://bucket/prefix", rawURL)
	}
	endpoint, secure := cfg.Endpoint, !cfg.Insecure
	if rest, ok := strings.CutPrefix(endpoint, "http://"); ok {
		endpoint, secure = rest, false
	} else if rest, ok := strings.CutPrefix(endpoint, "https://"); ok {
		endpoint, secure = rest, true
	}
	endpoint = strings.TrimSuffix(endpoint, "/")
	if endpoint == "" {
		endpoint = "s3.amazonaws.com"
	}
	var creds *credentials.Credentials
	if cfg.AccessKey != "" {
		creds = credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, "")
	} else {
		creds = credentials.NewIAM("")
	}
	client, err := minio.New(endpoint, &minio.Options{Creds: creds, Secure: secure, Region: cfg.Region,
		BucketLookup: minio.BucketLookupPath})
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	prefix := strings.Trim(u.Path, "/")
	if prefix != "" {
		prefix += "/"
	}
	s := &S3{client: client, bucket: u.Host, prefix: prefix}
	ok, err := client.BucketExists(ctx, s.bucket)
	if err != nil {
		return nil, fmt.Errorf("files: bucket %s: %w", s.bucket, err)
	}
	if !ok {
		return nil, fmt.Errorf("files: bucket %s does not exist", s.bucket)
	}
	return s, nil
}

// Put uploads data in one request; S3 stores an object whole or not at all,
// and a successful PUT is durable.
func (s *S3) Put(ctx context.Context, name string, data []byte) error {
	_, err := s.client.PutObject(ctx, s.bucket, s.prefix+name, bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{ContentType: http.DetectContentType(data),
			CacheControl: "public, max-age=31536000, immutable"})
	return err
}

// Open stats the object (NotFound when it is missing) and returns a reader
// that fetches the ranges it is asked for.
func (s *S3) Open(ctx context.Context, name string) (clientele.File, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, s.prefix+name, minio.GetObjectOptions{})
	if err != nil {
		return nil, err
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
			return nil, clientele.ErrNotFound("file")
		}
		return nil, err
	}
	return s3File{obj, st}, nil
}

type s3File struct {
	*minio.Object
	st minio.ObjectInfo
}

func (f s3File) Size() int64        { return f.st.Size }
func (f s3File) ModTime() time.Time { return f.st.LastModified }

// Delete removes the object; S3 answers success for a missing one.
func (s *S3) Delete(ctx context.Context, name string) error {
	return s.client.RemoveObject(ctx, s.bucket, s.prefix+name, minio.RemoveObjectOptions{})
}

// List lists the objects under the prefix.
func (s *S3) List(ctx context.Context, fn func(name string, modified time.Time) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the listing goroutine when fn ends the walk early
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if obj.Err != nil {
			return obj.Err
		}
		if err := fn(strings.TrimPrefix(obj.Key, s.prefix), obj.LastModified); err != nil {
			return err
		}
	}
	return ctx.Err()
}
