package storetest

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/provgraph/provgraph/graph"
)

// SampleOptions shapes the graphs [Sample] makes.
type SampleOptions struct {
	// Statements per document; zero means 5.
	Statements int
	// Actors is the size of the pool speakers are drawn from; zero means
	// 50. A small pool makes hub actors that speak in many documents.
	Actors int
	// Version changes the text of the document (same ID, new content).
	Version int
	// DisputePrevious adds a disputes edge from the first statement to the
	// first statement of document n-1, which must be stored first.
	DisputePrevious bool
}

// Sample returns a deterministic synthetic document graph: document n with
// statements by actors from a shared pool, a place, dates, said and cited
// edges, and optionally a disputes edge to the previous document's first
// statement.
func Sample(n int, opt SampleOptions) *graph.DocGraph { return sample(n, opt, true) }

func sample(n int, opt SampleOptions, dispute bool) *graph.DocGraph {
	if opt.Statements <= 0 {
		opt.Statements = 5
	}
	if opt.Actors <= 0 {
		opt.Actors = 50
	}
	url := fmt.Sprintf("https://news.example/%d", n)
	docID := graph.DocumentID(url, "")
	var (
		text  strings.Builder
		stmts []graph.Statement
		acts  []graph.Actor
		edges []graph.Edge
		seenA = make(map[graph.ID]bool)
	)
	place := graph.Place{ID: graph.PlaceID("Lachin corridor"), Name: "Lachin corridor", Aliases: []string{"the Lachin road"}}
	pub := graph.Date{Value: fmt.Sprintf("2023-%02d-%02d", 1+n%12, 1+n%28), Precision: graph.PrecisionDay}
	cp := func() int { return utf8.RuneCountInString(text.String()) }
	fmt.Fprintf(&text, "Report №%d (v%d) — on the Lachin corridor.\n\n", n, opt.Version)
	for i := 0; i < opt.Statements; i++ {
		a := (n*7 + i*13) % opt.Actors
		name := fmt.Sprintf("Speaker %d", a)
		aid := graph.ActorID(name)
		if !seenA[aid] {
			seenA[aid] = true
			acts = append(acts, graph.Actor{ID: aid, Name: name, Kind: graph.ActorPerson, Aliases: []string{name, "the official"}})
		}
		sentStart := cp()
		text.WriteString(name)
		srcEnd := cp()
		text.WriteString(" said that ")
		cueEnd := cp() - len(" that ")
		contentStart := cp() - len("that ")
		fmt.Fprintf(&text, "about %d vehicles used the road on day %d of version %d", 100+i*n, i, opt.Version)
		contentEnd := cp()
		text.WriteString(".\n")
		src := graph.Span{Start: sentStart, End: srcEnd}
		cue := graph.Span{Start: srcEnd + 1, End: cueEnd}
		content := graph.Span{Start: contentStart, End: contentEnd}
		sid := graph.StatementID(docID, graph.Span{Start: sentStart, End: contentEnd})
		full := []rune(text.String())
		stmts = append(stmts, graph.Statement{
			ID: sid, Document: docID, Kind: graph.KindIndirect,
			Source:   &graph.Part{Spans: []graph.Span{src}, Text: string(full[src.Start:src.End])},
			Cue:      graph.Part{Spans: []graph.Span{cue}, Text: string(full[cue.Start:cue.End])},
			Content:  graph.Part{Spans: []graph.Span{content}, Text: string(full[content.Start:content.End])},
			Sentence: graph.Span{Start: sentStart, End: contentEnd + 1},
			Date:     &pub, DateFrom: graph.DateFromPublished,
			Places: []graph.ID{place.ID},
			Rule:   "sample", Confidence: 0.9,
		})
		edges = append(edges,
			graph.Edge{Kind: graph.Said, From: aid, To: sid, Evidence: graph.Evidence{Document: docID, Span: &src, Rule: "sample:source", Confidence: 0.9}},
			graph.Edge{Kind: graph.Cited, From: docID, To: sid, Evidence: graph.Evidence{Document: docID, Rule: "sample:reports", Confidence: 1}},
		)
	}
	if dispute && opt.DisputePrevious && n > 0 && len(stmts) > 0 {
		prev := sample(n-1, SampleOptions{Statements: opt.Statements, Actors: opt.Actors}, false)
		edges = append(edges, graph.Edge{
			Kind: graph.Disputes, From: stmts[0].ID, To: prev.Statements[0].ID,
			Evidence: graph.Evidence{Document: docID, Span: &stmts[0].Content.Spans[0], Rule: "sample:denial", Confidence: 0.8, Note: "opposite figures"},
		})
	}
	return &graph.DocGraph{
		Document: graph.Document{
			ID: docID, URL: url, Source: fmt.Sprintf("sample/%d.txt", n), Format: "text",
			Title: fmt.Sprintf("Report %d", n), Publisher: "Example News", Authors: []string{"A. Writer"},
			Published: &pub, Text: text.String(),
		},
		Actors:     acts,
		Places:     []graph.Place{place},
		Statements: stmts,
		Edges:      edges,
	}
}
