package gql_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/gql"
	"github.com/provgraph/provgraph/graph/storetest"
)

// TestPagePartsMatchNodes checks that a page of statements, whose
// statements and documents are read with only the fields the query
// selects, shows what the same selection shows of each statement looked up
// alone, which reads it whole.
func TestPagePartsMatchNodes(t *testing.T) {
	docs := append(seedDocs(t), storetest.QueryFixture()...)
	for n := 0; n < 6; n++ {
		docs = append(docs, storetest.Sample(n, storetest.SampleOptions{Actors: 4, DisputePrevious: true}))
	}
	s := newServer(t, newStore(t, docs...), gql.Options{})
	for _, c := range []struct{ name, sel string }{
		{"page of the benchmark", `text date { iso } speaker { name } document { title url }`},
		{"own fields", `id kind cue source text dateSource rule confidence claim { id text } places { name } dates { iso precision }`},
		{"spans", `span { start end text } contentSpans { text } cueSpans { start text } sentence { text } document { title }`},
		{"edges", `speaker { name saidCount } citedBy { id text } disputedBy { id } cites { id } disputes { id } document { text }`},
		{"evidence", `speaker { name } edges(direction: IN) { kind source { ... on Actor { name } ... on Document { title } } evidence { confidence document { title } span { text } } }`},
		{"fragments and aliases", `... on Node { id } ...st a: document { title } b: document { url publisher authors published { iso } source format }`},
		{"typename only", `__typename`},
	} {
		t.Run(c.name, func(t *testing.T) {
			frag := ""
			if strings.Contains(c.sel, "...st") {
				frag = "fragment st on Statement { k: kind }"
			}
			var page struct {
				Statements struct {
					Edges []struct{ Node map[string]any }
				}
			}
			s.query(t, fmt.Sprintf(`{ statements(first: 40) { edges { node { %s } } } } %s`, c.sel, frag), &page)
			var ids struct {
				Statements struct {
					Edges []struct{ Node struct{ ID graph.ID } }
				}
			}
			s.query(t, `{ statements(first: 40) { edges { node { id } } } }`, &ids)
			if len(page.Statements.Edges) != len(ids.Statements.Edges) || len(ids.Statements.Edges) < 40 {
				t.Fatalf("%d statements in the page, %d IDs", len(page.Statements.Edges), len(ids.Statements.Edges))
			}
			for i, e := range ids.Statements.Edges {
				var one struct{ Statement map[string]any }
				s.query(t, fmt.Sprintf(`query($id: ID!) { statement(id: $id) { %s } } %s`, c.sel, frag), &one, client.Var("id", e.Node.ID))
				if got := page.Statements.Edges[i].Node; !reflect.DeepEqual(got, one.Statement) {
					t.Errorf("%s in a page:\n%v\nalone:\n%v", e.Node.ID, got, one.Statement)
				}
			}
		})
	}
}
