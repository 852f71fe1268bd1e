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
