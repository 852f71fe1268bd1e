package gql_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/graph/gql"
	"github.com/provgraph/provgraph/graph/storetest"
)

// nested returns a valid query whose selections nest depth levels.
func nested(depth int) string {
	var b strings.Builder
	b.WriteString("{ ")
	open := 0
	for level := 0; level < depth-1; level++ {
		switch level % 4 {
		case 0:
			b.WriteString("statements(first: 1) { ")
		case 1:
			b.WriteString("edges { ")
		case 2:
			b.WriteString("node { ")
		case 3:
			b.WriteString("document { ")
		}
		open++
	}
	b.WriteString("id ")
	for ; open > 0; open-- {
		b.WriteString("} ")
	}
	b.WriteString("}")
	return b.String()
}

func TestLimits(t *testing.T) {
	s := seeded(t)
	var aliases strings.Builder
	aliases.WriteString("{ ")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&aliases, "a%d: __typename ", i)
	}
	aliases.WriteString("}")
	for _, c := range []struct {
		name, query, want, code string
	}{
		{"20 levels deep", nested(20), "the query nests 20 levels deep; the limit is 12", gql.CodeTooComplex},
		{"10,000 aliased fields", aliases.String(), "token limit", ""},
		{"complexity", `{ documents(first: 100) { edges { node { statements(first: 100) { edges { node { id text } } } } } } }`, "exceeds the limit", gql.CodeTooComplex},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			errs := s.errorsOf(t, c.query)
			if el := time.Since(start); el > 100*time.Millisecond {
				t.Errorf("rejected in %v, want under 100 ms", el)
			}
			if !strings.Contains(errs[0].Message, c.want) {
				t.Errorf("error %q, want it to say %q", errs[0].Message, c.want)
			}
			if c.code != "" && errs[0].Extensions["code"] != c.code {
				t.Errorf("error code %v, want %s", errs[0].Extensions["code"], c.code)
			}
		})
	}
	// Twelve levels are served, and introspection is not counted.
	var r map[string]any
	s.query(t, nested(12), &r)
	s.query(t, `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }`, &r)
}

// counting counts the batch reads that reach the store, and apart the
// reads of whole statements and documents and of edges with their
// evidence.
type counting struct {
	*cayleystore.Store
	reads, whole atomic.Int64
}

func (c *counting) StatementsByID(ctx context.Context, ids []graph.ID) ([]*graph.Statement, error) {
	c.reads.Add(1)
	c.whole.Add(1)
	return c.Store.StatementsByID(ctx, ids)
}
func (c *counting) ActorsByID(ctx context.Context, ids []graph.ID) ([]*graph.Actor, error) {
	c.reads.Add(1)
	return c.Store.ActorsByID(ctx, ids)
}
func (c *counting) DocumentsByID(ctx context.Context, ids []graph.ID) ([]*graph.Document, error) {
	c.reads.Add(1)
	c.whole.Add(1)
	return c.Store.DocumentsByID(ctx, ids)
}
func (c *counting) ClaimsByID(ctx context.Context, ids []graph.ID) ([]*graph.Claim, error) {
	c.reads.Add(1)
	return c.Store.ClaimsByID(ctx, ids)
}
func (c *counting) PlacesByID(ctx context.Context, ids []graph.ID) ([]*graph.Place, error) {
	c.reads.Add(1)
	return c.Store.PlacesByID(ctx, ids)
}
func (c *counting) StatementParts(ctx context.Context, ids []graph.ID, want graph.StatementFields) ([]*graph.Statement, error) {
	c.reads.Add(1)
	return c.Store.StatementParts(ctx, ids, want)
}
func (c *counting) DocumentParts(ctx context.Context, ids []graph.ID, want graph.DocumentFields) ([]*graph.Document, error) {
	c.reads.Add(1)
	return c.Store.DocumentParts(ctx, ids, want)
}
func (c *counting) Speakers(ctx context.Context, ids []graph.ID) ([]graph.ID, error) {
	c.reads.Add(1)
	return c.Store.Speakers(ctx, ids)
}
func (c *counting) FindStatements(ctx context.Context, f graph.StatementFilter, p graph.Page) (graph.IDPage, error) {
	c.reads.Add(1)
	return c.Store.FindStatements(ctx, f, p)
}
func (c *counting) EdgesOf(ctx context.Context, ids []graph.ID, dir graph.Direction, kinds ...graph.EdgeKind) ([][]graph.Edge, error) {
	c.reads.Add(1)
	c.whole.Add(1)
	return c.Store.EdgesOf(ctx, ids, dir, kinds...)
}
func (c *counting) Degrees(ctx context.Context, ids []graph.ID, dir graph.Direction, kind graph.EdgeKind) ([]int, error) {
	c.reads.Add(1)
	return c.Store.Degrees(ctx, ids, dir, kind)
}

// TestPageReadsAreBounded loads a page of 100 statements with their
// speakers and documents: the store is read once per kind of node, not once
// per statement, however the resolvers are scheduled (the page resolver
// prefetches what the query selects, so no batch depends on the loaders'
// time window).
func TestPageReadsAreBounded(t *testing.T) {
	var docs []*graph.DocGraph
	for i := 0; i < 30; i++ {
		docs = append(docs, storetest.Sample(i, storetest.SampleOptions{Actors: 20}))
	}
	store := &counting{Store: newStore(t, docs...)}
	s := newServer(t, store, gql.Options{})
	for _, c := range []struct {
		name, query string
	}{
		{"fields", `{ statements(first: %d) { edges { node { text speaker { name saidCount } document { title } } } } }`},
		{"fragments and aliases", `{ statements(first: %d) { ...page } }
			fragment page on StatementConnection { edges { node { ... on Node { ...st } } } }
			fragment st on Statement { text who: speaker { name } speaker { saidCount } document { title } }`},
	} {
		for _, first := range []int{10, 100} {
			t.Run(fmt.Sprintf("%s/%d", c.name, first), func(t *testing.T) {
				store.reads.Store(0)
				store.whole.Store(0)
				var r struct {
					Statements struct {
						Edges []struct {
							Node struct {
								Text    string
								Who     *struct{ Name string }
								Speaker *struct {
									Name      string
									SaidCount int
								}
								Document struct{ Title string }
							}
						}
					}
				}
				s.query(t, fmt.Sprintf(c.query, first), &r)
				if len(r.Statements.Edges) != first {
					t.Fatalf("%d statements, want %d", len(r.Statements.Edges), first)
				}
				for _, e := range r.Statements.Edges {
					if e.Node.Speaker == nil || e.Node.Speaker.SaidCount == 0 || e.Node.Document.Title == "" {
						t.Fatalf("statement %+v", e.Node)
					}
				}
				// One read each: the list, the statements, their speakers,
				// the speakers' actors, their said counts, the documents.
				if n := store.reads.Load(); n > 6 {
					t.Errorf("a page of %d statements with speakers and documents took %d store reads, want at most 6", first, n)
				}
				// None of them whole: the page shows a statement's text,
				// not its every field, a document's title, not its text,
				// and who said it, not the evidence.
				if n := store.whole.Load(); n > 0 {
					t.Errorf("a page of %d statements read whole statements, documents or edges with evidence %d times, want none", first, n)
				}
			})
		}
	}
	// A page of actors with their statement counts: the actors, then the
	// counts (the list itself is not counted).
	store.reads.Store(0)
	var r map[string]any
	s.query(t, `{ actors(first: 100) { edges { node { name saidCount } } } }`, &r)
	if n := store.reads.Load(); n > 2 {
		t.Errorf("a page of actors with their counts took %d store reads, want at most 2", n)
	}
}

// failing is a store whose reads fail with a message that must not reach
// clients, or panic.
type failing struct {
	*cayleystore.Store
	panics bool
}

func (f *failing) FindStatements(ctx context.Context, _ graph.StatementFilter, _ graph.Page) (graph.IDPage, error) {
	if f.panics {
		panic("index out of range in /srv/secret/path.go")
	}
	return graph.IDPage{}, errors.New("badger: open /srv/secret/path: permission denied")
}

func TestInternalErrorsHidden(t *testing.T) {
	for _, panics := range []bool{false, true} {
		t.Run(fmt.Sprintf("panic %v", panics), func(t *testing.T) {
			s := newServer(t, &failing{Store: newStore(t), panics: panics}, gql.Options{})
			errs := s.errorsOf(t, `{ statements { totalCount } }`)
			e := errs[0]
			id, _ := e.Extensions["requestId"].(string)
			if e.Extensions["code"] != gql.CodeInternal || id == "" || e.Message != "internal error (request "+id+")" {
				t.Errorf("error %+v", e)
			}
			if strings.Contains(fmt.Sprint(errs), "secret") {
				t.Errorf("internal details reached the client: %+v", errs)
			}
			if log := s.log.String(); !strings.Contains(log, "secret") || !strings.Contains(log, id) {
				t.Errorf("the log lacks the error or its request ID:\n%s", log)
			}
		})
	}
	s := seeded(t)
	errs := s.errorsOf(t, `{ statements(filter: {kind: WHISPERED}) { totalCount } }`)
	if !strings.Contains(errs[0].Message, "WHISPERED") {
		t.Errorf("a validation error lost its message: %+v", errs)
	}
}
