package cayleystore_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cayleygraph/cayley/clog"
	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/graphtest"
	"github.com/cayleygraph/cayley/graph/sql/sqltest"
	_ "github.com/lib/pq" // the "postgres" driver, for the test schemas

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/graph/storetest"
)

// pgDSN returns the test database's connection string from
// PROVGRAPH_TEST_PG, or skips the test.
func pgDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("PROVGRAPH_TEST_PG")
	if dsn == "" {
		t.Skip("PROVGRAPH_TEST_PG is not set: no PostgreSQL server to test against")
	}
	return dsn
}

var schemaSeq atomic.Int64

// pgSchema creates an empty schema in the test database, dropped when the
// test ends, and returns a connection string that works in it.
func pgSchema(t testing.TB) string {
	t.Helper()
	dsn := pgDSN(t)
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("t%d_%d_%d", os.Getpid(), schemaSeq.Add(1), rand.IntN(1<<20))
	if _, err := db.Exec(`CREATE SCHEMA ` + name); err != nil {
		db.Close()
		t.Fatalf("create schema: %v", cayleystore.Redact(err.Error()))
	}
	t.Cleanup(func() {
		if _, err := db.Exec(`DROP SCHEMA ` + name + ` CASCADE`); err != nil {
			t.Errorf("drop schema: %v", err)
		}
		db.Close()
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + name
}

func openPG(t testing.TB, dsn string) *cayleystore.Store {
	t.Helper()
	s, err := cayleystore.Open(context.Background(), cayleystore.Options{Backend: cayleystore.Postgres, Address: dsn})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPostgres(t *testing.T) {
	pgDSN(t)
	storetest.Run(t, func(t testing.TB) graph.Store { return openPG(t, pgSchema(t)) })
}

func TestPostgresReader(t *testing.T) {
	pgDSN(t)
	storetest.RunReader(t, func(t testing.TB) storetest.ReaderStore { return openPG(t, pgSchema(t)) })
}

// TestPostgresCayley runs Cayley's own SQL conformance suite (graphtest
// with the SQL settings) on Cayley's PostgreSQL store, as Cayley runs it,
// and graphtest again on this package's SQL store, whose writes and value
// reads are its own.
func TestPostgresCayley(t *testing.T) {
	pgDSN(t)
	// Cayley's path tests read data/testdata.nq, looking for it from the
	// working directory up: run them from Cayley's module.
	pc := reflect.ValueOf(graphtest.TestAll).Pointer()
	file, _ := runtime.FuncForPC(pc).FileLine(pc)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	if _, err := os.Stat(filepath.Join(root, "data", "testdata.nq")); err != nil {
		t.Skipf("Cayley's test data is not at %s (built with -trimpath?)", root)
	}
	t.Chdir(root)
	t.Run("cayley", func(t *testing.T) {
		sqltest.TestAll(t, cayleystore.Postgres, func(t testing.TB) (string, cgraph.Options, func()) {
			return pgSchema(t), nil, func() {}
		}, &sqltest.Config{TimeRound: true, TimeInMcs: true})
	})
	t.Run("cayleystore", func(t *testing.T) {
		graphtest.TestAll(t, func(t testing.TB) (cgraph.QuadStore, cgraph.Options, func()) {
			s := openPG(t, pgSchema(t))
			return s.QuadStore(), nil, func() { s.Close() }
		}, &graphtest.Config{NoPrimitives: true, TimeInMcs: true, TimeRound: true})
	})
}

// TestPostgresConcurrentWriters runs four writers, each with its own store
// (its own connections, as separate processes have), over overlapping
// halves of a corpus, and checks that the result equals one sequential
// load.
func TestPostgresConcurrentWriters(t *testing.T) {
	pgDSN(t)
	ctx := context.Background()
	const docs = 120
	opt := storetest.SampleOptions{Statements: 4, Actors: 15}
	corpus := make([]*graph.DocGraph, docs)
	for i := range corpus {
		corpus[i] = storetest.Sample(i, opt)
	}

	seq := openPG(t, pgSchema(t))
	defer seq.Close()
	if _, err := seq.Put(ctx, corpus...); err != nil {
		t.Fatal(err)
	}
	want := storetest.Dump(t, seq)

	dsn := pgSchema(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for w := 0; w < 4; w++ {
		// Writers 0 and 2 take the first half, 1 and 3 the second, and
		// each also a quarter of the other half; 2 and 3 go backwards.
		var mine []*graph.DocGraph
		for i := range corpus {
			first := i < docs/2
			if first == (w%2 == 0) || i%4 == w {
				mine = append(mine, corpus[i])
			}
		}
		if w >= 2 {
			for i, j := 0, len(mine)-1; i < j; i, j = i+1, j-1 {
				mine[i], mine[j] = mine[j], mine[i]
			}
		}
		s := openPG(t, dsn)
		defer s.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Small batches, so that the writers interleave.
			for start := 0; start < len(mine); start += 3 {
				if _, err := s.Put(ctx, mine[start:min(len(mine), start+3)]...); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	s := openPG(t, dsn)
	defer s.Close()
	if got := storetest.Dump(t, s); got != want {
		t.Errorf("concurrent writers' dump (%d bytes) differs from a sequential load's (%d bytes)", len(got), len(want))
	}
	if rep, err := s.Check(ctx); err != nil || len(rep.Problems) > 0 {
		t.Errorf("check: %v %v", err, rep.Problems)
	}
	assertExactRefs(t, dsn)
}

// assertExactRefs checks that every node's reference count is the number
// of quads that use it, and that no node is unused.
func assertExactRefs(t *testing.T, dsn string) {
	t.Helper()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var bad int
	err = db.QueryRow(`SELECT count(*) FROM nodes n LEFT JOIN (
		SELECT h, count(*) AS c FROM (
			SELECT subject_hash AS h FROM quads UNION ALL SELECT predicate_hash FROM quads
			UNION ALL SELECT object_hash FROM quads UNION ALL SELECT label_hash FROM quads WHERE label_hash IS NOT NULL
		) u GROUP BY h) r ON r.h = n.hash WHERE n.refs <> coalesce(r.c, 0) OR r.c IS NULL`).Scan(&bad)
	if err != nil {
		t.Fatal(err)
	}
	if bad > 0 {
		t.Errorf("%d nodes have a wrong reference count or are unused", bad)
	}
}

// TestPostgresRemoveLeavesNoOrphans removes every document and checks that
// nothing is left: no quad, no node.
func TestPostgresRemoveLeavesNoOrphans(t *testing.T) {
	ctx := context.Background()
	dsn := pgSchema(t)
	s := openPG(t, dsn)
	defer s.Close()
	var docs []*graph.DocGraph
	for i := 0; i < 10; i++ {
		docs = append(docs, storetest.Sample(i, storetest.SampleOptions{DisputePrevious: i > 0}))
	}
	if _, err := s.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	// Replace some, then remove all.
	if _, err := s.Put(ctx, storetest.Sample(3, storetest.SampleOptions{Version: 1}), storetest.Sample(7, storetest.SampleOptions{Version: 1})); err != nil {
		t.Fatal(err)
	}
	assertExactRefs(t, dsn)
	for i := 9; i >= 0; i-- {
		if err := s.Remove(ctx, docs[i].Document.ID); err != nil {
			t.Fatal(err)
		}
	}
	if d := storetest.Dump(t, s); d != "" {
		t.Errorf("after removing every document the dump holds:\n%.500s", d)
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var nodes int
	if err := db.QueryRow(`SELECT count(*) FROM nodes`).Scan(&nodes); err != nil {
		t.Fatal(err)
	}
	if nodes != 0 {
		t.Errorf("%d nodes left after removing every document", nodes)
	}
}

// TestPostgresPasswordNeverShown opens stores with connection strings that
// carry a password and fail, and checks that neither the errors nor
// Cayley's log show it.
func TestPostgresPasswordNeverShown(t *testing.T) {
	const secret = "s3cr3t-Pa55"
	var logged bytes.Buffer
	clog.SetLogger(testLogger{log.New(&logged, "", 0)})
	defer clog.SetLogger(testLogger{log.New(os.Stderr, "", 0)})
	for _, c := range []struct{ name, dsn string }{
		{"refused", "postgres://alice:" + secret + "@127.0.0.1:1/graph?sslmode=disable"},
		{"bad port", "postgres://alice:" + secret + "@127.0.0.1:notaport/graph?sslmode=disable"},
		{"key-value", "host=127.0.0.1 port=1 user=alice password=" + secret + " dbname=graph sslmode=disable"},
		{"quoted", "host=127.0.0.1 port=1 user=alice password='" + secret + " x' dbname=graph sslmode=disable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, backend := range []string{cayleystore.Postgres, cayleystore.Cockroach} {
				_, err := cayleystore.Open(context.Background(), cayleystore.Options{Backend: backend, Address: c.dsn})
				if err == nil {
					t.Fatalf("%s: opened a store at an unreachable address", backend)
				}
				if strings.Contains(err.Error(), secret) {
					t.Errorf("%s: the error shows the password: %v", backend, err)
				}
			}
		})
	}
	if strings.Contains(logged.String(), secret) {
		t.Errorf("Cayley's log shows the password:\n%s", logged.String())
	}
	if got := cayleystore.Redact("dial postgres://bob:" + secret + "@db.example:5432/x failed"); strings.Contains(got, secret) || !strings.Contains(got, "bob:xxxxx@db.example") {
		t.Errorf("Redact: %q", got)
	}
}

type testLogger struct{ l *log.Logger }

func (t testLogger) Infof(f string, a ...any)    { t.l.Printf(f, a...) }
func (t testLogger) Warningf(f string, a ...any) { t.l.Printf(f, a...) }
func (t testLogger) Errorf(f string, a ...any)   { t.l.Printf(f, a...) }
func (t testLogger) Fatalf(f string, a ...any)   { t.l.Fatalf(f, a...) }
func (t testLogger) V(int) bool                  { return false }
func (t testLogger) SetV(int)                    {}

// TestPostgresTwoServers opens two stores on one database, as two API
// servers do, and checks that each sees the other's writes at once.
func TestPostgresTwoServers(t *testing.T) {
	ctx := context.Background()
	dsn := pgSchema(t)
	a, b := openPG(t, dsn), openPG(t, dsn)
	defer a.Close()
	defer b.Close()
	docs := storetest.QueryFixture()
	if _, err := a.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	// b reads values before and after a changes the graph: its caches
	// must not keep what a removed.
	ids := []graph.ID{docs[0].Statements[0].ID, docs[1].Statements[0].ID}
	got, err := b.StatementsByID(ctx, ids)
	if err != nil || got[0] == nil || got[1] == nil {
		t.Fatalf("b reads a's statements: %v %v", got, err)
	}
	if err := a.Remove(ctx, docs[1].Document.ID); err != nil {
		t.Fatal(err)
	}
	got, err = b.StatementsByID(ctx, ids)
	if err != nil || got[0] == nil || got[1] != nil {
		t.Fatalf("after a removed document 1, b reads %v %v", got, err)
	}
	if _, err := b.Put(ctx, docs[1]); err != nil {
		t.Fatal(err)
	}
	if da, db := storetest.Dump(t, a), storetest.Dump(t, b); da != db {
		t.Errorf("the two stores dump different graphs")
	}
	out, err := a.Put(ctx, docs...)
	if err != nil {
		t.Fatal(err)
	}
	// Removing document 1 removed the disputes edge document 2 held into
	// it, so document 2 is replaced; the others are unchanged.
	if want := []graph.Outcome{graph.Unchanged, graph.Unchanged, graph.Replaced}; !slices.Equal(out, want) {
		t.Errorf("a writes the documents b wrote: %v, want %v", out, want)
	}
}

// TestPostgresReadOnlyRole opens a set-up database as a role that may only
// read, as a read-only API server would: reads work, writes fail cleanly.
func TestPostgresReadOnlyRole(t *testing.T) {
	ctx := context.Background()
	dsn := pgSchema(t)
	s := openPG(t, dsn)
	if _, err := s.Put(ctx, storetest.QueryFixture()...); err != nil {
		t.Fatal(err)
	}
	want := storetest.Dump(t, s)
	s.Close()

	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var schema string
	if err := db.QueryRow(`SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	role := "r" + schema
	for _, q := range []string{
		`CREATE ROLE ` + role + ` LOGIN`,
		`GRANT USAGE ON SCHEMA ` + schema + ` TO ` + role,
		`GRANT SELECT ON ALL TABLES IN SCHEMA ` + schema + ` TO ` + role,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Skipf("cannot set up a read-only role (%v)", err)
		}
	}
	t.Cleanup(func() {
		db.Exec(`DROP OWNED BY ` + role)
		db.Exec(`DROP ROLE ` + role)
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Skipf("PROVGRAPH_TEST_PG is not a URL: %v", cayleystore.Redact(err.Error()))
	}
	u.User = url.User(role)
	ro := openPG(t, u.String())
	defer ro.Close()
	if got := storetest.Dump(t, ro); got != want {
		t.Errorf("the read-only role reads another graph")
	}
	if _, err := ro.Put(ctx, storetest.Sample(9, storetest.SampleOptions{})); err == nil {
		t.Errorf("the read-only role wrote")
	}
}
