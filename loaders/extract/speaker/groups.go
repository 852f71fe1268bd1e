package speaker

import (
	"fmt"
	"strings"

	"github.com/provgraph/provgraph/loaders/extract"
	"github.com/provgraph/provgraph/loaders/extract/lexicon"
)

// institutions are organisation heads written "Ministry of X of Country"
// in a canonical name; other organisations keep the form the text uses
// ("Russian peacekeeping contingent", "Azerbaijani border guards").
var institutions = set(`ministry service department office council committee agency embassy administration
	parliament assembly commission directorate bureau government cabinet court senate congress`)

// ministryDomains are what a ministry is "of" when the text puts it first
// ("the Defense Ministry").
var ministryDomains = set(`defense defence foreign interior justice finance health education economy energy
	agriculture culture emergency emergencies labor labour trade transport`)

// governing are the words with which a country's government is named
// through its nationality ("the Armenian authorities").
var governing = set(`authorities government leadership side`)

// functionWords end a group mention on its left.
var functionWords = set(`the a an of in on at by for from with to and or but as than that which who whom
	whose this these those its their his her our my your some many most all several both few other such
	no not been be being is are was were has have had said says told`)

// orgName writes an organisation mention as its canonical name: "Armenian
// Ministry of Foreign Affairs" → "Ministry of Foreign Affairs of Armenia",
// "The Armenian Defense Ministry" → "Ministry of Defence of Armenia"
// (ministries other than the United States' Department of Defense write
// "Defence" in English). Organisations that are not institutions keep the
// text's form.
func orgName(body string) string {
	words := strings.Fields(body)
	country := ""
	if len(words) > 1 {
		w0 := strings.ToLower(words[0])
		if c := lexicon.Nationality(w0); c != "" && lexicon.Country(w0) == "" && lexicon.Country("the "+w0) == "" {
			country, words = c, words[1:]
		}
	}
	if len(words) == 2 && ministryDomains[strings.ToLower(words[0])] && strings.EqualFold(words[1], "ministry") {
		words = []string{"Ministry", "of", words[0]}
	}
	if len(words) >= 3 && strings.EqualFold(words[0], "ministry") && strings.EqualFold(words[1], "of") && strings.EqualFold(words[2], "defense") {
		words[2] = "Defence"
	}
	rest := strings.Join(words, " ")
	lr := strings.ToLower(rest)
	if country == "" {
		return rest
	}
	head := lr
	if i := strings.Index(lr, " of "); i > 0 {
		head = lr[:i]
	}
	if f := strings.Fields(head); len(f) == 0 || !institutions[f[len(f)-1]] || strings.ContainsAny(head, "'’") {
		return body
	}
	if !strings.Contains(lr, " of ") || strings.HasPrefix(lr, "ministry of ") && strings.Count(lr, " of ") == 1 {
		return rest + " of " + country
	}
	return body
}

// governmentOf returns the country whose government a description names:
// "armenian authorities", "azerbaijani government", "the government of
// armenia".
func governmentOf(l string) string {
	f := strings.Fields(l)
	switch {
	case len(f) == 2 && governing[f[1]]:
		if c := lexicon.Nationality(f[0]); c != "" {
			return c
		}
	case len(f) >= 3 && f[0] == "government" && f[1] == "of":
		return lexicon.Nationality(strings.TrimPrefix(strings.Join(f[2:], " "), "the "))
	}
	return ""
}

// scanGroups finds plural mentions of people or groups ("Azerbaijani
// environmental activists", "protesters"): a plural noun whose senses
// include a person or whose first sense is a group, with up to three
// modifiers before it.
func (s *state) scanGroups() []group {
	t := s.d.Text
	var out []group
	for _, sent := range t.Sentences {
		for i := sent.First; i < sent.Last; i++ {
			if t.Tokens[i].Kind != extract.Word {
				continue
			}
			w := strings.ToLower(t.Word(i))
			if len(w) < 4 || (w[len(w)-1] != 's' && !strings.HasSuffix(w, "men")) || functionWords[w] {
				continue
			}
			e := lexicon.Lookup(w)
			if e.Lemma == "" || e.Lemma == w || (e.Any&lexicon.NounPerson == 0 && e.First&lexicon.NounGroup == 0) {
				continue
			}
			j := i
			for j > sent.First && i-j < 3 && t.Tokens[j-1].Kind == extract.Word {
				p := strings.ToLower(t.Word(j - 1))
				// A capital letter ends the group unless it is a
				// nationality or opens the sentence ("Local fishermen").
				if functionWords[p] || stopWords[p] || monthsDays[p] || (isCapitalized(t.Word(j-1)) && lexicon.Nationality(p) == "" && j-1 != sent.First) {
					break
				}
				j--
			}
			sp := extract.Span{Start: t.Tokens[j].Start, End: t.Tokens[i].End}
			out = append(out, group{span: sp, text: t.Src[sp.Start:sp.End]})
		}
	}
	return out
}

// issuedPhrase is "a statement from X": a written text and who issued it.
type issuedPhrase struct {
	noun   string
	issuer extract.Span
}

// scanIssued finds "a statement from the ministry", "a report by the
// OSCE", "the release of the press service": a written noun, then from, by
// or of, then a mention holding a name or an organisation word.
func (s *state) scanIssued() []issuedPhrase {
	t := s.d.Text
	var out []issuedPhrase
	for _, sent := range t.Sentences {
		for i := sent.First; i+2 < sent.Last; i++ {
			noun := strings.ToLower(t.Word(i))
			if !lexicon.Written(noun) {
				continue
			}
			k := i + 1
			if p := strings.ToLower(t.Word(k)); p == "issued" || p == "released" || p == "published" {
				k++
			}
			if p := strings.ToLower(t.Word(k)); p != "from" && p != "by" && p != "of" {
				continue
			}
			k++
			e, named := k, false
			for e < sent.Last && e-k < 8 && t.Tokens[e].Kind == extract.Word {
				w := t.Word(e)
				lw := strings.ToLower(w)
				if e > k && functionWords[lw] && lw != "of" && lw != "the" {
					break
				}
				if isCapitalized(w) || orgWords[strings.TrimSuffix(strings.TrimSuffix(lw, "'s"), "’s")] {
					named = true
				}
				e++
			}
			if e > k && named {
				out = append(out, issuedPhrase{noun: noun, issuer: extract.Span{Start: t.Tokens[k].Start, End: t.Tokens[e-1].End}})
			}
		}
	}
	return out
}

// issued records that an actor issued a written text.
func (s *state) issued(noun string, a *actorState, at int) {
	s.issuers = append(s.issuers, issuer{noun: noun, actor: a, at: at, text: s.d.Actors[a.idx].Name})
}

// issuerOf returns who issued the written text a short description names
// ("statement", "joint statement", "ministry's report"): the latest issuer
// of a text of the same kind before pos, else of any kind.
func (s *state) issuerOf(body string, pos int) (issuer, bool) {
	f := strings.Fields(body)
	if len(f) == 0 || len(f) > 3 || !lexicon.Written(f[len(f)-1]) {
		return issuer{}, false
	}
	noun := f[len(f)-1]
	var same, anyKind *issuer
	for i := range s.issuers {
		is := &s.issuers[i]
		if is.at >= pos {
			continue
		}
		if is.noun == noun {
			same = is
		}
		anyKind = is
	}
	switch {
	case same != nil:
		return *same, true
	case anyKind != nil:
		return *anyKind, true
	}
	return issuer{}, false
}

// collective resolves "it" to the organisation or government named last,
// and "they", "them" and "we" to the latest of that and a plural mention of
// people.
func (s *state) collective(lw, text string, src extract.Span, res func(*actorState, string, string, float64) *extract.Resolution) *extract.Resolution {
	var best *actorState
	for _, a := range s.actors {
		k := s.d.Actors[a.idx].Kind
		if k != extract.Organization && k != extract.Government {
			continue
		}
		if a.lastSeen <= src.Start && (best == nil || a.lastSeen > best.lastSeen) {
			best = a
		}
	}
	if lw != "it" {
		var g *group
		for i := range s.groups {
			if s.groups[i].span.End <= src.Start {
				g = &s.groups[i]
			}
		}
		if g != nil && (best == nil || g.span.End > best.lastSeen) {
			a := s.orgActor(g.text, g.span)
			return res(a, RuleGroup, fmt.Sprintf("%q refers to %s, the last group named before it", text, g.text), 0.6)
		}
	}
	if best == nil {
		return nil
	}
	return res(best, RulePronoun, fmt.Sprintf("%q refers to %s, the last organisation named before it", text, s.d.Actors[best.idx].Name), 0.5)
}

// orgActor returns the organisation a mention names, adding it if new.
func (s *state) orgActor(body string, sp extract.Span) *actorState {
	canon := orgName(stripDeterminer(body))
	if i, ok := s.byName[strings.ToLower(canon)]; ok {
		s.alias(i, body, sp)
		return s.actors[i]
	}
	return s.add(canon, extract.Organization, "", sp)
}

// narrow returns the part of a source mention that names the speaker: the
// issuer of "a statement from the Armenian government's press service",
// the first of "The Prime Minister of Armenia and the US Secretary of
// State" (a joint statement is attributed to the first named).
func (s *state) narrow(src extract.Span) extract.Span {
	t := s.d.Text
	first, last := t.TokensIn(src)
	for i := first; i+2 < last; i++ {
		if !lexicon.Written(strings.ToLower(t.Word(i))) {
			continue
		}
		k := i + 1
		if p := strings.ToLower(t.Word(k)); p == "issued" || p == "released" || p == "published" {
			k++
		}
		if p := strings.ToLower(t.Word(k)); (p == "from" || p == "by" || p == "of") && k+1 < last {
			return extract.Span{Start: t.Tokens[k+1].Start, End: src.End}
		}
	}
	for i := first + 1; i+1 < last; i++ {
		if w := t.Word(i); w != "and" && w != "&" {
			continue
		}
		next := t.Word(i + 1)
		if isCapitalized(next) || next == "the" || next == "his" || next == "her" {
			return extract.Span{Start: src.Start, End: t.Tokens[i-1].End}
		}
	}
	return src
}

// issuedAfter returns the written noun of "in a statement", "in a Sunday
// statement" within the few words after a cue, or "".
func (s *state) issuedAfter(cue extract.Span) string {
	t := s.d.Text
	_, i := t.TokensIn(cue)
	if i >= len(t.Tokens) || !strings.EqualFold(t.Word(i), "in") {
		return ""
	}
	for k := i + 1; k < len(t.Tokens) && k <= i+4; k++ {
		w := strings.ToLower(t.Word(k))
		if lexicon.Written(w) {
			return w
		}
		if t.Tokens[k].Kind != extract.Word {
			break
		}
	}
	return ""
}
