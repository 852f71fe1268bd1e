package cayleystore

// SQL backends: Cayley's "postgres" and "cockroach" quad stores.
//
// Cayley's SQL store (v0.7.7) keeps its graph in two tables, nodes (one row
// per value, keyed by the value's hash, with a reference count) and quads
// (four hashes). It answers graph queries well, but writes every node and
// quad with its own INSERT, resolves every value with its own SELECT behind
// a 1,024-entry cache, counts references wrongly when it skips a duplicate,
// and logs its connection string, password included, when it cannot
// connect. sqlStore keeps Cayley's schema and iterators and replaces those
// four things on our side of the seam, without copying Cayley's code:
//
//   - writes are bulk statements (multi-row INSERT, with ON CONFLICT DO
//     NOTHING RETURNING when duplicates are to be skipped, and DELETE ...
//     USING (VALUES ...) RETURNING), and reference counts follow the quads
//     actually inserted or deleted, so they stay exact;
//   - values are resolved in batches (one SELECT ... WHERE hash IN (...) per
//     thousand values) into a cache that never goes stale, because a hash
//     names one value forever;
//   - several processes may write one database: each write of the store
//     (computing its deltas and applying them) holds a lock row for its
//     whole duration, and a transaction that fails on a serialisation
//     conflict is run again;
//   - every error and log line that could carry the connection string goes
//     through [Redact].

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/cayley/graph/sql/cockroach"
	"github.com/cayleygraph/cayley/graph/sql/postgres"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"github.com/jackc/pgx"
	"github.com/lib/pq"
)

// SQL backend names accepted by [Open]; Address is then a connection
// string: postgres://user:password@host:port/db?sslmode=disable for both
// (CockroachDB speaks PostgreSQL's protocol).
const (
	Postgres  = postgres.Type  // PostgreSQL through lib/pq
	Cockroach = cockroach.Type // CockroachDB through pgx
)

// IsSQL reports whether backend is one of the SQL backends.
func IsSQL(backend string) bool { return backend == Postgres || backend == Cockroach }

var (
	urlPassword = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:\s]*:)[^@\s]*@`)
	kvPassword  = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s'"]+)`)
)

// Redact returns s with the passwords of the connection strings in it
// (URLs with user:password@, and password=... settings) replaced by
// "xxxxx".
func Redact(s string) string {
	s = urlPassword.ReplaceAllString(s, "${1}xxxxx@")
	return kvPassword.ReplaceAllString(s, "${1}xxxxx")
}

// redactedError shows a redacted message and unwraps to the original error.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func redactErr(err error) error {
	if err == nil {
		return nil
	}
	msg := Redact(err.Error())
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

// sqlStore is Cayley's SQL quad store with our own writes and value reads.
type sqlStore struct {
	// Cayley's: iterators and their sizes. Its SQL query optimiser is not
	// offered: the shapes it builds run only on Cayley's own type, and this
	// package walks the quad indexes itself.
	cgraph.QuadStore
	cq      *csql.QuadStore
	db      *sql.DB // ours: writes, value batches, the write lock
	backend string

	mu     sync.RWMutex
	values map[cgraph.ValueHash]quad.Value

	// pending holds the index writes (side.go) that the next ApplyDeltas
	// makes in its transaction; the store sets it under its write lock.
	pending sideOps
}

var (
	_ cgraph.QuadStore      = (*sqlStore)(nil)
	_ cgraph.BatchQuadStore = (*sqlStore)(nil)
)

// maxCachedValues bounds the value cache; it is emptied when full.
const maxCachedValues = 1 << 20

func driverOf(backend string) string {
	if backend == Cockroach {
		return "pgx"
	}
	return "postgres"
}

// openSQL connects to the database at addr, creates Cayley's tables and
// our lock table if they are missing, and returns the quad store.
func openSQL(ctx context.Context, backend, addr string) (*sqlStore, error) {
	fail := func(what string, err error) error {
		return fmt.Errorf("cayleystore: %s %s database %s: %w", what, backend, Redact(addr), redactErr(err))
	}
	// Our own connection first: if the database cannot be reached, the
	// error is ours (redacted) and Cayley, which would log the connection
	// string, is never called.
	db, err := sql.Open(driverOf(backend), addr)
	if err != nil {
		return nil, fail("open", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fail("connect to", err)
	}
	if err := initSQL(ctx, db, backend, addr); err != nil {
		db.Close()
		return nil, fail("initialise", err)
	}
	qs, err := cgraph.NewQuadStore(backend, addr, nil)
	if err != nil {
		db.Close()
		return nil, fail("open", err)
	}
	return &sqlStore{QuadStore: qs, cq: qs.(*csql.QuadStore), db: db, backend: backend, values: make(map[cgraph.ValueHash]quad.Value)}, nil
}

// initSQL creates Cayley's tables (once: then Cayley reports
// ErrDatabaseExists), the lock row writers take and the table of the
// linking index.
func initSQL(ctx context.Context, db *sql.DB, backend, addr string) error {
	var last error
	// Processes starting together on an empty database race to create the
	// tables; the losers see the winner's tables on the next round.
	for attempt := 0; attempt < 5 && !tablesExist(ctx, db); attempt++ {
		err := cgraph.InitQuadStore(backend, addr, nil)
		if err == nil || errors.Is(err, cgraph.ErrDatabaseExists) || tablesExist(ctx, db) {
			last = nil
			break
		}
		last = err
		time.Sleep(time.Duration(attempt+1) * 50 * time.Millisecond)
	}
	if last != nil {
		return last
	}
	// A role that may only read (a read-only API server) opens a database
	// that is set up already without creating anything.
	var n, m int
	if db.QueryRowContext(ctx, `SELECT count(*) FROM provgraph_lock WHERE id = 1`).Scan(&n) == nil && n == 1 &&
		db.QueryRowContext(ctx, `SELECT count(*) FROM provgraph_index WHERE false`).Scan(&m) == nil {
		return nil
	}
	for attempt := 0; ; attempt++ {
		_, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS provgraph_lock (id INT PRIMARY KEY)`)
		if err == nil {
			_, err = db.ExecContext(ctx, sqlSideTable)
		}
		if err == nil {
			_, err = db.ExecContext(ctx, `INSERT INTO provgraph_lock (id) VALUES (1) ON CONFLICT DO NOTHING`)
		}
		if err == nil || attempt == 4 {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 50 * time.Millisecond)
	}
}

func tablesExist(ctx context.Context, db *sql.DB) bool {
	var n int
	return db.QueryRowContext(ctx, `SELECT count(*) FROM quads WHERE false`).Scan(&n) == nil
}

// Close closes both connection pools.
func (s *sqlStore) Close() error {
	return errors.Join(s.QuadStore.Close(), s.db.Close())
}

// Stats counts nodes and quads. Cayley's SQL store caches exact counts
// until its own ApplyDeltas runs, which this store never calls, so they are
// counted here.
func (s *sqlStore) Stats(ctx context.Context, exact bool) (cgraph.Stats, error) {
	st := cgraph.Stats{Nodes: cgraph.Size{Exact: true}, Quads: cgraph.Size{Exact: true}}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM quads`).Scan(&st.Quads.Size); err != nil {
		return st, err
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM nodes`).Scan(&st.Nodes.Size); err != nil {
		return st, err
	}
	return st, nil
}

// lockWrites takes the database's write lock: a row lock held by an open
// transaction until release is called. Writers in other processes wait for
// it, so the deltas a writer computes are still right when it applies them.
func (s *sqlStore) lockWrites(ctx context.Context) (release func(), err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("cayleystore: take the write lock: %w", err)
	}
	var id int
	if err := tx.QueryRowContext(ctx, `SELECT id FROM provgraph_lock WHERE id = 1 FOR UPDATE`).Scan(&id); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("cayleystore: take the write lock: %w", err)
	}
	return func() { tx.Rollback() }, nil
}

// lockWrites takes the store's cross-process write lock, if its backend
// has one.
func (s *Store) lockWrites(ctx context.Context) (release func(), err error) {
	if sq, ok := s.qs.(*sqlStore); ok {
		return sq.lockWrites(ctx)
	}
	return func() {}, nil
}

// sqlState returns the SQLSTATE code of a database error, "" for others.
func sqlState(err error) string {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return string(pe.Code)
	}
	var xe pgx.PgError
	if errors.As(err, &xe) {
		return xe.Code
	}
	var xp *pgx.PgError
	if errors.As(err, &xp) {
		return xp.Code
	}
	return ""
}

// retryable reports a serialisation failure or a deadlock: the transaction
// was rolled back and may simply be run again.
func retryable(err error) bool {
	switch sqlState(err) {
	case "40001", "40P01":
		return true
	}
	return false
}

// inTx runs fn in a transaction, again while it fails on a serialisation
// conflict.
func (s *sqlStore) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	for attempt := 0; ; attempt++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		err = fn(tx)
		if err == nil {
			err = tx.Commit()
		} else {
			tx.Rollback()
		}
		if err == nil || !retryable(err) || attempt >= 20 {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
	}
}

// Rows per bulk statement: PostgreSQL takes at most 65,535 parameters.
const (
	nodeRows = 4000 // 12 parameters each
	quadRows = 8000 // 4 parameters each
	hashRows = 8000
)

// placeholders writes "($k+1, ..., $k+n)" for row r of n-column rows,
// with casts for the columns that need them.
func placeholders(b *strings.Builder, r, n int, casts []string) {
	b.WriteByte('(')
	for c := 0; c < n; c++ {
		if c > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(r*n + c + 1))
		if casts != nil && casts[c] != "" {
			b.WriteString("::")
			b.WriteString(casts[c])
		}
	}
	b.WriteByte(')')
}

func valuesList(rows, n int, casts []string) string {
	var b strings.Builder
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		placeholders(&b, r, n, casts)
	}
	return b.String()
}

// hashArg is a node hash as a query parameter (NULL for an absent label).
func hashArg(h cgraph.ValueHash) any { return csql.NodeHash{ValueHash: h}.SQLValue() }

// nodeColumns are the columns of Cayley's nodes table we write, after
// hash and refs, in the order nodeRow fills them.
var nodeColumns = []string{"value", "value_string", "datatype", "language", "iri", "bnode", "value_int", "value_bool", "value_float", "value_time"}

// nodeRow returns the parameters of one nodes row (with refs 0) for v.
func nodeRow(h cgraph.ValueHash, v quad.Value) ([]any, error) {
	typ, vals, err := csql.NodeValues(csql.NodeHash{ValueHash: h}, v)
	if err != nil {
		return nil, err
	}
	row := make([]any, 2+len(nodeColumns))
	row[0], row[1] = vals[0], 0
	for i, col := range typ.Columns() {
		row[2+slices.Index(nodeColumns, col)] = vals[1+i]
	}
	return row, nil
}

// ApplyDeltas writes deltas in one transaction with bulk statements. Like
// Cayley's own SQL store it adds first, then deletes; unlike it, a quad
// skipped as a duplicate (IgnoreDup) or as missing (IgnoreMissing) leaves
// the reference counts of its nodes alone.
func (s *sqlStore) ApplyDeltas(in []cgraph.Delta, opts cgraph.IgnoreOpts) error {
	type qd struct {
		h cgraph.QuadHash
		d cgraph.Delta
	}
	var (
		adds, dels []qd
		seenAdd    = make(map[cgraph.QuadHash]bool)
		seenDel    = make(map[cgraph.QuadHash]bool)
		vals       = make(map[cgraph.ValueHash]quad.Value)
	)
	for _, d := range in {
		var h cgraph.QuadHash
		for _, dir := range quad.Directions {
			if v := d.Quad.Get(dir); v != nil {
				vh := cgraph.HashOf(v)
				h.Set(dir, vh)
				if d.Action == cgraph.Add {
					vals[vh] = v
				}
			}
		}
		switch d.Action {
		case cgraph.Add:
			if seenAdd[h] {
				if !opts.IgnoreDup {
					return &cgraph.DeltaError{Delta: d, Err: cgraph.ErrQuadExists}
				}
				continue
			}
			seenAdd[h] = true
			adds = append(adds, qd{h, d})
		case cgraph.Delete:
			if seenDel[h] {
				if !opts.IgnoreMissing {
					return &cgraph.DeltaError{Delta: d, Err: cgraph.ErrQuadNotExist}
				}
				continue
			}
			seenDel[h] = true
			dels = append(dels, qd{h, d})
		default:
			return fmt.Errorf("cayleystore: unknown delta action %v", d.Action)
		}
	}
	ctx := context.Background()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		refs := make(map[cgraph.ValueHash]int)
		count := func(h cgraph.QuadHash, n int) {
			for _, dir := range quad.Directions {
				if vh := h.Get(dir); vh.Valid() {
					refs[vh] += n
				}
			}
		}
		// New nodes go in with no references; those no inserted quad uses
		// are removed again below.
		hashes := make([]cgraph.ValueHash, 0, len(vals))
		for h := range vals {
			hashes = append(hashes, h)
		}
		slices.SortFunc(hashes, func(a, b cgraph.ValueHash) int { return strings.Compare(string(a[:]), string(b[:])) })
		for start := 0; start < len(hashes); start += nodeRows {
			chunk := hashes[start:min(len(hashes), start+nodeRows)]
			args := make([]any, 0, len(chunk)*(2+len(nodeColumns)))
			for _, h := range chunk {
				row, err := nodeRow(h, vals[h])
				if err != nil {
					return err
				}
				args = append(args, row...)
			}
			q := `INSERT INTO nodes (hash, refs, ` + strings.Join(nodeColumns, ", ") + `) VALUES ` +
				valuesList(len(chunk), 2+len(nodeColumns), nil) + ` ON CONFLICT (hash) DO NOTHING`
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		for start := 0; start < len(adds); start += quadRows {
			chunk := adds[start:min(len(adds), start+quadRows)]
			args := make([]any, 0, 4*len(chunk))
			for _, a := range chunk {
				for _, dir := range quad.Directions {
					args = append(args, hashArg(a.h.Get(dir)))
				}
			}
			var b strings.Builder
			b.WriteString(`INSERT INTO quads (subject_hash, predicate_hash, object_hash, label_hash, ts) VALUES `)
			for r := range chunk {
				if r > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "($%d,$%d,$%d,$%d,now())", 4*r+1, 4*r+2, 4*r+3, 4*r+4)
			}
			if !opts.IgnoreDup {
				// Strict: every quad is new, or the transaction fails. A
				// plain INSERT skips the arbiter-index probe of ON
				// CONFLICT and returns nothing.
				if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
					if sqlState(err) == "23505" {
						return &cgraph.DeltaError{Err: cgraph.ErrQuadExists}
					}
					return err
				}
				for _, a := range chunk {
					count(a.h, +1)
				}
				continue
			}
			b.WriteString(` ON CONFLICT DO NOTHING RETURNING subject_hash, predicate_hash, object_hash, label_hash`)
			inserted, err := scanQuads(ctx, tx, b.String(), args)
			if err != nil {
				return err
			}
			if len(inserted) < len(chunk) && !opts.IgnoreDup {
				got := make(map[cgraph.QuadHash]bool, len(inserted))
				for _, h := range inserted {
					got[h] = true
				}
				for _, a := range chunk {
					if !got[a.h] {
						return &cgraph.DeltaError{Delta: a.d, Err: cgraph.ErrQuadExists}
					}
				}
			}
			for _, h := range inserted {
				count(h, +1)
			}
		}
		for start := 0; start < len(dels); start += quadRows {
			chunk := dels[start:min(len(dels), start+quadRows)]
			args := make([]any, 0, 4*len(chunk))
			for _, d := range chunk {
				for _, dir := range quad.Directions {
					args = append(args, hashArg(d.h.Get(dir)))
				}
			}
			q := `DELETE FROM quads AS q USING (VALUES ` + valuesList(len(chunk), 4, []string{"bytea", "bytea", "bytea", "bytea"}) +
				`) AS d (s, p, o, l) WHERE q.subject_hash = d.s AND q.predicate_hash = d.p AND q.object_hash = d.o` +
				` AND (q.label_hash = d.l OR (q.label_hash IS NULL AND d.l IS NULL))` +
				` RETURNING q.subject_hash, q.predicate_hash, q.object_hash, q.label_hash`
			deleted, err := scanQuads(ctx, tx, q, args)
			if err != nil {
				return err
			}
			if len(deleted) < len(chunk) && !opts.IgnoreMissing {
				got := make(map[cgraph.QuadHash]bool, len(deleted))
				for _, h := range deleted {
					got[h] = true
				}
				for _, d := range chunk {
					if !got[d.h] {
						return &cgraph.DeltaError{Delta: d.d, Err: cgraph.ErrQuadNotExist}
					}
				}
			}
			for _, h := range deleted {
				count(h, -1)
			}
		}
		touched := hashes
		for _, d := range dels {
			for _, dir := range quad.Directions {
				if vh := d.h.Get(dir); vh.Valid() {
					if _, ok := vals[vh]; !ok {
						vals[vh] = nil
						touched = append(touched, vh)
					}
				}
			}
		}
		var changed []cgraph.ValueHash
		for h, n := range refs {
			if n != 0 {
				changed = append(changed, h)
			}
		}
		slices.SortFunc(changed, func(a, b cgraph.ValueHash) int { return strings.Compare(string(a[:]), string(b[:])) })
		for start := 0; start < len(changed); start += hashRows {
			chunk := changed[start:min(len(changed), start+hashRows)]
			args := make([]any, 0, 2*len(chunk))
			for _, h := range chunk {
				args = append(args, hashArg(h), refs[h])
			}
			q := `UPDATE nodes SET refs = nodes.refs + d.n FROM (VALUES ` + valuesList(len(chunk), 2, []string{"bytea", "int"}) +
				`) AS d (h, n) WHERE nodes.hash = d.h`
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		for start := 0; start < len(touched); start += hashRows {
			chunk := touched[start:min(len(touched), start+hashRows)]
			args := make([]any, 0, len(chunk))
			for _, h := range chunk {
				args = append(args, hashArg(h))
			}
			q := `DELETE FROM nodes WHERE refs <= 0 AND hash IN ` + valuesList(1, len(chunk), nil)
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		return writeSQL(ctx, tx, s.pending)
	})
}

// scanQuads runs a statement returning the four hash columns of quads.
func scanQuads(ctx context.Context, tx *sql.Tx, q string, args []any) ([]cgraph.QuadHash, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []cgraph.QuadHash
	for rows.Next() {
		var s, p, o, l csql.NodeHash
		if err := rows.Scan(&s, &p, &o, &l); err != nil {
			return nil, err
		}
		var h cgraph.QuadHash
		h.Set(quad.Subject, s.ValueHash)
		h.Set(quad.Predicate, p.ValueHash)
		h.Set(quad.Object, o.ValueHash)
		h.Set(quad.Label, l.ValueHash)
		out = append(out, h)
	}
	return out, rows.Err()
}

// hashOfRef returns the value hash a ref names; ok is false for refs that
// carry their value (or nothing).
func hashOfRef(r cgraph.Ref) (h cgraph.ValueHash, ok bool) {
	switch r := r.(type) {
	case csql.NodeHash:
		return r.ValueHash, r.Valid()
	case cgraph.ValueHash:
		return r, r.Valid()
	}
	return h, false
}

// NameOf returns the value of one ref, from the cache when it can.
func (s *sqlStore) NameOf(r cgraph.Ref) quad.Value {
	vals, err := s.ValuesOf(context.Background(), []cgraph.Ref{r})
	if err != nil {
		return nil
	}
	return vals[0]
}

// ValuesOf implements [cgraph.BatchQuadStore]: the values of refs, nil for
// those not stored, reading the uncached ones with one query per
// thousand.
func (s *sqlStore) ValuesOf(ctx context.Context, refs []cgraph.Ref) ([]quad.Value, error) {
	out := make([]quad.Value, len(refs))
	var missing []cgraph.ValueHash
	s.mu.RLock()
	for i, r := range refs {
		if pv, ok := r.(cgraph.PreFetchedValue); ok {
			out[i] = pv.NameOf()
			continue
		}
		h, ok := hashOfRef(r)
		if !ok {
			continue
		}
		if v, ok := s.values[h]; ok {
			out[i] = v
		} else {
			missing = append(missing, h)
		}
	}
	s.mu.RUnlock()
	if len(missing) == 0 {
		return out, nil
	}
	slices.SortFunc(missing, func(a, b cgraph.ValueHash) int { return strings.Compare(string(a[:]), string(b[:])) })
	missing = slices.Compact(missing)
	found := make(map[cgraph.ValueHash]quad.Value, len(missing))
	const chunkSize = 1000
	for start := 0; start < len(missing); start += chunkSize {
		chunk := missing[start:min(len(missing), start+chunkSize)]
		if err := s.readValues(ctx, chunk, found); err != nil {
			return nil, fmt.Errorf("cayleystore: read values: %w", err)
		}
	}
	s.mu.Lock()
	if len(s.values)+len(found) > maxCachedValues {
		clear(s.values)
	}
	for h, v := range found {
		s.values[h] = v
	}
	s.mu.Unlock()
	for i, r := range refs {
		if out[i] != nil {
			continue
		}
		if h, ok := hashOfRef(r); ok {
			out[i] = found[h]
		}
	}
	return out, nil
}

// RefsOf implements [cgraph.BatchQuadStore]. A ref is the hash of its
// value, so this reads nothing: the ref of a value that is not stored is
// returned too, and iterating its quads finds none.
func (s *sqlStore) RefsOf(ctx context.Context, vals []quad.Value) ([]cgraph.Ref, error) {
	out := make([]cgraph.Ref, len(vals))
	for i, v := range vals {
		out[i] = s.QuadStore.ValueOf(v)
	}
	return out, nil
}

// Quad returns the quad a ref names, its four values read in one batch.
func (s *sqlStore) Quad(r cgraph.Ref) quad.Quad {
	refs := make([]cgraph.Ref, 4)
	for i, dir := range quad.Directions {
		refs[i] = s.QuadDirection(r, dir)
	}
	vals, err := s.ValuesOf(context.Background(), refs)
	if err != nil {
		return quad.Quad{}
	}
	return quad.Quad{Subject: vals[0], Predicate: vals[1], Object: vals[2], Label: vals[3]}
}

// quads returns the quads that refs name, all values read in batches.
func (s *sqlStore) quads(ctx context.Context, refs []cgraph.Ref) ([]quad.Quad, error) {
	nodes := make([]cgraph.Ref, 0, 4*len(refs))
	for _, r := range refs {
		for _, dir := range quad.Directions {
			nodes = append(nodes, s.QuadDirection(r, dir))
		}
	}
	vals, err := s.ValuesOf(ctx, nodes)
	if err != nil {
		return nil, err
	}
	out := make([]quad.Quad, len(refs))
	for i := range out {
		out[i] = quad.Quad{Subject: vals[4*i], Predicate: vals[4*i+1], Object: vals[4*i+2], Label: vals[4*i+3]}
	}
	return out, nil
}

// readValues reads the nodes rows of hashes into found.
func (s *sqlStore) readValues(ctx context.Context, hashes []cgraph.ValueHash, found map[cgraph.ValueHash]quad.Value) error {
	args := make([]any, len(hashes))
	for i, h := range hashes {
		args[i] = hashArg(h)
	}
	q := `SELECT hash, value, value_string, datatype, language, iri, bnode, value_int, value_bool, value_float, value_time FROM nodes WHERE hash IN ` +
		valuesList(1, len(hashes), nil)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			hash   csql.NodeHash
			data   []byte
			str    sql.NullString
			typ    sql.NullString
			lang   sql.NullString
			iri    sql.NullBool
			bnode  sql.NullBool
			vint   sql.NullInt64
			vbool  sql.NullBool
			vfloat sql.NullFloat64
			vtime  csql.NullTime
		)
		if err := rows.Scan(&hash, &data, &str, &typ, &lang, &iri, &bnode, &vint, &vbool, &vfloat, &vtime); err != nil {
			return err
		}
		var v quad.Value
		switch {
		case str.Valid && iri.Bool:
			v = quad.IRI(str.String)
		case str.Valid && bnode.Bool:
			v = quad.BNode(str.String)
		case str.Valid && lang.Valid:
			v = quad.LangString{Value: quad.String(unescapeNUL(str.String)), Lang: lang.String}
		case str.Valid && typ.Valid:
			v = quad.TypedString{Value: quad.String(unescapeNUL(str.String)), Type: quad.IRI(typ.String)}
		case str.Valid:
			v = quad.String(unescapeNUL(str.String))
		case vint.Valid:
			v = quad.Int(vint.Int64)
		case vbool.Valid:
			v = quad.Bool(vbool.Bool)
		case vfloat.Valid:
			v = quad.Float(vfloat.Float64)
		case vtime.Valid:
			v = quad.Time(vtime.Time)
		default:
			if v, err = pquads.UnmarshalValue(data); err != nil {
				return err
			}
		}
		found[hash.ValueHash] = v
	}
	return rows.Err()
}

// unescapeNUL undoes the escaping of NUL bytes Cayley applies to strings
// (PostgreSQL's text cannot hold them).
func unescapeNUL(s string) string { return strings.ReplaceAll(s, `\x00`, "\x00") }

// allQuads returns every stored quad, reading the quads table once and the
// values in batches.
func (s *sqlStore) allQuads(ctx context.Context) ([]quad.Quad, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT subject_hash, predicate_hash, object_hash, label_hash FROM quads`)
	if err != nil {
		return nil, err
	}
	var refs []cgraph.Ref
	for rows.Next() {
		var hs [4]csql.NodeHash
		if err := rows.Scan(&hs[0], &hs[1], &hs[2], &hs[3]); err != nil {
			rows.Close()
			return nil, err
		}
		var h cgraph.QuadHash
		for i, dir := range quad.Directions {
			h.Set(dir, hs[i].ValueHash)
		}
		refs = append(refs, csql.QuadHashes{QuadHash: h})
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, err
	}
	return s.quads(ctx, refs)
}
