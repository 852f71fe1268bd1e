// Package feed loads RSS (0.9x, 1.0 and 2.0), Atom and JSON Feed files,
// one document per item, with github.com/mmcdole/gofeed.
//
// An item's text is its full content (RSS content:encoded, Atom content,
// JSON Feed content_html or content_text) reduced to plain text: paragraphs
// separated by blank lines, other block elements and line breaks on lines
// of their own, entities decoded, scripts and styles dropped. An item
// without content is loaded from its summary (RSS description, Atom
// summary); an item with neither becomes an error record wrapping
// [loaders.ErrNoText], since a title alone is not an article. RSS fields
// are HTML by custom but often plain text: a field without tags is read as
// text with entities, its line breaks kept. The HTML is read with
// golang.org/x/net/html's tokenizer rather than go-trafilatura: an item's
// content is already the article, often a paragraph, which an extractor of
// main text from whole pages would judge too short or treat as page
// furniture, at the cost of a DOM per item.
//
// Metadata: the item's title; its link, made absolute against the feed's
// link when relative (an RSS guid that is a permalink stands in for a
// missing link; a link that cannot be made absolute is left out); its
// publication date, else its update date, read by [loaders.ParseDate] from
// the text as written so that precision and time zone are kept (gofeed's
// parsed time is used when ParseDate cannot read the text, and when the two
// disagree on the instant, as they do for zone abbreviations such as "EST",
// which gofeed knows and ParseDate reads as UTC); its authors (RSS author,
// dc:creator and dc:author, Atom and JSON Feed authors, which Atom and JSON
// Feed items inherit from the feed); and the feed's title as publisher.
//
// # Limits
//
// A feed holds many documents, so the feed as a whole may be up to
// [SizeFactor] times the source's limit; each item's text must be within
// the limit itself. The feed is read whole (within that limit), but gofeed,
// which builds a structure of several kilobytes per item, is never given
// the whole feed: a first pass finds where the items lie, then gofeed parses
// the feed without its items, for its metadata, and the items in batches of
// at most 256 items or 64 KiB, each wrapped in its ancestors' start tags.
// JSON Feed items are decoded one at a time. Memory is thus the feed's size
// and a few words per item, and time is linear in the feed's size. Reading
// and parsing stop when the context is cancelled.
//
// # Errors
//
// A feed that cannot be parsed is one error record naming the input, as a
// [loaders.SyntaxError] with the line when the parser gives one; it is
// found before any item is emitted. A problem with one item (no text, text
// past the limit, a JSON item of the wrong shape, markup gofeed rejects) is
// an error record whose SyntaxError has the item number as its Line; the
// other items still load.
package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
)

// Name is the format's registered name.
const Name = "feed"

// SizeFactor is how many times the limit of one document a whole feed may
// be.
const SizeFactor = 5

// genericMIMETypes are media types of any XML document: a feed claims them
// only when no other format does (see [Register]).
var genericMIMETypes = []string{"text/xml", "application/xml"}

// Format describes feeds for a loaders.Registry. It claims .rss, .atom and
// .xml (so any .xml file is read as a feed, and one that is not becomes an
// error record naming its root element), the feed media types and the
// generic XML ones, content starting with <rss, <feed or <rdf:RDF, XML whose
// root element is one of those, and JSON objects with a jsonfeed.org
// version.
var Format = loaders.Format{
	Name:      Name,
	Exts:      []string{".rss", ".atom", ".xml"},
	MIMETypes: append([]string{"application/rss+xml", "application/atom+xml", "application/feed+json"}, genericMIMETypes...),
	Magic:     [][]byte{[]byte("<rss"), []byte("<feed"), []byte("<rdf:RDF")},
	Sniff:     Sniff,
	New: func(opts json.RawMessage) (loaders.Loader, error) {
		if len(opts) > 0 && string(opts) != "null" && string(opts) != "{}" {
			return nil, errors.New("feed: takes no options")
		}
		return New(), nil
	},
}

// Register adds [Format] to r, leaving out text/xml and application/xml if
// another format already claims them. Register feeds after the formats that
// should have those types.
func Register(r *loaders.Registry) error {
	f := Format
	f.MIMETypes = slices.DeleteFunc(slices.Clone(f.MIMETypes), func(m string) bool {
		if !slices.Contains(genericMIMETypes, m) {
			return false
		}
		_, err := r.ByMIME(m)
		return err == nil
	})
	return r.Register(f)
}

// sniffSize is how much of the content Sniff looks at.
const sniffSize = 512

var jsonFeedVersion = regexp.MustCompile(`"version"\s*:\s*"https?:(?:\\?/){2}(?:www\.)?jsonfeed\.org\\?/`)

// Sniff reports whether the start of a content is a feed: XML whose root
// element (after any declaration, comments and doctype) is rss, feed or
// rdf:RDF, or a JSON object with a jsonfeed.org version, within the first
// 512 bytes.
func Sniff(peek []byte) bool {
	if len(peek) > sniffSize {
		peek = peek[:sniffSize]
	}
	b := bytes.TrimLeft(bytes.TrimPrefix(peek, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(b) == 0 {
		return false
	}
	switch b[0] {
	case '<':
		return isFeedRoot(rootElement(b))
	case '{':
		return jsonFeedVersion.Match(b)
	}
	return false
}

func isFeedRoot(name string) bool {
	name = strings.ToLower(name)
	return name == "rss" || name == "feed" || name == "rdf:rdf"
}

// rootElement returns the name of the first element of XML, skipping its
// declaration, processing instructions, comments and doctype; "" if it does
// not start within b.
func rootElement(b []byte) string {
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		var end []byte
		switch {
		case len(b) < 2 || b[0] != '<':
			return ""
		case b[1] == '?':
			end = []byte("?>")
		case bytes.HasPrefix(b, []byte("<!--")):
			end = []byte("-->")
		case b[1] == '!':
			// A doctype, perhaps with an internal subset.
			if i, j := bytes.IndexByte(b, '['), bytes.IndexByte(b, '>'); i >= 0 && (j < 0 || i < j) {
				end = []byte("]>")
			} else {
				end = []byte(">")
			}
		default:
			n := bytes.IndexAny(b[1:], " \t\r\n/>")
			if n < 0 {
				return ""
			}
			return string(b[1 : 1+n])
		}
		i := bytes.Index(b, end)
		if i < 0 {
			return ""
		}
		b = b[i+len(end):]
	}
}

// Loader reads feeds. Its zero value is ready to use, and it is safe for
// concurrent use.
type Loader struct{}

// New returns a feed loader.
func New() *Loader { return &Loader{} }

var _ loaders.Loader = (*Loader)(nil)

var (
	rssTranslator  = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	atomTranslator = &gofeed.DefaultAtomTranslator{}
	jsonTranslator = &gofeed.DefaultJSONTranslator{}
)

// feedLimit returns the size limit of a whole feed.
func feedLimit(src loaders.Source) int64 {
	limit := src.Limit()
	if limit > (math.MaxInt64-1)/SizeFactor {
		return math.MaxInt64 - 1
	}
	return limit * SizeFactor
}

// Load reads a feed and emits one record per item, in feed order. It
// returns an error only when ctx is cancelled (ctx.Err()) or emit fails
// (emit's error); a feed that cannot be read is one error record.
func (l *Loader) Load(ctx context.Context, src loaders.Source, r io.Reader, emit func(loaders.Record) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	fail := func(line int, offset int64, err error) error {
		return emit(loaders.Record{Err: &loaders.SyntaxError{Source: src.Name, Line: line, Offset: offset, Err: err}})
	}
	data, err := loaders.ReadAll(loaders.Source{Name: src.Name, MaxSize: feedLimit(src)}, ctxReader{ctx, r})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fail(0, -1, fmt.Errorf("feed: reading: %w", err))
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))) == 0 {
		return fail(0, -1, errors.New("feed: empty file"))
	}
	f, err := parse(ctx, data)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		line, offset := position(data, err)
		return fail(line, offset, fmt.Errorf("feed: %w", err))
	}
	base := baseURL(f.meta)
	publisher := oneLine(f.meta.Title, f.markup)
	n := 0
	err = f.items(func(e *entry, err error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		n++
		var d *loaders.Document
		if err == nil {
			d, err = e.document(src.Limit(), base, f.markup)
		}
		if err != nil {
			return emit(loaders.Record{Err: &loaders.SyntaxError{Source: src.Name, Line: n, Offset: -1, Err: fmt.Errorf("feed: item %d: %w", n, err)}})
		}
		d.Source = src.Name + ":" + strconv.Itoa(n)
		d.Publisher = publisher
		return emit(loaders.Record{Doc: d})
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return fail(0, -1, fmt.Errorf("feed: no items: %w", loaders.ErrNoText))
	}
	return nil
}

var utf8BOM = []byte("\xef\xbb\xbf")

// ctxReader fails its reads once ctx is done, so that reading and parsing
// a large feed stop when the load is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// detectSize is how much of a feed gofeed's detector reads; gofeed's own
// Parser reads 4 KiB, which a long comment or doctype can fill.
const detectSize = 64 << 10

// parsed is a feed whose items are read one at a time.
type parsed struct {
	meta   *gofeed.Feed // the feed without its items
	markup markup       // how titles are written
	// items calls yield with each item in feed order, or with the error
	// that kept one from being read, and stops at the first error yield
	// returns, which it returns.
	items func(yield func(*entry, error) error) error
}

// entry is one item: gofeed's translation of it and what that does not
// keep.
type entry struct {
	item            *gofeed.Item
	content         string
	contentMarkup   markup
	summary         string
	summaryMarkup   markup
	permalink       string           // an RSS guid that is a permalink
	authors         []*gofeed.Person // inherited when the item names none
	published       string
	publishedParsed *time.Time
	updated         string
	updatedParsed   *time.Time
}

// parse reads the feed's metadata and prepares the reading of its items.
func parse(ctx context.Context, data []byte) (*parsed, error) {
	peek := data[:min(len(data), detectSize)]
	switch gofeed.DetectFeedType(bytes.NewReader(peek)) {
	case gofeed.FeedTypeRSS:
		return parseXML(ctx, data, false)
	case gofeed.FeedTypeAtom:
		return parseXML(ctx, data, true)
	case gofeed.FeedTypeJSON:
		return parseJSON(bytes.TrimPrefix(data, utf8BOM))
	}
	// gofeed's detector also fails on an XML declaration naming an
	// unknown encoding: parsing says so.
	switch root := rootElement(bytes.TrimPrefix(peek, utf8BOM)); {
	case strings.EqualFold(root, "feed"):
		return parseXML(ctx, data, true)
	case isFeedRoot(root):
		return parseXML(ctx, data, false)
	case root != "":
		return nil, fmt.Errorf("not an RSS, Atom or JSON feed (root element <%s>)", root)
	}
	return nil, errors.New("not an RSS, Atom or JSON feed")
}

// document turns an item into a document, without its source and
// publisher.
func (e *entry) document(limit int64, base *url.URL, titles markup) (*loaders.Document, error) {
	text, err := e.text(limit)
	if err != nil {
		return nil, err
	}
	d := &loaders.Document{
		Format:    Name,
		Text:      text,
		Title:     oneLine(e.item.Title, titles),
		URL:       itemURL(base, e.item.Link, e.permalink),
		Authors:   e.authorNames(),
		Published: published(e.published, e.publishedParsed),
	}
	if d.Published == nil {
		d.Published = published(e.updated, e.updatedParsed)
	}
	return d, nil
}

// text returns the item's content as text, else its summary's.
func (e *entry) text(limit int64) (string, error) {
	for _, c := range []struct {
		s string
		m markup
	}{{e.content, e.contentMarkup}, {e.summary, e.summaryMarkup}} {
		if strings.TrimSpace(c.s) == "" {
			continue
		}
		t, err := toText(c.s, c.m, limit)
		if errors.Is(err, errTextTooLarge) {
			return "", fmt.Errorf("text: %w (%d bytes)", loaders.ErrTooLarge, limit)
		}
		if t != "" {
			return t, nil
		}
	}
	return "", fmt.Errorf("no content or summary: %w", loaders.ErrNoText)
}

// authorNames returns the names of the item's authors, in order, without
// repeats; authors known only by an e-mail address are left out.
func (e *entry) authorNames() []string {
	var names []string
	add := func(s string) {
		if s = oneLine(s, plain); s != "" && !slices.Contains(names, s) {
			names = append(names, s)
		}
	}
	for _, p := range e.item.Authors {
		if p != nil {
			add(p.Name)
		}
	}
	if dc := e.item.DublinCoreExt; dc != nil {
		// gofeed keeps only the first creator.
		for _, s := range slices.Concat(dc.Creator, dc.Author) {
			add(nameOf(s))
		}
	}
	if len(names) == 0 {
		for _, p := range e.authors {
			if p != nil {
				add(nameOf(p.Name))
			}
		}
	}
	return names
}

// nameOf returns the name in an author string such as
// "jo@example.com (Jo Smith)"; "" for an address alone.
func nameOf(s string) string {
	s = strings.TrimSpace(s)
	if open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')'); open >= 0 && close > open {
		in, out := strings.TrimSpace(s[open+1:close]), strings.TrimSpace(s[:open])
		if strings.Contains(out, "@") && !strings.Contains(in, "@") {
			return in
		}
		if strings.Contains(in, "@") && !strings.Contains(out, "@") {
			return out
		}
	}
	if strings.Contains(s, "@") && !strings.Contains(s, " ") {
		return ""
	}
	return s
}

// baseURL returns the absolute URL that relative item links resolve
// against: the feed's link, else its own address.
func baseURL(f *gofeed.Feed) *url.URL {
	var base *url.URL
	for _, s := range []string{f.FeedLink, f.Link} {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil || s == "" {
			continue
		}
		if base != nil {
			u = base.ResolveReference(u)
		}
		if u.IsAbs() && u.Host != "" {
			base = u
		}
	}
	return base
}

// itemURL returns an item's link made absolute, else its permalink guid;
// "" when neither is an absolute URL.
func itemURL(base *url.URL, link, permalink string) string {
	if u := absolute(base, link); u != "" {
		return u
	}
	if u := absolute(nil, permalink); strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return u
	}
	return ""
}

func absolute(base *url.URL, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		if base == nil {
			return ""
		}
		u = base.ResolveReference(u)
	}
	return u.String()
}

// published reads a date as written, falling back on gofeed's parse of it
// (see the package comment).
func published(raw string, parsed *time.Time) *graph.Date {
	var (
		d   *graph.Date
		err = loaders.ErrNoDate
	)
	// A date is short; a long text is not worth the general parser's time.
	if len(raw) <= maxDateLen {
		d, err = loaders.ParseDate(raw)
	}
	if err != nil {
		if parsed == nil || parsed.IsZero() {
			return nil
		}
		return timeDate(*parsed)
	}
	if parsed == nil || d.Precision != graph.PrecisionTime {
		return d
	}
	t, err := time.Parse(time.RFC3339, d.Value)
	if err != nil || t.Equal(parsed.Truncate(time.Second)) {
		return d
	}
	// The clock time as written is right and its zone was misread: the
	// zone is the difference between that clock time and gofeed's instant
	// (when it is a plausible offset).
	_, off := t.Zone()
	offset := t.Sub(parsed.Truncate(time.Second)) + time.Duration(off)*time.Second
	if offset%time.Minute != 0 || offset < -14*time.Hour || offset > 14*time.Hour {
		return timeDate(*parsed)
	}
	return timeDate(parsed.In(time.FixedZone("", int(offset/time.Second))))
}

// maxDateLen is the length of the longest date text read.
const maxDateLen = 128

func timeDate(t time.Time) *graph.Date {
	return &graph.Date{Value: t.Format("2006-01-02T15:04:05Z07:00"), Precision: graph.PrecisionTime}
}

// position returns the line and byte offset of a parse error, when the
// parser gives them (0 and -1 when not).
func position(data []byte, err error) (line int, offset int64) {
	var (
		xe *xml.SyntaxError
		je *json.SyntaxError
		te *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &xe):
		return xe.Line, -1
	case errors.As(err, &je):
		offset = je.Offset
	case errors.As(err, &te):
		offset = te.Offset
	default:
		return 0, -1
	}
	offset = min(max(offset, 0), int64(len(data)))
	return 1 + bytes.Count(data[:offset], []byte("\n")), offset
}
