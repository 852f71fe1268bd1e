package cayleystore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/dgraph-io/badger/v4"

	"github.com/provgraph/provgraph/graph"
)

// namedGraph is the complete new content of one document's named graph.
type namedGraph struct {
	label graph.ID
	quads []quad.Quad
	// shared holds the own facts of the shared nodes the graph refers to,
	// written if they are not stored yet.
	shared map[graph.ID][]quad.Quad
	// external lists the nodes outside the graph that its edges reach; each
	// must be stored, or defined by an earlier graph of the same write.
	external []graph.ID
	// analyses are the linker's analyses of its statements, for their
	// index records (see [graph.IndexEntry]).
	analyses map[graph.ID][]byte
}

// change is what writing one named graph does to the store: quads to
// delete, then quads to add.
type change struct {
	index   int // position in the caller's list; -1 for shared facts
	label   graph.ID
	outcome graph.Outcome
	dels    []cgraph.Delta
	adds    []cgraph.Delta
	// sideDels and sideAdds are the linking index's writes (side.go) that
	// go with dels and with adds.
	sideDels, sideAdds sideOps
	err                error // set when the change alone is too large to write
}

// batch gathers the changes of several named graphs. Graphs in a batch
// touch disjoint labels, so each change was computed against the stored
// state and stays valid whatever else the batch holds.
type batch struct {
	side sideKV
	// known holds the facts of the shared nodes the write gives.
	known   map[graph.ID][]quad.Quad
	changes []change
	// touched holds the labels whose stored quads the batch deletes.
	touched map[graph.ID]bool
	// sharedAdded holds the shared nodes whose facts the batch adds.
	sharedAdded map[graph.ID]bool
	size        int
}

func (b *batch) init() {
	b.changes = b.changes[:0]
	b.touched = make(map[graph.ID]bool)
	b.sharedAdded = make(map[graph.ID]bool)
	b.size = 0
}

func isTooBig(err error) bool {
	return errors.Is(err, badger.ErrTxnTooBig) || strings.Contains(err.Error(), badger.ErrTxnTooBig.Error())
}

// apply writes a batch: all its deletions in one transaction, then all its
// additions in another.
//
// The two cannot share a transaction: Cayley's KV layer (v0.7.7) resolves
// the nodes of added quads only among nodes whose reference count rises in
// the transaction, so an added quad loses its predicate or label when more
// quads with that predicate or label are deleted than added. A replaced
// document therefore has its whole old graph deleted and its whole new
// graph added; a crash between the two leaves it absent, never mixed.
func (s *Store) apply(b *batch) error {
	if err := s.applyPhase(b.changes, func(c *change) ([]cgraph.Delta, sideOps) { return c.dels, c.sideDels }); err != nil {
		return err
	}
	return s.applyPhase(b.changes, func(c *change) ([]cgraph.Delta, sideOps) {
		if c.err != nil {
			return nil, sideOps{} // its deletions were too large: nothing of it is added
		}
		return c.adds, c.sideAdds
	})
}

// applyPhase writes the deltas that part selects from each change in one
// transaction, splitting the changes in halves, down to single documents,
// while the transaction is too large for the backend.
func (s *Store) applyPhase(changes []change, part func(*change) ([]cgraph.Delta, sideOps)) error {
	var (
		d   []cgraph.Delta
		ops sideOps
	)
	for i := range changes {
		pd, po := part(&changes[i])
		d = append(d, pd...)
		ops.append(po)
	}
	if len(d) == 0 && ops.empty() {
		return nil
	}
	err := s.applyDeltas(d, ops)
	if err == nil || !isTooBig(err) {
		return err
	}
	if len(changes) == 1 {
		// One document too large for a transaction: it fails alone.
		c := &changes[0]
		c.err = fmt.Errorf("cayleystore: document %s: %d quad changes: %w", c.label, len(d), graph.ErrTooLarge)
		return nil
	}
	half := len(changes) / 2
	if err := s.applyPhase(changes[:half], part); err != nil {
		return err
	}
	return s.applyPhase(changes[half:], part)
}

// applyDeltas writes deltas d and the index writes ops in one
// transaction (for the in-memory index: after it).
func (s *Store) applyDeltas(d []cgraph.Delta, ops sideOps) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("cayleystore: store is closed")
	}
	var err error
	switch {
	case len(d) == 0:
		err = s.writeSide(ops)
	case s.db != nil:
		done := writeBadgerSide(s.db, ops)
		err = s.qs.ApplyDeltas(d, cgraph.IgnoreOpts{})
		done()
	default:
		sq, _ := s.qs.(*sqlStore)
		if sq != nil {
			sq.pending = ops
		}
		err = s.qs.ApplyDeltas(d, cgraph.IgnoreOpts{})
		if sq != nil {
			sq.pending = sideOps{}
		}
		if err == nil && s.mem != nil {
			err = s.mem.write(context.Background(), ops)
		}
	}
	if err == nil {
		if s.common != nil {
			s.common.forget(ops)
		}
		return nil
	}
	if s.kv != nil {
		if rerr := s.rebuild(); rerr != nil {
			return errors.Join(fmt.Errorf("cayleystore: write: %w", err), rerr)
		}
	}
	return fmt.Errorf("cayleystore: write: %w", err)
}

// writeSide writes index changes that come without quad changes.
func (s *Store) writeSide(ops sideOps) error {
	ctx := context.Background()
	switch {
	case s.db != nil:
		return commitFlat(ctx, s.db, ops)
	case s.mem != nil:
		return s.mem.write(ctx, ops)
	}
	if sq, ok := s.qs.(*sqlStore); ok {
		return sq.inTx(ctx, func(tx *sql.Tx) error { return writeSQL(ctx, tx, ops) })
	}
	return nil
}

// replaceGraphs makes each named graph's stored quads equal to the given
// ones and reports what it did to each.
func (s *Store) replaceGraphs(ctx context.Context, graphs []namedGraph) ([]graph.Outcome, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	release, err := s.lockWrites(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	out := make([]graph.Outcome, 0, len(graphs))
	pending := make([]graph.Outcome, len(graphs))
	b := batch{side: s.side, known: make(map[graph.ID][]quad.Quad)}
	// Facts of shared nodes given by the write: with the graphs that
	// refer to them, or (a restore) as graphs of their own.
	for _, g := range graphs {
		for id, fs := range g.shared {
			if _, ok := b.known[id]; !ok {
				b.known[id] = fs
			}
		}
		if graph.IsShared(g.label) {
			b.known[g.label] = g.quads
		}
	}
	b.init()
	var failed []error
	flush := func() error {
		if err := s.apply(&b); err != nil {
			return err
		}
		for _, c := range b.changes {
			switch {
			case c.index < 0:
			case c.err != nil:
				pending[c.index] = graph.Failed
				failed = append(failed, c.err)
			default:
				pending[c.index] = c.outcome
			}
		}
		b.init()
		return nil
	}
	done := func(upto int) {
		for len(out) < upto && pending[len(out)] != "" {
			out = append(out, pending[len(out)])
		}
	}
	defined := make(map[graph.ID]bool)
	for i, g := range graphs {
		if err := ctx.Err(); err != nil {
			done(i)
			return out, err
		}
		for _, q := range g.quads {
			if q.Predicate == quad.IRI(graph.RDFType) {
				if iri, ok := q.Subject.(quad.IRI); ok {
					defined[graph.ID(iri)] = true
				}
			}
		}
		needFlush := b.touched[g.label] || b.size >= s.opt.BatchQuads
		for id := range g.shared {
			needFlush = needFlush || b.touched[id]
		}
		if needFlush {
			if err := flush(); err != nil {
				done(i)
				return out, err
			}
		}
		qs, err := s.reader()
		if err != nil {
			return out, err
		}
		for _, id := range g.external {
			if defined[id] {
				continue
			}
			if ok, err := isStored(ctx, qs, id); err != nil {
				done(i)
				return out, err
			} else if !ok {
				done(i)
				return out, invalid(g.label, "edge to %s, which is not stored", id)
			}
		}
		for id := range g.shared {
			defined[id] = true
		}
		if same, err := sameFingerprint(ctx, qs, g); err != nil {
			done(i)
			return out, err
		} else if same {
			// The document's own graph is as stored; its links may not be
			// (a document it linked to was removed, and is restored).
			n := len(b.changes)
			changed, err := b.relink(ctx, qs, g)
			if err != nil {
				done(i)
				return out, err
			}
			if !changed {
				pending[i] = graph.Unchanged
				done(i + 1)
				continue
			}
			b.changes[n].index, b.changes[n].label, b.changes[n].outcome = i, g.label, graph.Replaced
			continue
		}
		old, err := graphQuads(ctx, qs, g.label)
		if err != nil {
			done(i)
			return out, err
		}
		if len(old) > 0 && len(b.changes) > 0 {
			// A replacement removes edges that other graphs hold into it,
			// which it can only find once earlier graphs are written.
			if err := flush(); err != nil {
				done(i)
				return out, err
			}
			if qs, err = s.reader(); err != nil {
				return out, err
			}
		}
		n := len(b.changes)
		if err := b.replace(ctx, qs, g, old); err != nil {
			done(i)
			return out, err
		}
		if err := b.addShared(ctx, qs, g.shared); err != nil {
			done(i)
			return out, err
		}
		b.changes[n].index, b.changes[n].label = i, g.label
		if len(old) == 0 {
			b.changes[n].outcome = graph.Loaded
		} else {
			b.changes[n].outcome = graph.Replaced
		}
	}
	if err := flush(); err != nil {
		done(len(graphs))
		return out, err
	}
	done(len(graphs))
	return out, errors.Join(failed...)
}

// replace adds to the batch the deltas that turn the stored quads old of the
// named graph label into new (nil to remove the graph), and removes the
// edges other graphs hold into nodes of label that disappear.
func (b *batch) replace(ctx context.Context, qs cgraph.QuadStore, g namedGraph, old []quad.Quad) error {
	var c change
	label := g.label
	new, sideAdds, err := sideOf(label, g.quads, g.analyses, b.factsOf(ctx, qs, g.shared))
	if err != nil {
		return err
	}
	c.sideAdds = sideAdds
	if len(old) > 0 {
		if c.sideDels, err = sideDeletes(ctx, b.side, label, statementsIn(old)); err != nil {
			return err
		}
	}
	type key struct {
		q   quad.Quad
		add bool
	}
	seen := make(map[key]bool, len(old)+len(new))
	del := func(q quad.Quad) {
		if k := (key{q, false}); !seen[k] {
			seen[k] = true
			c.dels = append(c.dels, cgraph.Delta{Quad: q, Action: cgraph.Delete})
		}
	}
	newSubjects := make(map[quad.Value]bool)
	for _, q := range new {
		if k := (key{q, true}); !seen[k] {
			seen[k] = true
			newSubjects[q.Subject] = true
			c.adds = append(c.adds, cgraph.Delta{Quad: q, Action: cgraph.Add})
		}
	}
	gone := make(map[quad.IRI]bool)
	for _, q := range old {
		del(q)
		if iri, ok := q.Subject.(quad.IRI); ok && !newSubjects[q.Subject] && graph.OwnedBy(graph.ID(iri), label) {
			gone[iri] = true
		}
	}
	b.touched[label] = true
	if err := b.collect(ctx, qs, label, old, new, del); err != nil {
		return err
	}
	for n := range gone {
		dd, labels, err := danglingEdges(ctx, qs, n, label)
		if err != nil {
			return err
		}
		for _, q := range dd {
			del(q)
		}
		for _, l := range labels {
			b.touched[l] = true
		}
	}
	b.changes = append(b.changes, c)
	// Index writes are one key each, where a quad is four to seven.
	b.size += len(c.dels) + len(c.adds) + (len(c.sideDels.dels)+len(c.sideAdds.puts))/5
	return nil
}

// relink adds to the batch, when the links graph of g differs from the
// stored one, the change that makes it so, and reports whether it did.
// Only the differences are written: nothing in the links graph is a node
// that other quads point at.
func (b *batch) relink(ctx context.Context, qs cgraph.QuadStore, g namedGraph) (bool, error) {
	lg := quad.IRI(graph.LinksGraph(g.label))
	want := make(map[quad.Quad]bool)
	for _, q := range g.quads {
		if q.Label == lg {
			want[q] = true
		}
	}
	have := make(map[quad.Quad]bool)
	if qs.ValueOf(lg) != nil {
		stored, err := graphQuads(ctx, qs, g.label)
		if err != nil {
			return false, err
		}
		for _, q := range stored {
			if q.Label == lg {
				have[q] = true
			}
		}
	}
	var c change
	for q := range have {
		if !want[q] {
			c.dels = append(c.dels, cgraph.Delta{Quad: q, Action: cgraph.Delete})
		}
	}
	for q := range want {
		if !have[q] {
			c.adds = append(c.adds, cgraph.Delta{Quad: q, Action: cgraph.Add})
		}
	}
	if len(c.dels)+len(c.adds) == 0 {
		return false, nil
	}
	b.touched[g.label] = true
	b.changes = append(b.changes, c)
	b.size += len(c.dels) + len(c.adds)
	return true, nil
}

// factsOf returns where the index records of a graph find the facts of
// the shared nodes it names: the graph's own (as its document gave them),
// those of the write, then the store's.
func (b *batch) factsOf(ctx context.Context, qs cgraph.QuadStore, own map[graph.ID][]quad.Quad) factsFunc {
	return func(id graph.ID) ([]quad.Quad, error) {
		if fs, ok := own[id]; ok {
			return fs, nil
		}
		if fs, ok := b.known[id]; ok {
			return fs, nil
		}
		return matching(ctx, qs, quad.IRI(id), id, nil)
	}
}

// addShared adds to the batch the facts of the shared nodes that are
// neither stored nor added earlier in it, as a change of their own: they
// must be written even if the document that brought them fails alone.
func (b *batch) addShared(ctx context.Context, qs cgraph.QuadStore, shared map[graph.ID][]quad.Quad) error {
	c := &change{index: -1}
	for id, quads := range shared {
		if b.sharedAdded[id] {
			continue
		}
		stored, err := isStored(ctx, qs, id)
		if err != nil {
			return err
		}
		b.sharedAdded[id] = true
		if stored {
			continue
		}
		for _, q := range quads {
			c.adds = append(c.adds, cgraph.Delta{Quad: q, Action: cgraph.Add})
		}
		b.size += len(quads)
	}
	if len(c.adds) > 0 {
		b.changes = append(b.changes, *c)
	}
	return nil
}

// collect deletes the own facts of the shared nodes that graph label
// referred to before and that nothing else will refer to.
func (b *batch) collect(ctx context.Context, qs cgraph.QuadStore, label graph.ID, old, new []quad.Quad, del func(quad.Quad)) error {
	still := make(map[quad.Value]bool)
	for _, q := range new {
		still[q.Subject], still[q.Object] = true, true
	}
	lref := qs.ValueOf(quad.IRI(label))
	checked := make(map[quad.IRI]bool)
	for _, q := range old {
		for _, v := range []quad.Value{q.Subject, q.Object} {
			iri, ok := v.(quad.IRI)
			if !ok || checked[iri] || still[v] || !graph.IsShared(graph.ID(iri)) || graph.ID(iri) == label {
				continue
			}
			checked[iri] = true
			used, err := usedElsewhere(ctx, qs, iri, lref)
			if err != nil {
				return err
			}
			if used {
				continue
			}
			facts, err := matching(ctx, qs, iri, graph.ID(iri), nil)
			if err != nil {
				return err
			}
			for _, f := range facts {
				del(f)
			}
			b.touched[graph.ID(iri)] = true
		}
	}
	return nil
}

// usedElsewhere reports whether a quad outside the named graphs of label and
// of node itself has node as its object or subject.
func usedElsewhere(ctx context.Context, qs cgraph.QuadStore, node quad.IRI, label cgraph.Ref) (bool, error) {
	ref := qs.ValueOf(node)
	if ref == nil {
		return false, nil
	}
	for _, dir := range []quad.Direction{quad.Object, quad.Subject} {
		it := qs.QuadIterator(dir, ref)
		for it.Next(ctx) {
			l := qs.QuadDirection(it.Result(), quad.Label)
			if !sameRef(l, label) && !sameRef(l, ref) {
				it.Close()
				return true, nil
			}
		}
		err := it.Err()
		it.Close()
		if err != nil {
			return false, err
		}
	}
	return false, nil
}

// danglingEdges returns deletions for the quads of other named graphs whose
// object is node (which is about to disappear from graph owner), and for
// the evidence-carrying edges of other graphs whose subject it is (a later
// document may link an earlier document's statement to one of its own),
// with the evidence of those edges, and the documents whose graphs they
// change. Such edges live in the other documents' links graphs, which
// leaves their own graphs untouched; were one in a document's own graph,
// its fingerprint would go too.
func danglingEdges(ctx context.Context, qs cgraph.QuadStore, node quad.IRI, owner graph.ID) ([]quad.Quad, []graph.ID, error) {
	ref := qs.ValueOf(node)
	if ref == nil {
		return nil, nil, nil
	}
	ownerRef := qs.ValueOf(quad.IRI(owner))
	ownLinks := qs.ValueOf(quad.IRI(graph.LinksGraph(owner)))
	var (
		d      []quad.Quad
		labels []graph.ID
		seenL  = make(map[graph.ID]bool)
	)
	edgePreds := make(map[quad.Value]graph.EdgeKind, len(graph.EdgeKinds))
	for _, k := range graph.EdgeKinds {
		edgePreds[quad.IRI(graph.EdgePredicate(k))] = k
	}
	for _, dir := range []quad.Direction{quad.Object, quad.Subject} {
		var found []quad.Quad
		it := qs.QuadIterator(dir, ref)
		for it.Next(ctx) {
			r := it.Result()
			if l := qs.QuadDirection(r, quad.Label); sameRef(l, ownerRef) || (ownLinks != nil && sameRef(l, ownLinks)) {
				continue
			}
			q := qs.Quad(r)
			if _, ok := q.Label.(quad.IRI); !ok {
				continue
			}
			if _, edge := edgePreds[q.Predicate]; dir == quad.Subject && !edge {
				continue
			}
			found = append(found, q)
		}
		err := it.Err()
		it.Close()
		if err != nil {
			return nil, nil, err
		}
		for _, q := range found {
			l := graph.ID(q.Label.(quad.IRI))
			doc := graph.GraphDocument(l)
			d = append(d, q)
			if !seenL[l] {
				seenL[l] = true
				labels = append(labels, doc)
				if doc == l {
					// Not a links graph (which no fingerprint covers):
					// the document's own graph changes.
					fp, err := matching(ctx, qs, quad.IRI(l), l, func(p quad.Value) bool { return p == quad.IRI(graph.PredFingerprint) })
					if err != nil {
						return nil, nil, err
					}
					d = append(d, fp...)
				}
			}
			k, ok := edgePreds[q.Predicate]
			if !ok {
				continue
			}
			subj, _ := q.Subject.(quad.IRI)
			obj, _ := q.Object.(quad.IRI)
			ev := graph.EvidenceID(doc, k, graph.ID(subj), graph.ID(obj))
			evq, err := matching(ctx, qs, quad.IRI(ev), l, nil)
			if err != nil {
				return nil, nil, err
			}
			d = append(d, evq...)
		}
	}
	return d, labels, nil
}

// isStored reports whether node id has a type in some graph.
func isStored(ctx context.Context, qs cgraph.QuadStore, id graph.ID) (bool, error) {
	ref := qs.ValueOf(quad.IRI(id))
	typ := qs.ValueOf(quad.IRI(graph.RDFType))
	if ref == nil || typ == nil {
		return false, nil
	}
	it := qs.QuadIterator(quad.Subject, ref)
	defer it.Close()
	for it.Next(ctx) {
		if sameRef(qs.QuadDirection(it.Result(), quad.Predicate), typ) {
			return true, nil
		}
	}
	return false, it.Err()
}

func sameRef(a, b cgraph.Ref) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return cgraph.ToKey(a) == cgraph.ToKey(b)
}

// matching returns the quads with subject subj in named graph label whose
// predicate passes keep (all of them when keep is nil).
func matching(ctx context.Context, qs cgraph.QuadStore, subj quad.IRI, label graph.ID, keep func(quad.Value) bool) ([]quad.Quad, error) {
	sref := qs.ValueOf(subj)
	lref := qs.ValueOf(quad.IRI(label))
	if sref == nil || lref == nil {
		return nil, nil
	}
	var out []quad.Quad
	it := qs.QuadIterator(quad.Subject, sref)
	defer it.Close()
	for it.Next(ctx) {
		r := it.Result()
		if !sameRef(qs.QuadDirection(r, quad.Label), lref) {
			continue
		}
		if keep != nil && !keep(qs.NameOf(qs.QuadDirection(r, quad.Predicate))) {
			continue
		}
		out = append(out, qs.Quad(r))
	}
	return out, it.Err()
}

// sameFingerprint reports whether the stored graph has the fingerprint of g.
func sameFingerprint(ctx context.Context, qs cgraph.QuadStore, g namedGraph) (bool, error) {
	var want quad.Value
	for i := len(g.quads) - 1; i >= 0; i-- {
		if g.quads[i].Predicate == quad.IRI(graph.PredFingerprint) {
			want = g.quads[i].Object
			break
		}
	}
	if want == nil {
		return false, nil
	}
	fp, err := matching(ctx, qs, quad.IRI(g.label), g.label, func(p quad.Value) bool { return p == quad.IRI(graph.PredFingerprint) })
	if err != nil {
		return false, err
	}
	return len(fp) == 1 && fp[0].Object == want, nil
}

// graphQuads returns every stored quad of the named graph of document
// label and of its links graph. It reaches them from the document node:
// its own quads, and those of the nodes that name it as their document,
// with the quads that point at those nodes.
func graphQuads(ctx context.Context, qs cgraph.QuadStore, label graph.ID) ([]quad.Quad, error) {
	lref := qs.ValueOf(quad.IRI(label))
	if lref == nil {
		return nil, nil
	}
	linksRef := qs.ValueOf(quad.IRI(graph.LinksGraph(label)))
	inGraph := func(r cgraph.Ref) bool {
		l := qs.QuadDirection(r, quad.Label)
		return sameRef(l, lref) || (linksRef != nil && sameRef(l, linksRef))
	}
	document := qs.ValueOf(quad.IRI(graph.PredDocument))
	owned := []cgraph.Ref{lref}
	seen := map[any]bool{cgraph.ToKey(lref): true}
	it := qs.QuadIterator(quad.Object, lref)
	for it.Next(ctx) {
		r := it.Result()
		if inGraph(r) && sameRef(qs.QuadDirection(r, quad.Predicate), document) {
			sub := qs.QuadDirection(r, quad.Subject)
			if k := cgraph.ToKey(sub); !seen[k] {
				seen[k] = true
				owned = append(owned, sub)
			}
		}
	}
	err := it.Err()
	it.Close()
	if err != nil {
		return nil, err
	}

	var out []quad.Quad
	got := make(map[any]bool)
	collect := func(node cgraph.Ref, dir quad.Direction) error {
		it := qs.QuadIterator(dir, node)
		defer it.Close()
		for it.Next(ctx) {
			r := it.Result()
			if !inGraph(r) {
				continue
			}
			if k := cgraph.ToKey(r); !got[k] {
				got[k] = true
				out = append(out, qs.Quad(r))
			}
		}
		return it.Err()
	}
	for _, n := range owned {
		if err := collect(n, quad.Subject); err != nil {
			return nil, err
		}
	}
	// Quads whose subject is not owned (an actor's said edge) point at an
	// owned node.
	for _, n := range owned {
		if err := collect(n, quad.Object); err != nil {
			return nil, err
		}
	}
	return out, nil
}
