// Package all builds the registry of every document format provgraph reads.
package all

import (
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/feed"
	"github.com/provgraph/provgraph/loaders/html"
	"github.com/provgraph/provgraph/loaders/jsonl"
	"github.com/provgraph/provgraph/loaders/text"
)

// Default returns a new registry holding every built-in format.
func Default() *loaders.Registry {
	r := &loaders.Registry{}
	for _, f := range []loaders.Format{text.Format, html.Format, jsonl.Format} {
		if err := r.Register(f); err != nil {
			// The built-in formats are fixed; a clash is a programming
			// error caught by this package's test.
			panic(err)
		}
	}
	// Feeds come last: they claim the generic XML media types only where
	// no other format does.
	if err := feed.Register(r); err != nil {
		panic(err)
	}
	return r
}
