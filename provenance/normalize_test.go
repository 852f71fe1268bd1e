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
		{"common words only", "would go a very long way", "there is still a long way to go", false},
		{"another place", "my heart goes out to the people of the Philippines", "my heart goes out to the people in the Keys", false},
		{"one phrase", "the GOP of a partisan witch hunt", "he understands that this is a witch hunt", false},
		{"verbatim", "we do not have Obama judges or Trump judges, Bush judges or Clinton judges", "We do not have Obama judges or Trump judges, Bush judges or Clinton judges", true},
		{"near verbatim", "General Kelly came to me and said that you guys want me to leave", "General Kelly came to me and said that you guys wanted me to leave", true},
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

// TestClaimKey: a proposition too uninformative to be matched founds a
// claim of its own words, so that only the same words join it; an
// informative one founds the claim of its terms.
func TestClaimKey(t *testing.T) {
	key := func(s string) string {
		ps := propositions(s)
		if len(ps) != 1 {
			t.Fatalf("%q: %d propositions", s, len(ps))
		}
		return claimKey(&ps[0])
	}
	if a, b := key("there is still a long way to go"), key("“There is still a long way to go,”"); a != b {
		t.Errorf("the same words, two keys: %q, %q", a, b)
	}
	if a, b := key("would go a very long way"), key("there is still a long way to go"); a == b {
		t.Errorf("other words, one key: %q", a)
	}
	if a, b := key("about 10,000 servicemen remain in Azerbaijan"), key("some ten thousand troops remain in Azerbaijan"); a != b {
		t.Errorf("an informative proposition's key is not its terms': %q, %q", a, b)
	}
}

// TestClauses: a full stop ends a clause, unless it ends an abbreviation.
func TestClauses(t *testing.T) {
	got := clauses("The decision by the U.S. Attorney's Office is wrong. Mr. Smith said so. John F. Kennedy agreed. It ended")
	want := []string{"The decision by the U.S. Attorney's Office is wrong", "Mr. Smith said so", "John F. Kennedy agreed", "It ended"}
	if len(got) != len(want) {
		t.Fatalf("clauses: %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("clause %d: %q, want %q", i, got[i], want[i])
		}
	}
}
