package cayleystore

import (
	"bytes"
	"container/list"
	"context"
	"sync"
)

// recordCache keeps the index records of statements read most recently.
// The linker reads the records of a few hundred candidate statements for
// each document it links, and the same statements come back for many
// documents (the same claims are repeated across outlets), while each
// read from Badger costs more as its tables grow. The cache holds the
// records' bytes, not their decoding, so that no caller can change what
// another reads. Only a store written by this process alone keeps one
// (Badger): a write forgets the records it puts or deletes.
type recordCache struct {
	mu    sync.Mutex
	gen   uint64 // counts writes that forgot records
	size  int    // bytes held, keys and values
	max   int
	ll    list.List // most recently used first
	byKey map[string]*list.Element
}

type cachedRecord struct {
	key string
	val []byte
}

// recordCacheBytes bounds the memory of the cache: at about 1.5 kB a
// record, some 90,000 records.
const recordCacheBytes = 128 << 20

func newRecordCache(max int) *recordCache {
	return &recordCache{max: max, byKey: make(map[string]*list.Element)}
}

// read returns the records under keys, nil for absent ones: from the
// cache when it holds them (c may be nil: none), else from side.
func (c *recordCache) read(ctx context.Context, side sideKV, keys [][]byte) ([][]byte, error) {
	if c == nil {
		return side.get(ctx, keys)
	}
	vals := make([][]byte, len(keys))
	missing, gen := c.get(keys, vals)
	if len(missing) == 0 {
		return vals, nil
	}
	mk := make([][]byte, len(missing))
	for i, j := range missing {
		mk[i] = keys[j]
	}
	got, err := side.get(ctx, mk)
	if err != nil {
		return nil, err
	}
	for i, j := range missing {
		vals[j] = got[i]
	}
	c.add(gen, mk, got)
	return vals, nil
}

// get fills vals[i] with the cached record of keys[i], and returns the
// indexes of the keys it does not hold and the generation to pass to add.
func (c *recordCache) get(keys [][]byte, vals [][]byte) (missing []int, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, k := range keys {
		if e, ok := c.byKey[string(k)]; ok {
			c.ll.MoveToFront(e)
			vals[i] = e.Value.(*cachedRecord).val
			continue
		}
		missing = append(missing, i)
	}
	return missing, c.gen
}

// add keeps the records a read that started at generation gen found;
// a read older than the last write that forgot records may have seen
// records changed since and keeps nothing. Absent records (nil) are not
// kept.
func (c *recordCache) add(gen uint64, keys [][]byte, vals [][]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	for i, k := range keys {
		v := vals[i]
		if v == nil || c.byKey[string(k)] != nil || len(k)+len(v) > c.max/4 { // one huge record would empty the cache
			continue
		}
		r := &cachedRecord{key: string(k), val: v}
		c.byKey[r.key] = c.ll.PushFront(r)
		c.size += len(r.key) + len(v)
		for c.size > c.max {
			old := c.ll.Back()
			c.remove(old)
		}
	}
}

func (c *recordCache) remove(e *list.Element) {
	r := e.Value.(*cachedRecord)
	c.ll.Remove(e)
	delete(c.byKey, r.key)
	c.size -= len(r.key) + len(r.val)
}

// forget drops the records a write put or deleted. A write that deletes
// records, or puts one the cache holds, also makes reads in flight keep
// nothing (see add): they may have read what it changed. A record put
// where none was (the statements of a new document) changes nothing a
// read can have kept, since absent records are not kept, and leaves reads
// in flight alone; a stored record is only ever replaced after a write
// that deletes it (a replaced document's old graph goes first).
func (c *recordCache) forget(ops sideOps) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range ops.dels {
		if bytes.HasPrefix(k, []byte(sideRecord)) {
			c.gen++
			if e, ok := c.byKey[string(k)]; ok {
				c.remove(e)
			}
		}
	}
	for _, p := range ops.puts {
		if e, ok := c.byKey[string(p.k)]; ok {
			c.gen++
			c.remove(e)
		}
	}
}

// clear drops every record, after a write that failed part way.
func (c *recordCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.ll.Init()
	c.byKey = make(map[string]*list.Element)
	c.size = 0
}
