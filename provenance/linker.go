package provenance

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/provgraph/provgraph/graph"
)

// Rules of the edges the linker makes.
const (
	RuleSameSpeechAct = "claim:same-speech-act" // the same speaker's same utterance reported again
	RuleRepeat        = "claim:repeat"          // a later statement of the same claim
	RuleOpposite      = "disputes:polarity"     // the same proposition negated by another actor
	RuleDenial        = "disputes:denial"       // an explicit denial cue aimed at another actor's claim
	RuleValence       = "disputes:evaluation"   // the same act judged oppositely by another actor
	RuleRelay         = "cited:relay"           // a statement whose content holds another statement
	RuleActorRelay    = "cited:relay-actor"     // the speaker of such a statement → the relayed one
)

// ErrUnchanged is returned by [Linker.Link] for a document already stored
// from the same extraction: the caller need not write it again. It is
// [graph.ErrUnchanged], so that callers outside this package can tell.
var ErrUnchanged = graph.ErrUnchanged

// Index key prefixes the linker writes besides the term keys.
const (
	keySource    = "g:"  // "g:<hash>": the extraction the document was linked from
	keyPropClaim = "pc:" // "pc:<i>:<claim>": proposition i of the statement asserts claim
)

// Thresholds. Precision first: a claim joins statements only on strong
// overlap of their normalised terms, with agreeing numbers and polarity.
const (
	sameDice          = 0.55 // Dice over the terms' information for the same claim
	sameMinInfo       = 2.5  // information two propositions must share to be the same claim
	sameMinTerms      = 3    // and terms ("a witch hunt" is a phrase, not a claim)
	sameWordDice      = 0.45 // and over content words alone
	sameContainment   = 0.8  // or this share of the smaller proposition...
	sameContainedInfo = 4    // ...when it holds at least this much information
	sameMinDice       = 0.3  // ...and the Dice is at least this
	distantDice       = 0.8  // Dice two statements of different speakers months apart need to be the same claim
	distantDays       = 90   // how far apart their dates are for that
	topicShared       = 3.0  // weight two propositions must share to be on one topic
	postingLimit      = 64   // keys with more statements are too common to look up
	maxCandidates     = 256  // stored statements a removal relinks to at most
	perProposition    = 8    // stored statements compared with each proposition of a new document
	minShared         = 2    // score (keys shared, weighted by kind and rarity) a stored statement needs with one of them
)

// Linker links each new document to the graph before it is written: it
// groups statements into claims, resolves actors, completes dates of the
// same speech act, and adds cited and disputes edges with their evidence.
//
// A Linker is not safe for concurrent use: documents are linked one at a
// time, in load order.
type Linker struct {
	ix    overlay
	props propCache
	sides sideCache
	cues  map[string]bool // whether each cue seen is a denial
}

// New returns a linker reading the stored graph's index idx (nil for none:
// only the documents linked since the last [Linker.Flush] are seen).
func New(idx graph.Index) *Linker {
	return &Linker{ix: overlay{front: NewMemIndex(), back: idx}}
}

// Flush forgets the documents linked so far, once they are written to the
// store whose index the linker reads. Call it after each [graph.Store.Put]
// of a batch; until then the batch's documents see each other through the
// linker.
func (l *Linker) Flush() { l.ix.front = NewMemIndex() }

// Forget forgets the given documents linked so far, once they are written
// to the store: [Linker.Flush] for one batch while the next is being
// linked.
func (l *Linker) Forget(docs ...graph.ID) { l.ix.front.Forget(docs...) }

// prop is one proposition of a statement: a clause of its content.
type prop struct {
	text string
	f    features
}

// clauseBreak splits content into propositions: coordinated clauses and
// sentences.
var clauseBreak = regexp.MustCompile(`(?i)(;|\.\s+|,?\s+as well as(?: the fact)?(?: that)?\s+|,\s+(?:while|whereas|and|but)\s+|,\s+(?:adding|noting|stressing|saying) that\s+|\s+and (?:that|the)\s+|,\s+(?:was|were|is|are|had|has|have|would|will)\s+)`)

// clauses splits content at [clauseBreak], except at the full stop of an
// abbreviation ("the U.S. Attorney's Office", "Mr. Smith").
func clauses(content string) []string {
	var out []string
	from := 0
	for _, m := range clauseBreak.FindAllStringIndex(content, -1) {
		if content[m[0]] == '.' && abbreviation(content[from:m[0]]) {
			continue
		}
		out = append(out, content[from:m[0]])
		from = m[1]
	}
	return append(out, content[from:])
}

// abbreviations end with a full stop without ending a sentence; a closed
// class, besides single letters ("U.S.", "John F. Kennedy").
var abbreviations = setOf(`mr mrs ms dr st sen rep gov gen lt col sgt capt adm prof rev jr sr no vs
	jan feb mar apr aug sept sep oct nov dec inc corp co ltd dept est`)

// abbreviation reports whether text ends with an abbreviation whose full
// stop follows it.
func abbreviation(text string) bool {
	i := strings.LastIndexFunc(text, func(r rune) bool { return !unicode.IsLetter(r) })
	w := text
	if i >= 0 {
		_, size := utf8.DecodeRuneInString(text[i:])
		w = text[i+size:]
	}
	if i >= 0 && text[i] == '.' && len(w) == 1 {
		return true // "U.S", "D.C"
	}
	return len(w) == 1 && unicode.IsUpper(rune(w[0])) || abbreviations[strings.ToLower(w)]
}

// propositions splits a statement's content into its propositions.
func propositions(content string) []prop {
	var out []prop
	for _, part := range clauses(content) {
		part = strings.TrimSpace(part)
		f := analyse(part, false)
		if len(f.terms) < 2 {
			continue
		}
		// A coordinated predicate ("Azerbaijan was committed to peace,
		// was ready for normalization") keeps the clause's subject.
		if f.subject == "" && len(out) > 0 {
			f.subject = out[len(out)-1].f.subject
		}
		out = append(out, prop{text: part, f: f})
	}
	if len(out) == 0 {
		out = append(out, prop{text: strings.TrimSpace(content), f: analyse(content, false)})
	}
	// A quotation of eight words or more is a proposition of its own: the
	// same words quoted in two reports are the same claim, whatever each
	// report wraps around them. A content that is one quotation needs no
	// second proposition for it, unless splitting it into clauses left
	// part of it out ("I said it, I was wrong, and I apologize").
	for _, q := range quotations(content) {
		q = strings.TrimSpace(q)
		if len(strings.Fields(q)) < 8 || len(out) == 1 && strings.Trim(out[0].text, `"“” `) == q {
			continue
		}
		out = append(out, prop{text: q, f: analyse(q, false)})
	}
	return out
}

// quotation matches text between double quotation marks.
var quotation = regexp.MustCompile(`[“"]([^“”"]+)[”"]`)

// quotations returns the quoted passages of a statement's content: those
// between double quotation marks, and those the statement's span cuts, from
// the start of the content to a closing mark no opening one precedes
// (`Politics Is a Joke: How TV Comedians Are Remaking Political Life,"
// that partisan ...`) or from an opening mark never closed to the end.
// A straight mark closes when it follows a word or punctuation, and opens
// when a word follows it.
func quotations(content string) []string {
	ms := quotation.FindAllStringSubmatchIndex(content, -1)
	head, tail := content, content
	if len(ms) > 0 {
		head, tail = content[:ms[0][0]], content[ms[len(ms)-1][1]:]
	}
	var out []string
	if i := strings.IndexAny(head, `"“”`); i > 0 && closes(head, i) {
		out = append(out, head[:i])
		if len(ms) == 0 {
			return out // the one mark closes: it opens nothing
		}
	}
	for _, m := range ms {
		out = append(out, content[m[2]:m[3]])
	}
	if i := strings.LastIndexAny(tail, `"“”`); i >= 0 && opens(tail, i) {
		_, n := utf8.DecodeRuneInString(tail[i:])
		out = append(out, tail[i+n:])
	}
	return out
}

// closes reports whether the quotation mark at byte i of s closes a
// quotation: a curly closing mark, or a straight one right after a word or
// punctuation.
func closes(s string, i int) bool {
	if strings.HasPrefix(s[i:], "”") {
		return true
	}
	if !strings.HasPrefix(s[i:], `"`) || i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !unicode.IsSpace(r)
}

// opens reports whether the quotation mark at byte i of s opens a
// quotation: a curly opening mark, or a straight one right before a word.
func opens(s string, i int) bool {
	if strings.HasPrefix(s[i:], "“") {
		return true
	}
	if !strings.HasPrefix(s[i:], `"`) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i+1:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// candidate is a stored (or batched) statement with its propositions, and
// what the dispute rules ask of it, worked out once.
type candidate struct {
	x      graph.IndexedStatement
	props  []prop     // shared with the linker's cache: read only
	claims []graph.ID // the claim of each proposition, "" when unknown
	bands  [][]string // each proposition's LSH band keys (the document's own)

	terms []termID // every proposition's term IDs, sorted; shared, read only
	side  *side    // its speaker's side, once asked
	deny  int8     // 0 unknown, 1 denies, -1 does not
}

// analysis is what the linker keeps of a content: its propositions and
// the union of their term IDs.
type analysis struct {
	props []prop
	terms []termID
}

// propCache keeps the propositions of recently seen contents of stored
// statements that come without their analysis (restored, or indexed by
// an older version): such a statement comes back as a candidate of many
// documents. It holds two generations of up to propCacheSize contents
// each, the older one dropped when the newer fills, so that the contents
// in use stay whatever the size of the graph. It keeps them trimmed (see
// [analysis.trim]), about a fifth of their size, so that it can hold
// many: a document's candidates come from anywhere in the graph, and one
// the cache has lost is analysed again.
type propCache struct {
	cur, old map[string]*analysis
}

const propCacheSize = 150000

// get returns the propositions of a stored statement's content, trimmed,
// and the union of their term IDs. The caller must not change them: they
// are shared by every statement with that content.
func (pc *propCache) get(content string) ([]prop, []termID) {
	a, ok := pc.cur[content]
	if !ok {
		if a, ok = pc.old[content]; !ok {
			a = newAnalysis(content).trim()
		}
		pc.put(content, a)
	}
	return a.props, a.terms
}

func (pc *propCache) put(content string, a *analysis) {
	if pc.cur == nil || len(pc.cur) >= propCacheSize {
		pc.old, pc.cur = pc.cur, make(map[string]*analysis)
	}
	pc.cur[content] = a
}

// trim returns the analysis without its propositions' terms, only their
// IDs: a stored statement's propositions are compared by their IDs, and
// only a document's own need the terms' keys.
func (a *analysis) trim() *analysis {
	t := &analysis{props: make([]prop, len(a.props)), terms: a.terms}
	for i, p := range a.props {
		p.f.terms = nil
		p.f.ids = slices.Clone(p.f.ids)
		t.props[i] = p
	}
	return t
}

func newAnalysis(content string) *analysis {
	a := &analysis{props: propositions(content)}
	n := 0
	for _, p := range a.props {
		n += len(p.f.ids)
	}
	a.terms = make([]termID, 0, n)
	for _, p := range a.props {
		a.terms = append(a.terms, p.f.ids...)
	}
	slices.Sort(a.terms)
	a.terms = slices.Clip(slices.Compact(a.terms))
	return a
}

// side is what the dispute rules ask of a statement's speaker.
type side struct {
	countries []string // the countries its names tie it to, sorted
	surname   string   // the last word of its personal name, or ""
}

// sideCache keeps what each form of a name tells of a speaker's side
// (the same forms come back with every document about the same people),
// and each actor's side with the names it was worked out from.
type sideCache struct {
	forms  map[string]*side
	actors map[graph.ID]actorSide
}

type actorSide struct {
	name    string
	aliases []string
	side    *side
}

const sideCacheSize = 100000

// form returns the side one name form gives.
func (sc *sideCache) form(n string) *side {
	if sd, ok := sc.forms[n]; ok {
		return sd
	}
	sd := &side{countries: countriesOf(n)}
	if pn := personName(n); pn != "" {
		ws := words(pn)
		sd.surname = ws[len(ws)-1]
	}
	if sc.forms == nil || len(sc.forms) >= sideCacheSize {
		sc.forms = make(map[string]*side)
	}
	sc.forms[n] = sd
	return sd
}

// get returns an actor's side: the countries all its names tie it to, the
// surname of its name.
func (sc *sideCache) get(a *graph.Actor) *side {
	if a == nil {
		return &side{}
	}
	first := sc.form(a.Name)
	if len(a.Aliases) == 0 {
		return first
	}
	if e, ok := sc.actors[a.ID]; ok && e.name == a.Name && slices.Equal(e.aliases, a.Aliases) {
		return e.side
	}
	sd := &side{surname: first.surname, countries: slices.Clone(first.countries)}
	for _, n := range a.Aliases {
		sd.countries = append(sd.countries, sc.form(n).countries...)
	}
	slices.Sort(sd.countries)
	sd.countries = slices.Compact(sd.countries)
	if sc.actors == nil || len(sc.actors) >= sideCacheSize {
		sc.actors = make(map[graph.ID]actorSide)
	}
	sc.actors[a.ID] = actorSide{a.Name, slices.Clone(a.Aliases), sd}
	return sd
}

// sideOf returns the side of candidate c's speaker.
func (l *Linker) sideOf(c *candidate) *side {
	if c.side == nil {
		c.side = l.sides.get(c.x.Speaker)
	}
	return c.side
}

func (l *Linker) newCandidate(x graph.IndexedStatement, keys []string) *candidate {
	c := &candidate{x: x}
	if a, err := decodeAnalysis(x.Statement.Content.Text, x.Analysis); err == nil {
		c.props, c.terms = a.props, a.terms
	} else {
		// Stored without an analysis (restored, or by an older version).
		c.props, c.terms = l.props.get(x.Statement.Content.Text)
	}
	c.claims = make([]graph.ID, len(c.props))
	// The keys are sorted: the claims of the propositions are together.
	i, _ := slices.BinarySearch(keys, keyPropClaim)
	for _, k := range keys[i:] {
		rest, ok := strings.CutPrefix(k, keyPropClaim)
		if !ok {
			break
		}
		i, claim, ok := strings.Cut(rest, ":")
		n, err := strconv.Atoi(i)
		if ok && err == nil && n < len(c.props) {
			c.claims[n] = graph.ID(claim)
		}
	}
	if len(c.props) > 0 && c.claims[0] == "" {
		c.claims[0] = x.Statement.Claim
	}
	return c
}

// speakerOf returns the ID of a statement's speaker, or "".
func speakerOf(x graph.IndexedStatement) graph.ID {
	if x.Speaker == nil {
		return ""
	}
	return x.Speaker.ID
}

// Link links dg, which is about to be written, to the documents already
// stored or linked in the same batch. It changes dg in place: actors get
// canonical IDs, statements their claims (and, for a partial date that
// another document's report of the same utterance gives in full, that
// date), and dg gets the claims, the cited and disputes edges and the index
// entries of its statements.
func (l *Linker) Link(ctx context.Context, dg *graph.DocGraph) error {
	// A document stored from the same extraction is left as it is: what
	// it links to depends on what was stored before it, and loading it
	// again must change nothing.
	b, err := json.Marshal(dg)
	if err != nil {
		return fmt.Errorf("provenance: %w", err)
	}
	sum := sha256.Sum256(b)
	source := keySource + hex.EncodeToString(sum[:12])
	if len(dg.Statements) > 0 {
		ids, _, err := l.ix.lookup(ctx, source, postingLimit)
		if err != nil {
			return fmt.Errorf("provenance: look up %q: %w", source, err)
		}
		for _, id := range ids {
			if docOf(id) == dg.Document.ID && !l.ix.front.Has(dg.Document.ID) {
				return ErrUnchanged
			}
		}
	}
	resolveActors(dg)
	doc := dg.Document.ID
	speaker := make(map[graph.ID]graph.ID)
	actors := make(map[graph.ID]*graph.Actor)
	for i := range dg.Actors {
		actors[dg.Actors[i].ID] = &dg.Actors[i]
	}
	for _, e := range dg.Edges {
		if e.Kind == graph.Said {
			speaker[e.To] = e.From
		}
	}
	// The document's own statements, as candidates of each other.
	own := make([]*candidate, len(dg.Statements))
	for i, st := range dg.Statements {
		st.Document = doc
		x := graph.IndexedStatement{Statement: st, Published: dg.Document.Published}
		if a := actors[speaker[st.ID]]; a != nil {
			x.Speaker = a
		}
		own[i] = &candidate{x: x}
		// The propositions with their terms' keys, which the index
		// entries are made of; the analysis goes with them, for when the
		// statement is a candidate of later documents.
		a := newAnalysis(st.Content.Text)
		own[i].props, own[i].terms = a.props, a.terms
		own[i].claims = make([]graph.ID, len(own[i].props))
	}
	cands, err := l.candidates(ctx, doc, own)
	if err != nil {
		return err
	}

	// Claims, in text order: each proposition joins the best matching
	// claim of a stored statement or of an earlier one of the document.
	type match struct {
		c    *candidate
		sim  float64
		self int // index of the own statement
	}
	matches := make([][]match, len(own))
	for i, s := range own {
		for pi := range s.props {
			p := &s.props[pi]
			var best *candidate
			bestSim, bestClaim := 0.0, graph.ID("")
			consider := func(c *candidate) {
				for ci := range c.props {
					cp, claim := &c.props[ci], c.claims[ci]
					if claim == "" || cp.f.neg != p.f.neg || !mayBeSame(&p.f, &cp.f) {
						continue
					}
					// Ties go to the smaller claim, then to the earlier
					// statement, whatever order the candidates come in.
					sim, ok := sameFeatures(&p.f, &cp.f)
					if ok && sim < distantDice && distant(s.x, c.x) {
						continue
					}
					if ok && (sim > bestSim || sim == bestSim && (claim < bestClaim || claim == bestClaim && before(c.x, best.x))) {
						best, bestSim, bestClaim = c, sim, claim
					}
				}
			}
			for _, c := range cands {
				consider(c)
			}
			for _, c := range own[:i] {
				consider(c)
			}
			if best != nil {
				s.claims[pi] = bestClaim
				matches[i] = append(matches[i], match{c: best, sim: bestSim})
			} else {
				s.claims[pi] = graph.ClaimID(claimKey(p))
			}
		}
	}

	// Dates: a statement whose date lacks its year takes the full date of
	// the same speaker's matching statement elsewhere with the same month
	// and day: the same speech act, dated by another report.
	for i, s := range own {
		d := s.x.Statement.Date
		if d == nil || d.Precision != graph.PrecisionUnknown || !strings.HasPrefix(d.Value, "--") {
			continue
		}
		for _, m := range matches[i] {
			md := m.c.x.Statement.Date
			if md == nil || md.Precision != graph.PrecisionDay || speakerOf(m.c.x) == "" || speakerOf(m.c.x) != speakerOf(s.x) {
				continue
			}
			if strings.HasSuffix(md.Value, d.Value[1:]) {
				full := *md
				dg.Statements[i].Date = &full
				s.x.Statement.Date = &full
				break
			}
		}
	}

	// Claims and index entries.
	claims := make(map[graph.ID]bool)
	dg.Claims = dg.Claims[:0]
	dg.Index = dg.Index[:0]
	for i, s := range own {
		st := &dg.Statements[i]
		asserted := make(map[graph.ID]bool)
		keys := make(map[string]bool)
		for pi := range s.props {
			p, claim := &s.props[pi], s.claims[pi]
			if !claims[claim] {
				claims[claim] = true
				dg.Claims = append(dg.Claims, graph.Claim{ID: claim, Text: p.text})
			}
			if !asserted[claim] {
				asserted[claim] = true
				dg.Index = append(dg.Index, graph.IndexEntry{Statement: st.ID, Claim: claim})
			}
			keys[keyPropClaim+strconv.Itoa(pi)+":"+string(claim)] = true
			for _, k := range s.bands[pi] {
				keys[k] = true
			}
			for _, t := range p.f.terms {
				keys[t.key] = true
			}
		}
		st.Claim = s.claims[0]
		dg.Index = append(dg.Index, graph.IndexEntry{Statement: st.ID, Analysis: encodeAnalysis(st.Content.Text, &analysis{props: s.props, terms: s.terms})})
		if i == 0 {
			keys[source] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		slices.Sort(sorted)
		for _, k := range sorted {
			dg.Index = append(dg.Index, graph.IndexEntry{Statement: st.ID, Key: k})
		}
	}

	// Edges.
	edges := make(map[[3]string]bool)
	addEdge := func(kind graph.EdgeKind, from, to *candidate, rule string, conf float64, note string) {
		if from.x.Statement.ID == to.x.Statement.ID {
			return
		}
		k := [3]string{string(kind), string(from.x.Statement.ID), string(to.x.Statement.ID)}
		if edges[k] {
			return
		}
		edges[k] = true
		// The evidence is the span of the new document's statement.
		ev := graph.Evidence{Document: doc, Rule: rule, Confidence: min(1, conf), Note: note}
		mine := from
		if from.x.Statement.Document != doc {
			mine = to
		}
		if sp := mine.x.Statement.Content.Spans; len(sp) > 0 {
			s := sp[0]
			ev.Span = &s
		}
		dg.Edges = append(dg.Edges, graph.Edge{Kind: kind, From: from.x.Statement.ID, To: to.x.Statement.ID, Evidence: ev})
	}
	// Relays: a statement whose content holds another's ("Miller said:
	// 'Blinken emphasized ...'") relays it, and so does its speaker.
	for _, s := range own {
		for _, c := range own {
			if c == s || !embeds(s, c) || speakerOf(s.x) == speakerOf(c.x) {
				continue
			}
			addEdge(graph.Cited, s, c, RuleRelay, 0.9, "relays "+shorten(c.x.Statement.Content.Text))
			if a := speakerOf(s.x); a != "" {
				sp := c.x.Statement.Content.Spans[0]
				k := [3]string{string(graph.Cited), string(a), string(c.x.Statement.ID)}
				if !edges[k] {
					edges[k] = true
					dg.Edges = append(dg.Edges, graph.Edge{Kind: graph.Cited, From: a, To: c.x.Statement.ID,
						Evidence: graph.Evidence{Document: doc, Span: &sp, Rule: RuleActorRelay, Confidence: 0.8}})
				}
			}
		}
	}
	all := append(append([]*candidate{}, cands...), own...)
	for i, s := range own {
		for _, m := range matches[i] {
			c := m.c
			if c.x.Statement.Document == doc && speakerOf(c.x) == speakerOf(s.x) {
				continue // the same speaker saying it twice in one document
			}
			if c.x.Statement.Document == doc && (embeds(s, c) || embeds(c, s)) {
				continue // a relay, not a repeat
			}
			later, earlier := s, c
			if before(s.x, c.x) {
				later, earlier = c, s
			}
			rule := RuleRepeat
			if speakerOf(s.x) != "" && speakerOf(s.x) == speakerOf(c.x) && sameDay(s.x, c.x) {
				rule = RuleSameSpeechAct
			}
			addEdge(graph.Cited, later, earlier, rule, m.sim, "")
		}
		for ci, c := range all {
			if c == s || c.x.Statement.ID == s.x.Statement.ID {
				continue
			}
			// Within the document, pairs are looked at once, from the
			// later statement.
			if c.x.Statement.Document == doc && ci >= len(cands) && ci-len(cands) >= i {
				continue
			}
			if sa, sb := speakerOf(s.x), speakerOf(c.x); sa == "" || sb == "" || sa == sb {
				continue
			}
			if !shareTerms(s.terms, c.terms, 2) || l.sameSide(s, c) {
				continue
			}
			for _, kind := range l.disputes(s, c) {
				addEdge(graph.Disputes, kind.from, kind.to, kind.rule, kind.conf, kind.note)
			}
		}
	}
	var prev []dispute // the possessive targets of the previous statement
	for i := range own {
		ds := l.possessiveTargets(own, i)
		if len(ds) == 0 && i > 0 && len(prev) > 0 && continues(own[i-1], own[i]) {
			// "Yerevan protested Baku's move, stressing that it violated
			// the declaration": the continuation judges the same act.
			for _, d := range prev {
				ds = append(ds, dispute{own[i], d.to, RuleValence, d.conf, "judges the same act: " + shorten(own[i].props[0].text)})
			}
		}
		for _, d := range ds {
			addEdge(graph.Disputes, d.from, d.to, d.rule, d.conf, d.note)
		}
		prev = ds
	}
	slices.SortStableFunc(dg.Edges, func(a, b graph.Edge) int {
		if a.Kind != b.Kind {
			return strings.Compare(string(a.Kind), string(b.Kind))
		}
		if c := strings.Compare(string(a.From), string(b.From)); c != 0 {
			return c
		}
		return strings.Compare(string(a.To), string(b.To))
	})
	l.ix.front.Add(dg)
	return nil
}

// embeds reports whether statement a's content spans hold all of b's, in
// the same document.
func embeds(a, b *candidate) bool {
	if a.x.Statement.Document != b.x.Statement.Document || len(b.x.Statement.Content.Spans) == 0 {
		return false
	}
	for _, bs := range b.x.Statement.Content.Spans {
		in := false
		for _, as := range a.x.Statement.Content.Spans {
			if as.Start <= bs.Start && bs.End <= as.End && as.Len() > bs.Len() {
				in = true
			}
		}
		if !in {
			return false
		}
	}
	return true
}

// same reports whether two propositions assert the same claim, and how
// similar they are. Names and places alone do not make a claim: the
// content words must agree too, so must the sign of any evaluation ("the
// necessity of a checkpoint" is not "the establishment of a checkpoint"),
// and so must the entities they start with ("the U.S.'s commitment to
// normalization" is not "Azerbaijan's commitment to normalization").
func same(a, b features) (float64, bool) { return sameFeatures(&a, &b) }

// sameFeatures is [same] without copying the features. Terms count by
// their information ([termID.info]): rare words and names weigh more than
// common ones, and two propositions must share at least [sameMinInfo] of
// it, and at least [sameMinTerms] terms, so that "would go a very long
// way" and "there is still a long way to go", or "a partisan witch hunt"
// and "this is a witch hunt", are not one claim.
func sameFeatures(a, b *features) (float64, bool) {
	if sign(a.valence) != sign(b.valence) || (a.subject != "" && b.subject != "" && a.subject != b.subject) {
		return 0, false
	}
	// One merge of the two propositions' terms gives the Dice over
	// informative terms, the Dice over content words and the containment.
	c := compare(a, b)
	agree := numbersAgree(a, b, c)
	d := 0.0
	if agree && a.info > 0 && b.info > 0 {
		d = 2 * c.info / (a.info + b.info)
	}
	if a.words == 0 || b.words == 0 || c.info < sameMinInfo || c.terms < sameMinTerms {
		return d, false
	}
	wd := 2 * float64(c.words) / float64(a.words+b.words)
	if d >= sameDice && wd >= sameWordDice {
		return d, true
	}
	smaller := min(a.info, b.info)
	if d >= sameMinDice && smaller >= sameContainedInfo && agree && c.info/smaller >= sameContainment &&
		min(a.words, b.words) >= 3 && float64(c.words) >= sameContainment*float64(min(a.words, b.words)) {
		return d, true
	}
	return d, false
}

// mayBeSame reports whether [same] could find a and b the same claim, from
// what is known of them without comparing their terms: both hold content
// words, their evaluations and subjects agree, and neither is so much
// more informative than the other that their Dice could reach [sameMinDice].
func mayBeSame(a, b *features) bool {
	if a.words == 0 || b.words == 0 || sign(a.valence) != sign(b.valence) || (a.subject != "" && b.subject != "" && a.subject != b.subject) {
		return false
	}
	return 2*min(a.info, b.info)/(a.info+b.info) >= sameMinDice
}

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

type dispute struct {
	from, to *candidate
	rule     string
	conf     float64
	note     string
}

// denies reports whether a statement carries a denial cue, in its cue
// ("rejected", "protested") or its content ("false propaganda").
func (l *Linker) denies(x *candidate) bool {
	if x.deny == 0 {
		x.deny = -1
		if cue := x.x.Statement.Cue.Text; cue != "" && l.cueDenies(cue) {
			x.deny = 1
		}
		for _, p := range x.props {
			if p.f.denial {
				x.deny = 1
			}
		}
	}
	return x.deny > 0
}

// cueDenies reports whether a cue is a denial, once per cue: the same
// cues ("said", "told reporters") come back in every document.
func (l *Linker) cueDenies(cue string) bool {
	d, ok := l.cues[cue]
	if !ok {
		d = analyse(cue, false).denial || protestCue.MatchString(cue)
		if l.cues == nil || len(l.cues) >= cueCacheSize {
			l.cues = make(map[string]bool)
		}
		l.cues[cue] = d
	}
	return d
}

const cueCacheSize = 100000

// shareTerms reports whether two sorted sets of term IDs share at least n
// terms.
func shareTerms(a, b []termID, n int) bool {
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0] < b[0]:
			a = a[1:]
		case a[0] > b[0]:
			b = b[1:]
		default:
			if n--; n <= 0 {
				return true
			}
			a, b = a[1:], b[1:]
		}
	}
	return n <= 0
}

// protestCue matches cues that object to what another actor did.
var protestCue = regexp.MustCompile(`(?i)\b(protest(ed|s|ing)?|condemn(ed|s|ing)?|objected|rejected|denied|dismissed|refuted)\b`)

// disputes returns the disputes edges between statement s and statement c
// of another actor, at most one.
func (l *Linker) disputes(s, c *candidate) []dispute {
	sDenies, cDenies := l.denies(s), l.denies(c)
	for _, p := range s.props {
		for _, q := range c.props {
			shared, numOK := overlap(&p.f, &q.f)
			if !numOK || shared < 2 {
				continue
			}
			// The same proposition, negated by one of them.
			if p.f.neg != q.f.neg {
				neg, pos, from, to := p, q, s, c
				if q.f.neg {
					neg, pos, from, to = q, p, c, s
				}
				if neg.f.weight >= 4 && shared/neg.f.weight >= 0.75 && !pos.f.denial {
					return []dispute{{from, to, RuleOpposite, 0.6 + 0.3*shared/neg.f.weight, "negates: " + shorten(pos.text)}}
				}
			}
			// An explicit denial of what the other says.
			if sDenies != cDenies {
				den, other, from, to := p, q, s, c
				if cDenies {
					den, other, from, to = q, p, c, s
				}
				if other.f.denial || other.f.neg {
					continue
				}
				for _, w := range den.f.denied {
					head, n := false, 0
					for i, k := range w {
						if strings.HasPrefix(k, kindWord) && other.f.has(k) {
							n++
							head = head || i < 2
						}
					}
					if head && n >= 2 {
						return []dispute{{from, to, RuleDenial, 0.5 + 0.1*float64(min(n, 4)), "denies: " + shorten(other.text)}}
					}
				}
			}
			// The same act judged oppositely.
			if p.f.valence*q.f.valence < 0 {
				cm := compare(&p.f, &q.f)
				n, words := cm.terms, cm.words
				smaller := min(len(p.f.ids), len(q.f.ids))
				if n >= 2 && words >= 1 && float64(n) >= 0.5*float64(smaller) {
					// Within a document the later statement answers the
					// earlier; across documents the objection to an act
					// disputes its defence.
					from, to := s, c
					switch {
					case s.x.Statement.Document == c.x.Statement.Document:
						if startOf(s.x.Statement) < startOf(c.x.Statement) {
							from, to = c, s
						}
					case q.f.valence < 0:
						from, to = c, s
					}
					return []dispute{{from, to, RuleValence, 0.5 + 0.1*float64(min(n, 4)), "judges oppositely: " + shorten(to.props[0].text)}}
				}
			}
		}
	}
	return nil
}

// possessive matches content that starts by naming whose words or act it
// is about: "Armenia's claims", "Pashinyan's statements about X", "Baku's
// move".
var possessive = regexp.MustCompile(`^\W*(?:the\s+)?([A-Z][\p{L}-]+)['’]s\s+(\p{L}+)(?:\s+about\s+(.*))?`)

// possessiveTargets returns the disputes edges of a denial that names its
// target by its author ("Armenia's claims are aimed at misinforming"): the
// nearest earlier statements of the document by that author (or that
// country's side), about the topic when it names one.
func (l *Linker) possessiveTargets(own []*candidate, i int) []dispute {
	s := own[i]
	if !l.denies(s) {
		return nil
	}
	m := possessive.FindStringSubmatch(s.x.Statement.Content.Text)
	if m == nil {
		return nil
	}
	who := strings.ToLower(m[1])
	country := demonyms[who]
	if country == "" {
		country = capitals[who]
	}
	if country == "" && countryNames[who] {
		country = who
	}
	var about features
	if m[3] != "" {
		about = analyse(m[3], false)
	}
	var out []dispute
	for j := i - 1; j >= 0 && len(out) < 2; j-- {
		c := own[j]
		if c.x.Speaker == nil || l.sameSide(s, c) || speakerOf(c.x) == speakerOf(s.x) {
			continue
		}
		ok := false
		if country != "" {
			_, ok = slices.BinarySearch(l.sideOf(c).countries, country)
		} else {
			for _, n := range append([]string{c.x.Speaker.Name}, c.x.Speaker.Aliases...) {
				if slices.Contains(words(strings.ToLower(n)), who) {
					ok = true
				}
			}
		}
		if !ok {
			continue
		}
		if len(about.terms) > 0 {
			hit := false
			for _, t := range about.terms[:min(2, len(about.terms))] {
				for _, p := range c.props {
					hit = hit || p.f.has(t.key)
				}
			}
			if !hit {
				continue
			}
		}
		out = append(out, dispute{s, c, RuleDenial, 0.6, "denies the words of " + m[1]})
		if country == "" {
			break
		}
	}
	return out
}

// pronounStart matches content that starts with a pronoun for an act.
var pronounStart = regexp.MustCompile(`(?i)^\W*(?:that\s+)?(?:it|this|that)\s`)

// continues reports whether statement b continues statement a: the same
// speaker, in the same sentence, with content that starts with a pronoun
// and judges negatively.
func continues(a, b *candidate) bool {
	if speakerOf(a.x) == "" || speakerOf(a.x) != speakerOf(b.x) || a.x.Statement.Sentence != b.x.Statement.Sentence {
		return false
	}
	if !pronounStart.MatchString(b.x.Statement.Content.Text) {
		return false
	}
	for _, p := range b.props {
		if p.f.valence < 0 {
			return true
		}
	}
	return false
}

// countryNames are the countries the normaliser knows.
var countryNames = func() map[string]bool {
	m := make(map[string]bool)
	for _, c := range demonyms {
		m[c] = true
	}
	for _, c := range capitals {
		m[c] = true
	}
	return m
}()

// countriesOf returns the countries a name ties its actor to
// ("Azerbaijani President Ilham Aliyev", "Baku", "the U.S. Secretary of
// State"), sorted.
func countriesOf(name string) []string {
	var out []string
	for _, t := range analyse(name, false).terms {
		if k, ok := strings.CutPrefix(t.key, kindEntity); ok && (countryNames[k] || k == "united states") {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// sameSide reports whether two statements' speakers are tied to the same
// country, or are one person under two names: the linker does not take
// them to dispute each other.
func (l *Linker) sameSide(ca, cb *candidate) bool {
	if ca.x.Speaker == nil || cb.x.Speaker == nil {
		return false
	}
	sa, sb := l.sideOf(ca), l.sideOf(cb)
	if sa.surname != "" && sa.surname == sb.surname {
		return true
	}
	a, b := sa.countries, sb.countries
	for len(a) > 0 && len(b) > 0 {
		switch c := strings.Compare(a[0], b[0]); {
		case c < 0:
			a = a[1:]
		case c > 0:
			b = b[1:]
		default:
			return true
		}
	}
	return false
}

func shorten(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

// candidates finds the stored or batched statements that may share a
// proposition with the document's statements, through the index: the LSH
// bands of each proposition and its rarer terms.
//
// A stored statement is scored against each of the document's
// propositions apart, by the keys it shares with that proposition (a
// shared LSH band counting most): every rule that links two statements
// asks for two propositions with several terms in common, so keys shared
// with different propositions say nothing. Each proposition keeps its
// best [perProposition] candidates, so the cost of a document stays
// bounded however large the graph grows.
func (l *Linker) candidates(ctx context.Context, doc graph.ID, own []*candidate) ([]*candidate, error) {
	type keyOf struct {
		key   string
		owner int32 // the proposition's position among the document's
	}
	var (
		pairs  []keyOf
		owners int32
	)
	for _, s := range own {
		s.bands = make([][]string, len(s.props))
		for pi := range s.props {
			p := &s.props[pi]
			s.bands[pi] = bandKeys(p.f)
			for _, k := range s.bands[pi] {
				pairs = append(pairs, keyOf{k, owners})
			}
			for _, t := range p.f.terms {
				pairs = append(pairs, keyOf{t.key, owners})
			}
			owners++
		}
	}
	slices.SortFunc(pairs, func(a, b keyOf) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return int(a.owner - b.owner)
	})
	pairs = slices.Compact(pairs)
	sorted := make([]string, 0, len(pairs))
	for _, p := range pairs {
		if len(sorted) == 0 || sorted[len(sorted)-1] != p.key {
			sorted = append(sorted, p.key)
		}
	}
	postings, err := l.ix.lookupAll(ctx, sorted, postingLimit)
	if err != nil {
		return nil, fmt.Errorf("provenance: look up %d keys: %w", len(sorted), err)
	}
	type scored struct {
		id    graph.ID
		owner int32
	}
	score := make(map[scored]float64)
	j := 0 // pairs[j:] are the owners of sorted[i] and the keys after it
	for i, k := range sorted {
		first := j
		for j < len(pairs) && pairs[j].key == k {
			j++
		}
		if postings[i].More {
			continue
		}
		// A rarer key says more: its weight falls with its postings.
		w := 4.0
		if !strings.HasPrefix(k, "b:") {
			w = weightOf(k)
		}
		w *= 1 + math.Log(float64(postingLimit)/float64(max(1, len(postings[i].IDs))))
		for _, id := range postings[i].IDs {
			if docOf(id) == doc {
				continue
			}
			for _, p := range pairs[first:j] {
				score[scored{id, p.owner}] += w
			}
		}
	}
	type ranked struct {
		id graph.ID
		n  float64
	}
	best := make([][]ranked, owners)
	for k, n := range score {
		if n >= minShared {
			best[k.owner] = append(best[k.owner], ranked{k.id, n})
		}
	}
	var ids []graph.ID
	for _, rank := range best {
		slices.SortFunc(rank, func(a, b ranked) int {
			if a.n != b.n {
				return cmp.Compare(b.n, a.n)
			}
			return strings.Compare(string(a.id), string(b.id))
		})
		for _, r := range rank[:min(len(rank), perProposition)] {
			ids = append(ids, r.id)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	return l.load(ctx, ids)
}

// load reads statements with their propositions' claims.
func (l *Linker) load(ctx context.Context, ids []graph.ID) ([]*candidate, error) {
	xs, err := l.ix.statements(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("provenance: read statements: %w", err)
	}
	out := make([]*candidate, 0, len(xs))
	for _, x := range xs {
		out = append(out, l.newCandidate(x, x.Keys))
	}
	return out, nil
}

// before reports whether statement a was made before b: by statement date,
// then by publication date, undated after dated, then by document and
// position for a stable order.
func before(a, b graph.IndexedStatement) bool { return compareWhen(a, b) < 0 }

// distant reports whether two statements are by different speakers (or
// by speakers not both known) and dated more than [distantDays] apart.
// Such a pair asserts one claim only when their words say so nearly
// verbatim: years apart, "the allegations are completely false" and
// "this is a completely false allegation" are about different
// allegations, and "the need for compromise and common sense solutions"
// is not "a common-sense compromise both parties should embrace".
func distant(a, b graph.IndexedStatement) bool {
	if sa := speakerOf(a); sa != "" && sa == speakerOf(b) {
		return false
	}
	da, oka := dayOf(whenOf(a))
	db, okb := dayOf(whenOf(b))
	if !oka || !okb {
		return false
	}
	return max(da.Sub(db), db.Sub(da)) > distantDays*24*time.Hour
}

// whenOf returns a statement's date, else its document's publication date.
func whenOf(x graph.IndexedStatement) string {
	if d := dateKey(x.Statement.Date); d != "" {
		return d
	}
	return dateKey(x.Published)
}

// dayOf parses an ISO date of day or month precision (a month stands for
// its first day); a year alone is too coarse to tell.
func dayOf(v string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2006-01"} {
		if len(v) >= len(layout) {
			if t, err := time.Parse(layout, v[:len(layout)]); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

func dateKey(d *graph.Date) string {
	if d == nil || d.Precision == graph.PrecisionUnknown || d.Value == "" {
		return ""
	}
	return d.Value
}

// compareDates compares two ISO dates of possibly different precisions;
// one that is a prefix of the other (the same month) compares equal.
func compareDates(a, b string) int {
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	n := min(len(a), len(b))
	return strings.Compare(a[:n], b[:n])
}

func compareWhen(a, b graph.IndexedStatement) int {
	if c := compareDates(dateKey(a.Statement.Date), dateKey(b.Statement.Date)); c != 0 {
		return c
	}
	if c := compareDates(dateKey(a.Published), dateKey(b.Published)); c != 0 {
		return c
	}
	if a.Statement.Document != b.Statement.Document {
		return strings.Compare(string(a.Statement.Document), string(b.Statement.Document))
	}
	return startOf(a.Statement) - startOf(b.Statement)
}

func startOf(st graph.Statement) int {
	if len(st.Content.Spans) > 0 {
		return st.Content.Spans[0].Start
	}
	return 0
}

func sameDay(a, b graph.IndexedStatement) bool {
	da, db := dateKey(a.Statement.Date), dateKey(b.Statement.Date)
	return da != "" && da == db
}
