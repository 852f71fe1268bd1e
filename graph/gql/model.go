package gql

// Node is what the GraphQL interface Node is bound to: any of the domain
// types that have an ID (*graph.Document, *graph.Actor, *graph.Statement,
// *graph.Claim, *graph.Place). The domain package knows nothing of GraphQL,
// so the interface has no methods; the generated code switches on the
// concrete type.
type Node interface{}

// Span is a range of a document's text as clients see it: code points, and
// the text it covers, which needs the document and so is filled in by the
// resolver that makes the span.
type Span struct {
	Start int
	End   int
	Text  string
}
