package cayleystore

import (
	"bytes"
	"sync"
)

// commonKeys remembers the index keys found to have more postings than a
// look-up wanted. The linker skips such keys (too common to tell
// candidates apart), and the most common of them are the ones most often
// asked for and the costliest to read, so the store answers them from
// memory. Postings are only ever added while nothing is deleted, so a key
// stays common until a write deletes postings: then everything is
// forgotten. Only a store written by this process alone keeps them
// (Badger, memory); a PostgreSQL store may be written by other servers.
type commonKeys struct {
	mu   sync.Mutex
	gen  uint64         // counts forgettings
	keys map[string]int // key → the largest limit it was found to exceed
}

// maxCommonKeys bounds the memory of the cache (about 60 bytes a key).
const maxCommonKeys = 1 << 19

// lookup reports whether key is known to have more than limit postings,
// and the generation to pass to add.
func (c *commonKeys) lookup(keys []string, limit int, common []bool) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, k := range keys {
		if n, ok := c.keys[k]; ok && n >= limit {
			common[i] = true
		}
	}
	return c.gen
}

// add records keys found to have more than limit postings by a read that
// started at generation gen; a read older than the last forgetting may
// have seen postings deleted since and records nothing.
func (c *commonKeys) add(gen uint64, keys []string, limit int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.keys == nil {
		c.keys = make(map[string]int)
	}
	for _, k := range keys {
		if len(c.keys) >= maxCommonKeys {
			return
		}
		if c.keys[k] < limit {
			c.keys[k] = limit
		}
	}
}

// forget drops everything once a write deletes postings.
func (c *commonKeys) forget(ops sideOps) {
	for _, k := range ops.dels {
		if bytes.HasPrefix(k, []byte(sidePosting)) {
			c.mu.Lock()
			c.gen++
			c.keys = nil
			c.mu.Unlock()
			return
		}
	}
}
