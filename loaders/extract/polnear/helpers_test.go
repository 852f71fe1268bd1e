package polnear

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// writeFiles writes files (relative path → content) under a fresh
// temporary folder and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// cp returns the code point span of the first occurrence of sub in text;
// "sub@N" takes the N-th occurrence (from 1).
func cp(t *testing.T, text, sub string) CPSpan {
	t.Helper()
	nth := 1
	if i := strings.LastIndex(sub, "@"); i > 0 {
		if _, err := fmt.Sscanf(sub[i+1:], "%d", &nth); err == nil {
			sub = sub[:i]
		}
	}
	from := 0
	for k := 1; ; k++ {
		i := strings.Index(text[from:], sub)
		if i < 0 {
			t.Fatalf("%q: occurrence %d not in %q", sub, k, text)
		}
		if k == nth {
			start := utf8.RuneCountInString(text[:from+i])
			return CPSpan{start, start + utf8.RuneCountInString(sub)}
		}
		from += i + 1
	}
}

func cps(t *testing.T, text string, subs ...string) []CPSpan {
	t.Helper()
	var out []CPSpan
	for _, s := range subs {
		out = append(out, cp(t, text, s))
	}
	return out
}

// goldAttr names an attribution's spans by substrings of the text (see
// cp); an empty list is an absent role.
type goldAttr struct {
	source, cue, content []string
}

type goldDoc struct {
	name, text string
	attrs      []goldAttr
}

// annFile writes a document's attributions in BRAT standoff.
func annFile(t *testing.T, d goldDoc) string {
	t.Helper()
	var b strings.Builder
	nt := 0
	tline := func(label string, subs []string) string {
		nt++
		var offs, frags []string
		for _, s := range subs {
			c := cp(t, d.text, s)
			offs = append(offs, fmt.Sprintf("%d %d", c.Start, c.End))
			frags = append(frags, string([]rune(d.text)[c.Start:c.End]))
		}
		fmt.Fprintf(&b, "T%d\t%s %s\t%s\n", nt, label, strings.Join(offs, ";"), strings.Join(frags, " "))
		return fmt.Sprintf("T%d", nt)
	}
	for k, a := range d.attrs {
		args := []string{"Attribution:" + tline("Attribution", a.content[:1])}
		for _, r := range []struct {
			label string
			subs  []string
		}{{"Content", a.content}, {"Cue", a.cue}, {"Source", a.source}} {
			if len(r.subs) > 0 {
				args = append(args, r.label+":"+tline(r.label, r.subs))
			}
		}
		fmt.Fprintf(&b, "E%d\t%s\n", k+1, strings.Join(args, " "))
	}
	return b.String()
}

// writeSplit writes documents as a split folder.
func writeSplit(t *testing.T, docs ...goldDoc) string {
	t.Helper()
	files := map[string]string{}
	for _, d := range docs {
		files["text/"+d.name+".txt"] = d.text
		files["attributions/"+d.name+"_aaaa.ann"] = annFile(t, d)
	}
	return writeFiles(t, files)
}

// findScorer returns the command running polnear_score.py, or why there
// is none: the script is PROVGRAPH_POLNEAR_SCORER, or eval/polnear_score.py
// next to the corpus folder PROVGRAPH_POLNEAR.
func findScorer() (cmd []string, reason string) {
	script := os.Getenv("PROVGRAPH_POLNEAR_SCORER")
	if script == "" {
		corpus := os.Getenv("PROVGRAPH_POLNEAR")
		if corpus == "" {
			return nil, "PROVGRAPH_POLNEAR is not set: no polnear_score.py to compare with"
		}
		script = filepath.Join(corpus, "..", "eval", "polnear_score.py")
	}
	if _, err := os.Stat(script); err != nil {
		return nil, fmt.Sprintf("no scorer: %v", err)
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil, "python3 is not installed"
	}
	return []string{python, script}, ""
}

// scorer returns the command running polnear_score.py, or skips.
func scorer(t *testing.T) []string {
	t.Helper()
	cmd, reason := findScorer()
	if cmd == nil {
		t.Skip(reason)
	}
	return cmd
}

// pythonScore runs polnear_score.py --json on a gold folder and
// predictions and returns its output.
func pythonScore(t *testing.T, cmd []string, goldDir string, preds map[string][]Prediction) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePredictions(&buf, preds); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pred.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return runScorer(t, cmd, goldDir, path)
}

func runScorer(t *testing.T, cmd []string, goldDir, predPath string) map[string]any {
	t.Helper()
	var stdout, stderr bytes.Buffer
	c := exec.Command(cmd[0], cmd[1], goldDir, predPath, "--json")
	c.Stdout, c.Stderr = &stdout, &stderr
	if err := c.Run(); err != nil {
		t.Fatalf("polnear_score.py: %v\n%s", err, stderr.String())
	}
	var out map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("polnear_score.py output: %v\n%s", err, stdout.String())
	}
	return out
}

// sameFigures reports every figure of the script's output that differs
// from res by more than 1e-9, and keys present on one side only.
func sameFigures(t *testing.T, res Result, python map[string]any) {
	t.Helper()
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var ours map[string]any
	if err := json.Unmarshal(b, &ours); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for k := range ours {
		keys[k] = true
	}
	for k := range python {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		g, p := numbers(ours[k]), numbers(python[k])
		if len(g) == 0 || len(g) != len(p) {
			t.Errorf("%s: Go %v, Python %v", k, ours[k], python[k])
			continue
		}
		for i := range g {
			if math.Abs(g[i]-p[i]) > 1e-9 {
				t.Errorf("%s: Go %v, Python %v", k, ours[k], python[k])
				break
			}
		}
	}
}

func numbers(v any) []float64 {
	switch v := v.(type) {
	case float64:
		return []float64{v}
	case []any:
		var out []float64
		for _, x := range v {
			f, ok := x.(float64)
			if !ok {
				return nil
			}
			out = append(out, f)
		}
		return out
	}
	return nil
}
