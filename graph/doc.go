// Package graph is provgraph's domain: the provenance graph's node and edge
// kinds, the IRI scheme that names them, the vocabulary they are written in
// as quads, and the [Store] interface that persists them.
//
// # Model
//
// A [Document] is one article or release. Everything extracted from it is
// gathered in a [DocGraph]: the [Actor]s who speak, the [Statement]s they
// make (with source, cue and content spans), the [Place]s and [Date]s the
// statements mention, the [Claim]s statements belong to, and the [Edge]s
// between them: [Said] (actor → statement), [Cited] (document or statement →
// the statement it reports or repeats) and [Disputes] (statement →
// statement or claim it denies). Every edge carries its [Evidence]: the
// document, the span, the rule or model that produced it and a confidence.
//
// # Identity
//
// IDs are IRIs derived from content, never random, so that loading the same
// input twice yields the same graph: a document from its canonical URL or,
// without one, from a hash of its text ([DocumentID]); a statement from its
// document and span ([StatementID]); actors, places and dates from their
// normalised names ([ActorID], [PlaceID], [DateID]). Nodes a document owns
// (statements, evidence) have IRIs under the document's IRI.
//
// # Offsets
//
// Spans in this package count Unicode code points into the document text,
// not bytes. The graph is a boundary users see (dumps, GraphQL, exports),
// and code points are the convention of the PolNeAR annotations and the seed
// gold, so that Python's text[start:end] returns the span. The extraction
// pipeline works in bytes and converts once, when it builds a [DocGraph].
//
// # Storage
//
// In the store, every quad derived from a document is written in the named
// graph of that document (the quad's label is the document IRI). This makes
// a document's contribution addressable as a unit: replacing a document
// rewrites its graph, and removing it deletes its graph. Shared nodes
// (actors, places, dates, claims) keep their own facts (type, name, kind)
// once, in a named graph of their own; a document refers to them through
// its statements, edges and mention nodes ([MentionID]), which record the
// aliases it used. A shared node that no document refers to any more is
// deleted with the last document that did.
//
// The edges a document's linking made to other documents' statements (a
// repeat citing the earlier statement, a denial disputing another's) are
// kept, with their evidence, in the document's links graph ([LinksGraph]),
// beside its own. Removing a document takes away the edges other documents'
// links graphs hold into it and leaves their own graphs untouched; the
// document's fingerprint covers its own graph only.
//
// Every node a document owns links to it with [PredDocument], and every
// quad of its graph has an owned node at one end, so a document's graph is
// found from the document node alone.
//
// Queries read through [Reader], which a store implements beside [Store]:
// look-ups by ID in batches whose results are aligned to their keys (what
// the GraphQL layer's dataloaders need), filtered lists in pages, and the
// edges around nodes with their evidence.
//
// Slices in values passed to a [Store] are not retained; values returned by
// a Store or a Reader belong to the caller.
package graph
