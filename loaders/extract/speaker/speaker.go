// Package speaker resolves the source of each attribution to an actor of the
// document: a named person ("U.S. Secretary of State Antony Blinken",
// later "Blinken"), a pronoun ("he") or a role ("the expert", "the head of
// state", "The Azerbaijani leader") to the person it refers to, a capital
// speaking for its government ("Baku"), an organisation ("the Armenian
// Ministry of Foreign Affairs").
//
// It reads the whole text for named people first, with the titles and
// nationalities written before their names ("Azerbaijani President Ilham
// Aliyev"), so that a role is matched to the most recent person who holds
// it, and a pronoun to the most recent person named before it. Each
// resolution records its rule and the evidence used.
package speaker

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/provgraph/provgraph/loaders/extract"
	"github.com/provgraph/provgraph/loaders/extract/lexicon"
)

// Rules of the resolutions.
const (
	RuleName       = "speaker:name"    // the source names the actor
	RuleSurname    = "speaker:surname" // a surname matched to a person named earlier
	RulePronoun    = "speaker:pronoun" // a pronoun resolved to the person named last
	RoleRule       = "speaker:role"    // a role matched to the person who holds it
	RuleCapital    = "speaker:capital" // a capital or country speaking for its government
	RuleOrg        = "speaker:organization"
	RuleDescriptor = "speaker:descriptor" // a description with no antecedent, kept as written
	RuleContinued  = "speaker:continued"  // no source; the previous speaker of the paragraph
	RuleIssuer     = "speaker:issuer"     // a statement or report speaking for whoever issued it
	RuleGroup      = "speaker:group"      // a plural pronoun resolved to the group named last
)

// Resolver is the speaker resolution stage of an extraction pipeline.
type Resolver struct{}

var _ extract.Extractor = Resolver{}

// actorState is what the resolver knows of an actor while reading.
type actorState struct {
	idx         int
	last        string          // surname, lower-cased, for persons
	titles      map[string]bool // lower-cased title words used with the name
	nationality string          // country, from an adjective or "of X"
	lastSeen    int             // byte offset of the latest mention
}

type state struct {
	d        *extract.Doc
	actors   []*actorState
	byName   map[string]int // lower-cased canonical name → actor
	newlines []int          // offsets of the text's line breaks
	// groups are plural mentions of people ("Azerbaijani environmental
	// activists"), antecedents for "they" that become actors only when
	// something refers to them.
	groups []group
	// issuers are actors that issued a written text ("a statement from the
	// press service"), by the text's head noun, latest last.
	issuers []issuer
}

type group struct {
	span extract.Span
	text string
}

type issuer struct {
	noun  string
	actor *actorState
	at    int // byte offset of the mention
	text  string
}

// Extract resolves the speakers of d's attributions and fills d.Actors.
func (Resolver) Extract(ctx context.Context, d *extract.Doc) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s := &state{d: d, byName: make(map[string]int)}
	for i := 0; i < len(d.Src); i++ {
		if d.Src[i] == '\n' {
			s.newlines = append(s.newlines, i)
		}
	}
	names := s.scanNames()
	s.groups = s.scanGroups()
	phrases := s.scanIssued()
	ni, pi := 0, 0
	lastPara := -1
	var lastSpeaker *extract.Resolution
	for i := range d.Attributions {
		a := &d.Attributions[i]
		pos := a.Cue[0].Start
		if len(a.Source) > 0 && a.Source[0].Start < pos {
			pos = a.Source[0].Start
		}
		// Names met in the text before this attribution become antecedents.
		for ni < len(names) && names[ni].span.Start < pos {
			s.note(names[ni])
			ni++
		}
		for pi < len(phrases) && phrases[pi].issuer.Start < pos {
			if r := s.resolve(phrases[pi].issuer); r != nil {
				s.issued(phrases[pi].noun, s.actors[r.Actor], phrases[pi].issuer.Start)
			}
			pi++
		}
		para := s.paragraph(pos)
		if len(a.Source) == 0 {
			if lastSpeaker != nil && para == lastPara {
				r := *lastSpeaker
				r.Rule, r.Confidence = RuleContinued, 0.6
				r.Evidence = "no source named; the previous speaker of the paragraph"
				a.Speaker = &r
			}
			continue
		}
		a.Speaker = s.resolve(a.Source[0])
		if a.Speaker != nil {
			lastSpeaker, lastPara = a.Speaker, para
			s.actors[a.Speaker.Actor].lastSeen = a.Source[0].End
			// "Miller said in a Sunday statement": the statement is his.
			for _, c := range a.Cue {
				for _, w := range strings.Fields(strings.ToLower(s.d.Src[c.Start:c.End])) {
					if lexicon.Written(w) {
						s.issued(w, s.actors[a.Speaker.Actor], c.Start)
					}
				}
			}
			if w := s.issuedAfter(a.Cue[len(a.Cue)-1]); w != "" {
				s.issued(w, s.actors[a.Speaker.Actor], a.Cue[0].Start)
			}
		}
	}
	return nil
}

// paragraph returns the index of the line holding pos.
func (s *state) paragraph(pos int) int {
	return sort.SearchInts(s.newlines, pos)
}

// name is a person's name found in the text, with what precedes it.
type name struct {
	span        extract.Span
	full        string
	titles      []string
	nationality string
}

func isCapitalized(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// scanNames finds person names in the text: runs of capitalised words that
// are not titles, nationalities, organisation words or sentence openers,
// with the title words right before them.
func (s *state) scanNames() []name {
	t := s.d.Text
	var out []name
	for _, sent := range t.Sentences {
		if t.TitleCase(sent) {
			continue // every word is capitalised: names cannot be told apart
		}
		i := sent.First
		for i < sent.Last {
			j := i
			for j < sent.Last && t.Tokens[j].Kind == extract.Word && isNameWord(t.Word(j)) {
				j++
			}
			if j > i {
				// Drop an opener capitalised only because it starts the
				// sentence.
				k := i
				for k < j && k == sent.First && stopWords[strings.ToLower(t.Word(k))] {
					k++
				}
				// "Edison High School", "Ford Foundation": the run names an
				// organisation, not a person.
				orgHead := j < sent.Last && t.Tokens[j].Kind == extract.Word && isCapitalized(t.Word(j)) && orgWords[strings.ToLower(t.Word(j))]
				if j-k >= 2 && j-k <= 4 && !orgHead {
					n := name{span: extract.Span{Start: t.Tokens[k].Start, End: t.Tokens[j-1].End}}
					n.full = t.Src[n.span.Start:n.span.End]
					for b := k - 1; b >= sent.First && b >= k-6; b-- {
						w := strings.ToLower(t.Word(b))
						if titleWords[w] || strings.HasSuffix(w, "-based") {
							n.titles = append(n.titles, w)
							continue
						}
						if c := lexicon.Nationality(w); c != "" {
							n.nationality = c
							continue
						}
						break
					}
					// "President of the Republic of Azerbaijan Ilham Aliyev"
					n.titles, n.nationality = titlesBefore(t, sent.First, k, n.titles, n.nationality)
					out = append(out, n)
				}
				i = j
				continue
			}
			i++
		}
	}
	return out
}

// titlesBefore reads a "Title of (the Republic of) Country" phrase right
// before a name.
func titlesBefore(t *extract.Text, first, k int, titles []string, nat string) ([]string, string) {
	start := k - 8
	if start < first {
		start = first
	}
	for b := start; b < k; b++ {
		w := strings.ToLower(t.Word(b))
		if !titleWords[w] {
			continue
		}
		titles = append(titles, w)
		for c := b + 1; c < k; c++ {
			if cn := lexicon.Nationality(strings.ToLower(t.Word(c))); cn != "" {
				nat = cn
			}
		}
		break
	}
	return titles, nat
}

func isNameWord(w string) bool {
	if !isCapitalized(w) || len(w) < 2 {
		return false
	}
	l := strings.ToLower(w)
	if titleWords[l] || orgWords[l] || lexicon.Nationality(l) != "" || monthsDays[l] || lexicon.Capital(l) != "" {
		return false
	}
	return !strings.Contains(w, ".") || len(w) > 3
}

// note records a name met in the text.
func (s *state) note(n name) {
	a := s.person(n.full, n.span)
	for _, t := range n.titles {
		a.titles[t] = true
	}
	if n.nationality != "" {
		a.nationality = n.nationality
	}
	a.lastSeen = n.span.End
}

// person returns the person called full, matching a surname to a person
// named in full before.
func (s *state) person(full string, sp extract.Span) *actorState {
	parts := strings.Fields(full)
	last := strings.ToLower(parts[len(parts)-1])
	if i, ok := s.byName[strings.ToLower(full)]; ok {
		s.alias(i, full, sp)
		return s.actors[i]
	}
	for _, a := range s.actors {
		if a.last == last && s.d.Actors[a.idx].Kind == extract.Person {
			if len(parts) == 1 || compatible(s.d.Actors[a.idx].Name, full) {
				// A fuller name becomes the canonical one: "Blinken" in a
				// headline, then "Antony Blinken".
				if act := &s.d.Actors[a.idx]; len(parts) > len(strings.Fields(act.Name)) {
					act.Name = full
					s.byName[strings.ToLower(full)] = a.idx
				}
				s.alias(a.idx, full, sp)
				return a
			}
		}
	}
	return s.add(full, extract.Person, last, sp)
}

// compatible reports whether two multi-word names can be one person: same
// surname and same (or initial-matching) first name.
func compatible(a, b string) bool {
	pa, pb := strings.Fields(a), strings.Fields(b)
	if len(pa) < 2 || len(pb) < 2 {
		return true
	}
	fa, fb := strings.ToLower(pa[0]), strings.ToLower(pb[0])
	return fa == fb || (len(fa) > 0 && len(fb) > 0 && fa[0] == fb[0] && (len(fa) <= 2 || len(fb) <= 2))
}

func (s *state) add(canonical string, kind extract.ActorKind, last string, sp extract.Span) *actorState {
	idx := len(s.d.Actors)
	s.d.Actors = append(s.d.Actors, extract.Actor{Name: canonical, Kind: kind})
	a := &actorState{idx: idx, last: last, titles: make(map[string]bool), lastSeen: sp.End}
	s.actors = append(s.actors, a)
	s.byName[strings.ToLower(canonical)] = idx
	s.alias(idx, canonical, sp)
	return a
}

func (s *state) alias(i int, form string, sp extract.Span) {
	act := &s.d.Actors[i]
	found := false
	for _, al := range act.Aliases {
		if al == form {
			found = true
			break
		}
	}
	if !found {
		act.Aliases = append(act.Aliases, form)
	}
	for _, m := range act.Mentions {
		if m == sp {
			return
		}
	}
	act.Mentions = append(act.Mentions, sp)
}

// resolve finds the actor a source mention refers to.
func (s *state) resolve(src extract.Span) *extract.Resolution {
	t := s.d.Text
	src = s.narrow(src)
	text := strings.TrimSpace(t.Src[src.Start:src.End])
	words := strings.Fields(text)
	if len(words) == 0 {
		return nil
	}
	lw := strings.ToLower(text)
	res := func(a *actorState, rule, evidence string, conf float64) *extract.Resolution {
		if !pronouns[lw] {
			s.alias(a.idx, text, src)
		}
		return &extract.Resolution{Actor: a.idx, Rule: rule, Evidence: evidence, Confidence: conf}
	}
	// A pronoun: the person named last; "it", "they" and "we" the last
	// organisation or group.
	if pronouns[lw] {
		if lw == "they" || lw == "them" || lw == "it" || lw == "we" {
			return s.collective(lw, text, src, res)
		}
		if a := s.latest(extract.Person, "", ""); a != nil {
			return res(a, RulePronoun, fmt.Sprintf("%q refers to %s, the last one named before it", text, s.d.Actors[a.idx].Name), 0.6)
		}
		return nil
	}
	// "the statement", "the report": whoever issued it.
	if a, ok := s.issuerOf(strings.ToLower(stripDeterminer(text)), src.Start); ok {
		return &extract.Resolution{Actor: a.actor.idx, Rule: RuleIssuer,
			Evidence: fmt.Sprintf("%q is the %s issued by %s (%q)", text, a.noun, s.d.Actors[a.actor.idx].Name, a.text), Confidence: 0.7}
	}
	// A capital or country speaking for its government.
	if c := lexicon.Capital(lw); c != "" {
		return res(s.government(c, src), RuleCapital, fmt.Sprintf("%q speaks for the government of %s", text, c), 0.8)
	}
	if c := lexicon.Country(lw); c != "" {
		return res(s.government(c, src), RuleCapital, fmt.Sprintf("%q speaks for the government of %s", text, c), 0.7)
	}
	// A person's name, with or without titles before it.
	if n, titles, nat := s.nameIn(src); n != "" && !(len(strings.Fields(n)) == 1 && isOrg(strings.ToLower(text))) {
		a := s.person(n, src)
		for _, ti := range titles {
			a.titles[ti] = true
		}
		if nat != "" {
			a.nationality = nat
		}
		rule, ev := RuleName, fmt.Sprintf("%q names %s", text, s.d.Actors[a.idx].Name)
		if len(strings.Fields(n)) == 1 && s.d.Actors[a.idx].Name != n {
			rule, ev = RuleSurname, fmt.Sprintf("%q is the surname of %s, named before", text, s.d.Actors[a.idx].Name)
		}
		return res(a, rule, ev, 0.9)
	}
	body := stripDeterminer(text)
	lb := strings.ToLower(body)
	// An organisation.
	if c := governmentOf(lb); c != "" {
		return res(s.government(c, src), RuleCapital, fmt.Sprintf("%q speaks for the government of %s", text, c), 0.7)
	}
	if isOrg(lb) {
		canon := orgName(body)
		if i, ok := s.byName[strings.ToLower(canon)]; ok {
			return res(s.actors[i], RuleOrg, fmt.Sprintf("%q names the organisation %s", text, canon), 0.8)
		}
		return res(s.add(canon, extract.Organization, "", src), RuleOrg, fmt.Sprintf("%q names the organisation %s", text, canon), 0.8)
	}
	// A role: the last person who holds it.
	head, nat := roleOf(lb)
	if head != "" {
		if a := s.latest(extract.Person, head, nat); a != nil {
			return res(a, RoleRule, fmt.Sprintf("%q refers to %s, named earlier as %s", text, s.d.Actors[a.idx].Name, strings.Join(s.d.Actors[a.idx].Aliases[:1], "")), 0.7)
		}
	}
	if i, ok := s.byName[lb]; ok {
		return res(s.actors[i], RuleDescriptor, fmt.Sprintf("%q, as before", text), 0.5)
	}
	return res(s.add(body, extract.Unknown, "", src), RuleDescriptor, fmt.Sprintf("%q, with no antecedent in the document", text), 0.4)
}

// nameIn returns the person name at the end of a source mention, with the
// titles and nationality before it.
func (s *state) nameIn(src extract.Span) (string, []string, string) {
	t := s.d.Text
	first, last := t.TokensIn(src)
	toks := make([]int, 0, last-first)
	for i := first; i < last; i++ {
		toks = append(toks, i)
	}
	// The first run of name words that is a full name (two words or more)
	// or a known surname: "Analyst Maria Korhonen of the Baltic Institute".
	k, j := -1, -1
	for i := 0; i < len(toks); {
		e := i
		for e < len(toks) && t.Tokens[toks[e]].Kind == extract.Word && isNameWord(t.Word(toks[e])) {
			e++
		}
		if e > i {
			b := i
			for b < e && stopWords[strings.ToLower(t.Word(toks[b]))] {
				b++ // "The", "He" open the mention without being names
			}
			n := e - b
			last := e == len(toks) || t.Tokens[toks[e]].Kind == extract.Punct
			if b < e && ((n >= 2 && n <= 4) || (n == 1 && !isPlace(t.Word(toks[b])) && (!s.unknownSurname(t.Word(toks[b])) || last))) {
				k, j = b, e
				break
			}
			i = e
			continue
		}
		i++
	}
	if k < 0 {
		return "", nil, ""
	}
	n := t.Src[t.Tokens[toks[k]].Start:t.Tokens[toks[j-1]].End]
	var titles []string
	nat := ""
	for b := k - 1; b >= 0; b-- {
		w := strings.ToLower(t.Word(toks[b]))
		if titleWords[w] || strings.HasSuffix(w, "-based") {
			titles = append(titles, w)
		} else if c := lexicon.Nationality(w); c != "" {
			nat = c
		}
	}
	return n, titles, nat
}

// isPlace reports whether a capitalised word is first of all a place
// ("Finland", "Geneva"), so that alone it is not taken for a surname.
func isPlace(w string) bool {
	return lexicon.Lookup(strings.ToLower(w)).First&lexicon.NounLocation != 0
}

func (s *state) unknownSurname(w string) bool {
	l := strings.ToLower(w)
	for _, a := range s.actors {
		if a.last == l {
			return false
		}
	}
	return true
}

// latest returns the most recently mentioned actor of a kind (any kind if
// empty) holding a role (any if empty) of a nationality (any if empty).
func (s *state) latest(kind extract.ActorKind, role, nat string) *actorState {
	var best *actorState
	for _, a := range s.actors {
		act := s.d.Actors[a.idx]
		if kind != "" && act.Kind != kind {
			continue
		}
		if role != "" && !holds(a, role) {
			continue
		}
		if nat != "" && a.nationality != "" && a.nationality != nat {
			continue
		}
		if best == nil || a.lastSeen > best.lastSeen {
			best = a
		}
	}
	return best
}

// holds reports whether an actor was titled with a role or a synonym of it.
func holds(a *actorState, role string) bool {
	for _, r := range roleSynonyms[role] {
		if a.titles[r] {
			return true
		}
	}
	return a.titles[role]
}

func (s *state) government(country string, sp extract.Span) *actorState {
	canon := "Government of " + country
	if i, ok := s.byName[strings.ToLower(canon)]; ok {
		return s.actors[i]
	}
	a := s.add(canon, extract.Government, "", sp)
	a.nationality = country
	return a
}

func stripDeterminer(s string) string {
	for _, d := range []string{"the ", "The ", "a ", "A ", "an ", "An "} {
		if strings.HasPrefix(s, d) {
			return s[len(d):]
		}
	}
	return s
}

func isOrg(l string) bool {
	for _, w := range strings.Fields(l) {
		w = strings.Trim(w, ",.'’")
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if orgWords[w] {
			return true
		}
	}
	return false
}

// roleOf returns the role a description names ("the head of state" → "head
// of state", "The Azerbaijani leader" → "leader" of Azerbaijan).
func roleOf(l string) (string, string) {
	nat := ""
	words := strings.Fields(l)
	var rest []string
	for _, w := range words {
		if c := lexicon.Nationality(w); c != "" {
			nat = c
			continue
		}
		rest = append(rest, w)
	}
	// "president of azerbaijan" lost its country above.
	for len(rest) > 1 && (rest[len(rest)-1] == "of" || rest[len(rest)-1] == "the" || rest[len(rest)-1] == "republic") {
		rest = rest[:len(rest)-1]
	}
	phrase := strings.Join(rest, " ")
	if i := strings.Index(phrase, " of "); i > 0 {
		of := strings.TrimPrefix(phrase[i+4:], "the ")
		if c := lexicon.Nationality(of); c != "" {
			nat = c
			phrase = phrase[:i]
		} else if strings.HasPrefix(of, "republic of ") {
			nat = lexicon.Nationality(of[len("republic of "):])
			phrase = phrase[:i]
		} else if lexicon.Lookup(of).First&lexicon.NounLocation != 0 {
			// A country the tables do not know: the role holds, the
			// nationality is not checked.
			phrase = phrase[:i]
		}
	}
	if _, ok := roleSynonyms[phrase]; ok || titleWords[phrase] {
		return phrase, nat
	}
	if len(rest) > 0 {
		last := rest[len(rest)-1]
		if _, ok := roleSynonyms[last]; ok || titleWords[last] {
			return last, nat
		}
	}
	return "", nat
}
