package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/cayleystore"
)

// crashBatch is the --batch of the killed loads and of the loads they are
// compared with: linking sees the documents of its own batch as it sees
// stored ones, but which of several undated repeats a statement cites can
// still depend on where the batches fall, so all of them use the same.
const crashBatch = "4"

// crashCorpus is what the crash tests load: files, and the texts a stored
// document may have.
type crashCorpus struct {
	dir   string
	files []string // sorted, as graphd load reads them
	texts map[string]bool
	// real says the documents come from PolNeAR.
	real bool
}

// newCrashCorpus returns n documents of PolNeAR (PROVGRAPH_POLNEAR), each
// cut to its leading paragraphs of at most about maxBytes so that the
// repeated loads stay within CI's time under the race detector; without
// PolNeAR it returns the n synthetic documents of [writeCorpus].
func newCrashCorpus(t *testing.T, n, maxBytes, fallback int) crashCorpus {
	t.Helper()
	root := os.Getenv("PROVGRAPH_POLNEAR")
	c := crashCorpus{texts: make(map[string]bool)}
	if root == "" {
		c.dir = writeCorpus(t, fallback)
	} else {
		c.dir, c.real = polnearLeads(t, root, n, maxBytes), true
	}
	c.files, _ = filepath.Glob(filepath.Join(c.dir, "*.txt"))
	slices.Sort(c.files)
	for _, f := range c.files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c.texts[string(b)] = true
	}
	return c
}

// polnearLeads writes n PolNeAR texts, spread evenly over train and dev
// (and so over the outlets), each cut after the last paragraph that ends
// within maxBytes (the first paragraph is always kept), to a new folder.
// Texts that come out the same are written once.
func polnearLeads(t *testing.T, root string, n, maxBytes int) string {
	t.Helper()
	var all []string
	for _, part := range []string{"train", "dev"} {
		m, _ := filepath.Glob(filepath.Join(root, part, "text", "*.txt"))
		all = append(all, m...)
	}
	slices.Sort(all)
	if len(all) < n {
		t.Fatalf("PROVGRAPH_POLNEAR=%s: %d texts under train/text and dev/text, want %d", root, len(all), n)
	}
	dir := t.TempDir()
	seen := make(map[string]bool)
	step := float64(len(all)) / float64(n)
	for i := 0; i < n; i++ {
		f := all[int(float64(i)*step)]
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var lead []byte
		for _, p := range bytes.SplitAfter(b, []byte("\n")) {
			if len(lead) > 0 && len(lead)+len(p) > maxBytes {
				break
			}
			lead = append(lead, p...)
		}
		if seen[string(lead)] {
			continue
		}
		seen[string(lead)] = true
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), lead, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// checkCrashed reopens the store in data after a kill and checks it: the
// store's own check (every document's quads match the fingerprint written
// with them, every document has its text, no edge dangles), every
// document's text is one of the files', and the linking index beside the
// quads agrees with the indexKey quads on a sample of keys. It returns the
// documents present, with their texts, and whether the store opened only
// at the second attempt.
func checkCrashed(t *testing.T, data string, c crashCorpus, rng *rand.Rand) (present map[graph.ID]string, retried bool) {
	t.Helper()
	ctx := context.Background()
	opt := cayleystore.Options{Backend: cayleystore.Badger, Address: data}
	s, err := cayleystore.Open(ctx, opt)
	if err != nil && strings.Contains(err.Error(), "Create a new file") {
		// Badger v4 (dgraph-io/badger#2207): a kill between creating a
		// memtable's file and sizing it leaves an empty .mem file, and
		// the next open fails with z.NewFile. That open sizes the file
		// and the next one succeeds; the file held nothing.
		t.Logf("reopen after SIGKILL: %v; opening again", err)
		retried = true
		s, err = cayleystore.Open(ctx, opt)
	}
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v", err)
	}
	defer s.Close()
	rep, err := s.Check(ctx)
	if err != nil {
		t.Fatalf("check after SIGKILL: %v", err)
	}
	for i, p := range rep.Problems {
		if i == 5 {
			t.Errorf("... %d problems in all", len(rep.Problems))
			break
		}
		t.Errorf("after SIGKILL: %s", p)
	}
	ids, err := s.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	present = make(map[graph.ID]string, len(ids))
	for _, id := range ids {
		d, err := s.Document(ctx, id)
		if err != nil || !c.texts[d.Text] {
			t.Errorf("document %s is not one of the files (%v)", id, err)
			continue
		}
		present[id] = d.Text
	}
	checkIndexSample(t, s, rng, 40)
	return present, retried
}

// checkIndexSample compares the linking index the store keeps beside the
// quads with the indexKey quads of the dump, for n keys drawn at random:
// both are written in one transaction, so after a crash they must still
// agree.
func checkIndexSample(t *testing.T, s *cayleystore.Store, rng *rand.Rand, n int) {
	t.Helper()
	ctx := context.Background()
	var dump bytes.Buffer
	if err := s.Dump(ctx, &dump); err != nil {
		t.Fatal(err)
	}
	postings := make(map[string][]graph.ID)
	for _, l := range strings.Split(dump.String(), "\n") {
		if !strings.Contains(l, "<"+graph.PredIndexKey+">") {
			continue
		}
		st, rest, _ := strings.Cut(l, " ")
		_, rest, _ = strings.Cut(rest, " ")
		q, _, _ := strings.Cut(rest, `" <`)
		key := strings.TrimPrefix(q, `"`)
		postings[key] = append(postings[key], graph.ID(strings.Trim(st, "<>")))
	}
	keys := make([]string, 0, len(postings))
	for k := range postings {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	for _, k := range keys[:min(n, len(keys))] {
		if strings.ContainsAny(k, `\`) {
			continue // escaped in N-Quads; the key itself differs
		}
		want := slices.Compact(slices.Sorted(slices.Values(postings[k])))
		got, more, err := s.Lookup(ctx, k, len(want)+10)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if more || !slices.Equal(got, want) {
			t.Errorf("index key %q: the index lists %d statements, the quads %d (%v vs %v)", k, len(got), len(want), got, want)
		}
	}
}

// dumpDiff describes how two dumps differ: the quads only in one of
// them, at most max of each.
func dumpDiff(got, want string, max int) string {
	g := strings.Split(strings.TrimSpace(got), "\n")
	w := strings.Split(strings.TrimSpace(want), "\n")
	gs, ws := make(map[string]bool, len(g)), make(map[string]bool, len(w))
	for _, l := range g {
		gs[l] = true
	}
	for _, l := range w {
		ws[l] = true
	}
	var b strings.Builder
	list := func(title string, lines []string, other map[string]bool) {
		var only []string
		for _, l := range lines {
			if !other[l] {
				only = append(only, l)
			}
		}
		fmt.Fprintf(&b, "%d quads %s:\n", len(only), title)
		for i, l := range only {
			if i == max {
				fmt.Fprintf(&b, "  ...\n")
				break
			}
			fmt.Fprintf(&b, "  %s\n", l)
		}
	}
	list("only after the resumed load", g, ws)
	list("only after the uninterrupted load", w, gs)
	return b.String()
}

// killedLoad is what one killed "graphd load" did.
type killedLoad struct {
	// acked is the number of documents the last progress line reported
	// written: they were committed (synced) before it was printed.
	acked int
	// finished says the load ended before the kill.
	finished bool
	after    time.Duration
}

// killLoad runs "graphd load" on the corpus into data and kills it with
// SIGKILL: early ones at a random moment of its first 1.5 s (opening the
// store, recovering from the previous kill, reading documents already
// stored), the others at a random moment up to window after it reports
// its first new documents written.
func killLoad(t *testing.T, data string, c crashCorpus, rng *rand.Rand, window time.Duration) killedLoad {
	t.Helper()
	cmd := graphdCommand("--data", data, "load", "--batch", crashBatch, c.dir)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var (
		res   killedLoad
		mu    sync.Mutex
		start = time.Now()
		kill  = func() {
			mu.Lock()
			res.after = time.Since(start)
			mu.Unlock()
			cmd.Process.Kill()
		}
	)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var timer *time.Timer
	early := rng.IntN(5) == 0
	if early {
		timer = time.AfterFunc(time.Duration(rng.Int64N(int64(1500*time.Millisecond))), kill)
	}
	delay := time.Duration(rng.Int64N(int64(window)))
	var out strings.Builder
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		if out.Len() < 1<<20 {
			out.WriteString(lines.Text() + "\n")
		}
		var loaded int
		if _, err := fmt.Sscanf(lines.Text(), "%d loaded,", &loaded); err != nil {
			continue
		}
		res.acked = loaded
		// A batch of stored documents without statements, which the
		// linker cannot tell are unchanged, is written again and
		// reported first; wait for a new one.
		if timer == nil && loaded > 0 {
			timer = time.AfterFunc(delay, kill)
		}
	}
	err = cmd.Wait()
	if timer != nil {
		timer.Stop()
	}
	if strings.Contains(out.String(), "WARNING: DATA RACE") {
		t.Errorf("the race detector found a data race in graphd load:\n%s", out.String())
	}
	mu.Lock()
	defer mu.Unlock()
	res.finished = err == nil
	return res
}

// TestLoadSurvivesSIGKILL kills "graphd load" at random moments and checks
// after each kill that every document in the reopened store is complete
// (its quads match the fingerprint written with them, its text is a file's
// text) or absent, that no edge dangles, that the linking index agrees
// with the quads, and that no document whose batch was reported written is
// lost. The kills come in chains on one store, each resuming the load the
// previous one interrupted, until a load finishes before its kill or the
// chain has had its kills; the load is then run to completion and must
// give the same graph as an uninterrupted load. Chains follow each other
// until enough kills have landed.
//
// With PROVGRAPH_POLNEAR, 300 PolNeAR articles (their leads) and 20 kills
// in chains of at most 10; without it, 16 synthetic documents and 6 kills
// in chains of at most 3.
func TestLoadSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs subprocesses; skipped with -short")
	}
	c := newCrashCorpus(t, 300, 600, 16)
	want, chains, kills := 6, 2, 3
	if c.real {
		want, chains, kills = 20, 2, 10
	}

	// One uninterrupted load is the reference for every chain; how long
	// it takes sets how far into a load the kills reach.
	clean := t.TempDir()
	start := time.Now()
	mustRun(t, clean, "load", "--quiet", "--batch", crashBatch, c.dir)
	took := time.Since(start)
	dump := mustRun(t, clean, "dump")
	window := 2 * took / time.Duration(kills+1)
	t.Logf("%d files; the uninterrupted load took %s; kills up to %s after a load's first batch", len(c.files), took.Round(time.Millisecond), window.Round(time.Millisecond))

	survived, reopened, seed := 0, 0, uint64(0)
	for chain := 0; survived < want; chain++ {
		if chain == 4*chains {
			t.Fatalf("%d chains gave only %d kills before the load finished", chain, survived)
		}
		data := t.TempDir()
		var before map[graph.ID]string
		for k := 0; k < kills && survived < want; k++ {
			seed++
			rng := rand.New(rand.NewPCG(seed, 42))
			r := killLoad(t, data, c, rng, window)
			present, retried := checkCrashed(t, data, c, rng)
			if retried {
				reopened++
			}
			lost := 0
			for id := range before {
				if _, ok := present[id]; !ok {
					lost++
				}
			}
			if lost > 0 || len(present) < len(before)+r.acked {
				t.Errorf("seed %d: %d documents stored before the kill are gone; %d present, %d before and %d reported written", seed, lost, len(present), len(before), r.acked)
			}
			added := len(present) - len(before)
			before = present
			if r.finished {
				// A load that ends before its kill ends the chain, and
				// later kills come sooner.
				window /= 2
				t.Logf("seed %d: the load finished before the kill (%d documents); kills now up to %s after the first batch", seed, len(present), window.Round(time.Millisecond))
				break
			}
			survived++
			t.Logf("seed %d: killed after %s; %d of %d documents present (%d new)", seed, r.after.Round(time.Millisecond), len(present), len(c.files), added)
		}
		mustRun(t, data, "load", "--quiet", "--batch", crashBatch, c.dir)
		if got := mustRun(t, data, "dump"); got != dump {
			t.Errorf("chain %d: finishing the load gives a different graph than an uninterrupted load:\n%s", chain, dumpDiff(got, dump, 20))
		}
	}
	t.Logf("%d kills survived; %d times the store opened only at the second attempt", survived, reopened)
}
