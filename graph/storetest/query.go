package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/provgraph/provgraph/graph"
)

// ReaderStore is a store that also answers queries.
type ReaderStore interface {
	graph.Store
	graph.Reader
}

// NewReaderStore returns an empty store that implements [graph.Reader]; the
// suite closes it.
type NewReaderStore func(t testing.TB) ReaderStore

// RunReader runs the checks of [graph.Reader] against stores made by
// newStore.
func RunReader(t *testing.T, newStore NewReaderStore) {
	for _, c := range []struct {
		name string
		fn   func(t *testing.T, s ReaderStore, docs []*graph.DocGraph)
	}{
		{"StatementsByID", testStatementsByID},
		{"NodesByID", testNodesByID},
		{"ActorByName", testActorByName},
		{"FindStatements", testFindStatements},
		{"FindLists", testFindLists},
		{"EdgesOf", testEdgesOf},
		{"LinksOf", testLinksOf},
		{"AfterRemove", testQueryAfterRemove},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newStore(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
			})
			docs := QueryFixture()
			if _, err := s.Put(context.Background(), docs...); err != nil {
				t.Fatalf("put: %v", err)
			}
			c.fn(t, s, docs)
		})
	}
}

// FixtureClaim is the claim [QueryFixture]'s first statements assert.
var FixtureClaim = graph.Claim{ID: graph.ClaimID("vehicles on the road"), Text: "Vehicles used the Lachin road"}

// QueryFixture returns three sample documents (published 2023-01-01,
// 2023-02-02 and 2023-03-03) of five statements each by speakers from a
// pool of three, each document's first statement disputing the previous
// document's and asserting [FixtureClaim].
func QueryFixture() []*graph.DocGraph {
	var docs []*graph.DocGraph
	for n := 0; n < 3; n++ {
		dg := Sample(n, SampleOptions{Actors: 3, DisputePrevious: true})
		dg.Claims = []graph.Claim{FixtureClaim}
		dg.Statements[0].Claim = FixtureClaim.ID
		dg.Statements[1].Kind = graph.KindDirect
		docs = append(docs, dg)
	}
	return docs
}

func ctxb() context.Context { return context.Background() }

func testStatementsByID(t *testing.T, s ReaderStore, docs []*graph.DocGraph) {
	want := docs[1].Statements
	ids := []graph.ID{"https://provgraph.org/id/doc/none/s/0-1", docs[1].Actors[0].ID}
	for _, st := range want {
		ids = append(ids, st.ID)
	}
	got, err := s.StatementsByID(ctxb(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("%d results for %d keys", len(got), len(ids))
	}
	if got[0] != nil || got[1] != nil {
		t.Errorf("a missing statement and an actor's ID gave %+v, %+v; want nil", got[0], got[1])
	}
	for i, w := range want {
		g := got[i+2]
		if g == nil {
			t.Errorf("statement %s not found", w.ID)
			continue
		}
		w.Dates = nil
		if !reflect.DeepEqual(*g, w) {
			t.Errorf("statement read back as\n%+v\nwant\n%+v", *g, w)
		}
	}
}

func testNodesByID(t *testing.T, s ReaderStore, docs []*graph.DocGraph) {
	none := graph.ID("https://provgraph.org/id/actor/nobody")
	aid := graph.ActorID("Speaker 0")
	actors, err := s.ActorsByID(ctxb(), []graph.ID{aid, none, docs[0].Document.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(actors) != 3 || actors[0] == nil || actors[1] != nil || actors[2] != nil {
		t.Fatalf("actors: %v", actors)
	}
	if a := actors[0]; a.Name != "Speaker 0" || a.Kind != graph.ActorPerson || !reflect.DeepEqual(a.Aliases, []string{"Speaker 0", "the official"}) {
		t.Errorf("actor read back as %+v", a)
	}
	ds, err := s.DocumentsByID(ctxb(), []graph.ID{docs[2].Document.ID, none, docs[0].Document.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 || ds[1] != nil || ds[0] == nil || ds[2] == nil {
		t.Fatalf("documents: %v", ds)
	}
	for i, d := range []*graph.Document{ds[0], ds[2]} {
		want := docs[2-2*i].Document
		if !reflect.DeepEqual(*d, want) {
			t.Errorf("document read back as %+v, want %+v", *d, want)
		}
	}
	claims, err := s.ClaimsByID(ctxb(), []graph.ID{none, FixtureClaim.ID})
	if err != nil {
		t.Fatal(err)
	}
	if claims[0] != nil || claims[1] == nil || *claims[1] != FixtureClaim {
		t.Errorf("claims: %v", claims)
	}
	places, err := s.PlacesByID(ctxb(), []graph.ID{graph.PlaceID("Lachin corridor"), aid})
	if err != nil {
		t.Fatal(err)
	}
	if places[1] != nil || places[0] == nil || places[0].Name != "Lachin corridor" || !reflect.DeepEqual(places[0].Aliases, []string{"the Lachin road"}) {
		t.Errorf("places: %+v", places)
	}
	empty, err := s.StatementsByID(ctxb(), nil)
	if err != nil || len(empty) != 0 {
		t.Errorf("no keys: %v, %v", empty, err)
	}
}

func testActorByName(t *testing.T, s ReaderStore, _ []*graph.DocGraph) {
	for _, c := range []struct{ name, q, want string }{
		{"name", "Speaker 2", "Speaker 2"},
		{"other case", "speaker 1", "Speaker 1"},
		{"spaces", "  Speaker 0 ", "Speaker 0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := s.ActorByName(ctxb(), c.q)
			if err != nil {
				t.Fatal(err)
			}
			if a.Name != c.want {
				t.Errorf("%q found %q, want %q", c.q, a.Name, c.want)
			}
		})
	}
	if _, err := s.ActorByName(ctxb(), "Nobody"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("unknown name: got %v, want ErrNotFound", err)
	}
}

// said lists the statements each actor said in docs.
func said(docs []*graph.DocGraph) map[graph.ID][]graph.ID {
	out := make(map[graph.ID][]graph.ID)
	for _, dg := range docs {
		for _, e := range dg.Edges {
			if e.Kind == graph.Said {
				out[e.From] = append(out[e.From], e.To)
			}
		}
	}
	return out
}

func testFindStatements(t *testing.T, s ReaderStore, docs []*graph.DocGraph) {
	var all []graph.ID
	for _, dg := range docs {
		for _, st := range dg.Statements {
			all = append(all, st.ID) // documents are in date order, statements in text order
		}
	}
	speaker := graph.ActorID("Speaker 1")
	for _, c := range []struct {
		name string
		f    graph.StatementFilter
		want []graph.ID
	}{
		{"all", graph.StatementFilter{}, all},
		{"document", graph.StatementFilter{Document: docs[1].Document.ID}, all[5:10]},
		{"actor", graph.StatementFilter{Actor: speaker}, sortedLike(all, said(docs)[speaker])},
		{"claim", graph.StatementFilter{Claim: FixtureClaim.ID}, []graph.ID{all[0], all[5], all[10]}},
		{"place", graph.StatementFilter{Place: graph.PlaceID("Lachin corridor")}, all},
		{"kind", graph.StatementFilter{Kind: graph.KindDirect}, []graph.ID{all[1], all[6], all[11]}},
		{"text", graph.StatementFilter{Text: "DAY 3 of"}, []graph.ID{all[3], all[8], all[13]}},
		{"from", graph.StatementFilter{From: "2023-02"}, all[5:]},
		{"to", graph.StatementFilter{To: "2023-02-02"}, all[:10]},
		{"from to", graph.StatementFilter{From: "2023-02-01", To: "2023-02-28"}, all[5:10]},
		{"two filters", graph.StatementFilter{Claim: FixtureClaim.ID, Document: docs[2].Document.ID}, []graph.ID{all[10]}},
		{"nothing", graph.StatementFilter{Actor: "https://provgraph.org/id/actor/nobody"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.FindStatements(ctxb(), c.f, graph.Page{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != len(c.want) || !slices.Equal(got.IDs, c.want) {
				t.Errorf("got %d (%v), want %d (%v)", got.Total, got.IDs, len(c.want), c.want)
			}
		})
	}
	for _, c := range []struct {
		name string
		p    graph.Page
		want []graph.ID
	}{
		{"first", graph.Page{Limit: 4}, all[:4]},
		{"middle", graph.Page{Offset: 4, Limit: 4}, all[4:8]},
		{"last", graph.Page{Offset: 12, Limit: 4}, all[12:]},
		{"past the end", graph.Page{Offset: 20, Limit: 4}, nil},
		{"count only", graph.Page{}, nil},
	} {
		t.Run("page "+c.name, func(t *testing.T) {
			got, err := s.FindStatements(ctxb(), graph.StatementFilter{}, c.p)
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != len(all) || !slices.Equal(got.IDs, c.want) {
				t.Errorf("got %d %v, want %d %v", got.Total, got.IDs, len(all), c.want)
			}
		})
	}
}

// sortedLike returns the members of ids in the order they have in all.
func sortedLike(all, ids []graph.ID) []graph.ID {
	var out []graph.ID
	for _, id := range all {
		if slices.Contains(ids, id) {
			out = append(out, id)
		}
	}
	return out
}

func testFindLists(t *testing.T, s ReaderStore, docs []*graph.DocGraph) {
	dp, err := s.FindDocuments(ctxb(), graph.Page{Offset: 1, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var ids []graph.ID
	for _, dg := range docs {
		ids = append(ids, dg.Document.ID)
	}
	slices.Sort(ids)
	if dp.Total != 3 || !slices.Equal(dp.IDs, ids[1:]) {
		t.Errorf("documents: %+v", dp)
	}
	for _, c := range []struct {
		search string
		want   []string
	}{
		{"", []string{"Speaker 0", "Speaker 1", "Speaker 2"}},
		{"KER 2", []string{"Speaker 2"}},
		{"official", []string{"Speaker 0", "Speaker 1", "Speaker 2"}},
		{"nobody", nil},
	} {
		t.Run(fmt.Sprintf("actors %q", c.search), func(t *testing.T) {
			ap, err := s.FindActors(ctxb(), c.search, graph.Page{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var want []graph.ID
			for _, n := range c.want {
				want = append(want, graph.ActorID(n))
			}
			if ap.Total != len(want) || !slices.Equal(ap.IDs, want) {
				t.Errorf("got %+v, want %v", ap, want)
			}
		})
	}
	cp, err := s.FindClaims(ctxb(), "lachin", graph.Page{Limit: 10})
	if err != nil || cp.Total != 1 || !slices.Equal(cp.IDs, []graph.ID{FixtureClaim.ID}) {
		t.Errorf("claims: %+v %v", cp, err)
	}
	cp, err = s.FindClaims(ctxb(), "armenian", graph.Page{Limit: 10})
	if err != nil || cp.Total != 0 {
		t.Errorf("claims: %+v %v", cp, err)
	}
}

func testEdgesOf(t *testing.T, s ReaderStore, docs []*graph.DocGraph) {
	st1 := docs[1].Statements[0]
	st0 := docs[0].Statements[0]
	in, err := s.EdgesOf(ctxb(), []graph.ID{st1.ID, "https://provgraph.org/id/doc/none", st0.ID}, graph.In)
	if err != nil {
		t.Fatal(err)
	}
	if len(in) != 3 || len(in[1]) != 0 {
		t.Fatalf("edges: %v", in)
	}
	// docs[1]'s first statement: cited by its document, disputed by
	// docs[2]'s first statement, said by its speaker.
	want := []graph.EdgeKind{graph.Cited, graph.Disputes, graph.Said}
	var kinds []graph.EdgeKind
	for _, e := range in[0] {
		kinds = append(kinds, e.Kind)
		if e.To != st1.ID {
			t.Errorf("incoming edge %+v does not end at the statement", e)
		}
	}
	if !slices.Equal(kinds, want) {
		t.Fatalf("incoming kinds %v, want %v", kinds, want)
	}
	var wantDispute graph.Edge
	for _, e := range docs[2].Edges {
		if e.Kind == graph.Disputes {
			wantDispute = e
		}
	}
	if !reflect.DeepEqual(in[0][1], wantDispute) {
		t.Errorf("dispute read back as %+v, want %+v", in[0][1], wantDispute)
	}
	out, err := s.EdgesOf(ctxb(), []graph.ID{st1.ID}, graph.Out, graph.Disputes)
	if err != nil {
		t.Fatal(err)
	}
	if len(out[0]) != 1 || out[0][0].To != st0.ID || out[0][0].Evidence.Document != docs[1].Document.ID {
		t.Errorf("outgoing disputes: %+v", out[0])
	}
	aid := graph.ActorID("Speaker 1")
	saidEdges, err := s.EdgesOf(ctxb(), []graph.ID{aid}, graph.Out, graph.Said)
	if err != nil {
		t.Fatal(err)
	}
	n := len(said(docs)[aid])
	if len(saidEdges[0]) != n {
		t.Errorf("%d said edges, want %d", len(saidEdges[0]), n)
	}
	for _, e := range saidEdges[0] {
		if e.Evidence.Rule != "sample:source" || e.Evidence.Span == nil || e.Evidence.Confidence != 0.9 {
			t.Errorf("said evidence %+v", e.Evidence)
		}
	}
	deg, err := s.Degrees(ctxb(), []graph.ID{aid, st1.ID}, graph.Out, graph.Said)
	if err != nil || !slices.Equal(deg, []int{n, 0}) {
		t.Errorf("degrees %v %v, want [%d 0]", deg, err, n)
	}
}

func testLinksOf(t *testing.T, s ReaderStore, docs []*graph.DocGraph) {
	st := docs[1].Statements[0]
	links, err := s.LinksOf(ctxb(), []graph.ID{st.ID, docs[0].Document.ID})
	if err != nil {
		t.Fatal(err)
	}
	kinds := make(map[string]int)
	for _, l := range links[0] {
		kinds[l.Kind]++
		if l.From != st.ID && l.To != st.ID {
			t.Errorf("link %+v does not touch the statement", l)
		}
	}
	want := map[string]int{"cited": 1, "claim": 1, "disputes": 2, "document": 1, "place": 1, "said": 1, "statedOn": 1}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("statement links by kind %v, want %v", kinds, want)
	}
	for _, l := range links[1] {
		if graph.KindOf(l.From) == "" || graph.KindOf(l.To) == "" {
			t.Errorf("document link to a node outside the view: %+v", l)
		}
	}
	if len(links[1]) != 5+5+1 { // cited and document to each statement, published
		t.Errorf("%d document links, want 11: %v", len(links[1]), links[1])
	}
}

func testQueryAfterRemove(t *testing.T, s ReaderStore, docs []*graph.DocGraph) {
	// Lists read before a change must not be served after it.
	all, err := s.FindStatements(ctxb(), graph.StatementFilter{}, graph.Page{Limit: 100})
	if err != nil || all.Total != 15 {
		t.Fatalf("all statements: %+v %v", all, err)
	}
	if err := s.Remove(ctxb(), docs[1].Document.ID); err != nil {
		t.Fatal(err)
	}
	all, err = s.FindStatements(ctxb(), graph.StatementFilter{}, graph.Page{Limit: 100})
	if err != nil || all.Total != 10 || slices.Contains(all.IDs, docs[1].Statements[0].ID) {
		t.Errorf("all statements after removing a document: %+v %v", all, err)
	}
	v1 := Sample(0, SampleOptions{Actors: 3, Version: 1, Statements: 4})
	if _, err := s.Put(ctxb(), v1); err != nil {
		t.Fatal(err)
	}
	all, err = s.FindStatements(ctxb(), graph.StatementFilter{}, graph.Page{Limit: 100})
	if err != nil || all.Total != 9 || !slices.Contains(all.IDs, v1.Statements[3].ID) {
		t.Errorf("all statements after replacing a document: %d %v", all.Total, err)
	}
	if _, err := s.Put(ctxb(), docs[0]); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindStatements(ctxb(), graph.StatementFilter{Claim: FixtureClaim.ID}, graph.Page{Limit: 10})
	if err != nil || got.Total != 2 {
		t.Errorf("claim's statements after removing a document: %+v %v", got, err)
	}
	sts, err := s.StatementsByID(ctxb(), []graph.ID{docs[1].Statements[0].ID})
	if err != nil || sts[0] != nil {
		t.Errorf("removed statement: %+v %v", sts, err)
	}
	in, err := s.EdgesOf(ctxb(), []graph.ID{docs[0].Statements[0].ID}, graph.In, graph.Disputes)
	if err != nil || len(in[0]) != 0 {
		t.Errorf("disputes from a removed document remain: %+v %v", in, err)
	}
}
