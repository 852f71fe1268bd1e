package provenance

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/provgraph/provgraph/graph"
)

// Tracer is what the GraphQL layer calls.
type Tracer interface {
	Trace(ctx context.Context, text string, first int) ([]graph.Provenance, error)
}

var _ Tracer = (*Linker)(nil)

// firstBand is the share of the best match's score a claim must reach to
// be the answer when it was said earlier.
const firstBand = 0.9

// MaxTrace bounds the number of claims [Linker.Trace] returns.
const MaxTrace = 50

// questionClause splits a question into clauses; the first clause that
// says something is the claim asked about ("Who says X, and who denies
// it?").
var questionClause = regexp.MustCompile(`(?i),\s*(?:and|or|but)\s+|\?\s*`)

// Trace answers "who first claimed X": text is a claim, a quotation or a
// question about one. It returns up to first claims (at most [MaxTrace]),
// best match first, each with its first statement, its later statements
// in date order and the statements that dispute it. Numbers written as
// words or figures, inflections and the synonyms the normaliser knows
// match.
func (l *Linker) Trace(ctx context.Context, text string, first int) ([]graph.Provenance, error) {
	if first <= 0 || first > MaxTrace {
		first = MaxTrace
	}
	q := questionFeatures(text)
	if len(q.terms) == 0 {
		return nil, nil
	}
	// Candidates: statements under any of the question's terms; a term's
	// weight falls with the number of statements that have it.
	idf := make(map[string]float64, len(q.terms))
	score := make(map[graph.ID]float64)
	keys := make([]string, len(q.terms))
	for i, t := range q.terms {
		keys[i] = t.key
	}
	postings, err := l.ix.lookupAll(ctx, keys, 4*postingLimit)
	if err != nil {
		return nil, fmt.Errorf("provenance: trace: %w", err)
	}
	for i, t := range q.terms {
		ids, more := postings[i].IDs, postings[i].More
		df := len(ids)
		if more {
			// A common key may come back without its postings.
			df = 4 * 4 * postingLimit
		}
		// Rarity alone weighs a term here: a name common in the graph
		// says little about which claim is meant.
		w := 1.0
		if strings.HasPrefix(t.key, kindNumber) {
			w = 2
		}
		idf[t.key] = w * math.Log(2+200/float64(1+df))
		if more {
			continue
		}
		for _, id := range ids {
			score[id] += idf[t.key]
		}
	}
	// Speakers named in the question count as matched terms.
	ranked := make([]graph.ID, 0, len(score))
	for id := range score {
		ranked = append(ranked, id)
	}
	slices.SortFunc(ranked, func(a, b graph.ID) int {
		if score[a] != score[b] {
			if score[a] > score[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(string(a), string(b))
	})
	if len(ranked) > 100 {
		ranked = ranked[:100]
	}
	cands, err := l.load(ctx, ranked)
	if err != nil {
		return nil, err
	}
	total := 0.0
	for _, t := range q.terms {
		total += idf[t.key]
	}
	// Each candidate's best proposition, scored by how much of the
	// question it covers.
	type hit struct {
		claim graph.ID
		text  string
		score float64
	}
	best := make(map[graph.ID]hit)
	for _, c := range cands {
		// The speaker's names and the cue ("expressed concern over")
		// answer parts of a question too.
		spk := speakerTerms(c.x)
		for _, t := range analyse(c.x.Statement.Cue.Text, false).terms {
			spk[t.key] = true
		}
		for pi := range c.props {
			p, claim := &c.props[pi], c.claims[pi]
			if claim == "" {
				continue
			}
			got := 0.0
			for _, t := range q.terms {
				if spk[t.key] || p.f.has(t.key) {
					got += idf[t.key]
				}
			}
			s := got / total
			s = 0.85*s + 0.15*similarity(&q, &p.f)
			if q.neg != p.f.neg {
				s *= 0.75
			}
			if h, ok := best[claim]; !ok || s > h.score {
				best[claim] = hit{claim, p.text, s}
			}
		}
	}
	hits := make([]hit, 0, len(best))
	for _, h := range best {
		hits = append(hits, h)
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return strings.Compare(string(a.claim), string(b.claim))
	})
	if len(hits) > first {
		hits = hits[:first]
	}
	out := make([]graph.Provenance, 0, len(hits))
	for _, h := range hits {
		p, err := l.provenance(ctx, h.claim, h.text)
		if err != nil {
			return nil, err
		}
		if p == nil {
			continue
		}
		p.Score = min(1, h.score)
		out = append(out, *p)
	}
	// Among claims that match about as well as the best, the one said
	// first answers "who first".
	if len(out) > 1 {
		top := 0
		for i := 1; i < len(out); i++ {
			if out[i].Score >= out[0].Score*firstBand && compareWhen(graph.IndexedStatement{Statement: out[i].First}, graph.IndexedStatement{Statement: out[top].First}) < 0 {
				top = i
			}
		}
		if top > 0 {
			t := out[top]
			copy(out[1:top+1], out[:top])
			out[0] = t
		}
	}
	return out, nil
}

// questionFeatures normalises a question: its first clause with content,
// without the question's own words.
func questionFeatures(text string) features {
	for _, part := range questionClause.Split(text, -1) {
		if f := analyse(part, true); len(f.terms) >= 2 {
			return f
		}
	}
	return analyse(text, true)
}

// speakerTerms returns the terms of a statement's speaker's names.
func speakerTerms(x graph.IndexedStatement) map[string]bool {
	out := make(map[string]bool)
	if x.Speaker == nil {
		return out
	}
	for _, n := range append([]string{x.Speaker.Name}, x.Speaker.Aliases...) {
		for _, t := range analyse(n, false).terms {
			out[t.key] = true
		}
	}
	return out
}

// provenance builds the answer for one claim.
func (l *Linker) provenance(ctx context.Context, claim graph.ID, text string) (*graph.Provenance, error) {
	ids, err := l.ix.members(ctx, claim)
	if err != nil {
		return nil, fmt.Errorf("provenance: claim %s: %w", claim, err)
	}
	xs, err := l.ix.statements(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("provenance: claim %s: %w", claim, err)
	}
	if len(xs) == 0 {
		return nil, nil
	}
	if err := l.completeDates(ctx, xs); err != nil {
		return nil, fmt.Errorf("provenance: claim %s: %w", claim, err)
	}
	dateReports(xs)
	slices.SortFunc(xs, compareWhen)
	p := &graph.Provenance{Claim: graph.Claim{ID: claim, Text: text}, First: xs[0].Statement}
	for _, x := range xs[1:] {
		p.Repeats = append(p.Repeats, x.Statement)
	}
	edges, err := l.ix.edgesTo(ctx, graph.Disputes, ids)
	if err != nil {
		return nil, fmt.Errorf("provenance: claim %s: %w", claim, err)
	}
	var from []graph.ID
	for _, e := range edges {
		if graph.IsStatement(e.From) && !slices.Contains(ids, e.From) {
			from = append(from, e.From)
		}
	}
	slices.Sort(from)
	ds, err := l.ix.statements(ctx, slices.Compact(from))
	if err != nil {
		return nil, fmt.Errorf("provenance: claim %s: %w", claim, err)
	}
	if err := l.completeDates(ctx, ds); err != nil {
		return nil, fmt.Errorf("provenance: claim %s: %w", claim, err)
	}
	slices.SortFunc(ds, compareWhen)
	for _, d := range ds {
		p.DisputedBy = append(p.DisputedBy, d.Statement)
	}
	return p, nil
}

// completeDates gives a statement whose date lacks its year ("On March
// 21") the full date of the same speaker's statement, in another document,
// that asserts one of the same claims with the same month and day: the same
// speech act, dated elsewhere. Linking does this when the dated report is
// stored first; here it is done whatever the load order. Only the returned
// copies change.
func (l *Linker) completeDates(ctx context.Context, xs []graph.IndexedStatement) error {
	for i := range xs {
		x := &xs[i]
		d := x.Statement.Date
		if d == nil || d.Precision != graph.PrecisionUnknown || !strings.HasPrefix(d.Value, "--") || x.Speaker == nil {
			continue
		}
		var ids []graph.ID
		for _, c := range x.Claims {
			m, err := l.ix.members(ctx, c)
			if err != nil {
				return err
			}
			if len(m) <= postingLimit {
				ids = append(ids, m...)
			}
		}
		slices.Sort(ids)
		others, err := l.ix.statements(ctx, slices.Compact(ids))
		if err != nil {
			return err
		}
		for _, o := range others {
			od := o.Statement.Date
			if o.Statement.Document != x.Statement.Document && o.Speaker != nil && o.Speaker.ID == x.Speaker.ID &&
				od != nil && od.Precision == graph.PrecisionDay && strings.HasSuffix(od.Value, d.Value[1:]) {
				full := *od
				x.Statement.Date = &full
				break
			}
		}
	}
	return nil
}

// dateReports gives a statement dated only by its document's publication
// the earlier date another report of the same claim by the same speaker
// gives in its text, when that date is not after the publication: both
// report one speech act, made on the date the other names and reported
// first by the earlier publication. The earliest report then comes first,
// its publication date breaking the tie, rather than a later article that
// says when the words were spoken. Only the given copies change.
func dateReports(xs []graph.IndexedStatement) {
	for i := range xs {
		x := &xs[i]
		if x.Statement.DateFrom != graph.DateFromPublished || dateKey(x.Statement.Date) == "" || dateKey(x.Published) == "" {
			continue
		}
		var best *graph.Date
		for _, o := range xs {
			od := o.Statement.Date
			if o.Statement.Document == x.Statement.Document || o.Statement.DateFrom != graph.DateFromText || dateKey(od) == "" ||
				od.Precision != graph.PrecisionDay || o.Speaker == nil || x.Speaker == nil || o.Speaker.ID != x.Speaker.ID {
				continue
			}
			if compareDates(od.Value, x.Published.Value) <= 0 && compareDates(od.Value, x.Statement.Date.Value) < 0 &&
				(best == nil || od.Value < best.Value) {
				best = od
			}
		}
		if best != nil {
			d := *best
			x.Statement.Date = &d
		}
	}
}

// FirstSpeaker returns the speaker of a claim's first statement, for
// callers that hold only the [graph.Provenance]: it reads the index.
func (l *Linker) FirstSpeaker(ctx context.Context, p graph.Provenance) (*graph.Actor, error) {
	xs, err := l.ix.statements(ctx, []graph.ID{p.First.ID})
	if err != nil {
		return nil, err
	}
	if len(xs) == 0 || xs[0].Speaker == nil {
		return nil, graph.ErrNotFound
	}
	return xs[0].Speaker, nil
}
