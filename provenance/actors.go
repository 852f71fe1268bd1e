package provenance

import (
	"slices"
	"strings"
	"unicode"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders/extract/lexicon"
)

// titleWords are words of titles and roles written around a name
// ("U.S. Secretary of State Antony Blinken"); a closed class.
var titleWords = setOf(`president vice secretary minister prime foreign defense defence interior finance
	state senator representative congressman congresswoman governor mayor mr mrs ms dr general colonel
	admiral chancellor king queen prince emir sheikh ambassador envoy spokesman spokeswoman spokesperson
	chief head leader chairman chairwoman chair director deputy former expert analyst official officer
	commander professor judge justice attorney lawyer candidate nominee ceo founder pope premier diplomat
	lawmaker legislator adviser advisor aide u.s us ex of the republic based us-based national security
	press service affairs`)

// resolveActors gives the actors of a document graph canonical names, so
// that the same actor gets the same ID ([graph.ActorID]) in every document,
// and merges, within the document, an actor named only by a role ("the
// President of Azerbaijan") into the one person of the document whose
// names hold that role ("President of the Republic of Azerbaijan Ilham
// Aliyev"). Across documents nothing is merged on a surname or a title
// alone: a title is held by different people at different times, and
// people share surnames.
func resolveActors(dg *graph.DocGraph) {
	if len(dg.Actors) == 0 {
		return
	}
	renamed := make(map[graph.ID]graph.ID)
	for i := range dg.Actors {
		a := &dg.Actors[i]
		if a.Kind == graph.ActorPerson || (a.Kind == graph.ActorUnknown && personName(a.Name) != "") {
			if n := fullName(a); n != "" && n != a.Name {
				a.Name = n
			}
			if personName(a.Name) != "" {
				a.Aliases = append(a.Aliases, titledForms(dg.Document.Text, a.Name)...)
			}
		}
		if c := governmentOf(a.Name); c != "" && a.Kind != graph.ActorPerson {
			a.Aliases = append(a.Aliases, a.Name)
			a.Name = "Government of " + titleCase(c)
			a.Kind = graph.ActorGovernment
		}
	}
	// Role actors into the document's one person holding the role.
	for i := range dg.Actors {
		r := &dg.Actors[i]
		if personName(r.Name) != "" {
			continue
		}
		role := roleTerms(r.Name)
		if len(role) < 2 || !hasTitle(r.Name) {
			continue
		}
		var holder *graph.Actor
		for j := range dg.Actors {
			p := &dg.Actors[j]
			if j == i || personName(p.Name) == "" {
				continue
			}
			for _, al := range append([]string{p.Name}, p.Aliases...) {
				if containsAll(roleTerms(al), role) {
					if holder != nil && holder != p {
						holder = nil
						goto next
					}
					holder = p
					break
				}
			}
		}
		if holder != nil {
			holder.Aliases = append(holder.Aliases, r.Name)
			holder.Aliases = append(holder.Aliases, r.Aliases...)
			renamed[r.ID] = canonicalID(holder)
			r.Name = holder.Name
		}
	next:
	}
	// New IDs from the canonical names; actors that now share one merge.
	byID := make(map[graph.ID]int)
	var out []graph.Actor
	for _, a := range dg.Actors {
		id := canonicalID(&a)
		if a.ID != id {
			renamed[a.ID] = id
		}
		a.ID = id
		if k, ok := byID[id]; ok {
			out[k].Aliases = append(out[k].Aliases, a.Aliases...)
			continue
		}
		byID[id] = len(out)
		out = append(out, a)
	}
	for i := range out {
		slices.Sort(out[i].Aliases)
		out[i].Aliases = slices.Compact(out[i].Aliases)
	}
	dg.Actors = out
	seen := make(map[[2]graph.ID]bool)
	edges := dg.Edges[:0]
	for _, e := range dg.Edges {
		if e.Kind == graph.Said {
			e.From = followRenames(renamed, byID, e.From)
			k := [2]graph.ID{e.From, e.To}
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		edges = append(edges, e)
	}
	dg.Edges = edges
}

// canonicalID returns the ID an actor has in every document: that of its
// canonical name, or, for a national border, customs or coast guard
// service and the people serving in it, that of the service (see
// [serviceOf]), so that "Azerbaijani border guards" in one article and
// "the State Border Service of Azerbaijan" in another are one actor.
func canonicalID(a *graph.Actor) graph.ID {
	if a.Kind != graph.ActorPerson {
		if s := serviceOf(a.Name); s != "" {
			return graph.ActorID(s)
		}
	}
	return graph.ActorID(a.Name)
}

// serviceDomains are the national services whose members are named after
// the service's domain ("border guards", "customs officers", "coast
// guards"); a closed class. Wider domains ("security officials", "police")
// name people of several bodies and are left alone.
var serviceDomains = setOf(`border frontier customs coast`)

// serviceWords are the heads of a service's name ("Border Guard Service",
// "Border Troops", "Customs Committee") and the nouns for its members
// ("border guards", "customs officers"); a closed class.
var serviceWords = setOf(`service services guard guards guardsmen troops patrol police agency committee
	department directorate administration force forces officers officials agents personnel staff`)

// serviceQualifiers are words an official name adds before the domain
// ("the State Border Service").
var serviceQualifiers = setOf(`state national federal`)

// serviceOf returns the canonical name of the national service a name
// stands for, "<domain> service of <country>": the service itself,
// named with its country's nationality or after "of" ("the Azerbaijani
// State Border Service", "State Border Guard Service of Ukraine"), or the
// people serving in it ("Azerbaijani border guards", "U.S. customs
// officers"); "" otherwise. Without a country nothing is returned: the
// border guards of an unnamed country may be anyone's.
func serviceOf(name string) string {
	ws := words(strings.ToLower(name))
	for i, w := range ws {
		ws[i] = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	}
	if len(ws) > 0 && ws[0] == "the" {
		ws = ws[1:]
	}
	country := ""
	if i := slices.Index(ws, "of"); i > 0 && i+1 < len(ws) {
		rest := strings.Join(ws[i+1:], " ")
		if country = lexicon.Country(rest); country == "" {
			return ""
		}
		ws = ws[:i]
	} else if len(ws) > 1 {
		if country = lexicon.Nationality(ws[0]); country == "" {
			return ""
		}
		ws = ws[1:]
	}
	if country == "" {
		return ""
	}
	for len(ws) > 0 && serviceQualifiers[ws[0]] {
		ws = ws[1:]
	}
	if len(ws) < 2 || !serviceDomains[ws[0]] {
		return ""
	}
	for _, w := range ws[1:] {
		if !serviceWords[w] {
			return ""
		}
	}
	domain := ws[0]
	if domain == "frontier" {
		domain = "border"
	}
	return domain + " service of " + strings.ToLower(country)
}

// followRenames follows the renames from actor id to an actor the
// document keeps (byID). Two actors may each have been renamed to the
// other (in one article "Anthony Fauci" took the longer "Dr. Anthony
// Fauci", which took its personal name back), so the walk is bounded by
// the number of renames and stops at the first kept actor.
func followRenames(renamed map[graph.ID]graph.ID, byID map[graph.ID]int, id graph.ID) graph.ID {
	for range len(renamed) + 1 {
		if _, kept := byID[id]; kept {
			return id
		}
		n, ok := renamed[id]
		if !ok {
			return id
		}
		id = n
	}
	return id
}

// governmentWords name a country's government as a whole ("the Armenian
// side", "the Azerbaijani authorities"); a closed class.
var governmentWords = setOf(`side authorities government leadership`)

// governmentOf returns the country whose government a name stands for:
// its capital ("Baku"), its own name ("Azerbaijan"), or its nationality
// with a word for government ("the Armenian side"); "" otherwise.
func governmentOf(name string) string {
	ws := words(strings.ToLower(name))
	if len(ws) > 0 && ws[0] == "the" {
		ws = ws[1:]
	}
	switch {
	case len(ws) == 1 && capitals[ws[0]] != "":
		return capitals[ws[0]]
	case len(ws) == 1 && countryNames[ws[0]]:
		return ws[0]
	case len(ws) == 2 && demonyms[ws[0]] != "" && governmentWords[ws[1]]:
		return demonyms[ws[0]]
	}
	return ""
}

// titledForms returns the forms in which text writes a person's name after
// a title ("President of the Republic of Azerbaijan Ilham Aliyev", "the
// U.S. Secretary of State, Antony Blinken"), which tell the roles the
// person holds in this document.
func titledForms(text, name string) []string {
	var out []string
	for from := 0; ; {
		i := strings.Index(text[from:], name)
		if i < 0 {
			break
		}
		i += from
		from = i + len(name)
		before := strings.TrimRight(text[max(0, i-80):i], " ,")
		ws := strings.Fields(before)
		k := len(ws)
		for k > 0 {
			w := ws[k-1]
			lw := strings.TrimSuffix(strings.ToLower(strings.Trim(w, ",'’")), ".")
			if strings.ContainsAny(w, ";:") || (strings.HasSuffix(w, ".") && !strings.Contains(lw, ".")) {
				break // the end of a sentence, not an abbreviation like U.S.
			}
			if !(titleWords[lw] || demonyms[lw] != "" || countryNames[lw] || lw == "of" || lw == "the") {
				break
			}
			k--
		}
		prefix := strings.Join(ws[k:], " ")
		if prefix != "" && hasTitle(prefix) {
			out = append(out, prefix+" "+name)
		}
	}
	return out
}

func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// words splits a name into words, keeping inner dots and hyphens.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '\'' || r == '’')
	})
}

// personName returns the trailing personal name of a form ("Antony
// Blinken" of "U.S. Secretary of State Antony Blinken"): the capitalised
// words after the last title word, when there are two or three of them.
func personName(form string) string {
	ws := words(form)
	i := len(ws)
	for i > 0 {
		w := ws[i-1]
		lw := strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s"))
		if !unicode.IsUpper([]rune(w)[0]) || titleWords[lw] || demonyms[lw] != "" || stopWords[lw] || capitals[lw] != "" || countryNames[lw] {
			break
		}
		i--
	}
	n := len(ws) - i
	if n < 2 || n > 3 {
		return ""
	}
	return strings.Join(ws[i:], " ")
}

// fullName returns the longest personal name among an actor's forms that
// ends with the surname of its name, or "" if none is longer.
func fullName(a *graph.Actor) string {
	best := personName(a.Name)
	ws := words(a.Name)
	if len(ws) == 0 {
		return best
	}
	surname := ws[len(ws)-1]
	for _, al := range a.Aliases {
		n := personName(al)
		if n == "" || !strings.HasSuffix(n, " "+surname) {
			continue
		}
		if len(n) > len(best) {
			best = n
		}
	}
	return best
}

// roleTerms returns the normalised words of a role description: titles and
// countries, nationality adjectives folded to their country.
func roleTerms(form string) []string {
	var out []string
	for _, w := range words(form) {
		lw := strings.TrimSuffix(strings.ToLower(w), ".")
		if c, ok := demonyms[lw]; ok {
			lw = c
		}
		if c, ok := synonyms[lw]; ok {
			lw = c
		}
		if stopWords[lw] || lw == "republic" {
			continue
		}
		out = append(out, lw)
	}
	return out
}

func hasTitle(form string) bool {
	for _, w := range words(form) {
		lw := strings.ToLower(w)
		if titleWords[lw] && !stopWords[lw] && lw != "republic" && lw != "state" {
			return true
		}
	}
	return false
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
