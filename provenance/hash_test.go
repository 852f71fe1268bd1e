package provenance

import (
	"hash/fnv"
	"slices"
	"testing"
)

// TestHash64 checks that the allocation-free hash the band keys are made
// with is FNV-1a over the seed's bytes then the text, as the stored keys
// were made: a change would stop new documents finding stored ones.
func TestHash64(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    string
		seed uint64
	}{
		{"empty", "", 1},
		{"word", "w:blockade", 3},
		{"entity", "e:azerbaijan", 24},
		{"number", "n:10000", 0x0102030405060708},
		{"non-ASCII", "w:çevik", 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := fnv.New64a()
			var b [8]byte
			for i := range b {
				b[i] = byte(tc.seed >> (8 * i))
			}
			h.Write(b[:])
			h.Write([]byte(tc.s))
			if got, want := hash64(tc.s, tc.seed), h.Sum64(); got != want {
				t.Errorf("hash64(%q, %d) = %x, want %x", tc.s, tc.seed, got, want)
			}
		})
	}
}

// TestFeatureIDs checks that the sorted term IDs stand for the terms:
// one each, of the terms' kinds.
func TestFeatureIDs(t *testing.T) {
	f := analyse("Azerbaijan said 10,000 Armenian soldiers remain in Azerbaijan's territory", false)
	if len(f.ids) != len(f.terms) || !slices.IsSorted(f.ids) {
		t.Fatalf("ids %v for %d terms", f.ids, len(f.terms))
	}
	words, nums := 0, 0
	for _, tm := range f.terms {
		if !f.has(tm.key) {
			t.Errorf("has(%q) = false", tm.key)
		}
		if weightOf(tm.key) != idOf(tm.key).weight() {
			t.Errorf("%q: weight %v, ID's %v", tm.key, weightOf(tm.key), idOf(tm.key).weight())
		}
		switch tm.key[:2] {
		case kindWord:
			words++
		case kindNumber:
			nums++
		}
	}
	if f.words != words || f.nums != nums {
		t.Errorf("words %d nums %d, want %d %d", f.words, f.nums, words, nums)
	}
	if f.has("w:blockade") {
		t.Error(`has("w:blockade") = true`)
	}
}
