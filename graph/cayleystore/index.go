package cayleystore

import (
	"context"
	"slices"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/provgraph/provgraph/graph"
)

// The linking index ([graph.Index]) is stored as quads of the document's
// own named graph: <statement> indexKey "key" and <statement> asserts
// <claim>. Each has an owned node (the statement) as its subject, so
// graphQuads finds them from the document, and a replaced or removed
// document takes its entries with it; a claim that no document asserts
// any more is collected like any other shared node.

var _ graph.Index = (*Store)(nil)

// index encodes a document's index entries.
func (e *encoder) index(entries []graph.IndexEntry) error {
	doc := graph.ID(e.doc)
	for _, x := range entries {
		if !graph.OwnedBy(x.Statement, doc) || !e.declared[x.Statement] || !graph.IsStatement(x.Statement) {
			return invalid(doc, "index entry for %s, which is not one of the document's statements", x.Statement)
		}
		switch {
		case (x.Key == "") == (x.Claim == ""):
			return invalid(doc, "index entry for %s needs exactly one of a key and a claim", x.Statement)
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

// Lookup implements [graph.Index].
func (s *Store) Lookup(ctx context.Context, key string, limit int) ([]graph.ID, bool, error) {
	qs, err := s.reader()
	if err != nil {
		return nil, false, err
	}
	if limit > 0 {
		if ref := qs.ValueOf(quad.String(key)); ref == nil {
			return nil, false, nil
		} else if sz, err := qs.QuadIteratorSize(ctx, quad.Object, ref); err == nil && sz.Exact && sz.Size > int64(limit) {
			// Every quad with the key as object is an index entry.
			return nil, true, nil
		}
	}
	ids, err := subjectsWith(ctx, qs, graph.PredIndexKey, quad.String(key))
	if err != nil {
		return nil, false, err
	}
	if limit > 0 && len(ids) > limit {
		return ids[:limit], true, nil
	}
	return ids, false, nil
}

// Members implements [graph.Index].
func (s *Store) Members(ctx context.Context, claim graph.ID) ([]graph.ID, error) {
	qs, err := s.reader()
	if err != nil {
		return nil, err
	}
	return subjectsWith(ctx, qs, graph.PredAsserts, quad.IRI(claim))
}

// documentOf returns the document that owns statement id.
func documentOf(id graph.ID) graph.ID {
	s := string(id)
	if i := strings.LastIndex(s, "/s/"); i > 0 {
		return graph.ID(s[:i])
	}
	return ""
}

// Statements implements [graph.Index].
func (s *Store) Statements(ctx context.Context, ids []graph.ID) ([]graph.IndexedStatement, error) {
	qs, err := s.reader()
	if err != nil {
		return nil, err
	}
	published := make(map[graph.ID]*graph.Date)
	out := make([]graph.IndexedStatement, 0, len(ids))
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		doc := documentOf(id)
		quads, err := matching(ctx, qs, quad.IRI(id), doc, nil)
		if err != nil {
			return nil, err
		}
		x, ok, err := readStatement(ctx, qs, id, doc, quads)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		pub, seen := published[doc]
		if !seen {
			dq, err := matching(ctx, qs, quad.IRI(doc), doc, func(p quad.Value) bool { return p == quad.IRI(graph.PredPublished) })
			if err != nil {
				return nil, err
			}
			for _, q := range dq {
				if iri, ok := q.Object.(quad.IRI); ok {
					if pub, err = readDate(ctx, qs, graph.ID(iri), graph.ID(iri)); err != nil {
						return nil, err
					}
				}
			}
			published[doc] = pub
		}
		x.Published = pub
		if x.Speaker, err = speakerOf(ctx, qs, id, doc); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

func readStatement(ctx context.Context, qs cgraph.QuadStore, id, doc graph.ID, quads []quad.Quad) (graph.IndexedStatement, bool, error) {
	x := graph.IndexedStatement{Statement: graph.Statement{ID: id, Document: doc}}
	st := &x.Statement
	typed := false
	str := func(v quad.Value) string {
		if s, ok := v.(quad.String); ok {
			return string(s)
		}
		return quad.StringOf(v)
	}
	spans := func(v quad.Value) []graph.Span {
		sp, _ := graph.ParseSpans(str(v))
		return sp
	}
	var source graph.Part
	for _, q := range quads {
		p, _ := q.Predicate.(quad.IRI)
		switch string(p) {
		case graph.RDFType:
			typed = typed || q.Object == quad.IRI(graph.TypeStatement)
		case graph.PredKind:
			st.Kind = graph.StatementKind(str(q.Object))
		case graph.PredText:
			st.Content.Text = str(q.Object)
		case graph.PredSpan:
			st.Content.Spans = spans(q.Object)
		case graph.PredCueText:
			st.Cue.Text = str(q.Object)
		case graph.PredCueSpan:
			st.Cue.Spans = spans(q.Object)
		case graph.PredSourceText:
			source.Text = str(q.Object)
		case graph.PredSourceSpan:
			source.Spans = spans(q.Object)
		case graph.PredSentence:
			if sp := spans(q.Object); len(sp) == 1 {
				st.Sentence = sp[0]
			}
		case graph.PredDateFrom:
			st.DateFrom = graph.DateSource(str(q.Object))
		case graph.PredRule:
			st.Rule = str(q.Object)
		case graph.PredConfidence:
			if f, ok := q.Object.(quad.Float); ok {
				st.Confidence = float64(f)
			}
		case graph.PredClaim:
			if iri, ok := q.Object.(quad.IRI); ok {
				st.Claim = graph.ID(iri)
			}
		case graph.PredIndexKey:
			x.Keys = append(x.Keys, str(q.Object))
		case graph.PredAsserts:
			if iri, ok := q.Object.(quad.IRI); ok {
				x.Claims = append(x.Claims, graph.ID(iri))
			}
		case graph.PredStatedOn:
			if iri, ok := q.Object.(quad.IRI); ok {
				d, err := readDate(ctx, qs, graph.ID(iri), graph.ID(iri))
				if err != nil {
					return x, false, err
				}
				st.Date = d
			}
		}
	}
	if source.Text != "" || len(source.Spans) > 0 {
		st.Source = &source
	}
	slices.Sort(x.Claims)
	slices.Sort(x.Keys)
	return x, typed, nil
}

// speakerOf returns the actor of the said edge into statement id, with the
// aliases the statement's document used for it.
func speakerOf(ctx context.Context, qs cgraph.QuadStore, id, doc graph.ID) (*graph.Actor, error) {
	actors, err := subjectsWith(ctx, qs, graph.PredSaid, quad.IRI(id))
	if err != nil || len(actors) == 0 {
		return nil, err
	}
	a := &graph.Actor{ID: actors[0]}
	facts, err := matching(ctx, qs, quad.IRI(a.ID), a.ID, nil)
	if err != nil {
		return nil, err
	}
	for _, q := range facts {
		s, _ := q.Object.(quad.String)
		switch q.Predicate {
		case quad.IRI(graph.PredName):
			a.Name = string(s)
		case quad.IRI(graph.PredKind):
			a.Kind = graph.ActorKind(s)
		}
	}
	m := graph.MentionID(doc, a.ID)
	aliases, err := matching(ctx, qs, quad.IRI(m), doc, func(p quad.Value) bool { return p == quad.IRI(graph.PredAlias) })
	if err != nil {
		return nil, err
	}
	for _, q := range aliases {
		if s, ok := q.Object.(quad.String); ok {
			a.Aliases = append(a.Aliases, string(s))
		}
	}
	slices.Sort(a.Aliases)
	return a, nil
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
			ed := graph.Edge{Kind: kind, From: graph.ID(from), To: to, Evidence: graph.Evidence{Document: graph.ID(label)}}
			ev := graph.EvidenceID(graph.ID(label), kind, ed.From, to)
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
