// Package filestest is the contract suite every clientele.Files
// implementation passes: files.Dir and files.S3 run it.
package filestest

import (
	"bytes"
	"context"
	"io"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele"
)

// Run runs the contract against fresh, empty stores made by open.
func Run(t *testing.T, open func(t *testing.T) clientele.Files) {
	ctx := context.Background()
	t.Run("put then open reads the bytes, size and time back, with seeking", func(t *testing.T) {
		f := open(t)
		key := clientele.NewImageKey()
		data := bytes.Repeat([]byte("0123456789"), 1000)
		before := time.Now().Add(-2 * time.Second) // stores round times to the second
		put(t, f, clientele.FileName(key, "original"), data)
		r, err := f.Open(ctx, clientele.FileName(key, "original"))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if r.Size() != int64(len(data)) {
			t.Errorf("size %d, want %d", r.Size(), len(data))
		}
		if m := r.ModTime(); m.Before(before) || m.After(time.Now().Add(2*time.Second)) {
			t.Errorf("modified %v, not about now", m)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read %d bytes (%v), want the %d put", len(got), err, len(data))
		}
		if _, err := r.Seek(9995, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		tail, err := io.ReadAll(r)
		if err != nil || string(tail) != "56789" {
			t.Errorf("after seeking: %q, %v", tail, err)
		}
	})

	t.Run("a missing file is NotFound", func(t *testing.T) {
		f := open(t)
		_, err := f.Open(ctx, clientele.FileName(clientele.NewImageKey(), "small"))
		if !clientele.IsNotFound(err) {
			t.Fatalf("got %v, want NotFound", err)
		}
	})

	t.Run("put replaces", func(t *testing.T) {
		f := open(t)
		name := clientele.FileName(clientele.NewImageKey(), "small")
		put(t, f, name, []byte("first"))
		put(t, f, name, []byte("second"))
		if got := read(t, f, name); got != "second" {
			t.Errorf("got %q", got)
		}
	})

	t.Run("delete removes one file; deleting a missing one is fine", func(t *testing.T) {
		f := open(t)
		key := clientele.NewImageKey()
		put(t, f, clientele.FileName(key, "small"), []byte("s"))
		put(t, f, clientele.FileName(key, "large"), []byte("l"))
		if err := f.Delete(ctx, clientele.FileName(key, "small")); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Open(ctx, clientele.FileName(key, "small")); !clientele.IsNotFound(err) {
			t.Errorf("deleted file: %v, want NotFound", err)
		}
		if got := read(t, f, clientele.FileName(key, "large")); got != "l" {
			t.Errorf("the other variant: %q", got)
		}
		if err := f.Delete(ctx, clientele.FileName(key, "small")); err != nil {
			t.Errorf("second delete: %v", err)
		}
		if err := f.Delete(ctx, clientele.FileName(clientele.NewImageKey(), "small")); err != nil {
			t.Errorf("never stored: %v", err)
		}
	})

	t.Run("list names every stored file with its time", func(t *testing.T) {
		f := open(t)
		var want []string
		for range 3 {
			key := clientele.NewImageKey()
			for _, v := range clientele.ImageVariants {
				put(t, f, clientele.FileName(key, v), []byte(v))
				want = append(want, clientele.FileName(key, v))
			}
		}
		if err := f.Delete(ctx, want[0]); err != nil {
			t.Fatal(err)
		}
		want = want[1:]
		var got []string
		err := f.List(ctx, func(name string, modified time.Time) error {
			got = append(got, name)
			if time.Since(modified) > time.Minute {
				t.Errorf("%s modified %v", name, modified)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("listed %v\nwant %v", got, want)
		}
		stop := io.ErrShortBuffer
		if err := f.List(ctx, func(string, time.Time) error { return stop }); err != stop {
			t.Errorf("List returned %v, not fn's error", err)
		}
	})

	t.Run("concurrent puts of different names all land", func(t *testing.T) {
		f := open(t)
		key := clientele.NewImageKey()
		var wg sync.WaitGroup
		for _, v := range clientele.ImageVariants {
			wg.Go(func() { put(t, f, clientele.FileName(key, v), []byte(v)) })
		}
		wg.Wait()
		for _, v := range clientele.ImageVariants {
			if got := read(t, f, clientele.FileName(key, v)); got != v {
				t.Errorf("%s: %q", v, got)
			}
		}
	})
}

func put(t *testing.T, f clientele.Files, name string, data []byte) {
	t.Helper()
	if err := f.Put(context.Background(), name, data); err != nil {
		t.Errorf("put %s: %v", name, err)
	}
}

func read(t *testing.T, f clientele.Files, name string) string {
	t.Helper()
	r, err := f.Open(context.Background(), name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
