package polnear

import "testing"

func TestOffsets(t *testing.T) {
	for _, c := range []struct {
		name   string
		text   string
		cp     CPSpan
		bytes  Span
		length int
	}{
		{"ascii", "he said so", CPSpan{3, 7}, Span{3, 7}, 10},
		{"curly quotes", "“Yes,” he said", CPSpan{1, 4}, Span{3, 6}, 14},
		{"after multi-byte", "Zoë said", CPSpan{4, 8}, Span{5, 9}, 8},
		{"astral", "a😀b c", CPSpan{2, 5}, Span{5, 8}, 5},
		{"whole text", "über", CPSpan{0, 4}, Span{0, 5}, 4},
		{"empty span", "über", CPSpan{1, 1}, Span{2, 2}, 4},
		{"byte order mark", "\ufeffHi", CPSpan{1, 3}, Span{3, 5}, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := NewOffsets(c.text)
			if got := o.Len(); got != c.length {
				t.Errorf("Len() = %d, want %d", got, c.length)
			}
			if got := o.ToBytes(c.cp); got != c.bytes {
				t.Errorf("ToBytes(%v) = %v, want %v", c.cp, got, c.bytes)
			}
			if got := o.ToCP(c.bytes); got != c.cp {
				t.Errorf("ToCP(%v) = %v, want %v", c.bytes, got, c.cp)
			}
		})
	}
}

func TestOffsetsClampAndRound(t *testing.T) {
	o := NewOffsets("aéb") // é is bytes 1-3
	for _, c := range []struct {
		name string
		in   Span
		want CPSpan
	}{
		{"start inside a code point rounds down", Span{2, 4}, CPSpan{1, 3}},
		{"end inside a code point rounds up", Span{0, 2}, CPSpan{0, 2}},
		{"negative start", Span{-5, 1}, CPSpan{0, 1}},
		{"end past the text", Span{3, 99}, CPSpan{2, 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := o.ToCP(c.in); got != c.want {
				t.Errorf("ToCP(%v) = %v, want %v", c.in, got, c.want)
			}
		})
	}
	if got := o.ToBytes(CPSpan{-1, 10}); got != (Span{0, 4}) {
		t.Errorf("ToBytes clamps to %v, want {0 4}", got)
	}
}
