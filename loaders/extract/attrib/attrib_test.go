package attrib_test

import (
	"context"
	"strings"
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

func TestNestedAttributionsInsideAQuotedStatement(t *testing.T) {
	m, err := attrib.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, text, outerSource, innerSource, innerContent string
		nested                                             bool
	}{
		{
			name:         "a statement reports what an official said",
			text:         "“The minister said that the talks would resume next week in Geneva. Both sides agreed to exchange prisoners before the talks,” the statement said.",
			outerSource:  "the statement",
			innerSource:  "The minister",
			innerContent: "the talks would resume next week in Geneva",
			nested:       true,
		},
		{
			name:        "a person's own quotation is not searched",
			text:        "“My colleague said that the talks would resume next week in Geneva, and I hope she is right about it,” the senator said.",
			outerSource: "the senator",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			as := m.Find(extract.NewText(c.text, nil))
			var outer, inner *extract.Attribution
			for i := range as {
				switch as[i].Rule {
				case attrib.Rule:
					outer = &as[i]
				case attrib.RuleNested:
					if inner == nil || len(as[i].Source) > 0 && c.text[as[i].Source[0].Start:as[i].Source[0].End] == c.innerSource {
						inner = &as[i]
					}
				}
			}
			if outer == nil || len(outer.Source) == 0 || c.text[outer.Source[0].Start:outer.Source[0].End] != c.outerSource {
				t.Fatalf("outer attribution %+v, want source %q", outer, c.outerSource)
			}
			if !c.nested {
				if inner != nil {
					t.Fatalf("nested attribution %+v in a person's quotation", inner)
				}
				return
			}
			if inner == nil {
				t.Fatalf("no nested attribution in %+v", as)
			}
			if len(inner.Source) == 0 || c.text[inner.Source[0].Start:inner.Source[0].End] != c.innerSource {
				t.Errorf("nested source %+v, want %q", inner.Source, c.innerSource)
			}
			got := c.text[inner.Content[0].Start:inner.Content[len(inner.Content)-1].End]
			if !strings.Contains(got, c.innerContent) {
				t.Errorf("nested content %q, want it to hold %q", got, c.innerContent)
			}
			if inner.Cue[0].Start < outer.Content[0].Start || inner.Content[len(inner.Content)-1].End > outer.Content[len(outer.Content)-1].End {
				t.Errorf("nested attribution %+v outside the quotation %+v", inner, outer.Content)
			}
		})
	}
}

func TestTitleCaseHeadline(t *testing.T) {
	m, err := attrib.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := "date 2023-05-01 https://example.org/a\n\nBlinken Expresses Concern Over Establishment of Checkpoint on Mountain Road\n\nThe checkpoint opened on Sunday."
	as := m.Find(extract.NewText(text, nil))
	if len(as) == 0 {
		t.Fatal("no attribution in the headline")
	}
	a := as[0]
	if got := text[a.Cue[0].Start:a.Cue[0].End]; got != "Expresses" && got != "Expresses Concern Over" {
		t.Errorf("cue %q", got)
	}
	if len(a.Source) == 0 || text[a.Source[0].Start:a.Source[0].End] != "Blinken" {
		t.Errorf("source %+v, want Blinken", a.Source)
	}
}

func TestCuesInsideAnotherContentAreDropped(t *testing.T) {
	m, err := attrib.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{
		"The mayor said the governor had warned that the bridge would close, and officials confirmed the plan on Monday.",
		"Republicans argued that Democrats had claimed the bill would cut taxes, a spokesman said.",
	} {
		checkOutermost(t, text, m.Find(extract.NewText(text, nil)))
	}
}

func checkOutermost(t *testing.T, text string, as []extract.Attribution) {
	t.Helper()
	if len(as) == 0 {
		t.Errorf("no attribution in %q", text)
	}
	for _, a := range as {
		for _, b := range as {
			for _, c := range b.Content {
				if a.Rule == attrib.Rule && c.Start <= a.Cue[0].Start && a.Cue[0].End <= c.End {
					t.Errorf("cue %q lies inside the content %q of another attribution", text[a.Cue[0].Start:a.Cue[0].End], text[c.Start:c.End])
				}
			}
		}
	}
}

func TestContinuationEndsTheFirstContent(t *testing.T) {
	m, err := attrib.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := "Yerevan protested the move, stressing that it violated the 2020 declaration."
	as := m.Find(extract.NewText(text, nil))
	cues := make(map[string]string)
	for _, a := range as {
		cues[text[a.Cue[0].Start:a.Cue[0].End]] = text[a.Content[0].Start:a.Content[len(a.Content)-1].End]
	}
	if got := cues["protested"]; got != "the move" {
		t.Errorf("content of protested: %q, want \"the move\" (all: %q)", got, cues)
	}
	if got := cues["stressing"]; !strings.Contains(got, "it violated the 2020 declaration") {
		t.Errorf("content of stressing: %q (all: %q)", got, cues)
	}
}

func TestQuotationTail(t *testing.T) {
	m, err := attrib.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := "The talks went on.\n\n\"There is a huge necessity for a checkpoint at the end of the road, and the world is silent,\" the expert believes.\n\nThe road is closed."
	for _, a := range m.Find(extract.NewText(text, nil)) {
		if text[a.Cue[0].Start:a.Cue[0].End] != "believes" {
			continue
		}
		if len(a.Source) == 0 || text[a.Source[0].Start:a.Source[0].End] != "the expert" {
			t.Errorf("source %+v, want \"the expert\"", a.Source)
		}
		if got := text[a.Content[0].Start:a.Content[len(a.Content)-1].End]; !strings.Contains(got, "There is a huge necessity") {
			t.Errorf("content %q", got)
		}
		return
	}
	t.Errorf("no attribution with the cue \"believes\"")
}

func TestRelativeClauseBetweenSourceAndCue(t *testing.T) {
	m, err := attrib.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := "Blinken, who spoke with Aliyev a day after his phone call with Armenian Prime Minister Nikol Pashinyan, underscored the importance of Azerbaijan-Armenia peace discussions."
	for _, a := range m.Find(extract.NewText(text, nil)) {
		if text[a.Cue[0].Start:a.Cue[0].End] != "underscored" {
			continue
		}
		if len(a.Source) == 0 || text[a.Source[0].Start:a.Source[0].End] != "Blinken" {
			t.Errorf("source %+v, want Blinken", a.Source)
		}
		return
	}
	t.Errorf("no attribution with the cue \"underscored\"")
}

func TestCoordinatedCueInAStatement(t *testing.T) {
	m, err := attrib.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := "\"Blinken emphasized the importance of resolving all issues through dialogue and peaceful diplomatic means and stated that the United States will continue its active efforts in this direction,\" the statement said."
	for _, a := range m.Find(extract.NewText(text, nil)) {
		if text[a.Cue[0].Start:a.Cue[0].End] != "stated" && text[a.Cue[0].Start:a.Cue[0].End] != "stated that" {
			continue
		}
		if got := text[a.Content[0].Start:a.Content[len(a.Content)-1].End]; !strings.Contains(got, "the United States will continue") {
			t.Errorf("content %q", got)
		}
		return
	}
	t.Errorf("no attribution with the cue \"stated\"")
}

func TestQuotationBeyondTheWindow(t *testing.T) {
	m, err := attrib.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := "Smith spoke at the rally on Sunday. She said: \"We will win this fight. The road is long. We have the votes in every county. The people are with us. Nobody can stop this movement now.\"\n\nThe rally ended at noon."
	for _, a := range m.Find(extract.NewText(text, nil)) {
		if !strings.HasPrefix(text[a.Cue[0].Start:a.Cue[0].End], "said") {
			continue
		}
		got := strings.TrimLeft(text[a.Content[0].Start:a.Content[len(a.Content)-1].End], "\"")
		if !strings.HasPrefix(got, "We will win") || !strings.HasSuffix(got, "movement now.") {
			t.Errorf("content %q, want the whole quotation", got)
		}
		return
	}
	t.Errorf("no attribution with the cue \"said\"")
}

func TestQuotationInTheNextParagraph(t *testing.T) {
	m, err := attrib.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := "The debate went on for hours.\n\nCruz continued:\n\n\"You look at the questions: Donald Trump, are you a comic book villain? Ben Carson, can you do math?\"\n\nThe crowd cheered."
	for _, a := range m.Find(extract.NewText(text, nil)) {
		if !strings.HasPrefix(text[a.Cue[0].Start:a.Cue[0].End], "continued") {
			continue
		}
		got := text[a.Content[0].Start:a.Content[len(a.Content)-1].End]
		if !strings.HasPrefix(got, "You look") || !strings.HasSuffix(got, "can you do math?") {
			t.Errorf("content %q, want the next paragraph's quotation", got)
		}
		return
	}
	t.Errorf("no attribution with the cue \"continued\"")
}

func TestClauseBeforeASentenceFinalCue(t *testing.T) {
	m, err := attrib.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := "Cruz also lacks support from his Republican colleagues in Congress, whom he has alienated with his anti-establishment rhetoric, said Larry Sabato, director of the University of Virginia Center for Politics."
	for _, a := range m.Find(extract.NewText(text, nil)) {
		if text[a.Cue[0].Start:a.Cue[0].End] != "said" {
			continue
		}
		if got := text[a.Content[0].Start:a.Content[len(a.Content)-1].End]; !strings.HasPrefix(got, "Cruz also lacks support") || !strings.HasSuffix(got, "rhetoric") {
			t.Errorf("content %q", got)
		}
		if len(a.Source) == 0 || !strings.HasPrefix(text[a.Source[0].Start:a.Source[0].End], "Larry Sabato") {
			t.Errorf("source %+v, want Larry Sabato", a.Source)
		}
		return
	}
	t.Errorf("no attribution with the cue \"said\"")
}
