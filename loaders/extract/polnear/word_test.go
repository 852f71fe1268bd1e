package polnear

import (
	"os/exec"
	"testing"
	"unicode"
)

func TestIsWord(t *testing.T) {
	for _, c := range []struct {
		name string
		r    rune
		want bool
	}{
		{"ASCII letter", 'Q', true},
		{"digit", '7', true},
		{"underscore", '_', true},
		{"apostrophe", '\'', false},
		{"curly quote", '”', false},
		{"accented letter", 'é', true},
		{"combining acute", '\u0301', false},
		{"spacing mark", '\u0903', false},
		{"undertie", '‿', false},
		{"superscript two", '²', true},
		{"roman numeral", 'Ⅻ', true},
		{"CJK", '中', true},
		{"em dash", '—', false},
		{"no-break space", '\u00a0', false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := IsWord(c.r); got != c.want {
				t.Errorf("IsWord(%U) = %v, want %v", c.r, got, c.want)
			}
		})
	}
}

// pythonWordClasses prints one byte per code point: w for \w, n for not,
// u for unassigned in Python's Unicode tables.
const pythonWordClasses = `
import re, sys, unicodedata
w = re.compile(r"\w")
out = bytearray()
for c in range(sys.maxunicode + 1):
    ch = chr(c)
    out += b"w" if w.match(ch) else (b"u" if unicodedata.category(ch) == "Cn" else b"n")
sys.stdout.buffer.write(out)
`

// TestIsWordAsPython compares IsWord with Python's \w on every code point;
// they may differ only where Python's Unicode tables are older than Go's.
func TestIsWordAsPython(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not running python3 over every code point")
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	out, err := exec.Command(python, "-c", pythonWordClasses).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	if len(out) != unicode.MaxRune+1 {
		t.Fatalf("python3 printed %d classes, want %d", len(out), unicode.MaxRune+1)
	}
	newer := 0
	for r, class := range out {
		switch got := IsWord(rune(r)); {
		case class == 'u':
			if got {
				newer++
			}
		case got != (class == 'w'):
			t.Errorf("IsWord(%U) = %v, Python's \\w says %v", r, got, class == 'w')
		}
	}
	t.Logf("Go (Unicode %s) has %d word characters Python leaves unassigned", unicode.Version, newer)
}
