// Package export writes the provenance graph, or the part of it around some
// nodes, in the formats other tools read: N-Quads and JSON-LD for RDF stores
// (with the W3C PROV-O vocabulary), GraphML and GEXF for Gephi and yEd, and
// Cytoscape.js JSON for Cytoscape and web pages.
//
// # What is exported
//
// [Collect] reads a [Graph] from a [Source]: every node of the graph view
// (documents, actors, statements, claims, places, dates) and every link
// between them (the evidence-carrying said, cited and disputes edges and
// the structural document, place, date, statedOn, claim and published
// links), the same nodes and edges "graphd stats" counts. With start IDs it
// reads their neighbourhood instead, as the GraphQL subgraph query does.
// Mention and evidence nodes are not nodes of this view; each said, cited
// and disputes edge carries its evidence (document, span, rule,
// confidence) as attributes.
//
// Documents' full text is left out unless [Options.Text] asks for it; the
// HTTP handler then requires the server's token, as mutations do.
//
// # Offsets
//
// Spans are Unicode code points into the document text, as everywhere users
// see them, written "start-end".
//
// # RDF vocabulary
//
// N-Quads and JSON-LD hold the same triples. Nodes keep their IRIs and the
// provgraph vocabulary (https://provgraph.org/ns#, prefix pg), and are also
// typed and linked in PROV-O (http://www.w3.org/ns/prov#): documents,
// statements and claims are prov:Entity, actors prov:Agent (prov:Person or
// prov:Organization), places prov:Location; a statement
// prov:wasAttributedTo its speaker, with a prov:qualifiedAttribution to its
// evidence; a statement that cites another quoting it (a direct or mixed
// statement) prov:wasQuotedFrom it, otherwise prov:wasDerivedFrom it, and a
// document that cites a statement prov:wasDerivedFrom it. Disputes have no
// PROV-O term: pg:disputes (statement → the statement or claim it denies or
// contradicts) is provgraph's own, declared in every export as an
// rdf:Property, a sub-property of prov:wasInfluencedBy, with a label and
// comment. Each edge's evidence is an rdf:Statement-style node (rdf:subject,
// rdf:predicate, rdf:object) with pg:document, pg:span, pg:rule and
// pg:confidence. In N-Quads a fact is in the named graph of the document
// it came from; facts of shared nodes (actors, places, dates, claims) and
// the vocabulary are in the default graph. The JSON-LD is one default graph
// of node objects with a context of prefixes.
package export

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/provgraph/provgraph/graph"
)

// Source is what [Collect] reads: the query interface, and the dump, which
// lists every node and link of the whole graph.
type Source interface {
	graph.Reader
	Dump(ctx context.Context, w io.Writer) error
}

// Options select what [Collect] reads. The zero value selects the whole
// graph without documents' text.
type Options struct {
	// IDs, when not empty, are the nodes to start from: the export holds
	// them and everything within Depth links of them, at most Limit nodes.
	IDs []graph.ID
	// Depth is how many links away from IDs to go, 0 to [MaxDepth].
	Depth int
	// Limit caps the nodes of a neighbourhood; zero means [DefaultLimit].
	Limit int
	// Text includes each document's full text.
	Text bool
}

// Bounds of a neighbourhood export.
const (
	MaxDepth     = 3
	DefaultLimit = 5000
	maxLabel     = 120 // code points
)

// Graph is a part of the graph view with everything formats write.
type Graph struct {
	// Nodes are sorted by kind, then ID; start nodes are not set apart.
	Nodes []Node
	// Edges are sorted by kind, then source, then target.
	Edges []Edge
	// Truncated says that a neighbourhood hit the limit.
	Truncated bool
}

// Node is a node of the graph view. Exactly one of the pointers, the one
// of its Kind, is set.
type Node struct {
	ID graph.ID
	// Kind is one of graph.KindDocument, KindActor, ...
	Kind string
	// Label is a short text to show: a name, a title, a statement's
	// content, a date.
	Label string

	Document  *graph.Document
	Actor     *graph.Actor
	Statement *graph.Statement
	Claim     *graph.Claim
	Place     *graph.Place
	Date      *graph.Date
}

// Edge is a link between two nodes of the graph.
type Edge struct {
	// Kind is a link name: said, cited, disputes, document, place, date,
	// statedOn, claim or published.
	Kind     string
	From, To graph.ID
	// Evidence is set on said, cited and disputes edges (the first
	// document's, when several documents assert the edge).
	Evidence *graph.Evidence
}

// ID returns a stable ID for the edge: its source, kind and target
// separated by spaces, as the GraphQL subgraph query names edges.
func (e Edge) ID() string { return string(e.From) + " " + e.Kind + " " + string(e.To) }

// Collect reads the graph, or the neighbourhood opt selects, from src.
func Collect(ctx context.Context, src Source, opt Options) (*Graph, error) {
	var (
		ids   []graph.ID
		links []graph.Link
		g     = &Graph{}
		err   error
	)
	if len(opt.IDs) == 0 {
		ids, links, err = whole(ctx, src)
	} else {
		ids, links, g.Truncated, err = neighbourhood(ctx, src, opt)
	}
	if err != nil {
		return nil, err
	}
	nodes, err := loadNodes(ctx, src, ids, opt.Text)
	if err != nil {
		return nil, err
	}
	in := make(map[graph.ID]bool, len(nodes))
	for _, n := range nodes {
		in[n.ID] = true
	}
	g.Nodes = nodes
	seen := make(map[string]bool, len(links))
	var sources []graph.ID
	for _, l := range links {
		e := Edge{Kind: l.Kind, From: l.From, To: l.To}
		if !in[e.From] || !in[e.To] || seen[e.ID()] {
			continue
		}
		seen[e.ID()] = true
		g.Edges = append(g.Edges, e)
		if derived(e.Kind) {
			sources = append(sources, e.From)
		}
	}
	if err := addEvidence(ctx, src, g, sources); err != nil {
		return nil, err
	}
	slices.SortFunc(g.Nodes, func(a, b Node) int {
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return strings.Compare(string(a.ID), string(b.ID))
	})
	slices.SortFunc(g.Edges, func(a, b Edge) int {
		return strings.Compare(a.Kind+"\x00"+string(a.From)+"\x00"+string(a.To), b.Kind+"\x00"+string(b.From)+"\x00"+string(b.To))
	})
	return g, nil
}

// whole lists every node and link of the graph from the dump, counting as
// [graph.Store.Stats] does: nodes are the subjects typed with a node type;
// links are the distinct triples of [graph.LinkPredicates], the document
// link only from statements (mentions and evidence have one too).
func whole(ctx context.Context, src Source) ([]graph.ID, []graph.Link, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(src.Dump(ctx, pw)) }()
	defer pr.Close()
	types := make(map[quad.IRI]bool, len(graph.NodeTypes))
	for _, nt := range graph.NodeTypes {
		types[quad.IRI(nt.Type)] = true
	}
	preds := make(map[quad.IRI]string, len(graph.LinkPredicates))
	for _, p := range graph.LinkPredicates {
		preds[quad.IRI(p)] = strings.TrimPrefix(p, graph.NS)
	}
	var (
		ids   []graph.ID
		links []graph.Link
		seen  = make(map[graph.ID]bool)
	)
	r := nquads.NewReader(bufio.NewReaderSize(pr, 1<<20), false)
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, nil, fmt.Errorf("export: reading the dump: %w", err)
		}
		s, ok1 := q.Subject.(quad.IRI)
		p, ok2 := q.Predicate.(quad.IRI)
		o, ok3 := q.Object.(quad.IRI)
		if !ok1 || !ok2 || !ok3 {
			continue
		}
		if p == graph.RDFType {
			if types[o] && !seen[graph.ID(s)] {
				seen[graph.ID(s)] = true
				ids = append(ids, graph.ID(s))
			}
			continue
		}
		name, ok := preds[p]
		if !ok || (p == graph.PredDocument && !graph.IsStatement(graph.ID(s))) {
			continue
		}
		links = append(links, graph.Link{Kind: name, From: graph.ID(s), To: graph.ID(o)})
	}
	return ids, links, nil
}

// neighbourhood walks breadth-first from opt.IDs, one batch read of links
// per level, then reads the links among the nodes it kept.
func neighbourhood(ctx context.Context, src Source, opt Options) ([]graph.ID, []graph.Link, bool, error) {
	if opt.Depth < 0 || opt.Depth > MaxDepth {
		return nil, nil, false, fmt.Errorf("export: depth must be between 0 and %d, not %d", MaxDepth, opt.Depth)
	}
	limit := opt.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	order, truncated, err := graph.Walk(ctx, src.LinksOf, opt.IDs, opt.Depth, limit)
	if err != nil {
		return nil, nil, false, fmt.Errorf("export: %w", err)
	}
	if len(order) == 0 {
		return nil, nil, truncated, nil
	}
	links, err := src.LinksOf(ctx, order)
	if err != nil {
		return nil, nil, false, fmt.Errorf("export: %w", err)
	}
	var all []graph.Link
	for _, ls := range links {
		all = append(all, ls...)
	}
	return order, all, truncated, nil
}

// loadNodes reads the nodes of ids, each kind in one batch, leaving out
// IDs that name no stored node.
func loadNodes(ctx context.Context, src Source, ids []graph.ID, text bool) ([]Node, error) {
	byKind := make(map[string][]graph.ID)
	for _, id := range ids {
		k := graph.KindOf(id)
		byKind[k] = append(byKind[k], id)
	}
	var out []Node
	for _, id := range byKind[graph.KindDate] {
		if d, ok := graph.DateOf(id); ok {
			out = append(out, Node{ID: id, Kind: graph.KindDate, Label: d.Value, Date: &d})
		}
	}
	if err := load(ctx, src.StatementsByID, byKind[graph.KindStatement], &out, func(s *graph.Statement) Node {
		return Node{Kind: graph.KindStatement, Label: s.Content.Text, Statement: s}
	}); err != nil {
		return nil, err
	}
	if err := load(ctx, src.ActorsByID, byKind[graph.KindActor], &out, func(a *graph.Actor) Node {
		return Node{Kind: graph.KindActor, Label: a.Name, Actor: a}
	}); err != nil {
		return nil, err
	}
	if err := load(ctx, src.DocumentsByID, byKind[graph.KindDocument], &out, func(d *graph.Document) Node {
		if !text {
			d.Text = ""
		}
		label := d.Title
		if label == "" {
			label = d.URL
		}
		if label == "" {
			label = d.Source
		}
		return Node{Kind: graph.KindDocument, Label: label, Document: d}
	}); err != nil {
		return nil, err
	}
	if err := load(ctx, src.ClaimsByID, byKind[graph.KindClaim], &out, func(c *graph.Claim) Node {
		return Node{Kind: graph.KindClaim, Label: c.Text, Claim: c}
	}); err != nil {
		return nil, err
	}
	if err := load(ctx, src.PlacesByID, byKind[graph.KindPlace], &out, func(p *graph.Place) Node {
		return Node{Kind: graph.KindPlace, Label: p.Name, Place: p}
	}); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Label = shorten(out[i].Label)
	}
	return out, nil
}

// batch is the size of one batch read.
const batch = 1000

func load[T any](ctx context.Context, read func(context.Context, []graph.ID) ([]*T, error), ids []graph.ID, out *[]Node, node func(*T) Node) error {
	for len(ids) > 0 {
		n := min(len(ids), batch)
		vals, err := read(ctx, ids[:n])
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		for i, v := range vals {
			if v == nil {
				continue
			}
			nd := node(v)
			nd.ID = ids[i]
			*out = append(*out, nd)
		}
		ids = ids[n:]
	}
	return nil
}

// addEvidence reads the evidence of the derived edges leaving sources and
// sets it on g's edges.
func addEvidence(ctx context.Context, src Source, g *Graph, sources []graph.ID) error {
	slices.Sort(sources)
	sources = slices.Compact(sources)
	evidence := make(map[string]*graph.Evidence)
	for len(sources) > 0 {
		n := min(len(sources), batch)
		edges, err := src.EdgesOf(ctx, sources[:n], graph.Out)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		for _, es := range edges {
			for _, e := range es {
				k := Edge{Kind: string(e.Kind), From: e.From, To: e.To}.ID()
				if evidence[k] == nil {
					ev := e.Evidence
					evidence[k] = &ev
				}
			}
		}
		sources = sources[n:]
	}
	for i := range g.Edges {
		g.Edges[i].Evidence = evidence[g.Edges[i].ID()]
	}
	return nil
}

func derived(kind string) bool {
	for _, k := range graph.EdgeKinds {
		if string(k) == kind {
			return true
		}
	}
	return false
}

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxLabel {
		return s
	}
	return string([]rune(s)[:maxLabel-1]) + "…"
}
