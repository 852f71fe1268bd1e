package cayleystore_test

import (
	"context"
	"testing"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/graph/storetest"
)

func TestMemoryReader(t *testing.T) {
	storetest.RunReader(t, func(t testing.TB) storetest.ReaderStore {
		s, err := cayleystore.Open(context.Background(), cayleystore.Options{Backend: cayleystore.Memory})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestBadgerReader(t *testing.T) {
	storetest.RunReader(t, func(t testing.TB) storetest.ReaderStore { return openBadger(t, t.TempDir()) })
}

// TestMemoryFindStatementsMany reads statement dates from the date nodes,
// as it does for more than a few thousand statements.
func TestMemoryFindStatementsMany(t *testing.T) {
	ctx := context.Background()
	s, err := cayleystore.Open(ctx, cayleystore.Options{Backend: cayleystore.Memory})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var docs []*graph.DocGraph
	want := 0
	for n := 0; n < 450; n++ {
		dg := storetest.Sample(n, storetest.SampleOptions{})
		if dg.Document.Published.Value >= "2023-06" {
			want += len(dg.Statements)
		}
		docs = append(docs, dg)
	}
	if _, err := s.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindStatements(ctx, graph.StatementFilter{From: "2023-06"}, graph.Page{Limit: 3000})
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != want {
		t.Fatalf("%d statements from June, want %d", got.Total, want)
	}
	sts, err := s.StatementsByID(ctx, got.IDs)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(sts); i++ {
		if sts[i].Date.Value < sts[i-1].Date.Value {
			t.Fatalf("statement %d dated %s after one dated %s", i, sts[i].Date.Value, sts[i-1].Date.Value)
		}
	}
}

// BenchmarkReaderPage reads pages of 100 statements (the list, then the
// statements) from a Badger store of 2,000 sample documents (10,000
// statements by 50 speakers).
func BenchmarkReaderPage(b *testing.B) {
	ctx := context.Background()
	s := openBadger(b, b.TempDir())
	defer s.Close()
	var docs []*graph.DocGraph
	for n := 0; n < 2000; n++ {
		docs = append(docs, storetest.Sample(n, storetest.SampleOptions{}))
	}
	if _, err := s.Put(ctx, docs...); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    graph.StatementFilter
	}{
		{"all", graph.StatementFilter{}},
		{"actor", graph.StatementFilter{Actor: graph.ActorID("Speaker 7")}},
		{"document", graph.StatementFilter{Document: docs[1000].Document.ID}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				pg, err := s.FindStatements(ctx, c.f, graph.Page{Offset: 100, Limit: 100})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.StatementsByID(ctx, pg.IDs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
