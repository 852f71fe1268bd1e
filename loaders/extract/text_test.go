package extract_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provgraph/provgraph/loaders/extract"
)

func words(s string) []string {
	var out []string
	for _, t := range extract.Tokenize(s, nil) {
		out = append(out, s[t.Start:t.End])
	}
	return out
}

func TestTokenize(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"plain", "The minister said so.", "The|minister|said|so|."},
		{"abbreviations", "U.S. Secretary Mr. Blinken met Gov. Smith on Jan. 5.", "U.S.|Secretary|Mr.|Blinken|met|Gov.|Smith|on|Jan.|5|."},
		{"numbers", "more than 4,700 vehicles, 3.5% and $1,000", "more|than|4,700|vehicles|,|3.5|%|and|$|1,000"},
		{"hyphens", "the Lachin-Khankendi road, Armenian-Azerbaijani talks", "the|Lachin-Khankendi|road|,|Armenian-Azerbaijani|talks"},
		{"clitics", "Azerbaijan’s road; Trump's plan; don't", "Azerbaijan|’s|road|;|Trump|'s|plan|;|do|n't"},
		{"quotes", "“Peace is possible,” he said. \"Yes,\" she said.", "“|Peace|is|possible|,|”|he|said|.|\"|Yes|,|\"|she|said|."},
		{"dashes and ellipsis", "It was -- he said... over", "It|was|--|he|said|...|over"},
		{"sentence-final abbreviation", "born in the U.S.", "born|in|the|U.S."},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := strings.Join(words(c.in), "|"); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestQuoted(t *testing.T) {
	s := "“A, B,” he said, “Cee.”\n\nD"
	toks := extract.Tokenize(s, nil)
	var in []string
	for _, tk := range toks {
		if tk.Quoted {
			in = append(in, s[tk.Start:tk.End])
		}
	}
	if got := strings.Join(in, "|"); got != "A|,|B|,|Cee|." {
		t.Errorf("quoted tokens %q", got)
	}
}

func sentences(s string) []string {
	tx := extract.NewText(s, nil)
	var out []string
	for _, st := range tx.Sentences {
		out = append(out, s[st.Start:st.End])
	}
	return out
}

func TestSegment(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []string
	}{
		{"two", "He said so. She agreed.", []string{"He said so.", "She agreed."}},
		{"abbreviation", "Mr. Blinken met Gov. Smith. They talked.", []string{"Mr. Blinken met Gov. Smith.", "They talked."}},
		{"quote end", "“It is over.” The talks ended.", []string{"“It is over.”", "The talks ended."}},
		{"split quote", "“A,” he said. “B.”", []string{"“A,” he said.", "“B.”"}},
		{"lines", "Headline Here\nThe text starts. Then more.", []string{"Headline Here", "The text starts.", "Then more."}},
		{"lower case after period", "the value was 3.5 p.m. yesterday. And then", []string{"the value was 3.5 p.m. yesterday.", "And then"}},
		{"number start", "He left. 10,000 troops stayed.", []string{"He left.", "10,000 troops stayed."}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := sentences(c.in); strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestTokensCoverText(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/seeds/*.txt")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		s := string(b)
		tx := extract.NewText(s, nil)
		prev := 0
		for i, tk := range tx.Tokens {
			if tk.Start < prev || tk.End <= tk.Start || strings.TrimSpace(s[prev:tk.Start]) != "" {
				t.Fatalf("%s: token %d [%d,%d) leaves out %q", f, i, tk.Start, tk.End, s[prev:tk.Start])
			}
			prev = tk.End
		}
		if strings.TrimSpace(s[prev:]) != "" {
			t.Fatalf("%s: text after the last token", f)
		}
		last := 0
		for _, st := range tx.Sentences {
			if st.First != last || st.Last <= st.First {
				t.Fatalf("%s: sentences do not partition the tokens", f)
			}
			last = st.Last
		}
		if last != len(tx.Tokens) {
			t.Fatalf("%s: sentences end at token %d of %d", f, last, len(tx.Tokens))
		}
	}
}

func FuzzNewText(f *testing.F) {
	f.Add("“A, B,” he said. Mr. X's 4,700 U.S. -- ...")
	f.Fuzz(func(t *testing.T, s string) {
		tx := extract.NewText(s, nil)
		prev := 0
		for _, tk := range tx.Tokens {
			if tk.Start < prev || tk.End <= tk.Start || tk.End > len(s) {
				t.Fatalf("bad token %+v", tk)
			}
			prev = tk.End
		}
		last := 0
		for _, st := range tx.Sentences {
			if st.First != last {
				t.Fatalf("sentences do not partition tokens")
			}
			last = st.Last
		}
	})
}

func BenchmarkNewText(b *testing.B) {
	dir := os.Getenv("PROVGRAPH_POLNEAR")
	var texts []string
	if dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "dev", "text", "*.txt"))
		for _, f := range files {
			data, _ := os.ReadFile(f)
			texts = append(texts, string(data))
		}
	} else {
		files, _ := filepath.Glob("../../testdata/seeds/*.txt")
		for _, f := range files {
			data, _ := os.ReadFile(f)
			texts = append(texts, string(data))
		}
	}
	n := 0
	for _, s := range texts {
		n += len(s)
	}
	b.SetBytes(int64(n))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range texts {
			extract.NewText(s, nil)
		}
	}
}
