// Package html loads web pages, one document each: the article's main text,
// without navigation, cookie banners, sidebars, comments and footers, and the
// page's metadata (title, authors, publication date, canonical URL and
// publisher).
//
// # Text
//
// The main text is found by go-trafilatura, with its Readability and DOM
// Distiller fallbacks, comments excluded, and tables excluded unless the
// page holds no article text outside them. The text is rendered as a reader
// sees it: one paragraph, heading, list item or table row per block,
// blocks separated by a blank line ("\n\n"), line breaks kept as "\n" and
// table cells separated by a tab. Document.Text is that rendering, and span
// offsets index it, not the page's markup.
//
// # Metadata
//
// The publication date comes first from the page's own statements of it —
// the article:published_time meta property, a JSON-LD datePublished, an
// itemprop="datePublished" element, the common publication-date meta names
// — parsed by loaders.ParseDate at the precision and with the time zone the
// page gives. Only when the page states none is go-htmldate's fast search of
// the markup and URL used, which never guesses from the current date: a page
// that gives no date has no Published date. The URL is <link
// rel="canonical">, else og:url, made absolute against <base href> or the
// other of the two. The publisher is og:site_name, else the JSON-LD
// article's publisher name, else a publisher meta tag (dc.publisher,
// publisher, application-name...), else the site name trafilatura finds;
// never a profile URL, a Twitter handle or the host name, which are not
// names. The title is trafilatura's; when the text opens with it, that
// paragraph is marked in Document.Boilerplate. Authors are trafilatura's,
// split on ";", ",", "&" and " and ".
//
// # Input
//
// Pages are decoded to UTF-8 from the encoding their byte order mark, the
// Source's MIME type, their <meta charset> or (XHTML) their XML declaration
// names. A page that declares nothing is read as UTF-8 when it reads as
// UTF-8 throughout (browsers only look at its first KB), else as
// windows-1252, as browsers do. Text is normalised to NFC.
//
// A page nested deeper than [MaxDepth] elements is rejected with
// [ErrTooDeep] (x/net/html refuses such pages too), so that the recursive
// tree walks of the extractors stay bounded; a page of more than
// [MaxElements] elements is rejected as loaders.ErrTooLarge, because the
// extractors' time grows faster than the page. A panic inside the extractors,
// which are third-party code, becomes an error record rather than ending the
// program.
package html

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"

	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/provgraph/provgraph/loaders"
)

// Name is the format's registered name.
const Name = "html"

// MaxDepth is the deepest element nesting a page may have.
const MaxDepth = 512

// MaxElements is the most elements a page may have. The extractors take
// time that grows faster than the page (a page of 50,000 elements may take a
// few seconds), so larger pages are refused as too large.
const MaxElements = 50_000

// DefaultMinLength is the length, in characters, below which extracted text
// is not taken for an article when Options.MinLength is zero.
const DefaultMinLength = 80

// ErrTooDeep is returned (wrapped) for a page nested deeper than
// [MaxDepth] elements.
var ErrTooDeep = errors.New("page nested too deeply")

// Favor values of [Options].
const (
	FavorPrecision = "precision"
	FavorBalanced  = "balanced"
	FavorRecall    = "recall"
)

// Options configures a [Loader]. The zero value favours precision, drops
// tables unless they hold the article, and wants at least
// [DefaultMinLength] characters of article text.
type Options struct {
	// Favor is the extraction's trade-off: "precision" (or "") keeps only
	// text that is surely the article's, "recall" keeps doubtful
	// paragraphs too, "balanced" is in between.
	Favor string `json:"favor,omitempty"`
	// IncludeTables keeps the text of tables inside the article. When
	// false, tables are dropped, unless the page has no article text
	// outside them.
	IncludeTables bool `json:"includeTables,omitempty"`
	// MinLength is the least number of characters of article text a page
	// must yield to become a document; zero means [DefaultMinLength].
	// A page with less gives an error wrapping loaders.ErrNoText.
	MinLength int `json:"minLength,omitempty"`
}

// Format describes HTML pages for a loaders.Registry. Its options are a
// JSON [Options] object.
var Format = loaders.Format{
	Name:      Name,
	Exts:      []string{".html", ".htm", ".xhtml"},
	MIMETypes: []string{"text/html", "application/xhtml+xml"},
	Magic:     [][]byte{[]byte("<!doctype html"), []byte("<html")},
	Sniff:     sniff,
	New: func(raw json.RawMessage) (loaders.Loader, error) {
		var opts Options
		if len(bytes.TrimSpace(raw)) > 0 && string(bytes.TrimSpace(raw)) != "null" {
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&opts); err != nil {
				return nil, fmt.Errorf("html: options: %w", err)
			}
			if dec.More() {
				return nil, errors.New("html: options: trailing data after the object")
			}
		}
		return New(opts)
	},
}

// Loader reads HTML pages. It is safe for concurrent use.
type Loader struct {
	opts  Options
	focus trafilatura.ExtractionFocus
}

var _ loaders.Loader = (*Loader)(nil)

// New returns a loader with the given options, or an error if they are not
// valid.
func New(opts Options) (*Loader, error) {
	l := &Loader{opts: opts}
	switch strings.ToLower(strings.TrimSpace(opts.Favor)) {
	case "", FavorPrecision:
		l.focus = trafilatura.FavorPrecision
	case FavorBalanced:
		l.focus = trafilatura.Balanced
	case FavorRecall:
		l.focus = trafilatura.FavorRecall
	default:
		return nil, fmt.Errorf("html: options: favor %q: want %q, %q or %q", opts.Favor, FavorPrecision, FavorBalanced, FavorRecall)
	}
	if opts.MinLength < 0 {
		return nil, fmt.Errorf("html: options: negative minLength %d", opts.MinLength)
	}
	if l.opts.MinLength == 0 {
		l.opts.MinLength = DefaultMinLength
	}
	return l, nil
}

// Load reads the whole input as one page and emits one record: the
// document, or the error that kept the page from becoming one (too large,
// binary, not parseable, nested too deeply, or without article text, which
// wraps loaders.ErrNoText). It returns an error only when ctx is cancelled
// or emit fails, and then returns that error.
func (l *Loader) Load(ctx context.Context, src loaders.Source, r io.Reader, emit func(loaders.Record) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := loaders.ReadAll(src, r)
	if err != nil {
		return emit(errRecord(src, err))
	}
	d, err := l.page(data, src.MIME)
	if cerr := ctx.Err(); cerr != nil {
		// Extraction cannot be interrupted; its result is dropped.
		return cerr
	}
	if err != nil {
		return emit(errRecord(src, err))
	}
	d.Source = src.Name
	return emit(loaders.Record{Doc: d})
}

func errRecord(src loaders.Source, err error) loaders.Record {
	return loaders.Record{Err: fmt.Errorf("%s: html: %w", src.Name, err)}
}

// page turns the bytes of one page into a document.
func (l *Loader) page(data []byte, contentType string) (*loaders.Document, error) {
	utf, err := decode(data, contentType)
	if err != nil {
		return nil, err
	}
	doc, err := parse(utf)
	if err != nil {
		return nil, err
	}
	m := scan(doc)
	pageURL := m.url()

	res, err := l.extract(doc, pageURL, !l.opts.IncludeTables)
	var paras []string
	if err == nil {
		paras = render(res.ContentNode)
	}
	if !l.opts.IncludeTables && length(paras, res) < l.opts.MinLength && m.hasTable {
		// The article may be the table itself (results, a schedule).
		if r2, err2 := l.extract(doc, pageURL, false); err2 == nil {
			if p2 := render(r2.ContentNode); length(p2, r2) > length(paras, res) {
				res, paras, err = r2, p2, nil
			}
		}
	}
	if err != nil && !errors.Is(err, errNoContent) {
		return nil, err
	}
	if length(paras, res) < l.opts.MinLength {
		return nil, loaders.ErrNoText
	}

	d := &loaders.Document{Format: Name, Text: strings.Join(paras, "\n\n")}
	meta := res.Metadata
	d.Title = clean(meta.Title)
	if isHeadline(paras[0], d.Title) {
		d.Boilerplate = []loaders.Range{{Start: 0, End: len(paras[0])}}
	}
	d.Authors = splitAuthors(meta.Author)
	d.URL = pageURL
	if d.URL == "" {
		d.URL = httpURL(meta.URL)
	}
	d.Publisher = m.publisher(meta, d.URL)
	d.Published = m.published(doc, d.URL)
	return d, nil
}

// length returns the number of characters of article text in paras, a
// leading headline not counted.
func length(paras []string, res *trafilatura.ExtractResult) int {
	if len(paras) == 0 || res == nil {
		return 0
	}
	n := 0
	for i, p := range paras {
		if i == 0 && isHeadline(p, clean(res.Metadata.Title)) {
			continue
		}
		n += utf8.RuneCountInString(p)
	}
	return n
}

// isHeadline reports whether a paragraph is the page's title repeated.
func isHeadline(p, title string) bool {
	return title != "" && strings.EqualFold(clean(p), title)
}

// errNoContent marks trafilatura's refusals for lack of text.
var errNoContent = errors.New("no content")

// extract runs trafilatura on a page. It never panics.
func (l *Loader) extract(doc *html.Node, pageURL string, noTables bool) (res *trafilatura.ExtractResult, err error) {
	opts := trafilatura.Options{
		EnableFallback:  true,
		Focus:           l.focus,
		ExcludeComments: true,
		ExcludeTables:   noTables,
		// The date is found separately, from the page's own statements
		// first (see published).
		HtmlDateMode: trafilatura.Disabled,
	}
	if u, perr := url.Parse(pageURL); pageURL != "" && perr == nil {
		opts.OriginalURL = u
	}
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("extraction failed: %v", p)
		}
	}()
	res, err = trafilatura.ExtractDocument(doc, opts)
	if err != nil {
		// trafilatura reports a page without text as an error; anything
		// it refuses here is a page without usable text.
		return nil, fmt.Errorf("%w: %w", errNoContent, err)
	}
	if res == nil || res.ContentNode == nil {
		return nil, errNoContent
	}
	return res, nil
}
