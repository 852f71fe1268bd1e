package gql

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/provgraph/provgraph/graph"
)

// Cursors are opaque to clients: the base64 of "o:" and the item's offset
// in its list. Lists are sorted deterministically, so a cursor stays valid
// while the graph does not change; after a change, a page may repeat or
// skip an item, as with any offset.
func cursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(offset)))
}

func parseCursor(c string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, false
	}
	s, ok := strings.CutPrefix(string(b), "o:")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// pageOf checks first and after and returns the page they select.
func pageOf(first *int, after *string, def int) (graph.Page, error) {
	n := def
	if first != nil {
		n = *first
	}
	if n < 0 || n > MaxFirst {
		return graph.Page{}, badInput("first must be between 0 and %d, not %d", MaxFirst, n)
	}
	p := graph.Page{Limit: n}
	if after != nil && *after != "" {
		off, ok := parseCursor(*after)
		if !ok {
			return graph.Page{}, badInput("after: %q is not a cursor this API returned", *after)
		}
		p.Offset = off + 1
	}
	return p, nil
}

func pageInfo(p graph.Page, n, total int) *PageInfo {
	pi := &PageInfo{HasPreviousPage: p.Offset > 0, HasNextPage: p.Offset+n < total}
	if n > 0 {
		s, e := cursor(p.Offset), cursor(p.Offset+n-1)
		pi.StartCursor, pi.EndCursor = &s, &e
	}
	return pi
}

// loadAll loads ids through a dataloader and drops the ones that no longer
// exist (removed between listing and loading); other errors fail.
func loadAll[T any](ctx context.Context, load func(context.Context, graph.ID) (*T, error), ids []graph.ID) ([]*T, []int, error) {
	vals := make([]*T, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vals[i], errs[i] = load(ctx, id)
		}()
	}
	wg.Wait()
	var (
		out []*T
		pos []int
	)
	for i, v := range vals {
		switch {
		case errs[i] == nil:
			out = append(out, v)
			pos = append(pos, i)
		case errors.Is(errs[i], graph.ErrNotFound):
		default:
			return nil, nil, errs[i]
		}
	}
	return out, pos, nil
}

func (r *Resolver) statementConnection(ctx context.Context, f graph.StatementFilter, first *int, after *string, def int) (*StatementConnection, error) {
	p, err := pageOf(first, after, def)
	if err != nil {
		return nil, err
	}
	pg, err := r.Store.FindStatements(ctx, f, p)
	if err != nil {
		return nil, err
	}
	sts, pos, err := loadersFor(ctx).statementPage(ctx, pg.IDs)
	if err != nil {
		return nil, err
	}
	c := &StatementConnection{TotalCount: pg.Total, PageInfo: pageInfo(p, len(pg.IDs), pg.Total), Edges: make([]StatementEdge, len(sts))}
	for i, st := range sts {
		c.Edges[i] = StatementEdge{Cursor: cursor(p.Offset + pos[i]), Node: st}
	}
	return c, nil
}

// actorID resolves a client's reference to an actor: an ID, or a name or
// alias. An unknown name gives an ID that matches nothing.
func (r *Resolver) actorID(ctx context.Context, ref string) (graph.ID, error) {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, graph.Base) {
		return graph.ID(ref), nil
	}
	a, err := r.Store.ActorByName(ctx, ref)
	if errors.Is(err, graph.ErrNotFound) {
		return graph.ActorID(ref), nil
	}
	if err != nil {
		return "", err
	}
	return a.ID, nil
}

// placeID resolves a client's reference to a place: an ID or a name.
func placeID(ref string) graph.ID {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, graph.Base) {
		return graph.ID(ref)
	}
	return graph.PlaceID(ref)
}

// resolveFilter turns the names a client may give in a filter into IDs.
func (r *Resolver) resolveFilter(ctx context.Context, f *graph.StatementFilter) (graph.StatementFilter, error) {
	if f == nil {
		return graph.StatementFilter{}, nil
	}
	out := *f
	if out.Actor != "" {
		id, err := r.actorID(ctx, string(out.Actor))
		if err != nil {
			return out, err
		}
		out.Actor = id
	}
	if out.Place != "" {
		out.Place = placeID(string(out.Place))
	}
	return out, nil
}

// loadNode loads any node by ID, by the kind its ID names; an ID of no
// node gives an error wrapping graph.ErrNotFound.
func loadNode(ctx context.Context, id graph.ID) (Node, error) {
	l := loadersFor(ctx)
	var (
		n   Node
		err error
	)
	switch graph.KindOf(id) {
	case graph.KindStatement:
		n, err = l.statements.Load(ctx, id)
	case graph.KindActor:
		n, err = l.actors.Load(ctx, id)
	case graph.KindDocument:
		n, err = l.documents.Load(ctx, id)
	case graph.KindClaim:
		n, err = l.claims.Load(ctx, id)
	case graph.KindPlace:
		n, err = l.places.Load(ctx, id)
	default:
		return nil, &userError{code: CodeNotFound, msg: "no node has the ID " + strconv.Quote(string(id))}
	}
	if err != nil {
		return nil, err
	}
	return n, nil
}

// orNil turns a not-found error into a nil result, for nullable fields.
func orNil[T any](v *T, err error) (*T, error) {
	if errors.Is(err, graph.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

// statementsOf loads statements by ID, in date order, skipping missing
// ones.
func statementsOf(ctx context.Context, ids []graph.ID) ([]graph.Statement, error) {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	sts, _, err := loadAll(ctx, loadersFor(ctx).statements.Load, ids)
	if err != nil {
		return nil, err
	}
	out := make([]graph.Statement, len(sts))
	for i, st := range sts {
		out[i] = *st
	}
	slices.SortFunc(out, func(a, b graph.Statement) int {
		return graph.CompareTimeline(dateValue(a.Date), a.ID, dateValue(b.Date), b.ID)
	})
	return out, nil
}

func dateValue(d *graph.Date) string {
	if d == nil || d.Precision == graph.PrecisionUnknown {
		return ""
	}
	return d.Value
}

// spanOf returns a span of a document's text with the text it covers.
func spanOf(ctx context.Context, doc graph.ID, s graph.Span) (*Span, error) {
	l := loadersFor(ctx)
	runes, err := l.runesOf(ctx, doc)
	if err != nil {
		return nil, err
	}
	out := &Span{Start: s.Start, End: s.End}
	if s.Start >= 0 && s.Start <= s.End && s.End <= len(runes) {
		out.Text = string(runes[s.Start:s.End])
	}
	return out, nil
}

// runesOf returns a document's text as code points, converted once per
// request.
func (l *loaderSet) runesOf(ctx context.Context, doc graph.ID) ([]rune, error) {
	if v, ok := l.runes.Load(doc); ok {
		return v.([]rune), nil
	}
	d, err := l.document(ctx, doc, graph.DocumentFieldText)
	if err != nil {
		return nil, err
	}
	v, _ := l.runes.LoadOrStore(doc, []rune(d.Text))
	return v.([]rune), nil
}
