package cayleystore

import (
	"context"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/provgraph/provgraph/graph"
)

// Check implements [graph.Store]: it reports documents whose stored quads
// do not match the fingerprint written with them, documents without text,
// and edges whose target node does not exist.
func (s *Store) Check(ctx context.Context) (graph.CheckReport, error) {
	var rep graph.CheckReport
	qs, err := s.reader()
	if err != nil {
		return rep, err
	}
	docs, err := s.Documents(ctx)
	if err != nil {
		return rep, err
	}
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.Documents++
		quads, err := graphQuads(ctx, qs, d)
		if err != nil {
			return rep, err
		}
		index, err := sideQuads(ctx, s.side, d)
		if err != nil {
			return rep, err
		}
		quads = append(quads, index...)
		var (
			fp      string
			rest    []quad.Quad
			hasText bool
		)
		for _, q := range quads {
			switch {
			case q.Label != quad.IRI(d):
				continue // the links graph, which no fingerprint covers
			case q.Subject == quad.IRI(d) && q.Predicate == quad.IRI(graph.PredFingerprint):
				fp = quad.NativeOf(q.Object).(string)
				continue
			case q.Subject == quad.IRI(d) && q.Predicate == quad.IRI(graph.PredText):
				hasText = true
			}
			rest = append(rest, q)
		}
		if !hasText {
			rep.Problems = append(rep.Problems, fmt.Sprintf("document %s has no text", d))
		}
		if fp != "" && fingerprint(rest) != fp {
			rep.Problems = append(rep.Problems, fmt.Sprintf("document %s: %d stored quads do not match its fingerprint", d, len(rest)))
		}
	}
	dangling, err := danglingLinks(ctx, qs)
	if err != nil {
		return rep, err
	}
	rep.Problems = append(rep.Problems, dangling...)
	return rep, nil
}

// danglingLinks lists edges whose target has no type in any graph.
func danglingLinks(ctx context.Context, qs cgraph.QuadStore) ([]string, error) {
	links := make(map[any]bool)
	for _, p := range append([]string{graph.PredRefersTo}, graph.LinkPredicates...) {
		if r := qs.ValueOf(quad.IRI(p)); r != nil {
			links[cgraph.ToKey(r)] = true
		}
	}
	typ := qs.ValueOf(quad.IRI(graph.RDFType))
	typed := make(map[any]bool)
	isTyped := func(ref cgraph.Ref) (bool, error) {
		k := cgraph.ToKey(ref)
		if v, ok := typed[k]; ok {
			return v, nil
		}
		it := qs.QuadIterator(quad.Subject, ref)
		defer it.Close()
		found := false
		for !found && it.Next(ctx) {
			found = sameRef(qs.QuadDirection(it.Result(), quad.Predicate), typ)
		}
		typed[k] = found
		return found, it.Err()
	}
	var out []string
	it := qs.QuadsAllIterator()
	defer it.Close()
	for it.Next(ctx) {
		r := it.Result()
		if !links[cgraph.ToKey(qs.QuadDirection(r, quad.Predicate))] {
			continue
		}
		ok, err := isTyped(qs.QuadDirection(r, quad.Object))
		if err != nil {
			return nil, err
		}
		if !ok {
			out = append(out, "dangling edge: "+qs.Quad(r).NQuad())
		}
	}
	return out, it.Err()
}
