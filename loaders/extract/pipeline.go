package extract

import (
	"context"
	"fmt"
)

// Kind says how an attribution reports what was said.
type Kind string

// Attribution kinds.
const (
	Direct      Kind = "direct"       // the content is a quotation
	Indirect    Kind = "indirect"     // reported speech
	Mixed       Kind = "mixed"        // reported speech with quoted parts
	AccordingTo Kind = "according_to" // "according to X, ..."
)

// Attribution is content attributed to a source through a cue. Source is
// empty when the text names no source.
type Attribution struct {
	Source, Cue, Content []Span
	Kind                 Kind
	// Rule names what produced the attribution; Confidence is in [0, 1].
	Rule       string
	Confidence float64
	// Speaker is who the source refers to, once resolved.
	Speaker *Resolution
	// Date is when the statement was made, when the text says so.
	Date *DateMention
}

// Date is a calendar date at a precision: Value is ISO 8601 truncated to
// it ("2023", "2023-03", "2023-03-21"); with precision "unknown" it is
// partial ("--03-21" for a day without its year) or the words as written.
type Date struct {
	Value     string
	Precision string
}

// DateMention is a date written in the text.
type DateMention struct {
	Span
	Date
	// Event is true for a date that says when something happened ("On
	// March 21", "on Saturday"), false for one that only names a period
	// ("the 2020 declaration").
	Event bool
}

// ActorKind classifies an actor.
type ActorKind string

// Actor kinds.
const (
	Person       ActorKind = "person"
	Organization ActorKind = "organization"
	Government   ActorKind = "government"
	Unknown      ActorKind = "unknown"
)

// Actor is someone a document mentions, under a canonical name for the
// document.
type Actor struct {
	Name string
	Kind ActorKind
	// Aliases are the forms the document uses for the actor, in order of
	// first use.
	Aliases []string
	// Mentions are the spans where the document names it.
	Mentions []Span
}

// Resolution says which actor a source mention refers to and why.
type Resolution struct {
	// Actor is an index into Doc.Actors.
	Actor int
	// Rule names how it was resolved ("speaker:name", "speaker:pronoun",
	// ...); Evidence explains it for people; Confidence is in [0, 1].
	Rule       string
	Evidence   string
	Confidence float64
}

// Doc is a document going through a [Pipeline]: its text and what the
// extractors found so far.
type Doc struct {
	*Text
	// Published is the document's publication date, if known: the
	// reference for relative dates ("on Saturday", "last year").
	Published    *Date
	Attributions []Attribution
	Actors       []Actor
	Dates        []DateMention
	Places       []PlaceMention
}

// PlaceMention is a place written in the text: a country, region, city,
// road or corridor, river, district.
type PlaceMention struct {
	Span
	// Name is the place's name as the text writes it, without a leading
	// article ("Lachin corridor", "Syunik region", "Azerbaijan").
	Name string
	// Kind is what sort of place it is ("country", "city", "region",
	// "route", "river", "district", "village", "border", "place").
	Kind string
}

// Extractor adds what it finds to a document.
type Extractor interface {
	// Extract reads d and adds to it. It returns an error only when it
	// cannot work at all (ctx cancelled); a document it finds nothing in
	// is not an error.
	Extract(ctx context.Context, d *Doc) error
}

// ExtractorFunc adapts a function to [Extractor].
type ExtractorFunc func(ctx context.Context, d *Doc) error

// Extract calls f.
func (f ExtractorFunc) Extract(ctx context.Context, d *Doc) error { return f(ctx, d) }

// Pipeline runs extractors in order over a text.
type Pipeline struct {
	Extractors []Extractor
}

// Run tokenizes and segments src, marks the skip ranges (metadata lines),
// and runs every extractor. published may be nil.
func (p *Pipeline) Run(ctx context.Context, src string, skip []Span, published *Date) (*Doc, error) {
	d := &Doc{Text: NewText(src, skip), Published: published}
	for i, e := range p.Extractors {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := e.Extract(ctx, d); err != nil {
			return nil, fmt.Errorf("extract: stage %d: %w", i, err)
		}
	}
	return d, nil
}

// KindOf decides an attribution's kind from its content and cue: content
// wholly inside quotation marks is direct, partly quoted content mixed, an
// "according to" cue makes it according-to, anything else is indirect.
func KindOf(t *Text, content, cue []Span) Kind {
	for _, c := range cue {
		if w := lower(t.Src[c.Start:c.End]); w == "according to" || w == "according" {
			return AccordingTo
		}
	}
	words, quoted := 0, 0
	for _, c := range content {
		first, last := t.TokensIn(c)
		for i := first; i < last; i++ {
			if k := t.Tokens[i].Kind; k == Word || k == Number {
				words++
				if t.Tokens[i].Quoted {
					quoted++
				}
			}
		}
	}
	switch {
	case words > 0 && quoted == words:
		return Direct
	case quoted > 0:
		return Mixed
	}
	return Indirect
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
