package provenance

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/provgraph/provgraph/graph"
)

// MemIndex is an in-memory [graph.Index] over the document graphs added to
// it. The [Linker] keeps the documents of a batch that are not stored yet
// in one, so that documents of the same batch see each other; tests use it
// as the whole store.
type MemIndex struct {
	mu    sync.RWMutex
	docs  map[graph.ID]*graph.DocGraph
	keys  map[string][]graph.ID // unsorted, each statement once
	asrt  map[graph.ID]map[graph.ID]bool
	stmts map[graph.ID]*graph.IndexedStatement
	edges map[graph.ID][]graph.Edge // by target
}

var _ graph.Index = (*MemIndex)(nil)

// NewMemIndex returns an empty index.
func NewMemIndex() *MemIndex {
	return &MemIndex{
		docs:  make(map[graph.ID]*graph.DocGraph),
		keys:  make(map[string][]graph.ID),
		asrt:  make(map[graph.ID]map[graph.ID]bool),
		stmts: make(map[graph.ID]*graph.IndexedStatement),
		edges: make(map[graph.ID][]graph.Edge),
	}
}

// Add indexes a document graph, replacing the document's previous version.
// The index keeps dg: the caller must not change it afterwards.
func (m *MemIndex) Add(dg *graph.DocGraph) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.remove(dg.Document.ID)
	m.docs[dg.Document.ID] = dg
	speakers := make(map[graph.ID]*graph.Actor)
	actors := make(map[graph.ID]*graph.Actor)
	for i := range dg.Actors {
		actors[dg.Actors[i].ID] = &dg.Actors[i]
	}
	for _, e := range dg.Edges {
		if e.Kind == graph.Said {
			if a := actors[e.From]; a != nil {
				speakers[e.To] = a
			}
		}
	}
	for _, st := range dg.Statements {
		x := &graph.IndexedStatement{Statement: st, Published: dg.Document.Published, Speaker: speakers[st.ID]}
		x.Statement.Document = dg.Document.ID
		m.stmts[st.ID] = x
	}
	for _, e := range dg.Index {
		switch {
		case e.Key != "":
			m.keys[e.Key] = appendPosting(m.keys[e.Key], e.Statement, dg.Document.ID)
			if x := m.stmts[e.Statement]; x != nil {
				x.Keys = append(x.Keys, e.Key)
			}
		case e.Claim != "":
			if m.asrt[e.Claim] == nil {
				m.asrt[e.Claim] = make(map[graph.ID]bool)
			}
			m.asrt[e.Claim][e.Statement] = true
			if x := m.stmts[e.Statement]; x != nil {
				x.Claims = append(x.Claims, e.Claim)
				slices.Sort(x.Claims)
			}
		case e.Analysis != nil:
			if x := m.stmts[e.Statement]; x != nil {
				x.Analysis = e.Analysis
			}
		}
	}
	for _, e := range dg.Edges {
		if e.Kind != graph.Said {
			m.edges[e.To] = append(m.edges[e.To], e)
		}
	}
}

// Remove drops a document and the edges other documents held into its
// statements, as [graph.Store.Remove] does.
func (m *MemIndex) Remove(doc graph.ID) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.remove(doc)
}

// Forget drops documents that are now written to the store behind the
// index: their statements, keys and claims, and the edges they hold.
// Unlike [MemIndex.Remove] it keeps the edges other documents of the index
// hold into them, which are not written yet.
func (m *MemIndex) Forget(docs ...graph.ID) {
	m.mu.Lock()
	defer m.mu.Unlock()
	gone := make(map[graph.ID]bool, len(docs))
	for _, doc := range docs {
		if m.docs[doc] != nil {
			gone[doc] = true
			m.dropEntries(doc)
		}
	}
	if len(gone) > 0 {
		m.dropEdges(func(e graph.Edge) bool { return gone[e.Evidence.Document] })
	}
}

// Has reports whether the index holds document doc.
func (m *MemIndex) Has(doc graph.ID) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.docs[doc] != nil
}

// Docs returns the documents the index holds, sorted.
func (m *MemIndex) Docs() []graph.ID {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]graph.ID, 0, len(m.docs))
	for id := range m.docs {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

func (m *MemIndex) remove(doc graph.ID) {
	if m.docs[doc] == nil {
		return
	}
	m.dropEntries(doc)
	m.dropEdges(func(e graph.Edge) bool {
		return e.Evidence.Document == doc || graph.OwnedBy(e.From, doc) || graph.OwnedBy(e.To, doc)
	})
}

// dropEntries drops a document's statements, keys and claims.
func (m *MemIndex) dropEntries(doc graph.ID) {
	dg := m.docs[doc]
	delete(m.docs, doc)
	for _, st := range dg.Statements {
		delete(m.stmts, st.ID)
	}
	for _, e := range dg.Index {
		if e.Key != "" {
			ids := m.keys[e.Key]
			if i := slices.Index(ids, e.Statement); i >= 0 {
				ids[i] = ids[len(ids)-1]
				ids = ids[:len(ids)-1]
			}
			if len(ids) == 0 {
				delete(m.keys, e.Key)
			} else {
				m.keys[e.Key] = ids
			}
		} else {
			delete(m.asrt[e.Claim], e.Statement)
			if len(m.asrt[e.Claim]) == 0 {
				delete(m.asrt, e.Claim)
			}
		}
	}
}

// dropEdges drops the edges drop selects.
func (m *MemIndex) dropEdges(drop func(graph.Edge) bool) {
	for to, es := range m.edges {
		kept := es[:0]
		for _, e := range es {
			if !drop(e) {
				kept = append(kept, e)
			}
		}
		if len(kept) == 0 {
			delete(m.edges, to)
		} else {
			m.edges[to] = kept
		}
	}
}

// appendPosting adds statement id of document doc to a key's postings,
// once. The document's postings were dropped before it was added again, so
// a repeat can only be among the last ones, added with it: the look-back
// stops at the first posting of another document, however long the list.
func appendPosting(ids []graph.ID, id, doc graph.ID) []graph.ID {
	for i := len(ids) - 1; i >= 0 && docOf(ids[i]) == doc; i-- {
		if ids[i] == id {
			return ids
		}
	}
	return append(ids, id)
}

func sortedIDs(set map[graph.ID]bool) []graph.ID {
	out := make([]graph.ID, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// Lookup implements [graph.Index].
func (m *MemIndex) Lookup(_ context.Context, key string, limit int) ([]graph.ID, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	ids, more := m.lookup(key, limit)
	return ids, more, nil
}

func (m *MemIndex) lookup(key string, limit int) ([]graph.ID, bool) {
	ids := m.keys[key]
	if limit > 0 && len(ids) > limit {
		return nil, true // a subset, here none: not worth sorting
	}
	if len(ids) == 0 {
		return nil, false
	}
	out := slices.Clone(ids)
	slices.Sort(out)
	return out, false
}

// LookupAll implements [graph.Index].
func (m *MemIndex) LookupAll(_ context.Context, keys []string, limit int) ([]graph.Postings, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]graph.Postings, len(keys))
	for i, k := range keys {
		out[i].IDs, out[i].More = m.lookup(k, limit)
	}
	return out, nil
}

// Members implements [graph.Index].
func (m *MemIndex) Members(_ context.Context, claim graph.ID) ([]graph.ID, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return sortedIDs(m.asrt[claim]), nil
}

// Statements implements [graph.Index].
func (m *MemIndex) Statements(_ context.Context, ids []graph.ID) ([]graph.IndexedStatement, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]graph.IndexedStatement, 0, len(ids))
	for _, id := range ids {
		if x := m.stmts[id]; x != nil {
			out = append(out, *x)
		}
	}
	return out, nil
}

// EdgesTo implements [graph.Index].
func (m *MemIndex) EdgesTo(_ context.Context, kind graph.EdgeKind, ids []graph.ID) ([]graph.Edge, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []graph.Edge
	for _, id := range ids {
		for _, e := range m.edges[id] {
			if e.Kind == kind {
				out = append(out, e)
			}
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

// overlay is the index the linker reads: the documents of the current batch
// in front of the store's index. A document in the batch hides its stored
// version.
type overlay struct {
	front *MemIndex
	back  graph.Index // nil when there is no store
}

func (o overlay) hidden(id graph.ID) bool {
	return o.front.Has(docOf(id))
}

func (o overlay) lookup(ctx context.Context, key string, limit int) ([]graph.ID, bool, error) {
	p, err := o.lookupAll(ctx, []string{key}, limit)
	if err != nil {
		return nil, false, err
	}
	return p[0].IDs, p[0].More, nil
}

// lookupAll looks keys up in front and behind, in one call to each.
func (o overlay) lookupAll(ctx context.Context, keys []string, limit int) ([]graph.Postings, error) {
	front, err := o.front.LookupAll(ctx, keys, limit)
	if err != nil || o.back == nil {
		return front, err
	}
	back, err := o.back.LookupAll(ctx, keys, limit)
	if err != nil {
		return nil, err
	}
	o.front.mu.RLock()
	defer o.front.mu.RUnlock()
	for i := range front {
		front[i].IDs, front[i].More = o.merge(front[i], back[i], limit)
	}
	return front, nil
}

// merge joins the postings of one key in front and behind. The caller
// holds the front's read lock.
func (o overlay) merge(f, b graph.Postings, limit int) ([]graph.ID, bool) {
	more := f.More || b.More
	if len(f.IDs) == 0 && strictlySorted(b.IDs) {
		// Most keys have no posting in the batch: the stored ones are
		// the answer, already sorted, unless the batch holds a new
		// version of their documents.
		ids := b.IDs
		for i, id := range b.IDs {
			if o.front.docs[docOf(id)] != nil {
				ids = slices.Clone(b.IDs[:i])
				for _, id := range b.IDs[i:] {
					if o.front.docs[docOf(id)] == nil {
						ids = append(ids, id)
					}
				}
				break
			}
		}
		if limit > 0 && len(ids) > limit {
			return ids[:limit], true
		}
		return ids, more
	}
	ids := f.IDs
	for _, id := range b.IDs {
		if o.front.docs[docOf(id)] == nil {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if limit > 0 && len(ids) > limit {
		return ids[:limit], true
	}
	return ids, more
}

func (o overlay) members(ctx context.Context, claim graph.ID) ([]graph.ID, error) {
	ids, err := o.front.Members(ctx, claim)
	if err != nil || o.back == nil {
		return ids, err
	}
	b, err := o.back.Members(ctx, claim)
	if err != nil {
		return nil, err
	}
	for _, id := range b {
		if !o.hidden(id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

func (o overlay) statements(ctx context.Context, ids []graph.ID) ([]graph.IndexedStatement, error) {
	out, err := o.front.Statements(ctx, ids)
	if err != nil || o.back == nil {
		return out, err
	}
	var rest []graph.ID
	for _, id := range ids {
		if !o.hidden(id) {
			rest = append(rest, id)
		}
	}
	b, err := o.back.Statements(ctx, rest)
	if err != nil {
		return nil, err
	}
	// In the order of ids, whichever side each came from: what the
	// linker makes of its candidates must not depend on which of them
	// are written yet.
	pos := make(map[graph.ID]int, len(ids))
	for i, id := range ids {
		if _, ok := pos[id]; !ok {
			pos[id] = i
		}
	}
	out = append(out, b...)
	slices.SortStableFunc(out, func(x, y graph.IndexedStatement) int { return pos[x.Statement.ID] - pos[y.Statement.ID] })
	return out, nil
}

func (o overlay) edgesTo(ctx context.Context, kind graph.EdgeKind, ids []graph.ID) ([]graph.Edge, error) {
	out, err := o.front.EdgesTo(ctx, kind, ids)
	if err != nil || o.back == nil {
		return out, err
	}
	b, err := o.back.EdgesTo(ctx, kind, ids)
	if err != nil {
		return nil, err
	}
	for _, e := range b {
		if !o.front.Has(e.Evidence.Document) {
			out = append(out, e)
		}
	}
	return out, nil
}

// strictlySorted reports whether ids are sorted without repeats, as an
// index returns them.
func strictlySorted(ids []graph.ID) bool {
	for i := 1; i < len(ids); i++ {
		if ids[i-1] >= ids[i] {
			return false
		}
	}
	return true
}

// docOf returns the document that owns statement id.
func docOf(id graph.ID) graph.ID {
	s := string(id)
	if i := strings.LastIndex(s, "/s/"); i > 0 {
		return graph.ID(s[:i])
	}
	return ""
}
