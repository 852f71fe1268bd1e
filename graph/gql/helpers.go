package gql

import (
	"context"

	"github.com/provgraph/provgraph/graph"
)

const (
	// maxProvenance is the most claims Query.provenance returns.
	maxProvenance = 20
	// maxClaimStatements is the most statements of a claim whose disputes
	// Claim.disputedBy reads.
	maxClaimStatements = 1000
)

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// ends returns the statements at the other end of the edges of kind: the
// sources when incoming, the targets otherwise. Documents and claims at
// the other end are left out.
func ends(edges []graph.Edge, kind graph.EdgeKind, incoming bool) []graph.ID {
	var out []graph.ID
	for _, e := range edges {
		if e.Kind != kind {
			continue
		}
		id := e.To
		if incoming {
			id = e.From
		}
		if graph.KindOf(id) == graph.KindStatement {
			out = append(out, id)
		}
	}
	return out
}

// statementSpan returns the span a statement's ID names: from the start of
// its first part to the end of its last.
func statementSpan(st *graph.Statement) graph.Span {
	s := graph.Span{Start: st.Sentence.Start, End: st.Sentence.End}
	parts := append(append([]graph.Span{}, st.Content.Spans...), st.Cue.Spans...)
	if st.Source != nil {
		parts = append(parts, st.Source.Spans...)
	}
	for i, p := range parts {
		if i == 0 {
			s = p
		}
		s.Start, s.End = min(s.Start, p.Start), max(s.End, p.End)
	}
	return s
}

func spansOf(ctx context.Context, doc graph.ID, spans []graph.Span) ([]Span, error) {
	out := make([]Span, len(spans))
	for i, s := range spans {
		sp, err := spanOf(ctx, doc, s)
		if err != nil {
			return nil, err
		}
		out[i] = *sp
	}
	return out, nil
}
