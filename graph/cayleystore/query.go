package cayleystore

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"

	"github.com/provgraph/provgraph/graph"
)

var _ graph.Reader = (*Store)(nil)

// Reads for queries work on Cayley's refs (its internal node handles) for as
// long as they can: they walk the quad indexes from node to node, compare
// refs, and turn refs into values in one batch per step (one read
// transaction on a key-value backend) rather than quad by quad. A read of
// n nodes therefore costs one index scan per node and a constant number of
// value look-ups, whatever n is.

// smallSet is the number of candidate statements up to which a list query
// reads each candidate's own quads; above it, it reads from the other end
// (the date nodes, for statement dates), which costs the same whatever the
// number of candidates.
const smallSet = 2000

// view is one read of the store: the quad store it started with and the
// refs of the predicates it compares against.
type view struct {
	qs    cgraph.QuadStore
	pred  map[string]cgraph.Ref // predicate IRI → ref, nil when not stored
	names map[any]string        // predicate ref key → IRI
	known *actorCache           // actors already read; nil: read every time
}

// predicates a view resolves up front.
var viewPredicates = []string{
	graph.RDFType, graph.PredSaid, graph.PredCited, graph.PredDisputes,
	graph.PredDocument, graph.PredRefersTo, graph.PredPlace, graph.PredDate,
	graph.PredStatedOn, graph.PredClaim, graph.PredPublished, graph.PredAlias,
	graph.PredKind, graph.PredText, graph.PredName, graph.PredAsserts,
}

func (s *Store) view(ctx context.Context) (*view, error) {
	qs, err := s.reader()
	if err != nil {
		return nil, err
	}
	v := &view{qs: qs, pred: make(map[string]cgraph.Ref), names: make(map[any]string)}
	vals := make([]quad.Value, len(viewPredicates))
	for i, p := range viewPredicates {
		vals[i] = quad.IRI(p)
	}
	refs, err := v.refs(ctx, vals)
	if err != nil {
		return nil, err
	}
	for i, p := range viewPredicates {
		v.pred[p] = refs[i]
		if refs[i] != nil {
			v.names[cgraph.ToKey(refs[i])] = p
		}
	}
	return v, nil
}

// refs returns the refs of values, nil for a value not stored.
func (v *view) refs(ctx context.Context, vals []quad.Value) ([]cgraph.Ref, error) {
	if _, ok := v.qs.(cgraph.BatchQuadStore); ok {
		out, err := cgraph.RefsOf(ctx, v.qs, vals)
		if err != nil {
			return nil, fmt.Errorf("cayleystore: read: %w", err)
		}
		for i, r := range out {
			if r == ckv.Int64Value(0) {
				out[i] = nil
			}
		}
		return out, nil
	}
	out := make([]cgraph.Ref, len(vals))
	for i, val := range vals {
		out[i] = v.qs.ValueOf(val)
	}
	return out, nil
}

func (v *view) idRefs(ctx context.Context, ids []graph.ID) ([]cgraph.Ref, error) {
	vals := make([]quad.Value, len(ids))
	for i, id := range ids {
		vals[i] = quad.IRI(id)
	}
	return v.refs(ctx, vals)
}

// values returns the values of refs, in one batch.
func (v *view) values(ctx context.Context, refs []cgraph.Ref) ([]quad.Value, error) {
	out, err := cgraph.ValuesOf(ctx, v.qs, refs)
	if err != nil {
		return nil, fmt.Errorf("cayleystore: read: %w", err)
	}
	return out, nil
}

// predName returns the IRI of a predicate ref, resolving (and caching) the
// ones the view did not resolve up front.
func (v *view) predName(ctx context.Context, r cgraph.Ref) (string, error) {
	k := cgraph.ToKey(r)
	if n, ok := v.names[k]; ok {
		return n, nil
	}
	vals, err := v.values(ctx, []cgraph.Ref{r})
	if err != nil {
		return "", err
	}
	iri, _ := vals[0].(quad.IRI)
	v.names[k] = string(iri)
	return string(iri), nil
}

// link is one quad seen from one of its ends: the predicate, the other end
// and the named graph.
type link struct {
	pred, other, label cgraph.Ref
}

// quadsOf returns the quads whose subject (dir quad.Subject) or object
// (quad.Object) is ref, keeping those whose predicate passes keep (all when
// keep is nil).
func (v *view) quadsOf(ctx context.Context, ref cgraph.Ref, dir quad.Direction, keep func(pred cgraph.Ref) bool) ([]link, error) {
	if ref == nil {
		return nil, nil
	}
	other := quad.Object
	if dir == quad.Object {
		other = quad.Subject
	}
	var out []link
	it := v.qs.QuadIterator(dir, ref)
	defer it.Close()
	for it.Next(ctx) {
		r := it.Result()
		p := v.qs.QuadDirection(r, quad.Predicate)
		if keep != nil && !keep(p) {
			continue
		}
		out = append(out, link{pred: p, other: v.qs.QuadDirection(r, other), label: v.qs.QuadDirection(r, quad.Label)})
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("cayleystore: read: %w", err)
	}
	return out, nil
}

// is returns a predicate filter for one of the view's predicates.
func (v *view) is(preds ...string) func(cgraph.Ref) bool {
	keys := make(map[any]bool, len(preds))
	for _, p := range preds {
		if r := v.pred[p]; r != nil {
			keys[cgraph.ToKey(r)] = true
		}
	}
	return func(r cgraph.Ref) bool { return keys[cgraph.ToKey(r)] }
}

// props holds a node's literal and link values by predicate IRI.
type props map[string][]quad.Value

func (p props) str(pred string) string {
	if vs := p[pred]; len(vs) > 0 {
		if s, ok := vs[0].(quad.String); ok {
			return string(s)
		}
		return quad.StringOf(vs[0])
	}
	return ""
}

func (p props) iri(pred string) graph.ID {
	if vs := p[pred]; len(vs) > 0 {
		if s, ok := vs[0].(quad.IRI); ok {
			return graph.ID(s)
		}
	}
	return ""
}

func (p props) iris(pred string) []graph.ID {
	var out []graph.ID
	for _, v := range p[pred] {
		if s, ok := v.(quad.IRI); ok {
			out = append(out, graph.ID(s))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (p props) float(pred string) float64 {
	if vs := p[pred]; len(vs) > 0 {
		switch f := quad.NativeOf(vs[0]).(type) {
		case float64:
			return f
		case int64:
			return float64(f)
		case string:
			x, _ := strconv.ParseFloat(f, 64)
			return x
		}
	}
	return 0
}

func (p props) typed(t string) bool {
	for _, v := range p[graph.RDFType] {
		if v == quad.IRI(t) {
			return true
		}
	}
	return false
}

// propsOf reads the quads whose subject is each ref and returns their
// objects by predicate, resolving all of them in one batch. A nil ref gets
// nil props.
func (v *view) propsOf(ctx context.Context, refs []cgraph.Ref) ([]props, error) {
	type at struct{ node, n int }
	var (
		objs  []cgraph.Ref
		where []at
		preds []string
	)
	for i, r := range refs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ls, err := v.quadsOf(ctx, r, quad.Subject, nil)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			name, err := v.predName(ctx, l.pred)
			if err != nil {
				return nil, err
			}
			objs = append(objs, l.other)
			where = append(where, at{node: i})
			preds = append(preds, name)
		}
	}
	vals, err := v.values(ctx, objs)
	if err != nil {
		return nil, err
	}
	out := make([]props, len(refs))
	for k, w := range where {
		if out[w.node] == nil {
			out[w.node] = make(props)
		}
		out[w.node][preds[k]] = append(out[w.node][preds[k]], vals[k])
	}
	return out, nil
}

// dates returns the dates named by date-node IDs, reading only the nodes
// whose ID does not carry their value (dates of unknown precision).
func (v *view) dates(ctx context.Context, ids []graph.ID) (map[graph.ID]*graph.Date, error) {
	out := make(map[graph.ID]*graph.Date, len(ids))
	var unknown []graph.ID
	for _, id := range ids {
		if _, ok := out[id]; ok || id == "" {
			continue
		}
		d, ok := graph.DateOf(id)
		if !ok {
			continue
		}
		if d.Precision == graph.PrecisionUnknown {
			unknown = append(unknown, id)
		}
		out[id] = &d
	}
	if len(unknown) == 0 {
		return out, nil
	}
	refs, err := v.idRefs(ctx, unknown)
	if err != nil {
		return nil, err
	}
	ps, err := v.propsOf(ctx, refs)
	if err != nil {
		return nil, err
	}
	for i, p := range ps {
		if val := p.str(graph.PredValue); val != "" {
			out[unknown[i]] = &graph.Date{Value: val, Precision: graph.Precision(p.str(graph.PredPrecision))}
		}
	}
	return out, nil
}

func spans(s string) []graph.Span {
	sp, err := graph.ParseSpans(s)
	if err != nil {
		return nil
	}
	return sp
}

// StatementsByID implements [graph.Reader].
func (s *Store) StatementsByID(ctx context.Context, ids []graph.ID) ([]*graph.Statement, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	refs, err := v.idRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	ps, err := v.propsOf(ctx, refs)
	if err != nil {
		return nil, err
	}
	return v.statements(ctx, ids, ps)
}

// statements builds the statements among ids from their properties ps
// (nil for an ID that is not a statement), with their dates. Properties
// not read leave their fields empty.
func (v *view) statements(ctx context.Context, ids []graph.ID, ps []props) ([]*graph.Statement, error) {
	var dateIDs []graph.ID
	for _, p := range ps {
		if p.typed(graph.TypeStatement) {
			dateIDs = append(dateIDs, p.iri(graph.PredStatedOn))
			dateIDs = append(dateIDs, p.iris(graph.PredDate)...)
		}
	}
	dates, err := v.dates(ctx, dateIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*graph.Statement, len(ids))
	for i, p := range ps {
		if !p.typed(graph.TypeStatement) {
			continue
		}
		st := &graph.Statement{
			ID:         ids[i],
			Document:   p.iri(graph.PredDocument),
			Kind:       graph.StatementKind(p.str(graph.PredKind)),
			Cue:        graph.Part{Spans: spans(p.str(graph.PredCueSpan)), Text: p.str(graph.PredCueText)},
			Content:    graph.Part{Spans: spans(p.str(graph.PredSpan)), Text: p.str(graph.PredText)},
			DateFrom:   graph.DateSource(p.str(graph.PredDateFrom)),
			Places:     p.iris(graph.PredPlace),
			Claim:      p.iri(graph.PredClaim),
			Rule:       p.str(graph.PredRule),
			Confidence: p.float(graph.PredConfidence),
		}
		if sp := spans(p.str(graph.PredSentence)); len(sp) == 1 {
			st.Sentence = sp[0]
		}
		if _, ok := p[graph.PredSourceSpan]; ok {
			st.Source = &graph.Part{Spans: spans(p.str(graph.PredSourceSpan)), Text: p.str(graph.PredSourceText)}
		}
		if d := dates[p.iri(graph.PredStatedOn)]; d != nil {
			dd := *d
			st.Date = &dd
		}
		for _, id := range p.iris(graph.PredDate) {
			if d := dates[id]; d != nil {
				st.Dates = append(st.Dates, *d)
			}
		}
		out[i] = st
	}
	return out, nil
}

// aliasesOf returns the aliases the documents that mention each shared node
// used for it, sorted.
func (v *view) aliasesOf(ctx context.Context, refs []cgraph.Ref) ([][]string, error) {
	var (
		mentions []cgraph.Ref
		owner    []int
	)
	for i, r := range refs {
		ls, err := v.quadsOf(ctx, r, quad.Object, v.is(graph.PredRefersTo))
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			mentions = append(mentions, l.other)
			owner = append(owner, i)
		}
	}
	var (
		objs []cgraph.Ref
		of   []int
	)
	for k, m := range mentions {
		ls, err := v.quadsOf(ctx, m, quad.Subject, v.is(graph.PredAlias))
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			objs = append(objs, l.other)
			of = append(of, owner[k])
		}
	}
	vals, err := v.values(ctx, objs)
	if err != nil {
		return nil, err
	}
	out := make([][]string, len(refs))
	for k, val := range vals {
		if s, ok := val.(quad.String); ok {
			out[of[k]] = append(out[of[k]], string(s))
		}
	}
	for i := range out {
		slices.Sort(out[i])
		out[i] = slices.Compact(out[i])
	}
	return out, nil
}

// ActorsByID implements [graph.Reader].
func (s *Store) ActorsByID(ctx context.Context, ids []graph.ID) ([]*graph.Actor, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	v.known = s.actorCache(ctx)
	return v.actors(ctx, ids)
}

// actorCache returns the cache of actors for the store as it is now, or
// nil for a store without a write version. Reading an actor walks its
// quads, said edges included, and gathers every document's mentions of it
// for its aliases (thousands of each for a head of state), so actors are
// kept until the next write.
func (s *Store) actorCache(ctx context.Context) *actorCache {
	ver, err := s.version(ctx)
	if err != nil || ver == nil {
		return nil
	}
	s.actorsMu.Lock()
	defer s.actorsMu.Unlock()
	if s.actors == nil || !bytes.Equal(s.actors.version, ver) || s.actors.size() > actorCacheSize {
		s.actors = &actorCache{version: ver, m: make(map[graph.ID]*graph.Actor)}
	}
	return s.actors
}

// actorCache holds the actors read at one write version (nil for an ID
// that is not an actor).
type actorCache struct {
	mu      sync.Mutex
	version []byte
	m       map[graph.ID]*graph.Actor
}

const actorCacheSize = 100000

func (c *actorCache) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

func (v *view) actors(ctx context.Context, ids []graph.ID) ([]*graph.Actor, error) {
	out := make([]*graph.Actor, len(ids))
	var missing []int
	if c := v.known; c != nil {
		c.mu.Lock()
		for i, id := range ids {
			if a, ok := c.m[id]; ok {
				if a != nil {
					cp := *a
					cp.Aliases = slices.Clone(a.Aliases)
					out[i] = &cp
				}
			} else {
				missing = append(missing, i)
			}
		}
		c.mu.Unlock()
	} else {
		for i := range ids {
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	want := make([]graph.ID, len(missing))
	for k, i := range missing {
		want[k] = ids[i]
	}
	refs, err := v.idRefs(ctx, want)
	if err != nil {
		return nil, err
	}
	ps, err := v.propsOf(ctx, refs)
	if err != nil {
		return nil, err
	}
	aliases, err := v.aliasesOf(ctx, refs)
	if err != nil {
		return nil, err
	}
	found := make([]*graph.Actor, len(missing))
	for k, p := range ps {
		if p.typed(graph.TypeActor) {
			found[k] = &graph.Actor{ID: want[k], Name: p.str(graph.PredName), Kind: graph.ActorKind(p.str(graph.PredKind)), Aliases: aliases[k]}
		}
	}
	if c := v.known; c != nil {
		c.mu.Lock()
		for k, a := range found {
			if a == nil {
				c.m[want[k]] = nil
				continue
			}
			cp := *a
			cp.Aliases = slices.Clone(a.Aliases)
			c.m[want[k]] = &cp
		}
		c.mu.Unlock()
	}
	for k, i := range missing {
		out[i] = found[k]
	}
	return out, nil
}

// PlacesByID implements [graph.Reader].
func (s *Store) PlacesByID(ctx context.Context, ids []graph.ID) ([]*graph.Place, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	refs, err := v.idRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	ps, err := v.propsOf(ctx, refs)
	if err != nil {
		return nil, err
	}
	aliases, err := v.aliasesOf(ctx, refs)
	if err != nil {
		return nil, err
	}
	out := make([]*graph.Place, len(ids))
	for i, p := range ps {
		if p.typed(graph.TypePlace) {
			out[i] = &graph.Place{ID: ids[i], Name: p.str(graph.PredName), Aliases: aliases[i]}
		}
	}
	return out, nil
}

// ClaimsByID implements [graph.Reader].
func (s *Store) ClaimsByID(ctx context.Context, ids []graph.ID) ([]*graph.Claim, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	refs, err := v.idRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	ps, err := v.propsOf(ctx, refs)
	if err != nil {
		return nil, err
	}
	out := make([]*graph.Claim, len(ids))
	for i, p := range ps {
		if p.typed(graph.TypeClaim) {
			out[i] = &graph.Claim{ID: ids[i], Text: p.str(graph.PredText)}
		}
	}
	return out, nil
}

// DocumentsByID implements [graph.Reader].
func (s *Store) DocumentsByID(ctx context.Context, ids []graph.ID) ([]*graph.Document, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	refs, err := v.idRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	ps, err := v.propsOf(ctx, refs)
	if err != nil {
		return nil, err
	}
	return v.documents(ctx, ids, ps)
}

// documents builds the documents among ids from their properties ps (nil
// for an ID that is not a document), with their publication dates.
// Properties not read leave their fields empty.
func (v *view) documents(ctx context.Context, ids []graph.ID, ps []props) ([]*graph.Document, error) {
	var dateIDs []graph.ID
	for _, p := range ps {
		dateIDs = append(dateIDs, p.iri(graph.PredPublished))
	}
	dates, err := v.dates(ctx, dateIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*graph.Document, len(ids))
	for i, p := range ps {
		if !p.typed(graph.TypeDocument) {
			continue
		}
		d := &graph.Document{
			ID: ids[i], URL: p.str(graph.PredURL), Source: p.str(graph.PredSource), Format: p.str(graph.PredFormat),
			Title: p.str(graph.PredTitle), Publisher: p.str(graph.PredPublisher), Text: p.str(graph.PredText),
		}
		for _, a := range p[graph.PredAuthor] {
			d.Authors = append(d.Authors, quadString(a))
		}
		sort.Strings(d.Authors)
		if dt := dates[p.iri(graph.PredPublished)]; dt != nil {
			dd := *dt
			d.Published = &dd
		}
		out[i] = d
	}
	return out, nil
}

// ActorByName implements [graph.Reader].
func (s *Store) ActorByName(ctx context.Context, name string) (*graph.Actor, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	// An alias first, as written: the value index finds the mentions that
	// used it.
	refs, err := v.refs(ctx, []quad.Value{quad.String(name)})
	if err != nil {
		return nil, err
	}
	votes := make(map[graph.ID]int)
	if refs[0] != nil {
		ls, err := v.quadsOf(ctx, refs[0], quad.Object, v.is(graph.PredAlias, graph.PredName))
		if err != nil {
			return nil, err
		}
		var subjects []cgraph.Ref
		for _, l := range ls {
			subjects = append(subjects, l.other)
		}
		ids, err := v.values(ctx, subjects)
		if err != nil {
			return nil, err
		}
		var mentions []cgraph.Ref
		for k, val := range ids {
			iri, _ := val.(quad.IRI)
			if graph.KindOf(graph.ID(iri)) == graph.KindActor {
				votes[graph.ID(iri)] += 1 << 20 // the canonical name wins
			} else {
				mentions = append(mentions, subjects[k])
			}
		}
		var targets []cgraph.Ref
		for _, m := range mentions {
			ls, err := v.quadsOf(ctx, m, quad.Subject, v.is(graph.PredRefersTo))
			if err != nil {
				return nil, err
			}
			for _, l := range ls {
				targets = append(targets, l.other)
			}
		}
		tv, err := v.values(ctx, targets)
		if err != nil {
			return nil, err
		}
		for _, val := range tv {
			if iri, ok := val.(quad.IRI); ok && graph.KindOf(graph.ID(iri)) == graph.KindActor {
				votes[graph.ID(iri)]++
			}
		}
	}
	var best graph.ID
	for id, n := range votes {
		if best == "" || n > votes[best] || (n == votes[best] && id < best) {
			best = id
		}
	}
	if best == "" {
		best = graph.ActorID(name) // the same name in another case or spelling
	}
	as, err := v.actors(ctx, []graph.ID{best})
	if err != nil {
		return nil, err
	}
	if as[0] == nil {
		return nil, fmt.Errorf("cayleystore: actor %q: %w", name, graph.ErrNotFound)
	}
	return as[0], nil
}

// page cuts one page out of a sorted list.
func page(ids []graph.ID, p graph.Page) graph.IDPage {
	out := graph.IDPage{Total: len(ids)}
	if p.Offset < 0 {
		p.Offset = 0
	}
	if p.Limit <= 0 || p.Offset >= len(ids) {
		return out
	}
	end := min(len(ids), p.Offset+p.Limit)
	out.IDs = slices.Clone(ids[p.Offset:end])
	return out
}

// typedIDs returns the IDs of the nodes typed t, with their refs.
func (v *view) typedIDs(ctx context.Context, t string) ([]graph.ID, []cgraph.Ref, error) {
	refs, err := subjectsOfType(ctx, v.qs, t)
	if err != nil {
		return nil, nil, fmt.Errorf("cayleystore: read: %w", err)
	}
	vals, err := v.values(ctx, refs)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]graph.ID, 0, len(vals))
	kept := refs[:0]
	for i, val := range vals {
		if iri, ok := val.(quad.IRI); ok {
			ids = append(ids, graph.ID(iri))
			kept = append(kept, refs[i])
		}
	}
	return ids, kept, nil
}

// FindDocuments implements [graph.Reader].
func (s *Store) FindDocuments(ctx context.Context, p graph.Page) (graph.IDPage, error) {
	v, err := s.view(ctx)
	if err != nil {
		return graph.IDPage{}, err
	}
	ids, _, err := v.typedIDs(ctx, graph.TypeDocument)
	if err != nil {
		return graph.IDPage{}, err
	}
	slices.Sort(ids)
	return page(ids, p), nil
}

// FindClaims implements [graph.Reader].
func (s *Store) FindClaims(ctx context.Context, search string, p graph.Page) (graph.IDPage, error) {
	v, err := s.view(ctx)
	if err != nil {
		return graph.IDPage{}, err
	}
	ids, refs, err := v.typedIDs(ctx, graph.TypeClaim)
	if err != nil {
		return graph.IDPage{}, err
	}
	if search = strings.ToLower(strings.TrimSpace(search)); search != "" {
		texts, err := v.objectStrings(ctx, refs, graph.PredText)
		if err != nil {
			return graph.IDPage{}, err
		}
		var kept []graph.ID
		for i, id := range ids {
			if strings.Contains(strings.ToLower(strings.Join(texts[i], " ")), search) {
				kept = append(kept, id)
			}
		}
		ids = kept
	}
	slices.Sort(ids)
	return page(ids, p), nil
}

// objectStrings returns, for each subject, the string objects of its quads
// with predicate pred.
func (v *view) objectStrings(ctx context.Context, refs []cgraph.Ref, pred string) ([][]string, error) {
	var (
		objs []cgraph.Ref
		of   []int
	)
	keep := v.is(pred)
	for i, r := range refs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ls, err := v.quadsOf(ctx, r, quad.Subject, keep)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			objs = append(objs, l.other)
			of = append(of, i)
		}
	}
	vals, err := v.values(ctx, objs)
	if err != nil {
		return nil, err
	}
	out := make([][]string, len(refs))
	for k, val := range vals {
		if s, ok := val.(quad.String); ok {
			out[of[k]] = append(out[of[k]], string(s))
		}
	}
	return out, nil
}

// FindActors implements [graph.Reader].
func (s *Store) FindActors(ctx context.Context, search string, p graph.Page) (graph.IDPage, error) {
	v, err := s.view(ctx)
	if err != nil {
		return graph.IDPage{}, err
	}
	ids, refs, err := v.typedIDs(ctx, graph.TypeActor)
	if err != nil {
		return graph.IDPage{}, err
	}
	names, err := v.objectStrings(ctx, refs, graph.PredName)
	if err != nil {
		return graph.IDPage{}, err
	}
	type actor struct {
		id   graph.ID
		name string
	}
	var kept []actor
	search = strings.ToLower(strings.TrimSpace(search))
	var aliases [][]string
	if search != "" {
		if aliases, err = v.aliasesOf(ctx, refs); err != nil {
			return graph.IDPage{}, err
		}
	}
	for i, id := range ids {
		name := strings.Join(names[i], " ")
		if search != "" && !strings.Contains(strings.ToLower(name), search) &&
			!slices.ContainsFunc(aliases[i], func(a string) bool { return strings.Contains(strings.ToLower(a), search) }) {
			continue
		}
		kept = append(kept, actor{id, name})
	}
	slices.SortFunc(kept, func(a, b actor) int {
		if c := strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)); c != 0 {
			return c
		}
		return strings.Compare(string(a.id), string(b.id))
	})
	out := make([]graph.ID, len(kept))
	for i, a := range kept {
		out[i] = a.id
	}
	return page(out, p), nil
}

// refSet is a set of refs by key, remembering the refs.
type refSet map[any]cgraph.Ref

func (r refSet) add(ref cgraph.Ref) {
	if ref != nil {
		r[cgraph.ToKey(ref)] = ref
	}
}

// intersect keeps the refs of a that are also in b; a nil a means "all".
func intersect(a, b refSet) refSet {
	if a == nil {
		return b
	}
	out := make(refSet)
	for k, r := range a {
		if _, ok := b[k]; ok {
			out[k] = r
		}
	}
	return out
}

// ends returns the other ends of the quads of preds at the node id, seen
// from dir.
func (v *view) ends(ctx context.Context, id graph.ID, dir quad.Direction, preds ...string) (refSet, error) {
	refs, err := v.idRefs(ctx, []graph.ID{id})
	if err != nil {
		return nil, err
	}
	out := make(refSet)
	ls, err := v.quadsOf(ctx, refs[0], dir, v.is(preds...))
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		out.add(l.other)
	}
	return out, nil
}

// FindStatements implements [graph.Reader].
func (s *Store) FindStatements(ctx context.Context, f graph.StatementFilter, p graph.Page) (graph.IDPage, error) {
	v, err := s.view(ctx)
	if err != nil {
		return graph.IDPage{}, err
	}
	if (f == graph.StatementFilter{From: f.From, To: f.To}) {
		// All statements, perhaps within dates: the cached timeline.
		ids, dates, err := s.allStatements(ctx, v)
		if err != nil {
			return graph.IDPage{}, err
		}
		if f.From == "" && f.To == "" {
			return page(ids, p), nil
		}
		var kept []graph.ID
		for i, d := range dates {
			if d != "" && graph.InRange(d, f.From, f.To) {
				kept = append(kept, ids[i])
			}
		}
		return page(kept, p), nil
	}
	ids, dates, err := v.findStatements(ctx, f)
	if err != nil {
		return graph.IDPage{}, err
	}
	sortTimeline(ids, dates)
	return page(ids, p), nil
}

// findStatements returns the statements that pass f and their date values
// ("" when undated), unsorted.
func (v *view) findStatements(ctx context.Context, f graph.StatementFilter) ([]graph.ID, []string, error) {
	var set refSet
	narrow := func(id graph.ID, dir quad.Direction, preds ...string) error {
		if id == "" {
			return nil
		}
		r, err := v.ends(ctx, id, dir, preds...)
		if err != nil {
			return err
		}
		set = intersect(set, r)
		return nil
	}
	if err := narrow(f.Actor, quad.Subject, graph.PredSaid); err != nil {
		return nil, nil, err
	}
	// A statement's Claim is the first of the claims it asserts.
	if err := narrow(f.Claim, quad.Object, graph.PredClaim, graph.PredAsserts); err != nil {
		return nil, nil, err
	}
	if err := narrow(f.Place, quad.Object, graph.PredPlace); err != nil {
		return nil, nil, err
	}
	if err := narrow(f.Document, quad.Object, graph.PredDocument); err != nil {
		return nil, nil, err
	}
	if f.Kind != "" {
		refs, err := v.refs(ctx, []quad.Value{quad.String(string(f.Kind))})
		if err != nil {
			return nil, nil, err
		}
		r := make(refSet)
		ls, err := v.quadsOf(ctx, refs[0], quad.Object, v.is(graph.PredKind))
		if err != nil {
			return nil, nil, err
		}
		for _, l := range ls {
			r.add(l.other)
		}
		set = intersect(set, r)
	}
	var (
		ids  []graph.ID
		refs []cgraph.Ref
	)
	if set == nil {
		var err error
		if ids, refs, err = v.typedIDs(ctx, graph.TypeStatement); err != nil {
			return nil, nil, err
		}
	} else {
		for _, r := range set {
			refs = append(refs, r)
		}
		vals, err := v.values(ctx, refs)
		if err != nil {
			return nil, nil, err
		}
		kept := refs[:0]
		for i, val := range vals {
			if iri, ok := val.(quad.IRI); ok && graph.IsStatement(graph.ID(iri)) {
				ids = append(ids, graph.ID(iri))
				kept = append(kept, refs[i])
			}
		}
		refs = kept
	}
	if text := strings.ToLower(strings.TrimSpace(f.Text)); text != "" {
		texts, err := v.objectStrings(ctx, refs, graph.PredText)
		if err != nil {
			return nil, nil, err
		}
		var (
			ki []graph.ID
			kr []cgraph.Ref
		)
		for i, t := range texts {
			if strings.Contains(strings.ToLower(strings.Join(t, " ")), text) {
				ki, kr = append(ki, ids[i]), append(kr, refs[i])
			}
		}
		ids, refs = ki, kr
	}
	dates, err := v.statementDates(ctx, refs)
	if err != nil {
		return nil, nil, err
	}
	if f.From == "" && f.To == "" {
		return ids, dates, nil
	}
	var (
		ki []graph.ID
		kd []string
	)
	for i, d := range dates {
		if d != "" && graph.InRange(d, f.From, f.To) {
			ki, kd = append(ki, ids[i]), append(kd, d)
		}
	}
	return ki, kd, nil
}

// statementDates returns the date value of each statement ("" when it has
// none, or only a date of unknown precision). For many statements it walks
// from the date nodes instead of from each statement.
func (v *view) statementDates(ctx context.Context, refs []cgraph.Ref) ([]string, error) {
	dateOf := make(map[any]cgraph.Ref, len(refs))
	if len(refs) <= smallSet {
		keep := v.is(graph.PredStatedOn)
		for _, r := range refs {
			ls, err := v.quadsOf(ctx, r, quad.Subject, keep)
			if err != nil {
				return nil, err
			}
			for _, l := range ls {
				dateOf[cgraph.ToKey(r)] = l.other
			}
		}
	} else {
		dateRefs, err := subjectsOfType(ctx, v.qs, graph.TypeDate)
		if err != nil {
			return nil, fmt.Errorf("cayleystore: read: %w", err)
		}
		keep := v.is(graph.PredStatedOn)
		for _, d := range dateRefs {
			ls, err := v.quadsOf(ctx, d, quad.Object, keep)
			if err != nil {
				return nil, err
			}
			for _, l := range ls {
				dateOf[cgraph.ToKey(l.other)] = d
			}
		}
	}
	distinct := make(refSet)
	for _, d := range dateOf {
		distinct.add(d)
	}
	var drefs []cgraph.Ref
	for _, d := range distinct {
		drefs = append(drefs, d)
	}
	vals, err := v.values(ctx, drefs)
	if err != nil {
		return nil, err
	}
	value := make(map[any]string, len(drefs))
	for i, val := range vals {
		iri, _ := val.(quad.IRI)
		if d, ok := graph.DateOf(graph.ID(iri)); ok && d.Precision != graph.PrecisionUnknown {
			value[cgraph.ToKey(drefs[i])] = d.Value
		}
	}
	out := make([]string, len(refs))
	for i, r := range refs {
		if d, ok := dateOf[cgraph.ToKey(r)]; ok {
			out[i] = value[cgraph.ToKey(d)]
		}
	}
	return out, nil
}

// edgeKind returns the kind of an evidence-carrying predicate.
func edgeKind(pred string) (graph.EdgeKind, bool) {
	for _, k := range graph.EdgeKinds {
		if graph.EdgePredicate(k) == pred {
			return k, true
		}
	}
	return "", false
}

// rawEdge is an edge before its values are read.
type rawEdge struct {
	node            int
	kind            graph.EdgeKind
	from, to, label cgraph.Ref
	fromIdx, toIdx  int
	labelIdx        int
}

// EdgesOf implements [graph.Reader].
func (s *Store) EdgesOf(ctx context.Context, ids []graph.ID, dir graph.Direction, kinds ...graph.EdgeKind) ([][]graph.Edge, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	if len(kinds) == 0 {
		kinds = graph.EdgeKinds
	}
	preds := make([]string, len(kinds))
	for i, k := range kinds {
		preds[i] = graph.EdgePredicate(k)
	}
	keep := v.is(preds...)
	refs, err := v.idRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	qdir := quad.Subject
	if dir == graph.In {
		qdir = quad.Object
	}
	var (
		raw  []rawEdge
		vals []cgraph.Ref // ends and labels to resolve
	)
	for i, r := range refs {
		ls, err := v.quadsOf(ctx, r, qdir, keep)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			name, _ := v.predName(ctx, l.pred)
			k, _ := edgeKind(name)
			e := rawEdge{node: i, kind: k, label: l.label, from: r, to: l.other}
			if dir == graph.In {
				e.from, e.to = l.other, r
			}
			e.fromIdx, e.toIdx, e.labelIdx = len(vals), len(vals)+1, len(vals)+2
			vals = append(vals, e.from, e.to, e.label)
			raw = append(raw, e)
		}
	}
	names, err := v.values(ctx, vals)
	if err != nil {
		return nil, err
	}
	iri := func(k int) graph.ID {
		s, _ := names[k].(quad.IRI)
		return graph.ID(s)
	}
	evIDs := make([]graph.ID, len(raw))
	for k, e := range raw {
		evIDs[k] = graph.EvidenceID(graph.GraphDocument(iri(e.labelIdx)), e.kind, iri(e.fromIdx), iri(e.toIdx))
	}
	evRefs, err := v.idRefs(ctx, evIDs)
	if err != nil {
		return nil, err
	}
	evs, err := v.propsOf(ctx, evRefs)
	if err != nil {
		return nil, err
	}
	out := make([][]graph.Edge, len(ids))
	for k, e := range raw {
		ev := evs[k]
		ed := graph.Edge{Kind: e.kind, From: iri(e.fromIdx), To: iri(e.toIdx), Evidence: graph.Evidence{
			Document:   graph.GraphDocument(iri(e.labelIdx)),
			Rule:       ev.str(graph.PredRule),
			Confidence: ev.float(graph.PredConfidence),
			Note:       ev.str(graph.PredNote),
		}}
		if sp := spans(ev.str(graph.PredSpan)); len(sp) == 1 {
			ed.Evidence.Span = &sp[0]
		}
		out[e.node] = append(out[e.node], ed)
	}
	for _, es := range out {
		slices.SortFunc(es, func(a, b graph.Edge) int {
			if c := strings.Compare(string(a.Kind), string(b.Kind)); c != 0 {
				return c
			}
			if c := strings.Compare(string(a.From), string(b.From)); c != 0 {
				return c
			}
			if c := strings.Compare(string(a.To), string(b.To)); c != 0 {
				return c
			}
			return strings.Compare(string(a.Evidence.Document), string(b.Evidence.Document))
		})
	}
	return out, nil
}

// Degrees implements [graph.Reader].
func (s *Store) Degrees(ctx context.Context, ids []graph.ID, dir graph.Direction, kind graph.EdgeKind) ([]int, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	refs, err := v.idRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	qdir := quad.Subject
	if dir == graph.In {
		qdir = quad.Object
	}
	keep := v.is(graph.EdgePredicate(kind))
	out := make([]int, len(ids))
	for i, r := range refs {
		ls, err := v.quadsOf(ctx, r, qdir, keep)
		if err != nil {
			return nil, err
		}
		// The same edge asserted by two documents is one edge.
		seen := make(map[any]bool, len(ls))
		for _, l := range ls {
			if k := cgraph.ToKey(l.other); !seen[k] {
				seen[k] = true
				out[i]++
			}
		}
	}
	return out, nil
}

// LinksOf implements [graph.Reader].
func (s *Store) LinksOf(ctx context.Context, ids []graph.ID) ([][]graph.Link, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	refs, err := v.idRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	keep := v.is(graph.LinkPredicates...)
	type rawLink struct {
		node     int
		pred     string
		other    int
		outgoing bool
	}
	var (
		raw    []rawLink
		others []cgraph.Ref
	)
	for i, r := range refs {
		for _, dir := range []quad.Direction{quad.Subject, quad.Object} {
			ls, err := v.quadsOf(ctx, r, dir, keep)
			if err != nil {
				return nil, err
			}
			for _, l := range ls {
				name, _ := v.predName(ctx, l.pred)
				raw = append(raw, rawLink{node: i, pred: strings.TrimPrefix(name, graph.NS), other: len(others), outgoing: dir == quad.Subject})
				others = append(others, l.other)
			}
		}
	}
	vals, err := v.values(ctx, others)
	if err != nil {
		return nil, err
	}
	out := make([][]graph.Link, len(ids))
	for _, l := range raw {
		iri, _ := vals[l.other].(quad.IRI)
		other := graph.ID(iri)
		if graph.KindOf(other) == "" {
			continue // a mention or evidence node
		}
		lk := graph.Link{Kind: l.pred, From: ids[l.node], To: other}
		if !l.outgoing {
			lk.From, lk.To = other, ids[l.node]
		}
		out[l.node] = append(out[l.node], lk)
	}
	for i, ls := range out {
		slices.SortFunc(ls, func(a, b graph.Link) int {
			return strings.Compare(a.Kind+"\x00"+string(a.From)+"\x00"+string(a.To), b.Kind+"\x00"+string(b.From)+"\x00"+string(b.To))
		})
		out[i] = slices.Compact(ls)
	}
	return out, nil
}
