package html

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blocks are the elements that start a paragraph of their own.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Dl: true,
	atom.Dt: true, atom.Dd: true, atom.Blockquote: true, atom.Pre: true, atom.Table: true,
	atom.Tr: true, atom.Caption: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Nav: true, atom.Details: true,
	atom.Summary: true, atom.Figure: true, atom.Figcaption: true, atom.Address: true,
	atom.Hr: true, atom.Body: true, atom.Form: true, atom.Fieldset: true,
}

// render returns the paragraphs of the extracted content as a reader sees
// them: one a block, line breaks as "\n", table cells separated by a tab.
func render(root *html.Node) []string {
	if root == nil {
		return nil
	}
	var paras []string
	var cur strings.Builder
	flush := func() {
		if p := tidy(cur.String()); p != "" && !stray(p) {
			paras = append(paras, p)
		}
		cur.Reset()
	}
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
		case html.DocumentNode:
		default:
			return
		}
		tag := tagOf(n)
		switch tag {
		case atom.Script, atom.Style, atom.Template, atom.Noscript:
			return
		case atom.Br:
			cur.WriteByte('\n')
			return
		case atom.Td, atom.Th:
			cur.WriteByte('\t')
		case atom.Pre:
			flush()
			if p := preformatted(rawText(n)); p != "" {
				paras = append(paras, p)
			}
			return
		}
		block := blocks[tag]
		if block {
			flush()
		}
		if depth <= MaxDepth {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c, depth+1)
			}
		}
		if block {
			flush()
		}
	}
	walk(root, 0)
	flush()
	return paras
}

// strays are words that trafilatura leaves behind when it removes the
// names around them from a byline ("By <a>A</a> and <a>B</a>").
var strays = map[string]bool{"and": true, "by": true, "with": true, "und": true, "et": true, "von": true, "par": true}

// stray reports a paragraph that is a leftover of removed page furniture:
// a lone conjunction, or no letters or digits at all.
func stray(p string) bool {
	if strays[strings.ToLower(strings.Trim(p, " ,;:|·•-–—"))] {
		return true
	}
	return strings.IndexFunc(p, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) < 0
}

// preformatted returns the text of a <pre> element with its indentation,
// trailing space and blank lines removed, so that it stays one paragraph.
func preformatted(s string) string {
	var lines []string
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if line = strings.TrimRightFunc(line, isSpace); strings.TrimSpace(line) != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}

// tagOf returns the element's tag. trafilatura renames and creates
// elements without setting their DataAtom, so the name is looked up.
func tagOf(n *html.Node) atom.Atom {
	if n.Type != html.ElementNode {
		return 0
	}
	return atom.Lookup([]byte(strings.ToLower(n.Data)))
}

// rawText returns the text of n as written, white space included.
func rawText(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && tagOf(n) == atom.Br:
			b.WriteByte('\n')
		}
		if depth > MaxDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}

// tidy collapses the white space of a paragraph, keeping the line breaks
// ("\n") and cell separators ("\t") that render wrote, and dropping empty
// lines and cells.
func tidy(p string) string {
	var lines []string
	for _, line := range strings.Split(p, "\n") {
		var cells []string
		for _, cell := range strings.Split(line, "\t") {
			if c := strings.Join(strings.FieldsFunc(cell, isSpace), " "); c != "" {
				cells = append(cells, c)
			}
		}
		if len(cells) > 0 {
			lines = append(lines, strings.Join(cells, "\t"))
		}
	}
	return strings.Join(lines, "\n")
}

// isSpace reports white space, tabs and line breaks of the source
// included, and the invisible characters that pages use as spacing.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}
