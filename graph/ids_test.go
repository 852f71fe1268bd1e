package graph_test

import (
	"testing"

	"github.com/provgraph/provgraph/graph"
)

func TestIDs(t *testing.T) {
	doc := graph.DocumentID("https://example.com/a", "")
	st := graph.StatementID(doc, graph.Span{Start: 3, End: 9})
	if !graph.IsStatement(st) || graph.IsStatement(doc) || graph.IsStatement(graph.MentionID(doc, graph.ActorID("X Y"))) ||
		graph.IsStatement(graph.EvidenceID(doc, graph.Said, "a", st)) {
		t.Errorf("IsStatement misclassifies")
	}
	if !graph.OwnedBy(st, doc) || graph.OwnedBy(graph.ActorID("Ilham Aliyev"), doc) {
		t.Errorf("OwnedBy misclassifies")
	}
	if graph.DocumentID("https://example.com/a", "x") != graph.DocumentID("https://example.com/a", "y") {
		t.Errorf("a document with a URL is not identified by it")
	}
	if got := graph.Slug("Ilham Əliyev, Jr."); got != "ilham-əliyev-jr" {
		t.Errorf("slug %q", got)
	}
	if !graph.IsShared(graph.ActorID("A B")) || graph.IsShared(doc) {
		t.Errorf("IsShared misclassifies")
	}
}
