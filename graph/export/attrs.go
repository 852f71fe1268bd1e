package export

import (
	"strings"

	"github.com/provgraph/provgraph/graph"
)

// attr is an attribute of nodes or edges in the graph formats (GraphML,
// GEXF, Cytoscape.js JSON), declared once so that the three agree.
type attr struct {
	Name string
	// Type is "string" or "double".
	Type string
}

// nodeAttrs are the node attributes, in the order formats declare them.
var nodeAttrs = []attr{
	{"iri", "string"},
	{"kind", "string"},
	{"label", "string"},
	{"text", "string"},
	{"title", "string"},
	{"url", "string"},
	{"publisher", "string"},
	{"authors", "string"},
	{"name", "string"},
	{"aliases", "string"},
	{"actorKind", "string"},
	{"statementKind", "string"},
	{"source", "string"},
	{"cue", "string"},
	{"document", "string"},
	{"span", "string"},
	{"sentence", "string"},
	{"date", "string"},
	{"precision", "string"},
	{"rule", "string"},
	{"confidence", "double"},
}

// edgeAttrs are the edge attributes.
var edgeAttrs = []attr{
	{"kind", "string"},
	{"evidenceDocument", "string"},
	{"span", "string"},
	{"rule", "string"},
	{"confidence", "double"},
	{"note", "string"},
}

// value is an attribute's value: a string or a float64.
type value = any

// nodeValues returns the attributes a node has, by name; empty strings are
// left out.
func nodeValues(n Node) map[string]value {
	v := map[string]value{"iri": string(n.ID), "kind": n.Kind, "label": n.Label}
	set := func(k, s string) {
		if s != "" {
			v[k] = s
		}
	}
	switch {
	case n.Document != nil:
		d := n.Document
		set("text", d.Text)
		set("title", d.Title)
		set("url", d.URL)
		set("publisher", d.Publisher)
		set("authors", strings.Join(d.Authors, "; "))
		if d.Published != nil {
			set("date", d.Published.Value)
			set("precision", string(d.Published.Precision))
		}
	case n.Actor != nil:
		set("name", n.Actor.Name)
		set("aliases", strings.Join(n.Actor.Aliases, "; "))
		set("actorKind", string(n.Actor.Kind))
	case n.Statement != nil:
		s := n.Statement
		set("text", s.Content.Text)
		set("statementKind", string(s.Kind))
		if s.Source != nil {
			set("source", s.Source.Text)
		}
		set("cue", s.Cue.Text)
		set("document", string(s.Document))
		set("span", spanOf(s).String())
		set("sentence", s.Sentence.String())
		if s.Date != nil {
			set("date", s.Date.Value)
			set("precision", string(s.Date.Precision))
		}
		set("rule", s.Rule)
		v["confidence"] = s.Confidence
	case n.Claim != nil:
		set("text", n.Claim.Text)
	case n.Place != nil:
		set("name", n.Place.Name)
		set("aliases", strings.Join(n.Place.Aliases, "; "))
	case n.Date != nil:
		set("date", n.Date.Value)
		set("precision", string(n.Date.Precision))
	}
	return v
}

// edgeValues returns the attributes an edge has, by name.
func edgeValues(e Edge) map[string]value {
	v := map[string]value{"kind": e.Kind}
	if ev := e.Evidence; ev != nil {
		v["evidenceDocument"] = string(ev.Document)
		if ev.Span != nil {
			v["span"] = ev.Span.String()
		}
		if ev.Rule != "" {
			v["rule"] = ev.Rule
		}
		v["confidence"] = ev.Confidence
		if ev.Note != "" {
			v["note"] = ev.Note
		}
	}
	return v
}

// spanOf returns the span covering all of a statement's parts.
func spanOf(s *graph.Statement) graph.Span {
	parts := append(append([]graph.Span{}, s.Content.Spans...), s.Cue.Spans...)
	if s.Source != nil {
		parts = append(parts, s.Source.Spans...)
	}
	if len(parts) == 0 {
		return s.Sentence
	}
	out := parts[0]
	for _, p := range parts[1:] {
		out.Start, out.End = min(out.Start, p.Start), max(out.End, p.End)
	}
	return out
}
