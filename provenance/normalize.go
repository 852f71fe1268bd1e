package provenance

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/provgraph/provgraph/loaders/extract/lexicon"
)

// Key prefixes of normalised terms.
const (
	kindWord   = "w:" // a content word's stem
	kindEntity = "e:" // a capitalised word (name, place, nationality)
	kindNumber = "n:" // a number's value
)

// token is one word or number of a text, lower-cased.
type token struct {
	text  string // as written, lower-cased
	cap   bool   // written with a capital letter
	first bool   // first word of its clause
	start int    // byte offset in the text it came from
	num   bool
}

// tokenize splits text into words and numbers. A number keeps its thousands
// separators and decimal point ("10,000", "86.6"); a word keeps inner
// apostrophes and drops a possessive "'s".
func tokenize(text string) []token {
	text = norm.NFKC.String(text)
	out := make([]token, 0, len(text)/5+1)
	// at returns the rune at byte i and its size, or -1 past the end.
	at := func(i int) (rune, int) {
		if i >= len(text) {
			return -1, 0
		}
		if c := text[i]; c < utf8.RuneSelf {
			return rune(c), 1
		}
		return utf8.DecodeRuneInString(text[i:])
	}
	clauseStart := true
	for i := 0; i < len(text); {
		r, size := at(i)
		switch {
		case unicode.IsDigit(r):
			j := i
			for {
				c, n := at(j)
				if c < 0 {
					break
				}
				if !unicode.IsDigit(c) {
					next, _ := at(j + n)
					if !((c == ',' || c == '.') && next >= 0 && unicode.IsDigit(next) && j > i) {
						break
					}
				}
				j += n
			}
			out = append(out, token{text: text[i:j], start: i, num: true, first: clauseStart})
			clauseStart = false
			i = j
		case unicode.IsLetter(r):
			j := i
			for {
				c, n := at(j)
				if c < 0 {
					break
				}
				if !unicode.IsLetter(c) && !unicode.IsDigit(c) {
					next, _ := at(j + n)
					if !((c == '\'' || c == '’' || c == '.') && next >= 0 && unicode.IsLetter(next)) {
						break
					}
				}
				j += n
			}
			w := strings.ToLower(text[i:j])
			if strings.Contains(w, "’") {
				w = strings.ReplaceAll(w, "’", "'")
			}
			w = strings.TrimSuffix(w, "'s")
			if strings.HasSuffix(w, "n't") {
				out = append(out, token{text: strings.TrimSuffix(w, "n't"), cap: unicode.IsUpper(r), start: i, first: clauseStart})
				w = "not"
			}
			out = append(out, token{text: w, cap: unicode.IsUpper(r), start: i, first: clauseStart})
			clauseStart = false
			i = j
		default:
			if strings.ContainsRune(".;:!?\"“”", r) {
				clauseStart = true
			}
			i += size
		}
	}
	return out
}

// numberWords are the cardinal numbers written as words.
var numberWords = map[string]float64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}

// multipliers scale the number before them: "10 thousand", "ten thousand".
var multipliers = map[string]float64{
	"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
	"k": 1e3, "mln": 1e6, "bn": 1e9,
}

func parseFigure(s string) (float64, bool) {
	s = strings.ReplaceAll(s, ",", "")
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// formatNumber writes a value as its key: integers without a fraction.
func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}

// numbers folds runs of number tokens into values: "10,000", "ten
// thousand", "10 thousand" and "86.6 thousand" each become one token whose
// text is the value. Words that are numbers only in a run ("one" alone is
// often a pronoun) are folded only next to a multiplier or another number.
func numbers(toks []token) []token {
	out := toks[:0:0]
	for i := 0; i < len(toks); {
		t := toks[i]
		v, ok := 0.0, false
		if t.num {
			v, ok = parseFigure(t.text)
		} else if n, isWord := numberWords[t.text]; isWord && t.text != "hundred" {
			next := ""
			if i+1 < len(toks) {
				next = toks[i+1].text
			}
			_, nextMul := multipliers[next]
			_, nextNum := numberWords[next]
			if nextMul || nextNum || n >= 2 {
				v, ok = n, true
			}
		}
		if !ok {
			out = append(out, t)
			i++
			continue
		}
		j := i + 1
		// "twenty five", "ten thousand", "10 thousand", "two hundred thousand"
		for j < len(toks) {
			w := toks[j].text
			if n, isWord := numberWords[w]; isWord && w != "hundred" && n < 10 && v >= 20 && math.Mod(v, 10) == 0 && v < 100 {
				v += n
				j++
				continue
			}
			if m, isMul := multipliers[w]; isMul {
				v *= m
				j++
				continue
			}
			break
		}
		t.text, t.num = formatNumber(v), true
		out = append(out, t)
		i = j
	}
	return out
}

// stopWords are function words and words too common in reported speech to
// tell propositions apart; a closed class.
var stopWords = setOf(`a an the and or but if of to in on at by for with from into onto over under about
	as than then that this these those there here it its it's he she they them his her their we our us you
	your i me my is are was were be been being am has have had having do does did done will would shall
	should can could may might must also very more most much many some any all each every other another
	such only just still even so too both either neither which who whom whose what when where why how
	while whereas although though because since until after before during through between against among
	within without upon not no nor never yet again further once per via including part side fact matter
	latest recently well new`)

// questionWords are words of a question's scaffolding, not of the claim it
// asks about; a closed class.
var questionWords = setOf(`who whom whose what which when where why how first firstly originally earliest
	originate originated afterwards later repeat repeated repeats anyone anybody someone somebody did does
	do claim claims claimed announce announced raise raised report reported say said says state stated
	tell told mention mentioned`)

// negators mark a clause's predicate as negated.
var negators = setOf(`not no never none nobody nothing neither nor cannot without`)

// denialWords are explicit cues that a statement denies or rejects what
// others said; a closed class, after the list.
var denialWords = setOf(`deny denies denied denying denial reject rejects rejected rejecting refute refutes
	refuted dismiss dismisses dismissed false falsely fake unfounded baseless groundless misinform
	misinforming misinformation disinformation propaganda lie lies lying fabrication fabricated
	manipulation slander untrue`)

// denialVerbs in a question ask who said the opposite of what follows.
var denialVerbs = setOf(`deny denies denied denying refute refutes refuted`)

// hedgeWords deny only when they qualify what others said ("reports about
// an alleged blockade", "claims of a so-called blockade"); a reporter's own
// "the alleged illegal use" is not a denial by the speaker.
var hedgeWords = setOf(`alleged allegedly so-called supposed purported`)

// valence marks evaluative words that oppose two statements about the same
// act ("a gross violation" against "a legitimate step"); a closed class.
var valence = map[string]int{
	"legitimate": 1, "lawful": 1, "legal": 1, "justified": 1, "justify": 1, "necessary": 1, "necessity": 1,
	"violation": -1, "violate": -1, "violates": -1, "violated": -1, "illegal": -1, "unlawful": -1,
	"illegitimate": -1, "undermine": -1, "undermines": -1, "undermined": -1, "unacceptable": -1,
	"condemn": -1, "condemned": -1,
}

// synonyms map words of small closed classes to one representative, for
// the paraphrases WordNet's word classes do not group: military personnel,
// and the verbs of staying somewhere.
var synonyms = map[string]string{
	"troop": "soldier", "serviceman": "soldier", "servicemen": "soldier", "soldiery": "soldier",
	"military personnel": "soldier", "personnel": "soldier", "trooper": "soldier",
	"remain": "station", "stay": "station", "deploy": "station", "deployed": "station", "stationed": "station",
	"agreement": "treaty", "deal": "treaty", "pact": "treaty",
	"shipment": "transport", "transportation": "transport", "shipping": "transport",
	"corridor": "road", "route": "road", "highway": "road",
	"checkpoint": "checkpoint", "check-point": "checkpoint",
	"us": "united states", "u.s": "united states", "u.s.": "united states", "america": "united states",
	"american": "united states", "eu": "european union",
}

// demonyms map nationality adjectives to their countries; a closed class.
var demonyms = map[string]string{
	"azerbaijani": "azerbaijan", "azeri": "azerbaijan", "armenian": "armenia", "russian": "russia",
	"turkish": "turkey", "iranian": "iran", "georgian": "georgia", "french": "france", "german": "germany",
	"chinese": "china", "ukrainian": "ukraine", "israeli": "israel", "syrian": "syria", "iraqi": "iraq",
	"british": "united kingdom", "european": "european union", "palestinian": "palestine",
	"italian": "italy", "spanish": "spain", "polish": "poland", "japanese": "japan", "indian": "india",
	"pakistani": "pakistan", "egyptian": "egypt", "saudi": "saudi arabia", "canadian": "canada",
	"mexican": "mexico", "cuban": "cuba", "belarusian": "belarus", "korean": "korea",
}

// capitals map seats of government to their countries, for "Baku said" and
// "Yerevan protested"; a closed class.
var capitals = map[string]string{
	"baku": "azerbaijan", "yerevan": "armenia", "moscow": "russia", "kremlin": "russia", "ankara": "turkey",
	"tehran": "iran", "tbilisi": "georgia", "paris": "france", "berlin": "germany", "beijing": "china",
	"kyiv": "ukraine", "kiev": "ukraine", "washington": "united states", "london": "united kingdom",
	"brussels": "european union", "stepanakert": "karabakh", "khankendi": "karabakh",
}

func setOf(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// stem reduces an inflected or derived form to a stem shared by its
// relatives: WordNet's base form when the lexicon knows the word, then a
// light suffix stripper, so that "misinforming" and "misinformation",
// "establishing" and "establishment" meet.
func stem(w string) string {
	if s, ok := synonyms[w]; ok {
		return s
	}
	w = americanSpelling(w)
	if e := lexicon.Lookup(w); e.Lemma != "" {
		w = e.Lemma
	}
	if s, ok := synonyms[w]; ok {
		return s
	}
	if s, ok := wordnetSynonyms()[w]; ok {
		if t, ok := synonyms[s]; ok {
			return t // "troops" → "soldiery" → "soldier"
		}
		return s
	}
	if len(w) <= 4 {
		return w
	}
	for _, suf := range []string{"ations", "ation", "ments", "ment", "ings", "ing", "ness", "ities", "ity", "ies", "ied", "ed", "es", "s"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 4 {
			w = w[:len(w)-len(suf)]
			break
		}
	}
	if s, ok := synonyms[w]; ok {
		return s
	}
	return w
}

// americanSpelling folds British -ise and -isation forms into -ize and
// -ization ("normalisation", "normalization").
func americanSpelling(w string) string {
	if len(w) < 7 {
		return w
	}
	for _, suf := range []string{"isation", "isations", "ised", "ises", "ising", "ise"} {
		if strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)] + "iz" + suf[2:]
		}
	}
	return w
}

var (
	synOnce sync.Once
	synMap  map[string]string
)

// wordnetSynonyms returns the table of words whose most frequent WordNet
// senses are one synset (wordnet.go, generated by ./gen).
func wordnetSynonyms() map[string]string {
	synOnce.Do(func() {
		synMap = make(map[string]string, 1800)
		for _, line := range strings.Split(synsetTable, "\n") {
			if w, r, ok := strings.Cut(line, " "); ok {
				synMap[w] = r
			}
		}
	})
	return synMap
}

// entity normalises a capitalised word: a nationality or a capital to its
// country, a word to its stem.
func entity(w string) string {
	if c, ok := demonyms[w]; ok {
		return c
	}
	if s, ok := synonyms[w]; ok {
		return s
	}
	return w
}

// term is one normalised feature of a proposition.
type term struct {
	key string
	pos int // byte offset in the text it came from
}

// weightOf is how much a term counts in a match: numbers and names more
// than common words.
func weightOf(key string) float64 {
	switch key[:2] {
	case kindNumber:
		return 3
	case kindEntity:
		return 2
	}
	return 1
}

// termID stands for a term key in comparisons: the key's 64-bit FNV-1a
// hash with its kind in the low two bits and its rarity class (see
// [rarity]) in the next three. Propositions are compared by
// merging their sorted IDs, without string compares or map look-ups; two
// keys of a proposition pair share an ID by chance with odds of about one
// in 2^59, far below any other error of the linker.
type termID uint64

// Kinds of term IDs, in their low two bits.
const (
	idWord termID = iota
	idEntity
	idNumber
)

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// idOf returns the ID of a term key.
func idOf(key string) termID {
	h := uint64(fnvOffset)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= fnvPrime
	}
	kind := idWord
	switch {
	case strings.HasPrefix(key, kindNumber):
		return termID(h)&^31 | rarityRare<<2 | idNumber
	case strings.HasPrefix(key, kindEntity):
		kind = idEntity
	}
	return termID(h)&^31 | termID(rarity(key))<<2 | kind
}

// info is the term's information: its kind's weight times that of its
// rarity class (bits 2 to 4 of the ID). A number weighs as much wherever
// it is.
func (id termID) info() float64 {
	switch id & 3 {
	case idNumber:
		return 3
	case idEntity:
		return 2 * rarityWeights[id>>2&7]
	}
	return rarityWeights[id>>2&7]
}

// weight is the term's weight, as [weightOf] its key's.
func (id termID) weight() float64 {
	switch id & 3 {
	case idNumber:
		return 3
	case idEntity:
		return 2
	}
	return 1
}

// features are the normalised terms of a proposition and its polarity.
// They are not changed once [analyse] returns them: the linker's cache
// shares them between the candidates of many documents. The cache keeps
// them without terms (nil): comparisons read ids, and only a document's
// own propositions, analysed afresh, need the terms' keys.
type features struct {
	terms  []term
	ids    []termID // the terms' IDs, sorted
	words  int      // how many terms are content words
	nums   int      // how many terms are numbers
	neg    bool     // the predicate is negated
	denial bool     // the text carries an explicit denial cue
	// denied holds, for each denial cue, the terms that follow it: what
	// is denied.
	denied [][]string
	// subject is the entity the proposition starts with ("the U.S.'s
	// commitment", "Azerbaijan was ready"), if any: who or what it is
	// about.
	subject string
	valence int // sum of evaluative words' signs
	weight  float64
	info    float64 // the terms' information (see [termID.info])
}

// analyse normalises text into features. Question scaffolding is dropped
// when question is true.
func analyse(text string, question bool) features {
	toks := numbers(tokenize(text))
	f := features{terms: make([]term, 0, len(toks)), ids: make([]termID, 0, len(toks))}
	add := func(k string, pos int) {
		id := idOf(k)
		if slices.Contains(f.ids, id) {
			return
		}
		f.ids = append(f.ids, id)
		f.terms = append(f.terms, term{k, pos})
		f.count(id)
	}
	conditional := false
	for i, t := range toks {
		w := t.text
		if w == "if" || w == "unless" || w == "whether" {
			conditional = true // a negation in a condition is not the claim's
		}
		if negators[w] && !conditional {
			// "no longer", "not only" do not negate.
			if i+1 < len(toks) && (toks[i+1].text == "longer" || toks[i+1].text == "only") {
				continue
			}
			f.neg = !f.neg
			continue
		}
		if question && denialVerbs[w] {
			// "Who denied that the road was blockaded?" asks about the
			// claim that it was not.
			f.neg = !f.neg
			continue
		}
		hedge := hedgeWords[w] || (w == "called" && i > 0 && toks[i-1].text == "so")
		if denialWords[w] || (hedge && afterReport(toks, i)) {
			f.denial = true
			var next []string
			for _, u := range toks[i+1:] {
				if len(next) == 6 {
					break
				}
				if k := termKey(u); k != "" {
					next = append(next, k)
				}
			}
			f.denied = append(f.denied, next)
		}
		if v := valence[w]; v != 0 {
			f.valence += v
		}
		if question && questionWords[w] && !t.num {
			continue
		}
		if k := termKey(t); k != "" {
			add(k, t.start)
			if i <= 3 && f.subject == "" && !question && strings.HasPrefix(k, kindEntity) {
				f.subject = k
			}
		}
	}
	slices.Sort(f.ids)
	f.terms, f.ids = slices.Clip(f.terms), slices.Clip(f.ids)
	return f
}

// count adds term id to the proposition's weight and its counts of
// words and numbers.
func (f *features) count(id termID) {
	f.weight += id.weight()
	f.info += id.info()
	switch id & 3 {
	case idWord:
		f.words++
	case idNumber:
		f.nums++
	}
}

// has reports whether the features hold the term key.
func (f *features) has(key string) bool {
	_, ok := slices.BinarySearch(f.ids, idOf(key))
	return ok
}

// afterReport reports whether a communication noun ("reports", "claims")
// stands shortly before token i.
func afterReport(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		if e := lexicon.Lookup(toks[j].text); e.First&lexicon.NounCommunication != 0 && !stopWords[toks[j].text] {
			return true
		}
	}
	return false
}

// termKey returns the key of one content token, or "".
func termKey(t token) string {
	w := t.text
	switch {
	case t.num:
		return kindNumber + w
	case capitals[w] != "" && t.cap:
		return kindEntity + capitals[w]
	case demonyms[w] != "":
		return kindEntity + demonyms[w]
	case stopWords[w] || negators[w] || len(w) < 2 || hedgeWords[w]:
		return ""
	case t.cap && !t.first:
		return kindEntity + entity(w)
	case t.cap && (countryNames[w] || lexicon.Lookup(w).Lemma == ""):
		// A capitalised first word that is no common word is a name.
		return kindEntity + entity(w)
	}
	return kindWord + stem(w)
}

// common is what two propositions' terms have in common.
type common struct {
	weight float64 // the shared terms' weight
	info   float64 // and information
	terms  int     // how many terms they share
	words  int     // of which content words
	nums   int     // and numbers
}

// compare merges the sorted term IDs of a and b.
func compare(a, b *features) common {
	var c common
	x, y := a.ids, b.ids
	for len(x) > 0 && len(y) > 0 {
		switch {
		case x[0] < y[0]:
			x = x[1:]
		case x[0] > y[0]:
			y = y[1:]
		default:
			c.weight += x[0].weight()
			c.info += x[0].info()
			c.terms++
			switch x[0] & 3 {
			case idWord:
				c.words++
			case idNumber:
				c.nums++
			}
			x, y = x[1:], y[1:]
		}
	}
	return c
}

// numbersAgree reports whether a and b, sharing c, share a number when
// both mention one: two propositions with different figures are not the
// same claim.
func numbersAgree(a, b *features, c common) bool {
	return a.nums == 0 || b.nums == 0 || c.nums > 0
}

// overlap returns the weight of the terms a and b share, and whether they
// share every number they both mention.
func overlap(a, b *features) (shared float64, numbersOK bool) {
	c := compare(a, b)
	return c.weight, numbersAgree(a, b, c)
}

// similarity is the Dice coefficient of two propositions' weighted terms.
func similarity(a, b *features) float64 {
	if a.weight == 0 || b.weight == 0 {
		return 0
	}
	s, ok := overlap(a, b)
	if !ok {
		return 0
	}
	return 2 * s / (a.weight + b.weight)
}

// MinHash parameters: bands of rows over term hashes. Two propositions
// whose term sets have Jaccard similarity J share a band with probability
// 1-(1-J^rows)^bands: about 0.5 at J=0.3 and 0.98 at J=0.5.
const (
	bands = 12
	rows  = 2
)

// hash64 is FNV-1a over the seed's eight bytes, little-endian, then s:
// the hashes the stored band keys were made with, without allocating.
func hash64(s string, seed uint64) uint64 {
	h := uint64(fnvOffset)
	for i := range 8 {
		h ^= uint64(byte(seed >> (8 * i)))
		h *= fnvPrime
	}
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// bandKeys returns the LSH band keys of a proposition's terms.
func bandKeys(f features) []string {
	if len(f.terms) < 3 {
		return nil
	}
	out := make([]string, 0, bands)
	var buf [32]byte
	for b := range bands {
		var sig [rows]uint64
		for r := range rows {
			seed := uint64(b*rows + r + 1)
			m := uint64(math.MaxUint64)
			for _, t := range f.terms {
				if v := hash64(t.key, seed); v < m {
					m = v
				}
			}
			sig[r] = m
		}
		k := append(buf[:0], "b:"...)
		k = strconv.AppendInt(k, int64(b), 10)
		k = append(k, ':')
		k = strconv.AppendUint(k, sig[0]^(sig[1]*0x9e3779b97f4a7c15), 36)
		out = append(out, string(k))
	}
	return out
}

// claimKey is the key from which the ID of the claim a proposition
// founds is derived: its [canonical] terms, or, for a proposition that
// holds less information than two need to share to be one claim, its
// words as written. Propositions as uninformative as "would go a very long
// way" and "there is still a long way to go" have the same terms; only
// the same words make them one claim.
func claimKey(p *prop) string {
	if p.f.info >= sameMinInfo {
		return canonical(p.f)
	}
	var b strings.Builder
	b.WriteString("words:")
	for _, w := range strings.FieldsFunc(strings.ToLower(p.text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		b.WriteString(w)
		b.WriteByte(' ')
	}
	if p.f.neg {
		b.WriteString("not")
	}
	return b.String()
}

// canonical is a proposition's order-free key: its sorted terms and
// polarity, from which a new claim's ID is derived.
func canonical(f features) string {
	keys := make([]string, len(f.terms))
	for i, t := range f.terms {
		keys[i] = t.key
	}
	slices.Sort(keys)
	s := strings.Join(keys, " ")
	if f.neg {
		s = "not " + s
	}
	return s
}
