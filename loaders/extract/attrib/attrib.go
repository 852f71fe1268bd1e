// Package attrib finds attributions in news text: content attributed to a
// source through a cue ("Blinken said that ...", "according to the
// ministry, ...", "“...,” the expert said").
//
// It works in two learned stages, both linear-chain labellers trained with
// the averaged perceptron on the PolNeAR corpus (see cmd/provtrain):
//
//  1. Cues: each sentence is labelled token by token (B, I, O) for cue
//     words: "said", "told ... that", "according to", a colon before a
//     quotation.
//  2. Roles: for each cue, the tokens of a window around it (its paragraph,
//     up to three sentences before and two after) are labelled as source,
//     content, the cue itself or nothing, with features relative to the
//     cue: direction and distance, sentence and quotation boundaries in
//     between, the cue's own word.
//
// Both use the same per-token features, computed once per text.
package attrib

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	_ "embed"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/provgraph/provgraph/loaders/extract"
	"github.com/provgraph/provgraph/loaders/extract/lexicon"
	"github.com/provgraph/provgraph/loaders/extract/seq"
)

// Labels of the cue model.
const (
	cueO = iota
	cueB
	cueI
)

var cueLabels = []string{"O", "B", "I"}

// Labels of the role model.
const (
	roleO = iota
	roleSB
	roleSI
	roleCB
	roleCI
	roleV // the cue
)

var roleLabels = []string{"O", "S-B", "S-I", "C-B", "C-I", "V"}

func cueAllowed(prev, cur int) bool { return cur != cueI || prev == cueB || prev == cueI }

func roleAllowed(prev, cur int) bool {
	switch cur {
	case roleSI:
		return prev == roleSB || prev == roleSI
	case roleCI:
		return prev == roleCB || prev == roleCI
	}
	return true
}

// Attribution is one attribution found in a text, with byte spans.
type Attribution = extract.Attribution

// Rule names the model in the attributions it finds.
const Rule = "attrib:perceptron"

// Model is a trained attribution extractor. It is safe for concurrent use.
type Model struct {
	cue, role *seq.Model
	pool      sync.Pool
}

//go:embed model/cue.seq.gz
var cueWeights []byte

//go:embed model/role.seq.gz
var roleWeights []byte

var (
	defaultOnce  sync.Once
	defaultModel *Model
	defaultErr   error
)

// Default returns the model trained on PolNeAR's train split that ships
// with provgraph.
func Default() (*Model, error) {
	defaultOnce.Do(func() {
		defaultModel, defaultErr = Load(cueWeights, roleWeights)
	})
	return defaultModel, defaultErr
}

// Load reads a model from its two weight files, gzip-compressed or not.
func Load(cue, role []byte) (*Model, error) {
	c, err := readModel(cue)
	if err != nil {
		return nil, fmt.Errorf("attrib: cue model: %w", err)
	}
	r, err := readModel(role)
	if err != nil {
		return nil, fmt.Errorf("attrib: role model: %w", err)
	}
	return newModel(c, r), nil
}

func readModel(b []byte) (*seq.Model, error) {
	var r io.Reader = bytes.NewReader(b)
	if len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, err
		}
		r = zr
	}
	return seq.Read(bufio.NewReader(r))
}

func newModel(cue, role *seq.Model) *Model {
	return &Model{cue: cue, role: role}
}

// Weights returns the model's two weight files.
func (m *Model) Weights() (cue, role []byte, err error) {
	var c, r bytes.Buffer
	if err := m.cue.Write(&c); err != nil {
		return nil, nil, err
	}
	if err := m.role.Write(&r); err != nil {
		return nil, nil, err
	}
	return c.Bytes(), r.Bytes(), nil
}

// worker holds the buffers of one extraction.
type worker struct {
	dec    seq.Decoder // for the role stage
	cueDec seq.Decoder // for the cue stage, whose labels outlive role decoding
	feats  [][]uint32
	flat   []uint32
	qp, cp []int // prefix counts of quotation marks and commas
}

func (m *Model) worker() *worker {
	if w, ok := m.pool.Get().(*worker); ok {
		return w
	}
	return &worker{}
}

// Extract implements [extract.Extractor]: it adds the attributions of the
// document's text.
func (m *Model) Extract(ctx context.Context, d *extract.Doc) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.Attributions = append(d.Attributions, m.Find(d.Text)...)
	return nil
}

// Find returns the attributions of a text, in text order.
func (m *Model) Find(t *extract.Text) []Attribution {
	a := analyse(t)
	w := m.worker()
	out := m.find(w, a)
	m.pool.Put(w)
	out = m.headlines(t, out)
	out = splitGaps(a, out)
	out = outermost(t, out)
	out = oneContent(t, out)
	if nested := m.nested(t, out); len(nested) > 0 {
		out = append(out, nested...)
		sort.SliceStable(out, func(i, j int) bool { return out[i].Cue[0].Start < out[j].Cue[0].Start })
	}
	return out
}

// find runs both stages over an analysed text.
func (m *Model) find(w *worker, a *analysis) []Attribution {
	t := a.t
	var out []Attribution
	for si, s := range t.Sentences {
		if t.Skipped(s.Span) {
			continue
		}
		feats := w.cueFeatures(a, s.First, s.Last)
		labels := m.cue.Decode(&w.cueDec, feats, cueAllowed)
		found := false
		for i := 0; i < len(labels); i++ {
			if labels[i] != cueB {
				continue
			}
			found = true
			j := i + 1
			for j < len(labels) && labels[j] == cueI {
				j++
			}
			c0, c1 := s.First+i, s.First+j
			margin := m.cue.Margin(&w.cueDec, i, cueB)
			if at, ok := m.roles(w, a, si, c0, c1); ok {
				at.Confidence = confidence(margin)
				out = append(out, at)
			}
			i = j - 1
		}
		if !found {
			if at, ok := m.quoteTail(w, a, si, s); ok {
				out = append(out, at)
			} else {
				out = append(out, m.withoutClauses(t, s)...)
			}
		}
	}
	return out
}

// withoutClauses reads a sentence again with its relative clauses blanked
// ("Blinken, who spoke with Aliyev a day earlier, underscored the
// importance of talks"): the clause puts its subject out of the cue
// model's reach. Blanking keeps offsets, so what is found there maps back
// to the text.
func (m *Model) withoutClauses(t *extract.Text, s extract.Sentence) []Attribution {
	var src []byte
	for i := s.First + 1; i+1 < s.Last; i++ {
		if t.Word(i-1) != "," || (t.Word(i) != "who" && t.Word(i) != "which") {
			continue
		}
		j := i + 1
		for j < s.Last && t.Word(j) != "," && t.Tokens[j].Kind != extract.OpenQuote {
			j++
		}
		if j >= s.Last-1 || t.Word(j) != "," {
			break
		}
		if src == nil {
			src = []byte(t.Src[s.Start:s.End])
		}
		for b := t.Tokens[i-1].Start; b < t.Tokens[j].End; b++ {
			src[b-s.Start] = ' '
		}
		i = j
	}
	if src == nil {
		return nil
	}
	return m.reread(src, s.Start, nil)
}

// reread runs both stages over src, a stand-in for the text's bytes from
// offset off on (of the same length where it differs: letters re-cased,
// quotation marks or clauses blanked), and returns what they find in the
// text's offsets. post, when set, tidies what is found first.
func (m *Model) reread(src []byte, off int, post func(*analysis, []Attribution) []Attribution) []Attribution {
	a := analyse(extract.NewText(string(src), nil))
	w := m.worker()
	found := m.find(w, a)
	m.pool.Put(w)
	if post != nil {
		found = post(a, found)
	}
	for i := range found {
		found[i] = shift(found[i], off)
	}
	return found
}

// quoteTail finds the cue of a sentence that ends a quotation with its
// source and a verb ("“…,” the expert believes.", "“…,” said the
// minister."), when the cue model found none there: after a closing
// quotation mark, a comma and at most six words, one of them a verb the
// lexicon knows, the sentence ends. Whatever the verb, the words after a
// quotation are its attribution.
func (m *Model) quoteTail(w *worker, a *analysis, si int, s extract.Sentence) (Attribution, bool) {
	t := a.t
	end := s.Last
	for end > s.First && t.Tokens[end-1].Kind == extract.Punct {
		end--
	}
	q := -1
	for i := end - 1; i >= s.First && end-i <= 8; i-- {
		if t.Tokens[i].Kind == extract.CloseQuote {
			q = i
			break
		}
	}
	if q < 0 || q+2 >= end {
		return Attribution{}, false
	}
	k := q + 1
	if t.Word(k) == "," {
		k++
	}
	if q > s.First && t.Word(q-1) == "," {
		// "…,” the expert believes": the comma stands inside the quotation.
	} else if k == q+1 {
		return Attribution{}, false
	}
	if end-k > 6 || end-k < 2 {
		return Attribution{}, false
	}
	verb := -1
	for i := k; i < end; i++ {
		if t.Tokens[i].Kind != extract.Word {
			return Attribution{}, false
		}
		l := a.toks[i].lex
		if l.First&(lexicon.VerbCommunication|lexicon.VerbCognition) != 0 && (i == k || i == end-1) {
			verb = i
		}
	}
	if verb < 0 {
		return Attribution{}, false
	}
	at, ok := m.roles(w, a, si, verb, verb+1)
	if !ok {
		return Attribution{}, false
	}
	at.Confidence = confidence(m.cue.Margin(&w.cueDec, verb-s.First, cueB))
	at.Rule = RuleQuoteTail
	return at, true
}

// RuleQuoteTail names the attributions [Model.quoteTail] finds.
const RuleQuoteTail = Rule + ":quote-tail"

// headlines reads Title Case lines ("Blinken Expresses Concern Over
// Checkpoint") again in sentence case, the case the model was trained on,
// and lets what it finds there replace what it found in the original
// casing. Only letters whose lower case has the same length change, so
// offsets hold.
func (m *Model) headlines(t *extract.Text, out []Attribution) []Attribution {
	for _, s := range t.Sentences {
		if !t.TitleCase(s) || t.Skipped(s.Span) {
			continue
		}
		src := []byte(t.Src[s.Start:s.End])
		lowered := false
		for i := s.First; i < s.Last; i++ {
			w := t.Word(i)
			if t.Tokens[i].Kind != extract.Word || !isUpperASCII(w[0]) || i == s.First {
				continue
			}
			lw := strings.ToLower(w)
			if e := lexicon.Lookup(lw); e.Lemma == "" && !functionWord[lw] {
				continue // a name, most likely
			}
			src[t.Tokens[i].Start-s.Start] = w[0] + 'a' - 'A'
			lowered = true
		}
		if !lowered {
			continue
		}
		found := m.reread(src, s.Start, nil)
		kept := out[:0:0]
		for _, at := range out {
			if at.Cue[0].Start < s.Span.Start || at.Cue[0].Start >= s.Span.End {
				kept = append(kept, at)
			}
		}
		out = append(kept, found...)
		sort.SliceStable(out, func(i, j int) bool { return out[i].Cue[0].Start < out[j].Cue[0].Start })
	}
	return out
}

func isUpperASCII(c byte) bool { return c >= 'A' && c <= 'Z' }

// functionWord are the short words Title Case capitalises that the
// lexicon of nouns and verbs does not hold.
var functionWord = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "on": true, "in": true, "at": true, "to": true,
	"for": true, "over": true, "with": true, "by": true, "from": true, "and": true, "or": true, "but": true,
	"as": true, "after": true, "before": true, "about": true, "into": true, "against": true, "amid": true,
	"is": true, "are": true, "was": true, "were": true, "be": true, "it": true, "its": true, "his": true,
	"her": true, "their": true, "that": true, "this": true, "not": true, "no": true, "up": true,
	"out": true, "off": true, "will": true, "would": true, "could": true, "should": true, "may": true,
	"says": true, "said": true, "than": true, "why": true, "how": true, "what": true, "who": true,
}

// outermost drops attributions found inside the content of another: in
// "Clinton had told police she did not want the escort, but the NYPD
// overruled that request, the Post has learned", the Post's attribution
// covers the sentence, and the cues inside it ("had told", "overruled")
// are the Post's account, not attributions the text makes. The corpus the
// model learned from annotates attributions this way (contents never
// nest). Of two attributions each inside the other, the more confident
// stays. A written statement's quotation is read for what it reports by
// [Model.nested] instead.
func outermost(t *extract.Text, as []Attribution) []Attribution {
	// a's cue lies inside b's content, or between two of its runs.
	inside := func(a, b Attribution) bool {
		return b.Content[0].Start <= a.Cue[0].Start && a.Cue[0].End <= b.Content[len(b.Content)-1].End
	}
	// "Yerevan protested the move, stressing that it broke the deal":
	// an attribution that continues another after a comma or "and" ends
	// the first one's content there, and both stay.
	for i := range as {
		for j := range as {
			if i != j && inside(as[i], as[j]) && !writtenSource(t, as[j]) {
				continues(t, as[i], &as[j])
			}
		}
	}
	// "“A,” Rubio said. “B,” Clinton said.": a cue the cue stage is sure
	// of, in another sentence than the cue whose content reaches it, ends
	// that content at its own sentence.
	for i := range as {
		for j := range as {
			if i != j && inside(as[i], as[j]) && !writtenSource(t, as[j]) && as[i].Confidence >= 0.5 {
				separate(t, as[i], &as[j])
			}
		}
	}
	out := as[:0:0]
	for i, a := range as {
		drop := false
		for j, b := range as {
			if i == j || !inside(a, b) || writtenSource(t, b) {
				continue
			}
			if inside(b, a) && a.Confidence > b.Confidence {
				continue
			}
			drop = true
			break
		}
		if !drop {
			out = append(out, a)
		}
	}
	return out
}

// continues cuts b's content before a when a follows b's cue right after
// a comma, a semicolon or "and" ("..., adding that", "... and stated
// that"), and reports whether it did.
func continues(t *extract.Text, a Attribution, b *Attribution) bool {
	if a.Cue[0].Start < b.Cue[len(b.Cue)-1].End {
		return false
	}
	// Where a starts: its source when that stands between the two cues
	// ("..., and he stressed"), else its cue (", stressing", whose source
	// is b's).
	first := a.Cue[0].Start
	if len(a.Source) > 0 && a.Source[0].Start < first && a.Source[0].Start >= b.Cue[len(b.Cue)-1].End {
		first = a.Source[0].Start
	}
	k, _ := t.TokensIn(extract.Span{Start: first, End: first + 1})
	if k < 2 {
		return false
	}
	cut := k - 1
	switch t.Word(cut) {
	case ",", ";":
	case "and":
		// "... and the monitoring center were informed": a noun phrase
		// after a bare "and" is more often a second subject of the
		// content than a new speaker.
		if len(a.Source) > 0 && t.Word(cut-1) != "," && !pronoun[strings.ToLower(t.Src[a.Source[0].Start:a.Source[0].End])] {
			return false
		}
		if t.Word(cut-1) == "," {
			cut--
		}
	default:
		return false
	}
	at := t.Tokens[cut].Start
	var content []extract.Span
	for _, c := range b.Content {
		if c.End <= at {
			content = append(content, c)
			continue
		}
		if c.Start < at {
			content = append(content, extract.Span{Start: c.Start, End: t.Tokens[cut-1].End})
		}
		break
	}
	if len(content) == 0 {
		return false
	}
	b.Content = content
	b.Kind = extract.KindOf(t, b.Content, b.Cue)
	return true
}

// oneContent keeps, of two attributions whose contents are mostly the
// same words (word-token Jaccard of at least one half), the one whose cue
// the cue stage is surer of: a content has one cue in the corpus the model
// learned from, and two cues reaching for it ("“A,” said X. “B,” said Y",
// where X's content runs on into Y's quotation) are one right and one
// wrong. The other keeps its content runs that do not overlap the first's,
// or is dropped when none are left. Attributions nested on purpose (a cue
// inside a written statement's content, which [outermost] keeps) are
// left alone.
func oneContent(t *extract.Text, as []Attribution) []Attribution {
	if len(as) < 2 {
		return as
	}
	// words counts the word tokens of [i, j).
	words := func(i, j int) int {
		n := 0
		for k := i; k < j; k++ {
			if kind := t.Tokens[k].Kind; kind == extract.Word || kind == extract.Number {
				n++
			}
		}
		return n
	}
	count := func(a Attribution) int {
		n := 0
		for _, c := range a.Content {
			n += words(t.TokensIn(c))
		}
		return n
	}
	// shared counts the word tokens two contents have in common.
	shared := func(a, b Attribution) int {
		n := 0
		for _, c := range a.Content {
			for _, d := range b.Content {
				if lo, hi := max(c.Start, d.Start), min(c.End, d.End); lo < hi {
					n += words(t.TokensIn(extract.Span{Start: lo, End: hi}))
				}
			}
		}
		return n
	}
	inside := func(a, b Attribution) bool {
		return b.Content[0].Start <= a.Cue[0].Start && a.Cue[0].End <= b.Content[len(b.Content)-1].End
	}
	var sizes []int
	drop := make([]bool, len(as))
	for i := range as {
		for j := i + 1; j < len(as); j++ {
			a, b := as[i], as[j]
			if drop[i] || drop[j] || a.Content[len(a.Content)-1].End <= b.Content[0].Start || b.Content[len(b.Content)-1].End <= a.Content[0].Start {
				continue
			}
			if inside(a, b) || inside(b, a) {
				continue
			}
			if sizes == nil {
				sizes = make([]int, len(as))
				for k := range as {
					sizes[k] = count(as[k])
				}
			}
			inter := shared(a, b)
			union := sizes[i] + sizes[j] - inter
			if union == 0 || 2*inter < union {
				continue
			}
			win, lose := i, j
			if as[j].Confidence > as[i].Confidence {
				win, lose = j, i
			}
			var kept []extract.Span
			for _, c := range as[lose].Content {
				overlaps := false
				for _, d := range as[win].Content {
					if c.Start < d.End && d.Start < c.End {
						overlaps = true
						break
					}
				}
				if !overlaps {
					kept = append(kept, c)
				}
			}
			if len(kept) == 0 {
				drop[lose] = true
				continue
			}
			as[lose].Content = kept
			as[lose].Kind = extract.KindOf(t, kept, as[lose].Cue)
			sizes[lose] = count(as[lose])
		}
	}
	out := as[:0:0]
	for i, a := range as {
		if !drop[i] {
			out = append(out, a)
		}
	}
	return out
}

var pronoun = map[string]bool{"he": true, "she": true, "they": true, "it": true, "we": true, "i": true}

// RuleContinues names attributions split off another's content by
// [splitGaps].
const RuleContinues = Rule + ":continues"

// splitGaps splits "Blinken emphasized A and stated that B" in two: the
// role model leaves "and stated that" out of the content, between two of
// its runs, and a verb of communication there is a second cue of the same
// speaker, whose content is what follows it.
func splitGaps(a *analysis, as []Attribution) []Attribution {
	t := a.t
	n := len(as)
	for k := 0; k < n; k++ {
		b := &as[k]
		cueEnd := b.Cue[len(b.Cue)-1].End
		for r := 1; r < len(b.Content); r++ {
			prev, next := b.Content[r-1], b.Content[r]
			if prev.Start < cueEnd {
				continue
			}
			first, _ := t.TokensIn(extract.Span{Start: prev.End, End: prev.End + 1})
			last, _ := t.TokensIn(extract.Span{Start: next.Start, End: next.Start + 1})
			if last-first < 2 || last-first > 3 || (t.Word(first) != "and" && t.Word(first) != ",") {
				continue
			}
			verb := -1
			for i := first + 1; i < last; i++ {
				if a.toks[i].lex.First&lexicon.VerbCommunication != 0 {
					verb = i
					break
				}
			}
			if verb < 0 {
				continue
			}
			cont := Attribution{
				Cue:        []extract.Span{{Start: t.Tokens[verb].Start, End: t.Tokens[last-1].End}},
				Content:    append([]extract.Span(nil), b.Content[r:]...),
				Rule:       RuleContinues,
				Confidence: b.Confidence,
			}
			cont.Kind = extract.KindOf(t, cont.Content, cont.Cue)
			b.Content = append([]extract.Span(nil), b.Content[:r]...)
			b.Kind = extract.KindOf(t, b.Content, b.Cue)
			as = append(as, cont)
			break
		}
	}
	if len(as) > n {
		sort.SliceStable(as, func(i, j int) bool { return as[i].Cue[0].Start < as[j].Cue[0].Start })
	}
	return as
}

// RuleNested names the model in attributions found inside the quoted
// content of another.
const RuleNested = Rule + ":nested"

// minNestedWords is the number of quoted words a content needs before it
// is searched for attributions of its own.
const minNestedWords = 8

// nested finds the attributions a quotation reports in its turn: in
// "“Blinken emphasized the importance of dialogue,” the statement said",
// the statement attributes words to Blinken. The model is trained on
// annotations that never nest, and it sees quotation marks, so each quoted
// content is read again as plain text, with its quotation marks blanked
// (offsets unchanged), and what is found there is kept when its content
// lies inside the quotation.
func (m *Model) nested(t *extract.Text, outer []Attribution) []Attribution {
	var out []Attribution
	for _, o := range outer {
		if o.Kind != extract.Direct && o.Kind != extract.Mixed || !writtenSource(t, o) {
			continue
		}
		for _, c := range o.Content {
			first, last := t.TokensIn(c)
			words := 0
			for i := first; i < last; i++ {
				if t.Tokens[i].Quoted && t.Tokens[i].Kind == extract.Word {
					words++
				}
			}
			if words < minNestedWords {
				continue
			}
			sub := []byte(t.Src[c.Start:c.End])
			for i := first; i < last; i++ {
				if k := t.Tokens[i].Kind; k == extract.OpenQuote || k == extract.CloseQuote {
					for b := t.Tokens[i].Start; b < t.Tokens[i].End; b++ {
						sub[b-c.Start] = ' '
					}
				}
			}
			tidy := func(a *analysis, as []Attribution) []Attribution { return outermost(a.t, splitGaps(a, as)) }
			for _, at := range m.reread(sub, c.Start, tidy) {
				at.Rule = RuleNested
				out = append(out, at)
			}
		}
	}
	return out
}

// writtenSource reports whether an attribution's source or cue names a
// written text: "the statement said", "Miller said in a statement", "said
// in a Sunday statement".
func writtenSource(t *extract.Text, o Attribution) bool {
	check := func(first, last int) bool {
		for i := first; i < last; i++ {
			if lexicon.Written(strings.ToLower(t.Word(i))) {
				return true
			}
		}
		return false
	}
	for _, s := range append(append([]extract.Span(nil), o.Source...), o.Cue...) {
		if check(t.TokensIn(s)) {
			return true
		}
	}
	// "said in a Sunday statement" with "in a ..." left out of the cue.
	_, k := t.TokensIn(o.Cue[len(o.Cue)-1])
	if k < len(t.Tokens) && strings.EqualFold(t.Word(k), "in") {
		return check(k+1, min(k+5, len(t.Tokens)))
	}
	return false
}

// shift moves an attribution's spans by off bytes.
func shift(at Attribution, off int) Attribution {
	move := func(spans []extract.Span) []extract.Span {
		out := make([]extract.Span, len(spans))
		for i, s := range spans {
			out[i] = extract.Span{Start: s.Start + off, End: s.End + off}
		}
		return out
	}
	at.Source, at.Cue, at.Content = move(at.Source), move(at.Cue), move(at.Content)
	return at
}

// ForCue labels the source and content of a known cue (a byte span of one
// or more tokens of t), as Find does for the cues it finds; it is for
// measuring the two stages apart.
func (m *Model) ForCue(t *extract.Text, cue extract.Span) (Attribution, bool) {
	a := analyse(t)
	w := m.worker()
	defer m.pool.Put(w)
	c0, c1 := t.TokensIn(cue)
	if c0 == c1 {
		return Attribution{}, false
	}
	return m.roles(w, a, a.toks[c0].sent, c0, c1)
}

// window returns the token range the role model labels for a cue in
// sentence si: the cue's paragraph, at most three sentences before and two
// after.
func window(a *analysis, si int) (int, int) {
	para := a.toks[a.sentFirst[si]].para
	lo, hi := si, si
	for lo > 0 && si-lo < 3 && a.toks[a.sentFirst[lo-1]].para == para {
		lo--
	}
	for hi+1 < len(a.sentFirst) && hi-si < 2 && a.toks[a.sentFirst[hi+1]].para == para {
		hi++
	}
	return a.sentFirst[lo], a.sentLast[hi]
}

// roles labels the window of cue [c0, c1) and reads the attribution off
// the labels.
func (m *Model) roles(w *worker, a *analysis, si, c0, c1 int) (Attribution, bool) {
	lo, hi := window(a, si)
	feats := w.roleFeatures(a, lo, hi, c0, c1)
	labels := m.role.Decode(&w.dec, feats, roleAllowed)
	t := a.t
	at := Attribution{Cue: []extract.Span{{Start: t.Tokens[c0].Start, End: t.Tokens[c1-1].End}}}
	appendRun := func(spans []extract.Span, i, j int) []extract.Span {
		return append(spans, extract.Span{Start: t.Tokens[lo+i].Start, End: t.Tokens[lo+j-1].End})
	}
	keepContent := connected(a, labels, lo, si)
	plo, phi := paragraph(a, c0)
	for i := 0; i < len(labels); i++ {
		var inside int
		switch labels[i] {
		case roleSB:
			inside = roleSI
		case roleCB:
			inside = roleCI
		default:
			continue
		}
		j := i + 1
		for j < len(labels) && labels[j] == inside {
			j++
		}
		if labels[i] == roleSB {
			at.Source = appendRun(at.Source, i, j)
		} else if keepContent(lo + i) {
			i0, j0 := wholeQuote(t, lo+i, lo+j, c0, c1, plo, phi)
			at.Content = appendRun(at.Content, i0-lo, j0-lo)
		}
		i = j - 1
	}
	if len(at.Content) == 0 {
		if c := frontClause(a, labels, lo, si, c0); c.End > c.Start {
			at.Content = []extract.Span{c}
		}
	}
	if len(at.Content) == 0 {
		// "Cruz continued:" ending its paragraph, the quotation opening
		// the next: the role model sees only the cue's paragraph.
		if c := nextParagraphQuote(t, c1, phi); c.End > c.Start {
			at.Content = []extract.Span{c}
		}
	}
	if len(at.Content) == 0 {
		return at, false
	}
	at.Source = closestSource(at.Source, at.Cue[0])
	at.Kind = extract.KindOf(t, at.Content, at.Cue)
	at.Rule = Rule
	at.Confidence = 0.5
	return at, true
}

// connected returns a test of whether a content run starting at token i
// is connected to the cue's sentence si: content reaches across sentence
// boundaries only through sentences that hold content themselves (a quote
// running over several sentences, a paragraph-final "she added"), so a run
// beyond a sentence with none belongs to another attribution.
func connected(a *analysis, labels []int, lo, si int) func(i int) bool {
	hasContent := func(s int) bool {
		for i := max(a.sentFirst[s], lo); i < a.sentLast[s] && i-lo < len(labels); i++ {
			if l := labels[i-lo]; l == roleCB || l == roleCI {
				return true
			}
		}
		return false
	}
	first, last := si, si
	for first > 0 && a.sentLast[first-1] > lo && hasContent(first-1) {
		first--
	}
	for last+1 < len(a.sentFirst) && a.sentFirst[last+1]-lo < len(labels) && hasContent(last+1) {
		last++
	}
	return func(i int) bool {
		s := a.toks[i].sent
		return s >= first && s <= last
	}
}

// nextParagraphQuote returns the quotation that opens the paragraph after
// a cue ending its own ("Cruz continued:"), up to its closing mark or the
// end of that paragraph, or an empty span when the cue's paragraph goes on
// after it or the next does not open with a quotation mark. phi is the end
// of the cue's paragraph.
func nextParagraphQuote(t *extract.Text, c1, phi int) extract.Span {
	k := c1
	for k < phi && t.Tokens[k].Kind == extract.Punct {
		k++
	}
	if k != phi || k >= len(t.Tokens) || t.Tokens[k].Kind != extract.OpenQuote {
		return extract.Span{}
	}
	first := k + 1
	j := first
	for j < len(t.Tokens) && t.Tokens[j].Quoted && (j == first || !t.Tokens[j].NewlineBefore) {
		j++
	}
	if j == first {
		return extract.Span{}
	}
	return extract.Span{Start: t.Tokens[first].Start, End: t.Tokens[j-1].End}
}

// paragraph returns the token range of the paragraph holding token i.
func paragraph(a *analysis, i int) (int, int) {
	p := a.toks[i].para
	lo, hi := i, i+1
	for lo > 0 && a.toks[lo-1].para == p {
		lo--
	}
	for hi < len(a.toks) && a.toks[hi].para == p {
		hi++
	}
	return lo, hi
}

// wholeQuote widens a content run [i, j) that lies inside a quotation to
// the whole quotation on the side away from the cue [c0, c1): a quotation
// of several sentences before "Miller said" is content from its opening
// mark, one after "she said:" to its closing mark, even where the quotation
// runs on past the sentences the role model labels. It stays within the
// cue's paragraph [lo, hi) and never crosses the cue.
func wholeQuote(t *extract.Text, i, j, c0, c1, lo, hi int) (int, int) {
	if j <= c0 && t.Tokens[i].Quoted {
		k := i
		for k > lo && t.Tokens[k-1].Quoted && t.Tokens[k-1].Kind != extract.OpenQuote && t.Tokens[k-1].Kind != extract.CloseQuote {
			k--
		}
		if k > lo && t.Tokens[k-1].Kind == extract.OpenQuote {
			i = k
		}
	}
	if i >= c1 && t.Tokens[j-1].Quoted {
		k := j
		for k < hi && t.Tokens[k].Quoted && t.Tokens[k].Kind != extract.OpenQuote && t.Tokens[k].Kind != extract.CloseQuote {
			k++
		}
		if k < hi && t.Tokens[k].Kind == extract.CloseQuote {
			j = k
		}
	}
	return i, j
}

// confidence maps the cue stage's margin for a cue's first token (its
// score as a cue start over the best other label) into (0, 1) with a
// logistic curve: a monotone score for ranking and thresholds, not a
// calibrated probability.
func confidence(margin float32) float64 {
	return 1 / (1 + math.Exp(-float64(margin)/10))
}

// closestSource keeps, of several source runs, the one nearest the cue: an
// attribution has one source mention.
func closestSource(src []extract.Span, cue extract.Span) []extract.Span {
	if len(src) <= 1 {
		return src
	}
	dist := func(s extract.Span) int {
		if s.End <= cue.Start {
			return cue.Start - s.End
		}
		return s.Start - cue.End
	}
	sort.SliceStable(src, func(i, j int) bool { return dist(src[i]) < dist(src[j]) })
	return src[:1]
}

// frontClause returns, for a cue standing after a comma late in its
// sentence ("..., said Larry Sabato, director of ...", "..., a
// spokeswoman said"), the clause before that comma, when the role model
// labelled no content: the words before the comma are what is reported.
func frontClause(a *analysis, labels []int, lo, si, c0 int) extract.Span {
	t := a.t
	first := a.sentFirst[si]
	k := c0
	// A source between the comma and the cue: "..., a spokeswoman said".
	for k > first && (labels[k-1-lo] == roleSB || labels[k-1-lo] == roleSI) {
		k--
	}
	if k-1 <= first || t.Word(k-1) != "," {
		return extract.Span{}
	}
	end := k - 1
	words := 0
	for i := first; i < end; i++ {
		if t.Tokens[i].Kind == extract.Word || t.Tokens[i].Kind == extract.Number {
			words++
		}
	}
	if words < 3 {
		return extract.Span{}
	}
	start := first
	for start < end && t.Tokens[start].Kind == extract.OpenQuote {
		start++
	}
	return extract.Span{Start: t.Tokens[start].Start, End: t.Tokens[end-1].End}
}

// separate cuts b's content where the sentence of a's cue starts (when it
// follows b's cue) or ends (when it precedes it), if a's cue stands in
// another sentence than b's; content beyond that sentence's far side stays.
// b is left as it was when nothing of its content would remain.
func separate(t *extract.Text, a Attribution, b *Attribution) {
	sentOf := func(off int) int {
		return sort.Search(len(t.Sentences), func(i int) bool { return t.Sentences[i].End > off })
	}
	sa, sb := sentOf(a.Cue[0].Start), sentOf(b.Cue[0].Start)
	if sa == sb || sa >= len(t.Sentences) {
		return
	}
	s := t.Sentences[sa]
	var content []extract.Span
	for _, c := range b.Content {
		if sa > sb {
			if c.End <= s.Start {
				content = append(content, c)
			} else if c.Start < s.Start {
				k, _ := t.TokensIn(extract.Span{Start: s.Start, End: s.Start + 1})
				if k > 0 {
					content = append(content, extract.Span{Start: c.Start, End: t.Tokens[k-1].End})
				}
			}
		} else {
			if c.Start >= s.End {
				content = append(content, c)
			} else if c.End > s.End {
				k, _ := t.TokensIn(extract.Span{Start: s.End, End: s.End + 1})
				if k < len(t.Tokens) {
					content = append(content, extract.Span{Start: t.Tokens[k].Start, End: c.End})
				}
			}
		}
	}
	if len(content) == 0 {
		return
	}
	b.Content = content
	b.Kind = extract.KindOf(t, b.Content, b.Cue)
}
