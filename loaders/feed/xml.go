package feed

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"
	"golang.org/x/net/html/charset"
)

// RSS and Atom feeds are read in two passes, so that memory does not grow
// with the number of items (see the package comment). The first pass
// tokenizes the feed as gofeed does (encoding/xml, not strict, after
// dropping forbidden control characters and converting a declared encoding
// to UTF-8), so a feed gofeed would reject fails here, before any item is
// emitted, and an item is what gofeed would take for one: an element named
// item (RSS) or entry (Atom), child of the root or, in RSS, of a channel.
// gofeed then decides, from the wrapped document, whether it is an item of
// the feed's namespace.

// span is a byte range of a feed.
type span struct{ start, end int }

// skeleton is where a feed's elements lie.
type skeleton struct {
	root     span   // the root element's start tag
	channels []span // RSS channels' start tags
	items    []xmlItem
}

type xmlItem struct {
	span
	channel int // index of the channel holding it; -1 for the root
}

// parseXML reads an RSS or Atom feed.
func parseXML(ctx context.Context, data []byte, isAtom bool) (*parsed, error) {
	data, err := toUTF8(dropControls(bytes.TrimPrefix(data, utf8BOM)))
	if err != nil {
		return nil, err
	}
	sk, err := scan(ctx, data, isAtom)
	if err != nil {
		return nil, err
	}
	// The feed without its items, for its metadata.
	var rest []byte
	prev := 0
	for _, it := range sk.items {
		rest = append(rest, data[prev:it.start]...)
		prev = it.end
	}
	rest = append(rest, data[prev:]...)
	var (
		meta *gofeed.Feed
		one  func([]byte) ([]*entry, error)
	)
	if isAtom {
		af, err := (&atom.Parser{}).Parse(ctxReader{ctx, bytes.NewReader(rest)})
		if err != nil {
			return nil, err
		}
		af.Entries = nil
		if meta, err = atomTranslator.Translate(af); err != nil {
			return nil, err
		}
		one = func(doc []byte) ([]*entry, error) { return atomEntries(doc, meta) }
	} else {
		rf, err := (&rss.Parser{}).Parse(ctxReader{ctx, bytes.NewReader(rest)})
		if err != nil {
			return nil, err
		}
		rf.Items = nil
		if meta, err = rssTranslator.Translate(rf); err != nil {
			return nil, err
		}
		one = rssEntries
	}
	rest = nil
	return &parsed{meta: meta, items: func(yield func(*entry, error) error) error {
		var doc []byte
		read := func(items []xmlItem) ([]*entry, error) {
			doc = sk.wrap(doc[:0], data, items)
			return one(doc)
		}
		for i := 0; i < len(sk.items); {
			// Items are parsed in batches, which costs less than one by
			// one; a batch that fails is parsed again one by one, so
			// that the error is the failing item's alone.
			j, size := i+1, sk.items[i].end-sk.items[i].start
			for j < len(sk.items) && j-i < batchItems && size < batchSize && sk.items[j].channel == sk.items[i].channel {
				size += sk.items[j].end - sk.items[j].start
				j++
			}
			entries, err := read(sk.items[i:j])
			if err != nil && j-i > 1 {
				for k := i; k < j; k++ {
					entries, err := read(sk.items[k : k+1])
					if err := yieldAll(yield, entries, err); err != nil {
						return err
					}
				}
			} else if err := yieldAll(yield, entries, err); err != nil {
				return err
			}
			i = j
		}
		return nil
	}}, nil
}

// Bounds of a batch of items parsed together.
const (
	batchItems = 256
	batchSize  = 64 << 10
)

// yieldAll yields the entries of one parse, or its error. gofeed may see
// fewer items than were found (an element of another namespace named item)
// or, in broken markup, more.
func yieldAll(yield func(*entry, error) error, entries []*entry, err error) error {
	if err != nil {
		return yield(nil, err)
	}
	for _, e := range entries {
		if err := yield(e, nil); err != nil {
			return err
		}
	}
	return nil
}

// wrap appends to doc a document holding items of one channel (or of the
// root): their ancestors' start tags, the items, and end tags closing them.
func (sk *skeleton) wrap(doc, data []byte, items []xmlItem) []byte {
	root := data[sk.root.start:sk.root.end]
	doc = append(doc, root...)
	var channel []byte
	if c := items[0].channel; c >= 0 {
		channel = data[sk.channels[c].start:sk.channels[c].end]
		doc = append(doc, channel...)
	}
	for _, it := range items {
		doc = append(doc, data[it.start:it.end]...)
	}
	if channel != nil {
		doc = append(append(append(doc, "</"...), tagName(channel)...), '>')
	}
	return append(append(append(doc, "</"...), tagName(root)...), '>')
}

// tagName returns the name in a start tag, prefix included.
func tagName(tag []byte) []byte {
	tag = tag[1:]
	if i := bytes.IndexAny(tag, " \t\r\n/>"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

// scan finds the root, the channels and the items of a feed: elements named
// item (RSS) or entry (Atom), children of the root or, in RSS, of a
// channel.
func scan(ctx context.Context, data []byte, isAtom bool) (*skeleton, error) {
	d := xml.NewDecoder(ctxReader{ctx, bytes.NewReader(data)})
	d.Strict = false
	// toUTF8 has made the feed UTF-8 whatever its declaration says.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	itemName := "item"
	if isAtom {
		itemName = "entry"
	}
	var (
		sk        = &skeleton{}
		depth     int
		channel   = -1 // index of the open channel
		item      = -1 // start of the open item
		itemDepth int
	)
	for {
		start := int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			return sk, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if item >= 0 {
				continue
			}
			end := int(d.InputOffset())
			name := strings.ToLower(t.Name.Local)
			switch {
			case depth == 1:
				sk.root = span{start, end}
			case depth == 2 && !isAtom && name == "channel":
				sk.channels = append(sk.channels, span{start, end})
				channel = len(sk.channels) - 1
			case depth == 2 && name == itemName:
				item, itemDepth = start, depth
			case depth == 3 && channel >= 0 && name == "item":
				item, itemDepth = start, depth
			}
		case xml.EndElement:
			if item >= 0 && depth == itemDepth {
				it := xmlItem{span: span{item, int(d.InputOffset())}, channel: -1}
				if depth == 3 {
					it.channel = channel
				}
				sk.items = append(sk.items, it)
				item = -1
			}
			if depth == 2 {
				channel = -1
			}
			if depth--; depth == 0 {
				// gofeed reads no further than the root's end.
				return sk, nil
			}
		}
	}
}

// dropControls removes the control characters that XML forbids, as gofeed
// does before parsing.
func dropControls(b []byte) []byte {
	bad := func(c byte) bool { return c < 0x20 && c != '\t' && c != '\n' && c != '\r' }
	i := bytes.IndexFunc(b, func(r rune) bool { return r < 0x20 && bad(byte(r)) })
	if i < 0 {
		return b
	}
	out := append(make([]byte, 0, len(b)), b[:i]...)
	for _, c := range b[i:] {
		if !bad(c) {
			out = append(out, c)
		}
	}
	return out
}

var xmlDecl = regexp.MustCompile(`^[ \t\r\n]*<\?xml[^>]*?\bencoding[ \t\r\n]*=[ \t\r\n]*["']([^"']*)["'][^>]*?\?>`)

// toUTF8 converts a feed that declares another encoding to UTF-8, with a
// declaration saying so, as gofeed does while parsing; items are parsed
// apart from the declaration.
func toUTF8(data []byte) ([]byte, error) {
	m := xmlDecl.FindSubmatchIndex(data[:min(len(data), 1024)])
	if m == nil {
		return data, nil
	}
	label := strings.TrimSpace(string(data[m[2]:m[3]]))
	if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "utf8") {
		return data, nil
	}
	r, err := charset.NewReaderLabel(label, bytes.NewReader(data[m[1]:]))
	if err != nil {
		return nil, fmt.Errorf("encoding %q: %w", label, err)
	}
	out := bytes.NewBuffer(make([]byte, 0, len(data)+len(data)/2))
	out.Write(data[:m[0]])
	out.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	if _, err := out.ReadFrom(r); err != nil {
		return nil, fmt.Errorf("encoding %q: %w", label, err)
	}
	return out.Bytes(), nil
}

// rssEntries parses a document holding RSS items.
func rssEntries(doc []byte) ([]*entry, error) {
	rf, err := (&rss.Parser{}).Parse(bytes.NewReader(doc))
	if err != nil {
		return nil, err
	}
	var out []*entry
	for _, it := range rf.Items {
		one, err := rssTranslator.Translate(&rss.Feed{Items: []*rss.Item{it}})
		if err != nil {
			return nil, err
		}
		gi := one.Items[0]
		e := &entry{
			item:            gi,
			content:         gi.Content,
			summary:         gi.Description,
			published:       gi.Published,
			publishedParsed: gi.PublishedParsed,
			updated:         gi.Updated,
			updatedParsed:   gi.UpdatedParsed,
		}
		if it.GUID != nil && !strings.EqualFold(strings.TrimSpace(it.GUID.IsPermalink), "false") {
			e.permalink = it.GUID.Value
		}
		out = append(out, e)
	}
	return out, nil
}

// atomEntries parses a document holding Atom entries of a feed.
func atomEntries(doc []byte, meta *gofeed.Feed) ([]*entry, error) {
	af, err := (&atom.Parser{}).Parse(bytes.NewReader(doc))
	if err != nil {
		return nil, err
	}
	var out []*entry
	for _, en := range af.Entries {
		one, err := atomTranslator.Translate(&atom.Feed{Entries: []*atom.Entry{en}})
		if err != nil {
			return nil, err
		}
		e := &entry{
			item:            one.Items[0],
			summary:         en.Summary,
			authors:         meta.Authors,
			published:       en.Published,
			publishedParsed: en.PublishedParsed,
			updated:         en.Updated,
			updatedParsed:   en.UpdatedParsed,
		}
		if c := en.Content; c != nil {
			if m, ok := atomMarkup(c.Type); ok {
				e.content, e.contentMarkup = c.Value, m
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// atomMarkup returns how Atom content of a type is written, and false for
// a type that is not text (gofeed decodes base64 content of binary types).
func atomMarkup(typ string) (markup, bool) {
	t := strings.ToLower(strings.TrimSpace(typ))
	switch {
	case t == "" || t == "text":
		return plain, true
	case strings.Contains(t, "html"):
		return htmlMarkup, true
	case strings.HasPrefix(t, "text/"):
		return plain, true
	case strings.Contains(t, "xml"):
		return guessed, true
	default:
		return plain, false
	}
}
