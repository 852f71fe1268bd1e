package polnear

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"unicode"
	"unicode/utf8"
)

// Prediction is one predicted attribution, in code point offsets into the
// document's text. Any role may hold several spans or none; a prediction
// whose content holds no word token is not counted.
type Prediction struct {
	Source, Cue, Content []CPSpan
}

// PRF is a precision, recall and F1 triple with the counts it comes from:
// P = TP/Predicted and R = TP/Gold (0 when the divisor is 0).
type PRF struct {
	P, R, F1        float64
	TP              int
	Predicted, Gold int
}

func newPRF(tp, predicted, gold int) PRF {
	s := PRF{TP: tp, Predicted: predicted, Gold: gold}
	if predicted > 0 {
		s.P = float64(tp) / float64(predicted)
	}
	if gold > 0 {
		s.R = float64(tp) / float64(gold)
	}
	if s.P+s.R != 0 {
		s.F1 = 2 * s.P * s.R / (s.P + s.R)
	}
	return s
}

// Result holds every figure polnear_score.py prints. Its JSON form is the
// script's --json output.
type Result struct {
	Documents        int // gold documents
	DocumentsMissing int // gold documents without an entry in the predictions
	Gold, Predicted  int // attributions; predictions with content tokens

	// ContentPartial counts contents matched one to one with a token
	// Jaccard of at least 0.5; ContentExact those of them with equal token
	// sets; Attribution those whose source and cue match too.
	ContentPartial, ContentExact, Attribution PRF
	// ContentToken counts word tokens labelled content, per document.
	ContentToken PRF
	// SourceExact, CueExact and ContentRoleExact match the token sets of
	// each role one to one, as multisets, ignoring empty ones.
	SourceExact, CueExact, ContentRoleExact PRF
	// SourceAcc and CueAcc are SourceOK and CueOK over ContentPartial.TP:
	// the share of matched contents whose source (cue) agrees, that is
	// shares a word token or is absent on both sides.
	SourceAcc, CueAcc float64
	SourceOK, CueOK   int

	// Unmatched are the names in the predictions that match no gold
	// document, sorted; the script reports them on standard error.
	Unmatched []string
}

// resultJSON is the script's --json output, key for key.
type resultJSON struct {
	Documents        int        `json:"documents"`
	DocumentsMissing int        `json:"documents_missing"`
	Gold             int        `json:"gold"`
	Predicted        int        `json:"predicted"`
	ContentPartial   [3]float64 `json:"content_partial"`
	ContentExact     [3]float64 `json:"content_exact"`
	ContentToken     [3]float64 `json:"content_token"`
	Attribution      [3]float64 `json:"attribution"`
	SourceExact      [3]float64 `json:"source_exact"`
	CueExact         [3]float64 `json:"cue_exact"`
	ContentRoleExact [3]float64 `json:"content_role_exact"`
	SourceAcc        float64    `json:"source_acc"`
	CueAcc           float64    `json:"cue_acc"`
}

func (s PRF) triple() [3]float64 { return [3]float64{s.P, s.R, s.F1} }

// MarshalJSON writes the keys and values of polnear_score.py --json.
func (r Result) MarshalJSON() ([]byte, error) {
	return json.Marshal(resultJSON{
		Documents:        r.Documents,
		DocumentsMissing: r.DocumentsMissing,
		Gold:             r.Gold,
		Predicted:        r.Predicted,
		ContentPartial:   r.ContentPartial.triple(),
		ContentExact:     r.ContentExact.triple(),
		ContentToken:     r.ContentToken.triple(),
		Attribution:      r.Attribution.triple(),
		SourceExact:      r.SourceExact.triple(),
		CueExact:         r.CueExact.triple(),
		ContentRoleExact: r.ContentRoleExact.triple(),
		SourceAcc:        r.SourceAcc,
		CueAcc:           r.CueAcc,
	})
}

// WriteText writes the report polnear_score.py prints without --json.
func (r Result) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("documents %d (no prediction for %d), gold attributions %d, predicted %d\n",
		r.Documents, r.DocumentsMissing, r.Gold, r.Predicted)
	for _, m := range []struct {
		name string
		prf  PRF
	}{
		{"content_partial", r.ContentPartial},
		{"content_exact", r.ContentExact},
		{"content_token", r.ContentToken},
		{"attribution", r.Attribution},
		{"source_exact", r.SourceExact},
		{"cue_exact", r.CueExact},
		{"content_role_exact", r.ContentRoleExact},
	} {
		ew.printf("%-18s P %.3f  R %.3f  F1 %.3f\n", m.name, m.prf.P, m.prf.R, m.prf.F1)
	}
	ew.printf("source-acc %.3f  cue-acc %.3f (over content-partial matches)\n", r.SourceAcc, r.CueAcc)
	ew.printf("attribution F1: %.3f\n", r.Attribution.F1)
	if ew.err != nil {
		return fmt.Errorf("polnear: write result: %w", ew.err)
	}
	return nil
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// tokenSet is a set of word tokens, each named by its start offset in code
// points, sorted.
type tokenSet []int

// attr is an attribution reduced to token sets, as the script keeps it.
type attr struct{ source, cue, content tokenSet }

// IsWord reports whether r is a word character of Python's \w with
// re.UNICODE: a letter (L*), a number (Nd, Nl, No) or "_". Combining
// marks and connector punctuation other than "_" are not.
func IsWord(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// tokenizer finds the word tokens of one text.
type tokenizer struct {
	word []bool // per code point
}

func newTokenizer(text string) *tokenizer {
	t := &tokenizer{word: make([]bool, 0, len(text))}
	for _, r := range text {
		t.word = append(t.word, IsWord(r))
	}
	return t
}

// tokens returns the start offsets of the \w+ matches Python's
// finditer(text, a, b) finds in each span, clamped to the text: a match
// may start at a inside a word and is cut at b.
func (t *tokenizer) tokens(spans []CPSpan) tokenSet {
	var out tokenSet
	for _, s := range spans {
		a, b := max(0, s.Start), min(len(t.word), s.End)
		for k := a; k < b; k++ {
			if t.word[k] && (k == a || !t.word[k-1]) {
				out = append(out, k)
			}
		}
	}
	if len(spans) > 1 {
		slices.Sort(out)
		out = slices.Compact(out)
	}
	return out
}

func (t *tokenizer) attr(source, cue, content []CPSpan) attr {
	return attr{source: t.tokens(source), cue: t.tokens(cue), content: t.tokens(content)}
}

// key encodes a token set as a map key.
func (s tokenSet) key() string {
	b := make([]byte, 0, 3*len(s))
	for _, x := range s {
		b = binary.AppendUvarint(b, uint64(x))
	}
	return string(b)
}

func intersects(a, b tokenSet) bool {
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			return true
		}
	}
	return false
}

func intersection(a, b tokenSet) int {
	n := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// jaccard is the script's len(a & b) / len(a | b), 0 for two empty sets.
func jaccard(a, b tokenSet) float64 {
	in := intersection(a, b)
	union := len(a) + len(b) - in
	if union == 0 {
		return 0
	}
	return float64(in) / float64(union)
}

// agree is the script's role test on a matched pair: both absent, or
// sharing a word token.
func agree(p, g tokenSet) bool {
	return len(p) == 0 && len(g) == 0 || intersects(p, g)
}

// Score compares predictions, keyed by document name, with the gold
// documents as polnear_score.py does. A gold document whose name is not a
// key counts as missing; one whose key holds no prediction does not.
// Document names should be unique. Score reads only Text and the code
// point spans of the gold documents.
func Score(gold []Document, pred map[string][]Prediction) Result {
	var (
		res                     Result
		tpPart, tpExact, tpAttr int
		tokTP, tokP, tokG       int
		roleTP, roleP, roleG    [3]int // source, cue, content
		names                   = make(map[string]bool, len(gold))
	)
	for i := range gold {
		d := &gold[i]
		names[d.Name] = true
		res.Documents++
		ps, ok := pred[d.Name]
		if !ok {
			res.DocumentsMissing++
		}
		tok := newTokenizer(d.Text)
		gattrs := make([]attr, len(d.Attributions))
		for j := range d.Attributions {
			a := &d.Attributions[j]
			gattrs[j] = tok.attr(a.SourceCP, a.CueCP, a.ContentCP)
		}
		pattrs := make([]attr, 0, len(ps))
		for j := range ps {
			if a := tok.attr(ps[j].Source, ps[j].Cue, ps[j].Content); len(a.content) > 0 {
				pattrs = append(pattrs, a)
			}
		}
		res.Gold += len(gattrs)
		res.Predicted += len(pattrs)

		for r, get := range []func(attr) tokenSet{
			func(a attr) tokenSet { return a.source },
			func(a attr) tokenSet { return a.cue },
			func(a attr) tokenSet { return a.content },
		} {
			gs := map[string]int{}
			for _, g := range gattrs {
				if s := get(g); len(s) > 0 {
					gs[s.key()]++
					roleG[r]++
				}
			}
			for _, p := range pattrs {
				if s := get(p); len(s) > 0 {
					roleP[r]++
					if k := s.key(); gs[k] > 0 {
						gs[k]--
						roleTP[r]++
					}
				}
			}
		}

		gt, pt := union(gattrs), union(pattrs)
		tokTP += intersection(gt, pt)
		tokP += len(pt)
		tokG += len(gt)

		type pair struct {
			jc   float64
			i, j int
		}
		var pairs []pair
		for i, p := range pattrs {
			for j, g := range gattrs {
				if intersects(p.content, g.content) {
					pairs = append(pairs, pair{jaccard(p.content, g.content), i, j})
				}
			}
		}
		// Python's sorted(..., reverse=True) on (jaccard, i, j) tuples.
		sort.Slice(pairs, func(a, b int) bool {
			x, y := pairs[a], pairs[b]
			if x.jc != y.jc {
				return x.jc > y.jc
			}
			if x.i != y.i {
				return x.i > y.i
			}
			return x.j > y.j
		})
		usedP := make([]bool, len(pattrs))
		usedG := make([]bool, len(gattrs))
		for _, pr := range pairs {
			if pr.jc < 0.5 || usedP[pr.i] || usedG[pr.j] {
				continue
			}
			usedP[pr.i], usedG[pr.j] = true, true
			p, g := pattrs[pr.i], gattrs[pr.j]
			tpPart++
			if slices.Equal(p.content, g.content) {
				tpExact++
			}
			sOK, cOK := agree(p.source, g.source), agree(p.cue, g.cue)
			if sOK {
				res.SourceOK++
			}
			if cOK {
				res.CueOK++
			}
			if sOK && cOK {
				tpAttr++
			}
		}
	}
	for name := range pred {
		if !names[name] {
			res.Unmatched = append(res.Unmatched, name)
		}
	}
	sort.Strings(res.Unmatched)

	res.ContentPartial = newPRF(tpPart, res.Predicted, res.Gold)
	res.ContentExact = newPRF(tpExact, res.Predicted, res.Gold)
	res.ContentToken = newPRF(tokTP, tokP, tokG)
	res.Attribution = newPRF(tpAttr, res.Predicted, res.Gold)
	res.SourceExact = newPRF(roleTP[0], roleP[0], roleG[0])
	res.CueExact = newPRF(roleTP[1], roleP[1], roleG[1])
	res.ContentRoleExact = newPRF(roleTP[2], roleP[2], roleG[2])
	if tpPart > 0 {
		res.SourceAcc = float64(res.SourceOK) / float64(tpPart)
		res.CueAcc = float64(res.CueOK) / float64(tpPart)
	}
	return res
}

// union returns the union of the attributions' content tokens.
func union(as []attr) tokenSet {
	var out tokenSet
	for _, a := range as {
		out = append(out, a.content...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
