package main

import (
	"bufio"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/provgraph/provgraph/graph/cayleystore"
)

// TestLoadSurvivesSIGKILL kills "graphd load" at random moments and checks
// that every document in the reopened store is complete (its quads match
// the fingerprint written with them, its text is a file's text) or absent,
// that no edge dangles, and that finishing the load gives the same graph as
// an uninterrupted one.
func TestLoadSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs subprocesses; skipped with -short")
	}
	const docs = 60
	corpus := writeCorpus(t, docs)
	texts := make(map[string]bool)
	files, _ := filepath.Glob(filepath.Join(corpus, "*.txt"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		texts[string(b)] = true
	}

	// The uninterrupted load runs with the same batches as the killed and
	// finishing ones: linking sees the documents of its own batch as it
	// sees stored ones, but which of several undated repeats a statement
	// cites can still depend on where the batches fall.
	clean := t.TempDir()
	mustRun(t, clean, "load", "--quiet", "--batch", "4", corpus)
	want := mustRun(t, clean, "dump")

	cycles := 5
	for seed := uint64(1); seed <= uint64(cycles); seed++ {
		rng := rand.New(rand.NewPCG(seed, 42))
		data := t.TempDir()
		cmd := graphdCommand("--data", data, "load", "--batch", "4", corpus)
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill a random time after the first batch is written, so that the
		// store exists and the kill can land inside a later transaction.
		lines := bufio.NewScanner(stderr)
		lines.Scan()
		timer := time.AfterFunc(time.Duration(rng.IntN(40000))*time.Microsecond, func() { cmd.Process.Kill() })
		for lines.Scan() {
		}
		cmd.Wait()
		timer.Stop()

		s, err := cayleystore.Open(context.Background(), cayleystore.Options{Backend: cayleystore.Badger, Address: data})
		if err != nil {
			t.Fatalf("seed %d: reopen after SIGKILL: %v", seed, err)
		}
		ctx := context.Background()
		rep, err := s.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Problems) > 0 {
			t.Errorf("seed %d: %d problems after SIGKILL, first: %s", seed, len(rep.Problems), rep.Problems[0])
		}
		ids, _ := s.Documents(ctx)
		for _, id := range ids {
			d, err := s.Document(ctx, id)
			if err != nil || !texts[d.Text] {
				t.Errorf("seed %d: document %s is not one of the files (%v)", seed, id, err)
			}
		}
		s.Close()
		t.Logf("seed %d: %d of %d documents present after SIGKILL", seed, len(ids), docs)

		mustRun(t, data, "load", "--quiet", "--batch", "4", corpus)
		if got := mustRun(t, data, "dump"); got != want {
			t.Errorf("seed %d: finishing the load gives a different graph (%d bytes, want %d)", seed, len(got), len(want))
		}
	}
}
