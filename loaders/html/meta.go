package html

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	htmldate "github.com/markusmobius/go-htmldate"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
)

// clean trims a metadata value and collapses its white space.
func clean(s string) string {
	return strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
}

var authorSep = regexp.MustCompile(`(?i)\s*(?:;|,|&|\s+and\s+)\s*`)

// splitAuthors splits trafilatura's author string ("A; B", "A, B and C")
// into names.
func splitAuthors(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range authorSep.Split(clean(s), -1) {
		a = strings.TrimSpace(a)
		k := strings.ToLower(a)
		if a == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, a)
	}
	return out
}

// httpURL returns s if it is an absolute http(s) URL, else "".
func httpURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return clean(u.String())
}

// pageMeta is what the page says of itself in its markup.
type pageMeta struct {
	base, canonical, ogURL, siteName string
	// handle is the site's Twitter handle, which is not its name.
	handle string
	// publishers are the names meta tags give the publisher, most
	// trusted first.
	publishers []string
	// dates are the page's statements of its publication date, most
	// trusted first.
	dates    []string
	jsonLD   []string
	hasTable bool
}

// metaDates are meta names and properties that give the publication date,
// most trusted first; a JSON-LD datePublished ranks after the first two.
var metaDates = []string{
	"article:published_time", "og:article:published_time",
	"datepublished", "article.published", "published_time", "publish-date", "publishdate",
	"pubdate", "publication_date", "parsely-pub-date", "sailthru.date", "dc.date.issued",
	"dcterms.issued", "dcterms.created", "dc.date.created", "citation_publication_date",
	"citation_date", "dc.date", "date",
}

// metaPublishers are meta names that give the publisher's name, most
// trusted first.
var metaPublishers = []string{
	"dc.publisher", "dcterms.publisher", "dc:publisher", "publisher", "article:publisher",
	"citation_publisher", "sailthru.publisher", "application-name",
}

// scan collects the page's own metadata in one walk.
func scan(doc *html.Node) *pageMeta {
	m := &pageMeta{}
	byName := map[string]string{}
	var itemprop []string
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Base:
				if m.base == "" {
					m.base = attr(n, "href")
				}
			case atom.Link:
				if m.canonical == "" && hasToken(attr(n, "rel"), "canonical") {
					m.canonical = attr(n, "href")
				}
			case atom.Meta:
				content := attr(n, "content")
				for _, key := range []string{attr(n, "property"), attr(n, "name"), attr(n, "itemprop")} {
					key = strings.ToLower(strings.TrimSpace(key))
					if key != "" && content != "" {
						if _, ok := byName[key]; !ok {
							byName[key] = content
						}
					}
				}
			case atom.Script:
				if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") && n.FirstChild != nil {
					m.jsonLD = append(m.jsonLD, n.FirstChild.Data)
				}
			case atom.Table:
				m.hasTable = true
			}
			if n.DataAtom != atom.Meta && strings.EqualFold(attr(n, "itemprop"), "datePublished") {
				if v := attr(n, "datetime"); v != "" {
					itemprop = append(itemprop, v)
				} else if v := attr(n, "content"); v != "" {
					itemprop = append(itemprop, v)
				} else {
					itemprop = append(itemprop, textOf(n))
				}
			}
			if n.DataAtom == atom.Time && hasAttr(n, "pubdate") && attr(n, "datetime") != "" {
				itemprop = append(itemprop, attr(n, "datetime"))
			}
		}
		if depth > MaxDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	m.ogURL = byName["og:url"]
	m.siteName = clean(byName["og:site_name"])
	m.handle = strings.TrimPrefix(clean(byName["twitter:site"]), "@")
	for _, k := range metaPublishers {
		if v := clean(byName[k]); v != "" {
			m.publishers = append(m.publishers, v)
		}
	}
	ld := ldDates(m.jsonLD)
	for i, k := range metaDates {
		if i == 2 {
			m.dates = append(m.dates, ld...)
			m.dates = append(m.dates, itemprop...)
		}
		if v, ok := byName[k]; ok {
			m.dates = append(m.dates, v)
		}
	}
	return m
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if depth > MaxDepth || b.Len() > 200 {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return clean(b.String())
}

// url returns the page's canonical URL made absolute: <link
// rel="canonical">, else og:url, resolved against <base href>, or against
// whichever of the two is absolute.
func (m *pageMeta) url() string {
	var base *url.URL
	for _, s := range []string{m.base, m.canonical, m.ogURL} {
		if abs := httpURL(s); abs != "" {
			base, _ = url.Parse(abs)
			break
		}
	}
	for _, s := range []string{m.canonical, m.ogURL} {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if abs := httpURL(s); abs != "" {
			return abs
		}
		if base == nil {
			continue
		}
		ref, err := url.Parse(s)
		if err != nil {
			continue
		}
		if abs := httpURL(base.ResolveReference(ref).String()); abs != "" {
			return abs
		}
	}
	return ""
}

// publisher returns the site's name as the page states it.
func (m *pageMeta) publisher(meta trafilatura.Metadata, pageURL string) string {
	if m.siteName != "" {
		return m.siteName
	}
	if p := ldPublisher(m.jsonLD); p != "" {
		return p
	}
	for _, p := range m.publishers {
		if httpURL(p) == "" && !strings.Contains(p, "://") {
			return p
		}
	}
	s := clean(meta.Sitename)
	switch {
	case s == "", httpURL(s) != "", strings.Contains(s, "://"):
		// Nothing, or a profile link (article:publisher is often the
		// site's Facebook page).
		return ""
	case m.handle != "" && strings.EqualFold(s, m.handle):
		return ""
	}
	for _, u := range []string{pageURL, meta.URL} {
		if pu, err := url.Parse(u); err == nil && pu.Host != "" {
			host := strings.ToLower(strings.TrimPrefix(pu.Hostname(), "www."))
			if strings.EqualFold(s, host) || strings.EqualFold(s, pu.Hostname()) {
				// trafilatura's fallback to the host name.
				return ""
			}
		}
	}
	return s
}

// published returns the page's publication date: the first of its own
// statements that parses, else go-htmldate's reading of the page, else nil.
func (m *pageMeta) published(doc *html.Node, pageURL string) *graph.Date {
	for _, s := range m.dates {
		if d, err := loaders.ParseDate(clean(s)); err == nil {
			return d
		}
	}
	res, err := findDate(doc, pageURL)
	if err != nil || res.IsZero() {
		return nil
	}
	t := res.DateTime
	v := t.Format("2006-01-02")
	switch {
	case res.HasTime && res.HasTimezone:
		v = t.Format(time.RFC3339)
	case res.HasTime:
		v = t.Format("2006-01-02T15:04:05")
	}
	// The text the date came from may say more (a time) or less (a month)
	// than htmldate's day; it is used when it agrees.
	if src := clean(res.SrcString); src != "" && len(src) <= 64 {
		if d, err := loaders.ParseDate(src); err == nil && strings.HasPrefix(v, d.Value[:min(len(d.Value), 10)]) {
			return d
		}
	}
	d, err := loaders.ParseDate(v)
	if err != nil {
		return nil
	}
	return d
}

// findDate runs go-htmldate's fast search, which reads the markup and the
// URL, not free text, and never falls back to the current date.
func findDate(doc *html.Node, pageURL string) (res htmldate.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = htmldate.Result{}, fmt.Errorf("date extraction failed: %v", p)
		}
	}()
	return htmldate.FromDocument(doc, htmldate.Options{
		UseOriginalDate:     true,
		SkipExtensiveSearch: true,
		ExtractTime:         true,
		URL:                 pageURL,
	})
}

// articleTypes are the schema.org types whose datePublished and publisher
// are the page's.
var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "reportagenewsarticle": true, "analysisnewsarticle": true,
	"opinionnewsarticle": true, "reviewnewsarticle": true, "backgroundnewsarticle": true,
	"blogposting": true, "liveblogposting": true, "socialmediaposting": true, "webpage": true,
	"scholarlyarticle": true, "report": true, "techarticle": true, "pressrelease": true,
}

// ldObjects decodes JSON-LD scripts and calls fn for every object in them,
// article types first.
func ldObjects(scripts []string, fn func(obj map[string]any, article bool) bool) {
	var all []map[string]any
	var collect func(v any, depth int)
	collect = func(v any, depth int) {
		if depth > 32 {
			return
		}
		switch v := v.(type) {
		case map[string]any:
			all = append(all, v)
			for _, c := range v {
				collect(c, depth+1)
			}
		case []any:
			for _, c := range v {
				collect(c, depth+1)
			}
		}
	}
	for _, s := range scripts {
		var v any
		if err := json.Unmarshal([]byte(strings.TrimSpace(s)), &v); err != nil {
			continue
		}
		collect(v, 0)
	}
	for _, pass := range []bool{true, false} {
		for _, obj := range all {
			if isArticle(obj) == pass && !fn(obj, pass) {
				return
			}
		}
	}
}

func isArticle(obj map[string]any) bool {
	switch t := obj["@type"].(type) {
	case string:
		return articleTypes[strings.ToLower(t)]
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok && articleTypes[strings.ToLower(s)] {
				return true
			}
		}
	}
	return false
}

// ldDates returns the datePublished values of JSON-LD objects, articles'
// first.
func ldDates(scripts []string) []string {
	var out []string
	ldObjects(scripts, func(obj map[string]any, _ bool) bool {
		if s, ok := obj["datePublished"].(string); ok && strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
		return true
	})
	return out
}

// ldPublisher returns the name of an article's publisher in JSON-LD.
func ldPublisher(scripts []string) string {
	var name string
	ldObjects(scripts, func(obj map[string]any, article bool) bool {
		if !article {
			return false
		}
		switch p := obj["publisher"].(type) {
		case map[string]any:
			name, _ = p["name"].(string)
		case []any:
			if len(p) > 0 {
				if o, ok := p[0].(map[string]any); ok {
					name, _ = o["name"].(string)
				}
			}
		case string:
			if httpURL(p) == "" {
				name = p
			}
		}
		name = clean(name)
		return name == ""
	})
	return name
}
