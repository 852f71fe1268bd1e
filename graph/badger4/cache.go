package badger4

import (
	"container/list"
	"sync"
)

// cache keeps recently read and written values in memory, so that the point
// reads Cayley's KV layer makes for every quad (log entries, node hashes,
// index lists) rarely reach Badger's tables.
//
// Entries carry the commit version that made them current. A transaction
// records the version when it starts and trusts only entries no newer than
// that, so it still sees a consistent snapshot. A commit bumps the version
// and drops the keys it writes before writing to Badger, and bumps it again
// once Badger has them; a reader filling the cache after a miss does so
// only if no commit happened since it started.
type cache struct {
	mu      sync.Mutex
	version uint64
	max     int64
	size    int64
	entries map[string]*list.Element
	lru     list.List // front is most recent; values are *cacheEntry
}

type cacheEntry struct {
	key     string
	val     []byte // nil: the key is known to be absent
	version uint64
}

const entryOverhead = 64

func newCache(max int64) *cache {
	if max <= 0 {
		return nil
	}
	return &cache{max: max, entries: make(map[string]*list.Element)}
}

// start returns the version a new transaction may trust.
func (c *cache) start() uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.version
}

// get returns the value of key as of version at, and whether it was known.
// A nil value with ok means the key is absent.
func (c *cache) get(key []byte, at uint64) (val []byte, ok bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, found := c.entries[string(key)]
	if !found {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if e.version > at {
		return nil, false
	}
	c.lru.MoveToFront(el)
	return e.val, true
}

// fill records a value read by a transaction that started at version at.
func (c *cache) fill(key, val []byte, at uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != at {
		return
	}
	if _, found := c.entries[string(key)]; found {
		return
	}
	c.insert(string(key), val, at)
}

func (c *cache) insert(key string, val []byte, version uint64) {
	e := &cacheEntry{key: key, val: val, version: version}
	c.entries[key] = c.lru.PushFront(e)
	c.size += int64(len(key) + len(val) + entryOverhead)
	for c.size > c.max {
		back := c.lru.Back()
		c.remove(back)
	}
}

func (c *cache) remove(el *list.Element) {
	e := el.Value.(*cacheEntry)
	c.lru.Remove(el)
	delete(c.entries, e.key)
	c.size -= int64(len(e.key) + len(e.val) + entryOverhead)
}

// beginCommit drops the keys a commit is about to write.
func (c *cache) beginCommit(writes map[string][]byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.version++
	for k := range writes {
		if el, found := c.entries[k]; found {
			c.remove(el)
		}
	}
}

// endCommit moves the version on once Badger has the commit's data (or
// after it failed). Written values are not inserted: a bulk load writes far
// more than it reads back, and filling the cache on read misses keeps it to
// what is actually read.
func (c *cache) endCommit() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.version++
}
