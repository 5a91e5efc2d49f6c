package argon2id

import (
	"context"
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	ctx := context.Background()
	h := New(Params{MemoryKiB: 64, Time: 1, Threads: 1}, 2)
	enc, err := h.Hash(ctx, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("encoding %q", enc)
	}
	if ok, err := h.Verify(ctx, enc, "correct horse"); !ok || err != nil {
		t.Fatalf("Verify(right) = %v, %v", ok, err)
	}
	if ok, err := h.Verify(ctx, enc, "correct horsE"); ok || err != nil {
		t.Fatalf("Verify(wrong) = %v, %v", ok, err)
	}
	again, _ := h.Hash(ctx, "correct horse")
	if again == enc {
		t.Fatal("two hashes of one password are equal: salt is not random")
	}
	// A hash made with other parameters still verifies: they travel in the string.
	if ok, _ := New(Default, 1).Verify(ctx, enc, "correct horse"); !ok {
		t.Fatal("Verify with other default params failed")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", enc + "$", "plain"} {
		if _, err := h.Verify(ctx, bad, "x"); err == nil {
			t.Errorf("Verify(%q) accepted a malformed hash", bad)
		}
	}
}

func TestDefaultCost(t *testing.T) {
	if Default.MemoryKiB < 19*1024 || Default.Time < 2 {
		t.Fatalf("Default %+v is below 19 MiB, t=2", Default)
	}
}

func TestCancelWhileWaiting(t *testing.T) {
	h := New(Params{MemoryKiB: 64, Time: 1, Threads: 1}, 1)
	h.slots <- struct{}{} // the only slot is busy
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Hash(ctx, "password"); err != context.Canceled {
		t.Fatalf("Hash with a cancelled context = %v, want context.Canceled", err)
	}
}
