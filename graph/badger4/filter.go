package badger4

import (
	"hash/maphash"
	"slices"
	"sync"
	"sync/atomic"
)

// filter is a blocked Bloom filter over every key the database holds (and
// some it no longer holds). It answers most reads of absent keys without
// asking Badger, which has to search its memtables and every level's
// tables for them.
//
// Cayley's KV layer reads, before writing, every index entry and node it is
// about to write, and nearly all of them are new: during a load, about
// nineteen reads in twenty are of absent keys.
//
// A key is added before it is written to Badger (at Put, so that even an
// uncommitted transaction's own writes pass), so any key a transaction can
// see is in the filter; keys are never removed, so a deleted key only costs
// a Badger read. The filter is not persisted: a database opened empty has
// a complete filter at once, any other gets one from a scan of its keys in
// the background, and until then every read goes to Badger.
//
// Each key sets seven bits in one 512-bit block (one cache line), so a test
// costs one memory access per segment. A segment holds about one key per
// twelve bits at a false positive rate under 1%. When the newest segment is
// full, a new one twice its size takes the keys that follow (a scalable
// Bloom filter): the rate stays low as the database grows, a test reads
// one more cache line per doubling, and the filter grows with the keys
// until its memory bound, past which the newest segment fills up and the
// rate grows gracefully; the filter only ever costs a wasted test.
type filter struct {
	seed  maphash.Seed
	segs  atomic.Pointer[[]*segment] // oldest first; the newest takes adds
	added atomic.Int64               // keys added to the newest segment
	total int64                      // bytes all segments may take
	grow  sync.Mutex
	ready atomic.Bool // every stored key has been added
}

// segment is one Bloom filter of the chain.
type segment struct {
	blocks   []atomic.Uint64 // 8 words per block
	mask     uint64          // number of blocks - 1
	capacity int64           // keys it holds at about 1% false positives
}

const (
	filterBlockWords = 8 // 512 bits, one cache line
	filterBlockBytes = filterBlockWords * 8
	filterBits       = 7  // bits set per key
	filterBitsPerKey = 12 // bits per key a segment is sized for
)

// newFilter returns a filter whose first segment takes size bytes (rounded
// down to a power of two) and which may grow to max bytes, or nil if size
// is too small to be of use.
func newFilter(size, limit int64) *filter {
	if size < 1<<16 {
		return nil
	}
	f := &filter{seed: maphash.MakeSeed(), total: max(size, limit)}
	segs := []*segment{newSegment(size)}
	f.segs.Store(&segs)
	return f
}

func newSegment(size int64) *segment {
	n := int64(1)
	for n*2*filterBlockBytes <= size {
		n *= 2
	}
	return &segment{
		blocks:   make([]atomic.Uint64, n*filterBlockWords),
		mask:     uint64(n - 1),
		capacity: n * filterBlockBytes * 8 / filterBitsPerKey,
	}
}

func (s *segment) bytes() int64 { return int64(len(s.blocks)) * 8 }

// hash returns the hash from which a key's block and bits are taken.
func (f *filter) hash(key []byte) uint64 { return maphash.Bytes(f.seed, key) }

// bits returns the hash from which the key's bits are taken, nine bits
// each: remixed, as the block was chosen by the high half of h.
func bits(h uint64) uint64 {
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>29
}

func (s *segment) add(h uint64) {
	base := int((h>>32)&s.mask) * filterBlockWords
	for x, i := bits(h), 0; i < filterBits; i, x = i+1, x>>9 {
		word, m := &s.blocks[base+int(x>>6&7)], uint64(1)<<(x&63)
		if word.Load()&m == 0 {
			word.Or(m)
		}
	}
}

func (s *segment) absent(h uint64) bool {
	base := int((h>>32)&s.mask) * filterBlockWords
	for x, i := bits(h), 0; i < filterBits; i, x = i+1, x>>9 {
		if s.blocks[base+int(x>>6&7)].Load()&(uint64(1)<<(x&63)) == 0 {
			return true
		}
	}
	return false
}

// add records key.
func (f *filter) add(key []byte) {
	if f == nil {
		return
	}
	segs := *f.segs.Load()
	newest := segs[len(segs)-1]
	newest.add(f.hash(key))
	if f.added.Add(1) > newest.capacity {
		f.extend(newest)
	}
}

// extend starts a segment twice the size of full, the newest, if the
// memory bound allows it.
func (f *filter) extend(full *segment) {
	f.grow.Lock()
	defer f.grow.Unlock()
	segs := *f.segs.Load()
	if segs[len(segs)-1] != full {
		return // another add extended it
	}
	var used int64
	for _, s := range segs {
		used += s.bytes()
	}
	size := 2 * full.bytes()
	if used+size > f.total {
		size = f.total - used
	}
	if size < full.bytes() {
		return // at the bound: the newest segment takes everything
	}
	next := append(slices.Clip(segs), newSegment(size))
	f.segs.Store(&next)
	f.added.Store(0)
}

// size returns the bytes the filter's segments take.
func (f *filter) size() int64 {
	var n int64
	for _, s := range *f.segs.Load() {
		n += s.bytes()
	}
	return n
}

// absent reports whether key is certainly not stored. It is false while
// the filter is still being filled.
func (f *filter) absent(key []byte) bool {
	if f == nil || !f.ready.Load() {
		return false
	}
	h := f.hash(key)
	for _, s := range *f.segs.Load() {
		if !s.absent(h) {
			return false
		}
	}
	return true
}
