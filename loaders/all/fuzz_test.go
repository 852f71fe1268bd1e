package all_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/all"
)

// FuzzPipeline runs the whole extraction on arbitrary text, as a document
// from any loader reaches it, and checks what a graph may hold: spans
// inside the text, statements with a cue and a content, speakers among the
// document's actors, dates in their precision's form.
func FuzzPipeline(f *testing.F) {
	for _, s := range []string{
		"On March 21, President Ilham Aliyev said that about 10,000 servicemen remain, the expert added.",
		"“We will not give up,” the senator told reporters. “Never,” she said, “ever.”",
		"Blinken Expresses Concern Over Checkpoint\n\n\"Secretary Blinken shared his belief that peace was possible,\" Miller said in a Sunday statement.",
		"According to a statement from the press service, they deny it. It was reported that. \"\"\"",
		"\x00\ufeff“”‘’«»—\n\n\n,,,.:;",
	} {
		f.Add(s, "2023-05-01")
	}
	in, err := all.Ingester()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, published string) {
		if !utf8.ValidString(text) {
			text = strings.ToValidUTF8(text, "\uFFFD")
		}
		d := &loaders.Document{Source: "fuzz.txt", Format: "text", Text: text}
		if p, err := loaders.ParseDate(published); err == nil {
			d.Published = p
		}
		dg, _, err := in.Graph(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		n := utf8.RuneCountInString(text)
		inside := func(what string, spans []graph.Span) {
			for _, s := range spans {
				if s.Start < 0 || s.End > n || s.End < s.Start {
					t.Fatalf("%s span %+v outside the text of %d code points", what, s, n)
				}
			}
		}
		actors := make(map[graph.ID]bool)
		for _, a := range dg.Actors {
			actors[a.ID] = true
		}
		for _, st := range dg.Statements {
			if len(st.Cue.Spans) == 0 || len(st.Content.Spans) == 0 {
				t.Fatalf("statement %s without cue or content", st.ID)
			}
			inside("cue", st.Cue.Spans)
			inside("content", st.Content.Spans)
			inside("sentence", []graph.Span{st.Sentence})
			if st.Source != nil {
				inside("source", st.Source.Spans)
			}
			if st.Date != nil && st.Date.Value == "" {
				t.Fatalf("statement %s with an empty date", st.ID)
			}
		}
		for _, e := range dg.Edges {
			if e.Kind == graph.Said && !actors[e.From] {
				t.Fatalf("said edge from %s, not an actor of the document", e.From)
			}
			if e.Evidence.Span != nil {
				inside("evidence", []graph.Span{*e.Evidence.Span})
			}
		}
	})
}
