package graph

import (
	"context"
	"errors"
	"io"
)

// Sentinel errors.
var (
	// ErrNotFound is returned when a node does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid is returned (wrapped) when a value to be written breaks the
	// model's rules, such as an edge without a kind or a span outside the
	// text.
	ErrInvalid = errors.New("invalid")
	// ErrTooLarge is returned (wrapped) for a document whose graph is too
	// large for one transaction of the backend.
	ErrTooLarge = errors.New("too large for one transaction")
	// ErrUnchanged is returned (wrapped) by a step before the write that
	// finds the document already stored from the same input, so that
	// writing it again would change nothing.
	ErrUnchanged = errors.New("document unchanged")
)

// Outcome says what writing one document did.
type Outcome string

// Outcomes of [Store.Put].
const (
	Loaded    Outcome = "loaded"    // the document was new
	Unchanged Outcome = "unchanged" // the same document with the same derived graph was already stored
	Replaced  Outcome = "replaced"  // a previous version of the document was replaced
	Failed    Outcome = "failed"    // the document could not be written; the error says why
)

// Stats counts a store's contents.
type Stats struct {
	// Nodes counts nodes by kind ("Document", "Actor", ...), Edges counts
	// node-to-node edges by predicate name ("said", "cited", "document",
	// ...).
	Nodes map[string]int64
	Edges map[string]int64
	// NodeTotal and EdgeTotal add them up; Quads is the number of quads
	// stored, evidence and literal properties included.
	NodeTotal int64
	EdgeTotal int64
	Quads     int64
}

// CheckReport is the result of [Store.Check].
type CheckReport struct {
	// Documents is the number of documents checked.
	Documents int
	// Problems describes each inconsistency found, one line each.
	Problems []string
}

// Store persists the provenance graph.
//
// Every method is safe for concurrent use. Writes are serialised; reads see a
// consistent state that includes every write that returned before they
// started.
type Store interface {
	// Put writes documents and everything derived from them. Each document is
	// atomic: after Put returns, or after a crash during Put, a document is
	// either wholly present in its new version or not changed at all. A
	// document already stored with the same derived graph is left alone
	// (Unchanged); one stored with a different graph has its old quads
	// replaced by the new ones (Replaced), and edges other documents held
	// into statements that no longer exist are removed with it.
	//
	// Put returns one outcome per document, in order. A document too large
	// for one transaction is Failed, and the others are still written; the
	// error then joins one error per failed document, each naming it and
	// wrapping [ErrTooLarge]. On any other error, the documents whose
	// outcome was not returned were not written; the error wraps
	// [ErrInvalid] for a document that breaks the model.
	Put(ctx context.Context, docs ...*DocGraph) ([]Outcome, error)

	// Remove deletes a document and everything derived only from it, and
	// the edges other documents held into its statements. Actors, places and
	// dates that other documents still mention stay, with the facts those
	// documents contributed. It returns [ErrNotFound] if there is no such
	// document.
	Remove(ctx context.Context, doc ID) error

	// Document returns a stored document, or [ErrNotFound].
	Document(ctx context.Context, id ID) (*Document, error)

	// Documents returns the IDs of all stored documents, sorted.
	Documents(ctx context.Context) ([]ID, error)

	// Stats counts nodes and edges.
	Stats(ctx context.Context) (Stats, error)

	// Dump writes every quad as N-Quads, sorted, so that equal graphs give
	// byte-identical dumps.
	Dump(ctx context.Context, w io.Writer) error

	// Restore reads N-Quads as written by Dump. Each document's named graph
	// is written atomically and replaces that document if it is stored.
	Restore(ctx context.Context, r io.Reader) error

	// Check reads the whole graph and reports inconsistencies: a document
	// whose stored quads differ from what was written, an edge whose target
	// does not exist. A store written only through this interface has none,
	// even after a crash.
	Check(ctx context.Context) (CheckReport, error)

	// Close releases the store. It is safe to call more than once.
	Close() error
}
