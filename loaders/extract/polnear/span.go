package polnear

import (
	"sort"
	"unicode/utf8"
)

// Span is a half-open range [Start, End) of byte offsets into a
// [Document]'s Text. It has the same underlying type as extract.Span.
type Span struct {
	Start, End int
}

// CPSpan is a half-open range [Start, End) of Unicode code point offsets,
// the unit of the .ann files and of the scorer: Python's text[Start:End].
type CPSpan struct {
	Start, End int
}

// Offsets converts between byte and code point offsets of one text. The
// zero value is not usable; build one with [NewOffsets]. An Offsets is
// read-only once built and safe for concurrent use.
type Offsets struct {
	bytes int
	// start[i] is the byte offset of code point i, with start[n] = bytes;
	// nil when the text is all ASCII and the two units coincide.
	start []int
}

// NewOffsets indexes text. Each byte of an invalid UTF-8 sequence counts
// as one code point, as Go's range over a string does.
func NewOffsets(text string) *Offsets {
	o := &Offsets{bytes: len(text)}
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return o
	}
	o.start = make([]int, 0, utf8.RuneCountInString(text)+1)
	for i := range text {
		o.start = append(o.start, i)
	}
	o.start = append(o.start, len(text))
	return o
}

// Len returns the length of the text in code points.
func (o *Offsets) Len() int {
	if o.start == nil {
		return o.bytes
	}
	return len(o.start) - 1
}

// ByteOffset returns the byte offset of code point cp, clamped to the text.
func (o *Offsets) ByteOffset(cp int) int {
	cp = clamp(cp, 0, o.Len())
	if o.start == nil {
		return cp
	}
	return o.start[cp]
}

// CPOffset returns the code point offset of byte b, clamped to the text. A
// byte inside a multi-byte code point gives that code point's offset.
func (o *Offsets) CPOffset(b int) int {
	b = clamp(b, 0, o.bytes)
	if o.start == nil {
		return b
	}
	i := sort.SearchInts(o.start, b)
	if o.start[i] != b {
		i--
	}
	return i
}

// ToBytes converts a code point span to bytes, clamping it to the text.
func (o *Offsets) ToBytes(s CPSpan) Span {
	return Span{o.ByteOffset(s.Start), o.ByteOffset(s.End)}
}

// ToCP converts a byte span to code points, clamping it to the text. A
// span edge inside a multi-byte code point widens the span to include it.
func (o *Offsets) ToCP(s Span) CPSpan {
	start := o.CPOffset(s.Start)
	end := o.CPOffset(s.End)
	if o.ByteOffset(end) < clamp(s.End, 0, o.bytes) {
		end++
	}
	return CPSpan{start, end}
}

func clamp(x, lo, hi int) int {
	return max(lo, min(x, hi))
}
