package cayleystore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/provgraph/provgraph/graph"
)

// The linking index ([graph.Index]): a statement's claims are quads of the
// document's own named graph (<statement> asserts <claim>), collected with
// it like any other; its keys and a record of what the linker reads of it
// are kept beside the quads (side.go).

var _ graph.Index = (*Store)(nil)

// index encodes a document's index entries.
func (e *encoder) index(entries []graph.IndexEntry) error {
	doc := graph.ID(e.doc)
	for _, x := range entries {
		if !graph.OwnedBy(x.Statement, doc) || !e.declared[x.Statement] || !graph.IsStatement(x.Statement) {
			return invalid(doc, "index entry for %s, which is not one of the document's statements", x.Statement)
		}
		set := 0
		for _, ok := range []bool{x.Key != "", x.Claim != "", x.Analysis != nil} {
			if ok {
				set++
			}
		}
		switch {
		case set != 1:
			return invalid(doc, "index entry for %s needs exactly one of a key, a claim and an analysis", x.Statement)
		case x.Analysis != nil:
			if e.analyses == nil {
				e.analyses = make(map[graph.ID][]byte)
			}
			e.analyses[x.Statement] = x.Analysis
		case x.Key != "":
			e.add(string(x.Statement), graph.PredIndexKey, quad.String(x.Key))
		default:
			if !e.claims[x.Claim] {
				return invalid(doc, "statement %s asserts claim %s, which the document does not list", x.Statement, x.Claim)
			}
			e.link(string(x.Statement), graph.PredAsserts, x.Claim)
		}
	}
	return nil
}

// subjectsWith returns the IRIs of the subjects of quads with predicate pred
// and object obj, sorted.
func subjectsWith(ctx context.Context, qs cgraph.QuadStore, pred string, obj quad.Value) ([]graph.ID, error) {
	oref := qs.ValueOf(obj)
	pref := qs.ValueOf(quad.IRI(pred))
	if oref == nil || pref == nil {
		return nil, nil
	}
	var out []graph.ID
	it := qs.QuadIterator(quad.Object, oref)
	defer it.Close()
	for it.Next(ctx) {
		r := it.Result()
		if !sameRef(qs.QuadDirection(r, quad.Predicate), pref) {
			continue
		}
		if iri, ok := qs.NameOf(qs.QuadDirection(r, quad.Subject)).(quad.IRI); ok {
			out = append(out, graph.ID(iri))
		}
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Lookup implements [graph.Index]: a scan of the key's postings.
func (s *Store) Lookup(ctx context.Context, key string, limit int) ([]graph.ID, bool, error) {
	p, err := s.LookupAll(ctx, []string{key}, limit)
	if err != nil {
		return nil, false, err
	}
	return p[0].IDs, p[0].More, nil
}

// LookupAll implements [graph.Index]: the keys' postings, read in key
// order through one iterator where the backend allows it.
func (s *Store) LookupAll(ctx context.Context, keys []string, limit int) ([]graph.Postings, error) {
	side, done, err := s.sideReader()
	if err != nil {
		return nil, err
	}
	defer done()
	out := make([]graph.Postings, len(keys))
	// Keys known to be common are answered without reading them.
	var gen uint64
	common := make([]bool, len(keys))
	if s.common != nil && limit > 0 {
		gen = s.common.lookup(keys, limit, common)
	}
	var (
		read     []int // positions in keys of the keys read
		prefixes [][]byte
	)
	for i, k := range keys {
		if common[i] {
			out[i].More = true
			continue
		}
		read = append(read, i)
		prefixes = append(prefixes, []byte(sidePosting+k+"\x00"))
	}
	add := func(j int, k []byte) bool {
		p := &out[read[j]]
		if limit > 0 && len(p.IDs) == limit {
			p.More = true
			return false
		}
		p.IDs = append(p.IDs, graph.ID(k[len(prefixes[j]):]))
		return true
	}
	scanLimit := 0
	if limit > 0 {
		scanLimit = limit + 1
	}
	if m, ok := side.(multiScanner); ok {
		err = m.scanMany(ctx, prefixes, add)
	} else {
		for j, p := range prefixes {
			if err = side.scan(ctx, p, scanLimit, func(k, _ []byte) bool { return add(j, k) }); err != nil {
				break
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("cayleystore: look up %d keys: %w", len(keys), err)
	}
	if s.common != nil && limit > 0 {
		var found []string
		for _, i := range read {
			if out[i].More {
				found = append(found, keys[i])
			}
		}
		if len(found) > 0 {
			s.common.add(gen, found, limit)
		}
	}
	return out, nil
}

// Members implements [graph.Index].
func (s *Store) Members(ctx context.Context, claim graph.ID) ([]graph.ID, error) {
	qs, err := s.reader()
	if err != nil {
		return nil, err
	}
	return subjectsWith(ctx, qs, graph.PredAsserts, quad.IRI(claim))
}

// Statements implements [graph.Index]: one read of each statement's
// record.
func (s *Store) Statements(ctx context.Context, ids []graph.ID) ([]graph.IndexedStatement, error) {
	side, done, err := s.sideReader()
	if err != nil {
		return nil, err
	}
	defer done()
	keys := make([][]byte, len(ids))
	for i, id := range ids {
		keys[i] = []byte(sideRecord + string(id))
	}
	vals, err := side.get(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("cayleystore: read statements: %w", err)
	}
	out := make([]graph.IndexedStatement, 0, len(ids))
	for i, v := range vals {
		if v == nil {
			continue
		}
		r, err := decodeRecord(v)
		if err != nil {
			return nil, fmt.Errorf("cayleystore: read statement %s: %w", ids[i], err)
		}
		out = append(out, graph.IndexedStatement{Statement: r.St, Speaker: r.Speaker, Published: r.Published, Claims: r.Claims, Keys: r.Keys, Analysis: r.Analysis})
	}
	return out, nil
}

// decodeStatement reads statement id of document doc from its own quads;
// onDate receives the IRI of its date. It reports whether the quads type
// the node as a statement.
func decodeStatement(id, doc graph.ID, quads []quad.Quad, onDate func(graph.ID)) (graph.IndexedStatement, bool) {
	x := graph.IndexedStatement{Statement: graph.Statement{ID: id, Document: doc}}
	st := &x.Statement
	typed := false
	spans := func(v quad.Value) []graph.Span {
		sp, _ := graph.ParseSpans(quadString(v))
		return sp
	}
	var source graph.Part
	for _, q := range quads {
		p, _ := q.Predicate.(quad.IRI)
		switch string(p) {
		case graph.RDFType:
			typed = typed || q.Object == quad.IRI(graph.TypeStatement)
		case graph.PredKind:
			st.Kind = graph.StatementKind(quadString(q.Object))
		case graph.PredText:
			st.Content.Text = quadString(q.Object)
		case graph.PredSpan:
			st.Content.Spans = spans(q.Object)
		case graph.PredCueText:
			st.Cue.Text = quadString(q.Object)
		case graph.PredCueSpan:
			st.Cue.Spans = spans(q.Object)
		case graph.PredSourceText:
			source.Text = quadString(q.Object)
		case graph.PredSourceSpan:
			source.Spans = spans(q.Object)
		case graph.PredSentence:
			if sp := spans(q.Object); len(sp) == 1 {
				st.Sentence = sp[0]
			}
		case graph.PredDateFrom:
			st.DateFrom = graph.DateSource(quadString(q.Object))
		case graph.PredRule:
			st.Rule = quadString(q.Object)
		case graph.PredConfidence:
			if f, ok := q.Object.(quad.Float); ok {
				st.Confidence = float64(f)
			}
		case graph.PredClaim:
			if iri, ok := q.Object.(quad.IRI); ok {
				st.Claim = graph.ID(iri)
			}
		case graph.PredIndexKey:
			x.Keys = append(x.Keys, quadString(q.Object))
		case graph.PredAsserts:
			if iri, ok := q.Object.(quad.IRI); ok {
				x.Claims = append(x.Claims, graph.ID(iri))
			}
		case graph.PredStatedOn:
			if iri, ok := q.Object.(quad.IRI); ok {
				onDate(graph.ID(iri))
			}
		}
	}
	if source.Text != "" || len(source.Spans) > 0 {
		st.Source = &source
	}
	slices.Sort(x.Claims)
	slices.Sort(x.Keys)
	return x, typed
}

// EdgesTo implements [graph.Index].
func (s *Store) EdgesTo(ctx context.Context, kind graph.EdgeKind, ids []graph.ID) ([]graph.Edge, error) {
	qs, err := s.reader()
	if err != nil {
		return nil, err
	}
	pred := graph.EdgePredicate(kind)
	pref := qs.ValueOf(quad.IRI(pred))
	if pref == nil {
		return nil, nil
	}
	var out []graph.Edge
	for _, to := range ids {
		oref := qs.ValueOf(quad.IRI(to))
		if oref == nil {
			continue
		}
		it := qs.QuadIterator(quad.Object, oref)
		var found []quad.Quad
		for it.Next(ctx) {
			r := it.Result()
			if sameRef(qs.QuadDirection(r, quad.Predicate), pref) {
				found = append(found, qs.Quad(r))
			}
		}
		err := it.Err()
		it.Close()
		if err != nil {
			return nil, err
		}
		for _, q := range found {
			from, _ := q.Subject.(quad.IRI)
			label, _ := q.Label.(quad.IRI)
			doc := graph.GraphDocument(graph.ID(label))
			ed := graph.Edge{Kind: kind, From: graph.ID(from), To: to, Evidence: graph.Evidence{Document: doc}}
			ev := graph.EvidenceID(doc, kind, ed.From, to)
			facts, err := matching(ctx, qs, quad.IRI(ev), graph.ID(label), nil)
			if err != nil {
				return nil, err
			}
			for _, f := range facts {
				switch f.Predicate {
				case quad.IRI(graph.PredRule):
					ed.Evidence.Rule = quad.StringOf(f.Object)
					if s, ok := f.Object.(quad.String); ok {
						ed.Evidence.Rule = string(s)
					}
				case quad.IRI(graph.PredNote):
					if s, ok := f.Object.(quad.String); ok {
						ed.Evidence.Note = string(s)
					}
				case quad.IRI(graph.PredConfidence):
					if c, ok := f.Object.(quad.Float); ok {
						ed.Evidence.Confidence = float64(c)
					}
				case quad.IRI(graph.PredSpan):
					if s, ok := f.Object.(quad.String); ok {
						if sp, err := graph.ParseSpans(string(s)); err == nil && len(sp) == 1 {
							ed.Evidence.Span = &sp[0]
						}
					}
				}
			}
			out = append(out, ed)
		}
	}
	slices.SortFunc(out, func(a, b graph.Edge) int {
		if c := strings.Compare(string(a.From), string(b.From)); c != 0 {
			return c
		}
		return strings.Compare(string(a.To), string(b.To))
	})
	return out, nil
}
