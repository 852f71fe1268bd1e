package html_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/html"
	"github.com/provgraph/provgraph/loaders/loadertest"
)

func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.html")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("<!DOCTYPE html><html><body><p>x</p></body></html>"))
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2023"}]}</script>`))
	l, err := html.New(html.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		err := l.Load(context.Background(), loaders.Source{Name: "fuzz"}, bytes.NewReader(data), func(r loaders.Record) error {
			n++
			switch {
			case r.Doc != nil && r.Err != nil:
				t.Errorf("record with both a document and an error")
			case r.Doc != nil:
				if err := loadertest.Check(html.Name, r.Doc); err != nil {
					t.Error(err)
				}
			case r.Err == nil:
				t.Errorf("empty record")
			}
			return nil
		})
		if err != nil {
			t.Errorf("Load: %v", err)
		}
		if n != 1 {
			t.Errorf("%d records, want 1", n)
		}
	})
}
