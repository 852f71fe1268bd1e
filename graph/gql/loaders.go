package gql

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"github.com/provgraph/provgraph/graph"
)

// batchWait is how long a dataloader waits for more keys before it reads:
// long enough for the resolvers of one list, run concurrently, to add their
// keys, short enough not to show in a request's latency.
const batchWait = 2 * time.Millisecond

// batchCapacity caps the keys of one read; a list of 100 statements with
// their speakers and documents fits in one read per kind.
const batchCapacity = 1000

// loaderSet holds the per-request dataloaders: every related node a
// resolver needs is read through them, so the nodes of one level of a
// query are read in one batch per kind, and a node asked for twice is read
// once.
//
// Batching by a time window depends on scheduling: on a busy machine the
// resolvers of one list may not all add their keys within batchWait, and a
// batch splits. So a page of a connection does not rely on it: the
// resolver that lists the page reads its nodes, and what the query selects
// of them, in one store read per kind and primes the loaders with the
// results (see [loaderSet.statementPage]); the window only batches what no
// page resolver foresaw.
type loaderSet struct {
	r          graph.Reader
	statements *dataloadgen.Loader[graph.ID, *graph.Statement]
	actors     *dataloadgen.Loader[graph.ID, *graph.Actor]
	documents  *dataloadgen.Loader[graph.ID, *graph.Document]
	claims     *dataloadgen.Loader[graph.ID, *graph.Claim]
	places     *dataloadgen.Loader[graph.ID, *graph.Place]
	edgesIn    *dataloadgen.Loader[graph.ID, []graph.Edge]
	saidIn     *dataloadgen.Loader[graph.ID, []graph.Edge] // the said edges of edgesIn
	edgesOut   *dataloadgen.Loader[graph.ID, []graph.Edge]
	said       *dataloadgen.Loader[graph.ID, int]
	// runes caches documents' texts as code points, for spans.
	runes sync.Map // graph.ID → []rune
}

func newLoaderSet(r graph.Reader) *loaderSet {
	opts := []dataloadgen.Option{dataloadgen.WithWait(batchWait), dataloadgen.WithBatchCapacity(batchCapacity)}
	l := &loaderSet{
		r:          r,
		statements: dataloadgen.NewLoader(byID(r.StatementsByID), opts...),
		actors:     dataloadgen.NewLoader(byID(r.ActorsByID), opts...),
		documents:  dataloadgen.NewLoader(byID(r.DocumentsByID), opts...),
		claims:     dataloadgen.NewLoader(byID(r.ClaimsByID), opts...),
		places:     dataloadgen.NewLoader(byID(r.PlacesByID), opts...),
	}
	l.edgesIn = dataloadgen.NewLoader(aligned(l.inEdges), opts...)
	l.saidIn = dataloadgen.NewLoader(aligned(l.inSaid), opts...)
	l.edgesOut = dataloadgen.NewLoader(aligned(l.outEdges), opts...)
	l.said = dataloadgen.NewLoader(aligned(l.saidCounts), opts...)
	return l
}

// clear forgets every node read so far, after a write.
func (l *loaderSet) clear() {
	l.statements.ClearAll()
	l.actors.ClearAll()
	l.documents.ClearAll()
	l.claims.ClearAll()
	l.places.ClearAll()
	l.edgesIn.ClearAll()
	l.saidIn.ClearAll()
	l.edgesOut.ClearAll()
	l.said.ClearAll()
	l.runes.Clear()
}

// aligned adapts a batch read whose results are aligned to its keys to
// dataloadgen's fetch: one error per key.
func aligned[T any](fetch func(context.Context, []graph.ID) ([]T, error)) func(context.Context, []graph.ID) ([]T, []error) {
	return func(ctx context.Context, ids []graph.ID) ([]T, []error) {
		vals, err := fetch(ctx, ids)
		if err == nil && len(vals) != len(ids) {
			err = fmt.Errorf("gql: a batch read returned %d results for %d keys", len(vals), len(ids))
		}
		errs := make([]error, len(ids))
		if err != nil {
			for i := range errs {
				errs[i] = err
			}
			return make([]T, len(ids)), errs
		}
		return vals, errs
	}
}

// byID adapts a batch look-up by ID: a key without a node gets an error
// wrapping [graph.ErrNotFound].
func byID[T any](fetch func(context.Context, []graph.ID) ([]*T, error)) func(context.Context, []graph.ID) ([]*T, []error) {
	f := aligned(fetch)
	return func(ctx context.Context, ids []graph.ID) ([]*T, []error) {
		vals, errs := f(ctx, ids)
		for i, v := range vals {
			if v == nil && errs[i] == nil {
				errs[i] = fmt.Errorf("gql: %s: %w", ids[i], graph.ErrNotFound)
			}
		}
		return vals, errs
	}
}

// readPage reads the nodes of a page in one store read and primes loader
// with them. IDs without a node (removed since the page was listed) are
// dropped; pos gives each node's index in ids.
func readPage[T any](ctx context.Context, loader *dataloadgen.Loader[graph.ID, *T], fetch func(context.Context, []graph.ID) ([]*T, error), ids []graph.ID) (nodes []*T, pos []int, err error) {
	if len(ids) == 0 {
		return nil, nil, nil
	}
	vals, err := fetch(ctx, ids)
	if err == nil && len(vals) != len(ids) {
		err = fmt.Errorf("gql: a batch read returned %d results for %d keys", len(vals), len(ids))
	}
	if err != nil {
		return nil, nil, err
	}
	for i, v := range vals {
		if v != nil {
			loader.Prime(ids[i], v)
			nodes = append(nodes, v)
			pos = append(pos, i)
		}
	}
	return nodes, pos, nil
}

// primeAligned reads ids' values in one store read and primes loader with
// them. A failed read primes nothing: the resolvers then load through the
// loader, which reports the error where it belongs.
func primeAligned[T any](ctx context.Context, loader *dataloadgen.Loader[graph.ID, T], fetch func(context.Context, []graph.ID) ([]T, error), ids []graph.ID) []T {
	if len(ids) == 0 {
		return nil
	}
	vals, err := fetch(ctx, ids)
	if err != nil || len(vals) != len(ids) {
		return nil
	}
	for i, v := range vals {
		loader.Prime(ids[i], v)
	}
	return vals
}

// primeByID is primeAligned for nodes: only the nodes found are primed.
func primeByID[T any](ctx context.Context, loader *dataloadgen.Loader[graph.ID, *T], fetch func(context.Context, []graph.ID) ([]*T, error), ids []graph.ID) {
	if len(ids) == 0 {
		return
	}
	vals, err := fetch(ctx, ids)
	if err != nil || len(vals) != len(ids) {
		return
	}
	for i, v := range vals {
		if v != nil {
			loader.Prime(ids[i], v)
		}
	}
}

// statementPage reads a page of statements in one store read, then
// prefetches what the query selects of each (its document, speaker and the
// speaker's statement count, edges, places, claim) in one store read per
// kind, before the statements' field resolvers run.
func (l *loaderSet) statementPage(ctx context.Context, ids []graph.ID) ([]*graph.Statement, []int, error) {
	sts, pos, err := readPage(ctx, l.statements, l.r.StatementsByID, ids)
	if err != nil || len(sts) == 0 {
		return sts, pos, err
	}
	node := pageNodeFields(ctx, statementConnectionImplementors, statementEdgeImplementors, statementImplementors)
	if len(node) == 0 {
		return sts, pos, nil
	}
	has := func(names ...string) bool {
		for _, n := range names {
			if _, ok := node[n]; ok {
				return true
			}
		}
		return false
	}
	stIDs := make([]graph.ID, len(sts))
	var docs, places, claims []graph.ID
	for i, st := range sts {
		stIDs[i] = st.ID
		docs = append(docs, st.Document)
		places = append(places, st.Places...)
		if st.Claim != "" {
			claims = append(claims, st.Claim)
		}
	}
	var wg sync.WaitGroup
	if has("document", "span", "contentSpans", "cueSpans", "sentence") {
		wg.Go(func() { primeByID(ctx, l.documents, l.r.DocumentsByID, unique(docs)) })
	}
	if has("places") {
		wg.Go(func() { primeByID(ctx, l.places, l.r.PlacesByID, unique(places)) })
	}
	if has("claim") {
		wg.Go(func() { primeByID(ctx, l.claims, l.r.ClaimsByID, unique(claims)) })
	}
	if has("cites", "disputes", "edges") {
		wg.Go(func() { primeAligned(ctx, l.edgesOut, l.outEdges, stIDs) })
	}
	if has("speaker", "citedBy", "disputedBy", "edges") {
		wg.Go(func() {
			// A page that shows speakers only reads the said edges: a
			// statement's other incoming edges (its document's report,
			// every later repeat) each carry evidence to read.
			var in [][]graph.Edge
			if has("citedBy", "disputedBy", "edges") {
				in = primeAligned(ctx, l.edgesIn, l.inEdges, stIDs)
				for i, es := range in {
					l.saidIn.Prime(stIDs[i], saidOnly(es))
				}
			} else {
				in = primeAligned(ctx, l.saidIn, l.inSaid, stIDs)
			}
			sel, ok := node["speaker"]
			if !ok || in == nil {
				return
			}
			// Every speaker of a said edge: a superset of the best
			// attributed one the speaker field shows, in the same read.
			var speakers []graph.ID
			for _, es := range in {
				for _, e := range es {
					if e.Kind == graph.Said {
						speakers = append(speakers, e.From)
					}
				}
			}
			speakers = unique(speakers)
			var inner sync.WaitGroup
			inner.Go(func() { primeByID(ctx, l.actors, l.r.ActorsByID, speakers) })
			if _, ok := fieldsOf(ctx, sel, actorImplementors)["saidCount"]; ok {
				inner.Go(func() { primeAligned(ctx, l.said, l.saidCounts, speakers) })
			}
			inner.Wait()
		})
	}
	wg.Wait()
	return sts, pos, nil
}

// actorPage reads a page of actors in one store read and, when the query
// selects saidCount, their statement counts in one more.
func (l *loaderSet) actorPage(ctx context.Context, ids []graph.ID) ([]*graph.Actor, []int, error) {
	actors, pos, err := readPage(ctx, l.actors, l.r.ActorsByID, ids)
	if err != nil || len(actors) == 0 {
		return actors, pos, err
	}
	if _, ok := pageNodeFields(ctx, actorConnectionImplementors, actorEdgeImplementors, actorImplementors)["saidCount"]; ok {
		found := make([]graph.ID, len(actors))
		for i, a := range actors {
			found[i] = a.ID
		}
		primeAligned(ctx, l.said, l.saidCounts, found)
	}
	return actors, pos, nil
}

func (l *loaderSet) inEdges(ctx context.Context, ids []graph.ID) ([][]graph.Edge, error) {
	return l.r.EdgesOf(ctx, ids, graph.In)
}

func (l *loaderSet) inSaid(ctx context.Context, ids []graph.ID) ([][]graph.Edge, error) {
	return l.r.EdgesOf(ctx, ids, graph.In, graph.Said)
}

// saidOnly returns the said edges among es.
func saidOnly(es []graph.Edge) []graph.Edge {
	var out []graph.Edge
	for _, e := range es {
		if e.Kind == graph.Said {
			out = append(out, e)
		}
	}
	return out
}

func (l *loaderSet) outEdges(ctx context.Context, ids []graph.ID) ([][]graph.Edge, error) {
	return l.r.EdgesOf(ctx, ids, graph.Out)
}

func (l *loaderSet) saidCounts(ctx context.Context, ids []graph.ID) ([]int, error) {
	return l.r.Degrees(ctx, ids, graph.Out, graph.Said)
}

// pageNodeFields returns the fields the current connection field selects
// of its nodes (edges { node { ... } }), by name, through fragments; nil
// outside a resolver.
func pageNodeFields(ctx context.Context, conn, edge, node []string) map[string][]ast.SelectionSet {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return nil
	}
	var nodes map[string][]ast.SelectionSet
	for _, edges := range fieldsOf(ctx, []ast.SelectionSet{fc.Field.Selections}, conn)["edges"] {
		for _, n := range fieldsOf(ctx, []ast.SelectionSet{edges}, edge)["node"] {
			for name, sets := range fieldsOf(ctx, []ast.SelectionSet{n}, node) {
				if nodes == nil {
					nodes = make(map[string][]ast.SelectionSet)
				}
				nodes[name] = append(nodes[name], sets...)
			}
		}
	}
	return nodes
}

// fieldsOf collects the fields that sets select on an object satisfying
// the given types, by name; a name selected more than once (under
// aliases) has each selection.
func fieldsOf(ctx context.Context, sets []ast.SelectionSet, satisfies []string) map[string][]ast.SelectionSet {
	out := make(map[string][]ast.SelectionSet)
	oc := graphql.GetOperationContext(ctx)
	for _, set := range sets {
		for _, f := range graphql.CollectFields(oc, set, satisfies) {
			out[f.Name] = append(out[f.Name], f.Selections)
		}
	}
	return out
}

// unique returns ids sorted without repeats.
func unique(ids []graph.ID) []graph.ID {
	slices.Sort(ids)
	return slices.Compact(ids)
}

type ctxKey int

const (
	loadersKey ctxKey = iota
	requestIDKey
	authorizedKey
)

// withLoaders returns a context carrying a request's dataloaders.
func withLoaders(ctx context.Context, l *loaderSet) context.Context {
	return context.WithValue(ctx, loadersKey, l)
}

// loadersFor returns the request's dataloaders. The handler installs them
// for every operation; their absence is a wiring mistake.
func loadersFor(ctx context.Context) *loaderSet {
	l, ok := ctx.Value(loadersKey).(*loaderSet)
	if !ok {
		panic("gql: no dataloaders in the context: serve through NewHandler")
	}
	return l
}

// WithRequestID returns a context carrying the ID of the request, which the
// error presenter logs with every internal error and shows the client.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestIDFor returns the request ID set by [WithRequestID], or "".
func RequestIDFor(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
