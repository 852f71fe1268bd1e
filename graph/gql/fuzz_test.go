package gql_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/provgraph/provgraph/graph/gql"
)

// FuzzRequest posts arbitrary queries and variables to the GraphQL
// endpoint over the seeds, read-only, and checks that every answer is a
// JSON response (data or errors), never a panic, a hang or an internal
// error's details.
func FuzzRequest(f *testing.F) {
	for _, q := range []string{
		`{ provenance(claim: "10,000 servicemen", first: 3) { score first { text speaker { name } date { iso } } } }`,
		`query($n: String!) { actor(name: $n) { name aliases } }`,
		`{ statements(first: 100) { totalCount edges { node { text document { title } } } } }`,
		`{ subgraph(ids: ["x"], depth: 3) { nodes { id } edges { kind } } }`,
		`{ a: node(id: "") { id } b: documents(first: -1) { totalCount } }`,
		`mutation { deleteDocument(id: "x") }`,
		`{ __schema { types { name } } }`,
		`{{{{`,
	} {
		f.Add(q, `{"n": "Blinken"}`)
	}
	s := newServer(f, newStore(f, seedDocs(f)...), gql.Options{ReadOnly: true})
	f.Fuzz(func(t *testing.T, query, vars string) {
		body := map[string]any{"query": query}
		var v map[string]any
		if json.Unmarshal([]byte(vars), &v) == nil {
			body["variables"] = v
		}
		b, _ := json.Marshal(body)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		s.h.ServeHTTP(w, req)
		if ctx.Err() != nil {
			t.Fatalf("no answer within 10 s to %q", query)
		}
		var resp struct {
			Data   json.RawMessage `json:"data"`
			Errors []gqlError      `json:"errors"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatalf("status %d, not a JSON response (%v): %.200s", w.Code, err, w.Body.String())
		}
		for _, e := range resp.Errors {
			if strings.Contains(e.Message, "goroutine") || strings.Contains(e.Message, ".go:") {
				t.Fatalf("an error shows internals: %q", e.Message)
			}
		}
	})
}
