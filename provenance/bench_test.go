package provenance

import (
	"encoding/json"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/all"
)

// benchDocs are the extracted, unlinked graphs of the first ABP articles,
// as JSON: each run of the benchmark links fresh copies of them.
var benchDocs struct {
	once sync.Once
	n    int
	raw  [][]byte
	err  error
}

// abpGraphs extracts the first n articles of the ABP corpus at path, once
// per test binary.
func abpGraphs(b *testing.B, path string, n int) [][]byte {
	b.Helper()
	benchDocs.once.Do(func() {
		in, err := all.Ingester()
		if err != nil {
			benchDocs.err = err
			return
		}
		ctx := b.Context()
		errStop := os.ErrClosed
		err = all.Default().Read(ctx, []string{path}, loaders.ReadOptions{}, func(rec loaders.Record) error {
			if rec.Err != nil {
				return nil
			}
			if len(benchDocs.raw) >= n {
				return errStop
			}
			dg, _, err := in.Graph(ctx, rec.Doc)
			if err != nil {
				return err
			}
			dg.Document.Text = "" // the linker reads none of it
			js, err := json.Marshal(dg)
			if err != nil {
				return err
			}
			benchDocs.raw = append(benchDocs.raw, js)
			return nil
		})
		if err != nil && err != errStop {
			benchDocs.err = err
		}
		benchDocs.n = n
	})
	if benchDocs.err != nil {
		b.Fatal(benchDocs.err)
	}
	return benchDocs.raw
}

// BenchmarkLinkABP links the first PROVGRAPH_ABP_BENCH articles (1,000
// unless set) of the ABP corpus (PROVGRAPH_ABP) into a [MemIndex], in
// batches of 256 as graphd load writes them: the linker's own cost,
// without extraction or a store. One op links all of them; ns/doc is the
// mean per document, ns/doc-last the mean over the last tenth, which
// stays near ns/doc while linking cost does not grow with the graph.
func BenchmarkLinkABP(b *testing.B) {
	path := os.Getenv("PROVGRAPH_ABP")
	if path == "" {
		b.Skip("PROVGRAPH_ABP is not set (the ABP news corpus, abp-news.jsonl.gz)")
	}
	n := 1000
	if s := os.Getenv("PROVGRAPH_ABP_BENCH"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("PROVGRAPH_ABP_BENCH=%q: want a positive number", s)
		}
		n = v
	}
	raw := abpGraphs(b, path, n)
	ctx := b.Context()
	var last time.Duration // linking the last tenth of the documents
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		dgs := make([]*graph.DocGraph, len(raw))
		for i, js := range raw {
			dgs[i] = new(graph.DocGraph)
			if err := json.Unmarshal(js, dgs[i]); err != nil {
				b.Fatal(err)
			}
		}
		store := NewMemIndex()
		l := New(store)
		b.StartTimer()
		var batch []*graph.DocGraph
		for i, dg := range dgs {
			t0 := time.Now()
			if err := l.Link(ctx, dg); err != nil {
				b.Fatal(err)
			}
			if i >= len(dgs)-len(dgs)/10 {
				last += time.Since(t0)
			}
			batch = append(batch, dg)
			if len(batch) >= 256 {
				for _, dg := range batch {
					store.Add(dg)
				}
				l.Flush()
				batch = batch[:0]
			}
		}
		for _, dg := range batch {
			store.Add(dg)
		}
		l.Flush()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(raw)), "ns/doc")
	if n := len(raw) / 10; n > 0 {
		b.ReportMetric(float64(last.Nanoseconds())/float64(b.N*n), "ns/doc-last")
	}
}
