package attrib

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/provgraph/provgraph/loaders/extract"
	"github.com/provgraph/provgraph/loaders/extract/lexicon"
	"github.com/provgraph/provgraph/loaders/extract/seq"
)

// tokenInfo is what the features need of a token, computed once per text.
type tokenInfo struct {
	lower string // lower-cased word
	stem  string // lower-cased, common inflections removed
	shape string // Xx, x, d, X., p ...
	lex   lexicon.Entry
	// static holds the hashes of the token's own features (word, stem,
	// shape, neighbours), shared by both models.
	static []uint32
	sent   int // index of the token's sentence
	para   int // index of the token's paragraph
}

// analysis is a text prepared for the models.
type analysis struct {
	t    *extract.Text
	toks []tokenInfo
	// sentence of each token and first/last token of each sentence
	sentFirst, sentLast []int
}

func analyse(t *extract.Text) *analysis {
	a := &analysis{t: t, toks: make([]tokenInfo, len(t.Tokens))}
	para := 0
	for si, s := range t.Sentences {
		a.sentFirst = append(a.sentFirst, s.First)
		a.sentLast = append(a.sentLast, s.Last)
		for i := s.First; i < s.Last; i++ {
			if t.Tokens[i].NewlineBefore && i > 0 {
				para++
			}
			w := t.Word(i)
			lw := strings.ToLower(w)
			a.toks[i] = tokenInfo{lower: lw, stem: stem(lw), shape: shape(w), lex: lexicon.Lookup(lw), sent: si, para: para}
		}
	}
	var h seq.Hasher
	for i := range a.toks {
		ti := &a.toks[i]
		prev, next, prev2, next2 := a.word(i-1), a.word(i+1), a.word(i-2), a.word(i+2)
		tk := t.Tokens[i]
		ti.static = append(ti.static[:0],
			h.Start("bias").Sum(),
			h.Start("w").Add(ti.lower).Sum(),
			h.Start("stem").Add(ti.stem).Sum(),
			h.Start("shape").Add(ti.shape).Sum(),
			h.Start("suf3").Add(suffix(ti.lower, 3)).Sum(),
			h.Start("w-1").Add(prev).Sum(),
			h.Start("w+1").Add(next).Sum(),
			h.Start("w-2").Add(prev2).Sum(),
			h.Start("w+2").Add(next2).Sum(),
			h.Start("w-1w").Add(prev).Add(ti.lower).Sum(),
			h.Start("ww+1").Add(ti.lower).Add(next).Sum(),
			h.Start("s-1s").Add(a.stemAt(i-1)).Add(ti.stem).Sum(),
			h.Start("ss+1").Add(ti.stem).Add(a.stemAt(i+1)).Sum(),
			h.Start("quoted").Add(yn(tk.Quoted)).Add(kindName(tk.Kind)).Sum(),
			h.Start("sentpos").AddInt(a.sentPos(i)).Sum(),
			h.Start("lexA").AddInt(int(ti.lex.Any)).Sum(),
			h.Start("lexF").AddInt(int(ti.lex.First)).Sum(),
			h.Start("lexF-next").AddInt(int(ti.lex.First)).Add(next).Sum(),
			h.Start("lexF-prevshape").AddInt(int(ti.lex.First)).Add(a.shapeAt(i-1)).Sum(),
			h.Start("lexprev-lexF").AddInt(int(a.lexAt(i-1))).AddInt(int(ti.lex.First)).Sum(),
		)
	}
	return a
}

func yn(b bool) string {
	if b {
		return "y"
	}
	return "n"
}

func kindName(k extract.TokenKind) string {
	return [...]string{"w", "n", "p", "oq", "cq", "s"}[k]
}

// word returns the lower-cased word at i, or a boundary marker.
func (a *analysis) word(i int) string {
	if i < 0 {
		return "<s>"
	}
	if i >= len(a.toks) {
		return "</s>"
	}
	return a.toks[i].lower
}

func (a *analysis) shapeAt(i int) string {
	if i < 0 || i >= len(a.toks) {
		return a.word(i)
	}
	return a.toks[i].shape
}

func (a *analysis) lexAt(i int) lexicon.Class {
	if i < 0 || i >= len(a.toks) {
		return 0
	}
	return a.toks[i].lex.First
}

func (a *analysis) stemAt(i int) string {
	if i < 0 || i >= len(a.toks) {
		return a.word(i)
	}
	return a.toks[i].stem
}

// sentPos buckets a token's position in its sentence: first, second, last,
// or elsewhere.
func (a *analysis) sentPos(i int) int {
	s := a.toks[i].sent
	switch {
	case i == a.sentFirst[s]:
		return 0
	case i == a.sentFirst[s]+1:
		return 1
	case i == a.sentLast[s]-1:
		return 3
	}
	return 2
}

// shape maps a word to its character classes, runs collapsed: "Blinken" →
// "Xx", "U.S." → "X.X.", "4,700" → "d,d".
func shape(w string) string {
	var b strings.Builder
	var last rune = -1
	n := 0
	for _, r := range w {
		var c rune
		switch {
		case unicode.IsUpper(r):
			c = 'X'
		case unicode.IsLower(r):
			c = 'x'
		case unicode.IsDigit(r):
			c = 'd'
		default:
			c = r
		}
		if c != last {
			b.WriteRune(c)
			last = c
			n++
			if n > 6 {
				break
			}
		}
	}
	return b.String()
}

func suffix(w string, n int) string {
	if utf8.RuneCountInString(w) <= n {
		return w
	}
	r := []rune(w)
	return string(r[len(r)-n:])
}

// stem removes the common English inflections so that "says", "said",
// "saying" and "say" share features with their neighbours' forms:
// plurals and third person -s, -ed, -ing, with a few irregular verbs of
// reporting mapped to their base form.
func stem(w string) string {
	if s, ok := irregular[w]; ok {
		return s
	}
	n := len(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "ing"):
		return undouble(w[:n-3])
	case n > 4 && strings.HasSuffix(w, "ied"):
		return w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "ed"):
		return undouble(w[:n-2])
	case n > 4 && (strings.HasSuffix(w, "ses") || strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes")):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

func undouble(w string) string {
	n := len(w)
	if n >= 2 && w[n-1] == w[n-2] && strings.IndexByte("bdgklmnprt", w[n-1]) >= 0 {
		return w[:n-1]
	}
	return w
}

var irregular = map[string]string{
	"said": "say", "says": "say", "told": "tell", "wrote": "write", "written": "write", "spoke": "speak",
	"spoken": "speak", "thought": "think", "knew": "know", "known": "know", "felt": "feel", "heard": "hear",
	"saw": "see", "seen": "see", "made": "make", "gave": "give", "given": "give", "took": "take", "taken": "take",
	"meant": "mean", "found": "find", "began": "begin", "begun": "begin", "went": "go", "gone": "go",
	"was": "be", "were": "be", "is": "be", "are": "be", "been": "be", "am": "be", "has": "have", "had": "have",
	"did": "do", "does": "do", "done": "do", "according": "accord",
}
