package html_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/html"
	"github.com/provgraph/provgraph/loaders/loadertest"
)

// load runs a loader on data and returns its records.
func load(t *testing.T, l loaders.Loader, src loaders.Source, data []byte) []loaders.Record {
	t.Helper()
	var recs []loaders.Record
	err := l.Load(context.Background(), src, bytes.NewReader(data), func(r loaders.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: Load: %v", src.Name, err)
	}
	if len(recs) != 1 {
		t.Fatalf("%s: %d records, want 1", src.Name, len(recs))
	}
	return recs
}

// loadDoc loads one page and fails the test unless it gives a document
// that keeps the loaders' invariants.
func loadDoc(t *testing.T, l loaders.Loader, src loaders.Source, data []byte) *loaders.Document {
	t.Helper()
	r := load(t, l, src, data)[0]
	if r.Err != nil {
		t.Fatalf("%s: %v", src.Name, r.Err)
	}
	if err := loadertest.Check(html.Name, r.Doc); err != nil {
		t.Fatal(err)
	}
	return r.Doc
}

// loadErr loads one page and fails the test unless it gives an error
// record.
func loadErr(t *testing.T, l loaders.Loader, src loaders.Source, data []byte) error {
	t.Helper()
	r := load(t, l, src, data)[0]
	if r.Err == nil {
		t.Fatalf("%s: document %q, want an error record", src.Name, r.Doc.Text)
	}
	if !strings.Contains(r.Err.Error(), src.Name) {
		t.Errorf("error %q does not name the source %q", r.Err, src.Name)
	}
	return r.Err
}

func newLoader(t testing.TB, opts html.Options) *html.Loader {
	t.Helper()
	l, err := html.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPages(t *testing.T) {
	for _, c := range []struct {
		file       string
		paragraphs []string // whole paragraphs of the text
		contains   []string
		excludes   []string
		title      string
		authors    []string
		url        string
		publisher  string
		published  string
		prec       graph.Precision
		headline   bool // the text opens with the title, marked as boilerplate
	}{
		{
			file: "article.html",
			paragraphs: []string{
				"Hundreds of dock workers stopped work at the city's container terminal on Monday morning after talks between their union and the port authority broke down late on Sunday night.",
				`"Nobody wants to be out here in the rain," said Maria Alvarez, a crane operator who has worked at the terminal for eleven years. "But we were left with no choice when the authority walked away from the table."`,
				"Shipping companies have warned that a prolonged stoppage could divert cargo to rival ports along the coast, costing the city jobs long after the dispute is settled.",
			},
			contains: []string{"Peter Lindqvist"},
			excludes: []string{
				"cookies", "Subscribe", "Business", "Most read", "tram line", "newsletter",
				"harbourwatcher", "raking it in", "Shameful", "ferries", "Post comment",
				"Privacy policy", "All rights reserved",
			},
			title:     "Dock workers walk out as port talks collapse",
			authors:   []string{"Jane Doe", "John Smith"},
			url:       "https://harbourgazette.example.org/news/2023/05/01/dock-workers-walk-out",
			publisher: "The Harbour Gazette",
			published: "2023-05-01", prec: graph.PrecisionDay,
			headline: true,
		},
		{
			file: "jsonld.html",
			paragraphs: []string{
				"The foreign ministers of the two neighbouring countries agreed on Tuesday to resume talks on the demarcation of their shared border, according to a joint statement released after a meeting in Geneva.",
				"Neither minister took questions from journalists. Local media reported that a second round of talks could take place in Brussels before the summer.",
			},
			excludes:  []string{"Log in", "Related stories", "Border villages", "Terms of use"},
			title:     "Foreign ministers agree to resume border talks",
			authors:   []string{"Anna Petrosyan", "David Hakobyan"},
			url:       "https://wire.example.com/politics/foreign-ministers-agree-to-resume-border-talks",
			publisher: "Caucasus Wire",
			published: "2023-03-21T19:22:00+04:00", prec: graph.PrecisionTime,
		},
		{
			file: "cp1252.html",
			paragraphs: []string{
				"“We have already lost two summers,” said José García, who runs a small café near the église Saint-Étienne. “This fee is the last thing we need.”",
				"The owners’ association plans a second protest next month if the council does not agree to meet them.",
			},
			contains:  []string{"€250,000", "Hélène Faßbender"},
			excludes:  []string{"Accueil", "tous droits"},
			title:     "Café owners protest new terrace fees",
			authors:   []string{"François Müller"},
			url:       "http://courrier.example.com/ville/cafe-terrace-fees.html",
			publisher: "Le Courrier du Lac",
			published: "2022-07-14", prec: graph.PrecisionDay,
			headline: true,
		},
		{
			file: "nodate.html",
			paragraphs: []string{
				`"The river gives and the river takes," said Elena Kowalska, who has farmed the same fields as her grandparents. "You learn to listen to it."`,
			},
			excludes:  []string{"Letters", "independent community newspaper", "2021", "Cooperative"},
			title:     "Why the river still matters to the people of the valley",
			authors:   []string{"Tomasz Nowak"},
			url:       "https://valleyvoice.example.net/features/why-the-river-still-matters",
			publisher: "Valley Voice",
			headline:  true,
		},
		{
			file: "results.html",
			paragraphs: []string{
				"Ward\tWinning candidate\tParty\tVotes\tTurnout",
				"Millbrook\tPriya Raman\tLabour\t2,871\t39%",
			},
			excludes:  []string{"Live", "Market Street"},
			title:     "Municipal election 2024: results by ward",
			url:       "https://herald.example.com/elections/2024/results",
			publisher: "Northshire Herald",
			published: "2024-05-03T06:15:00Z", prec: graph.PrecisionTime,
		},
	} {
		t.Run(c.file, func(t *testing.T) {
			d := loadDoc(t, newLoader(t, html.Options{}), loaders.Source{Name: c.file}, readFile(t, c.file))
			if d.Source != c.file || d.Format != html.Name {
				t.Errorf("source %q format %q", d.Source, d.Format)
			}
			paras := strings.Split(d.Text, "\n\n")
			for _, p := range paras {
				if strings.TrimSpace(p) != p || p == "" {
					t.Errorf("paragraph %q is empty or not trimmed", p)
				}
			}
			for _, p := range c.paragraphs {
				if !slices.Contains(paras, p) {
					t.Errorf("text lacks the paragraph %q; text:\n%s", p, d.Text)
				}
			}
			for _, s := range c.contains {
				if !strings.Contains(d.Text, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			for _, s := range c.excludes {
				if strings.Contains(d.Text, s) {
					t.Errorf("text has page furniture %q; text:\n%s", s, d.Text)
				}
			}
			loadertest.CheckMeta(t, d, loadertest.Meta{Title: c.title, URL: c.url, Publisher: c.publisher, Authors: c.authors, Published: c.published, Precision: c.prec})
			var marked []string
			for _, b := range d.Boilerplate {
				marked = append(marked, d.Text[b.Start:b.End])
			}
			switch {
			case c.headline && (len(marked) != 1 || marked[0] != c.title || !strings.HasPrefix(d.Text, c.title+"\n\n")):
				t.Errorf("boilerplate %q, want the headline %q at the start", marked, c.title)
			case !c.headline && len(marked) != 0:
				t.Errorf("boilerplate %q, want none", marked)
			}
		})
	}
}

func TestNoArticle(t *testing.T) {
	for _, c := range []struct {
		name string
		page string
	}{
		{"login.html", string(readFile(t, "login.html"))},
		{"only nav", `<!DOCTYPE html><html><head><title>Home</title></head><body><nav><a href="/a">News</a> <a href="/b">Sport</a></nav></body></html>`},
		{"empty body", `<!DOCTYPE html><html><head><title>Nothing here</title></head><body></body></html>`},
		{"script only", `<html><body><script>document.write("An article rendered by script, which we cannot run here at all.")</script></body></html>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := loadErr(t, newLoader(t, html.Options{}), loaders.Source{Name: c.name}, []byte(c.page))
			if !errors.Is(err, loaders.ErrNoText) {
				t.Errorf("error %v, want loaders.ErrNoText", err)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	page := readFile(t, "article.html")
	for _, c := range []struct {
		name string
		data []byte
		max  int64
		want error // nil: any error
	}{
		{name: "empty"},
		{name: "white space", data: []byte(" \n\t\n")},
		{name: "binary", data: append([]byte("<html>\x00\x01\x02"), page...)},
		{name: "png", data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
		{name: "too large", data: page, max: 1000, want: loaders.ErrTooLarge},
		{name: "just over the limit", data: page, max: int64(len(page)) - 1, want: loaders.ErrTooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := loadErr(t, newLoader(t, html.Options{}), loaders.Source{Name: c.name, MaxSize: c.max}, c.data)
			if c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("error %v, want %v", err, c.want)
			}
		})
	}
	t.Run("at the limit", func(t *testing.T) {
		loadDoc(t, newLoader(t, html.Options{}), loaders.Source{Name: "at the limit", MaxSize: int64(len(page))}, page)
	})
}

// article is a paragraph long enough to be taken for an article.
const article = `<p>The council voted on Tuesday to close the old bridge to traffic for repairs, which engineers say will take at least eighteen months and cost more than the original estimate.</p>
<p>Residents on both sides of the river have asked for a temporary footbridge so that children can still walk to school, and the council said it would consider the request at its next meeting.</p>`

func TestDeepNesting(t *testing.T) {
	const n = 100_000
	for _, c := range []struct {
		name string
		page string
		want error // nil: a document
	}{
		{"div", strings.Repeat("<div>", n) + article + strings.Repeat("</div>", n), html.ErrTooDeep},
		{"unclosed div", strings.Repeat("<div>", n) + article, html.ErrTooDeep},
		{"span", "<body>" + strings.Repeat("<span>", n) + article, html.ErrTooDeep},
		{"b", strings.Repeat("<b>", n) + article, html.ErrTooDeep},
		{"table", strings.Repeat("<table><tr><td>", n) + article, html.ErrTooDeep},
		{"misnested formatting", strings.Repeat("<b><i><p>", n) + article, loaders.ErrTooLarge},
		{"a and p", strings.Repeat("<a href=x><p>", n) + article, loaders.ErrTooLarge},
		{"li", "<ul>" + strings.Repeat("<li>x", n) + "</ul>" + article, loaders.ErrTooLarge},
		{"400 divs", "<html><body>" + strings.Repeat("<div>", 400) + article + strings.Repeat("</div>", 400), nil},
		{"1000 paragraphs in 1000 divs", "<html><body>" + strings.Repeat("<div><p>The tide came in.</p></div>", 1000) + article, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			r := load(t, newLoader(t, html.Options{}), loaders.Source{Name: c.name}, []byte(c.page))[0]
			if elapsed := time.Since(start); elapsed > 10*time.Second {
				t.Errorf("took %v", elapsed)
			}
			switch {
			case c.want == nil && r.Err != nil:
				t.Errorf("error %v, want a document", r.Err)
			case c.want == nil:
				if err := loadertest.Check(html.Name, r.Doc); err != nil {
					t.Error(err)
				}
				if !strings.Contains(r.Doc.Text, "temporary footbridge") {
					t.Errorf("text %q lacks the article", r.Doc.Text)
				}
			case r.Err == nil:
				t.Errorf("document of %d bytes, want %v", len(r.Doc.Text), c.want)
			case !errors.Is(r.Err, c.want):
				t.Errorf("error %v, want %v", r.Err, c.want)
			}
		})
	}
}

func TestCharset(t *testing.T) {
	latin1 := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r)) // the test strings stay within Latin-1
		}
		return b
	}
	utf16le := func(s string) []byte {
		b := []byte{0xff, 0xfe}
		for _, r := range s {
			b = append(b, byte(r), byte(r>>8)) // BMP only
		}
		return b
	}
	body := `<p>Le maire de Genève, Frédéric Müller, a annoncé jeudi la réouverture du théâtre municipal après deux années de travaux de rénovation très coûteux.</p>
<p>Selon lui, la saison débutera en septembre avec une pièce de Molière, et les élèves des écoles de la ville pourront assister gratuitement aux répétitions générales.</p>`
	long := strings.Repeat("<!-- padding to push the first accented letter past the first kilobyte -->\n", 20)
	for _, c := range []struct {
		name string
		data []byte
		mime string
	}{
		{"utf-8 meta", []byte(`<html><head><meta charset="utf-8"></head><body>` + body), ""},
		{"utf-8 bom", append([]byte("\xef\xbb\xbf"), `<html><body>`+body...), ""},
		{"utf-8 undeclared, past the first KB", []byte(`<html><body>` + long + body), ""},
		{"iso-8859-1 meta", latin1(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>` + body), ""},
		{"iso-8859-1 from MIME", latin1(`<html><body>` + body), "text/html; charset=ISO-8859-1"},
		{"latin-1 undeclared", latin1(`<html><body>` + body), ""},
		{"latin-1 undeclared, past the first KB", latin1(`<html><body>` + long + body), ""},
		{"utf-16le bom", utf16le(`<html><body>` + body), ""},
		{"xhtml with an xml declaration", latin1(`<?xml version="1.0" encoding="ISO-8859-1"?>` + "\n" + `<html xmlns="http://www.w3.org/1999/xhtml"><body>` + body + `</body></html>`), "application/xhtml+xml"},
		{"utf-8 with invalid bytes", append([]byte(`<html><body>`+body), 0xff, 0xfe, 'x'), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := loadDoc(t, newLoader(t, html.Options{}), loaders.Source{Name: c.name, MIME: c.mime}, c.data)
			if !utf8.ValidString(d.Text) {
				t.Fatalf("text is not UTF-8")
			}
			for _, s := range []string{"Genève, Frédéric Müller", "réouverture du théâtre", "Molière"} {
				if !strings.Contains(d.Text, s) {
					t.Errorf("text lacks %q: %q", s, d.Text)
				}
			}
		})
	}
}

func TestPublished(t *testing.T) {
	page := func(head, body string) []byte {
		return []byte("<!DOCTYPE html><html><head><title>Bridge to close for repairs</title>" + head + "</head><body><article>" + body + article + "</article></body></html>")
	}
	for _, c := range []struct {
		name string
		page []byte
		want *graph.Date
	}{
		{"article:published_time with zone",
			page(`<meta property="article:published_time" content="2023-05-01T10:00:00+03:00"><meta property="article:modified_time" content="2023-05-02T08:00:00+03:00">`, ""),
			&graph.Date{Value: "2023-05-01T10:00:00+03:00", Precision: graph.PrecisionTime}},
		{"JSON-LD before other meta",
			page(`<meta name="date" content="2020-01-01"><script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"X"},{"@type":"NewsArticle","datePublished":"2023-03-21T19:22:00+04:00","dateModified":"2023-03-22T10:00:00+04:00"}]}</script>`, ""),
			&graph.Date{Value: "2023-03-21T19:22:00+04:00", Precision: graph.PrecisionTime}},
		{"article:published_time before JSON-LD",
			page(`<meta property="article:published_time" content="2023-05-01T10:00:00Z"><script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2023-04-30"}</script>`, ""),
			&graph.Date{Value: "2023-05-01T10:00:00Z", Precision: graph.PrecisionTime}},
		{"itemprop time element",
			page("", `<p>Published <time itemprop="datePublished" datetime="2022-11-08T07:30:00-05:00">8 November 2022</time></p>`),
			&graph.Date{Value: "2022-11-08T07:30:00-05:00", Precision: graph.PrecisionTime}},
		{"meta day only",
			page(`<meta name="pubdate" content="2021-06-30">`, ""),
			&graph.Date{Value: "2021-06-30", Precision: graph.PrecisionDay}},
		{"meta month only",
			page(`<meta name="citation_publication_date" content="2021/06">`, ""),
			&graph.Date{Value: "2021-06", Precision: graph.PrecisionMonth}},
		{"date in the URL",
			page(`<link rel="canonical" href="https://news.example.com/2019/02/14/bridge-to-close">`, ""),
			&graph.Date{Value: "2019-02-14", Precision: graph.PrecisionDay}},
		{"unparseable meta falls through",
			page(`<meta property="article:published_time" content="soon"><meta name="pubdate" content="2021-06-30">`, ""),
			&graph.Date{Value: "2021-06-30", Precision: graph.PrecisionDay}},
		{"date line in the page",
			page("", `<p class="date">Published 21 March 2023</p>`),
			&graph.Date{Value: "2023-03-21", Precision: graph.PrecisionDay}},
		{"date and time line in the page",
			page("", `<div class="article-date">21.03.2023 19:22</div>`),
			&graph.Date{Value: "2023-03-21T19:22:00", Precision: graph.PrecisionTime}},
		{"no date", page("", ""), nil},
		{"relative date only", page("", `<p class="date">Published yesterday</p>`), nil},
		{"copyright year only", page("", `<footer>&copy; 2022 Example Media</footer>`), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := loadDoc(t, newLoader(t, html.Options{}), loaders.Source{Name: c.name}, c.page)
			switch {
			case c.want == nil && d.Published != nil:
				t.Errorf("published %+v, want none", *d.Published)
			case c.want != nil && (d.Published == nil || *d.Published != *c.want):
				t.Errorf("published %+v, want %+v", d.Published, *c.want)
			}
		})
	}
}

func TestURLAndPublisher(t *testing.T) {
	page := func(head string) []byte {
		return []byte("<!DOCTYPE html><html><head><title>Bridge to close for repairs</title>" + head + "</head><body><article>" + article + "</article></body></html>")
	}
	for _, c := range []struct {
		name, head, url, publisher string
	}{
		{"canonical", `<link rel="canonical" href="https://news.example.com/bridge">`, "https://news.example.com/bridge", ""},
		{"canonical relative to og:url", `<link rel="canonical" href="/local/bridge"><meta property="og:url" content="https://news.example.com/x/y?utm_source=fb">`, "https://news.example.com/local/bridge", ""},
		{"canonical relative to base", `<base href="https://news.example.com/local/"><link rel="canonical" href="bridge">`, "https://news.example.com/local/bridge", ""},
		{"protocol-relative og:url", `<base href="https://news.example.com/"><meta property="og:url" content="//news.example.com/bridge">`, "https://news.example.com/bridge", ""},
		{"relative without a base", `<link rel="canonical" href="/local/bridge">`, "", ""},
		{"og:url", `<meta property="og:url" content="https://news.example.com/bridge">`, "https://news.example.com/bridge", ""},
		{"not http", `<link rel="canonical" href="javascript:alert(1)">`, "", ""},
		{"og:site_name", `<meta property="og:site_name" content=" The  Example Times ">`, "", "The Example Times"},
		{"JSON-LD publisher", `<script type="application/ld+json">{"@type":"NewsArticle","publisher":{"@type":"Organization","name":"Example Wire"}}</script>`, "", "Example Wire"},
		{"og:site_name before JSON-LD", `<meta property="og:site_name" content="Example Times"><script type="application/ld+json">{"@type":"NewsArticle","publisher":{"name":"Example Media Group"}}</script>`, "", "Example Times"},
		{"application-name", `<meta name="application-name" content="Example Daily">`, "", "Example Daily"},
		{"twitter handle is not a name", `<meta name="twitter:site" content="@exampletimes">`, "", ""},
		{"publisher meta", `<meta name="twitter:site" content="@exampletimes"><meta name="publisher" content="Example Times Ltd">`, "", "Example Times Ltd"},
		{"facebook publisher is not a name", `<meta property="article:publisher" content="https://www.facebook.com/exampletimes">`, "", ""},
		{"host name is not a publisher", `<link rel="canonical" href="https://www.example.com/bridge">`, "https://www.example.com/bridge", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := loadDoc(t, newLoader(t, html.Options{}), loaders.Source{Name: c.name}, page(c.head))
			if d.URL != c.url {
				t.Errorf("url %q, want %q", d.URL, c.url)
			}
			if d.Publisher != c.publisher {
				t.Errorf("publisher %q, want %q", d.Publisher, c.publisher)
			}
		})
	}
}

func TestAuthors(t *testing.T) {
	for _, c := range []struct {
		name, head string
		want       []string
	}{
		{"comma", `<meta name="author" content="Jane Doe, John Smith">`, []string{"Jane Doe", "John Smith"}},
		{"semicolon", `<meta name="author" content="Jane Doe; John Smith">`, []string{"Jane Doe", "John Smith"}},
		{"and", `<meta name="author" content="Jane Doe and John Smith">`, []string{"Jane Doe", "John Smith"}},
		{"list and", `<meta name="author" content="Jane Doe, Ann Lee and John Smith">`, []string{"Jane Doe", "Ann Lee", "John Smith"}},
		{"JSON-LD", `<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person","name":"Anna Petrosyan"},{"@type":"Person","name":"David Hakobyan"}]}</script>`, []string{"Anna Petrosyan", "David Hakobyan"}},
		{"none", ``, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			page := "<!DOCTYPE html><html><head><title>Bridge to close</title>" + c.head + "</head><body><article>" + article + "</article></body></html>"
			d := loadDoc(t, newLoader(t, html.Options{}), loaders.Source{Name: c.name}, []byte(page))
			if !slices.Equal(d.Authors, c.want) {
				t.Errorf("authors %q, want %q", d.Authors, c.want)
			}
		})
	}
}

func TestTables(t *testing.T) {
	page := []byte(`<!DOCTYPE html><html><head><title>Bridge to close</title></head><body><article>` + article +
		`<table><tr><th>Phase</th><th>Months</th></tr><tr><td>Survey of the piers</td><td>3</td></tr><tr><td>Deck replacement</td><td>15</td></tr></table></article></body></html>`)
	for _, c := range []struct {
		name   string
		opts   html.Options
		tables bool
	}{
		{"zero value drops tables", html.Options{}, false},
		{"included", html.Options{IncludeTables: true}, true},
		{"recall, included", html.Options{Favor: html.FavorRecall, IncludeTables: true}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := loadDoc(t, newLoader(t, c.opts), loaders.Source{Name: c.name}, page)
			if !strings.Contains(d.Text, "temporary footbridge") {
				t.Errorf("text lacks the article: %q", d.Text)
			}
			if got := strings.Contains(d.Text, "Deck replacement\t15"); got != c.tables {
				t.Errorf("table in text: %v, want %v; text:\n%s", got, c.tables, d.Text)
			}
		})
	}
}

func TestOptions(t *testing.T) {
	for _, c := range []struct {
		name, json string
		ok         bool
	}{
		{"nil", "", true},
		{"null", "null", true},
		{"empty", "{}", true},
		{"all", `{"favor":"recall","includeTables":true,"minLength":200}`, true},
		{"balanced", `{"favor":"balanced"}`, true},
		{"precision", `{"favor":"precision"}`, true},
		{"unknown favor", `{"favor":"speed"}`, false},
		{"unknown field", `{"favour":"recall"}`, false},
		{"wrong type", `{"includeTables":"yes"}`, false},
		{"negative length", `{"minLength":-1}`, false},
		{"not an object", `[]`, false},
		{"trailing data", `{} {}`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var raw []byte
			if c.json != "" {
				raw = []byte(c.json)
			}
			l, err := html.Format.New(raw)
			switch {
			case c.ok && (err != nil || l == nil):
				t.Errorf("New: %v", err)
			case !c.ok && err == nil:
				t.Errorf("New accepted %s", c.json)
			case !c.ok && !strings.HasPrefix(err.Error(), "html: "):
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestMinLength(t *testing.T) {
	page := []byte(`<!DOCTYPE html><html><head><title>Short</title></head><body><article>` + article + `</article></body></html>`)
	loadDoc(t, newLoader(t, html.Options{MinLength: 300}), loaders.Source{Name: "300"}, page)
	err := loadErr(t, newLoader(t, html.Options{MinLength: 2000}), loaders.Source{Name: "2000"}, page)
	if !errors.Is(err, loaders.ErrNoText) {
		t.Errorf("error %v, want ErrNoText", err)
	}
}

func TestDetect(t *testing.T) {
	var reg loaders.Registry
	if err := reg.Register(html.Format); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, peek string
		want       bool
	}{
		{"doctype", "<!DOCTYPE html>\n<html>", true},
		{"doctype lower case after bom and space", "\xef\xbb\xbf \n<!doctype html><html>", true},
		{"xhtml doctype", `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">`, true},
		{"html", `<html lang="en">`, true},
		{"comment first", "<!-- saved from url=(0014)about:internet -->\n<!DOCTYPE html>\n<html>", true},
		{"comments then html", "<!-- a --><!-- b -->\n  <html>", true},
		{"head", "<head><title>x</title></head>", true},
		{"meta", `<meta charset="utf-8"><title>x</title>`, true},
		{"white space then body", "\n\n   <body class=x>", true},
		{"div", `<div id="main">`, true},
		{"xml declaration then xhtml", `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "x">`, true},
		{"xml declaration then html root", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">`, true},
		{"rss", `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>`, false},
		{"rss without declaration", `<rss version="2.0">`, false},
		{"atom", `<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<feed xmlns="http://www.w3.org/2005/Atom">`, false},
		{"atom without declaration", `<feed xmlns="http://www.w3.org/2005/Atom">`, false},
		{"rdf", `<?xml version="1.0"?><rdf:RDF xmlns:rdf="x">`, false},
		{"xml declaration then div", `<?xml version="1.0"?><div>`, false},
		{"comment then rss", `<!-- generator --><rss version="2.0">`, false},
		{"unclosed comment", `<!-- a comment that runs past the peek`, false},
		{"other doctype", `<!DOCTYPE note SYSTEM "note.dtd"><note>`, false},
		{"paragraph prefix of another element", `<param name=x>`, false},
		{"json", `{"title": "<html>"}`, false},
		{"text", "The minister said <b>so</b>.", false},
		{"empty", "", false},
		{"lone <", "<", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := reg.Detect([]byte(c.peek))
			if got := err == nil && f.Name == html.Name; got != c.want {
				t.Errorf("detected as HTML: %v, want %v (%v)", got, c.want, err)
			}
		})
	}
	for _, c := range []struct{ name, ext, mime string }{
		{"page.html", ".html", "text/html"},
		{"page.HTM", ".htm", "text/html; charset=utf-8"},
		{"page.xhtml", ".xhtml", "application/xhtml+xml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if f, err := reg.ByExt(c.name); err != nil || f.Name != html.Name {
				t.Errorf("ByExt(%q): %v", c.name, err)
			}
			if f, err := reg.ByMIME(c.mime); err != nil || f.Name != html.Name {
				t.Errorf("ByMIME(%q): %v", c.mime, err)
			}
		})
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := 0
	err := newLoader(t, html.Options{}).Load(ctx, loaders.Source{Name: "article.html"}, bytes.NewReader(readFile(t, "article.html")), func(loaders.Record) error {
		n++
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 0 {
		t.Errorf("Load returned %v after %d records, want context.Canceled and none", err, n)
	}
}

// samples returns the fixtures that are articles.
func samples(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("testdata/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	out := map[string][]byte{}
	for _, p := range files {
		if filepath.Base(p) == "login.html" {
			continue // no article: an error record, by design
		}
		out[filepath.Base(p)] = readFile(t, filepath.Base(p))
	}
	return out
}

func TestConformance(t *testing.T) {
	loadertest.Run(t, html.Format, samples(t))
}

func BenchmarkLoad(b *testing.B) {
	l := newLoader(b, html.Options{})
	pages := samples(b)
	var size int64
	for _, p := range pages {
		size += int64(len(p))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		for name, p := range pages {
			err := l.Load(ctx, loaders.Source{Name: name}, bytes.NewReader(p), func(r loaders.Record) error { return r.Err })
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
