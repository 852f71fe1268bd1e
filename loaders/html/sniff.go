package html

import (
	"bytes"
	"strings"
)

// sniffTags are the elements a page may begin with, after a doctype,
// comments or an XML declaration.
var sniffTags = []string{
	"html", "head", "meta", "title", "link", "base", "script", "style", "body", "div",
	"p", "article", "section", "main", "header", "nav", "table", "h1", "h2", "h3",
	"center", "font", "noscript", "iframe",
}

// sniff recognises the start of a page that Magic does not: one opening
// with comments, an XML declaration followed by an HTML doctype or root, or
// an element other than <html>. It is conservative: an XML document whose
// root is not an HTML element (a feed) is not a page.
func sniff(peek []byte) bool {
	b := bytes.TrimPrefix(peek, []byte("\xef\xbb\xbf"))
	sawXMLDecl := false
	for {
		b = bytes.TrimLeft(b, " \t\r\n\f")
		switch {
		case hasPrefixFold(b, "<!--"):
			end := bytes.Index(b, []byte("-->"))
			if end < 0 {
				return false
			}
			b = b[end+3:]
		case hasPrefixFold(b, "<?xml"):
			if sawXMLDecl {
				return false
			}
			sawXMLDecl = true
			end := bytes.Index(b, []byte("?>"))
			if end < 0 {
				return false
			}
			b = b[end+2:]
		case hasPrefixFold(b, "<!doctype"):
			rest := bytes.TrimLeft(b[len("<!doctype"):], " \t\r\n\f")
			return hasPrefixFold(rest, "html") && (len(rest) == 4 || !isNameByte(rest[4]))
		default:
			if len(b) < 2 || b[0] != '<' {
				return false
			}
			for _, t := range sniffTags {
				if sawXMLDecl && t != "html" {
					continue
				}
				if hasPrefixFold(b[1:], t) {
					if len(b) == 1+len(t) {
						return false // cut off: cannot tell
					}
					switch b[1+len(t)] {
					case ' ', '\t', '\r', '\n', '\f', '>', '/':
						return true
					}
				}
			}
			return false
		}
	}
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

func isNameByte(c byte) bool {
	return c == '-' || c == '_' || c == ':' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
