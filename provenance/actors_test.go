package provenance

import (
	"slices"
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

// TestServiceOf: a national service and the people serving in it share a
// canonical name, whichever way the text writes them; other groups,
// services of other countries and services of no named country do not.
func TestServiceOf(t *testing.T) {
	same := [][]string{
		{"Azerbaijani border guards", "the Azerbaijani State Border Service", "State Border Service of Azerbaijan", "the Azerbaijan State Border Service", "Azerbaijan's border service"},
		{"Ukrainian border guards", "State Border Guard Service of Ukraine", "the Ukrainian Border Guard Service"},
		{"U.S. customs officers", "US Customs Service"},
		{"Israeli border police", "the Israeli Border Police"},
		{"Turkish coast guards", "the Turkish Coast Guard"},
	}
	var keys []string
	for _, forms := range same {
		want := serviceOf(forms[0])
		if want == "" {
			t.Errorf("%q: no service", forms[0])
			continue
		}
		for _, f := range forms[1:] {
			if got := serviceOf(f); got != want {
				t.Errorf("%q: %q, want %q as for %q", f, got, want, forms[0])
			}
		}
		keys = append(keys, want)
	}
	for i := range keys {
		for j := range i {
			if keys[i] == keys[j] {
				t.Errorf("%q and %q share %q", same[i][0], same[j][0], keys[i])
			}
		}
	}
	for _, f := range []string{
		"border guards", "the State Border Service", "Azerbaijani soldiers", "Armenian border villages",
		"Azerbaijani security officials", "Russian peacekeepers", "Border Service of the FSB of Russia",
		"U.S. Customs and Border Protection", "Azerbaijani border residents", "Azerbaijani Border",
		"Ministry of Defence of Azerbaijan",
	} {
		if got := serviceOf(f); got != "" {
			t.Errorf("%q: %q, want none", f, got)
		}
	}
}

// TestResolveServiceActors: in one document, or in two, the members of a
// service and the service itself get one actor ID; a person keeps the ID
// of the name.
func TestResolveServiceActors(t *testing.T) {
	doc := func(forms ...string) *graph.DocGraph {
		dg := &graph.DocGraph{Document: graph.Document{ID: "d", Text: "text"}}
		for i, f := range forms {
			id := graph.ID(f)
			dg.Actors = append(dg.Actors, graph.Actor{ID: id, Name: f, Kind: graph.ActorOrganization})
			dg.Edges = append(dg.Edges, graph.Edge{Kind: graph.Said, From: id, To: graph.ID(rune('s' + i))})
		}
		return dg
	}
	one := doc("Azerbaijani border guards", "the Azerbaijani State Border Service")
	resolveActors(one)
	if len(one.Actors) != 1 || one.Edges[0].From != one.Edges[1].From || one.Edges[0].From != one.Actors[0].ID {
		t.Fatalf("one document: actors %+v, edges %+v", one.Actors, one.Edges)
	}
	if a := one.Actors[0]; !slices.Contains(a.Aliases, "Azerbaijani border guards") && a.Name != "Azerbaijani border guards" {
		t.Errorf("the group's form is lost: %+v", a)
	}
	other := doc("State Border Service of Azerbaijan")
	resolveActors(other)
	if other.Actors[0].ID != one.Actors[0].ID {
		t.Errorf("two documents: %s and %s", other.Actors[0].ID, one.Actors[0].ID)
	}
	if other.Actors[0].Name != "State Border Service of Azerbaijan" {
		t.Errorf("the service's name changed to %q", other.Actors[0].Name)
	}
	arm := doc("Armenian border guards")
	resolveActors(arm)
	if arm.Actors[0].ID == one.Actors[0].ID {
		t.Errorf("Armenian and Azerbaijani border guards are one actor")
	}
}
