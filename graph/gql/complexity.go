package gql

import "github.com/provgraph/provgraph/graph"

// Page sizes and estimates the complexity of lists is computed with.
const (
	// MaxFirst is the largest page a connection serves.
	MaxFirst = 100
	// defaultFirst is the page size of a connection without first.
	defaultFirst = 20
	// unpagedList is the number of items assumed for lists without first
	// (a statement's cites, a claim's disputes): most hold a few.
	unpagedList = 10
)

// pageCost returns the complexity of a page of first items whose own
// complexity is child. It is nil-safe and bounds first as the resolvers
// do, so that an out-of-range first costs what it would be served.
func pageCost(child int, first *int, def int) int {
	n := def
	if first != nil {
		n = min(max(*first, 0), MaxFirst)
	}
	return 1 + child*max(n, 1)
}

func listCost(child int) int { return 1 + child*unpagedList }

// setComplexity gives lists a complexity proportional to how many items
// they may return; every other field costs 1 plus its children.
func setComplexity(c *ComplexityRoot) {
	c.Query.Documents = func(child int, first *int, _ *string) int { return pageCost(child, first, defaultFirst) }
	c.Query.Actors = func(child int, _ *string, first *int, _ *string) int { return pageCost(child, first, defaultFirst) }
	c.Query.Claims = func(child int, _ *string, first *int, _ *string) int { return pageCost(child, first, defaultFirst) }
	c.Query.Statements = func(child int, _ *graph.StatementFilter, first *int, _ *string) int {
		return pageCost(child, first, defaultFirst)
	}
	c.Query.Timeline = func(child int, _, _ *string, _ *graph.ID, first *int, _ *string) int {
		return pageCost(child, first, MaxFirst)
	}
	c.Query.Nodes = func(child int, ids []graph.ID) int { return 1 + child*max(len(ids), 1) }
	c.Query.Provenance = func(child int, _ string, first *int) int { return pageCost(child, first, 5) }
	c.Query.Subgraph = func(child int, ids []graph.ID, _ *int, limit *int) int {
		n := 500
		if limit != nil {
			n = min(max(*limit, 0), maxSubgraphLimit)
		}
		// A subgraph is one flat list; its cost is its size, not its
		// children's nesting.
		return child + n/10
	}
	c.Document.Statements = func(child int, first *int, _ *string) int { return pageCost(child, first, defaultFirst) }
	c.Actor.Statements = func(child int, first *int, _ *string) int { return pageCost(child, first, defaultFirst) }
	c.Claim.Statements = func(child int, first *int, _ *string) int { return pageCost(child, first, defaultFirst) }
	c.Place.Statements = func(child int, first *int, _ *string) int { return pageCost(child, first, defaultFirst) }
	c.Claim.DisputedBy = listCost
	c.Provenance.Repeats = listCost
	c.Provenance.DisputedBy = listCost
	c.Statement.Cites = listCost
	c.Statement.CitedBy = listCost
	c.Statement.Disputes = listCost
	c.Statement.DisputedBy = listCost
	c.Statement.Places = listCost
	c.Statement.Edges = func(child int, _ graph.Direction, _ []graph.EdgeKind) int { return listCost(child) }
	c.Mutation.Ingest = func(child int, docs []DocumentInput) int { return 1 + child*max(len(docs), 1) }
}
