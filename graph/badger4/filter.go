package badger4

import (
	"hash/maphash"
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
// costs one memory access. At the default 32 MiB the filter holds 27
// million keys (a 100,000-statement graph has about 14 million) at a false
// positive rate near 1%; past that the rate grows gracefully, and the
// filter only ever costs a wasted test.
type filter struct {
	seed   maphash.Seed
	blocks []atomic.Uint64 // 8 words per block
	mask   uint64          // number of blocks - 1
	ready  atomic.Bool     // every stored key has been added
}

const (
	filterBlockWords = 8 // 512 bits, one cache line
	filterBits       = 7 // bits set per key
)

// newFilter returns a filter of at most size bytes (rounded down to a power
// of two), or nil if size is too small to be of use.
func newFilter(size int64) *filter {
	const blockBytes = filterBlockWords * 8
	if size < 1<<16 {
		return nil
	}
	n := int64(1)
	for n*2*blockBytes <= size {
		n *= 2
	}
	return &filter{
		seed:   maphash.MakeSeed(),
		blocks: make([]atomic.Uint64, n*filterBlockWords),
		mask:   uint64(n - 1),
	}
}

// probe returns the first word of key's block and the hash that picks its
// bits.
func (f *filter) probe(key []byte) (int, uint64) {
	h := maphash.Bytes(f.seed, key)
	block := (h >> 32) & f.mask
	return int(block) * filterBlockWords, h
}

// bits returns the hash from which the key's bits are taken, nine bits
// each: remixed, as the block was chosen by the high half of h.
func bits(h uint64) uint64 {
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>29
}

// add records key.
func (f *filter) add(key []byte) {
	if f == nil {
		return
	}
	base, h := f.probe(key)
	for x, i := bits(h), 0; i < filterBits; i, x = i+1, x>>9 {
		word, m := &f.blocks[base+int(x>>6&7)], uint64(1)<<(x&63)
		if word.Load()&m == 0 {
			word.Or(m)
		}
	}
}

// absent reports whether key is certainly not stored. It is false while
// the filter is still being filled.
func (f *filter) absent(key []byte) bool {
	if f == nil || !f.ready.Load() {
		return false
	}
	base, h := f.probe(key)
	for x, i := bits(h), 0; i < filterBits; i, x = i+1, x>>9 {
		if f.blocks[base+int(x>>6&7)].Load()&(uint64(1)<<(x&63)) == 0 {
			return true
		}
	}
	return false
}
