package provenance

import (
	"testing"

	"github.com/provgraph/provgraph/graph"
)

// TestDistant: statements months apart by different (or unknown)
// speakers are distant; the same speaker, close dates, or a date too
// coarse to tell are not.
func TestDistant(t *testing.T) {
	x := func(speaker, date, published string) graph.IndexedStatement {
		var s graph.IndexedStatement
		if speaker != "" {
			s.Speaker = &graph.Actor{ID: graph.ActorID(speaker), Name: speaker}
		}
		if date != "" {
			s.Statement.Date = &graph.Date{Value: date, Precision: graph.PrecisionDay}
		}
		if published != "" {
			s.Published = &graph.Date{Value: published, Precision: graph.PrecisionDay}
		}
		return s
	}
	for _, c := range []struct {
		name string
		a, b graph.IndexedStatement
		want bool
	}{
		{"years apart, two speakers", x("Ann Lee", "2013-07-18", ""), x("Bo Park", "2019-01-08", ""), true},
		{"years apart, one speaker unknown", x("", "", "2013-07-18"), x("Bo Park", "2019-01-08", ""), true},
		{"years apart, one speaker", x("Ann Lee", "2013-07-18", ""), x("Ann Lee", "2019-01-08", ""), false},
		{"a month apart", x("Ann Lee", "2019-01-08", ""), x("Bo Park", "2019-02-08", ""), false},
		{"a month's precision", x("Ann Lee", "2018-01", ""), x("Bo Park", "2019-02-08", ""), true},
		{"a year alone", x("Ann Lee", "2013", ""), x("Bo Park", "2019-02-08", ""), false},
		{"undated", x("Ann Lee", "", ""), x("Bo Park", "2019-02-08", ""), false},
	} {
		if c.a.Statement.Date != nil && len(c.a.Statement.Date.Value) < 10 {
			c.a.Statement.Date.Precision = graph.PrecisionMonth
			if len(c.a.Statement.Date.Value) == 4 {
				c.a.Statement.Date.Precision = graph.PrecisionYear
			}
		}
		if got := distant(c.a, c.b); got != c.want {
			t.Errorf("%s: distant = %v, want %v", c.name, got, c.want)
		}
		if got := distant(c.b, c.a); got != c.want {
			t.Errorf("%s, the other way: distant = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestDistantClaims: a paraphrase by another speaker years later is
// another claim, the same paraphrase days later joins the claim, and a
// near-verbatim repeat years later joins it too.
func TestDistantClaims(t *testing.T) {
	const (
		first      = "Lawmakers understand the need for compromise and common sense solutions on the budget"
		paraphrase = "This is a common-sense compromise on the budget both parties should embrace"
		verbatim   = "Lawmakers understand the need for compromise and common-sense solutions on the budget"
	)
	pa, pb := analyse(first, false), analyse(paraphrase, false)
	if sim, ok := same(pa, pb); !ok || sim >= distantDice {
		t.Fatalf("the test needs a paraphrase that matches below %.2f: same = %.2f, %v", distantDice, sim, ok)
	}
	doc := func(published, speaker, content string) *graph.DocGraph {
		text := speaker + " said: " + content
		d := graph.Document{ID: graph.DocumentID("", text), Text: text, Published: &graph.Date{Value: published, Precision: graph.PrecisionDay}}
		sp := graph.Span{Start: len(speaker) + 7, End: len(text)}
		st := graph.Statement{
			ID: graph.StatementID(d.ID, sp), Document: d.ID, Kind: graph.KindIndirect,
			Content:  graph.Part{Spans: []graph.Span{sp}, Text: content},
			Cue:      graph.Part{Spans: []graph.Span{{Start: len(speaker) + 1, End: len(speaker) + 5}}, Text: "said"},
			Sentence: graph.Span{Start: 0, End: len(text)}, Rule: "test", Confidence: 1,
			Date: &graph.Date{Value: published, Precision: graph.PrecisionDay}, DateFrom: graph.DateFromPublished,
		}
		a := graph.Actor{ID: graph.ActorID(speaker), Name: speaker, Kind: graph.ActorPerson}
		return &graph.DocGraph{
			Document: d, Statements: []graph.Statement{st}, Actors: []graph.Actor{a},
			Edges: []graph.Edge{{Kind: graph.Said, From: a.ID, To: st.ID, Evidence: graph.Evidence{Document: d.ID, Rule: "test", Confidence: 1}}},
		}
	}
	claimsOf := func(dg *graph.DocGraph) map[graph.ID]bool {
		out := make(map[graph.ID]bool)
		for _, e := range dg.Index {
			if e.Claim != "" {
				out[e.Claim] = true
			}
		}
		return out
	}
	shared := func(a, b *graph.DocGraph) bool {
		cb := claimsOf(b)
		for c := range claimsOf(a) {
			if cb[c] {
				return true
			}
		}
		return false
	}
	// Each pair is linked alone: the first document, then the other.
	pair := func(a, b *graph.DocGraph) bool {
		idx := NewMemIndex()
		l := New(idx)
		for _, dg := range []*graph.DocGraph{a, b} {
			dg.Index = nil
			if err := l.Link(t.Context(), dg); err != nil {
				t.Fatal(err)
			}
			idx.Add(dg)
			l.Flush()
		}
		return shared(a, b)
	}
	orig := doc("2013-04-30", "Ann Lee", first)
	if !pair(orig, doc("2013-05-03", "Bo Park", paraphrase)) {
		t.Errorf("a paraphrase three days later is another claim")
	}
	if pair(orig, doc("2019-01-21", "Cy Diaz", paraphrase)) {
		t.Errorf("a paraphrase by another speaker six years later joined the claim")
	}
	if !pair(orig, doc("2019-01-21", "Ann Lee", paraphrase)) {
		t.Errorf("the same speaker's paraphrase six years later is another claim")
	}
	if !pair(orig, doc("2019-01-22", "Di Ames", verbatim)) {
		t.Errorf("a near-verbatim repeat six years later is another claim")
	}
}
