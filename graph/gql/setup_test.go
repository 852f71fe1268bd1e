package gql_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/graph/gql"
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/all"
	"github.com/provgraph/provgraph/provenance"
)

const seeds = "../../testdata/seeds"

// newIngester returns the extraction pipeline graphd load uses.
func newIngester(t testing.TB) *loaders.Ingester {
	t.Helper()
	in, err := all.Ingester()
	if err != nil {
		t.Fatal(err)
	}
	return in
}

var (
	seedOnce   sync.Once
	seedGraphs []*graph.DocGraph
	seedErr    error
)

// seedDocs extracts and links the seeds once per test binary, as graphd
// load does.
func seedDocs(t testing.TB) []*graph.DocGraph {
	t.Helper()
	seedOnce.Do(func() {
		in := newIngester(t)
		ctx := context.Background()
		// One batch: the linker sees the documents linked before each
		// through its own index, as it does within a batch of graphd load.
		linker := provenance.New(nil)
		seedErr = all.Default().Read(ctx, []string{seeds}, loaders.ReadOptions{}, func(rec loaders.Record) error {
			if rec.Err != nil {
				return rec.Err
			}
			dg, _, err := in.Graph(ctx, rec.Doc)
			if err != nil {
				return err
			}
			if err := linker.Link(ctx, dg); err != nil {
				return err
			}
			seedGraphs = append(seedGraphs, dg)
			return nil
		})
	})
	if seedErr != nil {
		t.Fatal(seedErr)
	}
	return seedGraphs
}

// newStore returns a fresh in-memory store holding docs.
func newStore(t testing.TB, docs ...*graph.DocGraph) *cayleystore.Store {
	t.Helper()
	s, err := cayleystore.Open(context.Background(), cayleystore.Options{Backend: cayleystore.Memory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if len(docs) > 0 {
		if _, err := s.Put(context.Background(), docs...); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// server is a GraphQL handler over a store, with its log.
type server struct {
	r   *gql.Resolver
	c   *client.Client
	h   http.Handler
	log *bytes.Buffer
}

func newServer(t testing.TB, s gql.Store, opt gql.Options, copts ...client.Option) *server {
	t.Helper()
	var buf bytes.Buffer
	r := &gql.Resolver{
		Store:    s,
		Formats:  all.Default(),
		Ingester: newIngester(t),
		Logger:   slog.New(slog.NewTextHandler(&syncWriter{w: &buf}, nil)),
	}
	h := gql.NewHandler(r, opt)
	return &server{r: r, c: client.New(h, copts...), h: h, log: &buf}
}

// seeded returns a server over the seeds.
func seeded(t testing.TB) *server {
	t.Helper()
	return newServer(t, newStore(t, seedDocs(t)...), gql.Options{})
}

type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// query posts a query and fails the test on any error.
func (s *server) query(t testing.TB, q string, out any, opts ...client.Option) {
	t.Helper()
	if err := s.c.Post(q, out, opts...); err != nil {
		t.Fatalf("query failed: %v\n%s", err, q)
	}
}

// gqlError is one error of a response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// errorsOf posts a query that must fail and returns its errors.
func (s *server) errorsOf(t testing.TB, q string, opts ...client.Option) []gqlError {
	t.Helper()
	resp, err := s.c.RawPost(q, opts...)
	if err != nil {
		// Parse and validation errors come with an HTTP error status.
		var body struct {
			Errors []gqlError `json:"errors"`
		}
		msg := err.Error()
		if i := bytes.IndexByte([]byte(msg), '{'); i >= 0 && json.Unmarshal([]byte(msg[i:]), &body) == nil && len(body.Errors) > 0 {
			return body.Errors
		}
		t.Fatalf("request failed: %v", err)
	}
	var errs []gqlError
	if len(resp.Errors) == 0 || json.Unmarshal(resp.Errors, &errs) != nil || len(errs) == 0 {
		t.Fatalf("query succeeded, want an error: %v\n%s", resp.Data, q)
	}
	return errs
}
