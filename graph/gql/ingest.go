package gql

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
)

// maxIngest is the most documents one ingest takes.
const maxIngest = 100

// ingest reads, extracts and stores documents given as text, the way
// graphd load does with files: the format's loader reads the text (and the
// metadata in it), the input's own metadata overrides what was found, the
// ingester extracts statements and the store writes each document
// atomically. Nothing is read from the server's disk or the network.
func (r *Resolver) ingest(ctx context.Context, inputs []DocumentInput) (*IngestResult, error) {
	if r.Formats == nil || r.Ingester == nil {
		return nil, &userError{code: CodeUnavailable, msg: "ingest is not available on this server"}
	}
	if len(inputs) > maxIngest {
		return nil, badInput("at most %d documents per ingest, not %d", maxIngest, len(inputs))
	}
	res := &IngestResult{Documents: make([]IngestedDocument, len(inputs))}
	r.ingestMu.Lock()
	defer r.ingestMu.Unlock()
	for i, in := range inputs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d := &res.Documents[i]
		d.Index = i
		fail := func(err error) {
			d.Outcome = graph.Failed
			msg := r.clientMessage(ctx, err)
			d.Error = &msg
			res.Failed++
		}
		doc, err := r.readInput(ctx, i, in)
		if err != nil {
			fail(err)
			continue
		}
		dg, _, err := r.Ingester.Graph(ctx, doc)
		if err != nil {
			fail(err)
			continue
		}
		id := dg.Document.ID
		d.ID = &id
		d.Statements = len(dg.Statements)
		if r.Linker != nil {
			if err := r.Linker.Link(ctx, dg); errors.Is(err, graph.ErrUnchanged) {
				d.Outcome = graph.Unchanged
				res.Unchanged++
				continue
			} else if err != nil {
				fail(err)
				continue
			}
		}
		var out []graph.Outcome
		err = r.change(ctx, id, func() (err error) {
			out, err = r.Store.Put(ctx, dg)
			return err
		})
		if r.Linker != nil {
			r.Linker.Flush()
		}
		if err != nil || len(out) != 1 {
			if err == nil {
				err = fmt.Errorf("gql: put returned %d outcomes for 1 document", len(out))
			}
			fail(err)
			continue
		}
		d.Outcome = out[0]
		switch out[0] {
		case graph.Loaded:
			res.Loaded++
		case graph.Unchanged:
			res.Unchanged++
		case graph.Replaced:
			res.Replaced++
		}
	}
	// Nodes cached before the writes are stale.
	loadersFor(ctx).clear()
	return res, nil
}

// change runs a removal or a write of document doc through the Relink
// hook, when there is one.
func (r *Resolver) change(ctx context.Context, doc graph.ID, change func() error) error {
	if r.Relink == nil {
		return change()
	}
	return r.Relink(ctx, doc, change)
}

// clientMessage returns what a client may see of a per-document error: the
// message for problems with the input, a request reference otherwise.
func (r *Resolver) clientMessage(ctx context.Context, err error) string {
	var ue *userError
	switch {
	case errors.As(err, &ue):
		return ue.msg
	case errors.Is(err, graph.ErrInvalid):
		return "the document's graph is invalid: " + lastPart(err)
	case errors.Is(err, graph.ErrTooLarge):
		return "the document is too large to store in one transaction"
	case errors.Is(err, loaders.ErrTooLarge), errors.Is(err, loaders.ErrNoText), errors.Is(err, loaders.ErrUnknownFormat):
		return lastPart(err)
	}
	id := RequestIDFor(ctx)
	r.logger().ErrorContext(ctx, "graphql: ingest", "request_id", id, "err", err)
	return "internal error (request " + id + ")"
}

// lastPart drops the package and context prefixes of an error message,
// keeping what it says about the input.
func lastPart(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && i+2 < len(msg) {
		return msg[i+2:]
	}
	return msg
}

// readInput turns one input into a loaded document.
func (r *Resolver) readInput(ctx context.Context, i int, in DocumentInput) (*loaders.Document, error) {
	name := "ingest:" + strconv.Itoa(i)
	if in.Source != nil && strings.TrimSpace(*in.Source) != "" {
		name = strings.TrimSpace(*in.Source)
	}
	if err := loaders.CheckText([]byte(in.Text)); err != nil {
		return nil, badInput("%s: %v", name, err)
	}
	var (
		f   loaders.Format
		err error
	)
	if in.Format != nil && *in.Format != "" {
		f, err = r.Formats.ByName(*in.Format)
		if err != nil {
			return nil, badInput("%s: unknown format %q (known: %s)", name, *in.Format, strings.Join(r.Formats.Names(), ", "))
		}
	} else if f, err = r.Formats.Detect([]byte(in.Text[:min(len(in.Text), 512)])); err != nil {
		// Plain text: the format that claims names without an extension.
		if f, err = r.Formats.ByExt(""); err != nil {
			return nil, err
		}
	}
	l, err := f.New(nil)
	if err != nil {
		return nil, err
	}
	var docs []*loaders.Document
	var recErr error
	src := loaders.Source{Name: name, MaxSize: loaders.DefaultMaxSize}
	err = l.Load(ctx, src, strings.NewReader(in.Text), func(rec loaders.Record) error {
		if rec.Err != nil {
			recErr = rec.Err
			return nil
		}
		docs = append(docs, rec.Doc)
		return nil
	})
	switch {
	case err != nil:
		return nil, badInput("%s: %s", name, lastPart(err))
	case len(docs) == 0 && recErr != nil:
		return nil, badInput("%s: %s", name, lastPart(recErr))
	case len(docs) != 1:
		return nil, badInput("%s: the %s format read %d documents from the text; send one document per input", name, f.Name, len(docs))
	}
	doc := docs[0]
	if in.Title != nil {
		doc.Title = *in.Title
	}
	if in.URL != nil {
		doc.URL = *in.URL
	}
	if in.Publisher != nil {
		doc.Publisher = *in.Publisher
	}
	if in.Authors != nil {
		doc.Authors = in.Authors
	}
	if in.Published != nil && *in.Published != "" {
		d, err := loaders.ParseDate(*in.Published)
		if err != nil {
			return nil, badInput("%s: published: %q is not a date", name, *in.Published)
		}
		doc.Published = d
	}
	return doc, nil
}
