package graph

import "context"

// Walk visits the nodes around start breadth-first, depth levels deep,
// reading the links of each level in one batch through linksOf (a
// [Reader]'s LinksOf), and returns the nodes it reached in the order it
// reached them: at most limit, with truncated set when it left some out.
// Start IDs that are not node IRIs of a known kind are skipped.
func Walk(ctx context.Context, linksOf func(context.Context, []ID) ([][]Link, error), start []ID, depth, limit int) (nodes []ID, truncated bool, err error) {
	in := make(map[ID]bool)
	add := func(id ID) bool {
		if in[id] {
			return false
		}
		if len(nodes) >= limit {
			truncated = true
			return false
		}
		in[id] = true
		nodes = append(nodes, id)
		return true
	}
	var frontier []ID
	for _, id := range start {
		if KindOf(id) != "" && add(id) {
			frontier = append(frontier, id)
		}
	}
	for d := 0; d < depth && len(frontier) > 0; d++ {
		links, err := linksOf(ctx, frontier)
		if err != nil {
			return nil, false, err
		}
		var next []ID
		for i, ls := range links {
			for _, l := range ls {
				other := l.To
				if other == frontier[i] {
					other = l.From
				}
				if add(other) {
					next = append(next, other)
				}
			}
		}
		frontier = next
	}
	return nodes, truncated, nil
}
