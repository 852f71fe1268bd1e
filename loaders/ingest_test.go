package loaders_test

import (
	"testing"
	"unicode/utf8"

	"github.com/provgraph/provgraph/loaders"
)

func TestCodePoints(t *testing.T) {
	for _, s := range []string{"", "plain ascii", "Azerbaijan’s road — “quoted” ééé 中文 x", "€"} {
		cp := loaders.NewCodePoints(s)
		for b := 0; b <= len(s); b++ {
			if b < len(s) && !utf8.RuneStart(s[b]) {
				continue
			}
			if got, want := cp.Of(b), utf8.RuneCountInString(s[:b]); got != want {
				t.Errorf("%q: byte %d → %d, want %d", s, b, got, want)
			}
		}
	}
}
