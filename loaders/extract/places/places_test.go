package places_test

import (
	"context"
	"testing"

	"github.com/provgraph/provgraph/loaders/extract"
	"github.com/provgraph/provgraph/loaders/extract/places"
)

func TestFind(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       map[string]string // place name → kind
		not        []string
	}{
		{
			name: "typed by a place word after the name",
			text: "The checkpoint stands near the bridge over the Hakari River, on the Lachin corridor in the Syunik region.",
			want: map[string]string{"Hakari River": "river", "Lachin corridor": "route", "Syunik region": "region"},
			not:  []string{"The checkpoint"},
		},
		{
			name: "typed by a place word before the name",
			text: "It lies 16 kilometres east of the village of Tekh.",
			want: map[string]string{"Tekh": "village"},
		},
		{
			name: "countries and capitals from the gazetteer, unknown names after in",
			text: "Talks between Armenia and Azerbaijan resumed in Prague, while protests went on in Nagorno-Karabakh and Yerevan.",
			want: map[string]string{"Armenia": "country", "Azerbaijan": "country", "Prague": "place", "Nagorno-Karabakh": "place", "Yerevan": "city"},
		},
		{
			name: "a place word that modifies a noun of people is no place",
			text: "Azerbaijani border guards set up a checkpoint on the Armenian-Azerbaijani state border.",
			want: map[string]string{"Armenian-Azerbaijani state border": "border"},
			not:  []string{"Azerbaijani border"},
		},
		{
			name: "months and people after in are no places",
			text: "The deal was signed in March by Jorge Soto.",
			not:  []string{"March", "Jorge Soto"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := &extract.Doc{Text: extract.NewText(c.text, nil)}
			if err := (places.Finder{}).Extract(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			got := make(map[string]string)
			for _, p := range d.Places {
				got[p.Name] = p.Kind
				if c.text[p.Start:p.End] != p.Name {
					t.Errorf("place %q spans %q", p.Name, c.text[p.Start:p.End])
				}
			}
			for n, k := range c.want {
				if got[n] != k {
					t.Errorf("place %q: kind %q, want %q (found %v)", n, got[n], k, got)
				}
			}
			for _, n := range c.not {
				if _, ok := got[n]; ok {
					t.Errorf("%q taken for a place", n)
				}
			}
		})
	}
}

func TestSourcesAreNotPlaces(t *testing.T) {
	text := "Baku said the road was open."
	d := &extract.Doc{Text: extract.NewText(text, nil), Attributions: []extract.Attribution{{Source: []extract.Span{{Start: 0, End: 4}}}}}
	if err := (places.Finder{}).Extract(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if len(d.Places) != 0 {
		t.Errorf("the speaking capital taken for a place: %+v", d.Places)
	}
}
