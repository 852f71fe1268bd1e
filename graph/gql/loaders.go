package gql

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"github.com/provgraph/provgraph/graph"
)

// batchWait is how long a dataloader waits for more keys before it reads:
// long enough for the resolvers of one list, run concurrently, to add their
// keys, short enough not to show in a request's latency.
const batchWait = 2 * time.Millisecond

// batchCapacity caps the keys of one read; a list of 100 statements with
// their speakers and documents fits in one read per kind.
const batchCapacity = 1000

// loaderSet holds the per-request dataloaders: every related node a
// resolver needs is read through them, so the nodes of one level of a
// query are read in one batch per kind, and a node asked for twice is read
// once.
//
// Batching by a time window depends on scheduling: on a busy machine the
// resolvers of one list may not all add their keys within batchWait, and a
// batch splits. So a page of a connection does not rely on it: the
// resolver that lists the page reads its nodes, and what the query selects
// of them, in one store read per kind and primes the loaders with the
// results (see [loaderSet.statementPage]); the window only batches what no
// page resolver foresaw.
//
// Nodes are read whole, except where a request shows little of many of
// them: the statements of a page are read with only the fields the query
// selects of them ([graph.PartReader.StatementParts]), which are then not
// shared with the statements loader; a statement's document is read with
// only the fields its selection shows, and its speaker without the
// evidence of its said edges unless several actors said it.
type loaderSet struct {
	r          reader
	statements *dataloadgen.Loader[graph.ID, *graph.Statement]
	actors     *dataloadgen.Loader[graph.ID, *graph.Actor]
	documents  *dataloadgen.Loader[graph.ID, *graph.Document]
	claims     *dataloadgen.Loader[graph.ID, *graph.Claim]
	places     *dataloadgen.Loader[graph.ID, *graph.Place]
	edgesIn    *dataloadgen.Loader[graph.ID, []graph.Edge]
	edgesOut   *dataloadgen.Loader[graph.ID, []graph.Edge]
	said       *dataloadgen.Loader[graph.ID, int]
	speakers   *dataloadgen.Loader[graph.ID, graph.ID]
	// docParts reads documents with some of their fields; parts holds
	// every document read so far, whole or in part, with the fields it
	// has.
	docParts *dataloadgen.Loader[docKey, *graph.Document]
	parts    sync.Map // graph.ID → docPart
	// runes caches documents' texts as code points, for spans.
	runes sync.Map // graph.ID → []rune
}

// reader is what the loaders read from.
type reader interface {
	graph.Reader
	graph.PartReader
}

// docKey names a document and the fields a resolver needs of it.
type docKey struct {
	id     graph.ID
	fields graph.DocumentFields
}

// docPart is a document read with some fields.
type docPart struct {
	doc    *graph.Document
	fields graph.DocumentFields
}

func newLoaderSet(r reader) *loaderSet {
	opts := []dataloadgen.Option{dataloadgen.WithWait(batchWait), dataloadgen.WithBatchCapacity(batchCapacity)}
	l := &loaderSet{
		r:          r,
		statements: dataloadgen.NewLoader(byID(r.StatementsByID), opts...),
		actors:     dataloadgen.NewLoader(byID(r.ActorsByID), opts...),
		claims:     dataloadgen.NewLoader(byID(r.ClaimsByID), opts...),
		places:     dataloadgen.NewLoader(byID(r.PlacesByID), opts...),
		speakers:   dataloadgen.NewLoader(aligned(r.Speakers), opts...),
	}
	l.documents = dataloadgen.NewLoader(byID(l.wholeDocuments), opts...)
	l.docParts = dataloadgen.NewLoader(l.documentParts, opts...)
	l.edgesIn = dataloadgen.NewLoader(aligned(l.inEdges), opts...)
	l.edgesOut = dataloadgen.NewLoader(aligned(l.outEdges), opts...)
	l.said = dataloadgen.NewLoader(aligned(l.saidCounts), opts...)
	return l
}

// wholeDocuments reads documents with all their fields.
func (l *loaderSet) wholeDocuments(ctx context.Context, ids []graph.ID) ([]*graph.Document, error) {
	docs, err := l.r.DocumentsByID(ctx, ids)
	if err == nil {
		l.keepParts(docs, graph.DocumentFieldAll)
	}
	return docs, err
}

// readDocuments reads documents with the fields in want.
func (l *loaderSet) readDocuments(ctx context.Context, ids []graph.ID, want graph.DocumentFields) ([]*graph.Document, error) {
	if want == graph.DocumentFieldAll {
		return l.wholeDocuments(ctx, ids)
	}
	docs, err := l.r.DocumentParts(ctx, ids, want)
	if err == nil {
		l.keepParts(docs, want)
	}
	return docs, err
}

// keepParts remembers documents read with fields, unless one read with
// more of them is known.
func (l *loaderSet) keepParts(docs []*graph.Document, fields graph.DocumentFields) {
	for _, d := range docs {
		if d == nil {
			continue
		}
		if old, ok := l.parts.Load(d.ID); ok && old.(docPart).fields&fields == fields {
			continue
		}
		l.parts.Store(d.ID, docPart{d, fields})
	}
}

// documentParts is the fetch of docParts: one read per set of fields.
func (l *loaderSet) documentParts(ctx context.Context, keys []docKey) ([]*graph.Document, []error) {
	out := make([]*graph.Document, len(keys))
	errs := make([]error, len(keys))
	byFields := make(map[graph.DocumentFields][]int)
	for i, k := range keys {
		byFields[k.fields] = append(byFields[k.fields], i)
	}
	for fields, is := range byFields {
		ids := make([]graph.ID, len(is))
		for k, i := range is {
			ids[k] = keys[i].id
		}
		docs, err := l.readDocuments(ctx, ids, fields)
		if err == nil && len(docs) != len(ids) {
			err = fmt.Errorf("gql: a batch read returned %d results for %d keys", len(docs), len(ids))
		}
		for k, i := range is {
			switch {
			case err != nil:
				errs[i] = err
			case docs[k] == nil:
				errs[i] = fmt.Errorf("gql: %s: %w", ids[k], graph.ErrNotFound)
			default:
				out[i] = docs[k]
			}
		}
	}
	return out, errs
}

// document returns a document with at least the fields in want: one read
// before with them, or a new read (batched with the other resolvers').
func (l *loaderSet) document(ctx context.Context, id graph.ID, want graph.DocumentFields) (*graph.Document, error) {
	if v, ok := l.parts.Load(id); ok && v.(docPart).fields&want == want {
		return v.(docPart).doc, nil
	}
	if want == graph.DocumentFieldAll {
		return l.documents.Load(ctx, id)
	}
	return l.docParts.Load(ctx, docKey{id, want})
}

// clear forgets every node read so far, after a write.
func (l *loaderSet) clear() {
	l.statements.ClearAll()
	l.actors.ClearAll()
	l.documents.ClearAll()
	l.claims.ClearAll()
	l.places.ClearAll()
	l.edgesIn.ClearAll()
	l.edgesOut.ClearAll()
	l.said.ClearAll()
	l.speakers.ClearAll()
	l.docParts.ClearAll()
	l.parts.Clear()
	l.runes.Clear()
}

// aligned adapts a batch read whose results are aligned to its keys to
// dataloadgen's fetch: one error per key.
func aligned[T any](fetch func(context.Context, []graph.ID) ([]T, error)) func(context.Context, []graph.ID) ([]T, []error) {
	return func(ctx context.Context, ids []graph.ID) ([]T, []error) {
		vals, err := fetch(ctx, ids)
		if err == nil && len(vals) != len(ids) {
			err = fmt.Errorf("gql: a batch read returned %d results for %d keys", len(vals), len(ids))
		}
		errs := make([]error, len(ids))
		if err != nil {
			for i := range errs {
				errs[i] = err
			}
			return make([]T, len(ids)), errs
		}
		return vals, errs
	}
}

// byID adapts a batch look-up by ID: a key without a node gets an error
// wrapping [graph.ErrNotFound].
func byID[T any](fetch func(context.Context, []graph.ID) ([]*T, error)) func(context.Context, []graph.ID) ([]*T, []error) {
	f := aligned(fetch)
	return func(ctx context.Context, ids []graph.ID) ([]*T, []error) {
		vals, errs := f(ctx, ids)
		for i, v := range vals {
			if v == nil && errs[i] == nil {
				errs[i] = fmt.Errorf("gql: %s: %w", ids[i], graph.ErrNotFound)
			}
		}
		return vals, errs
	}
}

// readPage reads the nodes of a page in one store read and primes loader
// with them. IDs without a node (removed since the page was listed) are
// dropped; pos gives each node's index in ids.
func readPage[T any](ctx context.Context, loader *dataloadgen.Loader[graph.ID, *T], fetch func(context.Context, []graph.ID) ([]*T, error), ids []graph.ID) (nodes []*T, pos []int, err error) {
	nodes, pos, err = readNodes(ctx, fetch, ids)
	for k, v := range nodes {
		loader.Prime(ids[pos[k]], v)
	}
	return nodes, pos, err
}

// readNodes is readPage without a loader.
func readNodes[T any](ctx context.Context, fetch func(context.Context, []graph.ID) ([]*T, error), ids []graph.ID) (nodes []*T, pos []int, err error) {
	if len(ids) == 0 {
		return nil, nil, nil
	}
	vals, err := fetch(ctx, ids)
	if err == nil && len(vals) != len(ids) {
		err = fmt.Errorf("gql: a batch read returned %d results for %d keys", len(vals), len(ids))
	}
	if err != nil {
		return nil, nil, err
	}
	for i, v := range vals {
		if v != nil {
			nodes = append(nodes, v)
			pos = append(pos, i)
		}
	}
	return nodes, pos, nil
}

// primeAligned reads ids' values in one store read and primes loader with
// them. A failed read primes nothing: the resolvers then load through the
// loader, which reports the error where it belongs.
func primeAligned[T any](ctx context.Context, loader *dataloadgen.Loader[graph.ID, T], fetch func(context.Context, []graph.ID) ([]T, error), ids []graph.ID) []T {
	if len(ids) == 0 {
		return nil
	}
	vals, err := fetch(ctx, ids)
	if err != nil || len(vals) != len(ids) {
		return nil
	}
	for i, v := range vals {
		loader.Prime(ids[i], v)
	}
	return vals
}

// primeByID is primeAligned for nodes: only the nodes found are primed.
func primeByID[T any](ctx context.Context, loader *dataloadgen.Loader[graph.ID, *T], fetch func(context.Context, []graph.ID) ([]*T, error), ids []graph.ID) {
	if len(ids) == 0 {
		return
	}
	vals, err := fetch(ctx, ids)
	if err != nil || len(vals) != len(ids) {
		return
	}
	for i, v := range vals {
		if v != nil {
			loader.Prime(ids[i], v)
		}
	}
}

// statementPage reads a page of statements in one store read, with only
// the fields the query selects of them, then prefetches what it selects
// of their neighbours (their documents with the fields selected of them,
// speakers and the speakers' statement counts, edges, places, claims) in
// one store read per kind, before the statements' field resolvers run.
//
// The statements are read whole, and shared with the statements loader,
// only when the query selects a field whose needs are not known.
func (l *loaderSet) statementPage(ctx context.Context, ids []graph.ID) ([]*graph.Statement, []int, error) {
	node := pageNodeFields(ctx, statementConnectionImplementors, statementEdgeImplementors, statementImplementors)
	want := statementFields(node)
	fetch := l.r.StatementsByID
	if want != graph.StatementFieldAll {
		fetch = func(ctx context.Context, ids []graph.ID) ([]*graph.Statement, error) {
			return l.r.StatementParts(ctx, ids, want)
		}
	}
	sts, pos, err := readNodes(ctx, fetch, ids)
	if err != nil || len(sts) == 0 {
		return sts, pos, err
	}
	if want == graph.StatementFieldAll {
		for _, st := range sts {
			l.statements.Prime(st.ID, st)
		}
	}
	if len(node) == 0 {
		return sts, pos, nil
	}
	has := func(names ...string) bool {
		for _, n := range names {
			if _, ok := node[n]; ok {
				return true
			}
		}
		return false
	}
	stIDs := make([]graph.ID, len(sts))
	var docs, places, claims []graph.ID
	for i, st := range sts {
		stIDs[i] = st.ID
		docs = append(docs, st.Document)
		places = append(places, st.Places...)
		if st.Claim != "" {
			claims = append(claims, st.Claim)
		}
	}
	var docWant graph.DocumentFields
	if sets, ok := node["document"]; ok {
		docWant = documentFields(ctx, sets)
	}
	if has("span", "contentSpans", "cueSpans", "sentence") {
		docWant |= graph.DocumentFieldText
	}
	var wg sync.WaitGroup
	if has("document", "span", "contentSpans", "cueSpans", "sentence") {
		// Errors show where the documents are loaded again.
		wg.Go(func() { l.readDocuments(ctx, unique(docs), docWant) })
	}
	if has("places") {
		wg.Go(func() { primeByID(ctx, l.places, l.r.PlacesByID, unique(places)) })
	}
	if has("claim") {
		wg.Go(func() { primeByID(ctx, l.claims, l.r.ClaimsByID, unique(claims)) })
	}
	if has("cites", "disputes", "edges") {
		wg.Go(func() { primeAligned(ctx, l.edgesOut, l.outEdges, stIDs) })
	}
	if has("speaker", "citedBy", "disputedBy", "edges") {
		wg.Go(func() {
			var speakers []graph.ID
			if has("citedBy", "disputedBy", "edges") {
				// The incoming edges, with their evidence, give the
				// speakers too.
				in := primeAligned(ctx, l.edgesIn, l.inEdges, stIDs)
				if in == nil || !has("speaker") {
					return
				}
				speakers = make([]graph.ID, len(in))
				for i, es := range in {
					speakers[i] = graph.BestSpeaker(es)
					l.speakers.Prime(stIDs[i], speakers[i])
				}
			} else if speakers = primeAligned(ctx, l.speakers, l.r.Speakers, stIDs); speakers == nil {
				return
			}
			speakers = unique(slices.DeleteFunc(speakers, func(id graph.ID) bool { return id == "" }))
			var inner sync.WaitGroup
			inner.Go(func() { primeByID(ctx, l.actors, l.r.ActorsByID, speakers) })
			for _, sel := range node["speaker"] {
				if _, ok := fieldsOf(ctx, []ast.SelectionSet{sel}, actorImplementors)["saidCount"]; ok {
					inner.Go(func() { primeAligned(ctx, l.said, l.saidCounts, speakers) })
					break
				}
			}
			inner.Wait()
		})
	}
	wg.Wait()
	return sts, pos, nil
}

// statementFields returns the fields of a statement that the selected
// fields need, by field name; all of them when a field's needs are not
// known.
func statementFields(node map[string][]ast.SelectionSet) graph.StatementFields {
	return fieldsNeeded(node, statementFieldNeeds, graph.StatementFieldAll)
}

// fieldsNeeded joins the needs of the selected fields; a field whose needs
// are not known needs all.
func fieldsNeeded[F ~uint32, S any](selected map[string]S, needs map[string]F, all F) F {
	var want F
	for name := range selected {
		f, ok := needs[name]
		if !ok {
			return all
		}
		want |= f
	}
	return want
}

// statementFieldNeeds gives what each field of Statement reads of the
// statement itself; the fields that read other nodes, or only the
// statement's ID or document, need nothing.
var statementFieldNeeds = map[string]graph.StatementFields{
	"__typename": 0, "id": 0, "speaker": 0, "document": 0, "cites": 0, "citedBy": 0, "disputes": 0, "disputedBy": 0, "edges": 0,
	"text":         graph.StatementFieldText,
	"kind":         graph.StatementFieldKind,
	"cue":          graph.StatementFieldCue,
	"source":       graph.StatementFieldSource,
	"date":         graph.StatementFieldDate,
	"dateSource":   graph.StatementFieldDate,
	"span":         graph.StatementFieldSpans,
	"contentSpans": graph.StatementFieldSpans,
	"cueSpans":     graph.StatementFieldSpans,
	"sentence":     graph.StatementFieldSpans,
	"places":       graph.StatementFieldPlaces,
	"dates":        graph.StatementFieldDates,
	"claim":        graph.StatementFieldClaim,
	"rule":         graph.StatementFieldRule,
	"confidence":   graph.StatementFieldConfidence,
}

// documentFields returns the fields of a document that the selections
// sets of a Document need; all of them when a field's needs are not
// known.
func documentFields(ctx context.Context, sets []ast.SelectionSet) graph.DocumentFields {
	return fieldsNeeded(fieldsOf(ctx, sets, documentImplementors), documentFieldNeeds, graph.DocumentFieldAll)
}

// documentFieldNeeds gives what each field of Document reads of the
// document.
var documentFieldNeeds = map[string]graph.DocumentFields{
	"__typename": 0, "id": 0, "statements": 0,
	"title":     graph.DocumentFieldTitle,
	"url":       graph.DocumentFieldURL,
	"publisher": graph.DocumentFieldPublisher,
	"authors":   graph.DocumentFieldAuthors,
	"published": graph.DocumentFieldPublished,
	"source":    graph.DocumentFieldSource,
	"format":    graph.DocumentFieldFormat,
	"text":      graph.DocumentFieldText,
}

// selectedDocument returns the document the current Document field
// resolves to, with the fields its selection needs.
func selectedDocument(ctx context.Context, id graph.ID) (*graph.Document, error) {
	want := graph.DocumentFieldAll
	if fc := graphql.GetFieldContext(ctx); fc != nil && graphql.HasOperationContext(ctx) {
		want = documentFields(ctx, []ast.SelectionSet{fc.Field.Selections})
	}
	return loadersFor(ctx).document(ctx, id, want)
}

// actorPage reads a page of actors in one store read and, when the query
// selects saidCount, their statement counts in one more.
func (l *loaderSet) actorPage(ctx context.Context, ids []graph.ID) ([]*graph.Actor, []int, error) {
	actors, pos, err := readPage(ctx, l.actors, l.r.ActorsByID, ids)
	if err != nil || len(actors) == 0 {
		return actors, pos, err
	}
	if _, ok := pageNodeFields(ctx, actorConnectionImplementors, actorEdgeImplementors, actorImplementors)["saidCount"]; ok {
		found := make([]graph.ID, len(actors))
		for i, a := range actors {
			found[i] = a.ID
		}
		primeAligned(ctx, l.said, l.saidCounts, found)
	}
	return actors, pos, nil
}

func (l *loaderSet) inEdges(ctx context.Context, ids []graph.ID) ([][]graph.Edge, error) {
	return l.r.EdgesOf(ctx, ids, graph.In)
}

func (l *loaderSet) outEdges(ctx context.Context, ids []graph.ID) ([][]graph.Edge, error) {
	return l.r.EdgesOf(ctx, ids, graph.Out)
}

func (l *loaderSet) saidCounts(ctx context.Context, ids []graph.ID) ([]int, error) {
	return l.r.Degrees(ctx, ids, graph.Out, graph.Said)
}

// pageNodeFields returns the fields the current connection field selects
// of its nodes (edges { node { ... } }), by name, through fragments; nil
// outside a resolver.
func pageNodeFields(ctx context.Context, conn, edge, node []string) map[string][]ast.SelectionSet {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return nil
	}
	var nodes map[string][]ast.SelectionSet
	for _, edges := range fieldsOf(ctx, []ast.SelectionSet{fc.Field.Selections}, conn)["edges"] {
		for _, n := range fieldsOf(ctx, []ast.SelectionSet{edges}, edge)["node"] {
			for name, sets := range fieldsOf(ctx, []ast.SelectionSet{n}, node) {
				if nodes == nil {
					nodes = make(map[string][]ast.SelectionSet)
				}
				nodes[name] = append(nodes[name], sets...)
			}
		}
	}
	return nodes
}

// fieldsOf collects the fields that sets select on an object satisfying
// the given types, by name; a name selected more than once (under
// aliases) has each selection.
func fieldsOf(ctx context.Context, sets []ast.SelectionSet, satisfies []string) map[string][]ast.SelectionSet {
	out := make(map[string][]ast.SelectionSet)
	oc := graphql.GetOperationContext(ctx)
	for _, set := range sets {
		for _, f := range graphql.CollectFields(oc, set, satisfies) {
			out[f.Name] = append(out[f.Name], f.Selections)
		}
	}
	return out
}

// unique returns ids sorted without repeats.
func unique(ids []graph.ID) []graph.ID {
	slices.Sort(ids)
	return slices.Compact(ids)
}

type ctxKey int

const (
	loadersKey ctxKey = iota
	requestIDKey
	authorizedKey
)

// withLoaders returns a context carrying a request's dataloaders.
func withLoaders(ctx context.Context, l *loaderSet) context.Context {
	return context.WithValue(ctx, loadersKey, l)
}

// loadersFor returns the request's dataloaders. The handler installs them
// for every operation; their absence is a wiring mistake.
func loadersFor(ctx context.Context) *loaderSet {
	l, ok := ctx.Value(loadersKey).(*loaderSet)
	if !ok {
		panic("gql: no dataloaders in the context: serve through NewHandler")
	}
	return l
}

// WithRequestID returns a context carrying the ID of the request, which the
// error presenter logs with every internal error and shows the client.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestIDFor returns the request ID set by [WithRequestID], or "".
func RequestIDFor(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
