package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/badger4"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/graph/storetest"
)

// TestMain lets the crash test run this test binary as graphd itself.
func TestMain(m *testing.M) {
	if os.Getenv("GRAPHD_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const seeds = "../../testdata/seeds"

// run executes graphd in-process and returns its output.
func run(t *testing.T, data string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var o, e bytes.Buffer
	root := newRoot(&o, &e)
	root.SetArgs(append([]string{"--data", data}, args...))
	err = root.ExecuteContext(context.Background())
	return o.String(), e.String(), err
}

func mustRun(t *testing.T, data string, args ...string) string {
	t.Helper()
	out, errOut, err := run(t, data, args...)
	if err != nil {
		t.Fatalf("graphd %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

func TestLoadSeedsTwiceIsIdempotent(t *testing.T) {
	data := t.TempDir()
	_, e, err := run(t, data, "load", seeds)
	if err != nil || !strings.Contains(e, "5 loaded, 0 unchanged, 0 replaced, 0 failed") {
		t.Fatalf("first load: %v\n%s", err, e)
	}
	first := mustRun(t, data, "dump")
	_, e, err = run(t, data, "load", seeds)
	if err != nil || !strings.Contains(e, "0 loaded, 5 unchanged, 0 replaced, 0 failed") {
		t.Fatalf("second load: %v\n%s", err, e)
	}
	if second := mustRun(t, data, "dump"); second != first {
		t.Fatalf("dump changed after loading the seeds again")
	}
	stats := mustRun(t, data, "stats")
	if !strings.Contains(stats, "Document            5") {
		t.Errorf("stats:\n%s", stats)
	}
}

func TestRmLeavesOtherDocumentsUntouched(t *testing.T) {
	data := t.TempDir()
	mustRun(t, data, "load", "--quiet", seeds)
	before := mustRun(t, data, "dump")
	ids := seedIDs(t)
	lost, relinks := 0, 0
	out := mustRun(t, data, "rm", string(ids[2]))
	if !strings.Contains(out, "removed") {
		t.Errorf("rm printed %q", out)
	}
	after := mustRun(t, data, "dump")
	if l := storetest.GraphLines(after, ids[2]); len(l) != 0 {
		t.Errorf("%d quads of the removed document remain", len(l))
	}
	for i, id := range ids {
		if i == 2 {
			continue
		}
		// The document's own graph is untouched, byte for byte.
		b, a := storetest.GraphLines(before, id), storetest.GraphLines(after, id)
		if len(b) == 0 || strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Errorf("document %s: %d quads before, %d after", id, len(b), len(a))
		}
		// Its links graph loses the edges into and out of the removed
		// document's statements, with their evidence, and gains only the
		// edges relinking made, with theirs.
		links := graph.LinksGraph(id)
		all := storetest.GraphLines(before, links)
		b = withoutLinksTo(all, ids[2])
		lost += len(all) - len(b)
		a = storetest.GraphLines(after, links)
		kept := make(map[string]bool, len(a))
		for _, l := range a {
			kept[l] = true
		}
		for _, l := range b {
			if !kept[l] {
				t.Errorf("links of document %s lost %s", id, l)
			}
		}
		gainedEdges, gainedEv := relinked(t, a, b, id)
		relinks += gainedEdges
		if gainedEv != gainedEdges {
			t.Errorf("links of document %s: %d edges gained, %d with evidence", id, gainedEdges, gainedEv)
		}
	}
	if lost == 0 {
		t.Errorf("no other document linked to the removed one: the test shows nothing")
	}
	if want := fmt.Sprintf("(%d edges of other documents relinked)", relinks); !strings.Contains(out, want) {
		t.Errorf("rm printed %q, want %q", out, want)
	}
	if _, e, err := run(t, data, "rm", "https://provgraph.org/id/doc/missing"); err == nil || !strings.Contains(e, "not found") {
		t.Errorf("rm of a missing document: %v %q", err, e)
	}
}

// relinked counts the edge lines of links graph lines after that are not in
// before, and the evidence nodes among the other new lines that belong to
// one of them; any other new line is an error.
func relinked(t *testing.T, after, before []string, doc graph.ID) (edges, evidence int) {
	t.Helper()
	old := make(map[string]bool, len(before))
	for _, l := range before {
		old[l] = true
	}
	iri := func(f string) graph.ID { return graph.ID(strings.Trim(f, "<>")) }
	ev := make(map[string]bool)
	var rest []string
	for _, l := range after {
		if old[l] {
			continue
		}
		f := strings.Fields(l)
		isEdge := false
		for _, k := range []graph.EdgeKind{graph.Cited, graph.Disputes} {
			if iri(f[1]) == graph.ID(graph.EdgePredicate(k)) {
				isEdge = true
				edges++
				ev["<"+string(graph.EvidenceID(doc, k, iri(f[0]), iri(f[2])))+">"] = true
			}
		}
		if !isEdge {
			rest = append(rest, l)
		}
	}
	seen := make(map[string]bool)
	for _, l := range rest {
		f := strings.Fields(l)
		if !ev[f[0]] {
			t.Errorf("links of %s gained %s", doc, l)
			continue
		}
		if strings.Contains(l, "relinked") && !seen[f[0]] {
			seen[f[0]] = true
			evidence++
		}
	}
	return edges, evidence
}

// withoutLinksTo drops from the N-Quads lines of a links graph the edges
// that touch nodes of document gone and the evidence nodes of those edges.
func withoutLinksTo(lines []string, gone graph.ID) []string {
	iri := func(f string) graph.ID { return graph.ID(strings.Trim(f, "<>")) }
	ev := make(map[string]bool)
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 4 || !strings.Contains(l, "<"+string(gone)+"/") {
			continue
		}
		for _, k := range graph.EdgeKinds {
			if iri(f[1]) == graph.ID(graph.EdgePredicate(k)) {
				doc := graph.GraphDocument(iri(f[3]))
				ev["<"+string(graph.EvidenceID(doc, k, iri(f[0]), iri(f[2])))+">"] = true
			}
		}
	}
	var out []string
	for _, l := range lines {
		f := strings.Fields(l)
		if strings.Contains(l, "<"+string(gone)+"/") || ev[f[0]] {
			continue
		}
		out = append(out, l)
	}
	return out
}

func TestDumpRestoreRoundTrip(t *testing.T) {
	data := t.TempDir()
	mustRun(t, data, "load", "--quiet", seeds)
	dump := mustRun(t, data, "dump")
	file := filepath.Join(t.TempDir(), "seeds.nq")
	if err := os.WriteFile(file, []byte(dump), 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := t.TempDir()
	mustRun(t, fresh, "restore", file)
	if again := mustRun(t, fresh, "dump"); again != dump {
		t.Errorf("dump → restore → dump differs")
	}
	if out := mustRun(t, fresh, "check"); !strings.Contains(out, "5 documents checked") || !strings.Contains(out, "no problems") {
		t.Errorf("check: %s", out)
	}
}

func TestLoadReportsBadFilesAndGoesOn(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"good.txt":        []byte("The minister said the road was open.\n"),
		"empty.txt":       {},
		"binary.txt":      {0x7f, 'E', 'L', 'F', 0, 0, 1},
		"latin1.txt":      []byte("Caf\xe9 au lait"),
		"image.png":       []byte("\x89PNG"),
		".hidden.txt":     []byte("never read"),
		"sub/another.txt": []byte("Officials denied the report.\n"),
	}
	for name, b := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data := t.TempDir()
	_, e, err := run(t, data, "load", dir)
	var ex exitError
	if !errors.As(err, &ex) {
		t.Fatalf("load with bad files: err %v, want a non-zero exit", err)
	}
	for _, want := range []string{"empty.txt: empty file", "binary.txt: binary file", "latin1.txt: line 1: not valid UTF-8", "image.png: unknown format", "2 loaded, 0 unchanged, 0 replaced, 4 failed"} {
		if !strings.Contains(e, want) {
			t.Errorf("stderr lacks %q:\n%s", want, e)
		}
	}
	if strings.Contains(e, "hidden") {
		t.Errorf("hidden file was read:\n%s", e)
	}
}

func TestSecondProcessGetsClearError(t *testing.T) {
	data := t.TempDir()
	bo := badger4.DefaultOptions()
	s, err := cayleystore.Open(context.Background(), cayleystore.Options{Backend: cayleystore.Badger, Address: data, Badger: &bo})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, _, err = run(t, data, "stats")
	if err == nil || !strings.Contains(err.Error(), "in use by another graphd process") {
		t.Errorf("second open: %v", err)
	}
}

func TestHelpExplainsEveryCommand(t *testing.T) {
	for _, c := range newRoot(nil, nil).Commands() {
		if c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		if len(c.Long) < 80 {
			t.Errorf("%s: --help has no real explanation", c.Name())
		}
	}
}

// seedIDs returns the seed documents' IDs as "graphd extract" reports them.
func seedIDs(t *testing.T) []graph.ID {
	t.Helper()
	out := mustRun(t, t.TempDir(), "extract", "--json", seeds)
	var ids []graph.ID
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var d struct {
			Document struct {
				ID graph.ID `json:"id"`
			} `json:"document"`
		}
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.Document.ID)
	}
	if len(ids) != 5 {
		t.Fatalf("extract found %d seed documents", len(ids))
	}
	return ids
}

// writeCorpus writes n plain-text documents to a new folder.
func writeCorpus(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i := 0; i < n; i++ {
		var b strings.Builder
		for j := 0; j < 20; j++ {
			fmt.Fprintf(&b, "Document %d, paragraph %d: the spokesman said that %d vehicles had passed.\n\n", i, j, i*j)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.txt", i)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// graphdCommand runs this test binary as graphd.
func graphdCommand(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "GRAPHD_TEST_MAIN=1")
	return cmd
}

func TestLoadJSONLinesWithMalformedLine(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "export.jsonl")
	lines := `{"id": "a", "title": "One", "text": "The minister said the road was open.", "date": "2023-01-23", "outlet": "Example"}
{"id": "b", "title": "Two", "text": "Officials denied the report.", "url": "https://example.com/two"}
{"id": "c", "title": "Three", "text": "unterminated
{"id": "d", "title": "Four", "text": "The expert added that talks would go on."}
`
	if err := os.WriteFile(file, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	_, e, err := run(t, data, "load", file)
	var ex exitError
	if !errors.As(err, &ex) {
		t.Fatalf("load: err %v, want a non-zero exit", err)
	}
	if !strings.Contains(e, "export.jsonl:3") || !strings.Contains(e, "3 loaded, 0 unchanged, 0 replaced, 1 failed") {
		t.Errorf("stderr does not name line 3 or the summary is wrong:\n%s", e)
	}
	stats := mustRun(t, data, "stats")
	if !strings.Contains(stats, "Document            3") {
		t.Errorf("stats:\n%s", stats)
	}
}

func TestLoadStandardInput(t *testing.T) {
	data := t.TempDir()
	var o, e bytes.Buffer
	root := newRoot(&o, &e)
	root.SetIn(strings.NewReader("<html><head><title>Road reopens</title></head><body><article><p>The minister said on Monday that the road between the two towns would reopen next week after repairs were finished.</p><p>Local officials said the repairs had taken longer than planned because of the weather in the mountains.</p></article></body></html>"))
	root.SetArgs([]string{"--data", data, "load", "--format", "html", "-"})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("load -: %v\n%s", err, e.String())
	}
	if !strings.Contains(e.String(), "1 loaded") {
		t.Errorf("stderr: %s", e.String())
	}
	if out := mustRun(t, data, "dump"); !strings.Contains(out, `"Road reopens"`) || !strings.Contains(out, `"html"`) {
		t.Errorf("the page read from standard input is not in the graph")
	}
}

func TestSameTextUnderAnotherNameIsOneDocument(t *testing.T) {
	dir := t.TempDir()
	text := []byte("The spokesman said the talks would resume on Friday.\n")
	for _, name := range []string{"a.txt", "copy-of-a.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data := t.TempDir()
	mustRun(t, data, "load", "--quiet", dir)
	if stats := mustRun(t, data, "stats"); !strings.Contains(stats, "Document            1") {
		t.Errorf("two files with the same text gave more than one document:\n%s", stats)
	}
}
