// Package badger4 adapts github.com/dgraph-io/badger/v4 to hidalgo's flat
// key-value interfaces, so that Cayley's KV quad store runs on Badger v4.
//
// Cayley v0.7.7 only reaches Badger v1 (through the hidalgo version it pins),
// so provgraph owns this adapter. It registers itself with Cayley as the
// quad store backend [Name] ("badger4"). That registration happens in init,
// the one documented exception to provgraph's "no init registries" rule:
// Cayley's backend registry is global, and Cayley's own kv/all list is built
// before hidalgo's backends register, so only a registration from this
// package is reliable.
//
// # Memory
//
// Badger's defaults are sized for servers (a 256 MiB block cache, five
// 64 MiB memtables). [DefaultOptions] is sized for a laptop running the
// store beside a browser: two 64 MiB memtables (Badger's size, which bounds
// one transaction to about 100,000 entries: a document of about 400
// statements), a 64 MiB cache of recently read values and key ranges, a
// filter of stored keys that starts at 8 MiB and grows with them to at
// most 256 MiB (about 170 million keys: 100,000 statements make about 12
// million), and 64 MiB value log files. Table blocks are
// not compressed (reads are faster, the disk is about twice as large, still
// a third of bolt's) and read in place from the memory-mapped tables, so
// Badger's block cache is only used (32 MiB) when compression is turned on.
// Writes are synced to disk on commit.
//
// Cayley's KV layer makes several point reads for every quad it writes or
// returns (log entries, node hashes, index lists). Badger answers each by
// searching its memtables and table levels, slower than a B+tree. During a
// load nearly all of them are of keys not stored yet, which the key filter
// answers without Badger (see filter.go); on the read side the cache answers
// repeated reads of values and of short key ranges, while every transaction
// still sees a consistent snapshot (see cache.go).
//
// # Concurrency
//
// Cayley serialises writers behind its own lock, so Badger's conflict
// detection is turned off; read transactions run concurrently with the
// writer and see a consistent snapshot. Only one process may open a data
// directory at a time; a second one gets an error wrapping [ErrLocked].
package badger4

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	hkv "github.com/hidal-go/hidalgo/kv"
	"github.com/hidal-go/hidalgo/kv/flat"
)

// Name is the name under which the backend is registered with Cayley.
const Name = "badger4"

// ErrLocked is returned (wrapped) by [Open] when another process holds the
// data directory.
var ErrLocked = errors.New("data directory is in use by another process")

// Options configures a Badger v4 database. The zero value is not usable;
// start from [DefaultOptions].
type Options struct {
	// MemTableSize is the size of one in-memory write buffer, in bytes.
	// Together with NumMemtables it bounds the memory used by writes, and
	// 15% of it bounds the size of one transaction.
	MemTableSize int64
	// NumMemtables is how many write buffers may be held in memory.
	NumMemtables int
	// BlockCacheSize is the size of the cache of decompressed table blocks,
	// in bytes. It is only used with Compress: uncompressed blocks are read
	// in place.
	BlockCacheSize int64
	// ValueLogFileSize is the size of one value log file, in bytes.
	ValueLogFileSize int64
	// CacheSize bounds the memory, in bytes, of the cache of recently read
	// values that serves point reads without reaching Badger's tables. Zero
	// disables it.
	CacheSize int64
	// FilterSize is the size, in bytes, of the first segment of the
	// filter of stored keys that answers most reads of absent keys without
	// reaching Badger (see filter.go). Zero disables it; it is not used by
	// read-only databases.
	FilterSize int64
	// MaxFilterSize bounds the memory, in bytes, the filter grows to as
	// keys are added (1.5 bytes a key); past it the filter answers
	// fewer reads.
	MaxFilterSize int64
	// FilterPrefix, when set, names the prefix under which a key is found
	// by prefix scans, or returns nil: the key filter then holds that
	// prefix beside the key, so that [DB.MayHavePrefix] answers a scan
	// of a prefix no key was ever written under without reaching
	// Badger. It must return a prefix of the key (or nil).
	FilterPrefix func(key []byte) []byte
	// Compress compresses table blocks with Snappy: about half the disk,
	// but every block read is decompressed, which makes random reads about
	// 25% slower. Off by default.
	Compress bool
	// SyncWrites makes every commit wait for the data to reach the disk.
	SyncWrites bool
	// ReadOnly opens the directory for reading only; several read-only
	// processes may share a directory that no writer holds.
	ReadOnly bool
	// Logger receives Badger's own log lines: errors and warnings at their
	// level, everything else at debug. Nil discards them.
	Logger *slog.Logger
}

// DefaultOptions returns the laptop-sized settings described in the package
// documentation, with synced writes and Badger's log discarded.
func DefaultOptions() Options {
	return Options{
		MemTableSize:     64 << 20,
		NumMemtables:     2,
		BlockCacheSize:   32 << 20,
		ValueLogFileSize: 64 << 20,
		CacheSize:        64 << 20,
		FilterSize:       8 << 20,
		MaxFilterSize:    256 << 20,
		SyncWrites:       true,
	}
}

func (o Options) badger(dir string) badger.Options {
	bo := badger.DefaultOptions(dir).
		WithMemTableSize(o.MemTableSize).
		WithNumMemtables(o.NumMemtables).
		WithBlockCacheSize(o.BlockCacheSize).
		WithValueLogFileSize(o.ValueLogFileSize).
		WithSyncWrites(o.SyncWrites).
		WithReadOnly(o.ReadOnly).
		WithDetectConflicts(false).
		WithNumCompactors(2).
		WithNumLevelZeroTables(3).
		WithNumLevelZeroTablesStall(8).
		WithMetricsEnabled(false).
		WithCompression(compression(o.Compress)).
		WithLogger(logger{l: o.Logger})
	if !o.Compress {
		// Blocks of uncompressed tables are read in place from the
		// memory-mapped files; caching them only costs the cache's upkeep.
		bo = bo.WithBlockCacheSize(0)
	}
	// Badger refuses values larger than a transaction may be; small
	// memtables need a smaller threshold for values kept in the tree.
	if max := o.MemTableSize * 15 / 100 / 2; bo.ValueThreshold > max {
		bo.ValueThreshold = max
	}
	return bo
}

func compression(on bool) options.CompressionType {
	if on {
		return options.Snappy
	}
	return options.None
}

// DB is a Badger v4 database seen as a hidalgo flat key-value store.
type DB struct {
	db     *badger.DB
	cache  *cache
	filter *filter
	stop   chan struct{} // closed to stop filling the filter
	filled chan struct{} // closed once the filter is filled or given up
	closed bool

	hookMu   sync.Mutex
	onCommit func(*Tx) error

	prefixOf func([]byte) []byte // Options.FilterPrefix
}

var _ flat.KV = (*DB)(nil)

// Open opens (creating it if needed) the database in dir.
func Open(dir string, opt Options) (*DB, error) {
	if !opt.ReadOnly {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("badger4: create %s: %w", dir, err)
		}
		if err := removeEmptyMemtables(dir); err != nil {
			return nil, err
		}
	}
	db, err := badger.Open(opt.badger(dir))
	if err != nil {
		if strings.Contains(err.Error(), "Another process is using this Badger database") {
			return nil, fmt.Errorf("badger4: open %s: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("badger4: open %s: %w", dir, err)
	}
	d := &DB{db: db, cache: newCache(opt.CacheSize), prefixOf: opt.FilterPrefix}
	if !opt.ReadOnly {
		d.filter = newFilter(opt.FilterSize, opt.MaxFilterSize)
	}
	d.stop, d.filled = make(chan struct{}), make(chan struct{})
	if d.filter == nil {
		close(d.filled)
	} else if d.empty() {
		d.filter.ready.Store(true)
		close(d.filled)
	} else {
		go d.fillFilter()
	}
	return d, nil
}

// removeEmptyMemtables deletes the empty write-ahead files (*.mem) that a
// process killed right after creating one leaves behind: they hold
// nothing, and Badger refuses to open a directory with one
// (dgraph-io/badger#2207). It does so only while it holds the directory's
// lock, the one Badger takes, so that no running process's new file is
// touched.
func removeEmptyMemtables(dir string) error {
	paths, err := filepath.Glob(filepath.Join(dir, "*.mem"))
	if err != nil {
		return nil
	}
	var empty []string
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.Size() == 0 {
			empty = append(empty, p)
		}
	}
	if len(empty) == 0 {
		return nil
	}
	unlock, ok := lockDir(dir)
	if !ok {
		return nil // held by another process: Badger's open says so
	}
	defer unlock()
	for _, p := range empty {
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("badger4: remove empty write-ahead file: %w", err)
		}
	}
	return nil
}

// empty reports whether the database holds no key.
func (db *DB) empty() bool {
	tx := db.db.NewTransaction(false)
	defer tx.Discard()
	opt := badger.DefaultIteratorOptions
	opt.PrefetchValues = false
	it := tx.NewIterator(opt)
	defer it.Close()
	it.Rewind()
	return !it.Valid()
}

// fillFilter adds every stored key to the filter, then lets reads use it.
// Keys written meanwhile are added by Put.
func (db *DB) fillFilter() {
	defer close(db.filled)
	tx := db.db.NewTransaction(false)
	defer tx.Discard()
	opt := badger.DefaultIteratorOptions
	opt.PrefetchValues = false
	it := tx.NewIterator(opt)
	defer it.Close()
	n := 0
	for it.Rewind(); it.Valid(); it.Next() {
		if n++; n%4096 == 0 {
			select {
			case <-db.stop:
				return
			default:
			}
		}
		db.remember(it.Item().Key())
	}
	db.filter.ready.Store(true)
}

// remember adds key to the filter, and the prefix it is scanned under.
func (db *DB) remember(key []byte) {
	db.filter.add(key)
	if db.prefixOf != nil {
		if p := db.prefixOf(key); p != nil {
			db.filter.add(p)
		}
	}
}

// MayHavePrefix reports whether a key under prefix, a prefix that
// [Options.FilterPrefix] names, may be stored: false only when no key
// under it was ever written since the database was opened or before.
// It is true while the filter is being filled after opening, and always
// without a filter or a FilterPrefix.
func (db *DB) MayHavePrefix(prefix []byte) bool {
	return db.prefixOf == nil || !db.filter.absent(prefix)
}

// OpenPath opens dir with [DefaultOptions]; it is hidalgo's OpenPathFunc.
func OpenPath(dir string) (flat.KV, error) {
	return Open(dir, DefaultOptions())
}

// Badger returns the underlying database, for maintenance such as value log
// garbage collection.
func (db *DB) Badger() *badger.DB { return db.db }

// Compact merges the database's tables into its last level, so that reads
// search as few tables as possible. It blocks writes while it runs.
func (db *DB) Compact(ctx context.Context) error {
	if err := db.db.Flatten(2); err != nil {
		return fmt.Errorf("badger4: compact: %w", err)
	}
	return nil
}

// Close closes the database. Closing twice is safe.
func (db *DB) Close() error {
	if db.closed {
		return nil
	}
	db.closed = true
	close(db.stop)
	<-db.filled
	if err := db.db.Close(); err != nil {
		return fmt.Errorf("badger4: close: %w", err)
	}
	return nil
}

// Tx starts a transaction; rw selects a read-write one.
func (db *DB) Tx(rw bool) (flat.Tx, error) {
	if db.closed {
		return nil, errors.New("badger4: database is closed")
	}
	// The cache version is read before Badger's snapshot is taken: a commit
	// moves the version on only once Badger has its data.
	start := db.cache.start()
	return &Tx{db: db, tx: db.db.NewTransaction(rw), rw: rw, cache: db.cache, filter: db.filter, start: start}, nil
}

// OnCommit sets fn to be called by every read-write transaction just
// before it commits, with the transaction, so that fn's writes commit
// atomically with the transaction's own; an error from fn fails the
// commit. nil removes it. It lets a caller that writes through a layer it
// does not control (Cayley's quad store) add keys of its own to the same
// transaction; the caller must make sure that no other read-write
// transaction commits while fn is set.
func (db *DB) OnCommit(fn func(*Tx) error) {
	db.hookMu.Lock()
	db.onCommit = fn
	db.hookMu.Unlock()
}

// Tx is a Badger transaction. It is not safe for concurrent use.
type Tx struct {
	db     *DB
	tx     *badger.Txn
	rw     bool
	done   bool
	cache  *cache
	filter *filter
	start  uint64
	// written holds the keys the transaction writes or deletes, which its
	// commit drops from the cache.
	written [][]byte
}

// Commit commits the writes made in the transaction. A transaction too large
// for Badger fails here or at Put with an error wrapping
// badger.ErrTxnTooBig, and nothing of it is written.
func (tx *Tx) Commit(ctx context.Context) error {
	if tx.done {
		return errors.New("badger4: transaction is closed")
	}
	if err := ctx.Err(); err != nil {
		tx.done = true
		tx.tx.Discard()
		return err
	}
	if tx.rw {
		tx.db.hookMu.Lock()
		fn := tx.db.onCommit
		tx.db.hookMu.Unlock()
		if fn != nil {
			if err := fn(tx); err != nil {
				tx.done = true
				tx.tx.Discard()
				return err
			}
		}
	}
	tx.done = true
	tx.cache.beginCommit(tx.written)
	err := tx.tx.Commit()
	tx.cache.endCommit()
	if err != nil {
		return fmt.Errorf("badger4: commit: %w", err)
	}
	return nil
}

// Close discards the transaction if it was not committed. It is safe to call
// after Commit and more than once.
func (tx *Tx) Close() error {
	tx.done = true
	tx.tx.Discard()
	return nil
}

// Get returns a copy of the value stored under key, or flat.ErrNotFound.
func (tx *Tx) Get(ctx context.Context, key flat.Key) (flat.Value, error) {
	v, err := tx.get(key, false)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, flat.ErrNotFound
	}
	return v, nil
}

// get returns a copy of the value of key, or nil if it is absent; filtered
// tells that the filter was already tested.
//
// A read-write transaction neither reads nor fills the cache: Badger
// answers its own writes, and during a load nearly all its reads are of
// keys it is about to write, which the cache would only have to drop again.
func (tx *Tx) get(key []byte, filtered bool) ([]byte, error) {
	if len(key) == 0 {
		return nil, nil
	}
	if !tx.rw {
		if v, ok := tx.cache.get(key, tx.start); ok {
			return clone(v), nil
		}
	}
	if !filtered && tx.filter.absent(key) {
		return nil, nil
	}
	item, err := tx.tx.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		if !tx.rw {
			tx.cache.fill(key, nil, tx.start)
		}
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("badger4: get: %w", err)
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		return nil, fmt.Errorf("badger4: get: %w", err)
	}
	if tx.rw {
		return v, nil
	}
	tx.cache.fill(clone(key), v, tx.start)
	return clone(v), nil
}

// GetBatch returns the values of keys, with nil for missing keys.
func (tx *Tx) GetBatch(ctx context.Context, keys []flat.Key) ([]flat.Value, error) {
	vals := make([]flat.Value, len(keys))
	// The filter is tested for all keys first: the tests' memory accesses
	// then overlap instead of waiting for each other.
	absent := make([]bool, len(keys))
	for i, k := range keys {
		absent[i] = len(k) == 0 || tx.filter.absent(k)
	}
	for i, k := range keys {
		if absent[i] {
			continue
		}
		v, err := tx.get(k, true)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return vals, nil
}

// Put stores v under k. Badger copies neither, so both are copied here:
// Cayley reuses its buffers after the call.
func (tx *Tx) Put(k flat.Key, v flat.Value) error {
	if !tx.rw {
		return flat.ErrReadOnly
	}
	k, v = clone(k), clone(v)
	if v == nil {
		v = []byte{}
	}
	tx.db.remember(k)
	if err := tx.tx.Set(k, v); err != nil {
		return fmt.Errorf("badger4: put: %w", err)
	}
	tx.written = append(tx.written, k)
	return nil
}

// Del removes k.
func (tx *Tx) Del(k flat.Key) error {
	if !tx.rw {
		return flat.ErrReadOnly
	}
	k = clone(k)
	if err := tx.tx.Delete(k); err != nil {
		return fmt.Errorf("badger4: delete: %w", err)
	}
	tx.written = append(tx.written, k)
	return nil
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	c := make([]byte, len(b))
	copy(c, b)
	return c
}

// Scan iterates over the pairs whose key starts with pref, in key order.
// Values are small index entries stored inline in the tree, so they are read
// lazily rather than prefetched.
//
// In a read-only transaction a short range (Cayley's index entries of one
// node) is read whole and kept in the cache, so that the ranges of hot
// nodes are not searched for again in Badger's tables.
func (tx *Tx) Scan(pref flat.Key) flat.Iterator {
	return &Iterator{tx: tx, pref: clone(pref)}
}

// Short ranges are cached up to this many pairs and bytes.
const (
	scanCachePairs = 16
	scanCacheBytes = 2048
)

// Iterator walks a key prefix. Key and Val are valid until the next call to
// Next or Close.
type Iterator struct {
	tx      *Tx
	pref    []byte
	started bool
	// pairs holds the start of the range, read ahead or from the cache;
	// pos is the current pair. Past them, it continues the range.
	pairs []pair
	pos   int
	it    *badger.Iterator
	val   []byte
	err   error
}

type pair struct{ key, val []byte }

// start positions the iterator at the start of the range.
func (it *Iterator) start() {
	caching := !it.tx.rw && it.tx.cache != nil
	if caching {
		if pairs, ok := it.tx.cache.getScan(it.pref, it.tx.start); ok {
			it.pairs = pairs
			return
		}
	}
	opt := badger.DefaultIteratorOptions
	opt.PrefetchValues = false
	opt.Prefix = it.pref
	it.it = it.tx.tx.NewIterator(opt)
	it.it.Seek(it.pref)
	if !caching {
		return
	}
	size := 0
	for len(it.pairs) < scanCachePairs && size <= scanCacheBytes && it.it.ValidForPrefix(it.pref) {
		item := it.it.Item()
		v, err := item.ValueCopy(nil)
		if err != nil {
			it.err = fmt.Errorf("badger4: read value: %w", err)
			return
		}
		k := item.KeyCopy(nil)
		it.pairs = append(it.pairs, pair{k, v})
		size += len(k) + len(v)
		it.it.Next()
	}
	if !it.it.ValidForPrefix(it.pref) {
		it.it.Close()
		it.it = nil
		it.tx.cache.fillScan(it.pref, it.pairs, it.tx.start)
	}
}

// Next advances to the next pair and reports whether there is one.
func (it *Iterator) Next(ctx context.Context) bool {
	if it.err != nil {
		return false
	}
	if err := ctx.Err(); err != nil {
		it.err = err
		return false
	}
	switch {
	case !it.started:
		it.started = true
		it.start()
		if it.err != nil {
			return false
		}
	case it.pos < len(it.pairs):
		it.pos++
	case it.it != nil:
		it.it.Next()
	}
	if it.pos < len(it.pairs) {
		return true
	}
	return it.it != nil && it.it.ValidForPrefix(it.pref)
}

// Err returns the first error met while iterating.
func (it *Iterator) Err() error { return it.err }

// Close releases the iterator. It is safe to call more than once.
func (it *Iterator) Close() error {
	if it.it != nil {
		it.it.Close()
		it.it = nil
	}
	it.pairs, it.pos = nil, 0
	return it.err
}

// Key returns the current key.
func (it *Iterator) Key() flat.Key {
	if it.pos < len(it.pairs) {
		return it.pairs[it.pos].key
	}
	return it.it.Item().Key()
}

// Val returns the current value.
func (it *Iterator) Val() flat.Value {
	if it.pos < len(it.pairs) {
		it.val = append(it.val[:0], it.pairs[it.pos].val...)
		return it.val
	}
	v, err := it.it.Item().ValueCopy(it.val[:0])
	if err != nil {
		it.err = fmt.Errorf("badger4: read value: %w", err)
		return nil
	}
	it.val = v
	return v
}

// logger routes Badger's log lines to slog. Badger reports routine events
// (compactions, replays) at info and cache statistics as warnings;
// provgraph shows them at debug and info, keeping warn for its own.
type logger struct{ l *slog.Logger }

func (g logger) log(level slog.Level, format string, args []any) {
	if g.l == nil || !g.l.Enabled(context.Background(), level) {
		return
	}
	g.l.Log(context.Background(), level, strings.TrimSpace(fmt.Sprintf(format, args...)), "component", Name)
}

func (g logger) Errorf(f string, a ...any)   { g.log(slog.LevelError, f, a) }
func (g logger) Warningf(f string, a ...any) { g.log(slog.LevelInfo, f, a) }
func (g logger) Infof(f string, a ...any)    { g.log(slog.LevelDebug, f, a) }
func (g logger) Debugf(f string, a ...any)   { g.log(slog.LevelDebug-4, f, a) }

// OpenKV opens dir as a hierarchical hidalgo KV, the form Cayley's KV quad
// store takes.
func OpenKV(dir string, opt Options) (hkv.KV, error) {
	db, err := Open(dir, opt)
	if err != nil {
		return nil, err
	}
	return flat.Upgrade(db), nil
}

// Cayley options understood by the registered backend, beside Cayley's own.
const (
	// OptReadOnly ("read_only", bool) opens the store for reading only.
	OptReadOnly = "read_only"
	// OptNoSync ("nosync", bool) turns off synced writes.
	OptNoSync = "nosync"
)

func fromCayley(o cgraph.Options) (Options, error) {
	opt := DefaultOptions()
	ro, err := o.BoolKey(OptReadOnly, false)
	if err != nil {
		return opt, err
	}
	nosync, err := o.BoolKey(OptNoSync, false)
	if err != nil {
		return opt, err
	}
	opt.ReadOnly = ro
	opt.SyncWrites = !nosync
	return opt, nil
}

func init() {
	open := func(dir string, o cgraph.Options) (hkv.KV, error) {
		opt, err := fromCayley(o)
		if err != nil {
			return nil, err
		}
		return OpenKV(dir, opt)
	}
	ckv.Register(Name, ckv.Registration{
		InitFunc:     open,
		NewFunc:      open,
		IsPersistent: true,
	})
}
