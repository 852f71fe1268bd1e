package jsonl_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/jsonl"
	"github.com/provgraph/provgraph/loaders/loadertest"
)

// load runs l over data and returns what it emitted.
func load(t testing.TB, l loaders.Loader, src loaders.Source, data []byte) (docs []*loaders.Document, errs []error) {
	t.Helper()
	err := l.Load(context.Background(), src, bytes.NewReader(data), func(r loaders.Record) error {
		switch {
		case r.Err != nil:
			errs = append(errs, r.Err)
		case r.Doc != nil:
			docs = append(docs, r.Doc)
		default:
			t.Errorf("empty record")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return docs, errs
}

func newLoader(t testing.TB, opt jsonl.Options) *jsonl.Loader {
	t.Helper()
	l, err := jsonl.New(opt)
	if err != nil {
		t.Fatalf("New(%+v): %v", opt, err)
	}
	return l
}

// want is what a test expects of a document; empty fields are expected
// empty.
type want struct {
	text, title, url, publisher string
	authors                     []string
	published                   string
	prec                        graph.Precision
}

func check(t *testing.T, d *loaders.Document, w want) {
	t.Helper()
	if d.Format != jsonl.Name {
		t.Errorf("format %q, want %q", d.Format, jsonl.Name)
	}
	if d.Text != w.text {
		t.Errorf("text %q, want %q", d.Text, w.text)
	}
	loadertest.CheckMeta(t, d, loadertest.Meta{Title: w.title, URL: w.url, Publisher: w.publisher, Authors: w.authors, Published: w.published, Precision: w.prec})
	if len(d.Boilerplate) != 0 {
		t.Errorf("boilerplate %v, want none", d.Boilerplate)
	}
	if err := loadertest.Check(jsonl.Name, d); err != nil {
		t.Error(err)
	}
}

func TestFieldMapping(t *testing.T) {
	const txt = "The minister said so."
	for _, c := range []struct {
		name   string
		fields map[string]string
		line   string
		want   want
	}{
		// Text.
		{name: "text", line: `{"text":"The minister said so."}`, want: want{text: txt}},
		{name: "content", line: `{"content":"The minister said so."}`, want: want{text: txt}},
		{name: "body", line: `{"body":"The minister said so."}`, want: want{text: txt}},
		{name: "article", line: `{"article":"The minister said so."}`, want: want{text: txt}},
		{name: "full_text", line: `{"full_text":"The minister said so."}`, want: want{text: txt}},
		{name: "text before content", line: `{"content":"other","text":"The minister said so."}`, want: want{text: txt}},
		{name: "blank text falls back", line: `{"text":"  ","body":"The minister said so."}`, want: want{text: txt}},
		{name: "null text falls back", line: `{"text":null,"content":"The minister said so."}`, want: want{text: txt}},
		{name: "name case", line: `{"Text":"The minister said so.","TITLE":"T"}`, want: want{text: txt, title: "T"}},
		{name: "last duplicate wins", line: `{"text":"first","text":"The minister said so."}`, want: want{text: txt}},
		{name: "escapes", line: `{"text":"Caf\u00e9 \ud83d\ude00 \"q\"\n\ttab\\ \/ \ud800 end"}`, want: want{text: "Café 😀 \"q\"\n\ttab\\ / \uFFFD end"}},
		{name: "raw utf-8", line: `{"text":"Ереван — Yerevan"}`, want: want{text: "Ереван — Yerevan"}},
		{name: "escaped key", line: `{"t\u0065xt":"The minister said so."}`, want: want{text: txt}},
		{name: "nested fields ignored", line: `{"meta":{"title":"no","text":"no"},"text":"The minister said so.","x":[1,2.5e3,true,false,null,{}]}`, want: want{text: txt}},
		// Title, URL, publisher.
		{name: "title", line: `{"text":"x y","title":" A Title "}`, want: want{text: "x y", title: "A Title"}},
		{name: "headline", line: `{"text":"x y","headline":"A Headline"}`, want: want{text: "x y", title: "A Headline"}},
		{name: "url", line: `{"text":"x y","url":"https://a.example/1"}`, want: want{text: "x y", url: "https://a.example/1"}},
		{name: "link", line: `{"text":"x y","link":"https://a.example/2"}`, want: want{text: "x y", url: "https://a.example/2"}},
		{name: "canonical_url", line: `{"text":"x y","canonical_url":"https://a.example/3"}`, want: want{text: "x y", url: "https://a.example/3"}},
		{name: "url before link", line: `{"text":"x y","link":"https://a.example/2","url":"https://a.example/1"}`, want: want{text: "x y", url: "https://a.example/1"}},
		{name: "outlet", line: `{"text":"x y","outlet":"Daily"}`, want: want{text: "x y", publisher: "Daily"}},
		{name: "source", line: `{"text":"x y","source":"Wire"}`, want: want{text: "x y", publisher: "Wire"}},
		{name: "source object", line: `{"text":"x y","source":{"id":"w","name":"Wire"}}`, want: want{text: "x y", publisher: "Wire"}},
		{name: "publisher", line: `{"text":"x y","publisher":"Press"}`, want: want{text: "x y", publisher: "Press"}},
		{name: "site_name", line: `{"text":"x y","site_name":"Site"}`, want: want{text: "x y", publisher: "Site"}},
		{name: "site", line: `{"text":"x y","site":"Site 2"}`, want: want{text: "x y", publisher: "Site 2"}},
		{name: "wrong kinds ignored", line: `{"text":"x y","title":5,"url":["u"],"outlet":true}`, want: want{text: "x y"}},
		{name: "invalid utf-8 in title replaced", line: "{\"text\":\"x y\",\"title\":\"a\xffb\"}", want: want{text: "x y", title: "a\uFFFDb"}},
		// Authors.
		{name: "authors string", line: `{"text":"x y","authors":"Jane Roe"}`, want: want{text: "x y", authors: []string{"Jane Roe"}}},
		{name: "authors commas", line: `{"text":"x y","authors":"Jane Roe, John Doe,  Ann Lee"}`, want: want{text: "x y", authors: []string{"Jane Roe", "John Doe", "Ann Lee"}}},
		{name: "authors and", line: `{"text":"x y","author":"Jane Roe and John Doe"}`, want: want{text: "x y", authors: []string{"Jane Roe", "John Doe"}}},
		{name: "authors semicolon", line: `{"text":"x y","byline":"Jane Roe; John Doe"}`, want: want{text: "x y", authors: []string{"Jane Roe", "John Doe"}}},
		{name: "byline by", line: `{"text":"x y","byline":"By Jane Roe, John Doe and Ann Lee"}`, want: want{text: "x y", authors: []string{"Jane Roe", "John Doe", "Ann Lee"}}},
		{name: "authors suffix and quotes", line: `{"text":"x y","authors":"Tom Howell, Jr., \"Cortney OBrien\""}`, want: want{text: "x y", authors: []string{"Tom Howell, Jr.", "Cortney OBrien"}}},
		{name: "authors array", line: `{"text":"x y","authors":["Jane Roe"," John Doe ","",3,"Jane Roe"]}`, want: want{text: "x y", authors: []string{"Jane Roe", "John Doe"}}},
		{name: "authors objects", line: `{"text":"x y","authors":[{"name":"Jane Roe","url":"u"},{"id":1},{"name":"John Doe"}]}`, want: want{text: "x y", authors: []string{"Jane Roe", "John Doe"}}},
		{name: "author object", line: `{"text":"x y","author":{"name":"Jane Roe"}}`, want: want{text: "x y", authors: []string{"Jane Roe"}}},
		{name: "authors empty", line: `{"text":"x y","authors":"","byline":"By Ann Lee"}`, want: want{text: "x y", authors: []string{"Ann Lee"}}},
		// Dates.
		{name: "date day", line: `{"text":"x y","date":"2016-09-20"}`, want: want{text: "x y", published: "2016-09-20", prec: graph.PrecisionDay}},
		{name: "published time zone", line: `{"text":"x y","published":"2023-03-21T19:22:00+04:00"}`, want: want{text: "x y", published: "2023-03-21T19:22:00+04:00", prec: graph.PrecisionTime}},
		{name: "publish_date time", line: `{"text":"x y","publish_date":"2023-03-21 19:22:00"}`, want: want{text: "x y", published: "2023-03-21T19:22:00", prec: graph.PrecisionTime}},
		{name: "published_at month", line: `{"text":"x y","published_at":"March 2023"}`, want: want{text: "x y", published: "2023-03", prec: graph.PrecisionMonth}},
		{name: "pubdate rfc1123", line: `{"text":"x y","pubdate":"Mon, 01 May 2023 10:00:00 +0300"}`, want: want{text: "x y", published: "2023-05-01T10:00:00+03:00", prec: graph.PrecisionTime}},
		{name: "datePublished year", line: `{"text":"x y","datePublished":"2021"}`, want: want{text: "x y", published: "2021", prec: graph.PrecisionYear}},
		{name: "date number", line: `{"text":"x y","date":2019}`, want: want{text: "x y", published: "2019", prec: graph.PrecisionYear}},
		{name: "date unreadable", line: `{"text":"x y","date":"not a date"}`, want: want{text: "x y"}},
		{name: "date relative", line: `{"text":"x y","date":"yesterday"}`, want: want{text: "x y"}},
		{name: "date empty", line: `{"text":"x y","date":""}`, want: want{text: "x y"}},
		// Overrides.
		{name: "override text", fields: map[string]string{"text": "story"}, line: `{"text":"not this","story":"The minister said so."}`, want: want{text: txt}},
		{name: "override is exact", fields: map[string]string{"title": "Head"}, line: `{"text":"x y","title":"no","head":"no","Head":"Yes"}`, want: want{text: "x y", title: "Yes"}},
		{name: "override keeps other targets", fields: map[string]string{"url": "permalink", "date": "ts"}, line: `{"body":"x y","permalink":"https://a.example/p","url":"https://no","ts":"2020-02-03","date":"2021"}`, want: want{text: "x y", url: "https://a.example/p", published: "2020-02-03", prec: graph.PrecisionDay}},
		{name: "override authors and publisher", fields: map[string]string{"authors": "writers", "publisher": "paper"}, line: `{"text":"x y","writers":["A B"],"authors":"C D","paper":"P","outlet":"O"}`, want: want{text: "x y", authors: []string{"A B"}, publisher: "P"}},
		{name: "one field two targets", fields: map[string]string{"title": "text"}, line: `{"text":"x y"}`, want: want{text: "x y", title: "x y"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := newLoader(t, jsonl.Options{Fields: c.fields})
			docs, errs := load(t, l, loaders.Source{Name: "in.jsonl"}, []byte(c.line+"\n"))
			if len(errs) > 0 || len(docs) != 1 {
				t.Fatalf("%d documents, errors %v; want one document", len(docs), errs)
			}
			if docs[0].Source != "in.jsonl:1" {
				t.Errorf("source %q, want in.jsonl:1", docs[0].Source)
			}
			check(t, docs[0], c.want)
		})
	}
}

func TestOptions(t *testing.T) {
	for _, c := range []struct {
		name, opts string
		ok         bool
	}{
		{"none", "", true},
		{"null", "null", true},
		{"empty object", "{}", true},
		{"fields", `{"fields":{"text":"body","id":"uuid"}}`, true},
		{"every target", `{"fields":{"text":"a","title":"b","url":"c","date":"d","publisher":"e","authors":"f","id":"g"}}`, true},
		{"unknown target", `{"fields":{"summary":"abstract"}}`, false},
		{"empty field name", `{"fields":{"text":""}}`, false},
		{"unknown option", `{"field":{"text":"body"}}`, false},
		{"not an object", `[1]`, false},
		{"trailing data", `{} {}`, false},
		{"malformed", `{"fields":`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			l, err := jsonl.Format.New(json.RawMessage(c.opts))
			switch {
			case c.ok && (err != nil || l == nil):
				t.Errorf("New(%s): %v, %v; want a loader", c.opts, l, err)
			case !c.ok && (err == nil || l != nil):
				t.Errorf("New(%s): %v, %v; want an error", c.opts, l, err)
			case !c.ok && !strings.HasPrefix(err.Error(), "jsonl: "):
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestMalformedLine(t *testing.T) {
	data := []byte(`{"text":"First document."}
{"text":"Second document."}
{"text":"Third document.",
{"text":"Fourth document."}
{"text":"Fifth document."}
`)
	docs, errs := load(t, newLoader(t, jsonl.Options{}), loaders.Source{Name: "feed.jsonl"}, data)
	var texts, sources []string
	for _, d := range docs {
		texts = append(texts, d.Text)
		sources = append(sources, d.Source)
	}
	if want := []string{"First document.", "Second document.", "Fourth document.", "Fifth document."}; !slices.Equal(texts, want) {
		t.Errorf("texts %q, want %q", texts, want)
	}
	if want := []string{"feed.jsonl:1", "feed.jsonl:2", "feed.jsonl:4", "feed.jsonl:5"}; !slices.Equal(sources, want) {
		t.Errorf("sources %q, want %q", sources, want)
	}
	if len(errs) != 1 {
		t.Fatalf("errors %v, want one", errs)
	}
	var se *loaders.SyntaxError
	if !errors.As(errs[0], &se) {
		t.Fatalf("error %T %v, want a *loaders.SyntaxError", errs[0], errs[0])
	}
	msg := se.Error()
	if se.Line != 3 || !(strings.Contains(msg, ":3:") || strings.Contains(msg, ":3 ")) {
		t.Errorf("error %q at line %d, want line 3", msg, se.Line)
	}
	if want := int64(strings.Index(string(data), `{"text":"Third`)); se.Offset != want {
		t.Errorf("offset %d, want %d", se.Offset, want)
	}
	if se.Source != "feed.jsonl" || !strings.Contains(msg, "jsonl: malformed JSON") {
		t.Errorf("error %q: want the source and the cause", msg)
	}
}

func TestLineErrors(t *testing.T) {
	for _, c := range []struct {
		name, line string
		noText     bool // wraps loaders.ErrNoText
		msg        string
	}{
		{name: "malformed", line: `{"text": "a" "b"}`, msg: "malformed JSON"},
		{name: "truncated", line: `{"text": "a`, msg: "unexpected end of line"},
		{name: "trailing garbage", line: `{"text":"a b"} x`, msg: "after top-level value"},
		{name: "bad escape", line: `{"text":"a\qb"}`, msg: "invalid escape"},
		{name: "control character", line: "{\"text\":\"a\tb\"}", msg: "in string literal"},
		{name: "bad number", line: `{"text":"a b","n":01}`, msg: "malformed JSON"},
		{name: "not json", line: `plain text`, msg: "malformed JSON"},
		{name: "array", line: `[{"text":"a b"}]`, msg: "JSON array, not an object"},
		{name: "string", line: `"a b"`, msg: "JSON string, not an object"},
		{name: "number", line: `42`, msg: "JSON number, not an object"},
		{name: "no text", line: `{"title":"T"}`, noText: true, msg: "no field text, content, body, article, full_text"},
		{name: "empty object", line: `{}`, noText: true},
		{name: "blank text", line: `{"text":" \n "}`, noText: true, msg: `"text" is blank`},
		{name: "text not a string", line: `{"text":["a b"]}`, noText: true, msg: `"text" holds JSON array, not a string`},
		{name: "null text", line: `{"text":null}`, noText: true},
		{name: "id named", line: `{"id":"x9","title":"T"}`, noText: true, msg: `record "x9"`},
		{name: "numeric id named", line: `{"id":17,"title":"T"}`, noText: true, msg: `record "17"`},
		{name: "invalid utf-8", line: "{\"text\":\"a\xc3\x28b\"}", msg: "not valid UTF-8"},
		{name: "nul escape", line: `{"text":"a\u0000b"}`, msg: "NUL"},
		{name: "too deep", line: `{"text":"a b","x":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, msg: "max depth"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := []byte(`{"text":"Before."}` + "\n" + c.line + "\n" + `{"text":"After."}` + "\n")
			docs, errs := load(t, newLoader(t, jsonl.Options{}), loaders.Source{Name: "in.jsonl"}, data)
			if len(docs) != 2 || docs[0].Source != "in.jsonl:1" || docs[1].Source != "in.jsonl:3" {
				t.Errorf("documents %v, want lines 1 and 3", docs)
			}
			if len(errs) != 1 {
				t.Fatalf("errors %v, want one", errs)
			}
			var se *loaders.SyntaxError
			if !errors.As(errs[0], &se) || se.Line != 2 || se.Offset != int64(len(`{"text":"Before."}`)+1) {
				t.Errorf("error %#v, want a SyntaxError at line 2", errs[0])
			}
			if got := errors.Is(errs[0], loaders.ErrNoText); got != c.noText {
				t.Errorf("error %q: errors.Is(ErrNoText) = %v, want %v", errs[0], got, c.noText)
			}
			if !strings.Contains(errs[0].Error(), c.msg) || !strings.Contains(errs[0].Error(), "in.jsonl:2") {
				t.Errorf("error %q, want it to name in.jsonl:2 and say %q", errs[0], c.msg)
			}
		})
	}
}

func TestBlankLinesAndBOM(t *testing.T) {
	for _, c := range []struct {
		name    string
		data    string
		sources []string
		offset  int64 // of the error record, if any
	}{
		{name: "bom and crlf", data: "\xef\xbb\xbf{\"text\":\"a b\"}\r\n\r\n \t \r\n{\"text\":\"c d\"}\r\n", sources: []string{"in:1", "in:4"}},
		{name: "no final newline", data: "{\"text\":\"a b\"}\n{\"text\":\"c d\"}", sources: []string{"in:1", "in:2"}},
		{name: "leading blank lines", data: "\n\n  {\"text\":\"a b\"}  \n\n", sources: []string{"in:3"}},
		{name: "bom counts in offsets", data: "\xef\xbb\xbf\n{\"text\":", offset: 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			docs, errs := load(t, newLoader(t, jsonl.Options{}), loaders.Source{Name: "in"}, []byte(c.data))
			var sources []string
			for _, d := range docs {
				sources = append(sources, d.Source)
				if err := loadertest.Check(jsonl.Name, d); err != nil {
					t.Error(err)
				}
			}
			if !slices.Equal(sources, c.sources) {
				t.Errorf("sources %q, want %q", sources, c.sources)
			}
			if c.offset == 0 && len(errs) > 0 {
				t.Errorf("errors %v, want none", errs)
			}
			if c.offset > 0 {
				var se *loaders.SyntaxError
				if len(errs) != 1 || !errors.As(errs[0], &se) || se.Offset != c.offset || se.Line != 2 {
					t.Errorf("errors %v, want one at line 2, offset %d", errs, c.offset)
				}
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	for _, c := range []struct{ name, data string }{
		{"nothing", ""},
		{"blank lines", "\n \n\t\r\n"},
		{"bom", "\xef\xbb\xbf"},
		{"bom and newline", "\xef\xbb\xbf\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			docs, errs := load(t, newLoader(t, jsonl.Options{}), loaders.Source{Name: "in"}, []byte(c.data))
			if len(docs) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "empty") {
				t.Errorf("%d documents, errors %v; want one error saying empty", len(docs), errs)
			}
		})
	}
}

func TestTooLong(t *testing.T) {
	long := `{"text":"` + strings.Repeat("x", 200<<10) + `"}`
	for _, c := range []struct {
		name    string
		max     int64
		lines   []string
		sources []string
		tooLong []int // lines
	}{
		{name: "small limit", max: 100, lines: []string{`{"text":"short one"}`, `{"text":"` + strings.Repeat("y", 300) + `"}`, `{"text":"short two"}`}, sources: []string{"in:1", "in:3"}, tooLong: []int{2}},
		{name: "beyond the read buffer", max: 1000, lines: []string{long, `{"text":"short"}`, long}, sources: []string{"in:2"}, tooLong: []int{1, 3}},
		{name: "long line within the limit", lines: []string{`{"text":"short"}`, long, `{"text":"short"}`}, sources: []string{"in:1", "in:2", "in:3"}},
		{name: "exactly the limit", max: 20, lines: []string{`{"text":"123456789"}`, `{"text":"1234567890"}`}, sources: []string{"in:1"}, tooLong: []int{2}},
		{name: "limit with crlf", max: 20, lines: []string{`{"text":"123456789"}` + "\r", `{"text":"123456789"} ` + "\r"}, sources: []string{"in:1"}, tooLong: []int{2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := []byte(strings.Join(c.lines, "\n") + "\n")
			docs, errs := load(t, newLoader(t, jsonl.Options{}), loaders.Source{Name: "in", MaxSize: c.max}, data)
			var sources []string
			for _, d := range docs {
				sources = append(sources, d.Source)
			}
			if !slices.Equal(sources, c.sources) {
				t.Errorf("sources %q, want %q", sources, c.sources)
			}
			var lines []int
			for _, err := range errs {
				var se *loaders.SyntaxError
				if !errors.Is(err, loaders.ErrTooLarge) || !errors.As(err, &se) {
					t.Errorf("error %v, want a SyntaxError wrapping ErrTooLarge", err)
					continue
				}
				lines = append(lines, se.Line)
				if want := int64(len(strings.Join(c.lines[:se.Line-1], "\n")) + min(se.Line-1, 1)); se.Line > 1 && se.Offset != want {
					t.Errorf("line %d at offset %d, want %d", se.Line, se.Offset, want)
				}
			}
			if !slices.Equal(lines, c.tooLong) {
				t.Errorf("too long lines %v, want %v", lines, c.tooLong)
			}
		})
	}
}

type failingReader struct{ data io.Reader }

func (r *failingReader) Read(p []byte) (int, error) {
	n, err := r.data.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func TestLoadStops(t *testing.T) {
	data := "{\"text\":\"a b\"}\n{\"text\":\"c d\"}\n"
	l := newLoader(t, jsonl.Options{})
	t.Run("read error", func(t *testing.T) {
		n := 0
		err := l.Load(context.Background(), loaders.Source{Name: "in"}, &failingReader{strings.NewReader(data)}, func(loaders.Record) error {
			n++
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.HasPrefix(err.Error(), "in:") {
			t.Errorf("Load: %v, want the read error naming the input", err)
		}
		if n != 2 {
			t.Errorf("%d records before the read error, want 2", n)
		}
	})
	t.Run("cancelled midway", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		n := 0
		err := l.Load(ctx, loaders.Source{Name: "in"}, strings.NewReader(data), func(loaders.Record) error {
			n++
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) || n != 1 {
			t.Errorf("Load: %v after %d records, want context.Canceled after 1", err, n)
		}
	})
}

func TestSniff(t *testing.T) {
	line := `{"id":"x","text":"The minister said so."}`
	for _, c := range []struct {
		name string
		peek string
		want bool
	}{
		{"two lines", line + "\n" + line + "\n", true},
		{"second line cut", line + "\n" + `{"te`, true},
		{"second line cut at brace", line + "\n{", true},
		{"one line", line + "\n", true},
		{"one line without newline", line, true},
		{"bom and blank lines", "\xef\xbb\xbf\n\r\n " + line + "\r\n" + line, true},
		{"first line cut", `{"id": "004Gt3gcsotuiYmz", "outlet": "New York Times", "text": "Besides his most recent trip`, true},
		{"plain text", "The minister said so.\nNobody disagreed.\n", false},
		{"text starting with a brace", "{note} The minister said so.\n", false},
		{"brace line", "{\n  \"text\": \"pretty printed\"\n}\n", false},
		{"json array", "[" + line + "]\n", false},
		{"second line not an object", line + "\nThe minister said so.\n", false},
		{"second line array", line + "\n[1]\n", false},
		{"malformed first line", `{"text": "a" "b"}` + "\n" + line + "\n", false},
		{"first line cut before a key", `{`, false},
		{"first line cut in a bad value", `{"text": nope`, false},
		{"html", "<!DOCTYPE html><html><body>{}</body></html>", false},
		{"empty", "", false},
		{"blank", "\n\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := jsonl.Format.Sniff([]byte(c.peek)); got != c.want {
				t.Errorf("Sniff(%q) = %v, want %v", c.peek, got, c.want)
			}
		})
	}
}

func TestRegistry(t *testing.T) {
	var reg loaders.Registry
	if err := reg.Register(jsonl.Format); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.jsonl", "b.NDJSON"} {
		if f, err := reg.ByExt(name); err != nil || f.Name != jsonl.Name {
			t.Errorf("ByExt(%q): %v, %v", name, f.Name, err)
		}
	}
	for _, m := range []string{"application/x-ndjson", "application/jsonl; charset=utf-8", "application/x-jsonlines"} {
		if f, err := reg.ByMIME(m); err != nil || f.Name != jsonl.Name {
			t.Errorf("ByMIME(%q): %v, %v", m, f.Name, err)
		}
	}
	// A gzipped file read through the registry, its format chosen by
	// the extension under ".gz".
	data, err := os.ReadFile(filepath.Join("testdata", "news.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	path := filepath.Join(t.TempDir(), "news.jsonl.gz")
	if err := os.WriteFile(path, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var sources []string
	err = reg.Read(context.Background(), []string{path}, loaders.ReadOptions{
		Options: map[string]json.RawMessage{jsonl.Name: json.RawMessage(`{"fields":{"publisher":"outlet_url"}}`)},
	}, func(r loaders.Record) error {
		if r.Err != nil {
			t.Errorf("record error: %v", r.Err)
			return nil
		}
		sources = append(sources, filepath.Base(r.Doc.Source))
		if !strings.HasPrefix(r.Doc.Publisher, "www.") && !strings.HasPrefix(r.Doc.Publisher, "wire.") {
			t.Errorf("publisher %q, want the outlet_url field", r.Doc.Publisher)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"news.jsonl.gz:1", "news.jsonl.gz:2", "news.jsonl.gz:3"}; !slices.Equal(sources, want) {
		t.Errorf("sources %q, want %q", sources, want)
	}
}

func TestTestdata(t *testing.T) {
	for _, c := range []struct {
		file string
		want []want
	}{
		{"news.jsonl", []want{
			{text: "The suspect visited Karachi in 2005, officials said.\n\n“Everyone seemed to like him,” a friend said.", title: "Suspect Changed After Trip Abroad, Friends Say",
				url: "https://www.example.com/2016/09/20/bomb-suspect.html?utm_source=x", publisher: "Daily Example", authors: []string{"Jane Roe", "John Doe"}, published: "2016-09-20", prec: graph.PrecisionDay},
			{text: "The Senate passed the bill on Thursday, the majority leader said.", title: "Senate Passes Bill", url: "http://example.org/news/2019/07/11/vote",
				publisher: "Example Times", published: "2019-07-11", prec: graph.PrecisionDay},
			{text: "The minister resigned on Monday. \"I have no regrets,\" she told reporters.", title: "Minister Resigns", url: "https://wire.example.net/a3",
				publisher: "Wire Service", authors: []string{"Tom Howell, Jr.", "Ana Muñoz"}},
		}},
		{"aliases.ndjson", []want{
			{text: "Both sides agreed to a ceasefire, the UN said.", title: "Ceasefire Agreed", url: "https://news.example.com/ceasefire", publisher: "Example News",
				authors: []string{"Lee Chan", "Ida Berg"}, published: "2023-03-21T19:22:00+04:00", prec: graph.PrecisionTime},
			{text: "Consumer prices rose 3% in March, the statistics office reported.", title: "Prices Rise", url: "https://stats.example.com/cpi", publisher: "Statistics Office",
				authors: []string{"Sam Park", "Kim Lee"}, published: "2023-03", prec: graph.PrecisionMonth},
			{text: "A storm is expected on Friday, forecasters said.", title: "Storm Warning", url: "https://weather.example.com/storm", publisher: "Weather Desk",
				authors: []string{"Ola Nordmann", "Kari Nordmann"}, published: "2023-05-01T10:00:00+03:00", prec: graph.PrecisionTime},
			{text: "The council voted 5-2 to approve the plan, the mayor said.", publisher: "City Paper", published: "2021", prec: graph.PrecisionYear},
		}},
		{"bom_crlf.jsonl", []want{
			{text: "A line after a byte order mark, with CRLF line breaks.", published: "2020-01-02", prec: graph.PrecisionDay},
			{text: "The second document, after blank lines."},
		}},
	} {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			docs, errs := load(t, newLoader(t, jsonl.Options{}), loaders.Source{Name: c.file}, data)
			if len(errs) > 0 || len(docs) != len(c.want) {
				t.Fatalf("%d documents, errors %v; want %d documents", len(docs), errs, len(c.want))
			}
			for i, w := range c.want {
				t.Run(docs[i].Source, func(t *testing.T) { check(t, docs[i], w) })
			}
		})
	}
}

// samples returns the valid fixtures of testdata by name.
func samples(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, pattern := range []string{"testdata/*.jsonl", "testdata/*.ndjson"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out[filepath.Base(p)] = b
		}
	}
	if len(out) == 0 {
		t.Fatal("no samples in testdata")
	}
	return out
}

func TestConformance(t *testing.T) {
	loadertest.Run(t, jsonl.Format, samples(t))
}

func FuzzLoad(f *testing.F) {
	for _, b := range samples(f) {
		f.Add(b)
	}
	f.Add([]byte("{\"text\":\"a b\"}\n{\"text\":\"Third\",\n{\"text\":\"c\\u0000\"}\n[1]\n\xef\xbb\xbf"))
	f.Add([]byte("\xef\xbb\xbf{\"body\":\"x\\ud83d\\ude00\",\"authors\":[{\"name\":\"A\"},\"B and C\"],\"date\":2019}\r\n"))
	l := newLoader(f, jsonl.Options{})
	f.Fuzz(func(t *testing.T, data []byte) {
		jsonl.Format.Sniff(data)
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, max := range []int64{0, 32} {
			src := loaders.Source{Name: "fuzz", MaxSize: max}
			prev := 0
			n := 0
			err := l.Load(context.Background(), src, bytes.NewReader(data), func(r loaders.Record) error {
				n++
				switch {
				case r.Doc != nil && r.Err == nil:
					if err := loadertest.Check(jsonl.Name, r.Doc); err != nil {
						t.Error(err)
					}
				case r.Err != nil && r.Doc == nil:
					var se *loaders.SyntaxError
					if !errors.As(r.Err, &se) {
						t.Errorf("error %v is not a SyntaxError", r.Err)
					} else if se.Line != 0 {
						if se.Line <= prev || se.Line > lines {
							t.Errorf("error at line %d after line %d, of %d", se.Line, prev, lines)
						}
						prev = se.Line
					}
				default:
					t.Errorf("record %+v holds neither or both", r)
				}
				return nil
			})
			if err != nil {
				t.Errorf("Load: %v", err)
			}
			if n == 0 || n > lines {
				t.Errorf("%d records from %d lines", n, lines)
			}
		}
	})
}

// BenchmarkLoadABP loads the JSON Lines corpus named by PROVGRAPH_CORPUS
// (gzipped or not), decompressed in memory first so that parsing alone is
// measured.
func BenchmarkLoadABP(b *testing.B) {
	path := os.Getenv("PROVGRAPH_CORPUS")
	if path == "" {
		b.Skip("PROVGRAPH_CORPUS is not set to a JSON Lines corpus")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	if zr, err := gzip.NewReader(bytes.NewReader(data)); err == nil {
		if data, err = io.ReadAll(zr); err != nil {
			b.Fatal(err)
		}
	}
	l := newLoader(b, jsonl.Options{})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	docs, errs, runs := 0, 0, 0
	for b.Loop() {
		runs++
		docs, errs = 0, 0
		err := l.Load(context.Background(), loaders.Source{Name: path}, bytes.NewReader(data), func(r loaders.Record) error {
			if r.Err != nil {
				if errs == 0 {
					b.Logf("first error: %v", r.Err)
				}
				errs++
			} else {
				docs++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(docs)*float64(runs)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(docs), "docs")
	b.ReportMetric(float64(errs), "errors")
}
