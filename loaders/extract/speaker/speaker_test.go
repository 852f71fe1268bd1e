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

func TestResolveGroupsIssuersAndInstitutions(t *testing.T) {
	for _, c := range []struct {
		name, text string
		sources    []string
		want       []string // speaker of each attribution, "" for none
	}{
		{
			name:    "a statement speaks for its issuer",
			text:    "A statement from the Finnish government's press service said the talks went well. \"Both sides want peace,\" the statement said.",
			sources: []string{"A statement from the Finnish government's press service", "the statement"},
			want:    []string{"Finnish government's press service", "Finnish government's press service"},
		},
		{
			name:    "said in a statement makes the speaker the issuer",
			text:    "Jane Roe said in a statement that talks went well. The statement said more.",
			sources: []string{"Jane Roe", "The statement"},
			want:    []string{"Jane Roe", "Jane Roe"},
		},
		{
			name:    "they refers to the last group",
			text:    "Local fishermen blocked the harbour for a week, and they said the catch had collapsed. They said more.",
			sources: []string{"they", "They"},
			want:    []string{"Local fishermen", "Local fishermen"},
		},
		{
			name:    "institutions are named as of their country",
			text:    "The Georgian Defense Ministry said it was ready. The Georgian Ministry of Foreign Affairs said so too. The Georgian authorities said nothing.",
			sources: []string{"The Georgian Defense Ministry", "The Georgian Ministry of Foreign Affairs", "The Georgian authorities"},
			want:    []string{"Ministry of Defence of Georgia", "Ministry of Foreign Affairs of Georgia", "Government of Georgia"},
		},
		{
			name:    "a joint statement goes to the first named",
			text:    "Chilean President Jorge Soto met Finnish Prime Minister Anna Virtanen. The Prime Minister of Finland and the Chilean President said the talks went well.",
			sources: []string{"The Prime Minister of Finland and the Chilean President"},
			want:    []string{"Anna Virtanen"},
		},
		{
			name:    "a fuller name becomes the canonical one",
			text:    "Soto said one thing. Later, Chilean President Jorge Soto said another.",
			sources: []string{"Soto", "Chilean President Jorge Soto"},
			want:    []string{"Jorge Soto", "Jorge Soto"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := doc(c.text, c.sources...)
			if err := (speaker.Resolver{}).Extract(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			for i, w := range c.want {
				got := ""
				if r := d.Attributions[i].Speaker; r != nil {
					got = d.Actors[r.Actor].Name
				}
				if got != w {
					t.Errorf("attribution %d: speaker %q, want %q (%+v)", i, got, w, d.Attributions[i].Speaker)
				}
			}
		})
	}
}

// TestOrganisationNameIsNoPerson: a run of capitalised words before an
// organisation's head ("Edison High School") names no person, so "he"
// after it goes back to the person named before.
func TestOrganisationNameIsNoPerson(t *testing.T) {
	for _, org := range []string{"Edison High School", "Carter Wright Foundation", "Mary Baker Hospital"} {
		d := doc("Omar Haddad graduated from "+org+" in 2006. Everything changed, he said.", "he")
		if err := (speaker.Resolver{}).Extract(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		r := d.Attributions[0].Speaker
		if r == nil || d.Actors[r.Actor].Name != "Omar Haddad" {
			t.Errorf("%s: \"he\" resolved to %+v", org, r)
		}
	}
}
