package attrib_test

import (
	"context"
	"testing"

	"github.com/provgraph/provgraph/loaders/extract"
	"github.com/provgraph/provgraph/loaders/extract/attrib"
)

func TestShippedModelFindsPlainAttributions(t *testing.T) {
	m, err := attrib.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, text, source, cue, content string
		kind                             extract.Kind
	}{
		{"indirect", "The foreign minister said that the road had been closed for weeks.", "The foreign minister", "said", "that the road had been closed for weeks", extract.Indirect},
		{"quote first", "“We will not give up,” the senator told reporters on Monday.", "the senator", "told", "We will not give up", extract.Direct},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := &extract.Doc{Text: extract.NewText(c.text, nil)}
			if err := m.Extract(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			if len(d.Attributions) != 1 {
				t.Fatalf("%d attributions, want 1: %+v", len(d.Attributions), d.Attributions)
			}
			a := d.Attributions[0]
			text := func(s []extract.Span) string {
				if len(s) == 0 {
					return ""
				}
				return c.text[s[0].Start:s[len(s)-1].End]
			}
			if got := text(a.Source); got != c.source {
				t.Errorf("source %q, want %q", got, c.source)
			}
			if got := text(a.Cue); got != c.cue && got != c.cue+" reporters" {
				t.Errorf("cue %q, want %q", got, c.cue)
			}
			if got := text(a.Content); got != c.content && got != "“"+c.content+",”" && got != c.content+"," {
				t.Errorf("content %q, want %q", got, c.content)
			}
			if a.Kind != c.kind {
				t.Errorf("kind %q, want %q", a.Kind, c.kind)
			}
		})
	}
}
