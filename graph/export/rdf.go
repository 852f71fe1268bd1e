package export

import (
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/provgraph/provgraph/graph"
)

// Vocabularies of the RDF exports.
const (
	provNS = "http://www.w3.org/ns/prov#"
	rdfNS  = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	rdfsNS = "http://www.w3.org/2000/01/rdf-schema#"
	xsdNS  = "http://www.w3.org/2001/XMLSchema#"
	dctNS  = "http://purl.org/dc/terms/"
)

// prefixes are the JSON-LD context and the compact names of the vocabulary.
var prefixes = []struct{ Prefix, NS string }{
	{"pg", graph.NS},
	{"prov", provNS},
	{"rdf", rdfNS},
	{"rdfs", rdfsNS},
	{"xsd", xsdNS},
	{"dcterms", dctNS},
}

// vocabulary declares the provgraph terms an export uses that a reader
// may not know: disputes above all, which PROV-O has no term for.
var vocabulary = []struct{ Term, Label, Comment, SubPropertyOf string }{
	{"disputes", "disputes", "A statement denies or contradicts another statement or a claim. provgraph's own term: PROV-O has none for disagreement. The disputing statement was made in response to (influenced by) what it disputes.", provNS + "wasInfluencedBy"},
	{"cited", "cited", "A document or statement reports, relays or repeats a statement. Also written as prov:wasQuotedFrom (a direct or mixed statement) or prov:wasDerivedFrom.", provNS + "wasDerivedFrom"},
	{"said", "said", "An actor said a statement: the inverse of the statement's prov:wasAttributedTo.", ""},
}

// rdfQuads turns g into quads: the provgraph vocabulary and PROV-O, as the
// package documentation describes.
func rdfQuads(g *Graph) []quad.Quad {
	var out []quad.Quad
	add := func(s quad.IRI, p string, o quad.Value, label quad.Value) {
		out = append(out, quad.Quad{Subject: s, Predicate: quad.IRI(p), Object: o, Label: label})
	}
	str := func(s string) quad.Value { return quad.String(s) }
	typed := func(s, t string) quad.Value {
		return quad.TypedString{Value: quad.String(s), Type: quad.IRI(xsdNS + t)}
	}
	num := func(f float64) quad.Value { return typed(strconv.FormatFloat(f, 'g', -1, 64), "double") }

	for _, v := range vocabulary {
		t := quad.IRI(graph.NS + v.Term)
		add(t, graph.RDFType, quad.IRI(rdfNS+"Property"), nil)
		add(t, rdfsNS+"label", str(v.Label), nil)
		add(t, rdfsNS+"comment", str(v.Comment), nil)
		if v.SubPropertyOf != "" {
			add(t, rdfsNS+"subPropertyOf", quad.IRI(v.SubPropertyOf), nil)
		}
	}

	kinds := make(map[graph.ID]*Node, len(g.Nodes))
	for i := range g.Nodes {
		kinds[g.Nodes[i].ID] = &g.Nodes[i]
	}
	for _, n := range g.Nodes {
		s := quad.IRI(n.ID)
		var label quad.Value
		if doc := owner(n.ID); doc != "" {
			label = quad.IRI(doc)
		}
		prop := func(p string, o quad.Value) { add(s, p, o, label) }
		opt := func(p, v string) {
			if v != "" {
				prop(p, str(v))
			}
		}
		prop(graph.RDFType, quad.IRI(graph.NS+n.Kind))
		prop(rdfsNS+"label", str(n.Label))
		switch {
		case n.Document != nil:
			d := n.Document
			prop(graph.RDFType, quad.IRI(provNS+"Entity"))
			opt(dctNS+"title", d.Title)
			if d.URL != "" {
				prop(graph.PredURL, typed(d.URL, "anyURI"))
			}
			opt(dctNS+"publisher", d.Publisher)
			for _, a := range d.Authors {
				opt(dctNS+"creator", a)
			}
			opt(graph.PredSource, d.Source)
			opt(graph.PredFormat, d.Format)
			opt(graph.PredText, d.Text)
		case n.Actor != nil:
			a := n.Actor
			prop(graph.RDFType, quad.IRI(provNS+"Agent"))
			switch a.Kind {
			case graph.ActorPerson:
				prop(graph.RDFType, quad.IRI(provNS+"Person"))
			case graph.ActorOrganization, graph.ActorGovernment:
				prop(graph.RDFType, quad.IRI(provNS+"Organization"))
			}
			opt(graph.PredName, a.Name)
			opt(graph.PredKind, string(a.Kind))
			for _, al := range a.Aliases {
				opt(graph.PredAlias, al)
			}
		case n.Statement != nil:
			st := n.Statement
			prop(graph.RDFType, quad.IRI(provNS+"Entity"))
			opt(graph.PredText, st.Content.Text)
			opt(graph.PredKind, string(st.Kind))
			opt(graph.PredCueText, st.Cue.Text)
			if st.Source != nil {
				opt(graph.PredSourceText, st.Source.Text)
			}
			prop(graph.PredSpan, str(spanOf(st).String()))
			prop(graph.PredSentence, str(st.Sentence.String()))
			opt(graph.PredRule, st.Rule)
			prop(graph.PredConfidence, num(st.Confidence))
			if st.Date != nil {
				if v := dateLiteral(*st.Date); v != nil {
					prop(graph.NS+"dateValue", v)
				}
			}
		case n.Claim != nil:
			prop(graph.RDFType, quad.IRI(provNS+"Entity"))
			opt(graph.PredText, n.Claim.Text)
		case n.Place != nil:
			prop(graph.RDFType, quad.IRI(provNS+"Location"))
			opt(graph.PredName, n.Place.Name)
			for _, al := range n.Place.Aliases {
				opt(graph.PredAlias, al)
			}
		case n.Date != nil:
			if v := dateLiteral(*n.Date); v != nil {
				prop(graph.PredValue, v)
			} else {
				prop(graph.PredValue, str(n.Date.Value))
			}
			prop(graph.PredPrecision, str(string(n.Date.Precision)))
		}
	}

	for _, e := range g.Edges {
		from, to := quad.IRI(e.From), quad.IRI(e.To)
		var label quad.Value
		switch {
		case owner(e.From) != "":
			label = quad.IRI(owner(e.From))
		case e.Evidence != nil:
			label = quad.IRI(e.Evidence.Document)
		}
		add(from, graph.NS+e.Kind, to, label)
		if e.Evidence == nil {
			continue
		}
		ev := e.Evidence
		evID := quad.IRI(graph.EvidenceID(ev.Document, graph.EdgeKind(e.Kind), e.From, e.To))
		evLabel := quad.IRI(ev.Document)
		evProp := func(p string, o quad.Value) { add(evID, p, o, evLabel) }
		evProp(graph.RDFType, quad.IRI(graph.TypeEvidence))
		evProp(graph.PredEdgeSubject, from)
		evProp(graph.PredEdgePredicate, quad.IRI(graph.NS+e.Kind))
		evProp(graph.PredEdgeObject, to)
		evProp(graph.PredDocument, quad.IRI(ev.Document))
		if ev.Span != nil {
			evProp(graph.PredSpan, str(ev.Span.String()))
		}
		if ev.Rule != "" {
			evProp(graph.PredRule, str(ev.Rule))
		}
		evProp(graph.PredConfidence, num(ev.Confidence))
		if ev.Note != "" {
			evProp(graph.PredNote, str(ev.Note))
		}
		switch graph.EdgeKind(e.Kind) {
		case graph.Said:
			// actor said statement: the statement is attributed to the actor.
			add(to, provNS+"wasAttributedTo", from, evLabel)
			add(to, provNS+"qualifiedAttribution", evID, evLabel)
			evProp(graph.RDFType, quad.IRI(provNS+"Attribution"))
			evProp(provNS+"agent", from)
		case graph.Cited:
			rel, qual, class := "wasDerivedFrom", "qualifiedDerivation", "Derivation"
			if n := kinds[e.From]; n != nil && n.Statement != nil && (n.Statement.Kind == graph.KindDirect || n.Statement.Kind == graph.KindMixed) {
				rel, qual, class = "wasQuotedFrom", "qualifiedQuotation", "Quotation"
			}
			add(from, provNS+rel, to, evLabel)
			add(from, provNS+qual, evID, evLabel)
			evProp(graph.RDFType, quad.IRI(provNS+class))
			evProp(provNS+"entity", to)
		}
	}
	type keyed struct {
		key string
		q   quad.Quad
	}
	ks := make([]keyed, len(out))
	for i, q := range out {
		ks[i] = keyed{q.NQuad(), q}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	ks = slices.CompactFunc(ks, func(a, b keyed) bool { return a.key == b.key })
	out = out[:0]
	for _, k := range ks {
		out = append(out, k.q)
	}
	return out
}

// owner returns the document that owns a node (itself for a document, its
// document for a statement), or "" for a shared node.
func owner(id graph.ID) graph.ID {
	switch graph.KindOf(id) {
	case graph.KindDocument:
		return id
	case graph.KindStatement:
		return graph.StatementOf(id)
	}
	return ""
}

// dateLiteral types a date value with the XML Schema type of its
// precision; nil for a date of unknown precision.
func dateLiteral(d graph.Date) quad.Value {
	t := map[graph.Precision]string{
		graph.PrecisionTime:  "dateTime",
		graph.PrecisionDay:   "date",
		graph.PrecisionMonth: "gYearMonth",
		graph.PrecisionYear:  "gYear",
	}[d.Precision]
	if t == "" {
		return nil
	}
	return quad.TypedString{Value: quad.String(d.Value), Type: quad.IRI(xsdNS + t)}
}

// writeNQuads writes g as N-Quads, sorted.
func writeNQuads(w io.Writer, g *Graph) error {
	qw := nquads.NewWriter(w)
	for _, q := range rdfQuads(g) {
		if err := qw.WriteQuad(q); err != nil {
			return err
		}
	}
	return qw.Close()
}

// writeJSONLD writes g's triples as JSON-LD: one node object per subject
// in a default graph, with a context of prefixes so that keys read as
// prov:wasAttributedTo, pg:disputes. Named graphs are left out: each
// statement's pg:document already says where it came from.
func writeJSONLD(w io.Writer, g *Graph) error {
	type node struct {
		id    string
		props map[string][]any
		keys  []string
	}
	var (
		nodes []*node
		index = make(map[string]*node)
	)
	for _, q := range rdfQuads(g) {
		s := string(q.Subject.(quad.IRI))
		n := index[s]
		if n == nil {
			n = &node{id: s, props: make(map[string][]any)}
			index[s] = n
			nodes = append(nodes, n)
		}
		p := string(q.Predicate.(quad.IRI))
		key := compact(p)
		var v any
		if p == graph.RDFType {
			key = "@type"
			v = compact(string(q.Object.(quad.IRI)))
		} else {
			switch o := q.Object.(type) {
			case quad.IRI:
				v = map[string]string{"@id": string(o)}
			case quad.TypedString:
				v = map[string]string{"@value": string(o.Value), "@type": compact(string(o.Type))}
			case quad.String:
				v = string(o)
			default:
				v = o.String()
			}
		}
		if _, ok := n.props[key]; !ok {
			n.keys = append(n.keys, key)
		}
		n.props[key] = append(n.props[key], v)
	}
	ctx := make(map[string]string, len(prefixes))
	for _, p := range prefixes {
		ctx[p.Prefix] = p.NS
	}
	var objs []json.RawMessage
	for _, n := range nodes {
		var b strings.Builder
		b.WriteString(`{"@id":`)
		writeJSON(&b, n.id)
		slices.Sort(n.keys)
		for _, k := range n.keys {
			b.WriteByte(',')
			writeJSON(&b, k)
			b.WriteByte(':')
			writeJSON(&b, n.props[k])
		}
		b.WriteByte('}')
		objs = append(objs, json.RawMessage(b.String()))
	}
	if objs == nil {
		objs = []json.RawMessage{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	return enc.Encode(struct {
		Context map[string]string `json:"@context"`
		Graph   []json.RawMessage `json:"@graph"`
	}{ctx, objs})
}

func writeJSON(b *strings.Builder, v any) {
	bs, _ := json.Marshal(v) // strings, maps and slices of them: cannot fail
	b.Write(bs)
}

// compact writes an IRI in a vocabulary of [prefixes] as prefix:local.
func compact(iri string) string {
	for _, p := range prefixes {
		if local, ok := strings.CutPrefix(iri, p.NS); ok && local != "" && !strings.ContainsAny(local, "/#:") {
			return p.Prefix + ":" + local
		}
	}
	return iri
}
