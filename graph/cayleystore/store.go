// Package cayleystore implements [graph.Store] over a Cayley quad store:
// Badger v4 through [badger4] by default, Cayley's in-memory store for
// tests, PostgreSQL or CockroachDB through Cayley's SQL backend (shared by
// several processes), or any other registered Cayley backend.
//
// Each document's quads live in the named graph of the document's IRI, its
// edges to other documents' statements in its links graph. A
// write computes its own deltas against what is stored (Cayley's duplicate
// handling miscounts node references) and applies them in strict mode, so a
// bug shows as an error rather than as drift. Many documents are written per
// transaction to amortise the cost of index entries shared between them; if
// a batch is too large for the backend it is split, never a document.
package cayleystore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	_ "github.com/cayleygraph/cayley/graph/memstore" // the "memstore" backend
	hkv "github.com/hidal-go/hidalgo/kv"
	"github.com/hidal-go/hidalgo/kv/flat"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/badger4"
)

// Backend names accepted by [Open].
const (
	Badger = badger4.Name // the default: embedded, persistent
	Memory = "memstore"   // in memory, for tests and experiments
)

// Options configures [Open]. The zero value opens an in-memory store.
type Options struct {
	// Backend is a registered Cayley backend name; empty means [Memory].
	Backend string
	// Address is the backend's address: a directory for [Badger], a
	// connection string for [Postgres] and [Cockroach].
	Address string
	// Badger tunes the [Badger] backend; the zero value means
	// badger4.DefaultOptions().
	Badger *badger4.Options
	// BatchQuads caps the number of quad changes written in one
	// transaction; zero means as many as the backend takes (for Badger,
	// a seventh of its transaction's entry limit: Cayley writes four to
	// seven entries per quad) or 20,000.
	BatchQuads int
	// Logger receives the backend's warnings; nil discards them.
	Logger *slog.Logger
}

// Store is a [graph.Store] over Cayley.
type Store struct {
	opt Options

	writeMu sync.Mutex // serialises writes

	mu     sync.RWMutex // guards qs and closed
	qs     cgraph.QuadStore
	kv     hkv.KV      // set for Badger, so the quad store can be rebuilt after a failed write
	db     *badger4.DB // set for Badger
	closed bool

	// side holds the linking index beside the quads (side.go); mem is set
	// when it is kept in memory, written after the quads.
	side       sideKV
	mem        *memSide
	sideMu     sync.RWMutex // held by readers of side, which do not take mu
	sideClosed bool         // guarded by sideMu

	timelineBuild sync.Mutex // one build of the timeline at a time (timeline.go)

	actorsMu sync.Mutex
	actors   *actorCache // actors read at the last write version (query.go)

	common *commonKeys // index keys known to be common (common.go); nil when others may write
}

var _ graph.Store = (*Store)(nil)

// kvOptions turns off Cayley's bloom filters: they are sized for 100 million
// quads whatever the data (about 300 MB before the first quad) and rebuilt by
// scanning every quad on open, and this package already knows which quads
// exist because it computes its own deltas.
func kvOptions() cgraph.Options { return cgraph.Options{ckv.OptNoBloom: true} }

// Open opens or creates a store.
func Open(ctx context.Context, opt Options) (*Store, error) {
	if opt.Backend == "" {
		opt.Backend = Memory
	}
	s := &Store{opt: opt}
	switch opt.Backend {
	case Badger:
		bo := badger4.DefaultOptions()
		if opt.Badger != nil {
			bo = *opt.Badger
		}
		if bo.Logger == nil {
			bo.Logger = opt.Logger
		}
		bo.FilterPrefix = postingPrefix
		db, err := badger4.Open(opt.Address, bo)
		if err != nil {
			return nil, fmt.Errorf("cayleystore: %w", err)
		}
		if s.opt.BatchQuads <= 0 {
			s.opt.BatchQuads = int(db.Badger().MaxBatchCount() / 7)
		}
		kv := flat.Upgrade(db)
		s.db = db
		if err := ckv.Init(kv, kvOptions()); err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
			kv.Close()
			return nil, fmt.Errorf("cayleystore: initialise %s: %w", opt.Address, err)
		}
		s.kv = kv
		s.side = badgerSide{flatSide{db}, db}
		if err := s.rebuild(); err != nil {
			kv.Close()
			return nil, err
		}
	case Postgres, Cockroach:
		qs, err := openSQL(ctx, opt.Backend, opt.Address)
		if err != nil {
			return nil, err
		}
		s.qs = qs
		s.side = sqlSide{qs.db}
	default:
		if cgraph.IsPersistent(opt.Backend) {
			if err := cgraph.InitQuadStore(opt.Backend, opt.Address, nil); err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
				return nil, fmt.Errorf("cayleystore: initialise %s store: %w", opt.Backend, err)
			}
		}
		qs, err := cgraph.NewQuadStore(opt.Backend, opt.Address, kvOptions())
		if err != nil {
			return nil, fmt.Errorf("cayleystore: open %s store: %w", opt.Backend, err)
		}
		s.qs = qs
	}
	if s.side == nil {
		// Backends that share no transaction with us (Cayley's in-memory
		// store and the benchmarks' others) keep the index in memory.
		s.mem = newMemSide()
		s.side = s.mem
	}
	if s.opt.BatchQuads <= 0 {
		s.opt.BatchQuads = 20000
	}
	if s.db != nil || s.mem != nil {
		s.common = new(commonKeys) // no other process writes the index
	}
	return s, nil
}

// rebuild (re)creates Cayley's quad store over the open KV. Cayley's KV
// layer keeps caches that a failed transaction can leave stale (a value's
// ID, index entries waiting to be flushed), so after a failed write the
// quad store is rebuilt; the KV transaction itself was discarded whole.
func (s *Store) rebuild() error {
	qs, err := ckv.New(s.kv, kvOptions())
	if err != nil {
		return fmt.Errorf("cayleystore: open %s: %w", s.opt.Address, err)
	}
	s.qs = qs
	return nil
}

// QuadStore returns the underlying Cayley quad store for read-only queries.
// It stays valid until the next failed write or Close.
func (s *Store) QuadStore() cgraph.QuadStore {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.qs
}

// sideReader returns the linking index and a function to call when done
// reading it. Readers do not wait for writes (the linker reads the index
// while the previous batch is being written), only Close waits for them.
func (s *Store) sideReader() (sideKV, func(), error) {
	s.sideMu.RLock()
	if s.sideClosed {
		s.sideMu.RUnlock()
		return nil, nil, errors.New("cayleystore: store is closed")
	}
	return s.side, s.sideMu.RUnlock, nil
}

func (s *Store) reader() (cgraph.QuadStore, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, errors.New("cayleystore: store is closed")
	}
	return s.qs, nil
}

// Close closes the store. It is safe to call more than once.
func (s *Store) Close() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.sideMu.Lock()
	s.sideClosed = true
	s.sideMu.Unlock()
	// Cayley's KV quad store closes the KV it wraps.
	return s.qs.Close()
}

// Put implements [graph.Store].
func (s *Store) Put(ctx context.Context, docs ...*graph.DocGraph) ([]graph.Outcome, error) {
	graphs := make([]namedGraph, 0, len(docs))
	for _, dg := range docs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		enc, err := encode(dg)
		if err != nil {
			return nil, err
		}
		graphs = append(graphs, namedGraph{label: dg.Document.ID, quads: enc.quads, shared: enc.shared, external: enc.external, analyses: enc.analyses})
	}
	return s.replaceGraphs(ctx, graphs)
}

// Remove implements [graph.Store].
func (s *Store) Remove(ctx context.Context, doc graph.ID) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	release, err := s.lockWrites(ctx)
	if err != nil {
		return err
	}
	defer release()
	qs, err := s.reader()
	if err != nil {
		return err
	}
	old, err := graphQuads(ctx, qs, doc)
	if err != nil {
		return err
	}
	if len(old) == 0 {
		return fmt.Errorf("cayleystore: remove %s: %w", doc, graph.ErrNotFound)
	}
	b := batch{side: s.side}
	b.init()
	if err := b.replace(ctx, qs, namedGraph{label: doc}, old); err != nil {
		return err
	}
	return s.apply(&b)
}

// Compact rewrites the embedded store's tables into as few levels as
// possible, which makes reads faster after a large load. It is a no-op for
// other backends.
func (s *Store) Compact(ctx context.Context) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.db == nil {
		return nil
	}
	return s.db.Compact(ctx)
}
