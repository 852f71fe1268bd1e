// Package text loads plain text files, one document each, and recognises
// the metadata lines that exports of news sites and official releases put
// around the article:
//
//   - a leading "date YYYY-MM-DD [URL]" line, the article sometimes running
//     on after it on the same line;
//   - a trailing "Official news YYYY-MM-DD hh:mm:ss" line;
//   - a heading naming the publisher, such as "Release of the Press Service
//     of the President";
//   - a first short line without closing punctuation, taken as the title
//     (a headline repeated on the next line is marked as furniture).
//
// Metadata lines stay in the text, so spans index the file as it is, and are
// listed in Document.Boilerplate so that extraction does not read them as
// article sentences.
package text

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/provgraph/provgraph/loaders"
)

// Name is the format's registered name.
const Name = "text"

// Format describes plain text for a loaders.Registry. It claims .txt,
// .text and files without an extension.
var Format = loaders.Format{
	Name:      Name,
	Exts:      []string{".txt", ".text", ""},
	MIMETypes: []string{"text/plain"},
	New: func(opts json.RawMessage) (loaders.Loader, error) {
		if len(opts) > 0 && string(opts) != "null" && string(opts) != "{}" {
			return nil, fmt.Errorf("text: takes no options")
		}
		return New(), nil
	},
}

// Loader reads plain text.
type Loader struct{}

// New returns a plain text loader.
func New() *Loader { return &Loader{} }

var _ loaders.Loader = (*Loader)(nil)

// Load reads the whole input as one document.
func (l *Loader) Load(ctx context.Context, src loaders.Source, r io.Reader, emit func(loaders.Record) error) error {
	data, err := loaders.ReadAll(src, r)
	if err == nil {
		data, err = loaders.DecodeText(data)
	}
	if err != nil {
		return emit(loaders.Record{Err: fmt.Errorf("%s: %w", src.Name, err)})
	}
	if err := loaders.CheckText(data); err != nil {
		return emit(loaders.Record{Err: fmt.Errorf("%s: %w", src.Name, err)})
	}
	d := Parse(string(data))
	d.Source = src.Name
	return emit(loaders.Record{Doc: d})
}

var (
	leadingDate   = regexp.MustCompile(`^\s*date\s+(\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?)(?:\s+(https?://\S+))?[ \t]*`)
	trailingDate  = regexp.MustCompile(`(?m)^[ \t]*(?:Official news|Published|Posted|Date)[:\s]+(\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?)[ \t]*$`)
	publisherHead = regexp.MustCompile(`^\s*(?:(?:Press |Official )?(?:Release|Statement|Communiqu[eé]|Readout)s?\s+(?:of|from|by)\s+(?:the\s+)?)(.{3,120}?)\s*$`)
	urlLine       = regexp.MustCompile(`^\s*(?:URL|Source|Link)?:?\s*(https?://\S+)\s*$`)
)

// Parse reads the metadata conventions of a plain text document.
func Parse(text string) *loaders.Document {
	d := &loaders.Document{Format: Name, Text: text}
	lines := splitLines(text)
	first := 0 // index of the first line that may be a title or article text

	// A leading "date YYYY-MM-DD [URL]" prefix.
	if len(lines) > 0 {
		if m := leadingDate.FindStringSubmatchIndex(text[lines[0].start:lines[0].end]); m != nil {
			ln := lines[0]
			if date, err := loaders.ParseDate(text[ln.start+m[2] : ln.start+m[3]]); err == nil {
				d.Published = date
			}
			if m[4] >= 0 {
				d.URL = text[ln.start+m[4] : ln.start+m[5]]
			}
			d.Boilerplate = append(d.Boilerplate, loaders.Range{Start: ln.start, End: ln.start + m[1]})
			if ln.start+m[1] >= ln.end {
				first = 1 // the line held only metadata
			}
		}
	}
	// A trailing publication line, searched among the last lines.
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-3; i-- {
		ln := lines[i]
		if m := trailingDate.FindStringSubmatch(text[ln.start:ln.end]); m != nil {
			if date, err := loaders.ParseDate(m[1]); err == nil && d.Published == nil {
				d.Published = date
			}
			d.Boilerplate = append(d.Boilerplate, loaders.Range{Start: ln.start, End: ln.end})
			break
		}
	}
	// Headings: a publisher heading, a URL line, then a title.
	for i := first; i < len(lines) && i < first+4; i++ {
		ln := lines[i]
		s := text[ln.start:ln.end]
		if strings.TrimSpace(s) == "" {
			continue
		}
		if m := publisherHead.FindStringSubmatch(s); m != nil && isHeading(s) {
			d.Publisher = strings.TrimSpace(m[1])
			d.Boilerplate = append(d.Boilerplate, loaders.Range{Start: ln.start, End: ln.end})
			first = i + 1
			continue
		}
		if m := urlLine.FindStringSubmatch(s); m != nil && d.URL == "" {
			d.URL = m[1]
			d.Boilerplate = append(d.Boilerplate, loaders.Range{Start: ln.start, End: ln.end})
			first = i + 1
			continue
		}
		if isHeading(s) && d.Title == "" && !(ln.start == lines[0].start && d.Published != nil && first == 0) {
			d.Title = strings.TrimSpace(s)
			// A headline repeated right after (as page exports often do).
			for j := i + 1; j < len(lines) && j <= i+2; j++ {
				next := lines[j]
				if strings.TrimSpace(text[next.start:next.end]) == d.Title {
					d.Boilerplate = append(d.Boilerplate, loaders.Range{Start: next.start, End: next.end})
				}
			}
		}
		break
	}
	sort.Slice(d.Boilerplate, func(i, j int) bool { return d.Boilerplate[i].Start < d.Boilerplate[j].Start })
	return d
}

type line struct{ start, end int }

// splitLines returns the byte ranges of the lines of text, without their
// line breaks.
func splitLines(text string) []line {
	var out []line
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			end := i
			if end > start && text[end-1] == '\r' {
				end--
			}
			out = append(out, line{start, end})
			start = i + 1
		}
	}
	if start < len(text) {
		out = append(out, line{start, len(text)})
	}
	return out
}

// isHeading reports whether a line reads as a heading rather than a
// sentence: short, starting with a capital or digit, and not ending in
// sentence punctuation.
func isHeading(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 200 || len(strings.Fields(s)) > 25 {
		return false
	}
	r := []rune(s)
	if !unicode.IsUpper(r[0]) && !unicode.IsDigit(r[0]) && r[0] != '"' && r[0] != '“' {
		return false
	}
	switch r[len(r)-1] {
	case '.', ',', ';', ':':
		return false
	}
	return true
}
