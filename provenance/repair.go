package provenance

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/provgraph/provgraph/graph"
)

// Removing a document takes with it the edges other documents' links
// graphs held into its statements. A statement that cited one of them as
// the earlier report of its claim is left without its link to the claim's
// history, and a denial aimed at one of them without its target. Relinking
// mends both from what remains: the first cites the best earlier statement
// of its claim still stored, the second disputes the first remaining
// statement of the claim it denied.

// Unlinking is what removing or replacing one document may take from the
// others: read it with [Linker.Unlinking] before the removal or the write
// of the new version, then give it to [Linker.Relink] after. A replacement
// only takes the edges into statements its new version no longer has.
type Unlinking struct {
	// Doc is the document removed.
	Doc graph.ID
	// Edges are the edges between the document's statements and other
	// documents' statements, held by those documents.
	Edges []graph.Edge
	// gone holds the removed statements those edges reach, as the index
	// recorded them (with their claims).
	gone map[graph.ID]graph.IndexedStatement
}

// Unlinking reads what removing document doc will take from the other
// documents.
func (l *Linker) Unlinking(ctx context.Context, rd graph.Reader, doc graph.ID) (*Unlinking, error) {
	u := &Unlinking{Doc: doc, gone: make(map[graph.ID]graph.IndexedStatement)}
	page, err := rd.FindStatements(ctx, graph.StatementFilter{Document: doc}, graph.Page{Limit: math.MaxInt32})
	if err != nil {
		return nil, fmt.Errorf("provenance: statements of %s: %w", doc, err)
	}
	if len(page.IDs) == 0 {
		return u, nil
	}
	var reached []graph.ID
	for _, dir := range []graph.Direction{graph.In, graph.Out} {
		es, err := rd.EdgesOf(ctx, page.IDs, dir, graph.Cited, graph.Disputes)
		if err != nil {
			return nil, fmt.Errorf("provenance: edges of %s: %w", doc, err)
		}
		for i, list := range es {
			for _, e := range list {
				if e.Evidence.Document == doc || !graph.IsStatement(e.From) || !graph.IsStatement(e.To) {
					continue
				}
				u.Edges = append(u.Edges, e)
				reached = append(reached, page.IDs[i])
			}
		}
	}
	slices.Sort(reached)
	xs, err := l.ix.statements(ctx, slices.Compact(reached))
	if err != nil {
		return nil, fmt.Errorf("provenance: index records of %s: %w", doc, err)
	}
	for _, x := range xs {
		u.gone[x.Statement.ID] = x
	}
	return u, nil
}

// Relink returns, once the document of u is removed, the edges that mend
// what its removal took, grouped by the document whose links graph is to
// hold them (the one that held the edge it replaces).
func (l *Linker) Relink(ctx context.Context, u *Unlinking) (map[graph.ID][]graph.Edge, error) {
	out := make(map[graph.ID][]graph.Edge)
	seen := make(map[[3]graph.ID]bool)
	add := func(holder graph.ID, e graph.Edge) {
		k := [3]graph.ID{graph.ID(e.Kind), e.From, e.To}
		if !seen[k] {
			seen[k] = true
			out[holder] = append(out[holder], e)
		}
	}
	for _, e := range u.Edges {
		if graph.OwnedBy(e.From, u.Doc) {
			continue // the removed statement's own citing or denial: gone with it
		}
		gone, ok := u.gone[e.To]
		if !ok {
			continue
		}
		if still, err := l.ix.statements(ctx, []graph.ID{e.To}); err != nil {
			return nil, err
		} else if len(still) > 0 {
			continue // a replaced document kept the statement, and the edge
		}
		holder := e.Evidence.Document
		self, err := l.load(ctx, []graph.ID{e.From})
		if err != nil {
			return nil, err
		}
		if len(self) == 0 {
			continue
		}
		s := self[0]
		switch e.Kind {
		case graph.Cited:
			m, sim, err := l.bestEarlier(ctx, s, u.Doc)
			if err != nil {
				return nil, err
			}
			if m == nil {
				continue // now the first of its claim
			}
			rule := RuleRepeat
			if speakerOf(s.x) != "" && speakerOf(s.x) == speakerOf(m.x) && sameDay(s.x, m.x) {
				rule = RuleSameSpeechAct
			}
			ev := e.Evidence
			ev.Rule, ev.Confidence = rule, min(1, sim)
			ev.Note = "relinked: the statement it cited was removed with its document"
			add(holder, graph.Edge{Kind: graph.Cited, From: s.x.Statement.ID, To: m.x.Statement.ID, Evidence: ev})
		case graph.Disputes:
			m, err := l.firstOf(ctx, gone.Claims, s, u.Doc)
			if err != nil {
				return nil, err
			}
			if m == nil {
				continue
			}
			ev := e.Evidence
			ev.Note = "relinked: the statement it disputed was removed with its document; this is the first remaining statement of the same claim"
			add(holder, graph.Edge{Kind: graph.Disputes, From: s.x.Statement.ID, To: m.x.Statement.ID, Evidence: ev})
		}
	}
	return out, nil
}

// members reads the remaining statements of claims, outside document skip
// and s's own document.
func (l *Linker) members(ctx context.Context, claims []graph.ID, s *candidate, skip graph.ID) ([]*candidate, error) {
	var ids []graph.ID
	for _, c := range claims {
		m, err := l.ix.members(ctx, c)
		if err != nil {
			return nil, err
		}
		if len(m) > maxCandidates {
			m = m[:maxCandidates]
		}
		ids = append(ids, m...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	ids = slices.DeleteFunc(ids, func(id graph.ID) bool {
		return docOf(id) == skip || docOf(id) == s.x.Statement.Document
	})
	return l.load(ctx, ids)
}

// bestEarlier returns the statement of s's claims, dated before s and in
// another document, whose proposition is most like one of s's (ties to the
// earlier), and that likeness.
func (l *Linker) bestEarlier(ctx context.Context, s *candidate, skip graph.ID) (*candidate, float64, error) {
	ms, err := l.members(ctx, s.x.Claims, s, skip)
	if err != nil {
		return nil, 0, err
	}
	var (
		best    *candidate
		bestSim float64
	)
	for _, m := range ms {
		if !before(m.x, s.x) {
			continue
		}
		sim := 0.0
		for _, p := range s.props {
			for _, q := range m.props {
				if v, ok := same(p.f, q.f); ok && v > sim {
					sim = v
				}
			}
		}
		if sim == 0 {
			continue // no proposition alike: not a repeat to cite
		}
		if best == nil || sim > bestSim || sim == bestSim && before(m.x, best.x) {
			best, bestSim = m, sim
		}
	}
	return best, bestSim, nil
}

// firstOf returns the first remaining statement of claims not made by s's
// speaker.
func (l *Linker) firstOf(ctx context.Context, claims []graph.ID, s *candidate, skip graph.ID) (*candidate, error) {
	ms, err := l.members(ctx, claims, s, skip)
	if err != nil {
		return nil, err
	}
	var first *candidate
	for _, m := range ms {
		if a := speakerOf(m.x); a != "" && a == speakerOf(s.x) {
			continue
		}
		if first == nil || before(m.x, first.x) {
			first = m
		}
	}
	return first, nil
}
