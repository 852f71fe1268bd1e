package cayleystore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/provgraph/provgraph/graph"
)

// Document implements [graph.Store].
func (s *Store) Document(ctx context.Context, id graph.ID) (*graph.Document, error) {
	qs, err := s.reader()
	if err != nil {
		return nil, err
	}
	quads, err := matching(ctx, qs, quad.IRI(id), id, nil)
	if err != nil {
		return nil, err
	}
	d := &graph.Document{ID: id}
	typed := false
	for _, q := range quads {
		p, _ := q.Predicate.(quad.IRI)
		v := quad.StringOf(q.Object)
		if s, ok := q.Object.(quad.String); ok {
			v = string(s)
		}
		switch string(p) {
		case graph.RDFType:
			typed = typed || q.Object == quad.IRI(graph.TypeDocument)
		case graph.PredText:
			d.Text = v
		case graph.PredURL:
			d.URL = v
		case graph.PredSource:
			d.Source = v
		case graph.PredFormat:
			d.Format = v
		case graph.PredTitle:
			d.Title = v
		case graph.PredPublisher:
			d.Publisher = v
		case graph.PredAuthor:
			d.Authors = append(d.Authors, v)
		case graph.PredPublished:
			if iri, ok := q.Object.(quad.IRI); ok {
				date, err := readDate(ctx, qs, graph.ID(iri), graph.ID(iri))
				if err != nil {
					return nil, err
				}
				d.Published = date
			}
		}
	}
	if !typed {
		return nil, fmt.Errorf("cayleystore: document %s: %w", id, graph.ErrNotFound)
	}
	sort.Strings(d.Authors)
	return d, nil
}

func readDate(ctx context.Context, qs cgraph.QuadStore, id, label graph.ID) (*graph.Date, error) {
	quads, err := matching(ctx, qs, quad.IRI(id), label, nil)
	if err != nil {
		return nil, err
	}
	return dateFromFacts(id, quads)
}

// dateFromFacts reads date node id from its facts.
func dateFromFacts(id graph.ID, facts []quad.Quad) (*graph.Date, error) {
	d := &graph.Date{}
	for _, q := range facts {
		switch q.Predicate {
		case quad.IRI(graph.PredValue):
			d.Value = quadString(q.Object)
		case quad.IRI(graph.PredPrecision):
			d.Precision = graph.Precision(quadString(q.Object))
		}
	}
	if d.Value == "" {
		return nil, fmt.Errorf("cayleystore: date %s: %w", id, graph.ErrNotFound)
	}
	return d, nil
}

// subjectsOfType returns the refs of the nodes typed t.
func subjectsOfType(ctx context.Context, qs cgraph.QuadStore, t string) ([]cgraph.Ref, error) {
	tref := qs.ValueOf(quad.IRI(t))
	typ := qs.ValueOf(quad.IRI(graph.RDFType))
	if tref == nil || typ == nil {
		return nil, nil
	}
	var out []cgraph.Ref
	seen := make(map[any]bool)
	it := qs.QuadIterator(quad.Object, tref)
	defer it.Close()
	for it.Next(ctx) {
		r := it.Result()
		if !sameRef(qs.QuadDirection(r, quad.Predicate), typ) {
			continue
		}
		sub := qs.QuadDirection(r, quad.Subject)
		if k := cgraph.ToKey(sub); !seen[k] {
			seen[k] = true
			out = append(out, sub)
		}
	}
	return out, it.Err()
}

// Documents implements [graph.Store].
func (s *Store) Documents(ctx context.Context) ([]graph.ID, error) {
	qs, err := s.reader()
	if err != nil {
		return nil, err
	}
	refs, err := subjectsOfType(ctx, qs, graph.TypeDocument)
	if err != nil {
		return nil, err
	}
	vals, err := cgraph.ValuesOf(ctx, qs, refs)
	if err != nil {
		return nil, err
	}
	out := make([]graph.ID, 0, len(vals))
	for _, v := range vals {
		if iri, ok := v.(quad.IRI); ok {
			out = append(out, graph.ID(iri))
		}
	}
	slices.Sort(out)
	return out, nil
}

// Stats implements [graph.Store].
func (s *Store) Stats(ctx context.Context) (graph.Stats, error) {
	qs, err := s.reader()
	if err != nil {
		return graph.Stats{}, err
	}
	st := graph.Stats{Nodes: make(map[string]int64), Edges: make(map[string]int64)}
	for _, nt := range graph.NodeTypes {
		refs, err := subjectsOfType(ctx, qs, nt.Type)
		if err != nil {
			return st, err
		}
		st.Nodes[nt.Kind] = int64(len(refs))
		st.NodeTotal += int64(len(refs))
	}
	preds := make(map[any]string)
	for _, p := range graph.LinkPredicates {
		name := strings.TrimPrefix(p, graph.NS)
		st.Edges[name] = 0
		if r := qs.ValueOf(quad.IRI(p)); r != nil {
			preds[cgraph.ToKey(r)] = name
		}
	}
	type triple struct{ s, p, o any }
	seen := make(map[triple]bool)
	// Evidence and mention nodes link to their document too; only the
	// statements' links are edges of the graph. Their subjects are read in
	// one batch at the end.
	docPred := cgraph.ToKey(qs.ValueOf(quad.IRI(graph.PredDocument)))
	var (
		docSubs    []cgraph.Ref
		docTriples []triple
	)
	it := qs.QuadsAllIterator()
	defer it.Close()
	for it.Next(ctx) {
		r := it.Result()
		st.Quads++
		pk := cgraph.ToKey(qs.QuadDirection(r, quad.Predicate))
		name, ok := preds[pk]
		if !ok {
			continue
		}
		sub := qs.QuadDirection(r, quad.Subject)
		t := triple{cgraph.ToKey(sub), pk, cgraph.ToKey(qs.QuadDirection(r, quad.Object))}
		if pk == docPred {
			docSubs, docTriples = append(docSubs, sub), append(docTriples, t)
			continue
		}
		if !seen[t] {
			seen[t] = true
			st.Edges[name]++
			st.EdgeTotal++
		}
	}
	if err := it.Err(); err != nil {
		return st, err
	}
	subs, err := cgraph.ValuesOf(ctx, qs, docSubs)
	if err != nil {
		return st, err
	}
	for i, v := range subs {
		if iri, ok := v.(quad.IRI); !ok || !graph.IsStatement(graph.ID(iri)) {
			continue
		}
		if t := docTriples[i]; !seen[t] {
			seen[t] = true
			st.Edges[preds[docPred]]++
			st.EdgeTotal++
		}
	}
	return st, nil
}

// Dump implements [graph.Store]. The graph is read while writes wait (on
// PostgreSQL, those of every process, unless the role may not write), so a
// dump taken while documents are being written is one consistent state of
// the graph.
func (s *Store) Dump(ctx context.Context, w io.Writer) error {
	lines, err := s.dumpLines(ctx)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	for _, l := range lines {
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("cayleystore: dump: %w", err)
	}
	return nil
}

// dumpLines reads every quad, with writes held off, as sorted N-Quads lines.
func (s *Store) dumpLines(ctx context.Context) ([]string, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	release, err := s.lockWrites(ctx)
	switch {
	case err != nil && sqlState(err) == "42501":
		// A role that may only read cannot hold writers off: its dump is
		// one state of the graph only while no other process writes.
		release = func() {}
	case err != nil:
		return nil, err
	}
	defer release()
	qs, err := s.reader()
	if err != nil {
		return nil, err
	}
	var lines []string
	if sq, ok := qs.(*sqlStore); ok {
		// One scan of the quads table and batched values, rather than a
		// query per value.
		quads, err := sq.allQuads(ctx)
		if err != nil {
			return nil, fmt.Errorf("cayleystore: dump: %w", err)
		}
		for _, q := range quads {
			lines = append(lines, q.NQuad())
		}
	} else {
		it := qs.QuadsAllIterator()
		for it.Next(ctx) {
			lines = append(lines, qs.Quad(it.Result()).NQuad())
		}
		err = it.Err()
		it.Close()
		if err != nil {
			return nil, fmt.Errorf("cayleystore: dump: %w", err)
		}
	}
	index, err := allSideQuads(ctx, s.side)
	if err != nil {
		return nil, fmt.Errorf("cayleystore: dump: %w", err)
	}
	for _, q := range index {
		lines = append(lines, q.NQuad())
	}
	slices.Sort(lines)
	return lines, nil
}

// Restore implements [graph.Store]. The whole input is read and checked
// before anything is written.
func (s *Store) Restore(ctx context.Context, r io.Reader) error {
	qr := nquads.NewReader(r, false)
	defer qr.Close()
	var (
		graphs []namedGraph
		index  = make(map[graph.ID]int)
	)
	for n := 1; ; n++ {
		q, err := qr.ReadQuad()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("cayleystore: restore: quad %d: %w", n, err)
		}
		lab, ok := q.Label.(quad.IRI)
		if !ok || lab == "" {
			return fmt.Errorf("cayleystore: restore: quad %d has no document graph: %w", n, graph.ErrInvalid)
		}
		l := graph.GraphDocument(graph.ID(lab)) // a links graph goes with its document
		i, ok := index[l]
		if !ok {
			i = len(graphs)
			index[l] = i
			graphs = append(graphs, namedGraph{label: l})
		}
		graphs[i].quads = append(graphs[i].quads, q)
	}
	_, err := s.replaceGraphs(ctx, graphs)
	return err
}
