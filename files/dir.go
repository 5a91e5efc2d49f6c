// Package files keeps image bytes (clientele.Files) in a directory or in an
// S3-compatible bucket.
package files

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/clientele/clientele"
)

// Dir keeps files in a directory: name "key/variant" at
// <root>/<first two characters of key>/key/variant, so that no directory
// holds more than a few thousand entries at a million images.
type Dir struct {
	root string
}

// OpenDir returns the store in root, creating the directory when needed.
func OpenDir(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, err
	}
	return &Dir{root: root}, nil
}

// path maps a name to its file; names that could leave root are refused.
func (d *Dir) path(name string) (string, error) {
	key, variant, ok := strings.Cut(name, "/")
	if !ok || len(key) < 3 || variant == "" || strings.ContainsAny(variant, `/\`) ||
		strings.ContainsAny(key, `/\`) || key[0] == '.' || variant == "." || variant == ".." {
		return "", clientele.ErrNotFound("file")
	}
	return filepath.Join(d.root, key[:2], key, variant), nil
}

// Put writes data to a temporary file beside the target, syncs it, renames
// it into place and syncs the directory, so that after a crash the name
// holds either nothing or all of data.
func (d *Dir) Put(ctx context.Context, name string, data []byte) error {
	p, err := d.path(name)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	_, statErr := os.Stat(dir)
	created := statErr != nil // the key's directory (and maybe its shard's) is new
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	// The new directory entries: the file's in the key's directory and,
	// when those directories are new, theirs in the shard and the root.
	if err := syncDir(dir); err != nil || !created {
		return err
	}
	if err := syncDir(filepath.Dir(dir)); err != nil {
		return err
	}
	return syncDir(d.root)
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Open returns the file called name. NotFound.
func (d *Dir) Open(ctx context.Context, name string) (clientele.File, error) {
	p, err := d.path(name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, clientele.ErrNotFound("file")
	}
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, clientele.ErrNotFound("file")
	}
	return dirFile{f, st}, nil
}

type dirFile struct {
	*os.File
	st fs.FileInfo
}

func (f dirFile) Size() int64        { return f.st.Size() }
func (f dirFile) ModTime() time.Time { return f.st.ModTime() }

// Delete removes the file called name, and its key's directory once empty.
func (d *Dir) Delete(ctx context.Context, name string) error {
	p, err := d.path(name)
	if err != nil {
		return nil
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	os.Remove(filepath.Dir(p)) // fails while other variants remain, as it should
	return nil
}

// List walks the directory; a temporary file left by a crash is listed by
// its own name ("key/.tmp-…"), so that the sweep removes it with its key.
func (d *Dir) List(ctx context.Context, fn func(name string, modified time.Time) error) error {
	return filepath.WalkDir(d.root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) { // deleted while we walk
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !e.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(d.root, p)
		if err != nil {
			return err
		}
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if len(parts) != 3 {
			return nil
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		return fn(parts[1]+"/"+parts[2], info.ModTime())
	})
}
