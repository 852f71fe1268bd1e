package cayleystore

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"unicode/utf8"

	"github.com/cayleygraph/quad"

	"github.com/provgraph/provgraph/graph"
)

// encoder turns a DocGraph into the quads of its named graph, and the facts
// of the shared nodes it refers to.
type encoder struct {
	doc   quad.IRI
	quads []quad.Quad
	// links holds the quads of the document's links graph: the edges
	// between its statements and other documents', with their evidence.
	links  []quad.Quad
	shared map[graph.ID][]quad.Quad
	seen   map[quad.Quad]struct{} // the values used are all comparable
	textCP int
	// places and claims are the shared nodes the document declares; its
	// statements may only link to those.
	places, claims map[graph.ID]bool
	// declared holds every node the graph defines; external collects edge
	// ends outside it, which must already be stored.
	declared map[graph.ID]bool
	external []graph.ID
	// analyses holds the linker's analyses of the statements, kept in
	// their index records rather than in quads.
	analyses map[graph.ID][]byte
}

func (e *encoder) add(s, p string, o quad.Value) {
	q := quad.Quad{Subject: quad.IRI(s), Predicate: quad.IRI(p), Object: o, Label: e.doc}
	if _, ok := e.seen[q]; ok {
		return
	}
	e.seen[q] = struct{}{}
	e.quads = append(e.quads, q)
}

// addLink records a quad of the document's links graph.
func (e *encoder) addLink(s, p string, o quad.Value) {
	q := quad.Quad{Subject: quad.IRI(s), Predicate: quad.IRI(p), Object: o, Label: quad.IRI(graph.LinksGraph(graph.ID(e.doc)))}
	if _, ok := e.seen[q]; ok {
		return
	}
	e.seen[q] = struct{}{}
	e.links = append(e.links, q)
}

// fact records a quad of shared node id's own graph.
func (e *encoder) fact(id graph.ID, p string, o quad.Value) {
	if e.shared[id] != nil && (p == graph.RDFType || p == graph.PredName) {
		for _, q := range e.shared[id] {
			if q.Predicate == quad.IRI(p) {
				return // the first name or type given wins
			}
		}
	}
	e.shared[id] = append(e.shared[id], quad.Quad{Subject: quad.IRI(id), Predicate: quad.IRI(p), Object: o, Label: quad.IRI(id)})
}

func (e *encoder) str(s, p, v string) {
	if v != "" {
		e.add(s, p, quad.String(v))
	}
}

func (e *encoder) link(s, p string, o graph.ID) { e.add(s, p, quad.IRI(o)) }

func invalid(doc graph.ID, format string, args ...any) error {
	return fmt.Errorf("cayleystore: document %s: %s: %w", doc, fmt.Sprintf(format, args...), graph.ErrInvalid)
}

func (e *encoder) checkSpans(what string, spans []graph.Span) error {
	for _, s := range spans {
		if s.Start < 0 || s.End < s.Start || s.End > e.textCP {
			return invalid(graph.ID(e.doc), "%s span %s outside the text (%d code points)", what, s, e.textCP)
		}
	}
	return nil
}

func (e *encoder) date(d graph.Date) (graph.ID, error) {
	if d.Value == "" {
		return "", invalid(graph.ID(e.doc), "date without a value")
	}
	switch d.Precision {
	case graph.PrecisionTime, graph.PrecisionDay, graph.PrecisionMonth, graph.PrecisionYear, graph.PrecisionUnknown:
	default:
		return "", invalid(graph.ID(e.doc), "date %q has precision %q", d.Value, d.Precision)
	}
	id := graph.DateID(d)
	if _, ok := e.shared[id]; !ok {
		e.fact(id, graph.RDFType, quad.IRI(graph.TypeDate))
		e.fact(id, graph.PredValue, quad.String(d.Value))
		e.fact(id, graph.PredPrecision, quad.String(string(d.Precision)))
	}
	return id, nil
}

// mention records the document's use of a shared node and the aliases it
// used for it.
func (e *encoder) mention(id graph.ID, aliases []string) {
	m := string(graph.MentionID(graph.ID(e.doc), id))
	e.link(m, graph.PredDocument, graph.ID(e.doc))
	e.link(m, graph.PredRefersTo, id)
	for _, al := range aliases {
		e.str(m, graph.PredAlias, al)
	}
}

func checkConfidence(doc graph.ID, c float64) error {
	if math.IsNaN(c) || c < 0 || c > 1 {
		return invalid(doc, "confidence %v outside [0, 1]", c)
	}
	return nil
}

// encoded is a document graph as quads.
type encoded struct {
	// quads is the document's named graph, sorted, fingerprint last, then
	// its links graph (which the fingerprint does not cover).
	quads []quad.Quad
	// shared holds the own facts of the shared nodes it refers to.
	shared map[graph.ID][]quad.Quad
	// external lists the nodes of other documents its edges reach.
	external []graph.ID
	// analyses holds the linker's analyses of its statements.
	analyses map[graph.ID][]byte
}

// encode validates a document graph and returns it as quads.
func encode(dg *graph.DocGraph) (*encoded, error) {
	d := dg.Document
	if d.ID == "" {
		return nil, invalid("(no id)", "document without an ID")
	}
	if !utf8.ValidString(d.Text) {
		return nil, invalid(d.ID, "text is not valid UTF-8")
	}
	e := &encoder{doc: quad.IRI(d.ID), seen: make(map[quad.Quad]struct{}), shared: make(map[graph.ID][]quad.Quad), textCP: utf8.RuneCountInString(d.Text)}
	ds := string(d.ID)
	e.link(ds, graph.RDFType, graph.TypeDocument)
	e.add(ds, graph.PredText, quad.String(d.Text))
	e.str(ds, graph.PredURL, d.URL)
	e.str(ds, graph.PredSource, d.Source)
	e.str(ds, graph.PredFormat, d.Format)
	e.str(ds, graph.PredTitle, d.Title)
	e.str(ds, graph.PredPublisher, d.Publisher)
	for _, a := range d.Authors {
		e.str(ds, graph.PredAuthor, a)
	}
	if d.Published != nil {
		id, err := e.date(*d.Published)
		if err != nil {
			return nil, err
		}
		e.link(ds, graph.PredPublished, id)
	}

	for _, a := range dg.Actors {
		if a.ID == "" || a.Name == "" {
			return nil, invalid(d.ID, "actor without an ID or name")
		}
		if !graph.IsShared(a.ID) {
			return nil, invalid(d.ID, "actor ID %s is not a shared node's IRI", a.ID)
		}
		kind := a.Kind
		if kind == "" {
			kind = graph.ActorUnknown
		}
		e.fact(a.ID, graph.RDFType, quad.IRI(graph.TypeActor))
		e.fact(a.ID, graph.PredName, quad.String(a.Name))
		e.fact(a.ID, graph.PredKind, quad.String(string(kind)))
		e.mention(a.ID, a.Aliases)
	}
	for _, p := range dg.Places {
		if p.ID == "" || p.Name == "" {
			return nil, invalid(d.ID, "place without an ID or name")
		}
		if !graph.IsShared(p.ID) {
			return nil, invalid(d.ID, "place ID %s is not a shared node's IRI", p.ID)
		}
		e.fact(p.ID, graph.RDFType, quad.IRI(graph.TypePlace))
		e.fact(p.ID, graph.PredName, quad.String(p.Name))
		e.mention(p.ID, p.Aliases)
	}
	for _, c := range dg.Claims {
		if !graph.IsShared(c.ID) {
			return nil, invalid(d.ID, "claim ID %q is not a shared node's IRI", c.ID)
		}
		e.fact(c.ID, graph.RDFType, quad.IRI(graph.TypeClaim))
		if c.Text != "" {
			e.fact(c.ID, graph.PredText, quad.String(c.Text))
		}
	}
	e.declared = map[graph.ID]bool{d.ID: true}
	for _, a := range dg.Actors {
		e.declared[a.ID] = true
	}
	for _, p := range dg.Places {
		e.declared[p.ID] = true
	}
	for _, c := range dg.Claims {
		e.declared[c.ID] = true
	}
	for _, st := range dg.Statements {
		e.declared[st.ID] = true
	}
	e.places = make(map[graph.ID]bool, len(dg.Places))
	for _, p := range dg.Places {
		e.places[p.ID] = true
	}
	e.claims = make(map[graph.ID]bool, len(dg.Claims))
	for _, c := range dg.Claims {
		e.claims[c.ID] = true
	}
	for i := range dg.Statements {
		if err := e.statement(&dg.Statements[i]); err != nil {
			return nil, err
		}
	}
	for _, ed := range dg.Edges {
		if err := e.edge(ed); err != nil {
			return nil, err
		}
	}
	if err := e.index(dg.Index); err != nil {
		return nil, err
	}

	fp := fingerprint(e.quads)
	e.quads = append(e.quads, quad.Quad{
		Subject: e.doc, Predicate: quad.IRI(graph.PredFingerprint),
		Object: quad.String(fp), Label: e.doc,
	})
	e.quads = append(e.quads, e.links...)
	return &encoded{quads: e.quads, shared: e.shared, external: e.external, analyses: e.analyses}, nil
}

// fingerprint sorts quads in place and hashes their N-Quads lines.
func fingerprint(quads []quad.Quad) string {
	lines := make([]string, len(quads))
	for i, q := range quads {
		lines[i] = q.NQuad()
	}
	sort.Sort(byLine{quads, lines})
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

type byLine struct {
	q []quad.Quad
	l []string
}

func (b byLine) Len() int           { return len(b.q) }
func (b byLine) Less(i, j int) bool { return b.l[i] < b.l[j] }
func (b byLine) Swap(i, j int) {
	b.q[i], b.q[j] = b.q[j], b.q[i]
	b.l[i], b.l[j] = b.l[j], b.l[i]
}

func (e *encoder) statement(st *graph.Statement) error {
	doc := graph.ID(e.doc)
	if st.ID == "" || !graph.OwnedBy(st.ID, doc) || st.ID == doc {
		return invalid(doc, "statement %q is not named under its document", st.ID)
	}
	if st.Document != "" && st.Document != doc {
		return invalid(doc, "statement %s belongs to document %s", st.ID, st.Document)
	}
	switch st.Kind {
	case graph.KindDirect, graph.KindIndirect, graph.KindMixed, graph.KindAccordingTo:
	default:
		return invalid(doc, "statement %s has kind %q", st.ID, st.Kind)
	}
	if err := checkConfidence(doc, st.Confidence); err != nil {
		return err
	}
	if len(st.Content.Spans) == 0 {
		return invalid(doc, "statement %s has no content span", st.ID)
	}
	for _, p := range []struct {
		what  string
		spans []graph.Span
	}{{"content", st.Content.Spans}, {"cue", st.Cue.Spans}, {"sentence", []graph.Span{st.Sentence}}} {
		if err := e.checkSpans(p.what, p.spans); err != nil {
			return err
		}
	}
	s := string(st.ID)
	e.link(s, graph.RDFType, graph.TypeStatement)
	e.link(s, graph.PredDocument, doc)
	e.str(s, graph.PredKind, string(st.Kind))
	e.str(s, graph.PredText, st.Content.Text)
	e.str(s, graph.PredSpan, graph.FormatSpans(st.Content.Spans))
	e.str(s, graph.PredCueText, st.Cue.Text)
	e.str(s, graph.PredCueSpan, graph.FormatSpans(st.Cue.Spans))
	if st.Source != nil {
		if err := e.checkSpans("source", st.Source.Spans); err != nil {
			return err
		}
		e.str(s, graph.PredSourceText, st.Source.Text)
		e.str(s, graph.PredSourceSpan, graph.FormatSpans(st.Source.Spans))
	}
	if st.Sentence.End > 0 {
		e.str(s, graph.PredSentence, st.Sentence.String())
	}
	if st.Date != nil {
		id, err := e.date(*st.Date)
		if err != nil {
			return err
		}
		e.link(s, graph.PredStatedOn, id)
		e.str(s, graph.PredDateFrom, string(st.DateFrom))
	}
	for _, p := range st.Places {
		if !e.places[p] {
			return invalid(doc, "statement %s mentions place %s, which the document does not list", st.ID, p)
		}
		e.link(s, graph.PredPlace, p)
	}
	for _, d := range st.Dates {
		id, err := e.date(d)
		if err != nil {
			return err
		}
		e.link(s, graph.PredDate, id)
	}
	if st.Claim != "" {
		if !e.claims[st.Claim] {
			return invalid(doc, "statement %s asserts claim %s, which the document does not list", st.ID, st.Claim)
		}
		e.link(s, graph.PredClaim, st.Claim)
	}
	e.str(s, graph.PredRule, st.Rule)
	e.add(s, graph.PredConfidence, quad.Float(st.Confidence))
	return nil
}

func (e *encoder) edge(ed graph.Edge) error {
	doc := graph.ID(e.doc)
	switch ed.Kind {
	case graph.Said, graph.Cited, graph.Disputes:
	default:
		return invalid(doc, "edge of kind %q", ed.Kind)
	}
	if ed.From == "" || ed.To == "" {
		return invalid(doc, "%s edge without both ends", ed.Kind)
	}
	ev := ed.Evidence
	if ev.Rule == "" {
		return invalid(doc, "%s edge %s → %s has no rule in its evidence", ed.Kind, ed.From, ed.To)
	}
	if err := checkConfidence(doc, ev.Confidence); err != nil {
		return err
	}
	if !graph.OwnedBy(ed.From, doc) && !graph.OwnedBy(ed.To, doc) {
		return invalid(doc, "%s edge %s → %s touches none of the document's nodes", ed.Kind, ed.From, ed.To)
	}
	// An edge to another document's node belongs to the links graph.
	add := e.add
	for _, end := range []graph.ID{ed.From, ed.To} {
		if !graph.OwnedBy(end, doc) && !graph.IsShared(end) {
			add = e.addLink
		}
		if !e.declared[end] {
			e.declared[end] = true
			e.external = append(e.external, end)
		}
	}
	pred := graph.EdgePredicate(ed.Kind)
	add(string(ed.From), pred, quad.IRI(ed.To))
	// The evidence node is named from the edge (its document, kind and
	// ends), so the store keeps only what the name does not say; an
	// export spells the edge out in RDF reification terms.
	x := string(graph.EvidenceID(doc, ed.Kind, ed.From, ed.To))
	add(x, graph.PredDocument, quad.IRI(doc))
	add(x, graph.PredRule, quad.String(ev.Rule))
	add(x, graph.PredConfidence, quad.Float(ev.Confidence))
	if ev.Span != nil {
		if err := e.checkSpans("evidence", []graph.Span{*ev.Span}); err != nil {
			return err
		}
		add(x, graph.PredSpan, quad.String(ev.Span.String()))
	}
	if ev.Note != "" {
		add(x, graph.PredNote, quad.String(ev.Note))
	}
	return nil
}
