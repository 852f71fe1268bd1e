package cayleystore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	hkv "github.com/hidal-go/hidalgo/kv"

	"github.com/provgraph/provgraph/graph"
)

var _ graph.PartReader = (*Store)(nil)

// Partial reads serve pages that show little of many nodes. The full reads
// of query.go walk every quad of each node (twenty for a statement, with
// the text of a document among them) through one Cayley iterator, and so
// one read transaction, per node. A partial read asks only for the
// predicates it needs; on a key-value backend it reads them in one
// transaction through Cayley's subject-predicate index, whose keys it
// knows, so a page of a hundred nodes costs three batches of point reads
// (index entries, quads, values) whatever the number of nodes. Other
// backends walk each node's quads as the full reads do but resolve only
// the values asked for.
//
// Reading Cayley's keys directly ties this file to the layout of Cayley's
// key-value store (v0.7 and later): the index buckets named by their
// directions' letters ("sp", "ops") holding uvarint lists of quad IDs, and
// the "log" bucket holding each quad's and node's primitive under its
// big-endian ID. The layout is checked against the store's own index
// metadata on every read, and TestPartsMatchFullReads compares the
// results with the full reads on Badger.

// statementPreds gives the predicates each statement field is read from.
var statementPreds = []struct {
	field graph.StatementFields
	preds []string
}{
	{graph.StatementFieldKind, []string{graph.PredKind}},
	{graph.StatementFieldText, []string{graph.PredText}},
	{graph.StatementFieldCue, []string{graph.PredCueText}},
	{graph.StatementFieldSource, []string{graph.PredSourceText, graph.PredSourceSpan}},
	{graph.StatementFieldSpans, []string{graph.PredSpan, graph.PredCueSpan, graph.PredSourceSpan, graph.PredSentence}},
	{graph.StatementFieldDate, []string{graph.PredStatedOn, graph.PredDateFrom}},
	{graph.StatementFieldDates, []string{graph.PredDate}},
	{graph.StatementFieldPlaces, []string{graph.PredPlace}},
	{graph.StatementFieldClaim, []string{graph.PredClaim}},
	{graph.StatementFieldRule, []string{graph.PredRule}},
	{graph.StatementFieldConfidence, []string{graph.PredConfidence}},
}

// documentPreds gives the predicate each document field is read from.
var documentPreds = []struct {
	field graph.DocumentFields
	pred  string
}{
	{graph.DocumentFieldURL, graph.PredURL},
	{graph.DocumentFieldSource, graph.PredSource},
	{graph.DocumentFieldFormat, graph.PredFormat},
	{graph.DocumentFieldTitle, graph.PredTitle},
	{graph.DocumentFieldPublisher, graph.PredPublisher},
	{graph.DocumentFieldAuthors, graph.PredAuthor},
	{graph.DocumentFieldPublished, graph.PredPublished},
	{graph.DocumentFieldText, graph.PredText},
}

// StatementParts implements [graph.PartReader].
func (s *Store) StatementParts(ctx context.Context, ids []graph.ID, want graph.StatementFields) ([]*graph.Statement, error) {
	preds := []string{graph.RDFType, graph.PredDocument}
	for _, f := range statementPreds {
		if want&f.field != 0 {
			preds = append(preds, f.preds...)
		}
	}
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := s.propsWith(ctx, v, ids, preds)
	if err != nil {
		return nil, err
	}
	return v.statements(ctx, ids, ps)
}

// DocumentParts implements [graph.PartReader].
func (s *Store) DocumentParts(ctx context.Context, ids []graph.ID, want graph.DocumentFields) ([]*graph.Document, error) {
	preds := []string{graph.RDFType}
	for _, f := range documentPreds {
		if want&f.field != 0 {
			preds = append(preds, f.pred)
		}
	}
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := s.propsWith(ctx, v, ids, preds)
	if err != nil {
		return nil, err
	}
	return v.documents(ctx, ids, ps)
}

// Speakers implements [graph.PartReader].
func (s *Store) Speakers(ctx context.Context, ids []graph.ID) ([]graph.ID, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	said := v.pred[graph.PredSaid]
	out := make([]graph.ID, len(ids))
	if said == nil {
		return out, nil
	}
	refs, err := v.idRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	// The distinct actors of each statement's said edges: one per
	// statement but for a few.
	actors, err := s.subjectsWith(ctx, v, refs, said)
	if err != nil {
		return nil, err
	}
	var (
		one    []cgraph.Ref
		oneOf  []int
		many   []graph.ID
		manyOf []int
	)
	for i, as := range actors {
		switch len(as) {
		case 0:
		case 1:
			one, oneOf = append(one, as[0]), append(oneOf, i)
		default:
			many, manyOf = append(many, ids[i]), append(manyOf, i)
		}
	}
	vals, err := v.values(ctx, one)
	if err != nil {
		return nil, err
	}
	for k, val := range vals {
		if iri, ok := val.(quad.IRI); ok {
			out[oneOf[k]] = graph.ID(iri)
		}
	}
	if len(many) == 0 {
		return out, nil
	}
	// Several actors: the evidence decides.
	edges, err := s.EdgesOf(ctx, many, graph.In, graph.Said)
	if err != nil {
		return nil, err
	}
	for k, es := range edges {
		out[manyOf[k]] = graph.BestSpeaker(es)
	}
	return out, nil
}

// propsWith reads, for each node, the objects of its quads whose predicate
// is one of preds, by predicate: [view.propsOf] limited to preds. A node
// with none of them gets nil props.
func (s *Store) propsWith(ctx context.Context, v *view, ids []graph.ID, preds []string) ([]props, error) {
	slices.Sort(preds)
	preds = slices.Compact(preds)
	refs, err := v.idRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	pvals := make([]quad.Value, len(preds))
	for i, p := range preds {
		pvals[i] = quad.IRI(p)
	}
	prefs, err := v.refs(ctx, pvals)
	if err != nil {
		return nil, err
	}
	if s.kv != nil {
		out, err := s.kvProps(ctx, refs, prefs, preds)
		if !errors.Is(err, errLayout) {
			return out, err
		}
	}
	// Any other backend: each node's quads, but only the values asked for.
	keys := make(map[any]string, len(preds))
	for i, r := range prefs {
		if r != nil {
			keys[cgraph.ToKey(r)] = preds[i]
		}
	}
	var (
		objs  []cgraph.Ref
		node  []int
		names []string
	)
	for i, r := range refs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ls, err := v.quadsOf(ctx, r, quad.Subject, func(p cgraph.Ref) bool { _, ok := keys[cgraph.ToKey(p)]; return ok })
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			objs, node, names = append(objs, l.other), append(node, i), append(names, keys[cgraph.ToKey(l.pred)])
		}
	}
	vals, err := v.values(ctx, objs)
	if err != nil {
		return nil, err
	}
	out := make([]props, len(refs))
	for k, val := range vals {
		if out[node[k]] == nil {
			out[node[k]] = make(props)
		}
		out[node[k]][names[k]] = append(out[node[k]][names[k]], val)
	}
	return out, nil
}

// subjectsWith returns, for each node, the distinct subjects of the quads
// whose predicate is pred and whose object is the node.
func (s *Store) subjectsWith(ctx context.Context, v *view, refs []cgraph.Ref, pred cgraph.Ref) ([][]cgraph.Ref, error) {
	if s.kv != nil {
		out, err := s.kvSubjects(ctx, refs, pred)
		if !errors.Is(err, errLayout) {
			return out, err
		}
	}
	keep := func(p cgraph.Ref) bool { return sameRef(p, pred) }
	out := make([][]cgraph.Ref, len(refs))
	for i, r := range refs {
		ls, err := v.quadsOf(ctx, r, quad.Object, keep)
		if err != nil {
			return nil, err
		}
		set := make(refSet, len(ls))
		for _, l := range ls {
			set.add(l.other)
		}
		for _, r := range set {
			out[i] = append(out[i], r)
		}
	}
	return out, nil
}

// errLayout says that the key-value store's index layout is not the one
// the direct reads know; the caller then reads through Cayley's iterators.
var errLayout = errors.New("cayleystore: unknown index layout")

// The buckets of Cayley's key-value layout that the direct reads use.
var (
	spIndex  = ckv.QuadIndex{Dirs: []quad.Direction{quad.Subject, quad.Predicate}}
	opsIndex = ckv.QuadIndex{Dirs: []quad.Direction{quad.Object, quad.Predicate, quad.Subject}}
	metaKey  = hkv.Key{[]byte("meta"), []byte("indexes")}
	logKey   = []byte("log")
)

// kvID returns the node ID of a ref of Cayley's key-value store, 0 for
// nil.
func kvID(r cgraph.Ref) (uint64, bool) {
	if r == nil {
		return 0, true
	}
	id, ok := r.(ckv.Int64Value)
	return uint64(id), ok
}

// checkLayout returns errLayout unless the store keeps the indexes the
// direct reads use.
func checkLayout(ctx context.Context, tx hkv.Tx) error {
	b, err := tx.Get(ctx, metaKey)
	if err != nil {
		if errors.Is(err, hkv.ErrNotFound) {
			return errLayout
		}
		return fmt.Errorf("cayleystore: read: %w", err)
	}
	var inds []ckv.QuadIndex
	if json.Unmarshal(b, &inds) != nil {
		return errLayout
	}
	var sp, ops bool
	for _, ind := range inds {
		sp = sp || slices.Equal(ind.Dirs, spIndex.Dirs)
		ops = ops || slices.Equal(ind.Dirs, opsIndex.Dirs)
	}
	if !sp || !ops {
		return errLayout
	}
	return nil
}

// primitives reads the primitives of quads or nodes by ID; a missing one
// is nil.
func primitives(ctx context.Context, tx hkv.Tx, ids []uint64) ([]*proto.Primitive, error) {
	keys := make([]hkv.Key, len(ids))
	for i, id := range ids {
		k := make([]byte, 8)
		binary.BigEndian.PutUint64(k, id)
		keys[i] = hkv.Key{logKey, k}
	}
	vals, err := tx.GetBatch(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("cayleystore: read: %w", err)
	}
	out := make([]*proto.Primitive, len(ids))
	for i, b := range vals {
		if len(b) == 0 {
			continue
		}
		p := new(proto.Primitive)
		if err := p.Unmarshal(b); err != nil {
			return nil, fmt.Errorf("cayleystore: read: quad %d: %w", ids[i], err)
		}
		out[i] = p
	}
	return out, nil
}

// decodeIDs reads an index entry: the uvarint IDs of its quads.
func decodeIDs(b []byte) ([]uint64, error) {
	var out []uint64
	for len(b) > 0 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errors.New("cayleystore: read: bad index entry")
		}
		out = append(out, v)
		b = b[n:]
	}
	return out, nil
}

// kvProps is propsWith on Cayley's key-value store, in one transaction:
// the subject-predicate index entries of every node and predicate, then
// their quads, then the quads' objects.
func (s *Store) kvProps(ctx context.Context, refs, prefs []cgraph.Ref, preds []string) ([]props, error) {
	out := make([]props, len(refs))
	err := hkv.View(s.kv, func(tx hkv.Tx) error {
		if err := checkLayout(ctx, tx); err != nil {
			return err
		}
		type at struct {
			node, pred int
			subj, p    uint64
		}
		var (
			keys  []hkv.Key
			where []at
		)
		for i, r := range refs {
			sid, ok := kvID(r)
			if !ok {
				return errLayout
			}
			if sid == 0 {
				continue
			}
			for j, pr := range prefs {
				pid, ok := kvID(pr)
				if !ok {
					return errLayout
				}
				if pid == 0 {
					continue
				}
				keys = append(keys, spIndex.Key([]uint64{sid, pid}))
				where = append(where, at{i, j, sid, pid})
			}
		}
		entries, err := tx.GetBatch(ctx, keys)
		if err != nil {
			return fmt.Errorf("cayleystore: read: %w", err)
		}
		var (
			qids []uint64
			qat  []at
		)
		for k, e := range entries {
			ids, err := decodeIDs(e)
			if err != nil {
				return err
			}
			for _, id := range ids {
				qids, qat = append(qids, id), append(qat, where[k])
			}
		}
		qs, err := primitives(ctx, tx, qids)
		if err != nil {
			return err
		}
		var (
			oids []uint64
			oat  []at
		)
		for k, q := range qs {
			// An index entry keeps the IDs of deleted quads, which the log
			// marks as such.
			if q == nil || q.Deleted || q.Subject != qat[k].subj || q.Predicate != qat[k].p {
				continue
			}
			oids, oat = append(oids, q.Object), append(oat, qat[k])
		}
		nodes, err := primitives(ctx, tx, oids)
		if err != nil {
			return err
		}
		for k, n := range nodes {
			if n == nil || !n.IsNode() {
				continue
			}
			val, err := pquads.UnmarshalValue(n.Value)
			if err != nil {
				return fmt.Errorf("cayleystore: read: node %d: %w", oids[k], err)
			}
			w := oat[k]
			if out[w.node] == nil {
				out[w.node] = make(props)
			}
			out[w.node][preds[w.pred]] = append(out[w.node][preds[w.pred]], val)
		}
		return nil
	})
	return out, err
}

// kvSubjects is subjectsWith on Cayley's key-value store, in one
// transaction: the object-predicate-subject index entries under each node
// and pred, then their quads.
func (s *Store) kvSubjects(ctx context.Context, refs []cgraph.Ref, pred cgraph.Ref) ([][]cgraph.Ref, error) {
	pid, ok := kvID(pred)
	if !ok || pid == 0 {
		return nil, errLayout
	}
	out := make([][]cgraph.Ref, len(refs))
	err := hkv.View(s.kv, func(tx hkv.Tx) error {
		if err := checkLayout(ctx, tx); err != nil {
			return err
		}
		var (
			qids []uint64
			node []int
		)
		for i, r := range refs {
			oid, ok := kvID(r)
			if !ok {
				return errLayout
			}
			if oid == 0 {
				continue
			}
			pref := opsIndex.Key([]uint64{oid, pid})
			it := tx.Scan(pref)
			for it.Next(ctx) {
				ids, err := decodeIDs(it.Val())
				if err != nil {
					it.Close()
					return err
				}
				for _, id := range ids {
					qids, node = append(qids, id), append(node, i)
				}
			}
			err := it.Err()
			it.Close()
			if err != nil {
				return fmt.Errorf("cayleystore: read: %w", err)
			}
		}
		qs, err := primitives(ctx, tx, qids)
		if err != nil {
			return err
		}
		for k, q := range qs {
			if q == nil || q.Deleted || q.Predicate != pid {
				continue
			}
			i := node[k]
			if r := ckv.Int64Value(q.Subject); !slices.Contains(out[i], cgraph.Ref(r)) {
				out[i] = append(out[i], r)
			}
		}
		return nil
	})
	return out, err
}
