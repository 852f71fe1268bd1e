package provenance

import (
	"testing"

	"github.com/provgraph/provgraph/graph"
)

// TestFollowRenamesCycle: two actors renamed to each other, as an article
// once made resolveActors do, must not hang the linker, and a said edge
// must end at an actor the document keeps.
func TestFollowRenamesCycle(t *testing.T) {
	a, b, c := graph.ID("a"), graph.ID("b"), graph.ID("c")
	renamed := map[graph.ID]graph.ID{a: b, b: a, c: a}
	if got := followRenames(renamed, map[graph.ID]int{b: 0}, c); got != b {
		t.Errorf("from c: %s, want b", got)
	}
	if got := followRenames(renamed, map[graph.ID]int{b: 0}, b); got != b {
		t.Errorf("from a kept actor: %s, want it", got)
	}
	// No kept actor on the cycle: the walk still ends.
	_ = followRenames(renamed, map[graph.ID]int{}, c)
	if got := followRenames(map[graph.ID]graph.ID{a: b}, map[graph.ID]int{}, a); got != b {
		t.Errorf("a plain rename: %s, want b", got)
	}
}
