package graph

import "context"

// Predicates of the linking index. Index quads belong to the named graph
// of the document whose statement they describe, so replacing or removing
// a document replaces or removes its index entries with it. A store may
// keep the key entries apart from its other quads, in a layout made for
// look-ups, as long as they read and dump as the document's quads.
const (
	// PredIndexKey links a statement to a literal lookup key (a MinHash
	// band, a normalised entity or number) under which it is found.
	PredIndexKey = NS + "indexKey"
	// PredAsserts links a statement to each claim it asserts. A statement
	// asserting several propositions asserts several claims; its
	// [Statement.Claim] is the first of them.
	PredAsserts = NS + "asserts"
)

// IndexEntry is one entry of the linking index: statement Statement is
// found under Key, asserts Claim, or has Analysis. Exactly one of Key,
// Claim and Analysis is set; Statement must be a statement of the document
// the entry is written with, and Claim one of its [DocGraph.Claims].
//
// Analysis is what the linker worked out from the statement's content,
// in its own encoding, so that it need not work it out again each time
// the statement is a candidate of a later document. The store keeps it
// with the statement's index record and returns it in
// [IndexedStatement.Analysis], as it was given. It is a cache, not part
// of the graph: it is in no quad, no dump and no fingerprint, and a
// restored statement has none until its document is loaded again.
type IndexEntry struct {
	Statement ID     `json:"statement"`
	Key       string `json:"key,omitempty"`
	Claim     ID     `json:"claim,omitempty"`
	Analysis  []byte `json:"analysis,omitempty"`
}

// IndexedStatement is a stored statement as the linking index returns it:
// the statement, who said it, when its document was published and every
// claim it asserts.
type IndexedStatement struct {
	Statement Statement
	// Speaker is the actor of the statement's said edge, with the aliases
	// its document used; nil when the statement has none.
	Speaker *Actor
	// Published is the publication date of the statement's document.
	Published *Date
	// Claims lists the claims the statement asserts, sorted.
	Claims []ID
	// Keys lists the statement's index keys, sorted.
	Keys []string
	// Analysis is the statement's [IndexEntry.Analysis], or nil.
	Analysis []byte
}

// Postings are the statements indexed under one key, as [Index.Lookup]
// returns them.
type Postings struct {
	IDs  []ID
	More bool
}

// Index is the read side of the linking index that cross-document linking
// uses to find candidates without scanning the graph.
//
// Every method is safe for concurrent use and sees every write to the
// store that returned before it started.
type Index interface {
	// Lookup returns the statements indexed under key, sorted, and
	// whether there are more than limit of them (limit <= 0: no limit).
	// With more, ids holds at most limit of them, possibly none: a key
	// that common is not worth reading. An unknown key gives none and no
	// error.
	Lookup(ctx context.Context, key string, limit int) (ids []ID, more bool, err error)

	// LookupAll is Lookup for several keys at once: postings[i] answers
	// keys[i].
	LookupAll(ctx context.Context, keys []string, limit int) (postings []Postings, err error)

	// Members returns the statements asserting claim, sorted; none for an
	// unknown claim.
	Members(ctx context.Context, claim ID) ([]ID, error)

	// Statements returns the stored statements among ids, in the order of
	// ids; IDs of statements that are not stored are skipped.
	Statements(ctx context.Context, ids []ID) ([]IndexedStatement, error)

	// EdgesTo returns the stored edges of kind whose target is one of ids,
	// with their evidence, sorted by source then target.
	EdgesTo(ctx context.Context, kind EdgeKind, ids []ID) ([]Edge, error)
}
