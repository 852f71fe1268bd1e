package gql

import (
	"context"
	"log/slog"
	"sync"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
)

// Store is what the API reads and writes: a [graph.Store] that also answers
// queries, in whole nodes or in part.
type Store interface {
	graph.Store
	graph.Reader
	graph.PartReader
}

// Tracer answers "who first claimed X": the stored claims that best match
// text, best first, at most first of them, each with its first statement,
// repeats and disputes. It is implemented by the cross-document linking
// package; the API only consumes it.
//
// Trace returns an empty slice, not an error, when nothing matches. It must
// be safe for concurrent use.
type Tracer interface {
	Trace(ctx context.Context, text string, first int) ([]graph.Provenance, error)
}

// TracerFunc adapts a function to [Tracer].
type TracerFunc func(ctx context.Context, text string, first int) ([]graph.Provenance, error)

// Trace calls f.
func (f TracerFunc) Trace(ctx context.Context, text string, first int) ([]graph.Provenance, error) {
	return f(ctx, text, first)
}

// Linker links a document to the stored graph before it is written: the
// cross-document step of graphd load (claims, cited and disputes edges,
// canonical actor names). Link may change dg; Flush is called after each
// write, once the linked document is stored. The API calls them for one
// document at a time.
type Linker interface {
	Link(ctx context.Context, dg *graph.DocGraph) error
	Flush()
}

// Resolver holds the dependencies of the resolvers. Apart from a lock that
// serialises ingests it has no state of its own: everything a request
// accumulates (dataloaders, its ID) lives in the request's context.
type Resolver struct {
	// Store is the graph. Required.
	Store Store
	// Tracer answers Query.provenance; nil makes that query fail with a
	// clear error.
	Tracer Tracer
	// Formats reads the documents given to Mutation.ingest, and Ingester
	// extracts them: the same registry and pipeline as graphd load. Ingest
	// fails with a clear error when either is nil.
	Formats  *loaders.Registry
	Ingester *loaders.Ingester
	// Linker, when set, links each ingested document before it is
	// written, as graphd load does.
	Linker Linker
	// Relink, when set, wraps each removal of a document and each write of
	// a new version of one: it reads what change may take from the other
	// documents (edges into statements that go), runs change, and then
	// mends their links, as graphd rm and graphd load do. An error from
	// change is returned as it is.
	Relink func(ctx context.Context, doc graph.ID, change func() error) error
	// Logger receives internal errors, with the request ID the client
	// sees; nil discards them.
	Logger *slog.Logger

	// ingestMu makes ingests one at a time, so that each document is
	// linked against a store holding every document ingested before it.
	ingestMu sync.Mutex
}

func (r *Resolver) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}
