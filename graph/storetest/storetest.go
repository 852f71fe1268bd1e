// Package storetest is the conformance suite for [graph.Store]
// implementations: one [Run] call per backend runs every check on a fresh
// store.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/provgraph/provgraph/graph"
)

// NewStore returns an empty store; the suite closes it.
type NewStore func(t testing.TB) graph.Store

// Run runs every check against stores made by newStore.
func Run(t *testing.T, newStore NewStore) {
	for _, c := range []struct {
		name string
		fn   func(t *testing.T, s graph.Store)
	}{
		{"PutAndRead", testPutAndRead},
		{"PutTwiceUnchanged", testPutTwiceUnchanged},
		{"ReplaceChanged", testReplaceChanged},
		{"RemoveKeepsOthers", testRemoveKeepsOthers},
		{"RemoveMissing", testRemoveMissing},
		{"DumpRestoreRoundTrip", testDumpRestore},
		{"InvalidWritesNothing", testInvalidWritesNothing},
		{"ManyDocumentsOneCall", testManyDocuments},
		{"IndexAnalysis", testIndexAnalysis},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newStore(t)
			t.Cleanup(func() {
				if rep, err := s.Check(context.Background()); err != nil {
					t.Errorf("check: %v", err)
				} else if len(rep.Problems) > 0 {
					t.Errorf("check found %d problems, first: %s", len(rep.Problems), rep.Problems[0])
				}
				if err := s.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
				if err := s.Close(); err != nil {
					t.Errorf("second close: %v", err)
				}
			})
			c.fn(t, s)
		})
	}
}

// Dump returns a store's dump as a string.
func Dump(t testing.TB, s graph.Store) string {
	t.Helper()
	var b bytes.Buffer
	if err := s.Dump(context.Background(), &b); err != nil {
		t.Fatalf("dump: %v", err)
	}
	return b.String()
}

// GraphLines returns the lines of a dump that belong to the named graph of
// doc.
func GraphLines(dump string, doc graph.ID) []string {
	var out []string
	suffix := " <" + string(doc) + "> ."
	for _, l := range strings.Split(dump, "\n") {
		if strings.HasSuffix(l, suffix) {
			out = append(out, l)
		}
	}
	return out
}

func put(t *testing.T, s graph.Store, docs ...*graph.DocGraph) []graph.Outcome {
	t.Helper()
	out, err := s.Put(context.Background(), docs...)
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	if len(out) != len(docs) {
		t.Fatalf("put: %d outcomes for %d documents", len(out), len(docs))
	}
	return out
}

func testPutAndRead(t *testing.T, s graph.Store) {
	ctx := context.Background()
	dg := Sample(3, SampleOptions{})
	if out := put(t, s, dg); out[0] != graph.Loaded {
		t.Fatalf("outcome %q, want loaded", out[0])
	}
	d, err := s.Document(ctx, dg.Document.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := dg.Document
	if d.Text != want.Text || d.URL != want.URL || d.Title != want.Title || d.Publisher != want.Publisher ||
		d.Source != want.Source || fmt.Sprint(d.Authors) != fmt.Sprint(want.Authors) ||
		d.Published == nil || *d.Published != *want.Published {
		t.Errorf("document read back as %+v, want %+v", d, want)
	}
	if _, err := s.Document(ctx, "https://provgraph.org/id/doc/none"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("missing document: got %v, want ErrNotFound", err)
	}
	ids, err := s.Documents(ctx)
	if err != nil || len(ids) != 1 || ids[0] != dg.Document.ID {
		t.Errorf("documents: %v %v", ids, err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantNodes := map[string]int64{"Document": 1, "Actor": int64(len(dg.Actors)), "Statement": int64(len(dg.Statements)), "Place": 1, "Date": 1, "Claim": 0}
	for k, v := range wantNodes {
		if st.Nodes[k] != v {
			t.Errorf("stats: %d %s nodes, want %d", st.Nodes[k], k, v)
		}
	}
	if st.Edges["said"] != int64(len(dg.Statements)) || st.Edges["cited"] != int64(len(dg.Statements)) {
		t.Errorf("stats edges: %v", st.Edges)
	}
}

func testPutTwiceUnchanged(t *testing.T, s graph.Store) {
	docs := []*graph.DocGraph{Sample(0, SampleOptions{}), Sample(1, SampleOptions{}), Sample(2, SampleOptions{})}
	put(t, s, docs...)
	before := Dump(t, s)
	for i, o := range put(t, s, docs...) {
		if o != graph.Unchanged {
			t.Errorf("document %d: outcome %q on second put, want unchanged", i, o)
		}
	}
	if after := Dump(t, s); after != before {
		t.Errorf("dump changed after loading the same documents again")
	}
}

func testReplaceChanged(t *testing.T, s graph.Store) {
	put(t, s, Sample(1, SampleOptions{}), Sample(2, SampleOptions{}))
	// A fresh store holding the same documents, doc 1 in its second
	// version, is what the replacement must reach, except for doc 2's
	// dispute of doc 1's first statement, whose ID changes with the text.
	v2 := Sample(1, SampleOptions{Version: 1, Statements: 3})
	if out := put(t, s, v2); out[0] != graph.Replaced {
		t.Fatalf("outcome %q, want replaced", out[0])
	}
	dump := Dump(t, s)
	lines := GraphLines(dump, v2.Document.ID)
	if strings.Contains(strings.Join(lines, "\n"), "version 0") {
		t.Errorf("old version's statements survive the replacement")
	}
	if !strings.Contains(strings.Join(lines, "\n"), "version 1") {
		t.Errorf("new version's statements missing")
	}
	kept := make(map[graph.ID]bool)
	for _, st := range v2.Statements {
		kept[st.ID] = true
	}
	for _, st := range Sample(1, SampleOptions{}).Statements {
		if !kept[st.ID] && strings.Contains(dump, "<"+string(st.ID)+">") {
			t.Errorf("statement %s of the old version is still referenced", st.ID)
		}
	}
}

func testRemoveKeepsOthers(t *testing.T, s graph.Store) {
	ctx := context.Background()
	o := SampleOptions{Actors: 3, DisputePrevious: true}
	docs := []*graph.DocGraph{Sample(0, o), Sample(1, o), Sample(2, o)}
	put(t, s, docs...)
	before := Dump(t, s)
	if err := s.Remove(ctx, docs[1].Document.ID); err != nil {
		t.Fatal(err)
	}
	after := Dump(t, s)
	if l := GraphLines(after, docs[1].Document.ID); len(l) != 0 {
		t.Errorf("%d quads of the removed document remain, e.g. %s", len(l), l[0])
	}
	// Documents 0 and 2 keep their own graphs byte for byte; document 2's
	// links graph loses its dispute of a statement of document 1 (the edge
	// and its evidence), and nothing else.
	for _, d := range []*graph.DocGraph{docs[0], docs[2]} {
		if b, a := GraphLines(before, d.Document.ID), GraphLines(after, d.Document.ID); len(b) == 0 || strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Errorf("document %s's quads changed: %d before, %d after", d.Document.ID, len(b), len(a))
		}
	}
	links := graph.LinksGraph(docs[2].Document.ID)
	b2, a2 := GraphLines(before, links), GraphLines(after, links)
	lost := diff(b2, a2)
	for _, l := range lost {
		if !strings.Contains(l, "disputes") && !strings.Contains(l, "/ev/") {
			t.Errorf("document 2's links lost an unrelated quad: %s", l)
		}
	}
	if len(diff(a2, b2)) != 0 || len(lost) == 0 {
		t.Errorf("document 2's links: lost %d quads, gained %d", len(lost), len(diff(a2, b2)))
	}
	for _, st := range docs[1].Statements {
		if strings.Contains(after, "<"+string(st.ID)+">") {
			t.Errorf("removed statement %s is still referenced", st.ID)
		}
	}
	for _, a := range docs[1].Actors {
		if !strings.Contains(after, "<"+string(a.ID)+">") {
			t.Errorf("shared actor %s vanished with one of its documents", a.ID)
		}
	}
	if _, err := s.Document(ctx, docs[1].Document.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("removed document still readable: %v", err)
	}
	put(t, s, docs[1])
}

func diff(a, b []string) []string {
	in := make(map[string]bool, len(b))
	for _, l := range b {
		in[l] = true
	}
	var out []string
	for _, l := range a {
		if !in[l] {
			out = append(out, l)
		}
	}
	return out
}

func testRemoveMissing(t *testing.T, s graph.Store) {
	if err := s.Remove(context.Background(), "https://provgraph.org/id/doc/none"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("remove of a missing document: got %v, want ErrNotFound", err)
	}
}

func testDumpRestore(t *testing.T, s graph.Store) {
	ctx := context.Background()
	var docs []*graph.DocGraph
	for i := 0; i < 6; i++ {
		docs = append(docs, Sample(i, SampleOptions{Actors: 4, DisputePrevious: true}))
	}
	put(t, s, docs...)
	dump := Dump(t, s)
	if err := s.Restore(ctx, strings.NewReader(dump)); err != nil {
		t.Fatalf("restore into the same store: %v", err)
	}
	if again := Dump(t, s); again != dump {
		t.Errorf("restoring a store's own dump changed it")
	}
	for _, id := range []graph.ID{docs[2].Document.ID, docs[4].Document.ID} {
		if err := s.Remove(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Restore(ctx, strings.NewReader(dump)); err != nil {
		t.Fatalf("restore after removals: %v", err)
	}
	if again := Dump(t, s); again != dump {
		t.Errorf("restore did not bring back the removed documents exactly")
	}
	if err := s.Restore(ctx, strings.NewReader("<a> <b> \"unterminated .\n")); err == nil {
		t.Errorf("restore of broken N-Quads succeeded")
	}
	if again := Dump(t, s); again != dump {
		t.Errorf("a failed restore changed the store")
	}
}

func testInvalidWritesNothing(t *testing.T, s graph.Store) {
	ctx := context.Background()
	good := Sample(0, SampleOptions{})
	bad := Sample(1, SampleOptions{})
	bad.Statements[0].Content.Spans[0].End = 1 << 20
	if _, err := s.Put(ctx, good, bad); !errors.Is(err, graph.ErrInvalid) {
		t.Fatalf("put with a span outside the text: got %v, want ErrInvalid", err)
	}
	if d := Dump(t, s); d != "" {
		t.Errorf("a rejected put wrote %d bytes of quads", len(d))
	}
	bad = Sample(1, SampleOptions{})
	bad.Edges[0].Kind = "likes"
	if _, err := s.Put(ctx, bad); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("put with an unknown edge kind: got %v", err)
	}
	if _, err := s.Put(ctx, Sample(5, SampleOptions{DisputePrevious: true})); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("put with an edge to a statement that is not stored: got %v", err)
	}
	if d := Dump(t, s); d != "" {
		t.Errorf("rejected puts wrote %d bytes of quads", len(d))
	}
}

func testManyDocuments(t *testing.T, s graph.Store) {
	ctx := context.Background()
	var docs []*graph.DocGraph
	for i := 0; i < 200; i++ {
		docs = append(docs, Sample(i, SampleOptions{Actors: 5, DisputePrevious: true}))
	}
	for _, o := range put(t, s, docs...) {
		if o != graph.Loaded {
			t.Fatalf("outcome %q, want loaded", o)
		}
	}
	ids, err := s.Documents(ctx)
	if err != nil || len(ids) != len(docs) {
		t.Fatalf("documents: %d, %v", len(ids), err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Nodes["Statement"] != 200*5 || st.Nodes["Actor"] != 5 || st.Edges["said"] != 200*5 || st.Edges["disputes"] != 199 {
		t.Errorf("stats after 200 documents: %+v", st)
	}
}

// testIndexAnalysis checks that a statement's analysis written with its
// index entries is read back with it, replaced with its document, and in
// no dump.
func testIndexAnalysis(t *testing.T, s graph.Store) {
	ix, ok := s.(graph.Index)
	if !ok {
		t.Skip("the store has no linking index")
	}
	ctx := context.Background()
	plain := Sample(0, SampleOptions{})
	put(t, s, plain)
	want := Dump(t, s)
	if err := s.Remove(ctx, plain.Document.ID); err != nil {
		t.Fatal(err)
	}
	withAnalysis := func(a []byte) *graph.DocGraph {
		dg := Sample(0, SampleOptions{})
		dg.Index = append(dg.Index, graph.IndexEntry{Statement: dg.Statements[0].ID, Analysis: a})
		return dg
	}
	read := func() []byte {
		t.Helper()
		xs, err := ix.Statements(ctx, []graph.ID{plain.Statements[0].ID, plain.Statements[1].ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(xs) != 2 || xs[1].Analysis != nil {
			t.Fatalf("statements read: %d, the second with analysis %q", len(xs), xs[len(xs)-1].Analysis)
		}
		return xs[0].Analysis
	}
	put(t, s, withAnalysis([]byte("first\x00analysis")))
	if got := read(); string(got) != "first\x00analysis" {
		t.Errorf("analysis read back as %q", got)
	}
	if got := Dump(t, s); got != want {
		t.Errorf("the analysis changed the dump:\n%s", strings.Join(diff(strings.Split(want, "\n"), strings.Split(got, "\n")), "\n"))
	}
	// The same graph with another analysis is the same document.
	if out := put(t, s, withAnalysis([]byte("second"))); out[0] != graph.Unchanged {
		t.Errorf("outcome %q for a new analysis of the same graph, want unchanged", out[0])
	}
	changed := withAnalysis([]byte("third"))
	changed.Document.Title += " (corrected)"
	if out := put(t, s, changed); out[0] != graph.Replaced {
		t.Fatalf("outcome %q for a changed document, want replaced", out[0])
	}
	if got := read(); string(got) != "third" {
		t.Errorf("analysis after replacement %q, want the new one", got)
	}
	bad := Sample(1, SampleOptions{})
	bad.Index = append(bad.Index, graph.IndexEntry{Statement: bad.Statements[0].ID, Key: "k", Analysis: []byte("x")})
	if _, err := s.Put(ctx, bad); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("an entry with a key and an analysis: error %v, want ErrInvalid", err)
	}
}
