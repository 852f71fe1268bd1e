// Package all builds the registry of every document format provgraph reads.
package all

import (
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/jsonl"
	"github.com/provgraph/provgraph/loaders/text"
)

// Default returns a new registry holding every built-in format.
func Default() *loaders.Registry {
	r := &loaders.Registry{}
	for _, f := range []loaders.Format{text.Format, jsonl.Format} {
		if err := r.Register(f); err != nil {
			// The built-in formats are fixed; a clash is a programming
			// error caught by this package's test.
			panic(err)
		}
	}
	return r
}
