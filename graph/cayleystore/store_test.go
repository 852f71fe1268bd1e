package cayleystore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/badger4"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/graph/storetest"
)

func TestMemory(t *testing.T) {
	storetest.Run(t, func(t testing.TB) graph.Store {
		s, err := cayleystore.Open(context.Background(), cayleystore.Options{Backend: cayleystore.Memory})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func openBadger(t testing.TB, dir string) *cayleystore.Store {
	t.Helper()
	bo := badger4.DefaultOptions()
	bo.SyncWrites = false
	s, err := cayleystore.Open(context.Background(), cayleystore.Options{Backend: cayleystore.Badger, Address: dir, Badger: &bo})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBadger(t *testing.T) {
	storetest.Run(t, func(t testing.TB) graph.Store { return openBadger(t, t.TempDir()) })
}

// TestBadgerSmallTransactions forces batches past Badger's transaction limit
// and checks that they are split rather than failed.
func TestBadgerSmallTransactions(t *testing.T) {
	bo := badger4.DefaultOptions()
	bo.SyncWrites = false
	bo.MemTableSize = 2 << 20 // transactions of at most ~300 KB
	s, err := cayleystore.Open(context.Background(), cayleystore.Options{
		Backend: cayleystore.Badger, Address: t.TempDir(), Badger: &bo, BatchQuads: 1 << 30,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var docs []*graph.DocGraph
	for i := 0; i < 300; i++ {
		docs = append(docs, storetest.Sample(i, storetest.SampleOptions{Statements: 8}))
	}
	out, err := s.Put(context.Background(), docs...)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(docs) {
		t.Fatalf("%d outcomes", len(out))
	}
	ids, _ := s.Documents(context.Background())
	if len(ids) != len(docs) {
		t.Fatalf("%d documents stored, want %d", len(ids), len(docs))
	}
}

func TestBadgerReopen(t *testing.T) {
	dir := t.TempDir()
	s := openBadger(t, dir)
	storetestPut(t, s, 0, 1, 2)
	before := storetest.Dump(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openBadger(t, dir)
	defer s.Close()
	if after := storetest.Dump(t, s); after != before {
		t.Errorf("dump differs after reopening")
	}
	out, err := s.Put(context.Background(), storetest.Sample(1, storetest.SampleOptions{}))
	if err != nil || out[0] != graph.Unchanged {
		t.Errorf("reloading after reopen: %v %v", out, err)
	}
}

func storetestPut(t *testing.T, s graph.Store, ns ...int) {
	t.Helper()
	for _, n := range ns {
		if _, err := s.Put(context.Background(), storetest.Sample(n, storetest.SampleOptions{})); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBadgerDocumentTooLarge writes a document whose graph exceeds one
// transaction: it alone fails, with ErrTooLarge, and the others are written.
func TestBadgerDocumentTooLarge(t *testing.T) {
	bo := badger4.DefaultOptions()
	bo.SyncWrites = false
	bo.MemTableSize = 2 << 20 // transactions of at most ~3,000 entries
	s, err := cayleystore.Open(context.Background(), cayleystore.Options{Backend: cayleystore.Badger, Address: t.TempDir(), Badger: &bo})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docs := []*graph.DocGraph{
		storetest.Sample(0, storetest.SampleOptions{}),
		storetest.Sample(1, storetest.SampleOptions{Statements: 300}),
		storetest.Sample(2, storetest.SampleOptions{}),
	}
	out, err := s.Put(context.Background(), docs...)
	if !errors.Is(err, graph.ErrTooLarge) {
		t.Fatalf("put: %v, want ErrTooLarge", err)
	}
	if len(out) != 3 || out[0] != graph.Loaded || out[1] != graph.Failed || out[2] != graph.Loaded {
		t.Fatalf("outcomes %v, want loaded, failed, loaded", out)
	}
	ids, _ := s.Documents(context.Background())
	if len(ids) != 2 {
		t.Errorf("%d documents stored, want 2", len(ids))
	}
	rep, err := s.Check(context.Background())
	if err != nil || len(rep.Problems) > 0 {
		t.Errorf("check: %v %v", err, rep.Problems)
	}
}
