package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/provgraph/provgraph/graph"
)

// serveProc is a "graphd serve" subprocess.
type serveProc struct {
	cmd    *exec.Cmd
	start  time.Time
	served chan string // the address, once it listens
	exited chan error  // Wait's result, once it has exited
	killed atomic.Bool

	mu  sync.Mutex
	log strings.Builder // standard error, up to 1 MB
}

// stderr returns what the server has written to standard error.
func (p *serveProc) stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// spawnServe runs graphd with args (which include "serve --addr
// 127.0.0.1:0") and reads its standard error until it exits.
func spawnServe(t *testing.T, args ...string) *serveProc {
	t.Helper()
	p := &serveProc{cmd: graphdCommand(args...), served: make(chan string, 1), exited: make(chan error, 1)}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.start = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		lines := bufio.NewScanner(stderr)
		lines.Buffer(nil, 1<<20)
		for lines.Scan() {
			p.mu.Lock()
			if p.log.Len() < 1<<20 {
				p.log.WriteString(lines.Text() + "\n")
			}
			p.mu.Unlock()
			if rest, ok := strings.CutPrefix(lines.Text(), "graphd: serving http://"); ok {
				addr, _, _ := strings.Cut(rest, "/")
				p.served <- addr
			}
		}
		err := p.cmd.Wait()
		if strings.Contains(p.stderr(), "WARNING: DATA RACE") {
			t.Errorf("the race detector found a data race in graphd serve:\n%s", p.stderr())
		}
		p.exited <- err
	}()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.kill()
		}
	})
	return p
}

func (p *serveProc) kill() {
	p.killed.Store(true)
	p.cmd.Process.Kill()
}

// stop shuts the server down as Ctrl-C does and waits for it.
func (p *serveProc) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-p.exited; err != nil {
		t.Fatalf("graphd serve did not shut down cleanly: %v\n%s", err, p.stderr())
	}
}

// gqlError is a GraphQL response with errors.
type gqlError struct{ msgs []string }

func (e *gqlError) Error() string { return "graphql: " + strings.Join(e.msgs, "; ") }

// gqlPost posts a GraphQL request to a server and decodes the data into
// out. Failing to reach the server, and a response with errors (a
// [*gqlError]), are errors.
func gqlPost(ctx context.Context, client *http.Client, addr, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, "POST", "http://"+addr+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var r struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return fmt.Errorf("status %d: %w", resp.StatusCode, err)
	}
	if len(r.Errors) > 0 {
		e := &gqlError{}
		for _, m := range r.Errors {
			e.msgs = append(e.msgs, m.Message)
		}
		return e
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(r.Data, out)
}

// crashQueries are what clients ask a server while it writes.
var crashQueries = []string{
	`{ documents(first: 20) { totalCount edges { node { id title source } } } }`,
	`{ statements(first: 20, filter: {text: "said"}) { totalCount edges { node { id text kind speaker { name } document { id } } } } }`,
	`{ provenance(claim: "Hillary Clinton's health is fine", first: 3) { score claim { id text } first { id text } repeats { id } disputedBy { id } } }`,
	`{ provenance(claim: "Donald Trump will build a wall on the border", first: 3) { score claim { id } first { id } repeats { id } } }`,
	`{ actors(first: 20) { totalCount edges { node { id name } } } }`,
}

// servePlan says how one "graphd serve --load" run goes: the documents it
// loads, those it is then sent through the ingest mutation (in order, one
// per request, but those in skip), and when it is killed, if at all:
// killAt after it starts (during the load when it is shorter than the
// load) or killAfterServing after it starts listening.
type servePlan struct {
	loadDir                  string
	ingest                   []string // files
	skip                     map[string]bool
	killAt, killAfterServing time.Duration
}

// serveRun is what one run did.
type serveRun struct {
	killed          bool
	servedAfter     time.Duration // from start to listening
	ingestTook      time.Duration
	acked           []graph.ID // documents ingest reported LOADED
	queries, failed int        // answered queries, and those answered with errors
	unreachable     int        // requests that found no server before the kill
	firstFailure    string
}

// runServe runs "graphd serve --load" on data as plan says, with two
// clients querying while documents are ingested; without a kill it then
// shuts the server down.
func runServe(t *testing.T, data string, plan servePlan) serveRun {
	t.Helper()
	p := spawnServe(t, "--data", data, "--log-level", "warn", "serve", "--addr", "127.0.0.1:0", "--quiet", "--load", plan.loadDir)
	var run serveRun
	if plan.killAt > 0 {
		timer := time.AfterFunc(plan.killAt, p.kill)
		defer timer.Stop()
	}
	var addr string
	select {
	case addr = <-p.served:
	case err := <-p.exited:
		if !p.killed.Load() {
			t.Fatalf("graphd serve exited before serving: %v", err)
		}
		run.killed = true
		return run
	}
	run.servedAfter = time.Since(p.start)
	if plan.killAfterServing > 0 {
		timer := time.AfterFunc(plan.killAfterServing, p.kill)
		defer timer.Stop()
	}

	client := &http.Client{Timeout: 2 * time.Minute}
	ctx, cancel := context.WithCancel(context.Background())
	var (
		wg sync.WaitGroup
		mu sync.Mutex
	)
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for i := w; ctx.Err() == nil; i++ {
				err := gqlPost(ctx, client, addr, crashQueries[i%len(crashQueries)], nil, nil)
				var ge *gqlError
				mu.Lock()
				switch {
				case err == nil:
					run.queries++
				case errors.As(err, &ge):
					run.failed++
					if run.firstFailure == "" {
						run.firstFailure = err.Error()
					}
				case p.killed.Load() || ctx.Err() != nil:
				default:
					run.unreachable++
				}
				mu.Unlock()
				if err != nil && p.killed.Load() {
					return
				}
			}
		})
	}

	start := time.Now()
	for i, f := range plan.ingest {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if plan.skip[string(b)] {
			continue
		}
		var res struct {
			Ingest struct {
				Documents []struct {
					ID      graph.ID
					Outcome string
					Error   *string
				}
			}
		}
		err = gqlPost(ctx, client, addr, `mutation($d: [DocumentInput!]!) { ingest(documents: $d) { documents { id outcome error } } }`,
			map[string]any{"d": []map[string]any{{"text": string(b), "format": "text", "source": filepath.Base(f)}}}, &res)
		if err != nil {
			if p.killed.Load() {
				break
			}
			t.Fatalf("ingest %d (%s): %v", i, filepath.Base(f), err)
		}
		d := res.Ingest.Documents[0]
		if d.Outcome != "LOADED" {
			t.Fatalf("ingest %d (%s): %s %v", i, filepath.Base(f), d.Outcome, orEmpty(d.Error))
		}
		mu.Lock()
		run.acked = append(run.acked, d.ID)
		mu.Unlock()
	}
	run.ingestTook = time.Since(start)
	if plan.killAt > 0 || plan.killAfterServing > 0 {
		<-p.exited
		run.killed = true
	} else {
		cancel()
		wg.Wait()
		p.stop(t)
	}
	cancel()
	wg.Wait()
	return run
}

func orEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestServeSurvivesSIGKILL kills "graphd serve --load" at random moments:
// during its load (one transaction of the whole folder), or once it
// serves, while two clients query it and documents arrive through the
// ingest mutation. After each kill the reopened store must pass the same
// checks as after a killed load, hold every document ingest reported
// loaded, and, once the same run is completed (serve --load again, then
// ingest what is missing), give the same graph as a run never killed.
//
// With PROVGRAPH_POLNEAR, 90 PolNeAR leads (60 loaded, 30 ingested) and 5
// kills; without it, 12 synthetic documents and 2 kills.
func TestServeSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs subprocesses; skipped with -short")
	}
	c := newCrashCorpus(t, 90, 600, 12)
	cycles := 2
	if c.real {
		cycles = 5
	}
	split := len(c.files) * 2 / 3
	plan := servePlan{loadDir: t.TempDir(), ingest: c.files[split:]}
	for _, f := range c.files[:split] {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(plan.loadDir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	clean := t.TempDir()
	ref := runServe(t, clean, plan)
	want := mustRun(t, clean, "dump")
	t.Logf("%d documents loaded, %d ingested; uninterrupted: serving after %s, ingest took %s, %d queries answered meanwhile",
		split, len(plan.ingest), ref.servedAfter.Round(time.Millisecond), ref.ingestTook.Round(time.Millisecond), ref.queries)
	if ref.failed > 0 || ref.unreachable > 0 {
		t.Errorf("uninterrupted: %d queries answered with errors (first: %s), %d found no server", ref.failed, ref.firstFailure, ref.unreachable)
	}

	survived, reopened := 0, 0
	for seed := uint64(1); seed <= uint64(cycles); seed++ {
		rng := rand.New(rand.NewPCG(seed, 43))
		kill := plan
		if seed%2 == 0 {
			// In the second half of the load: its one transaction
			// commits at the end.
			kill.killAt = ref.servedAfter/2 + time.Duration(rng.Int64N(int64(ref.servedAfter/2)))
		} else {
			kill.killAfterServing = time.Duration(rng.Int64N(int64(ref.ingestTook))) + 1
		}
		data := t.TempDir()
		run := runServe(t, data, kill)
		if run.failed > 0 || run.unreachable > 0 {
			t.Errorf("seed %d: %d queries answered with errors (first: %s), %d found no server before the kill", seed, run.failed, run.firstFailure, run.unreachable)
		}
		present, retried := checkCrashed(t, data, c, rng)
		if retried {
			reopened++
		}
		for _, id := range run.acked {
			if _, ok := present[id]; !ok {
				t.Errorf("seed %d: document %s, reported loaded by ingest, is gone", seed, id)
			}
		}
		survived++
		phase := "while loading"
		if run.servedAfter > 0 {
			phase = "while serving"
		}
		t.Logf("seed %d: killed %s; %d of %d documents present, %d ingested before, %d queries answered", seed, phase, len(present), len(c.files), len(run.acked), run.queries)

		// Finish the run. Documents already stored are not sent again:
		// ingest reports an unchanged document as failed.
		done := plan
		done.skip = make(map[string]bool)
		for _, text := range present {
			done.skip[text] = true
		}
		runServe(t, data, done)
		if got := mustRun(t, data, "dump"); got != want {
			t.Errorf("seed %d: finishing the run gives a different graph than an uninterrupted one:\n%s", seed, dumpDiff(got, want, 20))
		}
	}
	t.Logf("%d kills survived; %d times the store opened only at the second attempt", survived, reopened)
}
