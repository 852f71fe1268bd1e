package feed

import (
	"errors"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
)

// markup says how a field of a feed is written.
type markup int

const (
	// guessed: HTML when it holds tags, else text with HTML entities (RSS,
	// whose fields are HTML by custom though many carry plain text).
	guessed markup = iota
	// htmlMarkup: HTML (Atom type="html" or "xhtml", JSON Feed
	// content_html).
	htmlMarkup
	// plain: text as written (Atom type="text", JSON Feed content_text and
	// summary).
	plain
)

// errTextTooLarge stops a conversion whose text passed the limit.
var errTextTooLarge = errors.New("text too large")

// toText turns a field into plain text: paragraphs separated by blank
// lines, other block elements and line breaks on lines of their own, runs
// of spaces collapsed, entities decoded, scripts, styles and other
// non-text elements dropped. It fails with errTextTooLarge as soon as the
// text passes limit bytes (limit <= 0: no limit).
func toText(s string, m markup, limit int64) (string, error) {
	if m == guessed {
		if looksLikeHTML(s) {
			m = htmlMarkup
		} else {
			// Text with HTML entities ("AT&amp;T"), its line breaks kept.
			s = html.UnescapeString(s)
			m = plain
		}
	}
	w := textWriter{limit: limit}
	if m == plain {
		w.write(s, linesMode)
	} else {
		convertHTML(&w, s)
	}
	if w.tooLarge {
		return "", errTextTooLarge
	}
	return w.b.String(), nil
}

// oneLine returns s on one line: HTML reduced to its text when it looks
// like HTML, entities decoded, white space collapsed.
func oneLine(s string, m markup) string {
	if m != plain && strings.ContainsAny(s, "<&") {
		s, _ = toText(s, m, 0)
	}
	var w textWriter
	w.write(s, flowMode)
	return w.b.String()
}

// looksLikeHTML reports whether s holds something that reads as a tag or
// a comment: "<" followed by a letter, "/" or "!".
func looksLikeHTML(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0 && i+1 < len(s); {
		c := s[i+1]
		if c == '/' || c == '!' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
			return true
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// Elements whose content is not text of the article. The tokenizer reads
// the first group as raw text, so their content is one text token; the
// second group holds markup and is skipped by depth.
var (
	rawDropped = map[string]bool{
		"script": true, "style": true, "noscript": true, "iframe": true,
		"noembed": true, "noframes": true, "title": true, "textarea": true,
	}
	nestedDropped = map[string]bool{
		"template": true, "svg": true, "math": true, "select": true,
		"audio": true, "video": true, "canvas": true,
	}
	// paragraphs are followed and preceded by a blank line.
	paragraphs = map[string]bool{
		"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
		"h6": true, "blockquote": true, "pre": true, "ul": true, "ol": true,
		"dl": true, "table": true, "figure": true, "hr": true,
		"address": true, "details": true, "fieldset": true, "xmp": true,
		"listing": true, "plaintext": true,
	}
	// blocks stand on lines of their own.
	blocks = map[string]bool{
		"div": true, "li": true, "dt": true, "dd": true, "tr": true,
		"caption": true, "figcaption": true, "section": true,
		"article": true, "header": true, "footer": true, "aside": true,
		"main": true, "nav": true, "summary": true, "thead": true,
		"tbody": true, "tfoot": true, "center": true, "legend": true,
		"form": true, "body": true, "html": true, "option": true,
		"hgroup": true, "menu": true, "dialog": true, "search": true,
	}
	preformatted = map[string]bool{"pre": true, "xmp": true, "listing": true, "plaintext": true}
)

// convertHTML writes the text of an HTML fragment to w.
func convertHTML(w *textWriter, s string) {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var (
		dropText bool // the next text token is a dropped raw element's
		skip     int  // depth inside dropped elements
		pre      int  // depth inside preformatted elements
	)
	for !w.tooLarge {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return // io.EOF: a strings.Reader has no other error
		}
		if tt == xhtml.TextToken {
			if !dropText && skip == 0 {
				mode := flowMode
				if pre > 0 {
					mode = preMode
				}
				w.write(string(z.Text()), mode)
			}
			continue
		}
		dropText = false
		if tt != xhtml.StartTagToken && tt != xhtml.EndTagToken && tt != xhtml.SelfClosingTagToken {
			continue // comments, doctypes
		}
		name, _ := z.TagName()
		tag := string(name)
		if rawDropped[tag] {
			dropText = tt != xhtml.EndTagToken
			continue
		}
		if nestedDropped[tag] {
			switch {
			case tt == xhtml.StartTagToken:
				skip++
			case tt == xhtml.EndTagToken && skip > 0:
				skip--
			}
			continue
		}
		if skip > 0 {
			continue
		}
		if preformatted[tag] {
			switch {
			case tt == xhtml.StartTagToken:
				pre++
			case tt == xhtml.EndTagToken && pre > 0:
				pre--
			}
		}
		switch {
		case tag == "br":
			w.lineBreak()
		case paragraphs[tag]:
			w.breakAtLeast(2)
		case blocks[tag]:
			w.breakAtLeast(1)
		case tag == "td" || tag == "th":
			w.space()
		}
	}
}

// Modes of writing text.
const (
	flowMode  = iota // HTML text: all white space collapses to one space
	linesMode        // plain text: line breaks kept, blank lines collapsed to one
	preMode          // preformatted: spaces kept too
)

// textWriter builds normalised text. Breaks and spaces are owed until text
// follows them, so the result neither starts nor ends with white space.
type textWriter struct {
	b        strings.Builder
	lines    int    // line breaks owed (at most 2: a blank line)
	spaces   []byte // white space owed within the line
	limit    int64
	tooLarge bool
}

func (w *textWriter) breakAtLeast(n int) {
	w.lines = max(w.lines, n)
	w.spaces = w.spaces[:0]
}

func (w *textWriter) lineBreak() {
	w.lines = min(w.lines+1, 2)
	w.spaces = w.spaces[:0]
}

func (w *textWriter) space() {
	if w.lines == 0 && len(w.spaces) == 0 {
		w.spaces = append(w.spaces, ' ')
	}
}

// write adds text in a mode. Control characters are dropped and invalid
// UTF-8 becomes U+FFFD, so the result is always valid UTF-8.
func (w *textWriter) write(s string, mode int) {
	if mode != flowMode {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		seg := s[i : i+size]
		i += size
		switch {
		case r == '\n' || r == '\r':
			if mode == flowMode {
				w.space()
			} else {
				w.lineBreak()
			}
		case unicode.IsSpace(r):
			switch {
			case mode != preMode:
				w.space()
			case w.lines > 0 || w.b.Len() > 0:
				w.spaces = append(w.spaces, seg...)
			}
		case r < 0x20 || r == 0x7f || (0x80 <= r && r < 0xa0):
			// Control characters are not text.
		default:
			w.flush()
			if r == utf8.RuneError && size == 1 {
				w.b.WriteRune(utf8.RuneError)
			} else {
				w.b.WriteString(seg)
			}
			if w.limit > 0 && int64(w.b.Len()) > w.limit {
				w.tooLarge = true
				return
			}
		}
	}
}

// flush writes what white space is owed before the next character.
func (w *textWriter) flush() {
	if w.b.Len() > 0 {
		w.b.WriteString("\n\n"[:w.lines])
		w.b.Write(w.spaces)
	}
	w.lines, w.spaces = 0, w.spaces[:0]
}
