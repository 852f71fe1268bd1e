package cayleystore

import (
	"context"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/provgraph/provgraph/graph"
)

// AddLinks adds edges between statements of document doc and statements of
// other documents, with their evidence, to doc's links graph, in one
// transaction, and returns how many it added: an edge already stored, in
// any graph, is skipped. Both ends of each edge must be stored, and one of
// them must be doc's. Relinking uses it to mend what a removal took from
// the documents that remain (see the provenance package).
func (s *Store) AddLinks(ctx context.Context, doc graph.ID, edges []graph.Edge) (int, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	release, err := s.lockWrites(ctx)
	if err != nil {
		return 0, err
	}
	defer release()
	qs, err := s.reader()
	if err != nil {
		return 0, err
	}
	if ok, err := isStored(ctx, qs, doc); err != nil {
		return 0, err
	} else if !ok {
		return 0, fmt.Errorf("cayleystore: add links to %s: %w", doc, graph.ErrNotFound)
	}
	e := &encoder{doc: quad.IRI(doc), seen: make(map[quad.Quad]struct{}), declared: make(map[graph.ID]bool), textCP: int(^uint(0) >> 1)}
	added := 0
	for _, ed := range edges {
		if graph.OwnedBy(ed.From, doc) == graph.OwnedBy(ed.To, doc) {
			return 0, invalid(doc, "%s edge %s → %s does not join one of its statements to another document's", ed.Kind, ed.From, ed.To)
		}
		for _, end := range []graph.ID{ed.From, ed.To} {
			if ok, err := isStored(ctx, qs, end); err != nil {
				return 0, err
			} else if !ok {
				return 0, invalid(doc, "%s edge to %s, which is not stored", ed.Kind, end)
			}
		}
		if ok, err := hasEdge(ctx, qs, ed); err != nil {
			return 0, err
		} else if ok {
			continue
		}
		if err := e.edge(ed); err != nil {
			return 0, err
		}
		added++
	}
	if len(e.links) == 0 {
		return 0, nil
	}
	c := change{index: -1, label: doc}
	for _, q := range e.links {
		c.adds = append(c.adds, cgraph.Delta{Quad: q, Action: cgraph.Add})
	}
	b := batch{side: s.side}
	b.init()
	b.changes = append(b.changes, c)
	if err := s.apply(&b); err != nil {
		return 0, err
	}
	if b.changes[0].err != nil {
		return 0, b.changes[0].err
	}
	return added, nil
}

// hasEdge reports whether edge ed is stored in some graph.
func hasEdge(ctx context.Context, qs cgraph.QuadStore, ed graph.Edge) (bool, error) {
	from, to := qs.ValueOf(quad.IRI(ed.From)), qs.ValueOf(quad.IRI(ed.To))
	pred := qs.ValueOf(quad.IRI(graph.EdgePredicate(ed.Kind)))
	if from == nil || to == nil || pred == nil {
		return false, nil
	}
	it := qs.QuadIterator(quad.Subject, from)
	defer it.Close()
	for it.Next(ctx) {
		r := it.Result()
		if sameRef(qs.QuadDirection(r, quad.Predicate), pred) && sameRef(qs.QuadDirection(r, quad.Object), to) {
			return true, nil
		}
	}
	return false, it.Err()
}

// Indexed reports whether document doc has statements in the linking
// index: whether a write of a new version may take statements that other
// documents link to. It reads the index only, so it does not wait for a
// write in progress.
func (s *Store) Indexed(ctx context.Context, doc graph.ID) (bool, error) {
	side, done, err := s.sideReader()
	if err != nil {
		return false, err
	}
	defer done()
	vals, err := side.get(ctx, [][]byte{[]byte(sideDoc + string(doc))})
	if err != nil {
		return false, fmt.Errorf("cayleystore: read index of %s: %w", doc, err)
	}
	return vals[0] != nil, nil
}
