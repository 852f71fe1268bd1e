package attrib

import (
	"strings"
	"testing"

	"github.com/provgraph/provgraph/loaders/extract"
)

func span(text, sub string) extract.Span {
	i := strings.Index(text, sub)
	if i < 0 {
		panic(sub)
	}
	return extract.Span{Start: i, End: i + len(sub)}
}

func TestOneContentKeepsTheSurerCue(t *testing.T) {
	text := "“We lost,” said Smith. “The count was fair and nobody doubts it,” said Jones."
	tx := extract.NewText(text, nil)
	smith := Attribution{
		Cue:        []extract.Span{span(text, "said Smith")},
		Content:    []extract.Span{span(text, "We lost"), span(text, "The count was fair and nobody doubts it")},
		Confidence: 0.6,
	}
	smith.Cue[0].End = smith.Cue[0].Start + 4
	jones := Attribution{
		Cue:        []extract.Span{span(text, "said Jones")},
		Content:    []extract.Span{span(text, "The count was fair and nobody doubts it")},
		Confidence: 0.9,
	}
	jones.Cue[0].End = jones.Cue[0].Start + 4
	out := oneContent(tx, []Attribution{smith, jones})
	if len(out) != 2 {
		t.Fatalf("%d attributions, want 2", len(out))
	}
	if got := out[0].Content; len(got) != 1 || text[got[0].Start:got[0].End] != "We lost" {
		t.Errorf("Smith's content %v, want only \"We lost\"", got)
	}
	if got := out[1].Content; len(got) != 1 || !strings.HasPrefix(text[got[0].Start:got[0].End], "The count") {
		t.Errorf("Jones's content %v changed", got)
	}

	// Without a run of its own, the less sure attribution goes.
	smith.Content = smith.Content[1:]
	out = oneContent(tx, []Attribution{smith, jones})
	if len(out) != 1 || out[0].Confidence != 0.9 {
		t.Errorf("got %+v, want Jones's attribution alone", out)
	}
}

func TestOneContentLeavesNestedAttributions(t *testing.T) {
	text := "Blinken has promised to assist Pashinyan in resolving the issues, according to a statement from the press service."
	tx := extract.NewText(text, nil)
	inner := Attribution{
		Cue:        []extract.Span{span(text, "has promised")},
		Content:    []extract.Span{span(text, "to assist Pashinyan in resolving the issues")},
		Confidence: 0.5,
	}
	outer := Attribution{
		Cue:        []extract.Span{span(text, "according to")},
		Content:    []extract.Span{span(text, "Blinken has promised to assist Pashinyan in resolving the issues")},
		Confidence: 0.9,
	}
	if out := oneContent(tx, []Attribution{inner, outer}); len(out) != 2 {
		t.Errorf("%d attributions, want both", len(out))
	}
}

func TestOutermostEndsAContentAtAnotherSureCue(t *testing.T) {
	text := "Rubio said the vote was rigged. Clinton said the count was fair."
	tx := extract.NewText(text, nil)
	first := span(text, "said")
	second := span(text, "Clinton said")
	second.Start += len("Clinton ")
	rubio := Attribution{
		Cue:        []extract.Span{first},
		Content:    []extract.Span{span(text, "the vote was rigged. Clinton said the count was fair")},
		Confidence: 0.9,
	}
	clinton := Attribution{
		Source:     []extract.Span{span(text, "Clinton")},
		Cue:        []extract.Span{second},
		Content:    []extract.Span{span(text, "the count was fair")},
		Confidence: 0.8,
	}
	out := outermost(tx, []Attribution{rubio, clinton})
	if len(out) != 2 {
		t.Fatalf("%d attributions, want 2", len(out))
	}
	if c := out[0].Content; len(c) != 1 || text[c[0].Start:c[0].End] != "the vote was rigged." {
		t.Errorf("Rubio's content %q, want it to end with its sentence", text[c[0].Start:c[len(c)-1].End])
	}

	// A cue the cue stage doubts is dropped instead.
	clinton.Confidence = 0.3
	rubio.Content = []extract.Span{span(text, "the vote was rigged. Clinton said the count was fair")}
	if out := outermost(tx, []Attribution{rubio, clinton}); len(out) != 1 {
		t.Errorf("%d attributions, want Rubio's alone", len(out))
	}
}
