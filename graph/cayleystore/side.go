package cayleystore

// The linking index beside the quads.
//
// Cross-document linking asks two things of the store for every document
// it links: which statements are indexed under each of some hundred keys,
// and what a few hundred of those statements say, who said them and when.
// As quads, a key's postings cost a read of every quad's log entry and
// value, and a statement costs six index scans; and the keys alone were a
// third of a document's quads. So the index lives in the backend's own
// keys, beside Cayley's, written in the same transaction as the document's
// quads:
//
//	pgx/p/KEY \x00 STATEMENT  → ""        one posting: Lookup is a prefix scan
//	pgx/r/STATEMENT           → record    what the linker reads of a statement
//	pgx/d/DOCUMENT            → list      its statements with keys (their records list the keys)
//
// Outside the store nothing changes: a document's index entries are part
// of its named graph as <statement> indexKey "key" quads, in its
// fingerprint, in Dump and in Restore, and a replaced or removed document
// takes its entries with it. Only where they are kept differs: Badger
// writes them through [badger4.DB.OnCommit] in Cayley's own transaction,
// PostgreSQL in a table of its own in the same SQL transaction, and the
// in-memory store in an in-memory tree, after the quads.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/cayleygraph/quad"
	"github.com/dgraph-io/badger/v4"
	"github.com/hidal-go/hidalgo/kv/flat"
	"github.com/hidal-go/hidalgo/kv/flat/btree"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/badger4"
)

// Key prefixes of the index.
const (
	sidePosting = "pgx/p/"
	sideRecord  = "pgx/r/"
	sideDoc     = "pgx/d/"
)

func postingKey(key string, st graph.ID) []byte {
	return []byte(sidePosting + key + "\x00" + string(st))
}

// postingPrefix returns the prefix a posting key is scanned under (its
// index key's postings), nil for any other key: Badger's key filter
// holds these too, so that looking up a key no statement was ever
// indexed under (most LSH band keys of a new document) costs no seek.
func postingPrefix(k []byte) []byte {
	if !bytes.HasPrefix(k, []byte(sidePosting)) {
		return nil
	}
	i := bytes.IndexByte(k[len(sidePosting):], 0)
	if i < 0 {
		return nil
	}
	return k[:len(sidePosting)+i+1]
}

// record is what the index keeps of a statement: what [graph.Index]
// returns of it, with its speaker and dates as its document gave them.
type record struct {
	St        graph.Statement `json:"s"`
	Speaker   *graph.Actor    `json:"a,omitempty"`
	Published *graph.Date     `json:"p,omitempty"`
	Claims    []graph.ID      `json:"c,omitempty"`
	Keys      []string        `json:"k,omitempty"`
	Analysis  []byte          `json:"n,omitempty"`
}

// sideEntry is one index key of a statement.
type sideEntry struct {
	St  graph.ID `json:"s"`
	Key string   `json:"k"`
}

// sidePair is a key and value to write.
type sidePair struct{ k, v []byte }

// sideOps are the index writes of one transaction: deletions first.
type sideOps struct {
	dels [][]byte
	puts []sidePair
}

func (o *sideOps) empty() bool { return len(o.dels) == 0 && len(o.puts) == 0 }

func (o *sideOps) append(p sideOps) {
	o.dels = append(o.dels, p.dels...)
	o.puts = append(o.puts, p.puts...)
}

// sideKV reads the index.
type sideKV interface {
	// get returns the values of keys, nil for an absent key.
	get(ctx context.Context, keys [][]byte) ([][]byte, error)
	// scan calls fn with the pairs under prefix, in key order, until fn
	// returns false. limit > 0 tells that at most limit pairs are wanted.
	scan(ctx context.Context, prefix []byte, limit int, fn func(k, v []byte) bool) error
}

// multiScanner is a sideKV that scans many prefixes with one iterator.
type multiScanner interface {
	// scanMany calls fn with i and each key under prefixes[i], in key
	// order within each prefix, until fn returns false for that prefix.
	scanMany(ctx context.Context, prefixes [][]byte, fn func(i int, k []byte) bool) error
}

// isIndexQuad reports whether q is an index key quad, kept in the index
// rather than among Cayley's quads.
func isIndexQuad(q quad.Quad) bool { return q.Predicate == quad.IRI(graph.PredIndexKey) }

// factsFunc returns the facts of a shared node (an actor, a date), from
// the graph being written or from the store.
type factsFunc func(graph.ID) ([]quad.Quad, error)

// sideOf splits a named graph's quads into those Cayley stores and the
// index writes that store the rest: the postings of its index keys, a
// record of each of its statements (with its analysis from analyses) and
// the list of its entries.
func sideOf(label graph.ID, quads []quad.Quad, analyses map[graph.ID][]byte, facts factsFunc) ([]quad.Quad, sideOps, error) {
	var (
		kept    = make([]quad.Quad, 0, len(quads))
		entries []sideEntry
		recs    = make(map[graph.ID]*record)
		bySubj  = make(map[graph.ID][]quad.Quad)
		speaker = make(map[graph.ID]graph.ID)
		aliases = make(map[graph.ID][]string)
		pub     graph.ID
	)
	for _, q := range quads {
		subj, _ := q.Subject.(quad.IRI)
		if isIndexQuad(q) {
			entries = append(entries, sideEntry{St: graph.ID(subj), Key: quadString(q.Object)})
			continue
		}
		kept = append(kept, q)
		switch {
		case q.Predicate == quad.IRI(graph.RDFType) && q.Object == quad.IRI(graph.TypeStatement):
			recs[graph.ID(subj)] = &record{}
		case q.Predicate == quad.IRI(graph.PredSaid):
			if o, ok := q.Object.(quad.IRI); ok {
				speaker[graph.ID(o)] = graph.ID(subj)
			}
		case q.Predicate == quad.IRI(graph.PredAlias):
			aliases[graph.ID(subj)] = append(aliases[graph.ID(subj)], quadString(q.Object))
		case q.Subject == quad.IRI(label) && q.Predicate == quad.IRI(graph.PredPublished):
			if o, ok := q.Object.(quad.IRI); ok {
				pub = graph.ID(o)
			}
		}
		bySubj[graph.ID(subj)] = append(bySubj[graph.ID(subj)], q)
	}
	var ops sideOps
	if len(recs) == 0 && len(entries) == 0 {
		return kept, ops, nil
	}
	for _, e := range entries {
		r := recs[e.St]
		if r == nil {
			return nil, ops, invalid(label, "index key %q of %s, which is not one of the document's statements", e.Key, e.St)
		}
		r.Keys = append(r.Keys, e.Key)
		ops.puts = append(ops.puts, sidePair{postingKey(e.Key, e.St), nil})
	}
	published, err := dateOf(pub, facts)
	if err != nil {
		return nil, ops, err
	}
	actors := make(map[graph.ID]*graph.Actor)
	ids := make([]graph.ID, 0, len(recs))
	for id := range recs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		r := recs[id]
		var date graph.ID
		x, _ := decodeStatement(id, label, bySubj[id], func(d graph.ID) { date = d })
		r.St, r.Claims, r.Published, r.Analysis = x.Statement, x.Claims, published, analyses[id]
		if r.St.Date, err = dateOf(date, facts); err != nil {
			return nil, ops, err
		}
		if a := speaker[id]; a != "" {
			if actors[a] == nil {
				if actors[a], err = actorOf(a, facts); err != nil {
					return nil, ops, err
				}
				actors[a].Aliases = slices.Sorted(slices.Values(aliases[graph.MentionID(label, a)]))
			}
			r.Speaker = actors[a]
		}
		slices.Sort(r.Keys)
		ops.puts = append(ops.puts, sidePair{[]byte(sideRecord + string(id)), encodeRecord(r)})
	}
	b, err := encodeDocList(label, entries)
	if err != nil {
		return nil, ops, err
	}
	ops.puts = append(ops.puts, sidePair{[]byte(sideDoc + string(label)), b})
	return kept, ops, nil
}

// encodeDocList returns the list a document's index keeps: its statements
// that have keys, each named by what follows the document's ID (the keys
// themselves are in the statements' records).
func encodeDocList(doc graph.ID, entries []sideEntry) ([]byte, error) {
	sts := make([]string, 0, len(entries))
	for _, e := range entries {
		sts = append(sts, strings.TrimPrefix(string(e.St), string(doc)))
	}
	slices.Sort(sts)
	b, err := json.Marshal(slices.Compact(sts))
	if err != nil {
		return nil, fmt.Errorf("cayleystore: index of %s: %w", doc, err)
	}
	return b, nil
}

// decodeDocList returns a document's index entries from its list, sorted
// by statement then key. A list written by earlier versions holds the
// entries themselves.
func decodeDocList(ctx context.Context, kv sideKV, doc graph.ID, v []byte) ([]sideEntry, error) {
	var entries []sideEntry
	if bytes.HasPrefix(v, []byte("[{")) {
		if err := json.Unmarshal(v, &entries); err != nil {
			return nil, fmt.Errorf("cayleystore: read index of %s: %w", doc, err)
		}
		return entries, nil
	}
	var sts []string
	if err := json.Unmarshal(v, &sts); err != nil {
		return nil, fmt.Errorf("cayleystore: read index of %s: %w", doc, err)
	}
	keys := make([][]byte, len(sts))
	for i, s := range sts {
		keys[i] = []byte(sideRecord + string(doc) + s)
	}
	recs, err := kv.get(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("cayleystore: read index of %s: %w", doc, err)
	}
	for i, r := range recs {
		st := graph.ID(string(doc) + sts[i])
		if r == nil {
			return nil, fmt.Errorf("cayleystore: index of %s: no record of %s", doc, st)
		}
		rec, err := decodeRecord(r)
		if err != nil {
			return nil, fmt.Errorf("cayleystore: read index record of %s: %w", st, err)
		}
		for _, k := range rec.Keys {
			entries = append(entries, sideEntry{St: st, Key: k})
		}
	}
	return entries, nil
}

// dateOf reads the date node id (none for "") from its facts.
func dateOf(id graph.ID, facts factsFunc) (*graph.Date, error) {
	if id == "" {
		return nil, nil
	}
	fs, err := facts(id)
	if err != nil {
		return nil, err
	}
	return dateFromFacts(id, fs)
}

// actorOf reads actor id's name and kind from its facts.
func actorOf(id graph.ID, facts factsFunc) (*graph.Actor, error) {
	fs, err := facts(id)
	if err != nil {
		return nil, err
	}
	a := &graph.Actor{ID: id}
	for _, q := range fs {
		switch q.Predicate {
		case quad.IRI(graph.PredName):
			a.Name = quadString(q.Object)
		case quad.IRI(graph.PredKind):
			a.Kind = graph.ActorKind(quadString(q.Object))
		}
	}
	return a, nil
}

func quadString(v quad.Value) string {
	if s, ok := v.(quad.String); ok {
		return string(s)
	}
	return quad.StringOf(v)
}

// sideEntries returns the stored index entries of document doc.
func sideEntries(ctx context.Context, kv sideKV, doc graph.ID) ([]sideEntry, bool, error) {
	vals, err := kv.get(ctx, [][]byte{[]byte(sideDoc + string(doc))})
	if err != nil {
		return nil, false, fmt.Errorf("cayleystore: read index of %s: %w", doc, err)
	}
	if vals[0] == nil {
		return nil, false, nil
	}
	entries, err := decodeDocList(ctx, kv, doc, vals[0])
	if err != nil {
		return nil, false, err
	}
	return entries, true, nil
}

// sideQuads returns document doc's index entries as quads.
func sideQuads(ctx context.Context, kv sideKV, doc graph.ID) ([]quad.Quad, error) {
	entries, _, err := sideEntries(ctx, kv, doc)
	if err != nil {
		return nil, err
	}
	out := make([]quad.Quad, len(entries))
	for i, e := range entries {
		out[i] = quad.Quad{Subject: quad.IRI(e.St), Predicate: quad.IRI(graph.PredIndexKey), Object: quad.String(e.Key), Label: quad.IRI(doc)}
	}
	return out, nil
}

// sideDeletes returns the writes that remove document doc's index: its
// postings, the records of its statements (stmts: every statement the
// document has stored) and its list.
func sideDeletes(ctx context.Context, kv sideKV, doc graph.ID, stmts []graph.ID) (sideOps, error) {
	var ops sideOps
	entries, found, err := sideEntries(ctx, kv, doc)
	if err != nil || !found {
		return ops, err
	}
	for _, e := range entries {
		ops.dels = append(ops.dels, postingKey(e.Key, e.St))
	}
	for _, id := range stmts {
		ops.dels = append(ops.dels, []byte(sideRecord+string(id)))
	}
	ops.dels = append(ops.dels, []byte(sideDoc+string(doc)))
	return ops, nil
}

// statementsIn returns the statements among quads (their rdf:type quads).
func statementsIn(quads []quad.Quad) []graph.ID {
	var out []graph.ID
	for _, q := range quads {
		if q.Predicate == quad.IRI(graph.RDFType) && q.Object == quad.IRI(graph.TypeStatement) {
			if iri, ok := q.Subject.(quad.IRI); ok {
				out = append(out, graph.ID(iri))
			}
		}
	}
	return out
}

// allSideQuads returns the index entries of every document as quads.
func allSideQuads(ctx context.Context, kv sideKV) ([]quad.Quad, error) {
	var (
		out []quad.Quad
		err error
	)
	type list struct {
		doc graph.ID
		v   []byte
	}
	var lists []list
	scanErr := kv.scan(ctx, []byte(sideDoc), 0, func(k, v []byte) bool {
		lists = append(lists, list{graph.ID(k[len(sideDoc):]), bytes.Clone(v)})
		return true
	})
	if scanErr != nil {
		return nil, scanErr
	}
	for _, l := range lists {
		entries, err := decodeDocList(ctx, kv, l.doc, l.v)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			out = append(out, quad.Quad{Subject: quad.IRI(e.St), Predicate: quad.IRI(graph.PredIndexKey), Object: quad.String(e.Key), Label: quad.IRI(l.doc)})
		}
	}
	return out, err
}

// flatSide keeps the index in a hidalgo flat key-value store: Badger's own
// database, or an in-memory tree.
type flatSide struct{ kv flat.KV }

func (f flatSide) get(ctx context.Context, keys [][]byte) ([][]byte, error) {
	tx, err := f.kv.Tx(false)
	if err != nil {
		return nil, err
	}
	defer tx.Close()
	fk := make([]flat.Key, len(keys))
	for i, k := range keys {
		fk[i] = k
	}
	vals, err := tx.GetBatch(ctx, fk)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(vals))
	for i, v := range vals {
		out[i] = v
	}
	return out, nil
}

func (f flatSide) scan(ctx context.Context, prefix []byte, limit int, fn func(k, v []byte) bool) error {
	tx, err := f.kv.Tx(false)
	if err != nil {
		return err
	}
	defer tx.Close()
	it := tx.Scan(prefix)
	defer it.Close()
	for it.Next(ctx) {
		if !fn(it.Key(), it.Val()) {
			break
		}
	}
	return it.Err()
}

// badgerSide is the index in Badger's own database.
type badgerSide struct {
	flatSide
	db *badger4.DB
}

// scanMany seeks one Badger iterator from prefix to prefix: creating an
// iterator costs more than a seek.
func (b badgerSide) scanMany(ctx context.Context, prefixes [][]byte, fn func(i int, k []byte) bool) error {
	order := make([]int, len(prefixes))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(x, y int) bool { return bytes.Compare(prefixes[order[x]], prefixes[order[y]]) < 0 })
	txn := b.db.Badger().NewTransaction(false)
	defer txn.Discard()
	opt := badger.DefaultIteratorOptions
	opt.PrefetchValues = false
	opt.Prefix = []byte(sidePosting)
	it := txn.NewIterator(opt)
	defer it.Close()
	for n, i := range order {
		if n%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		p := prefixes[i]
		if !b.db.MayHavePrefix(p) {
			continue
		}
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			if !fn(i, it.Item().Key()) {
				break
			}
		}
	}
	return nil
}

// writeFlat applies ops in a flat store's transaction.
func writeFlat(tx interface {
	Put(flat.Key, flat.Value) error
	Del(flat.Key) error
}, ops sideOps) error {
	for _, k := range ops.dels {
		if err := tx.Del(k); err != nil {
			return err
		}
	}
	for _, p := range ops.puts {
		if err := tx.Put(p.k, p.v); err != nil {
			return err
		}
	}
	return nil
}

// memSide is the index of stores without a transaction to share: an
// in-memory tree written after the quads.
type memSide struct {
	flatSide
	mu sync.RWMutex
}

func newMemSide() *memSide { return &memSide{flatSide: flatSide{btree.New()}} }

func (m *memSide) get(ctx context.Context, keys [][]byte) ([][]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.flatSide.get(ctx, keys)
}

func (m *memSide) scan(ctx context.Context, prefix []byte, limit int, fn func(k, v []byte) bool) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.flatSide.scan(ctx, prefix, limit, fn)
}

func (m *memSide) write(ctx context.Context, ops sideOps) error {
	if ops.empty() {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return commitFlat(ctx, m.kv, ops)
}

// commitFlat writes ops in a transaction of their own.
func commitFlat(ctx context.Context, kv flat.KV, ops sideOps) error {
	tx, err := kv.Tx(true)
	if err != nil {
		return err
	}
	defer tx.Close()
	if err := writeFlat(tx, ops); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// writeBadgerSide makes Cayley's next transaction on db carry ops; done
// removes the hook.
func writeBadgerSide(db *badger4.DB, ops sideOps) (done func()) {
	if ops.empty() {
		return func() {}
	}
	db.OnCommit(func(tx *badger4.Tx) error { return writeFlat(tx, ops) })
	return func() { db.OnCommit(nil) }
}

// sqlSide keeps the index in a table of its own, provgraph_index.
type sqlSide struct{ db *sql.DB }

const sqlSideTable = `CREATE TABLE IF NOT EXISTS provgraph_index (k BYTEA PRIMARY KEY, v BYTEA NOT NULL)`

func (s sqlSide) get(ctx context.Context, keys [][]byte) ([][]byte, error) {
	out := make([][]byte, len(keys))
	pos := make(map[string][]int, len(keys))
	for i, k := range keys {
		pos[string(k)] = append(pos[string(k)], i)
	}
	for start := 0; start < len(keys); start += hashRows {
		chunk := keys[start:min(len(keys), start+hashRows)]
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		rows, err := s.db.QueryContext(ctx, `SELECT k, v FROM provgraph_index WHERE k IN `+valuesList(1, len(chunk), nil), args...)
		if err != nil {
			return nil, redactErr(err)
		}
		for rows.Next() {
			var k, v []byte
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return nil, redactErr(err)
			}
			if v == nil {
				v = []byte{}
			}
			for _, i := range pos[string(k)] {
				out[i] = v
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, redactErr(err)
		}
	}
	return out, nil
}

// prefixEnd returns the least key greater than every key starting with p,
// or nil when there is none.
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

func (s sqlSide) scan(ctx context.Context, prefix []byte, limit int, fn func(k, v []byte) bool) error {
	q := `SELECT k, v FROM provgraph_index WHERE k >= $1`
	args := []any{prefix}
	if end := prefixEnd(prefix); end != nil {
		q += ` AND k < $2`
		args = append(args, end)
	}
	q += ` ORDER BY k`
	if limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return redactErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return redactErr(err)
		}
		if !fn(k, v) {
			return nil
		}
	}
	return redactErr(rows.Err())
}

// writeSQL applies ops in the SQL transaction of the quads.
func writeSQL(ctx context.Context, tx *sql.Tx, ops sideOps) error {
	for start := 0; start < len(ops.dels); start += hashRows {
		chunk := ops.dels[start:min(len(ops.dels), start+hashRows)]
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM provgraph_index WHERE k IN `+valuesList(1, len(chunk), nil), args...); err != nil {
			return err
		}
	}
	// The last write of a key wins; rows of one INSERT must be distinct.
	last := make(map[string]int, len(ops.puts))
	for i, p := range ops.puts {
		last[string(p.k)] = i
	}
	puts := make([]sidePair, 0, len(last))
	for i, p := range ops.puts {
		if last[string(p.k)] == i {
			puts = append(puts, p)
		}
	}
	sort.Slice(puts, func(i, j int) bool { return bytes.Compare(puts[i].k, puts[j].k) < 0 })
	for start := 0; start < len(puts); start += quadRows {
		chunk := puts[start:min(len(puts), start+quadRows)]
		args := make([]any, 0, 2*len(chunk))
		for _, p := range chunk {
			v := p.v
			if v == nil {
				v = []byte{}
			}
			args = append(args, p.k, v)
		}
		q := `INSERT INTO provgraph_index (k, v) VALUES ` + valuesList(len(chunk), 2, nil) + ` ON CONFLICT (k) DO UPDATE SET v = excluded.v`
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}
