package badger4

import (
	"container/list"
	"sync"
)

// cache keeps recently read values and short key ranges in memory, so that
// the point reads Cayley's KV layer makes for every quad it returns (log
// entries, node hashes) and its scans of one node's index entries rarely
// reach Badger's tables. Only read-only transactions use it.
//
// Entries carry the commit version that made them current. A transaction
// records the version when it starts and trusts only entries no newer than
// that, so it still sees a consistent snapshot. A commit bumps the version
// and drops the keys it writes before writing to Badger, and bumps it again
// once Badger has them; a reader filling the cache after a miss does so
// only if no commit happened since it started. A commit that writes
// anything drops every cached range, as any of them may hold a written key.
type cache struct {
	mu      sync.Mutex
	version uint64
	max     int64
	size    int64
	entries map[string]*list.Element
	scans   map[string]*list.Element // whole short ranges, by prefix
	lru     list.List                // front is most recent; values are *cacheEntry
}

type cacheEntry struct {
	key     string
	val     []byte // nil: the key is known to be absent
	pairs   []pair // for a range: its pairs
	scan    bool
	version uint64
}

func (e *cacheEntry) size() int64 {
	n := len(e.key) + len(e.val) + entryOverhead
	for _, p := range e.pairs {
		n += len(p.key) + len(p.val) + 48
	}
	return int64(n)
}

const entryOverhead = 64

func newCache(max int64) *cache {
	if max <= 0 {
		return nil
	}
	return &cache{max: max, entries: make(map[string]*list.Element), scans: make(map[string]*list.Element)}
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
	c.size += e.size()
	c.evict()
}

func (c *cache) evict() {
	for c.size > c.max {
		back := c.lru.Back()
		c.remove(back)
	}
}

func (c *cache) remove(el *list.Element) {
	e := el.Value.(*cacheEntry)
	c.lru.Remove(el)
	if e.scan {
		delete(c.scans, e.key)
	} else {
		delete(c.entries, e.key)
	}
	c.size -= e.size()
}

// getScan returns the pairs of the range of prefix as of version at, and
// whether they were known.
func (c *cache) getScan(prefix []byte, at uint64) ([]pair, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, found := c.scans[string(prefix)]
	if !found {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if e.version > at {
		return nil, false
	}
	c.lru.MoveToFront(el)
	return e.pairs, true
}

// fillScan records the whole range of prefix read by a transaction that
// started at version at.
func (c *cache) fillScan(prefix []byte, pairs []pair, at uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != at {
		return
	}
	if _, found := c.scans[string(prefix)]; found {
		return
	}
	e := &cacheEntry{key: string(prefix), pairs: pairs, scan: true, version: at}
	c.scans[e.key] = c.lru.PushFront(e)
	c.size += e.size()
	c.evict()
}

// beginCommit drops the keys a commit is about to write.
func (c *cache) beginCommit(written [][]byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.version++
	if len(written) > 0 {
		// Any range may hold a written key; finding which would cost more
		// than reading them again.
		for _, el := range c.scans {
			c.remove(el)
		}
	}
	if len(c.entries) == 0 {
		return
	}
	for _, k := range written {
		if el, found := c.entries[string(k)]; found {
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
