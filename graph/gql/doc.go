// Package gql is provgraph's GraphQL API: the schema in schema.graphqls at
// the repository root, served by gqlgen over a [Store] that is both a
// [graph.Store] and a [graph.Reader].
//
// # Layout
//
// generated.go and models_gen.go are written by gqlgen (go generate
// ./graph/gql, configured by gqlgen.yml at the root) and never edited. The
// domain types of package graph are the GraphQL types (autobind): a
// Statement is a *graph.Statement, an Actor a *graph.Actor, and so on, with
// enums bound to the domain's string constants. Only inputs, connections,
// the subgraph and the ingest result are generated, and [Span] is our own,
// because a span as clients see it carries its text, which needs the
// document. schema.resolvers.go holds the resolvers; gqlgen keeps their
// bodies when it regenerates.
//
// [Resolver] holds dependencies only: the store, the provenance [Tracer],
// the loader registry, ingester and cross-document [Linker] that
// Mutation.ingest shares with graphd load (so an ingested document is read,
// extracted, linked and written exactly as a loaded one), and a logger.
// Everything a request accumulates lives in its context; the one lock it
// holds makes ingests take turns, so that each document is linked against
// a store that holds the ones ingested before it.
//
// # Reads
//
// Related nodes (a statement's speaker, document, places and claim, an
// edge's ends) load through per-request dataloaders ([NewHandler] installs a
// fresh set for every operation). A dataloader gathers the keys that the
// resolvers of one level ask for within a couple of milliseconds and reads
// them in one [graph.Reader] batch call, whose results are aligned to the
// keys. A page of 100 statements with their speakers and documents thus
// costs six store reads, not three hundred; a test counts them.
//
// What a page reads of each node is what the query selects of it: the
// resolver that lists a page looks at the selection (through fragments and
// aliases) and reads the statements' fields, their documents' fields and
// their speakers through [graph.PartReader], so a page that shows titles
// does not read every document's text, and one that shows speakers does
// not read the evidence of every said edge. A field whose needs this
// package does not know makes it read the whole node. Partly read
// statements are given to the page's resolvers only, never to the
// statements loader, which other resolvers expect to hold whole ones.
//
// Lists are Relay connections over sorted lists. Cursors encode offsets, so
// they are cheap and stable while the graph does not change. Every first is
// bounded (at most [MaxFirst]).
//
// # Limits and errors
//
// A query is refused before any resolver runs when it has more than
// [DefaultMaxTokens] tokens (which catches 10,000 aliased fields before
// they are parsed into a tree), nests deeper than [DefaultMaxDepth]
// (introspection aside), or exceeds [DefaultMaxComplexity], where a list
// costs its children times the items it may return. Mutations are refused
// on a read-only server and, when the server has a token, without it.
//
// The error presenter decides what a client sees: messages written for
// clients (bad arguments, the limits, parse and validation errors) keep
// their text and get extensions.code; graph.ErrNotFound and
// graph.ErrInvalid become fixed messages; anything else becomes "internal
// error" with the request ID, logged once with the real error. A panic in a
// resolver is recovered the same way.
//
// # Offsets and IDs
//
// IDs are the graph's IRIs, unchanged. Spans are Unicode code points into
// the document text, as everywhere users see them, so Python's
// text[start:end] equals Span.text.
//
// # Provenance
//
// Query.provenance is answered by a [Tracer], the consumer-side interface of
// the cross-document linking, which this package does not implement. A
// server without one answers with an error whose code is UNAVAILABLE.
//
// Values returned by the store belong to the resolvers that asked; the
// dataloaders cache them for the request and nothing mutates them.
package gql
