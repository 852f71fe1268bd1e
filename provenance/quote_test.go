package provenance

import (
	"slices"
	"testing"
)

// TestQuotations checks the quoted passages found in a statement's
// content, including quotations the statement's span cuts.
func TestQuotations(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		want          []string
	}{
		{"none", `no quotes at all`, nil},
		{"pair", `the so-called "blockade" of the road`, []string{"blockade"}},
		{"curly pairs", `“one,” he said, “two”`, []string{"one,", "two"}},
		{"closed at the start", `Politics Is a Joke: How TV Comedians Are Remaking Political Life," that partisan comedy`,
			[]string{"Politics Is a Joke: How TV Comedians Are Remaking Political Life,"}},
		{"curly closed at the start", `Life,” he said, “we must go”`, []string{"Life,", "we must go"}},
		{"opened at the end", `"Anyone who knows me knows it," "I said it. I was wrong.`,
			[]string{"Anyone who knows me knows it,", "I said it. I was wrong."}},
		{"lone opening mark", `he said "we will win`, []string{"we will win"}},
		{"lone mark after a space", `he said " and left`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := quotations(tc.content); !slices.Equal(got, tc.want) {
				t.Errorf("quotations(%q) = %q, want %q", tc.content, got, tc.want)
			}
		})
	}
}

// TestQuotationProposition checks that a quotation of eight words or more
// is a proposition of its own when the clauses of the content leave part of
// it out, and not when one proposition is the whole quotation.
func TestQuotationProposition(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		want          int
	}{
		{"whole", `"I was never a fan of John McCain and I never will be,"`, 1},
		{"split", `"I was never a fan of John McCain, and I never will be,"`, 2},
		{"cut by the span", `"Anyone who knows me knows these words don't reflect who I am," "I said it. I was wrong. And I apologize.`, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := propositions(tc.content); len(got) != tc.want {
				var texts []string
				for _, p := range got {
					texts = append(texts, p.text)
				}
				t.Errorf("propositions(%q) = %q, want %d", tc.content, texts, tc.want)
			}
		})
	}
}
