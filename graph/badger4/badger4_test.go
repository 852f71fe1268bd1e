package badger4_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

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

// TestCachedReadsSeeCommits checks that the cache and the key filter never
// hide a committed write from a later transaction, nor show it to an
// earlier one.
func TestCachedReadsSeeCommits(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	defer db.Close()
	put := func(k, v string) {
		t.Helper()
		tx, err := db.Tx(true)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Put(flat.Key(k), flat.Value(v)); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	scan := func(tx flat.Tx, pref string) []string {
		t.Helper()
		it := tx.Scan(flat.Key(pref))
		defer it.Close()
		var out []string
		for it.Next(ctx) {
			out = append(out, string(it.Key())+"="+string(it.Val()))
		}
		if err := it.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	get := func(tx flat.Tx, k string) string {
		t.Helper()
		v, err := tx.Get(ctx, flat.Key(k))
		if errors.Is(err, flat.ErrNotFound) {
			return "-"
		} else if err != nil {
			t.Fatal(err)
		}
		return string(v)
	}
	put("a/1", "x")
	old, err := db.Tx(false)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	for i := 0; i < 2; i++ { // the second time from the cache
		if got := fmt.Sprint(scan(old, "a/")); got != "[a/1=x]" {
			t.Fatalf("scan %d: %s", i, got)
		}
		if got := get(old, "a/2"); got != "-" {
			t.Fatalf("get %d: %s", i, got)
		}
	}
	put("a/2", "y")
	put("a/1", "z")
	if got := fmt.Sprint(scan(old, "a/")); got != "[a/1=x]" {
		t.Fatalf("old snapshot after commits: %s", got)
	}
	if got := get(old, "a/2"); got != "-" {
		t.Fatalf("old snapshot after commits: a/2=%s", got)
	}
	tx, err := db.Tx(false)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	if got := fmt.Sprint(scan(tx, "a/")); got != "[a/1=z a/2=y]" {
		t.Fatalf("new snapshot: %s", got)
	}
	if got := get(tx, "a/2"); got != "y" {
		t.Fatalf("new snapshot: a/2=%s", got)
	}
	// A long range is read partly ahead, partly from Badger.
	wtx, _ := db.Tx(true)
	for i := 0; i < 100; i++ {
		wtx.Put(flat.Key(fmt.Sprintf("b/%03d", i)), flat.Value("v"))
	}
	if err := wtx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	tx2, _ := db.Tx(false)
	defer tx2.Close()
	if got := len(scan(tx2, "b/")); got != 100 {
		t.Fatalf("long range: %d pairs", got)
	}
}

// TestFilterFilledOnReopen checks that a database reopened with data finds
// its keys while the key filter is filled and after.
func TestFilterFilledOnReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	opt := badger4.DefaultOptions()
	opt.SyncWrites = false
	db, err := badger4.Open(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	tx, _ := db.Tx(true)
	for i := 0; i < 20000; i++ {
		tx.Put(flat.Key(fmt.Sprintf("k%05d", i)), flat.Value("v"))
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = badger4.Open(dir, opt); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for round := 0; round < 2; round++ {
		tx, _ := db.Tx(false)
		for i := 0; i < 20000; i += 7 {
			if _, err := tx.Get(ctx, flat.Key(fmt.Sprintf("k%05d", i))); err != nil {
				t.Fatalf("round %d: k%05d: %v", round, i, err)
			}
		}
		if _, err := tx.Get(ctx, flat.Key("absent")); !errors.Is(err, flat.ErrNotFound) {
			t.Fatalf("absent key: %v", err)
		}
		tx.Close()
		time.Sleep(200 * time.Millisecond)
	}
}

// TestOpenAfterEmptyWriteAheadFile opens a directory holding the empty
// write-ahead file a process killed just after creating it leaves, which
// Badger alone refuses to open, and checks that the data is still there;
// and that such a file is left alone while another process holds the
// directory.
func TestOpenAfterEmptyWriteAheadFile(t *testing.T) {
	dir := t.TempDir()
	db, err := badger4.Open(dir, badger4.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	tx, _ := db.Tx(true)
	if err := tx.Put([]byte("k"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	empty := filepath.Join(dir, "00099.mem")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = badger4.Open(dir, badger4.DefaultOptions())
	if err != nil {
		t.Fatalf("open with an empty write-ahead file: %v", err)
	}
	tx, _ = db.Tx(false)
	v, err := tx.Get(context.Background(), []byte("k"))
	tx.Close()
	if err != nil || string(v) != "v" {
		t.Errorf("after reopening: %q %v", v, err)
	}
	// While db holds the directory, a second open touches nothing.
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := badger4.Open(dir, badger4.DefaultOptions()); !errors.Is(err, badger4.ErrLocked) {
		t.Errorf("second open: %v, want ErrLocked", err)
	}
	if _, err := os.Stat(empty); err != nil {
		t.Errorf("the held directory's file was touched: %v", err)
	}
	db.Close()
}

// TestMayHavePrefix checks that prefixes named by FilterPrefix are known
// to the filter once a key under them is written, or stored before the
// database was opened, and that no prefix ever written is said absent.
func TestMayHavePrefix(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	opt := badger4.DefaultOptions()
	opt.SyncWrites = false
	opt.FilterPrefix = func(k []byte) []byte {
		if i := bytes.IndexByte(k, '/'); i >= 0 {
			return k[:i+1]
		}
		return nil
	}
	db, err := badger4.Open(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	tx, _ := db.Tx(true)
	for i := 0; i < 5000; i++ {
		tx.Put(flat.Key(fmt.Sprintf("p%04d/%d", i, i)), flat.Value("v"))
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	check := func(when string) (absent int) {
		t.Helper()
		for i := 0; i < 5000; i++ {
			if !db.MayHavePrefix([]byte(fmt.Sprintf("p%04d/", i))) {
				t.Fatalf("%s: prefix p%04d/ said absent", when, i)
			}
			if !db.MayHavePrefix([]byte(fmt.Sprintf("q%04d/", i))) {
				absent++
			}
		}
		return absent
	}
	if n := check("written"); n < 4900 {
		t.Errorf("only %d of 5,000 absent prefixes said absent", n)
	}
	db.Close()
	if db, err = badger4.Open(dir, opt); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	check("while filling")
	deadline := time.Now().Add(10 * time.Second)
	for check("reopened") < 4900 {
		if time.Now().After(deadline) {
			t.Fatal("absent prefixes still not said absent 10 s after reopening")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
