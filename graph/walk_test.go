package graph_test

import (
	"context"
	"slices"
	"testing"

	"github.com/provgraph/provgraph/graph"
)

func TestWalk(t *testing.T) {
	a, b, c, d := graph.ActorID("A"), graph.ActorID("B"), graph.ActorID("C"), graph.ActorID("D")
	// A chain a - b - c - d.
	adj := map[graph.ID][]graph.Link{
		a: {{Kind: "said", From: a, To: b}},
		b: {{Kind: "said", From: a, To: b}, {Kind: "said", From: b, To: c}},
		c: {{Kind: "said", From: b, To: c}, {Kind: "said", From: c, To: d}},
		d: {{Kind: "said", From: c, To: d}},
	}
	reads := 0
	linksOf := func(_ context.Context, ids []graph.ID) ([][]graph.Link, error) {
		reads++
		out := make([][]graph.Link, len(ids))
		for i, id := range ids {
			out[i] = adj[id]
		}
		return out, nil
	}
	for _, c := range []struct {
		name         string
		start        []graph.ID
		depth, limit int
		want         []graph.ID
		truncated    bool
		reads        int
	}{
		{"depth 0 keeps the start", []graph.ID{a}, 0, 10, []graph.ID{a}, false, 0},
		{"one level per read", []graph.ID{a}, 2, 10, []graph.ID{a, b, c}, false, 2},
		{"the limit truncates and ends the walk", []graph.ID{a}, 3, 2, []graph.ID{a, b}, true, 2},
		{"IDs that are not nodes are skipped", []graph.ID{"x", d}, 1, 10, []graph.ID{d, c}, false, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			reads = 0
			got, truncated, err := graph.Walk(context.Background(), linksOf, c.start, c.depth, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.want) || truncated != c.truncated || reads != c.reads {
				t.Errorf("Walk = %v, truncated %v, %d reads; want %v, %v, %d", got, truncated, reads, c.want, c.truncated, c.reads)
			}
		})
	}
}
