package graph

import (
	"fmt"
	"strconv"
	"strings"
)

// ID is a node's IRI.
type ID string

// Span is a half-open range [Start, End) of Unicode code points in a
// document's text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Len returns the number of code points the span covers.
func (s Span) Len() int { return s.End - s.Start }

// String formats the span as "start-end", the form used in quads.
func (s Span) String() string { return strconv.Itoa(s.Start) + "-" + strconv.Itoa(s.End) }

// FormatSpans writes spans as a comma-separated list of "start-end".
func FormatSpans(spans []Span) string {
	var b strings.Builder
	for i, s := range spans {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s.String())
	}
	return b.String()
}

// ParseSpans reads the form written by [FormatSpans].
func ParseSpans(s string) ([]Span, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	out := make([]Span, 0, len(parts))
	for _, p := range parts {
		a, b, ok := strings.Cut(p, "-")
		if !ok {
			return nil, fmt.Errorf("graph: bad span %q", p)
		}
		start, err1 := strconv.Atoi(a)
		end, err2 := strconv.Atoi(b)
		if err1 != nil || err2 != nil || start < 0 || end < start {
			return nil, fmt.Errorf("graph: bad span %q", p)
		}
		out = append(out, Span{Start: start, End: end})
	}
	return out, nil
}

// Precision says how much of a [Date] is known.
type Precision string

// Date precisions, from most to least precise.
const (
	PrecisionTime    Precision = "time"    // date and time of day, ISO 8601 with zone when known
	PrecisionDay     Precision = "day"     // 2023-03-21
	PrecisionMonth   Precision = "month"   // 2023-03
	PrecisionYear    Precision = "year"    // 2023
	PrecisionUnknown Precision = "unknown" // a date whose value could not be resolved
)

// Date is a calendar date or time at a known precision. Value is ISO 8601
// truncated to the precision ("2023", "2023-03", "2023-03-21",
// "2023-03-21T19:22:00+04:00"); with PrecisionUnknown it is the text as
// written.
type Date struct {
	Value     string    `json:"value"`
	Precision Precision `json:"precision"`
}

// Evidence records why an edge or node exists.
type Evidence struct {
	// Document is the document the evidence was found in.
	Document ID `json:"document"`
	// Span is the text that supports the edge, when there is one.
	Span *Span `json:"span,omitempty"`
	// Rule names the rule or model that produced the edge, such as
	// "cue:lexicon" or "speaker:pronoun".
	Rule string `json:"rule"`
	// Confidence is in [0, 1].
	Confidence float64 `json:"confidence"`
	// Note is a short human-readable explanation, such as the antecedent a
	// pronoun was resolved to.
	Note string `json:"note,omitempty"`
}

// Document is one article, release or feed item.
type Document struct {
	ID ID `json:"id"`
	// URL is the canonical URL, when known.
	URL string `json:"url,omitempty"`
	// Source is where the document was read from: a path, or a path and
	// line for JSON Lines.
	Source    string   `json:"source,omitempty"`
	Format    string   `json:"format,omitempty"`
	Title     string   `json:"title,omitempty"`
	Publisher string   `json:"publisher,omitempty"`
	Authors   []string `json:"authors,omitempty"`
	// Published is nil when the document does not say when it was
	// published.
	Published *Date  `json:"published"`
	Text      string `json:"text"`
}

// ActorKind classifies an actor.
type ActorKind string

// Actor kinds.
const (
	ActorPerson       ActorKind = "person"
	ActorOrganization ActorKind = "organization"
	ActorGovernment   ActorKind = "government" // including a capital speaking for its government
	ActorUnknown      ActorKind = "unknown"
)

// Actor is a person, organisation or government that says things. Actors are
// shared across documents.
type Actor struct {
	ID   ID        `json:"id"`
	Name string    `json:"name"`
	Kind ActorKind `json:"kind"`
	// Aliases are the surface forms under which the actor appears in the
	// document being written (or, when read back, in all documents).
	Aliases []string `json:"aliases,omitempty"`
}

// Place is a country, region, city, road or other location. Places are shared
// across documents.
type Place struct {
	ID      ID       `json:"id"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
}

// StatementKind says how a statement is reported.
type StatementKind string

// Statement kinds.
const (
	KindDirect      StatementKind = "direct"       // a quotation
	KindIndirect    StatementKind = "indirect"     // reported speech
	KindMixed       StatementKind = "mixed"        // reported speech with quoted parts
	KindAccordingTo StatementKind = "according_to" // "according to X, ..."
)

// Part is one of a statement's source, cue or content: possibly several
// discontinuous spans, and their text joined by single spaces.
type Part struct {
	Spans []Span `json:"spans"`
	Text  string `json:"text"`
}

// DateSource says where a statement's date came from.
type DateSource string

// Date sources.
const (
	DateFromText      DateSource = "text"      // the text says when the statement was made
	DateFromPublished DateSource = "published" // the document's publication date
)

// Statement is one attribution: content attributed to a source through a cue.
type Statement struct {
	ID       ID            `json:"id"`
	Document ID            `json:"document"`
	Kind     StatementKind `json:"kind"`
	// Source is the mention of who said it; nil when the text names no
	// source ("it was reported that").
	Source  *Part `json:"source"`
	Cue     Part  `json:"cue"`
	Content Part  `json:"content"`
	// Sentence is the span of the sentence (or sentences) holding the
	// statement.
	Sentence Span `json:"sentence"`
	// Date is when the statement was made, and DateFrom where that came
	// from; nil when neither the text nor the document says.
	Date     *Date      `json:"date"`
	DateFrom DateSource `json:"dateFrom,omitempty"`
	// Places and Dates are what the content mentions.
	Places []ID   `json:"places,omitempty"`
	Dates  []Date `json:"dates,omitempty"`
	// Claim is the claim the statement asserts, if known.
	Claim ID `json:"claim,omitempty"`
	// Rule and Confidence describe the extraction of the statement itself.
	Rule       string  `json:"rule"`
	Confidence float64 `json:"confidence"`
}

// Claim is one proposition asserted across documents.
type Claim struct {
	ID   ID     `json:"id"`
	Text string `json:"text"`
}

// EdgeKind names an edge between nodes.
type EdgeKind string

// Edge kinds that carry evidence.
const (
	Said     EdgeKind = "said"     // actor → statement
	Cited    EdgeKind = "cited"    // document or statement → statement it reports, relays or repeats
	Disputes EdgeKind = "disputes" // statement → statement or claim it denies or contradicts
)

// EdgeKinds lists the edge kinds that carry evidence.
var EdgeKinds = []EdgeKind{Said, Cited, Disputes}

// Edge is a derived relation with its evidence.
type Edge struct {
	Kind     EdgeKind `json:"kind"`
	From     ID       `json:"from"`
	To       ID       `json:"to"`
	Evidence Evidence `json:"evidence"`
}

// DocGraph is a document with everything derived from it: the unit a
// [Store] writes atomically.
type DocGraph struct {
	Document   Document
	Actors     []Actor
	Places     []Place
	Statements []Statement
	Claims     []Claim
	Edges      []Edge
	// Index holds the entries of the linking index for the document's
	// statements (see [Index]); the store writes them in the document's
	// named graph.
	Index []IndexEntry
}
