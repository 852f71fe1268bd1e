package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/lib/pq" // the "postgres" driver, for the test schemas
)

// pgStore returns a connection string for an empty schema of the database
// PROVGRAPH_TEST_PG names, dropped when the test ends, or skips the test.
func pgStore(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("PROVGRAPH_TEST_PG")
	if dsn == "" {
		t.Skip("PROVGRAPH_TEST_PG is not set: no PostgreSQL server to test against")
	}
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("g%d_%d_%d", os.Getpid(), pgSeq.Add(1), rand.IntN(1<<20))
	if _, err := db.Exec(`CREATE SCHEMA ` + name); err != nil {
		db.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db.Exec(`DROP SCHEMA ` + name + ` CASCADE`)
		db.Close()
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + name
}

var pgSeq atomic.Int64

// TestPostgresSeeds runs the seeds end to end on PostgreSQL: load, load
// again, the same dump as the embedded store gives, remove, dump → restore
// → dump, check.
func TestPostgresSeeds(t *testing.T) {
	pg := pgStore(t)
	none := t.TempDir() // --data, unused by a SQL store
	badger := t.TempDir()
	// Each step gives on PostgreSQL what it gives on the embedded store.
	for _, step := range []string{"first load", "second load"} {
		_, e, err := run(t, none, "--store", pg, "load", "--quiet", seeds)
		_, be, berr := run(t, badger, "load", "--quiet", seeds)
		if err != nil || berr != nil {
			t.Fatalf("%s: %v %v\n%s%s", step, err, berr, e, be)
		}
		if summary, want := strings.Fields(e)[:8], strings.Fields(be)[:8]; !slices.Equal(summary, want) {
			t.Errorf("%s: %s on PostgreSQL, %s on Badger", step, strings.Join(summary, " "), strings.Join(want, " "))
		}
		if got, want := mustRun(t, none, "--store", pg, "dump"), mustRun(t, badger, "dump"); got != want {
			t.Fatalf("%s: PostgreSQL's dump (%d bytes) differs from Badger's (%d bytes)", step, len(got), len(want))
		}
	}
	dump := mustRun(t, none, "--store", pg, "dump")
	if got, want := mustRun(t, none, "--store", pg, "stats"), mustRun(t, badger, "stats"); got != want {
		t.Errorf("stats differ:\n%s\nBadger:\n%s", got, want)
	}
	if out := mustRun(t, none, "--store", pg, "check"); !strings.Contains(out, "5 documents checked") || !strings.Contains(out, "no problems") {
		t.Errorf("check: %s", out)
	}

	ids := seedIDs(t)
	mustRun(t, none, "--store", pg, "rm", string(ids[2]))
	mustRun(t, badger, "rm", string(ids[2]))
	if got, want := mustRun(t, none, "--store", pg, "dump"), mustRun(t, badger, "dump"); got != want {
		t.Errorf("after rm, PostgreSQL's dump differs from Badger's")
	}

	file := filepath.Join(t.TempDir(), "seeds.nq")
	if err := os.WriteFile(file, []byte(dump), 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := pgStore(t)
	mustRun(t, none, "--store", fresh, "restore", file)
	if again := mustRun(t, none, "--store", fresh, "dump"); again != dump {
		t.Errorf("dump → restore → dump differs on PostgreSQL")
	}
	// GRAPHD_STORE does what --store does.
	t.Setenv("GRAPHD_STORE", fresh)
	if out := mustRun(t, none, "check"); !strings.Contains(out, "5 documents checked") || !strings.Contains(out, "no problems") {
		t.Errorf("check through GRAPHD_STORE: %s", out)
	}
}

// writeDistinctCorpus writes n plain-text documents whose statements share
// no claim, so that linking gives the same graph whatever the load order.
func writeDistinctCorpus(t *testing.T) []string {
	t.Helper()
	nouns := strings.Fields("harbour bridge school orchard tunnel library railway hospital stadium market museum factory airport canal reservoir clinic garden theatre depot observatory lighthouse monastery vineyard quarry")
	verbs := strings.Fields("repaired widened closed sold rebuilt painted inspected moved demolished expanded insured renamed fenced lit cleaned surveyed leased restored drained heated opened guarded mapped audited")
	names := strings.Fields("Ana Boris Carla Dmitri Elena Farid Greta Hugo Ines Jonas Katya Luis Mira Nils Olga Pavel Rosa Sven Tara Umar Vera Wim Xenia Yuri")
	surnames := strings.Fields("Kovac Lindqvist Moreau Novak Ortega Petrov Quist Rahman Silva Tanaka Ulrich Varga Weber Xu Young Zeller Abbas Brandt Costa Dahl Eklund Fischer Gomez Horvat")
	dir := t.TempDir()
	var files []string
	for i := range nouns {
		text := fmt.Sprintf("Mayor %s %s said on Monday that the %s would be %s.\n\n%s added that the %s near it had been %s already.\n",
			names[i], surnames[i], nouns[i], verbs[i], surnames[i], nouns[(i+11)%len(nouns)], verbs[(i+7)%len(verbs)])
		f := filepath.Join(dir, fmt.Sprintf("%03d.txt", i))
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

// TestPostgresConcurrentLoads runs four "graphd load" processes at once
// against one database, over overlapping halves of a corpus (two of them
// backwards), and checks that the graph equals one sequential load's.
func TestPostgresConcurrentLoads(t *testing.T) {
	seq, shared := pgStore(t), pgStore(t)
	files := writeDistinctCorpus(t)
	none := t.TempDir()
	mustRun(t, none, "--store", seq, "load", "--quiet", filepath.Dir(files[0]))
	want := mustRun(t, none, "--store", seq, "dump")

	var wg sync.WaitGroup
	outs := make([]bytes.Buffer, 4)
	errs := make([]error, 4)
	for w := 0; w < 4; w++ {
		var mine []string
		for i, f := range files {
			if (i < len(files)/2) == (w%2 == 0) || i%4 == w {
				mine = append(mine, f)
			}
		}
		if w >= 2 {
			slices.Reverse(mine)
		}
		// One document per transaction, so that the loaders interleave.
		cmd := graphdCommand(append([]string{"--store", shared, "--data", none, "load", "--quiet", "--batch", "1"}, mine...)...)
		cmd.Stdout, cmd.Stderr = &outs[w], &outs[w]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = cmd.Wait()
		}()
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Fatalf("loader %d: %v\n%s", w, err, outs[w].String())
		}
	}
	if got := mustRun(t, none, "--store", shared, "dump"); got != want {
		t.Errorf("four concurrent loaders' dump (%d lines) differs from one sequential load's (%d lines)",
			strings.Count(got, "\n"), strings.Count(want, "\n"))
	}
	if out := mustRun(t, none, "--store", shared, "check"); !strings.Contains(out, "no problems") {
		t.Errorf("check: %s", out)
	}
}

// TestStorePasswordNeverShown checks --help, errors and logs with a
// connection string that carries a password, from --store and from
// GRAPHD_STORE.
func TestStorePasswordNeverShown(t *testing.T) {
	const secret = "hunter2-Pa55w0rd"
	for _, dsn := range []string{
		"postgres://graph:" + secret + "@127.0.0.1:1/graph?sslmode=disable",
		"cockroach://graph:" + secret + "@127.0.0.1:1/graph?sslmode=disable",
		"postgres://graph:" + secret + "@127.0.0.1:bad/graph",
		"mysql://graph:" + secret + "@127.0.0.1:1/graph",
	} {
		t.Setenv("GRAPHD_STORE", dsn)
		var all strings.Builder
		for _, args := range [][]string{
			{"--help"},
			{"load", "--help"},
			{"--log-level", "debug", "stats"},
			{"--log-level", "debug", "--store", dsn, "load", seeds},
			{"--store", dsn, "dump"},
		} {
			o, e, err := run(t, t.TempDir(), args...)
			fmt.Fprintln(&all, o, e, err)
		}
		if strings.Contains(all.String(), secret) {
			t.Errorf("%s: the password shows:\n%s", dsn, all.String())
		}
		if !strings.Contains(all.String(), "graph:xxxxx@") {
			t.Errorf("%s: no redacted connection string in the output:\n%s", dsn, all.String())
		}
	}
}
