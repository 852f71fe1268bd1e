package cayleystore_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/badger4"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/graph/storetest"
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/all"
	"github.com/provgraph/provgraph/provenance"
)

// BenchmarkPostgres runs the store benchmark's workload (BenchmarkBackends:
// documents of five statements by speakers from a pool of 2,000, each
// disputing the previous document, written 256 documents per Put) on
// PostgreSQL and on Badger side by side, then the seeds through the whole
// pipeline with linking, then three kinds of reads, one at a time:
//
//   - look-ups: a random statement's speaker name and document title
//     through graph.Reader (StatementsByID, EdgesOf, ActorsByID,
//     DocumentsByID), as the GraphQL API reads them;
//   - the provenance query: provenance.Linker.Trace ("who first said X")
//     over the seeds' claims;
//   - ids: a random speaker's statements (FindStatements by actor), which
//     returns IDs only.
//
// It needs PROVGRAPH_TEST_PG; PROVGRAPH_BENCH_STATEMENTS sets the number
// of statements (default 20,000). Run it once:
//
//	go test -run '^$' -bench Postgres -benchtime 1x ./graph/cayleystore
func BenchmarkPostgres(b *testing.B) {
	pgDSN(b)
	statements := 20000
	if v, err := strconv.Atoi(os.Getenv("PROVGRAPH_BENCH_STATEMENTS")); err == nil && v > 0 {
		statements = v
	}
	for _, backend := range []string{badger4.Name, cayleystore.Postgres} {
		b.Run(backend, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				benchStore(b, backend, statements)
			}
		})
	}
}

func benchStore(b *testing.B, backend string, statements int) {
	ctx := context.Background()
	var (
		s    *cayleystore.Store
		disk func() int64
	)
	if backend == cayleystore.Postgres {
		dsn := pgSchema(b)
		s = openPG(b, dsn)
		disk = func() int64 { return pgSize(b, dsn) }
	} else {
		dir := b.TempDir()
		bo := badger4.DefaultOptions()
		var err error
		s, err = cayleystore.Open(ctx, cayleystore.Options{Backend: backend, Address: dir, Badger: &bo})
		if err != nil {
			b.Fatal(err)
		}
		disk = func() int64 { return treeSize(dir) }
	}
	defer s.Close()

	const perDoc, txDocs = 5, 256
	docs := statements / perDoc
	opt := storetest.SampleOptions{Statements: perDoc, Actors: 2000, DisputePrevious: true}
	b.ResetTimer()
	start := time.Now()
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
	writeTime := time.Since(start)
	if err := s.Compact(ctx); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	st, err := s.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	linker := loadSeeds(b, s)
	b.StartTimer()

	rng := rand.New(rand.NewPCG(1, 2))
	const lookups = 2000
	ids := make([]graph.ID, lookups)
	for l := range ids {
		dg := storetest.Sample(rng.IntN(docs), storetest.SampleOptions{Statements: opt.Statements, Actors: opt.Actors})
		ids[l] = dg.Statements[rng.IntN(len(dg.Statements))].ID
	}
	start = time.Now()
	for _, id := range ids {
		speaker, title := readerLookup(b, s, id)
		if speaker == "" || title == "" {
			b.Fatalf("look-up of %s found speaker %q, title %q", id, speaker, title)
		}
	}
	lookupTime := time.Since(start) / lookups

	questions := []string{
		"Who first said that 10,000 Armenian soldiers remain in Azerbaijan?",
		"Who says the checkpoint on the Lachin road is legitimate?",
		"Who claimed the Lachin corridor was blocked by eco-activists?",
		"Who said humanitarian cargo passes freely?",
	}
	const traces = 40
	start = time.Now()
	for i := 0; i < traces; i++ {
		if _, err := linker.Trace(ctx, questions[i%len(questions)], 10); err != nil {
			b.Fatal(err)
		}
	}
	traceTime := time.Since(start) / traces

	const finds = 500
	start = time.Now()
	for i := 0; i < finds; i++ {
		actor := graph.ActorID(fmt.Sprintf("Speaker %d", rng.IntN(opt.Actors)))
		if _, err := s.FindStatements(ctx, graph.StatementFilter{Actor: actor}, graph.Page{Limit: 20}); err != nil {
			b.Fatal(err)
		}
	}
	findTime := time.Since(start) / finds
	b.StopTimer()

	b.ReportMetric(float64(st.Quads)/writeTime.Seconds(), "quads/s")
	b.ReportMetric(float64(lookupTime.Microseconds()), "lookup-us")
	b.ReportMetric(float64(traceTime.Microseconds()), "trace-us")
	b.ReportMetric(float64(findTime.Microseconds()), "find-us")
	b.ReportMetric(float64(st.Quads), "quads")
	b.ReportMetric(float64(disk())/1e6, "disk-MB")
}

// pgSize returns the size of the tables and indexes of the schema dsn
// works in.
func pgSize(b *testing.B, dsn string) int64 {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow(`SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c
		JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = current_schema() AND c.relkind = 'r'`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// treeSize returns the disk space the files below dir occupy (allocated
// blocks: Badger preallocates sparse files).
func treeSize(dir string) int64 {
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

// readerLookup returns a statement's speaker name and document title
// through graph.Reader.
func readerLookup(b *testing.B, s *cayleystore.Store, id graph.ID) (speaker, title string) {
	ctx := context.Background()
	sts, err := s.StatementsByID(ctx, []graph.ID{id})
	if err != nil || sts[0] == nil {
		b.Fatalf("statement %s: %v", id, err)
	}
	edges, err := s.EdgesOf(ctx, []graph.ID{id}, graph.In, graph.Said)
	if err != nil || len(edges[0]) == 0 {
		b.Fatalf("speaker of %s: %v", id, err)
	}
	actors, err := s.ActorsByID(ctx, []graph.ID{edges[0][0].From})
	if err != nil || actors[0] == nil {
		b.Fatalf("actor %s: %v", edges[0][0].From, err)
	}
	docs, err := s.DocumentsByID(ctx, []graph.ID{sts[0].Document})
	if err != nil || docs[0] == nil {
		b.Fatalf("document %s: %v", sts[0].Document, err)
	}
	return actors[0].Name, docs[0].Title
}

// loadSeeds reads the seeds through the pipeline, linking each document as
// graphd load does, and returns a linker over the store.
func loadSeeds(b *testing.B, s *cayleystore.Store) *provenance.Linker {
	ctx := context.Background()
	in, err := all.Ingester()
	if err != nil {
		b.Fatal(err)
	}
	linker := provenance.New(s)
	var docs []*graph.DocGraph
	err = all.Default().Read(ctx, []string{"../../testdata/seeds"}, loaders.ReadOptions{}, func(rec loaders.Record) error {
		if rec.Err != nil {
			return rec.Err
		}
		dg, _, err := in.Graph(ctx, rec.Doc)
		if err != nil {
			return err
		}
		if err := linker.Link(ctx, dg); err != nil {
			return err
		}
		docs = append(docs, dg)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Put(ctx, docs...); err != nil {
		b.Fatal(err)
	}
	linker.Flush()
	return linker
}
