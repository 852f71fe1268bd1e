package loaders

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders/extract"
)

// Ingester turns loaded documents into the document graphs a store writes:
// it runs the extraction pipeline over each document's text and converts
// what it finds into graph nodes and edges, with code-point spans.
type Ingester struct {
	Pipeline *extract.Pipeline
}

// Rules of the edges and statements the ingester itself makes.
const (
	RuleReports = "document:reports" // a document cites each statement it reports
)

// Graph extracts a document. It returns the graph to store and the
// extraction it was built from.
func (in *Ingester) Graph(ctx context.Context, d *Document) (*graph.DocGraph, *extract.Doc, error) {
	skip := make([]extract.Span, len(d.Boilerplate))
	for i, r := range d.Boilerplate {
		skip[i] = extract.Span{Start: r.Start, End: r.End}
	}
	p := in.Pipeline
	if p == nil {
		p = &extract.Pipeline{}
	}
	var pub *extract.Date
	if d.Published != nil {
		pub = &extract.Date{Value: d.Published.Value, Precision: string(d.Published.Precision)}
	}
	x, err := p.Run(ctx, d.Text, skip, pub)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", d.Source, err)
	}
	dg := &graph.DocGraph{Document: d.Graph()}
	cp := NewCodePoints(d.Text)
	seen := make(map[graph.ID]bool)
	actors := make(map[int]graph.ID) // doc actor index → graph actor
	places := make(map[graph.ID]int) // place → index in dg.Places
	for _, a := range x.Attributions {
		st := statement(x, cp, dg.Document, a)
		if seen[st.ID] {
			continue
		}
		seen[st.ID] = true
		// The places the content mentions.
		for _, p := range x.Places {
			if !within(p.Span, a.Content) {
				continue
			}
			id := graph.PlaceID(p.Name)
			i, ok := places[id]
			if !ok {
				i = len(dg.Places)
				places[id] = i
				dg.Places = append(dg.Places, graph.Place{ID: id, Name: p.Name})
			}
			if form := x.Src[p.Start:p.End]; !slices.Contains(dg.Places[i].Aliases, form) {
				dg.Places[i].Aliases = append(dg.Places[i].Aliases, form)
			}
			if !slices.Contains(st.Places, id) {
				st.Places = append(st.Places, id)
			}
		}
		dg.Statements = append(dg.Statements, st)
		dg.Edges = append(dg.Edges, graph.Edge{
			Kind: graph.Cited, From: dg.Document.ID, To: st.ID,
			Evidence: graph.Evidence{Document: dg.Document.ID, Span: &st.Sentence, Rule: RuleReports, Confidence: 1},
		})
		if r := a.Speaker; r != nil {
			id, ok := actors[r.Actor]
			if !ok {
				act := x.Actors[r.Actor]
				id = graph.ActorID(act.Name)
				actors[r.Actor] = id
				dg.Actors = append(dg.Actors, graph.Actor{ID: id, Name: act.Name, Kind: ActorKind(act.Kind), Aliases: act.Aliases})
			}
			ev := graph.Evidence{Document: dg.Document.ID, Rule: r.Rule, Confidence: r.Confidence, Note: r.Evidence}
			if st.Source != nil {
				ev.Span = &st.Source.Spans[0]
			} else {
				ev.Span = &st.Cue.Spans[0]
			}
			dg.Edges = append(dg.Edges, graph.Edge{Kind: graph.Said, From: id, To: st.ID, Evidence: ev})
		}
	}
	return dg, x, nil
}

// ActorKind maps an extracted actor's kind to the graph's.
func ActorKind(k extract.ActorKind) graph.ActorKind {
	switch k {
	case extract.Person:
		return graph.ActorPerson
	case extract.Organization:
		return graph.ActorOrganization
	case extract.Government:
		return graph.ActorGovernment
	}
	return graph.ActorUnknown
}

func statement(x *extract.Doc, cp *CodePoints, doc graph.Document, a extract.Attribution) graph.Statement {
	all := append(append(append([]extract.Span{}, a.Source...), a.Cue...), a.Content...)
	cover := all[0]
	for _, s := range all[1:] {
		cover.Start = min(cover.Start, s.Start)
		cover.End = max(cover.End, s.End)
	}
	st := graph.Statement{
		ID:         graph.StatementID(doc.ID, cp.Span(cover)),
		Document:   doc.ID,
		Kind:       graph.StatementKind(a.Kind),
		Cue:        part(x.Src, cp, a.Cue),
		Content:    part(x.Src, cp, a.Content),
		Sentence:   cp.Span(sentenceAround(x.Text, cover)),
		Rule:       a.Rule,
		Confidence: a.Confidence,
	}
	if len(a.Source) > 0 {
		p := part(x.Src, cp, a.Source)
		st.Source = &p
	}
	switch {
	case a.Date != nil:
		st.Date = &graph.Date{Value: a.Date.Value, Precision: graph.Precision(a.Date.Precision)}
		st.DateFrom = graph.DateFromText
	case doc.Published != nil:
		// A statement reported in a document was made on its publication
		// day or before: its day, not its time, is the statement's date.
		d := *doc.Published
		if d.Precision == graph.PrecisionTime && len(d.Value) >= 10 {
			d = graph.Date{Value: d.Value[:10], Precision: graph.PrecisionDay}
		}
		st.Date, st.DateFrom = &d, graph.DateFromPublished
	}
	return st
}

// within reports whether s lies inside one of spans.
func within(s extract.Span, spans []extract.Span) bool {
	for _, o := range spans {
		if o.Start <= s.Start && s.End <= o.End {
			return true
		}
	}
	return false
}

func part(src string, cp *CodePoints, spans []extract.Span) graph.Part {
	p := graph.Part{Spans: make([]graph.Span, len(spans))}
	texts := make([]string, len(spans))
	for i, s := range spans {
		p.Spans[i] = cp.Span(s)
		texts[i] = src[s.Start:s.End]
	}
	p.Text = strings.Join(texts, " ")
	return p
}

// sentenceAround returns the span of the sentences that s touches.
func sentenceAround(t *extract.Text, s extract.Span) extract.Span {
	out := s
	i := sort.Search(len(t.Sentences), func(i int) bool { return t.Sentences[i].End > s.Start })
	if i < len(t.Sentences) {
		out.Start = min(out.Start, t.Sentences[i].Start)
	}
	for ; i < len(t.Sentences) && t.Sentences[i].Start < s.End; i++ {
		out.End = max(out.End, t.Sentences[i].End)
	}
	return out
}

// CodePoints converts byte offsets of a text to code-point offsets.
type CodePoints struct {
	// multi lists the byte offsets just after each multi-byte character,
	// with the bytes it added over one: offset b is code point b minus the
	// extra bytes of the characters that end at or before b.
	ends  []int
	extra []int
}

// NewCodePoints indexes text for [CodePoints.Of].
func NewCodePoints(text string) *CodePoints {
	c := &CodePoints{}
	total := 0
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
		total += size - 1
		c.ends = append(c.ends, i)
		c.extra = append(c.extra, total)
	}
	return c
}

// Of returns the code-point offset of byte offset b (which must fall on a
// character boundary).
func (c *CodePoints) Of(b int) int {
	k := sort.SearchInts(c.ends, b+1) // characters ending at or before b
	if k == 0 {
		return b
	}
	return b - c.extra[k-1]
}

// Span converts a byte span.
func (c *CodePoints) Span(s extract.Span) graph.Span {
	return graph.Span{Start: c.Of(s.Start), End: c.Of(s.End)}
}
