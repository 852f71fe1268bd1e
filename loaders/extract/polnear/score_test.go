package polnear

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	const text = "Zoë's cafe\u0301s cost 3½ — x_y ٣٤ end"
	tok := newTokenizer(text)
	at := func(sub string) int { return cp(t, text, sub).Start }
	for _, c := range []struct {
		name  string
		spans []CPSpan
		want  tokenSet
	}{
		{"apostrophe splits", []CPSpan{cp(t, text, "Zoë's")}, tokenSet{0, 4}},
		{"start inside a word", []CPSpan{{1, 3}}, tokenSet{1}},
		{"end inside a word", []CPSpan{{0, 2}}, tokenSet{0}},
		// Python's \w has no marks: a combining accent ends a word.
		{"combining mark", []CPSpan{cp(t, text, "cafe\u0301s")}, tokenSet{at("cafe"), at("s cost")}},
		{"vulgar fraction is a number", []CPSpan{cp(t, text, "3½")}, tokenSet{at("3½")}},
		{"dash is not a word", []CPSpan{cp(t, text, " — ")}, nil},
		{"underscore", []CPSpan{cp(t, text, "x_y")}, tokenSet{at("x_y")}},
		{"Arabic-Indic digits", []CPSpan{cp(t, text, "٣٤")}, tokenSet{at("٣٤")}},
		{"clamped at both ends", []CPSpan{{-5, 3}, {at("end") + 1, 999}}, tokenSet{0, at("end") + 1}},
		{"inverted span", []CPSpan{{9, 2}}, nil},
		{"overlapping spans count once", []CPSpan{cp(t, text, "cost 3½"), cp(t, text, "3½ —")}, tokenSet{at("cost"), at("3½")}},
		{"order of spans does not matter", []CPSpan{cp(t, text, "end"), cp(t, text, "x_y")}, tokenSet{at("x_y"), at("end")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := tok.tokens(c.spans); !reflect.DeepEqual(got, c.want) {
				t.Errorf("tokens(%v) = %v, want %v", c.spans, got, c.want)
			}
		})
	}
}

// counts is a PRF's counts: TP, predicted, gold.
type counts [3]int

func countsOf(s PRF) counts { return counts{s.TP, s.Predicted, s.Gold} }

func TestScore(t *testing.T) {
	const (
		t1 = "“Taxes will rise next year,” the minister said. Critics say the plan will fail: “It cannot work.” Zoë warned that costs grow."
		t2 = "Nobody said anything here."
		t3 = "Ann said alpha beta and Bob told gamma delta."
		t4 = "He said — nothing."
	)
	d1 := goldDoc{"d1", t1, []goldAttr{
		{[]string{"the minister"}, []string{"said"}, []string{"“Taxes will rise next year,”"}},
		{[]string{"Critics"}, []string{"say"}, []string{"the plan will fail"}},
		{nil, []string{":"}, []string{"“It cannot work.”"}}, // a cue without word tokens
		{[]string{"Zoë"}, []string{"warned"}, []string{"that costs grow"}},
	}}
	d2 := goldDoc{"d2", t2, []goldAttr{{[]string{"Nobody"}, []string{"said"}, []string{"anything here"}}}}
	d3 := goldDoc{"d3", t3, []goldAttr{
		{nil, []string{"said"}, []string{"alpha beta"}},
		{nil, []string{"told"}, []string{"gamma delta"}},
	}}
	d4 := goldDoc{"d4", t4, []goldAttr{{[]string{"He"}, []string{"said"}, []string{"—"}}}} // content without word tokens
	docs, err := Load(writeSplit(t, d1, d2, d3, d4))
	if err != nil {
		t.Fatal(err)
	}
	p := func(text string, source, cue, content []string) Prediction {
		return Prediction{Source: cps(t, text, source...), Cue: cps(t, text, cue...), Content: cps(t, text, content...)}
	}
	gold := func(names ...string) map[string][]Prediction {
		out := map[string][]Prediction{}
		for _, d := range docs {
			for _, n := range names {
				if d.Name == n {
					out[n] = []Prediction{}
					for _, a := range d.Attributions {
						out[n] = append(out[n], a.Prediction())
					}
				}
			}
		}
		return out
	}
	strs := func(s ...string) []string { return s }

	type want struct {
		missing, gold, predicted    int
		partial, exact, attr, token counts
		source, cue, content        counts
		sourceOK, cueOK             int
		unmatched                   []string
	}
	for _, c := range []struct {
		name string
		docs []string // gold documents scored
		pred map[string][]Prediction
		want want
	}{
		{
			name: "gold predicts itself",
			docs: strs("d1"),
			pred: gold("d1"),
			want: want{
				gold: 4, predicted: 4,
				partial: counts{4, 4, 4}, exact: counts{4, 4, 4}, attr: counts{4, 4, 4}, token: counts{15, 15, 15},
				// The cue ":" has no word token, so role-exact leaves it out.
				source: counts{3, 3, 3}, cue: counts{3, 3, 3}, content: counts{4, 4, 4},
				sourceOK: 4, cueOK: 4,
			},
		},
		{
			name: "mixed",
			docs: strs("d1", "d2"),
			pred: map[string][]Prediction{
				"d1": {
					// Ties with the last prediction for the first gold one:
					// Python's reverse sort picks the higher index, the
					// last, whose source is right.
					p(t1, strs("Critics"), strs("said"), strs("Taxes will rise next year")),
					p(t1, strs("Critics"), nil, strs("the plan")),        // Jaccard 0.5: matched, cue missing
					p(t1, strs("Critics"), strs(":"), strs("It cannot")), // 2/3: matched, source where gold has none
					p(t1, strs("Zoë"), strs("warned"), strs("grow")),     // 1/3: not matched
					p(t1, nil, strs("say"), strs("Critics say")),         // no shared token
					p(t1, strs("Zoë"), strs("warned"), strs(":")),        // no content token: not counted
					p(t1, strs("the minister"), strs("said"), strs("“Taxes will rise next year,”")),
				},
				"ghost": {p(t1, nil, nil, strs("Taxes"))},
			},
			want: want{
				missing: 1, gold: 5, predicted: 6,
				partial: counts{3, 6, 5}, exact: counts{1, 6, 5}, attr: counts{1, 6, 5}, token: counts{10, 12, 17},
				source: counts{3, 5, 4}, cue: counts{3, 4, 4}, content: counts{1, 6, 5},
				sourceOK: 2, cueOK: 2,
				unmatched: strs("ghost"),
			},
		},
		{
			// One prediction, Jaccard 0.5 with two gold contents: the
			// later gold one (higher index) wins, and its cue agrees.
			name: "tie between gold attributions",
			docs: strs("d3"),
			pred: map[string][]Prediction{"d3": {p(t3, nil, strs("told"), strs("alpha beta", "gamma delta"))}},
			want: want{
				gold: 2, predicted: 1,
				partial: counts{1, 1, 2}, exact: counts{0, 1, 2}, attr: counts{1, 1, 2}, token: counts{4, 4, 4},
				source: counts{0, 0, 0}, cue: counts{1, 1, 2}, content: counts{0, 1, 2},
				sourceOK: 1, cueOK: 1,
			},
		},
		{
			name: "duplicates count twice in role-exact",
			docs: strs("d2"),
			pred: map[string][]Prediction{"d2": {
				p(t2, strs("Nobody"), strs("said"), strs("anything here")),
				p(t2, strs("Nobody"), strs("said"), strs("anything here.")),
			}},
			want: want{
				gold: 1, predicted: 2,
				partial: counts{1, 2, 1}, exact: counts{1, 2, 1}, attr: counts{1, 2, 1}, token: counts{2, 2, 2},
				source: counts{1, 2, 1}, cue: counts{1, 2, 1}, content: counts{1, 2, 1},
				sourceOK: 1, cueOK: 1,
			},
		},
		{
			name: "gold content without word tokens",
			docs: strs("d4"),
			pred: gold("d4"),
			want: want{
				gold: 1, predicted: 0,
				partial: counts{0, 0, 1}, exact: counts{0, 0, 1}, attr: counts{0, 0, 1}, token: counts{0, 0, 0},
				source: counts{0, 0, 1}, cue: counts{0, 0, 1}, content: counts{0, 0, 0},
			},
		},
		{
			name: "an empty entry is not missing",
			docs: strs("d2", "d3"),
			pred: map[string][]Prediction{"d2": nil},
			want: want{
				missing: 1, gold: 3,
				partial: counts{0, 0, 3}, exact: counts{0, 0, 3}, attr: counts{0, 0, 3}, token: counts{0, 0, 6},
				source: counts{0, 0, 1}, cue: counts{0, 0, 3}, content: counts{0, 0, 3},
			},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			var g []Document
			for _, d := range docs {
				for _, n := range c.docs {
					if d.Name == n {
						g = append(g, d)
					}
				}
			}
			res := Score(g, c.pred)
			w := c.want
			if res.Documents != len(c.docs) || res.DocumentsMissing != w.missing || res.Gold != w.gold || res.Predicted != w.predicted {
				t.Errorf("documents %d, missing %d, gold %d, predicted %d; want %d, %d, %d, %d",
					res.Documents, res.DocumentsMissing, res.Gold, res.Predicted, len(c.docs), w.missing, w.gold, w.predicted)
			}
			for _, m := range []struct {
				name string
				got  PRF
				want counts
			}{
				{"content_partial", res.ContentPartial, w.partial},
				{"content_exact", res.ContentExact, w.exact},
				{"attribution", res.Attribution, w.attr},
				{"content_token", res.ContentToken, w.token},
				{"source_exact", res.SourceExact, w.source},
				{"cue_exact", res.CueExact, w.cue},
				{"content_role_exact", res.ContentRoleExact, w.content},
			} {
				if countsOf(m.got) != m.want {
					t.Errorf("%s: TP, predicted, gold = %v, want %v", m.name, countsOf(m.got), m.want)
				}
				checkPRF(t, m.name, m.got)
			}
			if res.SourceOK != w.sourceOK || res.CueOK != w.cueOK {
				t.Errorf("source ok %d, cue ok %d; want %d, %d", res.SourceOK, res.CueOK, w.sourceOK, w.cueOK)
			}
			if tp := res.ContentPartial.TP; tp > 0 && (res.SourceAcc != float64(w.sourceOK)/float64(tp) || res.CueAcc != float64(w.cueOK)/float64(tp)) {
				t.Errorf("source_acc %v, cue_acc %v", res.SourceAcc, res.CueAcc)
			}
			if !reflect.DeepEqual(res.Unmatched, w.unmatched) {
				t.Errorf("unmatched %v, want %v", res.Unmatched, w.unmatched)
			}
			if c.name == "mixed" {
				if p := res.ContentPartial; p.P != 0.5 || p.R != 0.6 || math.Abs(p.F1-6.0/11) > 1e-15 {
					t.Errorf("content_partial %v, want P 0.5, R 0.6, F1 6/11", p)
				}
			}

			// The script must agree, when it can be run.
			if cmd, _ := findScorer(); cmd != nil {
				sub := writeSplit(t, pick(t, []goldDoc{d1, d2, d3, d4}, c.docs)...)
				sameFigures(t, res, pythonScore(t, cmd, sub, c.pred))
			}
		})
	}
}

func pick(t *testing.T, docs []goldDoc, names []string) []goldDoc {
	t.Helper()
	var out []goldDoc
	for _, n := range names {
		for _, d := range docs {
			if d.name == n {
				out = append(out, d)
			}
		}
	}
	return out
}

// checkPRF checks P, R and F1 against the counts.
func checkPRF(t *testing.T, name string, s PRF) {
	t.Helper()
	ratio := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	p, r := ratio(s.TP, s.Predicted), ratio(s.TP, s.Gold)
	f := 0.0
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	if s.P != p || s.R != r || s.F1 != f {
		t.Errorf("%s: P, R, F1 = %v, %v, %v; want %v, %v, %v", name, s.P, s.R, s.F1, p, r, f)
	}
}

func TestResultOutput(t *testing.T) {
	res := Result{
		Documents: 2, DocumentsMissing: 1, Gold: 4, Predicted: 3,
		ContentPartial: newPRF(2, 3, 4), SourceAcc: 0.5, CueAcc: 1,
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{"documents":2,"documents_missing":1,"gold":4,"predicted":3,` +
		`"content_partial":[0.6666666666666666,0.5,0.5714285714285715],"content_exact":[0,0,0],` +
		`"content_token":[0,0,0],"attribution":[0,0,0],"source_exact":[0,0,0],"cue_exact":[0,0,0],` +
		`"content_role_exact":[0,0,0],"source_acc":0.5,"cue_acc":1}`
	if string(b) != wantJSON {
		t.Errorf("JSON\n%s\nwant\n%s", b, wantJSON)
	}
	var buf bytes.Buffer
	if err := res.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	const wantText = "documents 2 (no prediction for 1), gold attributions 4, predicted 3\n" +
		"content_partial    P 0.667  R 0.500  F1 0.571\n" +
		"content_exact      P 0.000  R 0.000  F1 0.000\n"
	if got := buf.String(); !strings.HasPrefix(got, wantText) || !strings.HasSuffix(got, "source-acc 0.500  cue-acc 1.000 (over content-partial matches)\nattribution F1: 0.000\n") {
		t.Errorf("text\n%s", got)
	}
}
