// Package extract finds who said what in a document's text: tokens and
// sentences with their offsets, then attributions (source, cue, content),
// actors, places and dates.
//
// It is NLP only: it knows nothing of the graph or of file formats. A
// [Pipeline] runs its stages in order over a [Text]. All offsets inside
// this package are byte offsets into the text as given; callers that show
// offsets to people convert them to code points once.
package extract

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// Span is a byte range [Start, End) of a text.
type Span struct {
	Start, End int
}

// Len returns the span's length in bytes.
func (s Span) Len() int { return s.End - s.Start }

// TokenKind classifies a token.
type TokenKind uint8

// Token kinds.
const (
	Word       TokenKind = iota // letters, possibly with digits, inner hyphens, apostrophes or an abbreviation's periods
	Number                      // digits, possibly with inner separators: 4,700 or 3.5
	Punct                       // punctuation other than quotation marks
	OpenQuote                   // a quotation mark that opens a quotation
	CloseQuote                  // a quotation mark that closes one
	Symbol                      // anything else: $, %, @, emoji
)

// Token is one token of a text.
type Token struct {
	Start, End int
	Kind       TokenKind
	// Quoted is true inside a quotation (between an opening and a closing
	// double quotation mark), marks excluded.
	Quoted bool
	// SpaceBefore is true when white space separates the token from the
	// previous one; NewlineBefore when that white space holds a line break.
	SpaceBefore, NewlineBefore bool
}

// Sentence is a run of tokens [First, Last) ending a sentence.
type Sentence struct {
	Span
	First, Last int
}

// Text is a document's text with its tokens and sentences.
type Text struct {
	Src       string
	Tokens    []Token
	Sentences []Sentence
	// Skip marks byte ranges (metadata lines) that are not article text;
	// no statement is extracted from a sentence that lies inside one.
	Skip []Span
}

// Skipped reports whether span s lies inside one of the skip ranges.
func (t *Text) Skipped(s Span) bool {
	for _, k := range t.Skip {
		if s.Start >= k.Start && s.End <= k.End {
			return true
		}
	}
	return false
}

// TokensIn returns the range [first, last) of the tokens that lie wholly
// inside span s.
func (t *Text) TokensIn(s Span) (first, last int) {
	first = sort.Search(len(t.Tokens), func(i int) bool { return t.Tokens[i].Start >= s.Start })
	last = first
	for last < len(t.Tokens) && t.Tokens[last].End <= s.End {
		last++
	}
	return first, last
}

// TitleCase reports whether a sentence is a headline in Title Case: a
// line of its own most of whose longer words are capitalised.
func (t *Text) TitleCase(s Sentence) bool {
	if s.Last-s.First < 3 || (s.First > 0 && !t.Tokens[s.First].NewlineBefore) {
		return false
	}
	if s.Last < len(t.Tokens) && !t.Tokens[s.Last].NewlineBefore {
		return false
	}
	long, upper := 0, 0
	for i := s.First; i < s.Last; i++ {
		w := t.Word(i)
		if t.Tokens[i].Kind != Word || len(w) < 4 {
			continue
		}
		long++
		if w[0] >= 'A' && w[0] <= 'Z' {
			upper++
		}
	}
	return long >= 3 && upper*4 >= long*3
}

// Word returns the text of token i.
func (t *Text) Word(i int) string { return t.Src[t.Tokens[i].Start:t.Tokens[i].End] }

// NewText tokenizes and segments src.
func NewText(src string, skip []Span) *Text {
	t := &Text{Src: src, Skip: skip}
	t.Tokens = Tokenize(src, make([]Token, 0, len(src)/5))
	t.Sentences = Segment(src, t.Tokens, nil)
	return t
}

// Tokenize appends the tokens of s to buf and returns it.
func Tokenize(s string, buf []Token) []Token {
	space, newline := true, true
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
				space = true
				i++
				continue
			case c == '\n':
				space, newline = true, true
				i++
				continue
			}
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				space = true
				i += size
				continue
			}
		}
		tok := Token{Start: i, SpaceBefore: space, NewlineBefore: newline}
		space, newline = false, false
		switch {
		case isLetter(r) || isDigit(r):
			tok.End, tok.Kind = scanWord(s, i)
		case isQuote(r):
			tok.End, tok.Kind = i+size, quoteKind(s, i, r, size, tok.SpaceBefore)
		case r == '.' && hasPrefix(s[i:], "..."):
			tok.End, tok.Kind = i+3, Punct
		case r == '-' && hasPrefix(s[i:], "--"):
			j := i
			for j < len(s) && s[j] == '-' {
				j++
			}
			tok.End, tok.Kind = j, Punct
		case unicode.IsPunct(r):
			tok.End, tok.Kind = i+size, Punct
		default:
			tok.End, tok.Kind = i+size, Symbol
		}
		// Split a possessive or contraction ending ('s, n't, 're, 'll, 've,
		// 'd, 'm) off a word, as the annotations split sources such as
		// "Trump's".
		if tok.Kind == Word {
			if k := cliticStart(s, tok.Start, tok.End); k > tok.Start {
				buf = append(buf, Token{Start: tok.Start, End: k, Kind: Word, SpaceBefore: tok.SpaceBefore, NewlineBefore: tok.NewlineBefore})
				tok = Token{Start: k, End: tok.End, Kind: Word}
			}
		}
		buf = append(buf, tok)
		i = tok.End
	}
	markQuoted(s, buf)
	return buf
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return r|0x20 >= 'a' && r|0x20 <= 'z'
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
}

func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= '0' && r <= '9'
	}
	return unicode.IsDigit(r)
}

func isQuote(r rune) bool {
	switch r {
	case '"', '\'', '“', '”', '‘', '’', '«', '»', '„', '‟', '‹', '›', '`':
		return true
	}
	return false
}

// apostrophe reports whether the byte at i starts an apostrophe (' or ’).
func apostrophe(s string, i int) int {
	if i < len(s) && s[i] == '\'' {
		return 1
	}
	if hasPrefix(s[i:], "’") {
		return len("’")
	}
	return 0
}

// scanWord scans a word or number starting at i: letters and digits, with
// inner hyphens, apostrophes and periods (U.S., e.g.), and inner commas or
// periods between digits (4,700; 3.5).
func scanWord(s string, i int) (int, TokenKind) {
	start := i
	letters, digits := false, false
	for i < len(s) {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case isLetter(r):
			letters = true
			i += size
			continue
		case isDigit(r):
			digits = true
			i += size
			continue
		}
		// Inner joiners need a letter or digit on both sides.
		next := func(at int) rune {
			if at >= len(s) {
				return 0
			}
			r, _ := utf8.DecodeRuneInString(s[at:])
			return r
		}
		if r == '-' || r == '_' || r == '&' {
			if n := next(i + 1); isLetter(n) || isDigit(n) {
				i++
				continue
			}
		}
		if a := apostrophe(s, i); a > 0 && letters {
			if n := next(i + a); isLetter(n) {
				i += a
				continue
			}
		}
		if (r == ',' || r == '.') && digits && !letters {
			if n := next(i + 1); isDigit(n) {
				i++
				continue
			}
		}
		if r == '.' && letters {
			// An abbreviation: single letters with periods (U.S., e.g.),
			// or a known one (Mr., Gov., Jan.).
			if n := next(i + 1); isLetter(n) && i-start <= 2 {
				i++
				continue
			}
			if isAbbreviation(s[start:i]) {
				i++
				return i, Word
			}
			if i-start == 1 || (i-start <= 4 && hasInnerPeriod(s[start:i])) {
				i++
				return i, Word
			}
		}
		break
	}
	if digits && !letters {
		return i, Number
	}
	return i, Word
}

func hasInnerPeriod(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return true
		}
	}
	return false
}

// cliticStart returns where a clitic ending of the word [start, end) begins,
// or start if it has none.
func cliticStart(s string, start, end int) int {
	w := s[start:end]
	for _, suf := range [...]string{"'s", "’s", "'S", "’S", "n't", "n’t", "'re", "’re", "'ll", "’ll", "'ve", "’ve", "'d", "’d", "'m", "’m"} {
		if len(w) > len(suf) && w[len(w)-len(suf):] == suf {
			return end - len(suf)
		}
	}
	return start
}

// quoteKind decides whether a quotation mark opens or closes a quotation.
// Curly quotes say so themselves; straight ones open after white space or
// an opening bracket and close otherwise. Single marks inside words are
// apostrophes and never reach here.
func quoteKind(s string, i int, r rune, size int, spaceBefore bool) TokenKind {
	switch r {
	case '“', '‘', '«', '„', '‟', '‹':
		return OpenQuote
	case '”', '’', '»', '›':
		return CloseQuote
	}
	if i == 0 || spaceBefore {
		return OpenQuote
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	if prev == '(' || prev == '[' || prev == '—' || prev == '–' {
		return OpenQuote
	}
	return CloseQuote
}

func isDouble(s string) bool {
	switch s {
	case "\"", "“", "”", "«", "»", "„", "‟":
		return true
	}
	return false
}

// markQuoted sets Quoted on the tokens between matching double quotation
// marks. A paragraph break ends a quotation whose closing mark is missing,
// unless the next paragraph opens a new one (the convention for quotes
// running over several paragraphs).
func markQuoted(s string, toks []Token) {
	in := false
	for i := range toks {
		t := &toks[i]
		if t.NewlineBefore {
			in = false
		}
		if (t.Kind == OpenQuote || t.Kind == CloseQuote) && isDouble(s[t.Start:t.End]) {
			in = t.Kind == OpenQuote
			continue
		}
		t.Quoted = in
	}
}
