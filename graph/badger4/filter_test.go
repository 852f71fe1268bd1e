package badger4

import (
	"fmt"
	"testing"
)

func TestFilter(t *testing.T) {
	f := newFilter(1 << 20) // 8 Mbit: 8 bits per key for the 1 Mi keys below
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
	if newFilter(1000) != nil {
		t.Fatal("tiny filter should be nil")
	}
	var none *filter
	none.add([]byte("k"))
	if none.absent([]byte("k")) {
		t.Fatal("nil filter reported a key absent")
	}
}
