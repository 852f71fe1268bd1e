package provenance

import (
	"fmt"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/all"
)

// quoteRE finds quotations between curly or straight double quotes.
var quoteRE = regexp.MustCompile(`[“"]([^“”"]{20,600})[”"]`)

// normQuote lower-cases a quotation and keeps its words, one space apart.
func normQuote(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// TestABP links the ABP news corpus (PROVGRAPH_ABP: abp-news.jsonl.gz) and
// measures the criterion: quotations of 8 or more words found
// verbatim in articles of two or more outlets end up in one claim whose
// first statement is in the earliest such article. It also times linking
// per document as the graph grows. Set PROVGRAPH_ABP_LIMIT to read fewer
// articles.
func TestABP(t *testing.T) {
	path := os.Getenv("PROVGRAPH_ABP")
	if path == "" {
		t.Skip("PROVGRAPH_ABP is not set (the ABP news corpus, abp-news.jsonl.gz)")
	}
	limit := 0
	if s := os.Getenv("PROVGRAPH_ABP_LIMIT"); s != "" {
		for _, c := range s {
			limit = limit*10 + int(c-'0')
		}
	}
	ctx := t.Context()
	marks := []int{1000, 2000, 5000, 10000, 37000}
	in, err := all.Ingester()
	if err != nil {
		t.Fatal(err)
	}
	store := NewMemIndex()
	l := New(store)
	type article struct {
		doc          graph.ID
		outlet, date string
		quotes       []string
	}
	var (
		articles []article
		batch    []*graph.DocGraph
		linkTime time.Duration
		extract  time.Duration
		window   = map[int]time.Duration{} // link time of the 100 documents before n
		n        int
		start    = time.Now()
	)
	flush := func() {
		for _, dg := range batch {
			store.Add(dg)
		}
		batch = batch[:0]
		l.Flush()
	}
	errStop := os.ErrClosed
	err = all.Default().Read(ctx, []string{path}, loaders.ReadOptions{}, func(rec loaders.Record) error {
		if rec.Err != nil {
			return nil
		}
		if limit > 0 && n >= limit {
			return errStop
		}
		t0 := time.Now()
		dg, _, err := in.Graph(ctx, rec.Doc)
		if err != nil {
			return err
		}
		t1 := time.Now()
		if err := l.Link(ctx, dg); err != nil {
			return err
		}
		d := time.Since(t1)
		extract += t1.Sub(t0)
		linkTime += d
		n++
		for _, mark := range marks {
			if n > mark-100 && n <= mark {
				window[mark] += d
			}
		}
		if n%1000 == 0 {
			t.Logf("%d articles, %s; linking %.2f ms a document so far", n, time.Since(start).Round(time.Second), float64(linkTime.Microseconds())/1000/float64(n))
		}
		a := article{doc: dg.Document.ID, outlet: dg.Document.Publisher}
		if dg.Document.Published != nil {
			a.date = dg.Document.Published.Value
		}
		seen := make(map[string]bool)
		for _, m := range quoteRE.FindAllStringSubmatch(rec.Doc.Text, -1) {
			q := normQuote(m[1])
			if len(strings.Fields(q)) >= 8 && !seen[q] {
				seen[q] = true
				a.quotes = append(a.quotes, q)
			}
		}
		articles = append(articles, a)
		dg.Document.Text = "" // the index needs none of it
		batch = append(batch, dg)
		if len(batch) >= 256 {
			flush()
		}
		return nil
	})
	if err != nil && err != errStop {
		t.Fatal(err)
	}
	flush()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("%d articles in %s: extraction %s, linking %s (%.2f ms a document); heap %d MiB", n, time.Since(start).Round(time.Second), extract.Round(time.Second), linkTime.Round(time.Second), float64(linkTime.Microseconds())/1000/float64(max(n, 1)), ms.HeapAlloc>>20)
	for _, mark := range marks {
		if w, ok := window[mark]; ok {
			t.Logf("linking at %d documents: %.2f ms a document (mean of the 100 before)", mark, float64(w.Microseconds())/1000/100)
		}
	}

	// Quotations in articles of two or more outlets.
	byQuote := make(map[string][]int)
	for i, a := range articles {
		for _, q := range a.quotes {
			byQuote[q] = append(byQuote[q], i)
		}
	}
	for q, idx := range byQuote {
		outlets := make(map[string]bool)
		for _, i := range idx {
			outlets[articles[i].outlet] = true
		}
		if len(outlets) < 2 {
			delete(byQuote, q)
		}
	}
	holders := verbatimHolders(t, path, n, byQuote)
	for q, idx := range byQuote {
		for _, i := range idx {
			if !slices.Contains(holders[q], i) {
				t.Errorf("%q: article %s quotes it but does not hold its words", q, articles[i].doc)
			}
		}
	}

	var groups, extracted, linked, firstOK, firstEarlier, firstVerbatim int
	var failures []string
	for q, idx := range byQuote {
		groups++
		earliest := ""
		for _, i := range idx {
			if d := articles[i].date; d != "" && (earliest == "" || d < earliest) {
				earliest = d
			}
		}
		// The earliest of all articles holding the quotation's words,
		// between quotation marks of their own or inside a longer
		// quotation.
		earliestAny := earliest
		for _, i := range holders[q] {
			if d := articles[i].date; d != "" && (earliestAny == "" || d < earliestAny) {
				earliestAny = d
			}
		}
		// The statements whose content holds the quotation, one per article.
		claims := make(map[graph.ID]int)
		found := 0
		for _, i := range idx {
			dg := store.docs[articles[i].doc]
			if dg == nil {
				continue
			}
			var hit *graph.Statement
			for k := range dg.Statements {
				if strings.Contains(normQuote(dg.Statements[k].Content.Text), q) {
					hit = &dg.Statements[k]
					break
				}
			}
			if hit == nil {
				continue
			}
			found++
			xs, _ := store.Statements(ctx, []graph.ID{hit.ID})
			for _, c := range xs[0].Claims {
				claims[c]++
			}
		}
		if found < len(idx) {
			continue
		}
		extracted++
		var claim graph.ID
		for c, k := range claims {
			if k == found && (claim == "" || c < claim) {
				claim = c
			}
		}
		if claim == "" {
			if len(failures) < 10 {
				failures = append(failures, "not one claim: "+q)
			}
			continue
		}
		linked++
		p, err := l.provenance(ctx, claim, "")
		if err != nil || p == nil {
			continue
		}
		first := docOf(p.First.ID)
		ok := false
		for _, i := range idx {
			if articles[i].doc == first && (articles[i].date == earliest || earliest == "") {
				firstOK++
				ok = true
				break
			}
		}
		for _, i := range holders[q] {
			if articles[i].doc == first && (articles[i].date == earliestAny || earliestAny == "") {
				firstVerbatim++
				break
			}
		}
		// A first statement outside the group, dated before its earliest
		// article (the same words reported earlier, or dated earlier in
		// the text), is the first claimant by the issue's own rule.
		if !ok && p.First.Date != nil && earliest != "" && compareDates(p.First.Date.Value, earliest) < 0 {
			firstEarlier++
		}
		if !ok && len(failures) < 40 {
			d := "undated"
			if p.First.Date != nil {
				d = p.First.Date.Value + " from " + string(p.First.DateFrom)
			}
			var pub string
			for _, i := range idx {
				if articles[i].doc == first {
					pub = articles[i].date
				}
			}
			failures = append(failures, fmt.Sprintf("first not in the earliest article (%s): first %s, published %s, %d repeats: %s", earliest, d, pub, len(p.Repeats), q))
		}
	}
	t.Logf("quotations of 8+ words in articles of 2+ outlets: %d; with a statement holding the quotation in every such article: %d; of those in one claim: %d (%.1f%%); with the first statement in the earliest article: %d (%.1f%%)",
		groups, extracted, linked, 100*float64(linked)/float64(max(extracted, 1)), firstOK, 100*float64(firstOK)/float64(max(extracted, 1)))
	t.Logf("with the first statement in the earliest article holding the quotation's words (quoted on their own, inside a longer quotation, or unquoted): %d (%.1f%%)", firstVerbatim, 100*float64(firstVerbatim)/float64(max(extracted, 1)))
	t.Logf("with the first statement in the earliest article or dated before it: %d (%.1f%%)", firstOK+firstEarlier, 100*float64(firstOK+firstEarlier)/float64(max(extracted, 1)))
	slices.Sort(failures)
	for _, f := range failures {
		t.Log(f)
	}
}

// verbatimHolders reads the first n articles of the corpus at path again
// and returns, for each quotation of quotes, the articles (by their index
// in reading order) whose text holds its words in order, whether quoted
// on their own, inside a longer quotation or not quoted at all.
func verbatimHolders(t *testing.T, path string, n int, quotes map[string][]int) map[string][]int {
	t.Helper()
	const k = 8 // every quotation has at least k words
	byPrefix := make(map[string][]string)
	firsts := make(map[string]bool)
	for q := range quotes {
		w := strings.Fields(q)
		p := strings.Join(w[:k], " ")
		byPrefix[p] = append(byPrefix[p], q)
		firsts[w[0]] = true
	}
	out := make(map[string][]int)
	i := 0
	errStop := os.ErrClosed
	err := all.Default().Read(t.Context(), []string{path}, loaders.ReadOptions{}, func(rec loaders.Record) error {
		if rec.Err != nil {
			return nil
		}
		if i >= n {
			return errStop
		}
		text := normQuote(rec.Doc.Text)
		words := strings.Fields(text)
		seen := make(map[string]bool)
		for j := 0; j+k <= len(words); j++ {
			if !firsts[words[j]] {
				continue
			}
			for _, q := range byPrefix[strings.Join(words[j:j+k], " ")] {
				if !seen[q] && strings.HasPrefix(strings.Join(words[j:min(len(words), j+len(strings.Fields(q)))], " "), q) {
					seen[q] = true
					out[q] = append(out[q], i)
				}
			}
		}
		i++
		return nil
	})
	if err != nil && err != errStop {
		t.Fatal(err)
	}
	return out
}
