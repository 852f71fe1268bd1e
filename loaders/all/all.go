// Package all builds the registry of every document format provgraph reads,
// and the extraction pipeline every document goes through.
package all

import (
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/extract"
	"github.com/provgraph/provgraph/loaders/extract/attrib"
	"github.com/provgraph/provgraph/loaders/extract/dates"
	"github.com/provgraph/provgraph/loaders/extract/places"
	"github.com/provgraph/provgraph/loaders/extract/speaker"
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

// Pipeline returns the extraction pipeline: attributions (the shipped
// model), their speakers, dates, then places.
func Pipeline() (*extract.Pipeline, error) {
	m, err := attrib.Default()
	if err != nil {
		return nil, err
	}
	return &extract.Pipeline{Extractors: []extract.Extractor{m, speaker.Resolver{}, dates.Finder{}, places.Finder{}}}, nil
}

// Ingester returns an ingester running [Pipeline].
func Ingester() (*loaders.Ingester, error) {
	p, err := Pipeline()
	if err != nil {
		return nil, err
	}
	return &loaders.Ingester{Pipeline: p}, nil
}
