package feed_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/feed"
	"github.com/provgraph/provgraph/loaders/loadertest"
)

// load reads data as a feed named name and returns its records.
func load(t testing.TB, name string, data []byte, maxSize int64) (docs []*loaders.Document, errs []error) {
	t.Helper()
	err := feed.New().Load(context.Background(), loaders.Source{Name: name, MaxSize: maxSize}, bytes.NewReader(data), func(r loaders.Record) error {
		switch {
		case r.Err != nil && r.Doc != nil:
			t.Fatalf("%s: record with both a document and an error", name)
		case r.Err != nil:
			errs = append(errs, r.Err)
		case r.Doc != nil:
			docs = append(docs, r.Doc)
		default:
			t.Fatalf("%s: empty record", name)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%s: Load: %v", name, err)
	}
	return docs, errs
}

func loadFile(t *testing.T, file string) ([]*loaders.Document, []error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return load(t, filepath.Join("testdata", file), data, 0)
}

func TestFields(t *testing.T) {
	type want struct {
		title, url, publisher string
		published             string
		prec                  graph.Precision
		authors               []string
		text                  string // the whole text
	}
	for _, c := range []struct {
		file  string
		items []want
	}{
		{"rss2.rss", []want{
			{
				title:     `Minister: "talks will resume"`,
				url:       "https://news.example.com/2023/05/01/talks-resume?utm_source=rss",
				publisher: "The Caucasus & Beyond Wire",
				published: "2023-05-01T10:00:00+03:00", prec: graph.PrecisionTime,
				authors: []string{"Anna Petrosyan", "John Smith"},
				text: "The foreign minister said on Monday that talks would resume “within weeks”.\n\n" +
					"Background\n\n" +
					"Negotiations stalled in March.\nA spokesman declined to comment.\n\n" +
					"First point\nSecond point\n\n" +
					"Reporting by Anna Petrosyan; editing by John Smith.",
			},
			{
				// A relative link; a zone abbreviation, which gofeed knows.
				title:     "Ceasefire holds in border villages",
				url:       "https://news.example.com/2023/05/02/ceasefire",
				publisher: "The Caucasus & Beyond Wire",
				published: "2023-05-02T08:30:00-05:00", prec: graph.PrecisionTime,
				authors: []string{"Wire Desk"},
				text:    "Residents said the night passed quietly.\n\nOfficials confirmed no incidents.",
			},
			{
				// No link: the permalink guid; dc:date at day precision.
				title:     "Statement from the ministry",
				url:       "https://news.example.com/2023/05/03/statement",
				publisher: "The Caucasus & Beyond Wire",
				published: "2023-05-03", prec: graph.PrecisionDay,
				text: "The ministry issued a statement.",
			},
		}},
		{"atom.atom", []want{
			{
				title:     "Parliament approves budget",
				url:       "https://gazette.example.org/world/2024/03/budget",
				publisher: "Mountain Gazette",
				published: "2024-03-01T18:45:00+04:00", prec: graph.PrecisionTime,
				authors: []string{"Lilit Hakobyan"},
				text:    "Parliament approved the budget on Friday.\n\nThe vote was 71 to 30.",
			},
			{
				// A path-relative link; the feed's author; xhtml content.
				title:     "Opposition calls for inquiry",
				url:       "https://gazette.example.org/world/2024/03/inquiry",
				publisher: "Mountain Gazette",
				published: "2024-03-02T09:15:30Z", prec: graph.PrecisionTime,
				authors: []string{"Gazette Staff"},
				text:    "The opposition called for an inquiry.\n\nIts leader spoke to reporters.",
			},
			{
				// type="text": angle brackets are text, line breaks kept.
				title:     "A & B in plain text",
				url:       "https://elsewhere.example.net/story",
				publisher: "Mountain Gazette",
				published: "2024-03", prec: graph.PrecisionMonth,
				authors: []string{"Gazette Staff"},
				text:    "Line one of plain text <not a tag>.\n\nSecond paragraph.",
			},
		}},
		{"summaries.rdf.xml", []want{
			{
				title:     "Talks in Brussels",
				url:       "https://briefs.example.com/a",
				publisher: "Daily Briefs",
				published: "2023-07-16", prec: graph.PrecisionDay,
				authors: []string{"Briefs Desk"},
				text:    "Leaders met in Brussels on Sunday, officials said.",
			},
			{
				title:     "Border crossing reopens",
				url:       "https://briefs.example.com/b",
				publisher: "Daily Briefs",
				published: "2023-07-17T06:00:00+02:00", prec: graph.PrecisionTime,
				text: "The crossing reopened after two days.",
			},
		}},
		{"jsonfeed.json", []want{
			{
				title:     "President meets delegation",
				url:       "https://press.example.gov/releases/1",
				publisher: "Press Releases",
				published: "2023-03-21T19:22:00+04:00", prec: graph.PrecisionTime,
				authors: []string{"Maria Ivanova"},
				text:    "The President met the delegation.\n\nThey discussed trade & security.",
			},
			{
				// content_text is plain text; date_modified only.
				title:     "Statement on elections",
				url:       "https://press.example.gov/releases/2",
				publisher: "Press Releases",
				published: "2023-03-22", prec: graph.PrecisionDay,
				authors: []string{"Press Service"},
				text:    "The Press Service issued a statement.\n\nElections will be held in June. <b> stays as written.",
			},
			{
				title:     "Summary only",
				publisher: "Press Releases",
				authors:   []string{"Press Service"},
				text:      "Only a summary here & nothing else.",
			},
		}},
	} {
		t.Run(c.file, func(t *testing.T) {
			docs, errs := loadFile(t, c.file)
			if len(errs) > 0 {
				t.Fatalf("error records: %v", errs)
			}
			if len(docs) != len(c.items) {
				t.Fatalf("%d documents, want %d", len(docs), len(c.items))
			}
			for i, w := range c.items {
				d := docs[i]
				t.Run(fmt.Sprint("item", i+1), func(t *testing.T) {
					if want := fmt.Sprintf("testdata/%s:%d", c.file, i+1); d.Source != want {
						t.Errorf("source %q, want %q", d.Source, want)
					}
					if d.Format != feed.Name {
						t.Errorf("format %q", d.Format)
					}
					loadertest.CheckMeta(t, d, loadertest.Meta{Title: w.title, URL: w.url, Publisher: w.publisher, Authors: w.authors, Published: w.published, Precision: w.prec})
					if d.Text != w.text {
						t.Errorf("text\n%q\nwant\n%q", d.Text, w.text)
					}
					if err := loadertest.Check(feed.Name, d); err != nil {
						t.Error(err)
					}
				})
			}
		})
	}
}

func TestItemWithoutText(t *testing.T) {
	docs, errs := loadFile(t, "notext.rss")
	var sources []string
	for _, d := range docs {
		sources = append(sources, d.Source)
	}
	if want := []string{"testdata/notext.rss:1", "testdata/notext.rss:3"}; !slices.Equal(sources, want) {
		t.Errorf("documents %q, want %q", sources, want)
	}
	if len(errs) != 1 {
		t.Fatalf("%d error records, want 1: %v", len(errs), errs)
	}
	var se *loaders.SyntaxError
	if !errors.As(errs[0], &se) || se.Source != "testdata/notext.rss" || se.Line != 2 {
		t.Errorf("error %#v, want a SyntaxError at item 2 of testdata/notext.rss", errs[0])
	}
	if !errors.Is(errs[0], loaders.ErrNoText) {
		t.Errorf("error %v does not wrap ErrNoText", errs[0])
	}
	if !strings.HasPrefix(errs[0].Error(), "testdata/notext.rss:2: feed: ") {
		t.Errorf("error %q does not name the source and item", errs[0])
	}
}

// rssWith returns an RSS feed whose one item has content as its
// content:encoded and summary as its description (each left out when
// empty).
func rssWith(content, summary string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><link>https://example.com/</link><item><title>Item</title>`)
	if content != "" {
		fmt.Fprintf(&b, "<content:encoded><![CDATA[%s]]></content:encoded>", content)
	}
	if summary != "" {
		fmt.Fprintf(&b, "<description><![CDATA[%s]]></description>", summary)
	}
	b.WriteString("</item></channel></rss>")
	return []byte(b.String())
}

func TestText(t *testing.T) {
	for _, c := range []struct {
		name, content, summary, want string
	}{
		{"paragraphs", "<p>One.</p><p>Two.</p>", "", "One.\n\nTwo."},
		{"blocks are lines", "<div>One.</div><div>Two.</div>", "", "One.\nTwo."},
		{"br", "One.<br>Two.<br/><br />Three.", "", "One.\nTwo.\n\nThree."},
		{"white space collapses", "<p>  One\n\t  two   three  </p>", "", "One two three"},
		{"entities", "<p>A &amp; B &lt;c&gt; &eacute;t&eacute; &#8220;q&#x201D;&nbsp;x</p>", "", "A & B <c> été “q” x"},
		{"scripts and styles dropped", "<p>Before.</p><script>alert('x<p>y</p>')</script><style>p{}</style><noscript>Enable JS</noscript><p>After.</p>", "", "Before.\n\nAfter."},
		{"svg and template dropped", "<p>A.</p><svg><text>chart</text></svg><template><p>hidden</p></template><p>B.</p>", "", "A.\n\nB."},
		{"inline elements join", "<p>Wash<b>ing</b>ton <a href=\"x\">said</a>.</p>", "", "Washington said."},
		{"lists", "<p>Points:</p><ul><li>one</li><li>two</li></ul><p>End.</p>", "", "Points:\n\none\ntwo\n\nEnd."},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>", "", "a b\nc d"},
		{"pre keeps spaces", "<p>Code:</p><pre>  x = 1\n    y = 2\n</pre>", "", "Code:\n\n  x = 1\n    y = 2"},
		{"comments dropped", "<p>A<!-- note -->B</p>", "", "AB"},
		{"headings", "<h1>Title</h1>Body text.", "", "Title\n\nBody text."},
		{"full document", "<html><head><title>Page</title><meta charset=utf-8></head><body><p>Body.</p></body></html>", "", "Body."},
		{"unclosed tags", "<p>One<p>Two<div>Three", "", "One\n\nTwo\nThree"},
		{"plain text keeps lines", "Line one.\nLine two.\n\n\n\nPara  two &amp; more.", "", "Line one.\nLine two.\n\nPara two & more."},
		{"less-than is not a tag", "3 < 4 and 5 > 2", "", "3 < 4 and 5 > 2"},
		{"content without text falls back to summary", `<p><img src="x.jpg"></p>`, "<p>The summary.</p>", "The summary."},
		{"summary only", "", "Only the summary.", "Only the summary."},
		{"control characters dropped", "A\x01B\x7fC", "", "ABC"},
	} {
		t.Run(c.name, func(t *testing.T) {
			docs, errs := load(t, "t.rss", rssWith(c.content, c.summary), 0)
			if len(errs) > 0 || len(docs) != 1 {
				t.Fatalf("%d documents, errors %v", len(docs), errs)
			}
			if docs[0].Text != c.want {
				t.Errorf("text\n%q\nwant\n%q", docs[0].Text, c.want)
			}
		})
	}
}

func TestMalformed(t *testing.T) {
	rss, err := os.ReadFile("testdata/rss2.rss")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data string
		line int    // 0: any
		msg  string // in the error message
	}{
		{"truncated XML", string(rss[:len(rss)/2]), 0, "EOF"},
		{"not a name", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n<item><title>x</title><=></item>\n</channel></rss>", 4, "feed: "},
		{"invalid UTF-8", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n<item><title>x</title></item>\n<item><title>\xff</title></item></channel></rss>", 5, "UTF-8"},
		{"not a feed", "<?xml version=\"1.0\"?>\n<urlset><url/></urlset>", 0, "root element <urlset>"},
		{"not a feed at all", "just some words", 0, "not an RSS, Atom or JSON feed"},
		{"bad JSON", "{\n\"version\": \"https://jsonfeed.org/version/1.1\",\n\"items\": [ {\"title\": }\n]}", 3, "feed: "},
		{"items not an array", "{\"version\": \"https://jsonfeed.org/version/1.1\",\n\"items\": 7}", 0, "items is not an array"},
		{"bad encoding", "<?xml version=\"1.0\" encoding=\"no-such-charset\"?><rss><channel><item><description>x</description></item></channel></rss>", 0, "no-such-charset"},
		{"no items", "<rss version=\"2.0\"><channel><title>Empty</title></channel></rss>", 0, "no items"},
		{"empty", "  \n", 0, "empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			docs, errs := load(t, "bad.xml", []byte(c.data), 0)
			if len(docs) != 0 || len(errs) != 1 {
				t.Fatalf("%d documents and %d errors, want one error: %v", len(docs), len(errs), errs)
			}
			var se *loaders.SyntaxError
			if !errors.As(errs[0], &se) || se.Source != "bad.xml" {
				t.Fatalf("error %#v is not a SyntaxError naming the source", errs[0])
			}
			if c.line != 0 && se.Line != c.line {
				t.Errorf("line %d, want %d (%v)", se.Line, c.line, errs[0])
			}
			if !strings.HasPrefix(errs[0].Error(), "bad.xml") || !strings.Contains(errs[0].Error(), c.msg) {
				t.Errorf("error %q, want the source and %q", errs[0], c.msg)
			}
		})
	}
}

// generate returns an RSS feed of n small items.
func generate(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Generated</title><link>https://gen.example.com/</link>` + "\n")
	for i := range n {
		fmt.Fprintf(&b, "<item><title>Item %d</title><link>/items/%d</link><dc:creator>Author %d</dc:creator><pubDate>Mon, 01 May 2023 10:%02d:00 +0300</pubDate><description>&lt;p&gt;The minister said item %d was ready.&lt;/p&gt;</description></item>\n", i, i, i%100, i%60, i)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

func TestLimits(t *testing.T) {
	t.Run("feed up to five times the limit", func(t *testing.T) {
		data := generate(20)
		limit := int64(len(data))/feed.SizeFactor + 1
		docs, errs := load(t, "big.rss", data, limit)
		if len(docs) != 20 || len(errs) != 0 {
			t.Errorf("%d documents, errors %v; want 20 documents", len(docs), errs)
		}
	})
	t.Run("feed past five times the limit", func(t *testing.T) {
		data := generate(20)
		limit := int64(len(data))/feed.SizeFactor - 1
		docs, errs := load(t, "big.rss", data, limit)
		if len(docs) != 0 || len(errs) != 1 || !errors.Is(errs[0], loaders.ErrTooLarge) {
			t.Fatalf("%d documents, errors %v; want one ErrTooLarge", len(docs), errs)
		}
		if !strings.HasPrefix(errs[0].Error(), "big.rss: ") {
			t.Errorf("error %q does not name the source", errs[0])
		}
	})
	t.Run("item past the limit", func(t *testing.T) {
		long := strings.Repeat("word ", 400)
		data := []byte(`<rss version="2.0"><channel><title>T</title>` +
			`<item><description>Short one.</description></item>` +
			`<item><description>` + long + `</description></item>` +
			`<item><description>Short two.</description></item></channel></rss>`)
		docs, errs := load(t, "items.rss", data, 1000)
		if len(docs) != 2 || len(errs) != 1 {
			t.Fatalf("%d documents, errors %v; want 2 documents and 1 error", len(docs), errs)
		}
		var se *loaders.SyntaxError
		if !errors.Is(errs[0], loaders.ErrTooLarge) || !errors.As(errs[0], &se) || se.Line != 2 {
			t.Errorf("error %v, want ErrTooLarge at item 2", errs[0])
		}
	})
}

// tiny returns an RSS feed of n tiny items.
func tiny(n int) []byte {
	var b bytes.Buffer
	b.WriteString("<rss version=\"2.0\"><channel><title>Tiny</title>\n")
	for i := range n {
		fmt.Fprintf(&b, "<item><description>Item %d.</description></item>\n", i)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

// TestManyItems loads 100,000 items and checks that memory grows with the
// feed's size, not with its number of items, and allocations per item stay
// small.
func TestManyItems(t *testing.T) {
	const n = 100_000
	data := tiny(n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var peak uint64
	count := 0
	start := time.Now()
	err := feed.New().Load(context.Background(), loaders.Source{Name: "many.rss"}, bytes.NewReader(data), func(r loaders.Record) error {
		if r.Err != nil {
			return r.Err
		}
		if count++; count%25_000 == 0 {
			var m runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc-min(m.HeapAlloc, before.HeapAlloc))
		}
		return nil
	})
	elapsed := time.Since(start)
	runtime.KeepAlive(data) // counted in before: the growth is the loader's
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if count != n {
		t.Fatalf("%d documents, want %d", count, n)
	}
	perItem := (after.TotalAlloc - before.TotalAlloc) / n
	t.Logf("%d items, %.1f MB: %v, %d bytes allocated per item, %.1f MB live at most", n, float64(len(data))/1e6, elapsed, perItem, float64(peak)/1e6)
	// The feed is held while its items are read, with 24 bytes of position
	// per item; gofeed's structure of a whole feed would be kilobytes per
	// item.
	if limit := 2*uint64(len(data)) + 64*n; peak > limit {
		t.Errorf("%d bytes live while loading a feed of %d, want at most %d", peak, len(data), limit)
	}
	// Parsing each item apart costs a few buffers; anything growing with
	// the feed would be far past this.
	if perItem > 32<<10 {
		t.Errorf("%d bytes allocated per item", perItem)
	}
}

func TestCancel(t *testing.T) {
	data := generate(100)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	err := feed.New().Load(ctx, loaders.Source{Name: "c.rss"}, bytes.NewReader(data), func(loaders.Record) error {
		if n++; n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 3 {
		t.Errorf("Load returned %v after %d records, want context.Canceled after 3", err, n)
	}
}

func TestXMLDetails(t *testing.T) {
	for _, c := range []struct {
		name  string
		data  string
		texts []string // of the documents, in order
		urls  []string
		errs  int
	}{
		{
			name:  "declared encoding",
			data:  "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss version=\"2.0\"><channel><title>\xcd\xee\xe2\xee\xf1\xf2\xe8</title><item><description>\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0.</description></item></channel></rss>",
			texts: []string{"Привет, мир."},
			urls:  []string{""},
		},
		{
			name:  "control characters dropped as gofeed does",
			data:  "<rss version=\"2.0\"><channel><item><description>A\x0bB\x01.</description></item></channel></rss>",
			texts: []string{"AB."},
			urls:  []string{""},
		},
		{
			name: "an element of another namespace named item is not an item",
			data: `<rss version="2.0" xmlns:x="urn:x"><channel><link>https://a.example/</link>` +
				`<item><description>One.</description></item>` +
				`<x:item><description>Not an item.</description></x:item>` +
				`<item><description>Two.</description></item></channel></rss>`,
			texts: []string{"One.", "Two."},
			urls:  []string{"", ""},
		},
		{
			name: "xml:base on the channel and the item",
			data: `<rss version="2.0"><channel xml:base="https://base.example/news/">` +
				`<item><link>a.html</link><description>One.</description></item>` +
				`<item xml:base="https://other.example/x/"><link>b.html</link><description>Two.</description></item></channel></rss>`,
			texts: []string{"One.", "Two."},
			urls:  []string{"https://base.example/news/a.html", "https://other.example/x/b.html"},
		},
		{
			name: "RSS 0.9 items beside the channel",
			data: `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">` +
				`<channel><title>Old</title><link>https://old.example/</link></channel>` +
				`<item><title>A</title><link>https://old.example/a</link><description>First.</description></item>` +
				`<item><title>B</title><link>/b</link><description>Second.</description></item></rdf:RDF>`,
			texts: []string{"First.", "Second."},
			urls:  []string{"https://old.example/a", "https://old.example/b"},
		},
		{
			name:  "what follows the root is not read, as with gofeed",
			data:  `<rss version="2.0"><channel><item><description>One.</description></item></channel></rss><<<>>>&`,
			texts: []string{"One."},
			urls:  []string{""},
		},
		{
			name: "metadata after the items",
			data: `<rss version="2.0"><channel><item><link>/a</link><description>One.</description></item>` +
				`<title>Late Title</title><link>https://late.example/</link></channel></rss>`,
			texts: []string{"One."},
			urls:  []string{"https://late.example/a"},
		},
		{
			name: "many items, in batches",
			data: func() string {
				var b strings.Builder
				b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom">`)
				for i := range 1000 {
					fmt.Fprintf(&b, "<entry><summary>%d</summary></entry>", i)
				}
				return b.String() + "</feed>"
			}(),
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			docs, errs := load(t, "x.xml", []byte(c.data), 0)
			if len(errs) != c.errs {
				t.Errorf("errors %v, want %d", errs, c.errs)
			}
			if c.texts == nil {
				for i, d := range docs {
					if want := fmt.Sprint(i); d.Text != want || d.Source != fmt.Sprintf("x.xml:%d", i+1) {
						t.Fatalf("document %d: %s %q", i, d.Source, d.Text)
					}
				}
				return
			}
			var texts, urls []string
			for _, d := range docs {
				texts, urls = append(texts, d.Text), append(urls, d.URL)
			}
			if !slices.Equal(texts, c.texts) {
				t.Errorf("texts %q, want %q", texts, c.texts)
			}
			if !slices.Equal(urls, c.urls) {
				t.Errorf("urls %q, want %q", urls, c.urls)
			}
		})
	}
}

func TestJSONItemErrors(t *testing.T) {
	data := `{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [
		{"content_text": "One."},
		{"content_text": 5},
		null,
		{"summary": "Four."}
	]}`
	docs, errs := load(t, "j.json", []byte(data), 0)
	var sources []string
	for _, d := range docs {
		sources = append(sources, d.Source+" "+d.Text)
	}
	if want := []string{"j.json:1 One.", "j.json:4 Four."}; !slices.Equal(sources, want) {
		t.Errorf("documents %q, want %q", sources, want)
	}
	var lines []int
	for _, err := range errs {
		var se *loaders.SyntaxError
		if errors.As(err, &se) {
			lines = append(lines, se.Line)
		}
	}
	if want := []int{2, 3}; !slices.Equal(lines, want) {
		t.Errorf("errors %v at items %v, want items %v", errs, lines, want)
	}
}

func TestDetect(t *testing.T) {
	var r loaders.Registry
	if err := feed.Register(&r); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, peek string
		want       bool
	}{
		{"rss", `<rss version="2.0">`, true},
		{"atom", "\n  <feed xmlns=\"http://www.w3.org/2005/Atom\">", true},
		{"rdf", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">`, true},
		{"declaration then rss", `<?xml version="1.0" encoding="utf-8"?>` + "\n<rss>", true},
		{"bom, declaration, comment, doctype then atom", "\xef\xbb\xbf<?xml version=\"1.0\"?><!-- generated --><!DOCTYPE feed [<!ENTITY x \"y\">]><feed>", true},
		{"stylesheet then rss", `<?xml version="1.0"?><?xml-stylesheet href="a.xsl"?><rss>`, true},
		{"json feed", `{"version": "https://jsonfeed.org/version/1.1", "title": "x"}`, true},
		{"json feed, escaped slashes", `{ "title": "x", "version" : "https:\/\/jsonfeed.org\/version\/1" }`, true},
		{"other xml", `<?xml version="1.0"?><urlset>`, false},
		{"html", `<!DOCTYPE html><html><body><rss>`, false},
		{"xml with rss after 512 bytes", `<?xml version="1.0"?><!--` + strings.Repeat("x", 600) + `--><rss>`, false},
		{"other json", `{"version": "2"}`, false},
		{"text", "rss feeds are nice", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := r.Detect([]byte(c.peek))
			if got := err == nil && f.Name == feed.Name; got != c.want {
				t.Errorf("detected %v (%v), want %v", got, err, c.want)
			}
		})
	}
	for _, c := range []struct{ ext, mime string }{
		{"a.rss", "application/rss+xml"}, {"a.atom", "application/atom+xml"}, {"a.XML", "application/feed+json"}, {"a.xml", "text/xml; charset=utf-8"}, {"a.xml", "application/xml"},
	} {
		if f, err := r.ByExt(c.ext); err != nil || f.Name != feed.Name {
			t.Errorf("ByExt(%q): %v", c.ext, err)
		}
		if f, err := r.ByMIME(c.mime); err != nil || f.Name != feed.Name {
			t.Errorf("ByMIME(%q): %v", c.mime, err)
		}
	}
}

func TestRegisterLeavesGenericXML(t *testing.T) {
	var r loaders.Registry
	other := loaders.Format{Name: "xmldoc", MIMETypes: []string{"application/xml"}, New: feed.Format.New}
	if err := r.Register(other); err != nil {
		t.Fatal(err)
	}
	if err := feed.Register(&r); err != nil {
		t.Fatalf("Register beside a format claiming application/xml: %v", err)
	}
	if f, _ := r.ByMIME("application/xml"); f.Name != "xmldoc" {
		t.Errorf("application/xml went to %q", f.Name)
	}
	if f, _ := r.ByMIME("text/xml"); f.Name != feed.Name {
		t.Errorf("text/xml went to %q", f.Name)
	}
	if !slices.Contains(feed.Format.MIMETypes, "application/xml") {
		t.Errorf("Register changed Format")
	}
}

func TestOptions(t *testing.T) {
	for _, c := range []struct {
		opts string
		ok   bool
	}{{"", true}, {"null", true}, {"{}", true}, {`{"x": 1}`, false}} {
		_, err := feed.Format.New(json.RawMessage(c.opts))
		if (err == nil) != c.ok {
			t.Errorf("New(%q): %v", c.opts, err)
		}
	}
}

// samples are the valid fixtures, which load without error records.
func samples(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	for _, name := range []string{"rss2.rss", "atom.atom", "summaries.rdf.xml", "jsonfeed.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	return out
}

func TestConformance(t *testing.T) {
	loadertest.Run(t, feed.Format, samples(t))
}

func FuzzLoad(f *testing.F) {
	// Files only: testdata/fuzz holds the corpus go test replays itself.
	files, _ := filepath.Glob("testdata/*.*")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(rssWith("<p>a<pre> b\n c</pre><svg>", "x"))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[null,{"content_text":"a"}]}`))
	l := feed.New()
	f.Fuzz(func(t *testing.T, data []byte) {
		err := l.Load(context.Background(), loaders.Source{Name: "fuzz", MaxSize: 1 << 16}, bytes.NewReader(data), func(r loaders.Record) error {
			if (r.Doc == nil) == (r.Err == nil) {
				t.Fatalf("record with document %v and error %v", r.Doc, r.Err)
			}
			var se *loaders.SyntaxError
			if r.Err != nil && (!errors.As(r.Err, &se) || se.Source != "fuzz") {
				t.Fatalf("error %v does not name the source", r.Err)
			}
			if r.Doc != nil {
				if err := loadertest.Check(feed.Name, r.Doc); err != nil {
					t.Fatal(err)
				}
				if len(r.Doc.Text) > 1<<16 {
					t.Fatalf("text of %d bytes past the limit", len(r.Doc.Text))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
	})
}

// generateAtom and generateJSON return feeds like generate's.
func generateAtom(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<feed xmlns="http://www.w3.org/2005/Atom"><title>Generated</title><link href="https://gen.example.com/"/>` + "\n")
	for i := range n {
		fmt.Fprintf(&b, "<entry><title>Item %d</title><link href=\"/items/%d\"/><author><name>Author %d</name></author><updated>2023-05-01T10:%02d:00+03:00</updated><content type=\"html\">&lt;p&gt;The minister said item %d was ready.&lt;/p&gt;</content></entry>\n", i, i, i%100, i%60, i)
	}
	b.WriteString("</feed>\n")
	return b.Bytes()
}

func generateJSON(n int) []byte {
	type item struct {
		Title         string `json:"title"`
		URL           string `json:"url"`
		ContentHTML   string `json:"content_html"`
		DatePublished string `json:"date_published"`
		Authors       []struct {
			Name string `json:"name"`
		} `json:"authors"`
	}
	f := struct {
		Version string `json:"version"`
		Title   string `json:"title"`
		Home    string `json:"home_page_url"`
		Items   []item `json:"items"`
	}{Version: "https://jsonfeed.org/version/1.1", Title: "Generated", Home: "https://gen.example.com/"}
	for i := range n {
		it := item{
			Title:         fmt.Sprintf("Item %d", i),
			URL:           fmt.Sprintf("/items/%d", i),
			ContentHTML:   fmt.Sprintf("<p>The minister said item %d was ready.</p>", i),
			DatePublished: fmt.Sprintf("2023-05-01T10:%02d:00+03:00", i%60),
		}
		it.Authors = append(it.Authors, struct {
			Name string `json:"name"`
		}{fmt.Sprintf("Author %d", i%100)})
		f.Items = append(f.Items, it)
	}
	b, _ := json.Marshal(f)
	return b
}

func TestGeneratedFeeds(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
	}{{"rss", generate(50)}, {"atom", generateAtom(50)}, {"json", generateJSON(50)}, {"tiny", tiny(50)}} {
		t.Run(c.name, func(t *testing.T) {
			docs, errs := load(t, c.name, c.data, 0)
			if len(docs) != 50 || len(errs) != 0 {
				t.Fatalf("%d documents, errors %v", len(docs), errs)
			}
			d := docs[49]
			if want := "Item 49."; c.name == "tiny" && d.Text != want {
				t.Errorf("text %q, want %q", d.Text, want)
			}
			if c.name == "tiny" {
				return
			}
			if want := "The minister said item 49 was ready."; d.Text != want {
				t.Errorf("text %q, want %q", d.Text, want)
			}
			if want := "https://gen.example.com/items/49"; d.URL != want {
				t.Errorf("url %q, want %q", d.URL, want)
			}
			if want := "2023-05-01T10:49:00+03:00"; d.Published == nil || d.Published.Value != want {
				t.Errorf("published %+v, want %s", d.Published, want)
			}
			if want := []string{"Author 49"}; !slices.Equal(d.Authors, want) {
				t.Errorf("authors %q, want %q", d.Authors, want)
			}
		})
	}
}

// BenchmarkLoad loads generated feeds of 10,000 items: articles of about
// 250 bytes in each format, and tiny items.
func BenchmarkLoad(b *testing.B) {
	const n = 10_000
	for _, c := range []struct {
		name string
		data []byte
	}{{"rss", generate(n)}, {"atom", generateAtom(n)}, {"json", generateJSON(n)}, {"tiny", tiny(n)}} {
		b.Run(c.name, func(b *testing.B) {
			l := feed.New()
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				err := l.Load(context.Background(), loaders.Source{Name: "bench"}, bytes.NewReader(c.data), func(r loaders.Record) error { return r.Err })
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "items/s")
		})
	}
}
