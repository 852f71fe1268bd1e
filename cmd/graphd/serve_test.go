package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/loaders"
)

// seededServer returns graphd serve's handler over a fresh in-memory store
// holding the seeds, loaded as graphd load does, and its log.
func seededServer(t *testing.T, sc ServeConfig) (http.Handler, *bytes.Buffer) {
	t.Helper()
	ctx := context.Background()
	s, err := cayleystore.Open(ctx, cayleystore.Options{Backend: cayleystore.Memory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := runLoad(ctx, s, []string{seeds}, loaders.ReadOptions{}, 256, true, io.Discard); err != nil {
		t.Fatal(err)
	}
	if sc.MaxBody == 0 {
		sc.MaxBody = 1 << 20
	}
	if sc.Timeout == 0 {
		sc.Timeout = 10 * time.Second
	}
	var logs bytes.Buffer
	h, err := newServer(s, &sc, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return h, &logs
}

type response struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

// post sends a GraphQL request and decodes the response.
func post(t testing.TB, h http.Handler, query string, header map[string]string) (*httptest.ResponseRecorder, response) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req := httptest.NewRequest("POST", "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	var r response
	json.Unmarshal(w.Body.Bytes(), &r)
	return w, r
}

func TestServePages(t *testing.T) {
	h, logs := seededServer(t, ServeConfig{})
	for _, c := range []struct {
		method, path string
		code         int
		want         string
	}{
		{"GET", "/healthz", 200, "ok"},
		{"GET", "/", 200, `src="graphiql.js"`},
		{"GET", "/graphiql.js", 200, "GraphiQL"},
		{"GET", "/graphiql.css", 200, ".graphiql-container"},
		{"GET", "/workers/graphql.worker.js", 200, ""},
		{"POST", "/", 405, ""},
		{"GET", "/graphql?query=" + url.QueryEscape("{ documents { totalCount } }"), 200, `{"data":{"documents":{"totalCount":5}}}`},
		{"GET", "/nothing-here", 404, ""},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(c.method, c.path, nil))
			if w.Code != c.code || !strings.Contains(w.Body.String(), c.want) {
				t.Errorf("%d, want %d with %q; body starts %.200q", w.Code, c.code, c.want, w.Body.String())
			}
			if w.Header().Get("X-Request-ID") == "" {
				t.Errorf("no X-Request-ID")
			}
		})
	}
	if !strings.Contains(logs.String(), "msg=request") || !strings.Contains(logs.String(), "path=/healthz") || !strings.Contains(logs.String(), "status=200") {
		t.Errorf("request log:\n%s", logs)
	}
}

func TestServeLimits(t *testing.T) {
	h, _ := seededServer(t, ServeConfig{MaxBody: 2048})
	w, _ := post(t, h, "{ documents { totalCount } }"+strings.Repeat(" ", 4096), nil)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 4 KB body with a 2 KB limit: %d %s", w.Code, w.Body)
	}
	h, _ = seededServer(t, ServeConfig{Timeout: time.Nanosecond})
	_, r := post(t, h, "{ statements(first: 100) { totalCount edges { node { text speaker { name } } } } }", nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "TIMEOUT" {
		t.Errorf("a request past its time: %+v", r)
	}
}

func TestServeCORS(t *testing.T) {
	h, _ := seededServer(t, ServeConfig{CORSOrigins: []string{"http://localhost:8888"}})
	for _, c := range []struct {
		origin, want string
	}{
		{"http://localhost:8888", "http://localhost:8888"},
		{"http://evil.example", ""},
	} {
		req := httptest.NewRequest("OPTIONS", "/graphql", nil)
		req.Header.Set("Origin", c.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type") // as browsers send it
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if got := w.Header().Get("Access-Control-Allow-Origin"); got != c.want {
			t.Errorf("preflight from %s: allowed origin %q, want %q", c.origin, got, c.want)
		}
	}
}

func TestServeMutations(t *testing.T) {
	const ingest = `mutation { ingest(documents: [{text: "Foreign Minister Ararat Mirzoyan said on Tuesday that the road was closed.", url: "https://news.example/a", published: "2023-05-02"}]) { loaded failed documents { outcome error } } }`
	h, logs := seededServer(t, ServeConfig{Token: "t0k3n"})
	_, r := post(t, h, ingest, nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "UNAUTHENTICATED" {
		t.Errorf("mutation without the token: %+v", r)
	}
	_, r = post(t, h, ingest, map[string]string{"Authorization": "Bearer t0k3n"})
	if len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"loaded":1`) {
		t.Errorf("mutation with the token: %s %+v", r.Data, r.Errors)
	}
	_, r = post(t, h, `{ documents { totalCount } }`, nil)
	if !strings.Contains(string(r.Data), `"totalCount":6`) {
		t.Errorf("after ingest: %s %+v", r.Data, r.Errors)
	}
	// The same document again, through the linker: unchanged, not failed.
	_, r = post(t, h, strings.Replace(ingest, "loaded failed", "loaded unchanged failed", 1), map[string]string{"Authorization": "Bearer t0k3n"})
	if len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"unchanged":1`) || !strings.Contains(string(r.Data), `"outcome":"UNCHANGED"`) {
		t.Errorf("the same document ingested again: %s %+v", r.Data, r.Errors)
	}
	if strings.Contains(logs.String(), "t0k3n") {
		t.Errorf("the token was logged")
	}
	h, _ = seededServer(t, ServeConfig{ReadOnly: true})
	_, r = post(t, h, `mutation { deleteDocument(id: "x") }`, nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Errorf("mutation on a read-only server: %+v", r)
	}
}

// TestServeProvenance asks the acceptance question of the API issue
// through the linker graphd serve wires in.
func TestServeProvenance(t *testing.T) {
	h, _ := seededServer(t, ServeConfig{})
	_, r := post(t, h, `{ provenance(claim: "Who first said that about 10,000 Armenian soldiers remain in Azerbaijan?", first: 3) {
		score claim { text } first { date { iso } speaker { name } } repeats { speaker { name } } } }`, nil)
	var d struct {
		Provenance []struct {
			First struct {
				Date    *struct{ Iso string }
				Speaker *struct{ Name string }
			}
			Repeats []struct{ Speaker *struct{ Name string } }
		}
	}
	if err := json.Unmarshal(r.Data, &d); err != nil || len(r.Errors) > 0 || len(d.Provenance) == 0 {
		t.Fatalf("provenance: %s %+v %v", r.Data, r.Errors, err)
	}
	p := d.Provenance[0]
	if p.First.Speaker == nil || p.First.Speaker.Name != "Ilham Aliyev" {
		t.Errorf("first claimant %+v, want Ilham Aliyev", p.First.Speaker)
	}
	// The document that reports it first gives the day without its year;
	// the answer takes the year from the same speaker's report of the
	// claim in another document.
	if p.First.Date == nil || p.First.Date.Iso != "2023-03-21" {
		t.Errorf("first claimed on %+v, want 2023-03-21", p.First.Date)
	}
	tase := false
	for _, rp := range p.Repeats {
		tase = tase || (rp.Speaker != nil && rp.Speaker.Name == "Peter Tase")
	}
	if !tase {
		t.Errorf("Peter Tase is not among the repeats: %s", r.Data)
	}
}

// TestServeCommand runs graphd serve on a free port until it is stopped.
func TestServeCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server on the loopback interface")
	}
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		root := newRoot(io.Discard, pw)
		root.SetArgs([]string{"--store", "memory", "--log-level", "error", "serve", "--addr", "127.0.0.1:0", "--load", seeds, "--quiet"})
		done <- root.ExecuteContext(ctx)
		pw.Close()
	}()
	var base string
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), "serving "); ok {
			base, _, _ = strings.Cut(rest, " ")
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if base == "" {
		t.Fatalf("graphd serve did not start: %v", <-done)
	}
	resp, err := http.Get(base + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}
