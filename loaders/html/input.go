package html

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/unicode/norm"

	"github.com/provgraph/provgraph/loaders"
)

// decode checks that data is a page and returns it as UTF-8, normalised
// to NFC.
func decode(data []byte, contentType string) ([]byte, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty file")
	}
	head := data[:min(len(data), 1024)]
	utf16 := bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe})
	if !utf16 && bytes.IndexByte(head, 0) >= 0 {
		return nil, errors.New("binary file (contains NUL bytes)")
	}
	enc, name, certain := charset.DetermineEncoding(data, contentType)
	if !certain {
		// An XHTML page names its encoding in its XML declaration, which
		// the HTML algorithm ignores.
		if m := xmlDecl.FindSubmatch(head); m != nil {
			if e, n := charset.Lookup(string(m[1])); e != nil {
				enc, name, certain = e, n, true
			}
		}
	}
	var out []byte
	switch {
	case enc == encoding.Nop || name == "utf-8",
		// DetermineEncoding looks at the first KB only and falls back to
		// windows-1252; a page that declares nothing and reads as UTF-8
		// throughout is UTF-8.
		!certain && name == "windows-1252" && !declaresCharset(head) && likelyUTF8(data):
		out = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	default:
		var err error
		out, err = enc.NewDecoder().Bytes(data)
		if err != nil {
			return nil, fmt.Errorf("decoding %s: %w", name, err)
		}
	}
	out = bytes.ToValidUTF8(bytes.TrimPrefix(out, []byte("\uFEFF")), []byte("\uFFFD"))
	if bytes.IndexByte(out, 0) >= 0 {
		// A NUL past the first KB, or in a UTF-16 page: the parser would
		// keep it in text, and no article has one.
		out = bytes.ReplaceAll(out, []byte{0}, []byte("\uFFFD"))
	}
	return norm.NFC.Bytes(out), nil
}

// likelyUTF8 reports whether data reads as UTF-8: valid, or with valid
// multi-byte sequences far outnumbering invalid bytes (a UTF-8 page with a
// few corrupt bytes). Text in a legacy single-byte encoding almost never
// forms valid multi-byte sequences.
func likelyUTF8(data []byte) bool {
	multi, bad := 0, 0
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
		} else {
			multi++
		}
		i += size
	}
	return bad == 0 || multi >= 4*bad
}

var charsetDecl = regexp.MustCompile(`(?i)<meta[^>]+charset`)

var xmlDecl = regexp.MustCompile(`^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

func declaresCharset(head []byte) bool { return charsetDecl.Match(head) }

// parse parses a page and checks its depth.
func parse(page []byte) (*html.Node, error) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		if strings.Contains(err.Error(), "open stack of elements exceeds") {
			return nil, fmt.Errorf("%w (more than %d elements)", ErrTooDeep, MaxDepth)
		}
		return nil, fmt.Errorf("parsing: %w", err)
	}
	// The parser bounds its stack of open elements, but tree repairs
	// (adoption of misnested formatting elements) can nest deeper than it.
	type item struct {
		n     *html.Node
		depth int
	}
	stack := []item{{doc, 0}}
	elements := 0
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.depth > MaxDepth {
			return nil, fmt.Errorf("%w (more than %d elements)", ErrTooDeep, MaxDepth)
		}
		if it.n.Type == html.ElementNode {
			if elements++; elements > MaxElements {
				return nil, fmt.Errorf("more than %d elements: %w", MaxElements, loaders.ErrTooLarge)
			}
		}
		for c := it.n.FirstChild; c != nil; c = c.NextSibling {
			stack = append(stack, item{c, it.depth + 1})
		}
	}
	return doc, nil
}
