package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/mmcdole/gofeed"
	jsonfeed "github.com/mmcdole/gofeed/json"
)

// jsonHead is the part of a JSON Feed that is not its items, which are
// decoded one at a time.
type jsonHead struct {
	Version     string             `json:"version"`
	Title       string             `json:"title"`
	HomePageURL string             `json:"home_page_url"`
	FeedURL     string             `json:"feed_url"`
	Author      *jsonfeed.Author   `json:"author"`
	Authors     []*jsonfeed.Author `json:"authors"`
	Items       json.RawMessage    `json:"items"`
}

// parseJSON reads a JSON Feed. The whole document is checked first, so a
// malformed one fails before any item is emitted; a feed field of the wrong
// type is ignored, and an item with one is an error record.
func parseJSON(data []byte) (*parsed, error) {
	var h jsonHead
	var te *json.UnmarshalTypeError
	if err := json.Unmarshal(data, &h); err != nil && !errors.As(err, &te) {
		return nil, err
	}
	items := bytes.TrimSpace(h.Items)
	switch {
	case len(items) > 0 && items[0] != '[' && string(items) != "null":
		return nil, errors.New("items is not an array")
	case (len(items) == 0 || items[0] != '[') && !strings.Contains(h.Version, "jsonfeed.org"):
		return nil, errors.New("not a JSON Feed (no jsonfeed.org version and no items)")
	}
	meta := &gofeed.Feed{Title: h.Title, Link: h.HomePageURL, FeedLink: h.FeedURL}
	if h.Authors == nil && h.Author != nil {
		h.Authors = []*jsonfeed.Author{h.Author}
	}
	for _, a := range h.Authors {
		if a != nil {
			meta.Authors = append(meta.Authors, &gofeed.Person{Name: a.Name})
		}
	}
	return &parsed{meta: meta, markup: plain, items: func(yield func(*entry, error) error) error {
		if len(items) == 0 || items[0] != '[' {
			return nil
		}
		dec := json.NewDecoder(bytes.NewReader(items))
		if _, err := dec.Token(); err != nil { // [
			return yield(nil, err)
		}
		for dec.More() {
			var it *jsonfeed.Item
			err := dec.Decode(&it)
			switch {
			case errors.As(err, &te):
				// The decoder has read past the item.
				err = yield(nil, err)
			case err != nil:
				// The document was checked: this cannot happen, but
				// if it did the decoder could not go on.
				return yield(nil, err)
			case it == nil:
				err = yield(nil, errors.New("null item"))
			default:
				err = yield(jsonEntry(it, meta))
			}
			if err != nil {
				return err
			}
		}
		return nil
	}}, nil
}

func jsonEntry(it *jsonfeed.Item, meta *gofeed.Feed) (*entry, error) {
	one, err := jsonTranslator.Translate(&jsonfeed.Feed{Items: []*jsonfeed.Item{it}})
	if err != nil {
		return nil, err
	}
	gi := one.Items[0]
	e := &entry{
		item:            gi,
		summary:         it.Summary,
		summaryMarkup:   plain,
		authors:         meta.Authors,
		published:       gi.Published,
		publishedParsed: gi.PublishedParsed,
		updated:         gi.Updated,
		updatedParsed:   gi.UpdatedParsed,
	}
	if it.ContentHTML != "" {
		e.content, e.contentMarkup = it.ContentHTML, htmlMarkup
	} else {
		e.content, e.contentMarkup = it.ContentText, plain
	}
	return e, nil
}
