package main

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/provgraph/provgraph/graph"
)

// TestExportMatchesStats loads the seeds with graphd load and checks that
// graphd export's GraphML, GEXF and Cytoscape.js JSON, read back with
// standard parsers, hold the node and edge totals graphd stats reports.
func TestExportMatchesStats(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: loads the seeds")
	}
	data := t.TempDir()
	mustRun(t, data, "load", "--quiet", seeds)
	var st struct{ NodeTotal, EdgeTotal int }
	if err := json.Unmarshal([]byte(mustRun(t, data, "stats", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	if st.NodeTotal == 0 || st.EdgeTotal == 0 {
		t.Fatalf("stats: %+v", st)
	}
	for _, tc := range []struct {
		format string
		count  func(t *testing.T, out []byte) (nodes, edges int)
	}{
		{"graphml", func(t *testing.T, out []byte) (int, int) {
			var g struct {
				Graph struct {
					Nodes []struct{} `xml:"node"`
					Edges []struct{} `xml:"edge"`
				} `xml:"graph"`
			}
			if err := xml.Unmarshal(out, &g); err != nil {
				t.Fatal(err)
			}
			return len(g.Graph.Nodes), len(g.Graph.Edges)
		}},
		{"gexf", func(t *testing.T, out []byte) (int, int) {
			var g struct {
				Graph struct {
					Nodes []struct{} `xml:"nodes>node"`
					Edges []struct{} `xml:"edges>edge"`
				} `xml:"graph"`
			}
			if err := xml.Unmarshal(out, &g); err != nil {
				t.Fatal(err)
			}
			return len(g.Graph.Nodes), len(g.Graph.Edges)
		}},
		{"cytoscape", func(t *testing.T, out []byte) (int, int) {
			var g struct {
				Elements struct{ Nodes, Edges []json.RawMessage }
			}
			if err := json.Unmarshal(out, &g); err != nil {
				t.Fatal(err)
			}
			return len(g.Elements.Nodes), len(g.Elements.Edges)
		}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			n, e := tc.count(t, []byte(mustRun(t, data, "export", "--format", tc.format)))
			if n != st.NodeTotal || e != st.EdgeTotal {
				t.Errorf("%s: %d nodes, %d edges; graphd stats: %d, %d", tc.format, n, e, st.NodeTotal, st.EdgeTotal)
			}
		})
	}
	t.Run("neighbourhood", func(t *testing.T) {
		out := mustRun(t, data, "export", "--format", "cytoscape", "--ids", string(graph.ActorID("Ilham Aliyev")), "--depth", "1")
		if !strings.Contains(out, `"said"`) || strings.Count(out, `"kind":"Actor"`) < 1 {
			t.Errorf("no actor and said edges in %.300s", out)
		}
	})
	t.Run("unknown format", func(t *testing.T) {
		if _, _, err := run(t, data, "export", "--format", "dot"); err == nil || !strings.Contains(err.Error(), "graphml") {
			t.Errorf("err = %v, want the list of formats", err)
		}
	})
}

// TestServeExploreAndExport checks that graphd serve mounts the explorer
// page and the exports, and that documents' text needs the token.
func TestServeExploreAndExport(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: loads the seeds")
	}
	h, _ := seededServer(t, ServeConfig{Token: "sesame"})
	for _, tc := range []struct {
		name, target, auth string
		status             int
		contains           string
	}{
		{"explorer", "/explore/", "", 200, `id="graph"`},
		{"explorer without slash", "/explore", "", http.StatusMultipleChoices, ""}, // any redirect
		{"script", "/explore/explore.js", "", 200, "cytoscape"},
		{"gexf", "/export?format=gexf", "", 200, "<gexf"},
		{"jsonld", "/export?format=jsonld", "", 200, "prov:wasAttributedTo"},
		{"text needs the token", "/export?format=graphml&text=1", "", 401, ""},
		{"text with the token", "/export?format=graphml&text=1", "Bearer sesame", 200, "<graphml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tc.target, nil)
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status && !(tc.status == http.StatusMultipleChoices && rec.Code/100 == 3) {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if !strings.Contains(rec.Body.String(), tc.contains) {
				t.Errorf("the body lacks %q", tc.contains)
			}
		})
	}
}
