package cayleystore_test

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/kv/bolt" // Cayley's bolt backend, the baseline
	_ "github.com/cayleygraph/cayley/graph/kv/btree"
	"github.com/cayleygraph/quad"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/badger4"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/graph/storetest"
)

// BenchmarkBackends writes the same workload through graph/badger4,
// Cayley's bolt backend, Cayley's in-memory store and Cayley's KV layer over
// an in-memory B-tree (the ceiling of any KV adapter), then looks up random
// statements' speaker name and document title (two hops each, returning
// values). It runs each backend with the transactions "graphd load" uses
// (256 documents, 1,280 statements) and with small ones (4 documents, 20
// statements, as a document-at-a-time ingest makes). Each sub-benchmark is
// one load of a fresh store; run it a few times and take medians:
//
//	go test -run '^$' -bench Backends -benchtime 1x -count 3 -timeout 3h ./graph/cayleystore
//
// Besides the rates it reports the process's CPU time per quad written and
// per look-up (background work such as compactions and garbage collection
// included), which a machine shared with other work disturbs less than the
// elapsed time.
//
// PROVGRAPH_BENCH_STATEMENTS sets the number of statements (default
// 100,000, five per document).
func BenchmarkBackends(b *testing.B) {
	statements := 100000
	if v, err := strconv.Atoi(os.Getenv("PROVGRAPH_BENCH_STATEMENTS")); err == nil && v > 0 {
		statements = v
	}
	const perDoc = 5
	docs := statements / perDoc
	opt := storetest.SampleOptions{Statements: perDoc, Actors: 2000, DisputePrevious: true}
	for _, txDocs := range []int{256, 4} {
		for _, backend := range []string{badger4.Name, "bolt", cayleystore.Memory, "btree"} {
			b.Run(fmt.Sprintf("tx=%dstmts/%s", txDocs*perDoc, backend), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					benchBackend(b, backend, docs, txDocs, opt)
				}
			})
		}
	}
}

func benchBackend(b *testing.B, backend string, docs, txDocs int, opt storetest.SampleOptions) {
	dir := b.TempDir()
	ctx := context.Background()
	addr := dir
	if !cgraph.IsPersistent(backend) {
		addr = ""
	}
	s, err := cayleystore.Open(ctx, cayleystore.Options{Backend: backend, Address: addr})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	start, cpu := time.Now(), cpuTime()
	batch := make([]*graph.DocGraph, 0, txDocs)
	for d := 0; d < docs; d++ {
		batch = append(batch, storetest.Sample(d, opt))
		if len(batch) == txDocs || d == docs-1 {
			if _, err := s.Put(ctx, batch...); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	writeTime, writeCPU := time.Since(start), cpuTime()-cpu
	// graphd load compacts the embedded store after a large load.
	start = time.Now()
	if err := s.Compact(ctx); err != nil {
		b.Fatal(err)
	}
	compactTime := time.Since(start)
	b.StopTimer()
	st, err := s.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.StartTimer()

	const lookups = 20000
	rng := rand.New(rand.NewPCG(1, 2))
	qs := s.QuadStore()
	ids := make([]graph.ID, lookups)
	for l := range ids {
		dg := storetest.Sample(rng.IntN(docs), storetest.SampleOptions{Statements: opt.Statements, Actors: opt.Actors})
		ids[l] = dg.Statements[rng.IntN(len(dg.Statements))].ID
	}
	start, cpu = time.Now(), cpuTime()
	for _, id := range ids {
		speaker, title := lookup(ctx, qs, id)
		if speaker == "" || title == "" {
			b.Fatalf("lookup of %s found speaker %q, title %q", id, speaker, title)
		}
	}
	readTime, readCPU := time.Since(start), cpuTime()-cpu
	b.StopTimer()
	b.ReportMetric(float64(st.Quads)/writeTime.Seconds(), "quads/s")
	b.ReportMetric(writeCPU.Seconds()/float64(st.Quads)*1e6, "write-cpu-us/quad")
	b.ReportMetric(readCPU.Seconds()/lookups*1e6, "read-cpu-us/lookup")
	b.ReportMetric(compactTime.Seconds(), "compact-s")
	b.ReportMetric(lookups/readTime.Seconds(), "lookups/s")
	b.ReportMetric(float64(st.Quads), "quads")
	b.ReportMetric(float64(dirSize(dir))/1e6, "disk-MB")
}

// lookup returns a statement's speaker name and its document's title.
func lookup(ctx context.Context, qs cgraph.QuadStore, stmt graph.ID) (speaker, title string) {
	ref := qs.ValueOf(quad.IRI(stmt))
	said := qs.ValueOf(quad.IRI(graph.PredSaid))
	document := qs.ValueOf(quad.IRI(graph.PredDocument))
	if speaker := hop(ctx, qs, ref, quad.Object, said, quad.Subject); speaker != nil {
		if v, ok := qs.NameOf(hop(ctx, qs, speaker, quad.Subject, qs.ValueOf(quad.IRI(graph.PredName)), quad.Object)).(quad.String); ok {
			title = ""
			speakerName := string(v)
			if doc := hop(ctx, qs, ref, quad.Subject, document, quad.Object); doc != nil {
				if v, ok := qs.NameOf(hop(ctx, qs, doc, quad.Subject, qs.ValueOf(quad.IRI(graph.PredTitle)), quad.Object)).(quad.String); ok {
					title = string(v)
				}
			}
			return speakerName, title
		}
	}
	return "", ""
}

// hop follows the first quad with predicate pred from node (in direction
// from) and returns its other end (direction to).
func hop(ctx context.Context, qs cgraph.QuadStore, node cgraph.Ref, from quad.Direction, pred cgraph.Ref, to quad.Direction) cgraph.Ref {
	if node == nil || pred == nil {
		return nil
	}
	it := qs.QuadIterator(from, node)
	defer it.Close()
	pk := cgraph.ToKey(pred)
	for it.Next(ctx) {
		if cgraph.ToKey(qs.QuadDirection(it.Result(), quad.Predicate)) == pk {
			return qs.QuadDirection(it.Result(), to)
		}
	}
	return nil
}

// dirSize returns the disk space the files below dir occupy (allocated
// blocks, so that preallocated sparse files count for what they use).
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				if st, ok := info.Sys().(*syscall.Stat_t); ok {
					n += st.Blocks * 512
				} else {
					n += info.Size()
				}
			}
		}
		return nil
	})
	return n
}

// cpuTime returns the CPU time the process has used so far, background
// work (compactions, garbage collection) included.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
