package graph

// NS is the namespace of provgraph's vocabulary.
const NS = "https://provgraph.org/ns#"

// Well-known vocabularies.
const (
	RDFType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
)

// Node types (objects of rdf:type).
const (
	TypeDocument  = NS + "Document"
	TypeActor     = NS + "Actor"
	TypeStatement = NS + "Statement"
	TypeClaim     = NS + "Claim"
	TypePlace     = NS + "Place"
	TypeDate      = NS + "Date"
	TypeEvidence  = NS + "Evidence"
)

// NodeTypes maps each node kind's name, as [Stats] reports it, to its type.
var NodeTypes = []struct{ Kind, Type string }{
	{"Document", TypeDocument},
	{"Actor", TypeActor},
	{"Statement", TypeStatement},
	{"Claim", TypeClaim},
	{"Place", TypePlace},
	{"Date", TypeDate},
}

// Predicates. Edges between nodes are in the first group; the rest are
// properties with literal values.
const (
	// PredSaid, PredCited and PredDisputes are the evidence-carrying edges.
	PredSaid     = NS + "said"
	PredCited    = NS + "cited"
	PredDisputes = NS + "disputes"
	// PredDocument links a node a document owns (statement, mention,
	// evidence) to it.
	PredDocument = NS + "document"
	// PredRefersTo links a mention (a document's use of an actor or place,
	// with the aliases it used) to the actor or place.
	PredRefersTo = NS + "refersTo"
	// PredPlace and PredDate link a statement to the places and dates its
	// content mentions; PredStatedOn to the date it was made.
	PredPlace    = NS + "place"
	PredDate     = NS + "date"
	PredStatedOn = NS + "statedOn"
	// PredClaim links a statement to the claim it asserts.
	PredClaim = NS + "claim"

	// Evidence nodes: the edge they support, in RDF reification terms.
	// The store names an evidence node from its edge ([EvidenceID]) and
	// leaves these out; exports (graph/export) write them.
	PredEdgeSubject   = "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"
	PredEdgePredicate = "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate"
	PredEdgeObject    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#object"

	PredName      = NS + "name"
	PredAlias     = NS + "alias"
	PredKind      = NS + "kind"
	PredText      = NS + "text"
	PredURL       = NS + "url"
	PredSource    = NS + "source"
	PredFormat    = NS + "format"
	PredTitle     = NS + "title"
	PredPublisher = NS + "publisher"
	PredAuthor    = NS + "author"
	// PredPublished links a document to the date it was published.
	PredPublished  = NS + "published"
	PredPrecision  = NS + "precision"
	PredValue      = NS + "value"
	PredSpan       = NS + "span"
	PredSourceSpan = NS + "sourceSpan"
	PredSourceText = NS + "sourceText"
	PredCueSpan    = NS + "cueSpan"
	PredCueText    = NS + "cueText"
	PredSentence   = NS + "sentence"
	PredDateFrom   = NS + "dateFrom"
	PredRule       = NS + "rule"
	PredConfidence = NS + "confidence"
	PredNote       = NS + "note"
	// PredFingerprint is a hash of all the quads of a document's graph,
	// which lets an unchanged document be skipped without reading them.
	PredFingerprint = NS + "fingerprint"
)

// EdgePredicate returns the predicate of an evidence-carrying edge kind.
func EdgePredicate(k EdgeKind) string { return NS + string(k) }

// LinkPredicates lists the predicates whose objects are nodes, the edges
// [Stats] counts and exports draw.
var LinkPredicates = []string{
	PredSaid, PredCited, PredDisputes,
	PredDocument, PredPlace, PredDate, PredStatedOn, PredClaim, PredPublished,
}
