package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/provgraph/provgraph/graph/export"
	"github.com/provgraph/provgraph/loaders/feed"
	"github.com/provgraph/provgraph/loaders/html"
	"github.com/provgraph/provgraph/loaders/jsonl"
	"github.com/provgraph/provgraph/loaders/text"
)

// The access checks of issue #10, each against a real "graphd serve"
// subprocess: the token guards every mutation and every export of
// documents' text and never reaches the log; --read-only refuses every
// write; the server listens on loopback unless told otherwise; and ingest
// reads the text it is given, never a path or a URL.

func randomHex(t *testing.T, prefix string) string {
	t.Helper()
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return prefix + hex.EncodeToString(b[:])
}

// send sends a request with an optional Authorization header and returns the
// status and body.
func send(t *testing.T, method, u, auth string, body io.Reader) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// graphSnapshot is the whole graph with documents' text, as N-Quads.
func graphSnapshot(t *testing.T, g *graphdProcess, token string) string {
	t.Helper()
	auth := ""
	if token != "" {
		auth = "Bearer " + token
	}
	status, body := send(t, "GET", g.base+"/export?format=nquads&text=1&limit=100000", auth, nil)
	if status != http.StatusOK || body == "" {
		t.Fatalf("export: %d %.200s", status, body)
	}
	return body
}

func TestServeTokenGuardsWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("runs graphd serve subprocesses; skipped with -short")
	}
	for _, how := range []string{"flag", "env"} {
		t.Run(how, func(t *testing.T) {
			token := randomHex(t, "tok-")
			wrong := randomHex(t, "wrong-")
			args := []string{"--store", "memory", "--log-level", "debug", "serve", "--addr", "127.0.0.1:0", "--load", seeds, "--quiet"}
			var env []string
			if how == "flag" {
				args = append(args, "--token", token)
			} else {
				env = []string{"GRAPHD_TOKEN=" + token}
			}
			g := startGraphd(t, env, args...)
			before := graphSnapshot(t, g, token)
			ids := seedDocumentIDs(t, g)

			mutations := map[string]string{
				"ingest": `mutation { ingest(documents: [{text: "The spokesman said that the road was open.", source: "guarded.txt"}]) { loaded } }`,
				"delete": fmt.Sprintf(`mutation { deleteDocument(id: %q) }`, ids[0]),
			}
			refused := map[string]string{
				"no header":          "",
				"wrong token":        "Bearer " + wrong,
				"token as Basic":     "Basic " + token,
				"token without kind": token,
				"token prefix":       "Bearer " + token[:len(token)-1],
				"token and more":     "Bearer " + token + "x",
				"lower-case bearer":  "bearer " + token + " " + wrong,
			}
			for name, m := range mutations {
				for how, auth := range refused {
					body, _ := json.Marshal(map[string]string{"query": m})
					_, out := send(t, "POST", g.base+"/graphql", auth, strings.NewReader(string(body)))
					if !strings.Contains(out, `"UNAUTHENTICATED"`) {
						t.Errorf("%s, %s: %s", name, how, out)
					}
				}
				// Nor in the URL, and never over GET.
				_, out := send(t, "POST", g.base+"/graphql?token="+url.QueryEscape(token), "", strings.NewReader(jsonQuery(m)))
				if !strings.Contains(out, `"UNAUTHENTICATED"`) {
					t.Errorf("%s, token in the URL: %s", name, out)
				}
				status, out := send(t, "GET", g.base+"/graphql?query="+url.QueryEscape(m), "Bearer "+token, nil)
				if status == http.StatusOK && !strings.Contains(out, `"errors"`) {
					t.Errorf("%s over GET: %d %s", name, status, out)
				}
			}
			if after := graphSnapshot(t, g, token); after != before {
				t.Fatalf("refused mutations changed the graph")
			}

			// Documents' text: every export format refuses text=1 without
			// the token, and serves it with.
			for _, f := range export.Names() {
				for how, auth := range refused {
					u := g.base + "/export?format=" + f + "&text=1"
					if status, _ := send(t, "GET", u, auth, nil); status != http.StatusUnauthorized {
						t.Errorf("export %s with text, %s: status %d, want 401", f, how, status)
					}
					if status, _ := send(t, "GET", u+"&ids="+url.QueryEscape(ids[0])+"&depth=0", auth, nil); status != http.StatusUnauthorized {
						t.Errorf("export %s of one document with text, %s: status %d, want 401", f, how, status)
					}
				}
				if status, _ := send(t, "GET", g.base+"/export?format="+f+"&text=1", "Bearer "+token, nil); status != http.StatusOK {
					t.Errorf("export %s with text and the token: status %d", f, status)
				}
			}

			// With the token, mutations run.
			for _, name := range []string{"ingest", "delete"} {
				_, out := send(t, "POST", g.base+"/graphql", "Bearer "+token, strings.NewReader(jsonQuery(mutations[name])))
				if strings.Contains(out, `"errors"`) {
					t.Errorf("%s with the token: %s", name, out)
				}
			}
			if after := graphSnapshot(t, g, token); after == before {
				t.Errorf("mutations with the token left the graph as it was")
			}

			if err := g.stop(); err != nil {
				t.Errorf("graphd serve: %v", err)
			}
			logs := g.logs.String()
			if !strings.Contains(logs, `msg=request`) {
				t.Fatalf("the server logged no requests; the check below would prove nothing:\n%.2000s", logs)
			}
			for _, secret := range []string{token, wrong, token[4:]} {
				if strings.Contains(logs, secret) {
					t.Errorf("the server's log shows a token")
				}
			}
		})
	}
}

func TestServeReadOnlyRefusesWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a graphd serve subprocess; skipped with -short")
	}
	token := randomHex(t, "tok-")
	g := startGraphd(t, nil, "--store", "memory", "serve", "--addr", "127.0.0.1:0", "--read-only", "--token", token, "--load", seeds, "--quiet")
	before := graphSnapshot(t, g, token)
	ids := seedDocumentIDs(t, g)
	for _, m := range []string{
		`mutation { ingest(documents: [{text: "The spokesman said that the road was open."}]) { loaded } }`,
		fmt.Sprintf(`mutation { deleteDocument(id: %q) }`, ids[0]),
		fmt.Sprintf(`mutation A { deleteDocument(id: %q) } query B { documents { totalCount } }`, ids[1]),
	} {
		for _, auth := range []string{"", "Bearer " + token} {
			_, out := send(t, "POST", g.base+"/graphql", auth, strings.NewReader(jsonQuery(m)))
			if !strings.Contains(out, `"FORBIDDEN"`) && !strings.Contains(out, `"errors"`) {
				t.Errorf("read-only server accepted %q: %s", m, out)
			}
			status, out := send(t, "GET", g.base+"/graphql?query="+url.QueryEscape(m), auth, nil)
			if status == http.StatusOK && !strings.Contains(out, `"errors"`) {
				t.Errorf("read-only server accepted %q over GET: %s", m, out)
			}
		}
	}
	// No other path takes a write.
	for _, path := range []string{"/", "/explore/", "/export?format=nquads", "/graphql", "/healthz", "/ingest", "/load"} {
		for _, method := range []string{"PUT", "PATCH", "DELETE", "POST"} {
			if path == "/graphql" && method == "POST" || path == "/healthz" {
				continue
			}
			status, _ := send(t, method, g.base+path, "Bearer "+token, strings.NewReader(`{"query":"mutation { deleteDocument(id: \"x\") }"}`))
			if status < 400 {
				t.Errorf("%s %s: status %d", method, path, status)
			}
		}
	}
	if after := graphSnapshot(t, g, token); after != before {
		t.Errorf("the read-only server's graph changed")
	}
}

func TestServeListensOnLoopbackByDefault(t *testing.T) {
	cmd := newServeCmd(&Config{}, io.Discard, io.Discard)
	def := cmd.Flags().Lookup("addr").DefValue
	host, _, err := net.SplitHostPort(def)
	if err != nil {
		t.Fatal(err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		t.Errorf("graphd serve listens on %q by default, want a loopback address", def)
	}
}

// seedDocumentIDs lists the served documents' IDs.
func seedDocumentIDs(t *testing.T, g *graphdProcess) []string {
	t.Helper()
	_, out := send(t, "POST", g.base+"/graphql", "", strings.NewReader(jsonQuery(`{ documents(first: 100) { edges { node { id } } } }`)))
	var r struct {
		Data struct {
			Documents struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Data.Documents.Edges) < 2 {
		t.Fatalf("documents: %s (%v)", out, err)
	}
	var ids []string
	for _, e := range r.Data.Documents.Edges {
		ids = append(ids, e.Node.ID)
	}
	return ids
}

func jsonQuery(q string) string {
	b, _ := json.Marshal(map[string]string{"query": q})
	return string(b)
}

// TestIngestReadsNoPathOrURL ingests documents whose text and metadata
// point at a local file holding a secret, at /etc/passwd and at URLs of a
// server that counts its hits, in every format: nothing is fetched and
// nothing of the file reaches the graph or the log.
func TestIngestReadsNoPathOrURL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a graphd serve subprocess; skipped with -short")
	}
	marker := randomHex(t, "SECRET-")
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte("The minister said that "+marker+" was the password.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fileURL := "file://" + secret
	var hits atomic.Int64
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, "The minister said that "+marker+" was online.")
	}))
	defer web.Close()
	passwd := "root:x:0:0"

	g := startGraphd(t, nil, "--store", "memory", "--log-level", "debug", "serve", "--addr", "127.0.0.1:0", "--quiet")
	inputs := []map[string]any{
		{"text": fileURL, "source": secret, "url": fileURL},
		{"text": secret + "\n\nThe spokesman said that the file was at " + secret + ".", "source": secret, "title": secret},
		{"text": "/etc/passwd", "source": "/etc/passwd", "url": "/etc/passwd", "format": text.Name},
		{"text": "The spokesman said that " + web.URL + "/a and " + fileURL + " were sources.", "url": web.URL + "/canonical", "publisher": web.URL, "authors": []string{fileURL}},
		{"format": html.Name, "text": `<!DOCTYPE html><html><head><title>Page</title><base href="` + web.URL + `/"><link rel="canonical" href="` + web.URL + `/c">
			<link rel="stylesheet" href="` + fileURL + `"><script src="` + web.URL + `/s.js"></script><meta http-equiv="refresh" content="0; url=` + web.URL + `/r"></head>
			<body><article><h1>Road</h1><p>The minister said on Monday that the road to Lachin was open again to trucks carrying food and medicine.</p><p>The spokesman of the ministry told reporters that talks with the other side would resume in Brussels next week.</p><img src="` + web.URL + `/i.png">
			<iframe src="` + fileURL + `"></iframe><object data="/etc/passwd"></object><embed src="` + web.URL + `/e"></article></body></html>`},
		{"format": feed.Name, "text": `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "` + fileURL + `"><!ENTITY pw SYSTEM "file:///etc/passwd"><!ENTITY web SYSTEM "` + web.URL + `/xxe">]>
			<rss version="2.0"><channel><title>Feed</title><item><title>&xxe;</title><link>` + web.URL + `/item</link>
			<enclosure url="` + web.URL + `/e.mp3" type="audio/mpeg" length="1"/><description>The spokesman said &web;&pw; that the road to Goris was open.</description></item></channel></rss>`},
		{"format": feed.Name, "text": `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title><item><title>Road</title><link>` + fileURL + `</link>
			<source url="` + web.URL + `/src">Agency</source><description>The spokesman said that the road to Shusha was open.</description></item></channel></rss>`},
		{"format": feed.Name, "text": `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><entry><title>Road</title>
			<link href="` + fileURL + `"/><content src="` + web.URL + `/content" type="text/html"/><summary>The envoy said that talks would resume in Geneva.</summary></entry></feed>`},
		{"format": feed.Name, "text": `{"version":"https://jsonfeed.org/version/1.1","title":"F","items":[{"id":"1","url":"` + fileURL + `","external_url":"` + web.URL + `/x",
			"image":"` + web.URL + `/i.png","content_text":"The envoy said that talks would resume in Vienna."}]}`},
		{"format": jsonl.Name, "text": `{"url":"` + fileURL + `","text":"The envoy said that talks would resume in Moscow.","source":"/etc/passwd","body_url":"` + web.URL + `/b","path":"` + secret + `"}`},
	}
	// Ingest takes text and metadata: nothing else a client could point
	// the server at.
	_, out := send(t, "POST", g.base+"/graphql", "", strings.NewReader(jsonQuery(`{ __type(name: "DocumentInput") { inputFields { name } } }`)))
	var typ struct {
		Data struct {
			Type struct{ InputFields []struct{ Name string } } `json:"__type"`
		}
	}
	json.Unmarshal([]byte(out), &typ)
	var fields []string
	for _, f := range typ.Data.Type.InputFields {
		fields = append(fields, f.Name)
	}
	slices.Sort(fields)
	if want := []string{"authors", "format", "published", "publisher", "source", "text", "title", "url"}; !slices.Equal(fields, want) {
		t.Errorf("DocumentInput has fields %v, want %v: a new one must not name something for the server to read", fields, want)
	}

	loaded := 0
	for i, in := range inputs {
		body, _ := json.Marshal(map[string]any{
			"query":     `mutation($d: [DocumentInput!]!) { ingest(documents: $d) { loaded documents { outcome error document { id text title url } } } }`,
			"variables": map[string]any{"d": []any{in}},
		})
		_, out := send(t, "POST", g.base+"/graphql", "", strings.NewReader(string(body)))
		var r struct {
			Data struct {
				Ingest struct {
					Loaded    int
					Documents []struct{ Error *string }
				}
			}
		}
		json.Unmarshal([]byte(out), &r)
		loaded += r.Data.Ingest.Loaded
		if d := r.Data.Ingest.Documents; len(d) == 1 && d[0].Error != nil {
			t.Logf("input %d refused: %s", i, *d[0].Error)
		}
		if strings.Contains(out, marker) || strings.Contains(out, passwd) {
			t.Errorf("input %d: the answer shows the secret: %s", i, out)
		}
	}
	if loaded != len(inputs) {
		t.Errorf("%d of %d inputs loaded; each should, without what it points at", loaded, len(inputs))
	}
	graph := graphSnapshot(t, g, "")
	if strings.Contains(graph, marker) || strings.Contains(graph, passwd) {
		t.Errorf("the graph holds the secret file's or /etc/passwd's content")
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server fetched %d URLs", n)
	}
	g.stop()
	if logs := g.logs.String(); strings.Contains(logs, marker) {
		t.Errorf("the log holds the secret")
	}
	t.Logf("%d of %d hostile inputs loaded; 0 fetches, the secret nowhere", loaded, len(inputs))
}
