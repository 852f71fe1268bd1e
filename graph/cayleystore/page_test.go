package cayleystore_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/graph/storetest"
)

// partsDocs returns sample documents in which some statements are said by
// two actors, with the second more or less sure than the first or as
// sure, and one document that is then replaced, so that the store holds
// deleted quads.
func partsDocs() (first, second []*graph.DocGraph) {
	for n := 0; n < 12; n++ {
		dg := storetest.Sample(n, storetest.SampleOptions{Actors: 7, DisputePrevious: true})
		if n%3 == 0 {
			other := dg.Actors[len(dg.Actors)-1]
			for k, conf := range []float64{0.95, 0.5, 0.9} {
				st := dg.Statements[k]
				if dg.Edges[2*k].From == other.ID {
					continue
				}
				dg.Edges = append(dg.Edges, graph.Edge{Kind: graph.Said, From: other.ID, To: st.ID, Evidence: graph.Evidence{Document: dg.Document.ID, Rule: "test:second", Confidence: conf}})
			}
		}
		first = append(first, dg)
	}
	second = []*graph.DocGraph{storetest.Sample(4, storetest.SampleOptions{Actors: 7, Version: 1})}
	return first, second
}

// TestPartsMatchFullReads checks the partial reads against the full ones:
// every field asked for is read as StatementsByID and DocumentsByID read
// it, and the speaker is the one the said edges' evidence gives.
func TestPartsMatchFullReads(t *testing.T) {
	for _, c := range []struct {
		name string
		open func(t *testing.T) *cayleystore.Store
	}{
		{"memory", func(t *testing.T) *cayleystore.Store {
			s, err := cayleystore.Open(context.Background(), cayleystore.Options{Backend: cayleystore.Memory})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}},
		{"badger", func(t *testing.T) *cayleystore.Store { return openBadger(t, t.TempDir()) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			s := c.open(t)
			first, second := partsDocs()
			for _, docs := range [][]*graph.DocGraph{first, second} {
				if _, err := s.Put(ctx, docs...); err != nil {
					t.Fatal(err)
				}
			}
			pg, err := s.FindStatements(ctx, graph.StatementFilter{}, graph.Page{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			// Keys that name no statement get nil.
			ids := append(pg.IDs, first[0].Document.ID, graph.ActorID("Speaker 1"), "https://nowhere.example/s/1-2")
			full, err := s.StatementsByID(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []graph.StatementFields{graph.StatementFieldAll, 0, graph.StatementFieldText | graph.StatementFieldDate, graph.StatementFieldSpans, graph.StatementFieldSource} {
				t.Run(fmt.Sprintf("statements %#x", want), func(t *testing.T) {
					got, err := s.StatementParts(ctx, ids, want)
					if err != nil {
						t.Fatal(err)
					}
					for i, st := range got {
						w := cutStatement(full[i], want)
						if !reflect.DeepEqual(st, w) {
							t.Errorf("%s:\n got %+v\nwant %+v", ids[i], st, w)
						}
					}
				})
			}
			var docIDs []graph.ID
			for _, dg := range first {
				docIDs = append(docIDs, dg.Document.ID)
			}
			docIDs = append(docIDs, pg.IDs[0], "https://nowhere.example/")
			fullDocs, err := s.DocumentsByID(ctx, docIDs)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []graph.DocumentFields{graph.DocumentFieldAll, 0, graph.DocumentFieldTitle | graph.DocumentFieldURL, graph.DocumentFieldPublished | graph.DocumentFieldAuthors} {
				t.Run(fmt.Sprintf("documents %#x", want), func(t *testing.T) {
					got, err := s.DocumentParts(ctx, docIDs, want)
					if err != nil {
						t.Fatal(err)
					}
					for i, d := range got {
						w := cutDocument(fullDocs[i], want)
						if !reflect.DeepEqual(d, w) {
							t.Errorf("%s:\n got %+v\nwant %+v", docIDs[i], d, w)
						}
					}
				})
			}
			t.Run("speakers", func(t *testing.T) {
				got, err := s.Speakers(ctx, ids)
				if err != nil {
					t.Fatal(err)
				}
				edges, err := s.EdgesOf(ctx, ids, graph.In, graph.Said)
				if err != nil {
					t.Fatal(err)
				}
				several := 0
				for i, es := range edges {
					if len(es) > 1 {
						several++
					}
					if want := graph.BestSpeaker(es); got[i] != want {
						t.Errorf("%s: speaker %q, want %q", ids[i], got[i], want)
					}
				}
				if several == 0 {
					t.Error("no statement has several said edges")
				}
			})
		})
	}
}

// cutStatement returns the fields of st that want names (nil for nil).
func cutStatement(st *graph.Statement, want graph.StatementFields) *graph.Statement {
	if st == nil {
		return nil
	}
	has := func(f graph.StatementFields) bool { return want&f != 0 }
	out := &graph.Statement{ID: st.ID, Document: st.Document}
	if has(graph.StatementFieldKind) {
		out.Kind = st.Kind
	}
	if has(graph.StatementFieldText) {
		out.Content.Text = st.Content.Text
	}
	if has(graph.StatementFieldCue) {
		out.Cue.Text = st.Cue.Text
	}
	if st.Source != nil && has(graph.StatementFieldSource|graph.StatementFieldSpans) {
		out.Source = &graph.Part{}
		if has(graph.StatementFieldSource) {
			out.Source.Text = st.Source.Text
		}
		out.Source.Spans = st.Source.Spans
	}
	if has(graph.StatementFieldSpans) {
		out.Content.Spans, out.Cue.Spans, out.Sentence = st.Content.Spans, st.Cue.Spans, st.Sentence
	}
	if has(graph.StatementFieldDate) {
		out.Date, out.DateFrom = st.Date, st.DateFrom
	}
	if has(graph.StatementFieldDates) {
		out.Dates = st.Dates
	}
	if has(graph.StatementFieldPlaces) {
		out.Places = st.Places
	}
	if has(graph.StatementFieldClaim) {
		out.Claim = st.Claim
	}
	if has(graph.StatementFieldRule) {
		out.Rule = st.Rule
	}
	if has(graph.StatementFieldConfidence) {
		out.Confidence = st.Confidence
	}
	return out
}

// cutDocument returns the fields of d that want names (nil for nil).
func cutDocument(d *graph.Document, want graph.DocumentFields) *graph.Document {
	if d == nil {
		return nil
	}
	has := func(f graph.DocumentFields) bool { return want&f != 0 }
	out := &graph.Document{ID: d.ID}
	if has(graph.DocumentFieldURL) {
		out.URL = d.URL
	}
	if has(graph.DocumentFieldSource) {
		out.Source = d.Source
	}
	if has(graph.DocumentFieldFormat) {
		out.Format = d.Format
	}
	if has(graph.DocumentFieldTitle) {
		out.Title = d.Title
	}
	if has(graph.DocumentFieldPublisher) {
		out.Publisher = d.Publisher
	}
	if has(graph.DocumentFieldAuthors) {
		out.Authors = d.Authors
	}
	if has(graph.DocumentFieldPublished) {
		out.Published = d.Published
	}
	if has(graph.DocumentFieldText) {
		out.Text = d.Text
	}
	return out
}
