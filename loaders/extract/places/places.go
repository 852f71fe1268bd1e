// Package places finds the places a news text mentions: countries and
// capitals ("Armenia", "Baku"), regions, districts and villages ("Syunik
// region", "the village of Tekh"), roads and corridors ("the Lachin
// corridor"), rivers and borders ("the Hakari River", "the
// Armenian-Azerbaijani border").
//
// It reads capitalised runs of words and keeps those that a place word
// types ("corridor", "river", "region" after the name, "the village of"
// before it) or that the gazetteer knows (the countries and capitals of
// [lexicon], and single words whose first WordNet sense is a location).
// A capital or country that is the source of an attribution speaks for a
// government there ("Baku said") and is an actor, not a place.
package places

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/provgraph/provgraph/loaders/extract"
	"github.com/provgraph/provgraph/loaders/extract/lexicon"
)

// Name names the extractor.
const Name = "places"

// Finder is the place stage of an extraction pipeline. It runs after
// attribution, so that sources are known.
type Finder struct{}

var _ extract.Extractor = Finder{}

// heads map place words written after a name to the kind of place.
var heads = map[string]string{
	"corridor": "route", "road": "route", "highway": "route", "route": "route", "street": "route",
	"avenue": "route", "pass": "route", "bridge": "place", "checkpoint": "place", "airport": "place",
	"port": "place", "square": "place", "region": "region", "province": "region", "oblast": "region",
	"state": "region", "territory": "region", "zone": "region", "valley": "region", "peninsula": "region",
	"county": "district", "district": "district", "districts": "district", "municipality": "district",
	"river": "river", "lake": "lake", "sea": "sea", "gulf": "sea", "strait": "sea", "mountains": "mountains",
	"mountain": "mountains", "island": "island", "islands": "island", "border": "border", "city": "city",
	"town": "city", "village": "village", "capital": "city",
}

// before are place words written before "of" and a name: "the village of
// Tekh", "the city of Shusha".
var before = map[string]string{
	"village": "village", "city": "city", "town": "city", "region": "region", "province": "region",
	"district": "district", "republic": "country", "island": "island", "state": "region",
}

// modifiers may stand between a name and its place word: "the
// Azerbaijan-Armenia state border".
var modifiers = map[string]bool{"state": true, "national": true, "main": true, "old": true, "new": true, "international": true}

// Extract finds the places of d's text and adds them to d.Places.
func (Finder) Extract(ctx context.Context, d *extract.Doc) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sources := make([]extract.Span, 0, len(d.Attributions))
	for _, a := range d.Attributions {
		sources = append(sources, a.Source...)
	}
	t := d.Text
	for _, s := range t.Sentences {
		if t.Skipped(s.Span) {
			continue
		}
		for i := s.First; i < s.Last; {
			j := run(t, i, s.Last)
			if j == i {
				i++
				continue
			}
			// A sentence-initial word capitalised only by its position.
			k := i
			if k == s.First && !nameLike(t.Word(k)) {
				k++
			}
			if k < j {
				if p, ok := place(t, s, k, j); ok && !overlaps(p.Span, sources) {
					d.Places = append(d.Places, p)
				}
			}
			i = j
		}
	}
	return nil
}

// run returns the end of the run of capitalised words starting at i
// (hyphenated and possessive forms included), or i.
func run(t *extract.Text, i, last int) int {
	j := i
	for j < last && t.Tokens[j].Kind == extract.Word && capitalised(t.Word(j)) {
		j++
	}
	return j
}

func capitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// nameLike reports whether a capitalised sentence-initial word can start a
// place name rather than being a common word capitalised by position.
func nameLike(w string) bool {
	l := strings.ToLower(w)
	if months[l] || function[l] {
		return false
	}
	if lexicon.Country(l) != "" || lexicon.Capital(l) != "" || lexicon.Demonym(l) != "" {
		return true
	}
	return lexicon.Lookup(l).Lemma == ""
}

// place decides whether the capitalised run [i, j) of sentence s names a
// place, and which.
func place(t *extract.Text, s extract.Sentence, i, j int) (extract.PlaceMention, bool) {
	span := func(a, b int) extract.Span { return extract.Span{Start: t.Tokens[a].Start, End: t.Tokens[b-1].End} }
	mention := func(a, b int, kind string) (extract.PlaceMention, bool) {
		sp := span(a, b)
		return extract.PlaceMention{Span: sp, Name: strings.Join(strings.Fields(t.Src[sp.Start:sp.End]), " "), Kind: kind}, true
	}
	// A place word after the name, maybe after a modifier: "Lachin
	// corridor", "Hakari River", "Azerbaijan-Armenia state border".
	// Not when the place word is itself a modifier: "Azerbaijani border
	// guards".
	last := strings.ToLower(t.Word(j - 1))
	if kind, ok := heads[last]; ok && j-i >= 2 && !modifies(t, j, s.Last) {
		return mention(i, j, kind)
	}
	h := j
	if h < s.Last && modifiers[strings.ToLower(t.Word(h))] {
		h++
	}
	if h < s.Last {
		if kind, ok := heads[strings.ToLower(t.Word(h))]; ok && t.Tokens[h].Kind == extract.Word && !modifies(t, h+1, s.Last) {
			return mention(i, h+1, kind)
		}
	}
	name := strings.ToLower(t.Src[t.Tokens[i].Start:t.Tokens[j-1].End])
	// A place word and "of" before it: "the village of Tekh".
	if i-2 >= s.First && strings.EqualFold(t.Word(i-1), "of") {
		if kind, ok := before[strings.ToLower(t.Word(i-2))]; ok {
			return mention(i, j, kind)
		}
	}
	// The gazetteer: countries and capitals, and single words that are
	// first of all locations.
	switch {
	case lexicon.Country(name) != "" || lexicon.Country("the "+name) != "":
		return mention(i, j, "country")
	case lexicon.Capital(name) != "":
		return mention(i, j, "city")
	case j-i == 1 && lexicon.Demonym(name) == "" && lexicon.Lookup(name).First&lexicon.NounLocation != 0:
		return mention(i, j, "place")
	}
	// A name after "in" or "near" that the lexicon does not know as
	// anything else: "in Nagorno-Karabakh", "near Shusha".
	if i > s.First && j-i <= 2 && locative[strings.ToLower(t.Word(i-1))] && !possessive(t.Word(j-1)) {
		known := false
		for k := i; k < j; k++ {
			l := strings.ToLower(t.Word(k))
			if e := lexicon.Lookup(l); (e.Lemma != "" && e.First&lexicon.NounLocation == 0) || months[l] || lexicon.Demonym(l) != "" {
				known = true
			}
		}
		if !known {
			return mention(i, j, "place")
		}
	}
	return extract.PlaceMention{}, false
}

// locative are the prepositions after which an unknown name is a place.
var locative = map[string]bool{"in": true, "near": true, "across": true, "throughout": true, "inside": true, "outside": true}

var months = map[string]bool{
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true, "july": true,
	"august": true, "september": true, "october": true, "november": true, "december": true,
}

// function are words capitalised at the start of a sentence that never
// start a place's name.
var function = map[string]bool{
	"the": true, "a": true, "an": true, "this": true, "that": true, "these": true, "those": true,
	"in": true, "on": true, "at": true, "of": true, "for": true, "but": true, "and": true, "or": true,
	"he": true, "she": true, "it": true, "they": true, "we": true, "i": true, "his": true, "her": true,
	"their": true, "its": true, "our": true, "with": true, "by": true, "from": true, "as": true,
	"after": true, "before": true, "since": true, "when": true, "while": true, "if": true, "last": true,
}

// modifies reports whether the word at k (after a place word) is a noun
// of people or groups that the place word modifies: "border guards",
// "river authority".
func modifies(t *extract.Text, k, last int) bool {
	if k >= last || t.Tokens[k].Kind != extract.Word {
		return false
	}
	e := lexicon.Lookup(strings.ToLower(t.Word(k)))
	return e.First&(lexicon.NounPerson|lexicon.NounGroup) != 0
}

func possessive(w string) bool { return strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s") }

func overlaps(s extract.Span, spans []extract.Span) bool {
	for _, o := range spans {
		if s.Start < o.End && o.Start < s.End {
			return true
		}
	}
	return false
}
