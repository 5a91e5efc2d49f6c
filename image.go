package clientele

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"time"
)

// Image is an uploaded picture, a client's logo or a contact's image: every
// variant in ImageVariants is stored in the Files under FileName(Key, variant).
// Uploads never change the bytes under a key; a new upload gets a new key.
type Image struct {
	Key string
}

// Image variants: the re-encoded original and thumbnails that fit within
// 64×64, 256×256 and 1024×1024.
const (
	VariantOriginal = "original"
	VariantSmall    = "small"
	VariantMedium   = "medium"
	VariantLarge    = "large"
)

// ImageVariants lists the variants every Image has.
var ImageVariants = []string{VariantOriginal, VariantSmall, VariantMedium, VariantLarge}

// ImageUpload is a processed upload: the encoded bytes of every variant in
// ImageVariants. The adapter that decodes and re-encodes the upload (package
// imaging) makes it; the Service stores it.
type ImageUpload map[string][]byte

// NewImageKey returns a fresh key: 128 random bits as 32 lower-case hex
// digits, so that file URLs cannot be guessed.
func NewImageKey() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// ValidImageKey reports whether key has the form NewImageKey makes.
func ValidImageKey(key string) bool {
	if len(key) != 32 {
		return false
	}
	for _, c := range key {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// FileName is the name of an image variant in the Files: "key/variant".
func FileName(key, variant string) string { return key + "/" + variant }

// Files is where image bytes live: a directory or an S3-compatible bucket.
// Names are FileName's.
type Files interface {
	// Put stores data under name, replacing what was there; when Put
	// returns nil the bytes are durable.
	Put(ctx context.Context, name string, data []byte) error
	// Open returns the file called name. NotFound when there is none.
	Open(ctx context.Context, name string) (File, error)
	// Delete removes the file called name; a missing file is not an error.
	Delete(ctx context.Context, name string) error
	// List calls fn with every stored file's name and modification time
	// until fn returns an error, which List then returns.
	List(ctx context.Context, fn func(name string, modified time.Time) error) error
}

// File is an open stored file.
type File interface {
	io.ReadSeekCloser
	Size() int64
	ModTime() time.Time
}
