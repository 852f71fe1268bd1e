package gql

import (
	"context"
	"fmt"
	"sync"
	"time"

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
type loaderSet struct {
	statements *dataloadgen.Loader[graph.ID, *graph.Statement]
	actors     *dataloadgen.Loader[graph.ID, *graph.Actor]
	documents  *dataloadgen.Loader[graph.ID, *graph.Document]
	claims     *dataloadgen.Loader[graph.ID, *graph.Claim]
	places     *dataloadgen.Loader[graph.ID, *graph.Place]
	edgesIn    *dataloadgen.Loader[graph.ID, []graph.Edge]
	edgesOut   *dataloadgen.Loader[graph.ID, []graph.Edge]
	said       *dataloadgen.Loader[graph.ID, int]
	// runes caches documents' texts as code points, for spans.
	runes sync.Map // graph.ID → []rune
}

func newLoaderSet(r graph.Reader) *loaderSet {
	opts := []dataloadgen.Option{dataloadgen.WithWait(batchWait), dataloadgen.WithBatchCapacity(batchCapacity)}
	return &loaderSet{
		statements: dataloadgen.NewLoader(byID(r.StatementsByID), opts...),
		actors:     dataloadgen.NewLoader(byID(r.ActorsByID), opts...),
		documents:  dataloadgen.NewLoader(byID(r.DocumentsByID), opts...),
		claims:     dataloadgen.NewLoader(byID(r.ClaimsByID), opts...),
		places:     dataloadgen.NewLoader(byID(r.PlacesByID), opts...),
		edgesIn: dataloadgen.NewLoader(aligned(func(ctx context.Context, ids []graph.ID) ([][]graph.Edge, error) {
			return r.EdgesOf(ctx, ids, graph.In)
		}), opts...),
		edgesOut: dataloadgen.NewLoader(aligned(func(ctx context.Context, ids []graph.ID) ([][]graph.Edge, error) {
			return r.EdgesOf(ctx, ids, graph.Out)
		}), opts...),
		said: dataloadgen.NewLoader(aligned(func(ctx context.Context, ids []graph.ID) ([]int, error) {
			return r.Degrees(ctx, ids, graph.Out, graph.Said)
		}), opts...),
	}
}

// clear forgets every node read so far, after a write.
func (l *loaderSet) clear() {
	l.statements.ClearAll()
	l.actors.ClearAll()
	l.documents.ClearAll()
	l.claims.ClearAll()
	l.places.ClearAll()
	l.edgesIn.ClearAll()
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
