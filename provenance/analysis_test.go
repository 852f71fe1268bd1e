package provenance

import (
	"encoding/binary"
	"math"
	"reflect"
	"testing"
)

var analysisContents = []string{
	"Azerbaijan has not blocked the Lachin corridor and there was no blockade",
	"the establishment of the checkpoint was a legitimate step, as well as the fact that 10,000 Armenian soldiers remain in Azerbaijan",
	`so-called "humanitarian crisis" is false propaganda aimed at misinforming the international community`,
	"Armenia's claims are aimed at misinforming; the Russian peacekeepers, were unable to ensure free movement",
	`he said "I said it, I was wrong, and I apologize to the American people for what happened"`,
	"the unemployment rate fell to 3.5 percent in September, the lowest in fifty years",
	"",
	"ok",
}

// TestAnalysisRoundTrip checks that a stored analysis reads back as the
// linker would work it out again.
func TestAnalysisRoundTrip(t *testing.T) {
	for _, c := range analysisContents {
		a := newAnalysis(c)
		got, err := decodeAnalysis(c, encodeAnalysis(c, a))
		if err != nil {
			t.Fatalf("%q: %v", c, err)
		}
		want := a.trim()
		for i := range want.props {
			if len(want.props[i].f.denied) == 0 {
				want.props[i].f.denied = nil
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\n got %+v\nwant %+v", c, got, want)
		}
	}
}

// TestAnalysisOtherContent checks that an analysis whose propositions
// are not in the content given keeps their text.
func TestAnalysisOtherContent(t *testing.T) {
	c := analysisContents[0]
	b := encodeAnalysis(c, newAnalysis(c))
	if _, err := decodeAnalysis("short", b); err == nil {
		t.Error("an analysis of a longer content decoded against a short one")
	}
	for _, bad := range [][]byte{nil, {}, {9}, {analysisVersion}, {analysisVersion, 200}, b[:len(b)-1], append(b[:len(b):len(b)], 0)} {
		if _, err := decodeAnalysis(c, bad); err == nil {
			t.Errorf("%v decoded", bad)
		}
	}
}

// FuzzDecodeAnalysis checks that no stored bytes make the decoder panic
// or loop.
func FuzzDecodeAnalysis(f *testing.F) {
	for _, c := range analysisContents {
		f.Add(c, encodeAnalysis(c, newAnalysis(c)))
	}
	f.Fuzz(func(t *testing.T, content string, b []byte) {
		a, err := decodeAnalysis(content, b)
		if err != nil {
			return
		}
		for _, p := range a.props {
			if p.f.words+p.f.nums > len(p.f.ids) {
				t.Fatalf("%d words and %d numbers of %d terms", p.f.words, p.f.nums, len(p.f.ids))
			}
		}
	})
}

// TestAnalysisHugeCounts checks that counts and offsets that would wrap
// around when multiplied or added are refused.
func TestAnalysisHugeCounts(t *testing.T) {
	c := "some content"
	uv := binary.AppendUvarint
	textWraps := uv(uv([]byte{analysisVersion, 1}, 2), math.MaxUint64) // offset 1 + length 2^64-1
	idsWrap := uv([]byte{analysisVersion, 1, 1, 1}, 1<<61+1)           // (2^61+1)*8 bytes of term IDs
	for _, b := range [][]byte{append(textWraps, 0), append(idsWrap, make([]byte, 16)...)} {
		if _, err := decodeAnalysis(c, b); err == nil {
			t.Errorf("%v decoded", b)
		}
	}
}
