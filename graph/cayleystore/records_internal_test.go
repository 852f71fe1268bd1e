package cayleystore

import (
	"context"
	"fmt"
	"testing"
)

// countingSide is a sideKV over a map that counts the keys it is asked.
type countingSide struct {
	m     map[string][]byte
	asked int
}

func (c *countingSide) get(_ context.Context, keys [][]byte) ([][]byte, error) {
	out := make([][]byte, len(keys))
	for i, k := range keys {
		c.asked++
		out[i] = c.m[string(k)]
	}
	return out, nil
}

func (c *countingSide) scan(context.Context, []byte, int, func(k, v []byte) bool) error { return nil }

func recKey(i int) []byte { return []byte(fmt.Sprintf("%sdoc/%d", sideRecord, i)) }

func TestRecordCache(t *testing.T) {
	ctx := context.Background()
	side := &countingSide{m: map[string][]byte{}}
	for i := range 10 {
		side.m[string(recKey(i))] = []byte(fmt.Sprintf("record %d", i))
	}
	c := newRecordCache(1 << 20)
	keys := [][]byte{recKey(1), recKey(2), recKey(99)}
	for round := range 2 {
		vals, err := c.read(ctx, side, keys)
		if err != nil {
			t.Fatal(err)
		}
		if string(vals[0]) != "record 1" || string(vals[1]) != "record 2" || vals[2] != nil {
			t.Fatalf("round %d: %q", round, vals)
		}
	}
	if side.asked != 4 { // 3, then the absent one again
		t.Errorf("the side was asked %d keys, want 4: records read once, absent ones every time", side.asked)
	}

	// A write that changes a record: the next read sees the new one.
	side.m[string(recKey(1))] = []byte("record 1, replaced")
	c.forget(sideOps{dels: [][]byte{recKey(1)}})
	c.forget(sideOps{puts: []sidePair{{recKey(1), side.m[string(recKey(1))]}}})
	if vals, _ := c.read(ctx, side, keys[:1]); string(vals[0]) != "record 1, replaced" {
		t.Errorf("after a replacement: %q", vals[0])
	}

	// A read that started before a write deleting records keeps nothing
	// of what it read.
	missing, gen := c.get([][]byte{recKey(3)}, make([][]byte, 1))
	if len(missing) != 1 {
		t.Fatalf("record 3 cached before it was read")
	}
	stale := side.m[string(recKey(3))]
	delete(side.m, string(recKey(3)))
	c.forget(sideOps{dels: [][]byte{recKey(3)}})
	c.add(gen, [][]byte{recKey(3)}, [][]byte{stale})
	if vals, _ := c.read(ctx, side, [][]byte{recKey(3)}); vals[0] != nil {
		t.Errorf("a deleted record read from the cache: %q", vals[0])
	}

	// A put of a cached record (never done by the store, which deletes
	// first) also stops reads in flight.
	_, gen = c.get([][]byte{recKey(2)}, make([][]byte, 1))
	c.forget(sideOps{puts: []sidePair{{recKey(2), []byte("record 2, new")}}})
	c.add(gen, [][]byte{recKey(4)}, [][]byte{side.m[string(recKey(4))]})
	if _, ok := c.byKey[string(recKey(4))]; ok {
		t.Errorf("a read older than a put of a cached record kept what it read")
	}

	// The size bound: the least recently used go first.
	small := newRecordCache(100) // records of 19 bytes: five fit
	for i := range 10 {
		if _, err := small.read(ctx, side, [][]byte{recKey(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if small.size > 100 || len(small.byKey) == 0 {
		t.Errorf("size %d with %d records, bound 100", small.size, len(small.byKey))
	}
	if _, ok := small.byKey[string(recKey(9))]; !ok {
		t.Errorf("the last record read was evicted")
	}
	if _, ok := small.byKey[string(recKey(0))]; ok {
		t.Errorf("the first record read is still there")
	}

	// A failed write clears everything.
	c.clear()
	if len(c.byKey) != 0 || c.size != 0 {
		t.Errorf("after clear: %d records, %d bytes", len(c.byKey), c.size)
	}
}
