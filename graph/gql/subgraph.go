package gql

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/provgraph/provgraph/graph"
)

// Bounds of Query.subgraph.
const (
	maxSubgraphDepth = 3
	maxSubgraphLimit = 2000
	maxSubgraphStart = 100
	maxLabel         = 120 // code points
)

var nodeKinds = map[string]NodeKind{
	graph.KindDocument:  NodeKindDocument,
	graph.KindActor:     NodeKindActor,
	graph.KindStatement: NodeKindStatement,
	graph.KindClaim:     NodeKindClaim,
	graph.KindPlace:     NodeKindPlace,
	graph.KindDate:      NodeKindDate,
}

// subgraph walks breadth-first from ids, one batch read of links per level,
// keeping at most limit nodes; then it reads the links among the nodes it
// kept (so nodes at the last level are joined too), their labels and the
// evidence of derived edges, each in one batch per kind.
func (r *Resolver) subgraph(ctx context.Context, ids []graph.ID, depth, limit int) (*Subgraph, error) {
	if depth < 0 || depth > maxSubgraphDepth {
		return nil, badInput("depth must be between 0 and %d, not %d", maxSubgraphDepth, depth)
	}
	if limit < 1 || limit > maxSubgraphLimit {
		return nil, badInput("limit must be between 1 and %d, not %d", maxSubgraphLimit, limit)
	}
	if len(ids) > maxSubgraphStart {
		return nil, badInput("at most %d start IDs, not %d", maxSubgraphStart, len(ids))
	}
	out := &Subgraph{Nodes: []SubgraphNode{}, Edges: []SubgraphEdge{}}
	order, truncated, err := graph.Walk(ctx, r.Store.LinksOf, ids, depth, limit)
	if err != nil {
		return nil, err
	}
	out.Truncated = truncated
	in := make(map[graph.ID]bool, len(order))
	for _, id := range order {
		in[id] = true
	}
	labels, err := r.labels(ctx, order)
	if err != nil {
		return nil, err
	}
	for _, id := range order {
		if label, ok := labels[id]; ok {
			out.Nodes = append(out.Nodes, SubgraphNode{ID: id, Kind: nodeKinds[graph.KindOf(id)], Label: label})
		} else {
			delete(in, id) // a start ID that names no stored node
		}
	}
	if len(out.Nodes) == 0 {
		return out, nil
	}
	links, err := r.Store.LinksOf(ctx, order)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool)
	var derived []graph.ID // sources of said, cited and disputes edges
	for _, ls := range links {
		for _, l := range ls {
			id := string(l.From) + " " + l.Kind + " " + string(l.To)
			if !in[l.From] || !in[l.To] || seen[id] {
				continue
			}
			seen[id] = true
			out.Edges = append(out.Edges, SubgraphEdge{ID: graph.ID(id), Kind: l.Kind, Source: l.From, Target: l.To})
			if isDerived(l.Kind) {
				derived = append(derived, l.From)
			}
		}
	}
	if len(derived) > 0 {
		edges, err := loadersFor(ctx).edgesOut.LoadAll(ctx, derived)
		if err != nil {
			return nil, err
		}
		evidence := make(map[string]*graph.Evidence)
		for _, es := range edges {
			for _, e := range es {
				k := string(e.From) + " " + string(e.Kind) + " " + string(e.To)
				if evidence[k] == nil {
					ev := e.Evidence
					evidence[k] = &ev
				}
			}
		}
		for i := range out.Edges {
			out.Edges[i].Evidence = evidence[string(out.Edges[i].ID)]
		}
	}
	return out, nil
}

func isDerived(kind string) bool {
	for _, k := range graph.EdgeKinds {
		if string(k) == kind {
			return true
		}
	}
	return false
}

// labels returns a short label for each stored node of ids, reading each
// kind in one batch.
func (r *Resolver) labels(ctx context.Context, ids []graph.ID) (map[graph.ID]string, error) {
	byKind := make(map[string][]graph.ID)
	for _, id := range ids {
		k := graph.KindOf(id)
		byKind[k] = append(byKind[k], id)
	}
	out := make(map[graph.ID]string, len(ids))
	l := loadersFor(ctx)
	for _, id := range byKind[graph.KindDate] {
		if d, ok := graph.DateOf(id); ok {
			out[id] = d.Value
		}
	}
	if err := labelled(ctx, l.statements.Load, byKind[graph.KindStatement], out, func(s *graph.Statement) string { return s.Content.Text }); err != nil {
		return nil, err
	}
	if err := labelled(ctx, l.actors.Load, byKind[graph.KindActor], out, func(a *graph.Actor) string { return a.Name }); err != nil {
		return nil, err
	}
	if err := labelled(ctx, l.documents.Load, byKind[graph.KindDocument], out, func(d *graph.Document) string {
		switch {
		case d.Title != "":
			return d.Title
		case d.URL != "":
			return d.URL
		}
		return d.Source
	}); err != nil {
		return nil, err
	}
	if err := labelled(ctx, l.claims.Load, byKind[graph.KindClaim], out, func(c *graph.Claim) string { return c.Text }); err != nil {
		return nil, err
	}
	if err := labelled(ctx, l.places.Load, byKind[graph.KindPlace], out, func(p *graph.Place) string { return p.Name }); err != nil {
		return nil, err
	}
	return out, nil
}

func labelled[T any](ctx context.Context, load func(context.Context, graph.ID) (*T, error), ids []graph.ID, out map[graph.ID]string, label func(*T) string) error {
	vals, pos, err := loadAll(ctx, load, ids)
	if err != nil {
		return err
	}
	for i, v := range vals {
		out[ids[pos[i]]] = shorten(label(v))
	}
	return nil
}

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxLabel {
		return s
	}
	return string([]rune(s)[:maxLabel-1]) + "…"
}
