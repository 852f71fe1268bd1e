package dates_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/provgraph/provgraph/loaders/extract"
	"github.com/provgraph/provgraph/loaders/extract/dates"
)

func TestFind(t *testing.T) {
	ref := time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC) // a Monday
	for _, c := range []struct {
		text, value, precision string
		event                  bool
		noRef                  bool
	}{
		{"It opened on April 23, 2023.", "2023-04-23", "day", true, false},
		{"Published 2023-05-01 in Baku.", "2023-05-01", "day", true, false},
		{"On March 21, they spoke.", "2023-03-21", "day", true, false},
		{"On March 21, they spoke.", "--03-21", "unknown", true, true},
		{"The talks resume in late May 2023.", "2023-05", "month", true, false},
		{"He called on Saturday.", "2023-04-29", "day", true, false},
		{"Miller said in a Sunday statement.", "2023-04-30", "day", true, false},
		{"Prices rose last year.", "2022", "year", true, false},
		{"It was announced earlier this month.", "2023-05", "month", true, false},
		{"Cars have passed since December 12, 2022.", "2022-12-12", "day", false, false},
		{"the 2020 declaration signed in 2020", "2020", "year", false, false},
	} {
		t.Run(c.text, func(t *testing.T) {
			ms := dates.Find(c.text, ref, !c.noRef)
			if len(ms) == 0 {
				t.Fatalf("no date found")
			}
			m := ms[0]
			if m.Value != c.value || m.Precision != c.precision || m.Event != c.event {
				t.Errorf("got %q %s event=%v (%q), want %q %s event=%v", m.Value, m.Precision, m.Event, c.text[m.Start:m.End], c.value, c.precision, c.event)
			}
		})
	}
}

func TestStatementTakesLedeDate(t *testing.T) {
	text := "On January 23, the minister called his counterpart.\n\nThe minister said that talks would go on.\n\nOfficials noted since December 12, 2022 nothing moved."
	d := &extract.Doc{Text: extract.NewText(text, nil), Published: &extract.Date{Value: "2023-01-25", Precision: "day"}}
	for _, cue := range []string{"said", "noted"} {
		i := strings.Index(text, cue)
		d.Attributions = append(d.Attributions, extract.Attribution{
			Cue:     []extract.Span{{Start: i, End: i + len(cue)}},
			Content: []extract.Span{{Start: i + len(cue) + 1, End: i + len(cue) + 20}},
		})
	}
	if err := (dates.Finder{}).Extract(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	for i, a := range d.Attributions {
		if a.Date == nil || a.Date.Value != "2023-01-23" {
			t.Errorf("attribution %d dated %+v, want 2023-01-23", i, a.Date)
		}
	}
}

func TestHeadlinesAreNotLedeSentences(t *testing.T) {
	text := "Minister Expresses Concern Over Border Checkpoint\n\nThe minister expressed concern over the checkpoint. It opened last week.\n\n\"Talks must go on,\" the ministry said in a Sunday statement."
	d := &extract.Doc{Text: extract.NewText(text, nil), Published: &extract.Date{Value: "2023-05-01", Precision: "day"}}
	i := strings.Index(text, "expressed")
	d.Attributions = append(d.Attributions, extract.Attribution{
		Cue:     []extract.Span{{Start: i, End: i + len("expressed")}},
		Content: []extract.Span{{Start: i + len("expressed") + 1, End: i + len("expressed") + 30}},
	})
	if err := (dates.Finder{}).Extract(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if a := d.Attributions[0]; a.Date == nil || a.Date.Value != "2023-04-30" {
		t.Errorf("lede statement dated %+v, want 2023-04-30 (the Sunday of the third sentence after the headline)", a.Date)
	}
}

// TestDatesInsideContentDateNoStatement: a date inside what someone said
// ("deliver your address on January 29th") is not when anyone said
// anything, neither for its own statement nor for the next one of the
// paragraph, nor as the lede's date.
func TestDatesInsideContentDateNoStatement(t *testing.T) {
	text := "The speaker wrote that the president should deliver his address on January 29th instead. The president said he would not."
	d := &extract.Doc{Text: extract.NewText(text, nil), Published: &extract.Date{Value: "2019-01-16", Precision: "day"}}
	for _, c := range []struct{ cue, content string }{{"wrote", "the president should deliver his address on January 29th instead"}, {"said", "he would not"}} {
		i, j := strings.Index(text, c.cue), strings.Index(text, c.content)
		d.Attributions = append(d.Attributions, extract.Attribution{
			Cue:     []extract.Span{{Start: i, End: i + len(c.cue)}},
			Content: []extract.Span{{Start: j, End: j + len(c.content)}},
		})
	}
	if err := (dates.Finder{}).Extract(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	for i, a := range d.Attributions {
		if a.Date != nil {
			t.Errorf("attribution %d dated %+v by a date inside a content", i, a.Date)
		}
	}
}
