package provenance_test

import (
	"slices"
	"testing"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/provenance"
)

// TestRelinkAfterRemoval removes each seed document in turn from a store
// holding all five and relinks what the removal took. A statement that
// lost a cited or disputes edge to one of the removed statements must have
// one to another document's statement again whenever linking the four
// others from scratch gives it one, and the store stays consistent.
func TestRelinkAfterRemoval(t *testing.T) {
	g, seeds := loadGold(t)
	ctx := t.Context()
	_, order := oracleGraphs(t, g, seeds)
	fill := func(skip string) (*cayleystore.Store, *provenance.Linker, map[string]*graph.DocGraph) {
		s, l := linkedStore(t)
		dgs, _ := oracleGraphs(t, g, seeds)
		for _, id := range order {
			if id == skip {
				continue
			}
			if err := l.Link(ctx, dgs[id]); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Put(ctx, dgs[id]); err != nil {
				t.Fatal(err)
			}
			l.Flush()
		}
		return s, l, dgs
	}
	// targets returns the statements of other documents that st has an
	// edge of kind to.
	targets := func(s *cayleystore.Store, st graph.ID, kind graph.EdgeKind) map[graph.ID]bool {
		es, err := s.EdgesOf(ctx, []graph.ID{st}, graph.Out, kind)
		if err != nil {
			t.Fatal(err)
		}
		out := make(map[graph.ID]bool)
		for _, e := range es[0] {
			if graph.IsStatement(e.To) && docOfStatement(e.To) != docOfStatement(st) {
				out[e.To] = true
			}
		}
		return out
	}
	orphans, mended, added, agree := 0, 0, 0, 0
	for _, gone := range order {
		s, l, dgs := fill("")
		doc := dgs[gone].Document.ID
		u, err := l.Unlinking(ctx, s, doc)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Remove(ctx, doc); err != nil {
			t.Fatal(err)
		}
		fix, err := l.Relink(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		for holder, es := range fix {
			if _, err := s.AddLinks(ctx, holder, es); err != nil {
				t.Fatalf("add links to %s: %v", holder, err)
			}
		}
		if rep, err := s.Check(ctx); err != nil {
			t.Fatal(err)
		} else if len(rep.Problems) > 0 {
			t.Errorf("%s removed and relinked: %v", gone, rep.Problems)
		}
		fresh, _, _ := fill(gone)
		for _, e := range u.Edges {
			if graph.OwnedBy(e.From, doc) {
				continue
			}
			orphans++
			want, got := targets(fresh, e.From, e.Kind), targets(s, e.From, e.Kind)
			if len(got) > 0 {
				mended++
			}
			if len(want) > 0 && len(got) == 0 {
				t.Errorf("%s removed: %s has a %s edge to another document when linked afresh, none after relinking", gone, e.From, e.Kind)
			}
		}
		for _, es := range fix {
			for _, e := range es {
				added++
				if targets(fresh, e.From, e.Kind)[e.To] {
					agree++
				}
			}
		}
	}
	t.Logf("%d statements lost an edge to another document's statement; %d have one again; %d edges added, %d of them as linking afresh makes them", orphans, mended, added, agree)
	if orphans == 0 || added == 0 {
		t.Fatal("no removal took an edge that relinking mends: the test shows nothing")
	}
}

// docOfStatement returns the document a statement ID is named under.
func docOfStatement(st graph.ID) graph.ID {
	s := string(st)
	for i := len(s) - 1; i > 0; i-- {
		if s[i] == '/' && i >= 2 && s[i-2:i] == "/s" {
			return graph.ID(s[:i-2])
		}
	}
	return st
}

// TestRelinkAfterReplacement writes a new version of each seed document
// without the statements other documents linked to, and checks that
// relinking mends the edges into them as it does after a removal, and
// leaves alone the edges into the statements the new version kept.
func TestRelinkAfterReplacement(t *testing.T) {
	g, seeds := loadGold(t)
	ctx := t.Context()
	_, order := oracleGraphs(t, g, seeds)
	tried := 0
	for _, target := range order {
		s, l := linkedStore(t)
		dgs, _ := oracleGraphs(t, g, seeds)
		for _, id := range order {
			if err := l.Link(ctx, dgs[id]); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Put(ctx, dgs[id]); err != nil {
				t.Fatal(err)
			}
			l.Flush()
		}
		doc := dgs[target].Document.ID
		u, err := l.Unlinking(ctx, s, doc)
		if err != nil {
			t.Fatal(err)
		}
		// The new version drops one statement other documents reach, and
		// keeps the rest.
		var drop graph.ID
		for _, e := range u.Edges {
			if !graph.OwnedBy(e.From, doc) {
				drop = e.To
				break
			}
		}
		if drop == "" {
			continue
		}
		tried++
		nv, _ := oracleGraphs(t, g, seeds)
		dg := nv[target]
		dg.Statements = slices.DeleteFunc(dg.Statements, func(st graph.Statement) bool { return st.ID == drop })
		dg.Edges = slices.DeleteFunc(dg.Edges, func(e graph.Edge) bool { return e.From == drop || e.To == drop })
		dg.Document.Title += " (revised)"
		if err := l.Link(ctx, dg); err != nil {
			t.Fatal(err)
		}
		if out, err := s.Put(ctx, dg); err != nil || out[0] != graph.Replaced {
			t.Fatalf("replace %s: %v %v", target, out, err)
		}
		l.Flush()
		fix, err := l.Relink(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		for holder, es := range fix {
			for _, e := range es {
				if e.To == drop {
					t.Errorf("relinked edge into the dropped statement: %+v", e)
				}
				if graph.OwnedBy(e.From, doc) {
					t.Errorf("relinked an edge of the replaced document itself: %+v", e)
				}
			}
			if _, err := s.AddLinks(ctx, holder, es); err != nil {
				t.Fatal(err)
			}
		}
		// Only edges into the dropped statement were lost; the others
		// into the replaced document are still there.
		for _, e := range u.Edges {
			if graph.OwnedBy(e.From, doc) || e.To == drop {
				continue
			}
			es, err := s.EdgesOf(ctx, []graph.ID{e.From}, graph.Out, e.Kind)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(es[0], func(x graph.Edge) bool { return x.To == e.To }) {
				t.Errorf("%s replaced: the edge %s → %s into a kept statement is gone", target, e.From, e.To)
			}
		}
		if rep, err := s.Check(ctx); err != nil {
			t.Fatal(err)
		} else if len(rep.Problems) > 0 {
			t.Errorf("%s replaced and relinked: %v", target, rep.Problems)
		}
	}
	if tried == 0 {
		t.Fatal("no document had a statement other documents link to")
	}
}
