package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/jsonld"
	"github.com/cayleygraph/quad/nquads"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/graph/export"
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/all"
	"github.com/provgraph/provgraph/provenance"
)

const seeds = "../../testdata/seeds"

var (
	seedOnce  sync.Once
	seedStore *cayleystore.Store
	seedErr   error
)

// seeded returns an in-memory store holding the seeds, loaded and linked
// as graphd load does; it is shared by the tests, which only read it.
func seeded(t *testing.T) *cayleystore.Store {
	t.Helper()
	if testing.Short() {
		t.Skip("loads the seeds through the whole pipeline")
	}
	seedOnce.Do(func() {
		ctx := context.Background()
		in, err := all.Ingester()
		if err != nil {
			seedErr = err
			return
		}
		s, err := cayleystore.Open(ctx, cayleystore.Options{Backend: cayleystore.Memory})
		if err != nil {
			seedErr = err
			return
		}
		link := provenance.New(s)
		seedErr = all.Default().Read(ctx, []string{seeds}, loaders.ReadOptions{}, func(rec loaders.Record) error {
			if rec.Err != nil {
				return rec.Err
			}
			dg, _, err := in.Graph(ctx, rec.Doc)
			if err != nil {
				return err
			}
			if err := link.Link(ctx, dg); err != nil {
				return err
			}
			_, err = s.Put(ctx, dg)
			return err
		})
		link.Flush()
		seedStore = s
	})
	if seedErr != nil {
		t.Fatal(seedErr)
	}
	return seedStore
}

func write(t *testing.T, s export.Source, format string, opt export.Options) []byte {
	t.Helper()
	f, err := export.ByName(format)
	if err != nil {
		t.Fatal(err)
	}
	g, err := export.Collect(context.Background(), s, opt)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Write(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type graphML struct {
	Keys []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"name,attr"`
	} `xml:"key"`
	Graph struct {
		Nodes []struct {
			ID   string `xml:"id,attr"`
			Data []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			ID     string `xml:"id,attr"`
			Source string `xml:"source,attr"`
			Target string `xml:"target,attr"`
			Data   []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

type gexf struct {
	Version string `xml:"version,attr"`
	Graph   struct {
		Nodes struct {
			Count int `xml:"count,attr"`
			Node  []struct {
				ID    string `xml:"id,attr"`
				Label string `xml:"label,attr"`
			} `xml:"node"`
		} `xml:"nodes"`
		Edges struct {
			Count int `xml:"count,attr"`
			Edge  []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
				Label  string `xml:"label,attr"`
			} `xml:"edge"`
		} `xml:"edges"`
	} `xml:"graph"`
}

type cyjs struct {
	Elements struct {
		Nodes []struct{ Data map[string]any } `json:"nodes"`
		Edges []struct{ Data map[string]any } `json:"edges"`
	} `json:"elements"`
}

// parseXML decodes b strictly, token by token first so that any
// well-formedness error is reported, then into v.
func parseXML(t *testing.T, b []byte, v any) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
	if err := xml.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// TestTotalsMatchStats checks that GraphML, GEXF and Cytoscape.js JSON of
// the seeds hold the nodes and edges graphd stats counts, that every edge
// joins two of the nodes, and each node kind's count.
func TestTotalsMatchStats(t *testing.T) {
	s := seeded(t)
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.NodeTotal == 0 || st.EdgeTotal == 0 {
		t.Fatalf("stats: %d nodes, %d edges", st.NodeTotal, st.EdgeTotal)
	}
	t.Logf("stats: %d nodes, %d edges", st.NodeTotal, st.EdgeTotal)

	t.Run("graphml", func(t *testing.T) {
		var g graphML
		parseXML(t, write(t, s, export.GraphML, export.Options{}), &g)
		if int64(len(g.Graph.Nodes)) != st.NodeTotal || int64(len(g.Graph.Edges)) != st.EdgeTotal {
			t.Errorf("GraphML has %d nodes and %d edges; stats counts %d and %d", len(g.Graph.Nodes), len(g.Graph.Edges), st.NodeTotal, st.EdgeTotal)
		}
		ids := make(map[string]bool)
		kinds := make(map[string]int64)
		for _, n := range g.Graph.Nodes {
			ids[n.ID] = true
			for _, d := range n.Data {
				if d.Key == "n_kind" {
					kinds[d.Value]++
				}
			}
		}
		for _, nt := range graph.NodeTypes {
			if kinds[nt.Kind] != st.Nodes[nt.Kind] {
				t.Errorf("GraphML has %d %s nodes; stats counts %d", kinds[nt.Kind], nt.Kind, st.Nodes[nt.Kind])
			}
		}
		edgeKinds := make(map[string]int64)
		for _, e := range g.Graph.Edges {
			if !ids[e.Source] || !ids[e.Target] {
				t.Errorf("edge %s joins %q and %q, not both nodes", e.ID, e.Source, e.Target)
			}
			for _, d := range e.Data {
				if d.Key == "e_kind" {
					edgeKinds[d.Value]++
				}
			}
		}
		for k, n := range st.Edges {
			if edgeKinds[k] != n {
				t.Errorf("GraphML has %d %s edges; stats counts %d", edgeKinds[k], k, n)
			}
		}
	})
	t.Run("gexf", func(t *testing.T) {
		var g gexf
		parseXML(t, write(t, s, export.GEXF, export.Options{}), &g)
		if g.Version != "1.3" {
			t.Errorf("version %q", g.Version)
		}
		if int64(len(g.Graph.Nodes.Node)) != st.NodeTotal || int64(len(g.Graph.Edges.Edge)) != st.EdgeTotal {
			t.Errorf("GEXF has %d nodes and %d edges; stats counts %d and %d", len(g.Graph.Nodes.Node), len(g.Graph.Edges.Edge), st.NodeTotal, st.EdgeTotal)
		}
		if g.Graph.Nodes.Count != len(g.Graph.Nodes.Node) || g.Graph.Edges.Count != len(g.Graph.Edges.Edge) {
			t.Errorf("count attributes %d, %d disagree with the elements", g.Graph.Nodes.Count, g.Graph.Edges.Count)
		}
		ids := make(map[string]bool)
		for _, n := range g.Graph.Nodes.Node {
			ids[n.ID] = true
		}
		for _, e := range g.Graph.Edges.Edge {
			if !ids[e.Source] || !ids[e.Target] {
				t.Errorf("edge %s %s %s joins a missing node", e.Source, e.Label, e.Target)
			}
		}
	})
	t.Run("cytoscape", func(t *testing.T) {
		var g cyjs
		if err := json.Unmarshal(write(t, s, export.Cytoscape, export.Options{}), &g); err != nil {
			t.Fatal(err)
		}
		if int64(len(g.Elements.Nodes)) != st.NodeTotal || int64(len(g.Elements.Edges)) != st.EdgeTotal {
			t.Errorf("Cytoscape.js JSON has %d nodes and %d edges; stats counts %d and %d", len(g.Elements.Nodes), len(g.Elements.Edges), st.NodeTotal, st.EdgeTotal)
		}
		ids := make(map[any]bool)
		for _, n := range g.Elements.Nodes {
			ids[n.Data["id"]] = true
		}
		for _, e := range g.Elements.Edges {
			if !ids[e.Data["source"]] || !ids[e.Data["target"]] || e.Data["id"] == nil {
				t.Errorf("edge %v joins a missing node", e.Data["id"])
			}
		}
	})
}

// readQuads parses RDF with one of Cayley's quad readers and returns its
// triples (graph labels dropped) as sorted N-Triples lines.
func readQuads(t *testing.T, r quad.Reader) []string {
	t.Helper()
	var out []string
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		q.Label = nil
		// Compare values, not spellings: a simple literal is an
		// xsd:string (RDF 1.1), and the JSON-LD reader turns typed
		// literals of known types into Cayley's native values.
		if ts, ok := q.Object.(quad.TypedString); ok {
			if ts.Type == "http://www.w3.org/2001/XMLSchema#string" {
				q.Object = ts.Value
			} else if v, err := ts.ParseValue(); err == nil {
				q.Object = v
			}
		}
		out = append(out, q.NQuad())
	}
	sort.Strings(out)
	return compactLines(out)
}

func compactLines(s []string) []string {
	var out []string
	for i, l := range s {
		if i == 0 || l != s[i-1] {
			out = append(out, l)
		}
	}
	return out
}

// TestRDF parses the N-Quads and the JSON-LD of the seeds back with
// Cayley's quad readers (the JSON-LD one expands the context with a
// JSON-LD processor, linkeddata/gojsonld) and checks that both hold the
// same triples, with the PROV-O terms the package documents. The JSON-LD
// is not read with piprate/json-gold: its v0.9.1 requires
// cayleygraph/quad v1.3.0, whose pquads moved to another protobuf library
// under the stores Cayley v0.7.7 builds, a change the store must not take
// for a test.
func TestRDF(t *testing.T) {
	s := seeded(t)
	nq := write(t, s, export.NQuads, export.Options{})
	jl := write(t, s, export.JSONLD, export.Options{})
	fromNQ := readQuads(t, nquads.NewReader(bytes.NewReader(nq), true))
	fromJL := readQuads(t, jsonld.NewReader(bytes.NewReader(jl)))
	if len(fromNQ) == 0 {
		t.Fatal("no quads")
	}
	if strings.Join(fromNQ, "\n") != strings.Join(fromJL, "\n") {
		a, b := make(map[string]bool), make(map[string]bool)
		for _, l := range fromNQ {
			a[l] = true
		}
		for _, l := range fromJL {
			b[l] = true
		}
		n := 0
		for _, l := range fromNQ {
			if !b[l] && n < 5 {
				t.Errorf("only in N-Quads: %s", l)
				n++
			}
		}
		for _, l := range fromJL {
			if !a[l] && n < 10 {
				t.Errorf("only in JSON-LD: %s", l)
				n++
			}
		}
		t.Fatalf("N-Quads give %d triples, JSON-LD %d", len(fromNQ), len(fromJL))
	}
	all := string(nq)
	for _, want := range []string{
		"<http://www.w3.org/ns/prov#wasAttributedTo>",
		"<http://www.w3.org/ns/prov#qualifiedAttribution>",
		"<http://www.w3.org/ns/prov#Agent>",
		"<https://provgraph.org/ns#disputes> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> <http://www.w3.org/ns/prov#wasInfluencedBy>",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the N-Quads have no %s", want)
		}
	}
	if !strings.Contains(all, "<http://www.w3.org/ns/prov#wasQuotedFrom>") && !strings.Contains(all, "<http://www.w3.org/ns/prov#wasDerivedFrom>") {
		t.Errorf("no cited edge written as prov:wasQuotedFrom or prov:wasDerivedFrom")
	}
	if strings.Contains(all, "<https://provgraph.org/ns#text> \"") && strings.Contains(all, "ns#Document>") {
		// Statements and claims have text; documents' text must not be
		// there without Options.Text.
		g, _ := export.Collect(context.Background(), s, export.Options{})
		for _, n := range g.Nodes {
			if n.Document != nil && n.Document.Text != "" {
				t.Errorf("document %s has its text without Options.Text", n.ID)
			}
		}
	}
}

// TestNeighbourhood exports the part of the graph around one actor and
// checks it against the GraphQL subgraph's rules: the start node, its
// neighbours, edges only between returned nodes, the limit.
func TestNeighbourhood(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	page, err := s.FindActors(ctx, "Aliyev", graph.Page{Limit: 1})
	if err != nil || len(page.IDs) == 0 {
		t.Fatalf("no actor Aliyev: %v", err)
	}
	start := page.IDs[0]
	for _, tc := range []struct {
		name  string
		opt   export.Options
		check func(t *testing.T, g *export.Graph)
	}{
		{"depth 0", export.Options{IDs: []graph.ID{start}, Depth: 0}, func(t *testing.T, g *export.Graph) {
			if len(g.Nodes) != 1 || g.Nodes[0].ID != start || len(g.Edges) != 0 {
				t.Errorf("got %d nodes, %d edges", len(g.Nodes), len(g.Edges))
			}
		}},
		{"depth 1", export.Options{IDs: []graph.ID{start}, Depth: 1}, func(t *testing.T, g *export.Graph) {
			if len(g.Nodes) < 2 || len(g.Edges) == 0 {
				t.Fatalf("got %d nodes, %d edges", len(g.Nodes), len(g.Edges))
			}
			for _, e := range g.Edges {
				if e.Kind == "said" && e.From == start && e.Evidence == nil {
					t.Errorf("said edge %s has no evidence", e.ID())
				}
			}
		}},
		{"limit", export.Options{IDs: []graph.ID{start}, Depth: 2, Limit: 3}, func(t *testing.T, g *export.Graph) {
			if len(g.Nodes) > 3 || !g.Truncated {
				t.Errorf("got %d nodes, truncated %v", len(g.Nodes), g.Truncated)
			}
		}},
		{"unknown ID", export.Options{IDs: []graph.ID{graph.ActorID("Nobody At All")}, Depth: 1}, func(t *testing.T, g *export.Graph) {
			if len(g.Nodes) != 0 || len(g.Edges) != 0 {
				t.Errorf("got %d nodes", len(g.Nodes))
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := export.Collect(ctx, s, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			in := make(map[graph.ID]bool)
			for _, n := range g.Nodes {
				in[n.ID] = true
			}
			for _, e := range g.Edges {
				if !in[e.From] || !in[e.To] {
					t.Errorf("edge %s leaves the subgraph", e.ID())
				}
			}
			tc.check(t, g)
		})
	}
	if _, err := export.Collect(ctx, s, export.Options{IDs: []graph.ID{start}, Depth: 9}); err == nil {
		t.Error("depth 9 accepted")
	}
}

// TestHandler checks /export: formats, the neighbourhood, bad requests,
// and that documents' text needs the token.
func TestHandler(t *testing.T) {
	s := seeded(t)
	h := export.NewHandler(s, export.HandlerOptions{Token: "sesame"})
	get := func(target string, header map[string]string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for _, tc := range []struct {
		name, target string
		header       map[string]string
		status       int
		contentType  string
	}{
		{"graphml", "/export?format=graphml", nil, 200, "application/graphml+xml"},
		{"gexf", "/export?format=gexf", nil, 200, "application/gexf+xml"},
		{"cytoscape", "/export?format=cytoscape", nil, 200, "application/json"},
		{"jsonld", "/export?format=jsonld", nil, 200, "application/ld+json"},
		{"nquads by extension", "/export?format=nq", nil, 200, "application/n-quads"},
		{"neighbourhood", "/export?format=cytoscape&id=" + url.QueryEscape(string(graph.ActorID("Ilham Aliyev"))) + "&depth=1", nil, 200, "application/json"},
		{"ids list", "/export?format=graphml&depth=0&ids=" + url.QueryEscape(string(graph.ActorID("Ilham Aliyev"))+","+string(graph.ActorID("Peter Tase"))), nil, 200, "application/graphml+xml"},
		{"no format", "/export", nil, 400, ""},
		{"bad depth", "/export?format=gexf&id=x&depth=7", nil, 400, ""},
		{"text without token", "/export?format=graphml&text=1", nil, 401, ""},
		{"text with wrong token", "/export?format=graphml&text=1", map[string]string{"Authorization": "Bearer nope"}, 401, ""},
		{"text with token", "/export?format=graphml&text=1", map[string]string{"Authorization": "Bearer sesame"}, 200, "application/graphml+xml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(tc.target, tc.header)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body.String())
			}
			if tc.contentType != "" && !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.contentType) {
				t.Errorf("Content-Type %q", rec.Header().Get("Content-Type"))
			}
		})
	}
	var g graphML
	parseXML(t, get("/export?format=graphml&depth=0&ids="+url.QueryEscape(string(graph.ActorID("Ilham Aliyev"))+","+string(graph.ActorID("Peter Tase"))), nil).Body.Bytes(), &g)
	if len(g.Graph.Nodes) != 2 {
		t.Errorf("two IDs at depth 0 gave %d nodes", len(g.Graph.Nodes))
	}
	with := get("/export?format=graphml&text=1", map[string]string{"Authorization": "Bearer sesame"}).Body.Len()
	without := get("/export?format=graphml", nil).Body.Len()
	if with <= without {
		t.Errorf("the export with text (%d bytes) is not longer than without (%d)", with, without)
	}
}
