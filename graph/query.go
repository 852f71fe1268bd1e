package graph

import (
	"context"
	"strconv"
	"strings"
)

// Reader answers the questions the query API asks of a stored graph: nodes
// by ID in batches, lists with filters and pages, and the edges around
// nodes.
//
// Batch look-ups (the ...ByID methods, [Reader.EdgesOf], [Reader.LinksOf],
// [Reader.Degrees]) return one result per key, in the order of the keys, so
// that a dataloader can hand each caller its own; a key that names no node
// of the kind gets a nil entry, not an error. An error means the read as a
// whole failed.
//
// Every method is safe for concurrent use, and sees every write that
// returned before it started.
type Reader interface {
	// StatementsByID returns the statements with the given IDs.
	StatementsByID(ctx context.Context, ids []ID) ([]*Statement, error)
	// ActorsByID returns the actors with the given IDs, with the aliases
	// every document used for them.
	ActorsByID(ctx context.Context, ids []ID) ([]*Actor, error)
	// DocumentsByID returns the documents with the given IDs.
	DocumentsByID(ctx context.Context, ids []ID) ([]*Document, error)
	// ClaimsByID returns the claims with the given IDs.
	ClaimsByID(ctx context.Context, ids []ID) ([]*Claim, error)
	// PlacesByID returns the places with the given IDs, with their aliases.
	PlacesByID(ctx context.Context, ids []ID) ([]*Place, error)

	// ActorByName returns the actor whose name or one of whose aliases is
	// name (exactly, or with the same [Slug]), or [ErrNotFound]. When
	// several actors share an alias, the one mentioned under it by most
	// documents wins, then the smallest ID.
	ActorByName(ctx context.Context, name string) (*Actor, error)

	// FindStatements returns a page of the IDs of the statements that pass
	// the filter, in [StatementFilter] order, and how many pass it.
	FindStatements(ctx context.Context, f StatementFilter, p Page) (IDPage, error)
	// FindDocuments returns a page of document IDs, sorted.
	FindDocuments(ctx context.Context, p Page) (IDPage, error)
	// FindActors returns a page of the IDs of the actors whose name or an
	// alias contains search (ignoring case; all actors when it is empty),
	// sorted by name, then ID.
	FindActors(ctx context.Context, search string, p Page) (IDPage, error)
	// FindClaims returns a page of the IDs of the claims whose text
	// contains search (ignoring case; all claims when it is empty), sorted
	// by ID.
	FindClaims(ctx context.Context, search string, p Page) (IDPage, error)

	// EdgesOf returns the evidence-carrying edges (said, cited, disputes)
	// that leave (Out) or reach (In) each node, with their evidence, limited
	// to kinds when any are given. Each node's edges are sorted by kind,
	// then by the other end's ID.
	EdgesOf(ctx context.Context, ids []ID, dir Direction, kinds ...EdgeKind) ([][]Edge, error)
	// Degrees counts the edges of kind that leave (Out) or reach (In) each
	// node, without reading their evidence.
	Degrees(ctx context.Context, ids []ID, dir Direction, kind EdgeKind) ([]int, error)
	// LinksOf returns every link between each node and other nodes, in
	// both directions: the evidence-carrying edges and the links of
	// [LinkPredicates] (a statement's document, places, dates and claim, a
	// document's publication date). Mention and evidence nodes are not
	// nodes of this view and never appear. Each node's links are sorted.
	LinksOf(ctx context.Context, ids []ID) ([][]Link, error)
}

// Direction says which way an edge points from the node asked about.
type Direction int

// Directions.
const (
	Out Direction = iota // edges whose From is the node
	In                   // edges whose To is the node
)

// Link is an edge of the graph view: a predicate's name (an [EdgeKind] or
// "document", "place", "date", "statedOn", "claim", "published") between
// two nodes.
type Link struct {
	Kind string
	From ID
	To   ID
}

// Page selects part of a sorted list: Limit items after the first Offset.
// A Limit of zero or less means no items, only the total.
type Page struct {
	Offset int
	Limit  int
}

// IDPage is one page of a list and the length of the whole list.
type IDPage struct {
	IDs   []ID
	Total int
}

// StatementFilter selects statements; a zero field does not filter. The
// statements that pass are ordered by date (undated last), then document,
// then position in the document: a timeline.
type StatementFilter struct {
	// Actor is the speaker (the actor with a said edge to the statement).
	Actor ID
	// Place and Claim are a place the statement mentions and a claim it
	// asserts (its Claim or another of its propositions'); Document is the
	// document it was found in.
	Place    ID
	Claim    ID
	Document ID
	// Text must occur in the statement's content, ignoring case.
	Text string
	// Kind is the statement's kind.
	Kind StatementKind
	// From and To bound the statement's date, inclusive, as ISO 8601
	// prefixes ("2023", "2023-03", "2023-03-21"): a date passes when it is
	// not before From and not after To at the precision both have. Undated
	// statements fail any date bound.
	From, To string
}

// InRange reports whether the ISO 8601 date value v lies within the
// inclusive bounds from and to (either may be empty), compared at the
// precision both sides have: "2023-03" is within from "2023-03-15".
func InRange(v, from, to string) bool {
	if v == "" {
		return from == "" && to == ""
	}
	cmp := func(a, b string) int {
		n := min(len(a), len(b))
		return strings.Compare(a[:n], b[:n])
	}
	if from != "" && cmp(v, from) < 0 {
		return false
	}
	if to != "" && cmp(v, to) > 0 {
		return false
	}
	return true
}

// Kind names of the nodes of the graph view, as [KindOf] returns them.
const (
	KindDocument  = "Document"
	KindActor     = "Actor"
	KindStatement = "Statement"
	KindClaim     = "Claim"
	KindPlace     = "Place"
	KindDate      = "Date"
)

// KindOf returns the kind of node an ID names, from the ID scheme alone
// ("" for an ID that is none of the kinds above, such as a mention or an
// evidence node).
func KindOf(id ID) string {
	s := string(id)
	rest, ok := strings.CutPrefix(s, Base)
	if !ok {
		return ""
	}
	kind, tail, _ := strings.Cut(rest, "/")
	if tail == "" {
		return ""
	}
	switch kind {
	case "actor":
		return KindActor
	case "place":
		return KindPlace
	case "date":
		return KindDate
	case "claim":
		return KindClaim
	case "doc":
		if !strings.Contains(tail, "/") {
			return KindDocument
		}
		if IsStatement(id) {
			return KindStatement
		}
	}
	return ""
}

// DateOf returns the date a date node's ID names. The value of a date of
// unknown precision is not kept in its ID; DateOf returns its slug.
func DateOf(id ID) (Date, bool) {
	v, ok := strings.CutPrefix(string(id), Base+"date/")
	if !ok || v == "" {
		return Date{}, false
	}
	if u, ok := strings.CutPrefix(v, "unknown/"); ok {
		return Date{Value: u, Precision: PrecisionUnknown}, true
	}
	return Date{Value: v, Precision: precisionOf(v)}, true
}

func precisionOf(v string) Precision {
	switch {
	case strings.Contains(v, "T"):
		return PrecisionTime
	case len(v) == 10:
		return PrecisionDay
	case len(v) == 7:
		return PrecisionMonth
	case len(v) == 4:
		return PrecisionYear
	}
	return PrecisionUnknown
}

// StatementStart returns the code point where a statement's span starts,
// read from its ID ([StatementID]); -1 if id is not a statement's.
func StatementStart(id ID) int {
	s := string(id)
	i := strings.LastIndex(s, "/s/")
	if i < 0 {
		return -1
	}
	a, _, ok := strings.Cut(s[i+3:], "-")
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(a)
	if err != nil {
		return -1
	}
	return n
}

// StatementOf returns the document a statement's ID is named under.
func StatementOf(id ID) ID {
	s := string(id)
	if i := strings.LastIndex(s, "/s/"); i > 0 {
		return ID(s[:i])
	}
	return ""
}

// CompareTimeline orders statements as a timeline: by date value (an
// empty one last), then by document, then by position in the document.
func CompareTimeline(dateA string, a ID, dateB string, b ID) int {
	switch {
	case dateA == "" && dateB != "":
		return 1
	case dateA != "" && dateB == "":
		return -1
	}
	if c := strings.Compare(dateA, dateB); c != 0 {
		return c
	}
	if c := strings.Compare(string(StatementOf(a)), string(StatementOf(b))); c != 0 {
		return c
	}
	if c := StatementStart(a) - StatementStart(b); c != 0 {
		return c
	}
	return strings.Compare(string(a), string(b))
}

// PartReader reads only part of each node, for a client that shows little
// of many nodes: a page of statements that shows their text and their
// documents' titles need not read every property of each statement, nor
// each document's text, nor the evidence of each said edge.
//
// Its methods follow the conventions of [Reader]: one result per key, in
// the order of the keys, nil for a key that names no node of the kind, an
// error only when the read as a whole failed; safe for concurrent use.
type PartReader interface {
	// StatementParts returns the statements with the given IDs with the
	// fields in want filled in, besides ID and Document, which always are;
	// the other fields are left zero.
	StatementParts(ctx context.Context, ids []ID, want StatementFields) ([]*Statement, error)
	// DocumentParts returns the documents with the given IDs with the
	// fields in want filled in, besides ID, which always is; the other
	// fields are left zero.
	DocumentParts(ctx context.Context, ids []ID, want DocumentFields) ([]*Document, error)
	// Speakers returns each statement's speaker: the actor of its said
	// edge with the highest evidence confidence (the smallest actor ID
	// among equals), or "" when nothing says it is said by anyone. The
	// evidence is only read for a statement that more than one actor said.
	Speakers(ctx context.Context, ids []ID) ([]ID, error)
}

// StatementFields is a set of fields of a [Statement] for
// [PartReader.StatementParts].
type StatementFields uint32

// Fields of a statement.
const (
	StatementFieldKind       StatementFields = 1 << iota // Kind
	StatementFieldText                                   // Content.Text
	StatementFieldCue                                    // Cue.Text
	StatementFieldSource                                 // Source (its text; its spans with StatementFieldSpans)
	StatementFieldSpans                                  // Content.Spans, Cue.Spans, Source.Spans, Sentence
	StatementFieldDate                                   // Date and DateFrom
	StatementFieldDates                                  // Dates
	StatementFieldPlaces                                 // Places
	StatementFieldClaim                                  // Claim
	StatementFieldRule                                   // Rule
	StatementFieldConfidence                             // Confidence

	StatementFieldAll = StatementFieldKind | StatementFieldText | StatementFieldCue | StatementFieldSource | StatementFieldSpans |
		StatementFieldDate | StatementFieldDates | StatementFieldPlaces | StatementFieldClaim | StatementFieldRule | StatementFieldConfidence
)

// DocumentFields is a set of fields of a [Document] for
// [PartReader.DocumentParts].
type DocumentFields uint32

// Fields of a document.
const (
	DocumentFieldURL       DocumentFields = 1 << iota // URL
	DocumentFieldSource                               // Source
	DocumentFieldFormat                               // Format
	DocumentFieldTitle                                // Title
	DocumentFieldPublisher                            // Publisher
	DocumentFieldAuthors                              // Authors
	DocumentFieldPublished                            // Published
	DocumentFieldText                                 // Text

	DocumentFieldAll = DocumentFieldURL | DocumentFieldSource | DocumentFieldFormat | DocumentFieldTitle | DocumentFieldPublisher |
		DocumentFieldAuthors | DocumentFieldPublished | DocumentFieldText
)

// BestSpeaker returns the speaker among a statement's incoming edges es
// (sorted as [Reader.EdgesOf] sorts them): the actor of the said edge with
// the highest confidence, the first of equals; "" when es has no said
// edge.
func BestSpeaker(es []Edge) ID {
	var best *Edge
	for i, e := range es {
		if e.Kind == Said && (best == nil || e.Evidence.Confidence > best.Evidence.Confidence) {
			best = &es[i]
		}
	}
	if best == nil {
		return ""
	}
	return best.From
}
