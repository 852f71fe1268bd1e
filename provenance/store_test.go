package provenance_test

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/provenance"
)

// linkedStore returns an empty in-memory store and a linker reading its
// index.
func linkedStore(t *testing.T) (*cayleystore.Store, *provenance.Linker) {
	t.Helper()
	s, err := cayleystore.Open(t.Context(), cayleystore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, provenance.New(s)
}

// TestStoreIndex links the oracle documents through a Cayley store, in
// batches as graphd load writes them, and checks that the store's index
// answers as the in-memory one does, and that removing a document leaves
// no edge into it.
func TestStoreIndex(t *testing.T) {
	g, seeds := loadGold(t)
	ctx := t.Context()
	s, l := linkedStore(t)
	dgs, order := oracleGraphs(t, g, seeds)
	// Two batches: documents of a batch see each other through the linker.
	for _, batch := range [][]string{order[:3], order[3:]} {
		var pending []*graph.DocGraph
		for _, id := range batch {
			if err := l.Link(ctx, dgs[id]); err != nil {
				t.Fatal(err)
			}
			pending = append(pending, dgs[id])
		}
		if _, err := s.Put(ctx, pending...); err != nil {
			t.Fatal(err)
		}
		l.Flush()
	}
	mem, _ := oracleGraphs(t, g, seeds)
	want := link(t, g, mem, order)
	for _, q := range g.Questions {
		got, err := l.Trace(ctx, q.Question, 1)
		if err != nil {
			t.Fatal(err)
		}
		exp, err := want.linker.Trace(ctx, q.Question, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(exp) || (len(got) > 0 && got[0].First.ID != exp[0].First.ID) {
			t.Errorf("%s: store and memory answers differ", q.ID)
		}
	}
	rep, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) > 0 {
		t.Errorf("check: %v", rep.Problems)
	}
	// Removing the presidential release: its claims' answers fall back on
	// the other documents.
	d001 := dgs["D001"].Document.ID
	if err := s.Remove(ctx, d001); err != nil {
		t.Fatal(err)
	}
	res, err := l.Trace(ctx, g.Questions[0].Question, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) == 0 || graph.OwnedBy(res[0].First.ID, d001) {
		t.Errorf("after removal: %+v", res)
	}
	for _, st := range dgs["D001"].Statements {
		edges, err := s.EdgesTo(ctx, graph.Cited, []graph.ID{st.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(edges) > 0 {
			t.Errorf("edge into removed statement %s: %+v", st.ID, edges[0])
		}
	}
	// D004 (January) was linked after D001 (March): the edges from D001's
	// later statements to D004's are in D004's graph, and go with D001.
	var fromD001 int
	for _, e := range dgs["D004"].Edges {
		if graph.OwnedBy(e.From, d001) {
			fromD001++
		}
	}
	if fromD001 == 0 {
		t.Fatal("no edge from D001 into D004 to check")
	}
	for _, st := range dgs["D004"].Statements {
		for _, k := range []graph.EdgeKind{graph.Cited, graph.Disputes} {
			edges, err := s.EdgesTo(ctx, k, []graph.ID{st.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range edges {
				if graph.OwnedBy(e.From, d001) {
					t.Errorf("%s edge from removed statement %s", k, e.From)
				}
			}
		}
	}
	if rep, err = s.Check(ctx); err != nil {
		t.Fatal(err)
	} else if len(rep.Problems) > 0 {
		t.Errorf("check after removal: %v", rep.Problems)
	}
}

// TestStoreReadsAsMemIndex checks that a stored statement reads back, from
// the store's index, exactly as the linker's in-memory index gives it
// while its document waits to be written: what a document links to must
// not depend on whether its candidates' batch has been written yet.
func TestStoreReadsAsMemIndex(t *testing.T) {
	g, seeds := loadGold(t)
	ctx := t.Context()
	s, l := linkedStore(t)
	dgs, order := oracleGraphs(t, g, seeds)
	mem := provenance.NewMemIndex()
	var ids []graph.ID
	keys := make(map[string]bool)
	for _, id := range order {
		dg := dgs[id]
		if err := l.Link(ctx, dg); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Put(ctx, dg); err != nil {
			t.Fatal(err)
		}
		l.Flush()
		mem.Add(dg)
		for _, st := range dg.Statements {
			ids = append(ids, st.ID)
		}
		for _, e := range dg.Index {
			if e.Key != "" {
				keys[e.Key] = true
			}
		}
	}
	got, err := s.Statements(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := mem.Statements(ctx, ids)
	if len(got) != len(want) {
		t.Fatalf("store reads %d statements, memory %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		slices.Sort(w.Keys)
		w.Statement.Places, w.Statement.Dates = nil, nil // not part of what the index reads
		if !reflect.DeepEqual(w, g) {
			wj, _ := json.Marshal(w)
			gj, _ := json.Marshal(g)
			t.Errorf("statement %s:\nmemory %s\nstore  %s", w.Statement.ID, wj, gj)
		}
	}
	sorted := slices.Sorted(maps.Keys(keys))
	gp, err := s.LookupAll(ctx, sorted, 8)
	if err != nil {
		t.Fatal(err)
	}
	mp, _ := mem.LookupAll(ctx, sorted, 8)
	for i, k := range sorted {
		// With more than the limit, either may return a subset.
		if gp[i].More != mp[i].More || !gp[i].More && !slices.Equal(gp[i].IDs, mp[i].IDs) {
			t.Errorf("key %q: store %v %v, memory %v %v", k, gp[i].IDs, gp[i].More, mp[i].IDs, mp[i].More)
		}
	}
}
