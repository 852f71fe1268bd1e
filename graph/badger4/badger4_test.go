package badger4_test

import (
	"errors"
	"os"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	ckvtest "github.com/cayleygraph/cayley/graph/kv/kvtest"
	hkv "github.com/hidal-go/hidalgo/kv"
	"github.com/hidal-go/hidalgo/kv/flat"
	"github.com/hidal-go/hidalgo/kv/kvtest"

	"github.com/provgraph/provgraph/graph/badger4"
)

// TestMain runs the tests from testdata/, where Cayley's path conformance
// tests find data/testdata.nq (a copy of Cayley v0.7.7's file, which its
// loader looks up relative to the working directory).
func TestMain(m *testing.M) {
	if err := os.Chdir("testdata"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

func open(t testing.TB) *badger4.DB {
	t.Helper()
	opt := badger4.DefaultOptions()
	opt.SyncWrites = false
	db, err := badger4.Open(t.TempDir(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestHidalgoKV(t *testing.T) {
	kvtest.RunTestLocal(t, flat.UpgradeOpenPath(badger4.OpenPath))
}

func TestCayleyQuadStore(t *testing.T) {
	ckvtest.TestAll(t, func(t testing.TB) (hkv.KV, cgraph.Options, func()) {
		db := open(t)
		return flat.Upgrade(db), nil, func() { db.Close() }
	}, nil)
}

func TestSecondOpenIsRefused(t *testing.T) {
	dir := t.TempDir()
	db, err := badger4.Open(dir, badger4.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = badger4.Open(dir, badger4.DefaultOptions())
	if !errors.Is(err, badger4.ErrLocked) {
		t.Fatalf("second open: got %v, want ErrLocked", err)
	}
}

func TestRegisteredWithCayley(t *testing.T) {
	dir := t.TempDir()
	if err := cgraph.InitQuadStore(badger4.Name, dir, nil); err != nil {
		t.Fatal(err)
	}
	qs, err := cgraph.NewQuadStore(badger4.Name, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := qs.Close(); err != nil {
		t.Fatal(err)
	}
	if err := cgraph.InitQuadStore(badger4.Name, dir, nil); !errors.Is(err, cgraph.ErrDatabaseExists) {
		t.Fatalf("second init: got %v, want ErrDatabaseExists", err)
	}
}

func TestReadOnlyTx(t *testing.T) {
	db := open(t)
	defer db.Close()
	tx, err := db.Tx(false)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	if err := tx.Put(flat.Key("k"), flat.Value("v")); !errors.Is(err, flat.ErrReadOnly) {
		t.Fatalf("put in read-only tx: got %v", err)
	}
}
