package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// backupQuestions are the seeds' provenance questions: the 20 of the gold
// file when PROVGRAPH_GOLD names it (or its folder), else a few of them.
func backupQuestions(t *testing.T) []string {
	t.Helper()
	p := os.Getenv("PROVGRAPH_GOLD")
	if p == "" {
		return []string{
			"Who first said that about 10,000 Armenian soldiers remain in Azerbaijan?",
			"Who first claimed there was no blockade of the Lachin road, and who repeated it afterwards?",
			"Who says the Lachin corridor is under an illegal blockade, and who denies it?",
			"Who announced that a checkpoint had been set up in the Lachin corridor?",
			"Who called reports of a blockade of the road false Armenian propaganda?",
		}
	}
	if fi, err := os.Stat(p); err == nil && fi.IsDir() {
		p = filepath.Join(p, "seeds-gold.json")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Questions []struct{ Question string }
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	var qs []string
	for _, q := range g.Questions {
		qs = append(qs, q.Question)
	}
	if len(qs) == 0 {
		t.Fatalf("%s has no questions", p)
	}
	return qs
}

// provenanceAnswers asks a server each question and returns the answers
// as JSON.
func provenanceAnswers(t *testing.T, addr string, questions []string) []string {
	t.Helper()
	const q = `query($q: String!) { provenance(claim: $q, first: 5) {
		score claim { id text }
		first { id text kind speaker { name } date { iso } document { id title } span { start end } }
		repeats { id speaker { name } date { iso } }
		disputedBy { id speaker { name } date { iso } } } }`
	out := make([]string, len(questions))
	for i, question := range questions {
		var r json.RawMessage
		if err := gqlPost(context.Background(), http.DefaultClient, addr, q, map[string]any{"q": question}, &r); err != nil {
			t.Fatalf("provenance(%q): %v", question, err)
		}
		out[i] = string(r)
	}
	return out
}

// getExport fetches the whole graph from a server's /export.
func getExport(addr, format string) (string, error) {
	resp, err := http.Get("http://" + addr + "/export?format=" + format)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("/export: %s: %s", resp.Status, b)
	}
	return string(b), nil
}

// exportGraphs parses an N-Quads export into the quads of each named
// graph (a document's facts; "" for shared nodes), and checks that every
// IRI an edge points at is a typed node of the export.
func exportGraphs(export string) (map[string][]string, error) {
	graphs := make(map[string][]string)
	typed := make(map[quad.IRI]bool)
	var edges []quad.Quad
	r := nquads.NewReader(strings.NewReader(export), false)
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		label := ""
		if l, ok := q.Label.(quad.IRI); ok {
			label = string(l)
		}
		graphs[label] = append(graphs[label], q.NQuad())
		s, _ := q.Subject.(quad.IRI)
		o, isIRI := q.Object.(quad.IRI)
		switch p, _ := q.Predicate.(quad.IRI); {
		case p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
			typed[s] = true
		case isIRI && (strings.HasPrefix(string(o), "https://provgraph.org/id/")):
			edges = append(edges, q)
		}
	}
	for _, e := range edges {
		if !typed[e.Object.(quad.IRI)] {
			return nil, fmt.Errorf("dangling edge: %s", e.NQuad())
		}
	}
	return graphs, nil
}

var docIRI = regexp.MustCompile(`https://provgraph\.org/id/doc/[0-9a-f]+`)

// exportWithin checks an export taken while documents were being added
// against one taken once they all were: every fact of the earlier one is
// in the later one, and each document of the earlier one has all of its
// facts in the later one that involve only documents the earlier one
// holds (later documents add links into earlier ones' statements, which
// are facts of the earlier ones' graphs).
func exportWithin(early, late map[string][]string) error {
	all := make(map[string]bool)
	for _, quads := range late {
		for _, q := range quads {
			all[q] = true
		}
	}
	for _, quads := range early {
		for _, q := range quads {
			if !all[q] {
				return fmt.Errorf("a fact missing from the later export: %s", q)
			}
		}
	}
	for doc, quads := range early {
		if doc == "" {
			continue
		}
		have := make(map[string]bool, len(quads))
		for _, q := range quads {
			have[q] = true
		}
		var missing []string
		for _, q := range late[doc] {
			known := true
			for _, d := range docIRI.FindAllString(q, -1) {
				if _, ok := early[d]; !ok {
					known = false
				}
			}
			if known && !have[q] {
				missing = append(missing, q)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("document %s lacks %d of its facts, first %s", doc, len(missing), missing[0])
		}
	}
	return nil
}

// TestBackupWhileServing checks the ways to back up a store that graphd
// serve holds. A second process cannot open a Badger store, so "graphd
// dump" is refused with a clear error while the server runs; the server's
// /export?format=nquads taken while documents are being ingested is a
// consistent graph (no edge points at a missing node, and every document
// in it is whole: see [exportWithin]); and a
// dump taken once the server is stopped, restored into an empty store,
// passes "graphd check" and gives the same answers to the seeds'
// provenance questions as the original store.
func TestBackupWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("backup test runs servers in subprocesses; skipped with -short")
	}
	questions := backupQuestions(t)
	extra := newCrashCorpus(t, 24, 600, 6)
	orig := t.TempDir()
	mustRun(t, orig, "load", "--quiet", seeds)

	p := spawnServe(t, "--data", orig, "--log-level", "warn", "serve", "--addr", "127.0.0.1:0")
	addr := <-p.served

	if _, e, err := run(t, orig, "dump"); err == nil || !strings.Contains(err.Error(), "in use by another graphd process") {
		t.Errorf("graphd dump while serve holds the store: %v %s", err, e)
	}

	// Exports while documents arrive through ingest.
	var (
		wg       sync.WaitGroup
		ingested = make(chan struct{})
	)
	wg.Go(func() {
		defer close(ingested)
		for _, f := range extra.files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Error(err)
				return
			}
			err = gqlPost(context.Background(), http.DefaultClient, addr, `mutation($d: [DocumentInput!]!) { ingest(documents: $d) { failed } }`,
				map[string]any{"d": []map[string]any{{"text": string(b), "format": "text", "source": filepath.Base(f)}}}, nil)
			if err != nil {
				t.Errorf("ingest %s: %v", filepath.Base(f), err)
				return
			}
		}
	})
	var during []map[string][]string
	for done := false; !done; {
		select {
		case <-ingested:
			done = true
		default:
		}
		exp, err := getExport(addr, "nquads")
		if err != nil {
			t.Fatalf("export while ingesting: %v", err)
		}
		g, err := exportGraphs(exp)
		if err != nil {
			t.Errorf("export %d while ingesting: %v", len(during)+1, err)
			continue
		}
		during = append(during, g)
	}
	wg.Wait()
	final, err := getExport(addr, "nquads")
	if err != nil {
		t.Fatal(err)
	}
	after, err := exportGraphs(final)
	if err != nil {
		t.Fatalf("export after ingesting: %v", err)
	}
	for i, g := range during {
		if err := exportWithin(g, after); err != nil {
			t.Errorf("export %d, taken while ingesting: %v", i+1, err)
		}
	}
	t.Logf("%d exports taken while %d documents were ingested (%d documents in the first, %d in the last), then %d",
		len(during), len(extra.files), len(during[0])-1, len(during[len(during)-1])-1, len(after)-1)
	p.stop(t)

	// Backup and restore, with the server stopped.
	dump := mustRun(t, orig, "dump")
	file := filepath.Join(t.TempDir(), "backup.nq")
	if err := os.WriteFile(file, []byte(dump), 0o644); err != nil {
		t.Fatal(err)
	}
	restored := t.TempDir()
	mustRun(t, restored, "restore", file)
	if out := mustRun(t, restored, "check"); !strings.Contains(out, "no problems found") {
		t.Errorf("check of the restored store: %s", out)
	}
	if again := mustRun(t, restored, "dump"); again != dump {
		t.Errorf("the restored store's dump differs from the backup:\n%s", dumpDiff(again, dump, 20))
	}

	a := spawnServe(t, "--data", orig, "--log-level", "warn", "serve", "--addr", "127.0.0.1:0", "--read-only")
	b := spawnServe(t, "--data", restored, "--log-level", "warn", "serve", "--addr", "127.0.0.1:0", "--read-only")
	addrA, addrB := <-a.served, <-b.served
	want := provenanceAnswers(t, addrA, questions)
	got := provenanceAnswers(t, addrB, questions)
	answered := 0
	for i := range questions {
		if got[i] != want[i] {
			t.Errorf("%q: the restored store answers\n%s\nthe original\n%s", questions[i], got[i], want[i])
		}
		if !strings.Contains(want[i], `"provenance":[]`) {
			answered++
		}
	}
	if answered == 0 {
		t.Errorf("no question has an answer")
	}
	expA, errA := getExport(addrA, "nquads")
	expB, errB := getExport(addrB, "nquads")
	if errA != nil || errB != nil || expA != expB {
		t.Errorf("the exports of the original and the restored store differ (%v, %v)", errA, errB)
	}
	t.Logf("%d questions, %d with an answer, the same from the restored store", len(questions), answered)
	a.stop(t)
	b.stop(t)
}
