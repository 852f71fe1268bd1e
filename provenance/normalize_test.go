package provenance

import "testing"

func TestAnalyse(t *testing.T) {
	for _, tc := range []struct {
		name, a, b string
		same       bool
	}{
		{"figures and words", "about 10,000 servicemen remain", "some ten thousand troops remain", true},
		{"figure and multiplier", "10 thousand soldiers are stationed there", "10,000 soldiers stayed there", true},
		{"decimal thousands", "86.6 thousand square kilometers of territory", "86,600 square kilometers of territory", true},
		{"different numbers", "980 vehicles passed the road", "4,700 vehicles passed the road", false},
		{"WordNet synonyms", "Azerbaijan did shut the Lachin road to traffic", "Azerbaijan closed the Lachin road to traffic", true},
		{"inflections", "Armenia is misinforming the international community", "misinformation of the international community by Armenia", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ok := same(analyse(tc.a, false), analyse(tc.b, false))
			if ok != tc.same {
				t.Errorf("same(%q, %q) = %v", tc.a, tc.b, ok)
			}
		})
	}
}

func TestPolarity(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		neg        bool
	}{
		{"negated", "there was no blockade of the road", true},
		{"contraction", "Azerbaijan didn't close the road", true},
		{"condition", "they could sign a treaty if Yerevan does not change its position", false},
		{"plain", "the road is blocked", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if f := analyse(tc.text, false); f.neg != tc.neg {
				t.Errorf("neg = %v", f.neg)
			}
		})
	}
}
