package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// browserReport is what testdata/browser/explore.mjs prints.
type browserReport struct {
	Query        string
	Errors       []string
	Offsite      []string
	Claim        string
	First        struct{ Speaker, Date, Text string }
	Repeats      []struct{ Speaker, Date string }
	Disputes     int
	GraphNodes   int
	FirstInGraph bool
	Evidence     struct {
		Marked   []string
		Sentence string
		Speaker  string
	}
	Expand struct {
		Node          string
		Before, After int
	}
	KeyboardSelected int
	URL              string
	Shared           struct {
		First  string
		Marked []string
		Nodes  int
	}
	Failure string
}

// TestExploreBrowser drives the explorer page in Debian's chromium through
// playwright-core against "graphd serve --load testdata/seeds": it
// searches "10,000 servicemen", reads the timeline, opens the first
// statement's evidence, expands a node by clicking it in the graph, moves
// through the graph with the keyboard, reopens the page's URL and saves a
// screenshot (in $PROVGRAPH_ARTIFACTS, else the test's temporary folder).
func TestExploreBrowser(t *testing.T) {
	if os.Getenv("PROVGRAPH_BROWSER") != "1" {
		t.Skip("browser test: set PROVGRAPH_BROWSER=1 (needs /usr/bin/chromium and npm ci in cmd/graphd/testdata/browser; .ci/run does both)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("PROVGRAPH_BROWSER=1 but node is not installed")
	}
	script, err := filepath.Abs("testdata/browser/explore.mjs")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("testdata/browser/node_modules/playwright-core"); err != nil {
		t.Fatal("playwright-core is not installed: run npm ci in cmd/graphd/testdata/browser")
	}
	dir := os.Getenv("PROVGRAPH_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "explore.png")

	base := startServe(t, "--store", "memory", "serve", "--addr", "127.0.0.1:0", "--load", seeds, "--quiet")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script, base, shot)
	cmd.Dir = filepath.Dir(script)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	var r browserReport
	if jerr := json.Unmarshal(stdout, &r); jerr != nil {
		t.Fatalf("the browser script failed: %v, %v\nstdout:\n%s\nstderr:\n%s", err, jerr, stdout, stderr.String())
	}
	if r.Failure != "" || err != nil {
		t.Fatalf("the browser script failed: %v\n%s\nreport:\n%s\nstderr:\n%s", err, r.Failure, stdout, stderr.String())
	}
	t.Logf("screenshot: %s", shot)
	t.Logf("report:\n%s", stdout)

	if len(r.Errors) > 0 {
		t.Errorf("the page reported errors: %q", r.Errors)
	}
	if len(r.Offsite) > 0 {
		t.Errorf("the page loaded from other origins: %q", r.Offsite)
	}
	// The timeline: Ilham Aliyev first, on 21 March 2023.
	if r.First.Speaker != "Ilham Aliyev" {
		t.Errorf("the timeline shows %q first, want Ilham Aliyev (claim %q)", r.First.Speaker, r.Claim)
	}
	if r.First.Date != "2023-03-21" {
		t.Errorf("the first statement is dated %q, want 2023-03-21", r.First.Date)
	}
	if !r.FirstInGraph {
		t.Error("the first statement is not marked in the graph")
	}
	tase := false
	for _, s := range r.Repeats {
		tase = tase || s.Speaker == "Peter Tase"
	}
	if !tase {
		t.Errorf("Peter Tase is not among the repeats: %+v", r.Repeats)
	}
	// The evidence: the sentence with the statement's content marked.
	if len(r.Evidence.Marked) == 0 {
		t.Error("no highlighted span in the evidence sentence")
	}
	for _, m := range r.Evidence.Marked {
		if !strings.Contains(r.Evidence.Sentence, m) {
			t.Errorf("highlighted %q is not in the sentence %q", m, r.Evidence.Sentence)
		}
	}
	if !strings.Contains(strings.Join(r.Evidence.Marked, " "), "10,000 servicemen") {
		t.Errorf("the highlight %q does not cover the claim", r.Evidence.Marked)
	}
	if !strings.HasPrefix(r.Evidence.Speaker, "Ilham Aliyev") {
		t.Errorf("the evidence names the speaker %q", r.Evidence.Speaker)
	}
	// The graph grows when a node is clicked, and the keyboard reaches it.
	if r.Expand.After <= r.Expand.Before {
		t.Errorf("expanding %s left %d nodes (was %d)", r.Expand.Node, r.Expand.After, r.Expand.Before)
	}
	if r.KeyboardSelected != 1 {
		t.Errorf("the arrow key selected %d nodes, want 1", r.KeyboardSelected)
	}
	// The URL brings the same view back.
	if !strings.Contains(r.URL, "#") || r.Shared.First != r.First.Speaker ||
		strings.Join(r.Shared.Marked, "|") != strings.Join(r.Evidence.Marked, "|") || r.Shared.Nodes != r.Expand.After {
		t.Errorf("reopening %s gave first %q, marked %q, %d nodes; want %q, %q, %d",
			r.URL, r.Shared.First, r.Shared.Marked, r.Shared.Nodes, r.First.Speaker, r.Evidence.Marked, r.Expand.After)
	}
}

// startServe runs graphd with args (a serve command) until the test ends
// and returns the base URL it serves.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	root := newRoot(io.Discard, pw)
	root.SetArgs(args)
	done := make(chan error, 1)
	go func() {
		err := root.ExecuteContext(ctx)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("graphd serve: %v", err)
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			if a, ok := strings.CutPrefix(line, "graphd: serving http://"); ok && !sent {
				addr <- "http://" + strings.TrimSuffix(strings.Fields(a)[0], "/")
				sent = true
			}
		}
		io.Copy(io.Discard, pr)
	}()
	select {
	case base := <-addr:
		res, err := http.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return base
	case err := <-done:
		t.Fatalf("graphd serve ended: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("graphd serve did not start")
	}
	return ""
}
