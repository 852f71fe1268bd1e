package badger4

import (
	"fmt"
	"testing"
)

func TestFilter(t *testing.T) {
	f := newFilter(1<<20, 1<<20) // 8 Mbit: 8 bits per key for the 1 Mi keys below
	f.ready.Store(true)
	const n = 1 << 20
	for i := 0; i < n; i++ {
		f.add(fmt.Appendf(nil, "sp/key %d", i))
	}
	for i := 0; i < n; i++ {
		if f.absent(fmt.Appendf(nil, "sp/key %d", i)) {
			t.Fatalf("key %d added but reported absent", i)
		}
	}
	fp := 0
	for i := n; i < 2*n; i++ {
		if !f.absent(fmt.Appendf(nil, "sp/key %d", i)) {
			fp++
		}
	}
	rate := float64(fp) / n
	t.Logf("false positive rate at 8 bits per key: %.4f", rate)
	if rate > 0.05 {
		t.Fatalf("false positive rate %.4f", rate)
	}
	if newFilter(1000, 1000) != nil {
		t.Fatal("tiny filter should be nil")
	}
	var none *filter
	none.add([]byte("k"))
	if none.absent([]byte("k")) {
		t.Fatal("nil filter reported a key absent")
	}
}

// TestFilterGrows checks that a filter given more keys than its first
// segment holds grows, keeps every key, and keeps its false positive rate
// low; and that at its bound it stops growing.
func TestFilterGrows(t *testing.T) {
	f := newFilter(1<<16, 1<<22) // 64 KiB, then up to 4 MiB
	f.ready.Store(true)
	const n = 2 << 20 // 2 Mi keys: 32 times what the first segment holds
	for i := 0; i < n; i++ {
		f.add(fmt.Appendf(nil, "ops/key %d", i))
	}
	if got := len(*f.segs.Load()); got < 5 {
		t.Fatalf("%d segments after %d keys", got, n)
	}
	if f.size() > 1<<22 {
		t.Fatalf("filter grew to %d bytes, past its bound", f.size())
	}
	for i := 0; i < n; i++ {
		if f.absent(fmt.Appendf(nil, "ops/key %d", i)) {
			t.Fatalf("key %d added but reported absent", i)
		}
	}
	fp := 0
	for i := n; i < 2*n; i++ {
		if !f.absent(fmt.Appendf(nil, "ops/key %d", i)) {
			fp++
		}
	}
	rate := float64(fp) / n
	t.Logf("%d segments, %d bytes, false positive rate %.4f", len(*f.segs.Load()), f.size(), rate)
	if rate > 0.05 {
		t.Fatalf("false positive rate %.4f", rate)
	}
	segs := len(*f.segs.Load())
	for i := 0; i < n; i++ {
		f.add(fmt.Appendf(nil, "more %d", i))
	}
	if len(*f.segs.Load()) > segs+1 || f.size() > 1<<22 {
		t.Fatalf("grew past its bound: %d segments, %d bytes", len(*f.segs.Load()), f.size())
	}
}
