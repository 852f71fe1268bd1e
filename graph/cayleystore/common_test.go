package cayleystore_test

import (
	"context"
	"testing"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/storetest"
)

// TestCommonKeys checks that a key found to be common is answered as
// common without its postings, and read again once a write deletes
// postings and it may no longer be.
func TestCommonKeys(t *testing.T) {
	ctx := context.Background()
	s := openBadger(t, t.TempDir())
	defer s.Close()
	var docs []*graph.DocGraph
	for n := range 4 {
		dg := storetest.Sample(n, storetest.SampleOptions{Statements: 2})
		for _, st := range dg.Statements {
			dg.Index = append(dg.Index, graph.IndexEntry{Statement: st.ID, Key: "t:vehicles"})
		}
		dg.Index = append(dg.Index, graph.IndexEntry{Statement: dg.Statements[0].ID, Key: "t:rare"})
		docs = append(docs, dg)
	}
	if _, err := s.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	lookup := func(limit int) []graph.Postings {
		t.Helper()
		p, err := s.LookupAll(ctx, []string{"t:vehicles", "t:rare"}, limit)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := lookup(5); !p[0].More || len(p[0].IDs) != 5 || p[1].More || len(p[1].IDs) != 4 {
		t.Fatalf("first look-up: %+v", p)
	}
	if p := lookup(5); !p[0].More || len(p[0].IDs) != 0 || len(p[1].IDs) != 4 {
		t.Fatalf("a common key is read again: %+v", p)
	}
	if p := lookup(20); p[0].More || len(p[0].IDs) != 8 {
		t.Fatalf("a larger limit must read the key: %+v", p)
	}
	// Removing two documents leaves 4 postings: no longer common at 5.
	for _, dg := range docs[:2] {
		if err := s.Remove(ctx, dg.Document.ID); err != nil {
			t.Fatal(err)
		}
	}
	if p := lookup(5); p[0].More || len(p[0].IDs) != 4 {
		t.Fatalf("after removals: %+v", p)
	}
	for i, want := range []bool{false, false, true, true} {
		if got, err := s.Indexed(ctx, docs[i].Document.ID); err != nil || got != want {
			t.Errorf("Indexed(document %d) = %v, %v; want %v", i, got, err, want)
		}
	}
}
