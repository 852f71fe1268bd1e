package polnear

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadPredictions(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		want map[string][]Prediction
	}{
		{
			name: "spans, single span and null",
			in:   `{"document": {"path": "/x/y/a.txt"}, "statements": [{"content": {"spans": [{"start": 0, "end": 5}, {"start": 7, "end": 9}]}, "cue": null, "source": {"start": 1, "end": 2}}]}`,
			want: map[string][]Prediction{"a": {{Source: []CPSpan{{1, 2}}, Content: []CPSpan{{0, 5}, {7, 9}}}}},
		},
		{
			name: "id when the path is empty",
			in:   `{"document": {"path": "", "id": "docs/b.txt"}, "statements": [{"content": {"start": 3, "end": 4}}]}`,
			want: map[string][]Prediction{"b": {{Content: []CPSpan{{3, 4}}}}},
		},
		{
			name: "id without .txt",
			in:   `{"document": {"path": null, "id": "urn:c"}, "statements": [{"content": {"start": 3, "end": 4}}]}`,
			want: map[string][]Prediction{"urn:c": {{Content: []CPSpan{{3, 4}}}}},
		},
		{
			name: "lists of spans nest",
			in:   `{"document": {"path": "a.txt"}, "statements": [{"content": [{"start": 0, "end": 1}, [{"spans": [{"start": 2, "end": 3}]}], "junk"]}]}`,
			want: map[string][]Prediction{"a": {{Content: []CPSpan{{0, 1}, {2, 3}}}}},
		},
		{
			name: "offsets as Python's int() reads them",
			in:   `{"document": {"path": "a.txt"}, "statements": [{"content": {"spans": [{"start": 1.9, "end": " 12 "}, {"start": -0.5, "end": "1_0"}, {"start": true, "end": 1e1}, {"start": 0, "end": 123456789012345678901234567890}]}}]}`,
			want: map[string][]Prediction{"a": {{Content: []CPSpan{{1, 12}, {0, 10}, {1, 10}, {0, 1<<63 - 1}}}}},
		},
		{
			name: "other values are no span",
			in:   `{"document": {"path": "a.txt"}, "statements": [{"content": {"start": 1, "end": 2}, "cue": "said", "source": {"begin": 0}}, {"content": {"spans": null}, "cue": 5, "source": {}}]}`,
			want: map[string][]Prediction{"a": {{Content: []CPSpan{{1, 2}}}, {}}},
		},
		{
			name: "null and empty statements",
			in:   `{"document": {"path": "a.txt"}, "statements": [null, {}, 0]}`,
			want: map[string][]Prediction{"a": {{}, {}, {}}},
		},
		{
			name: "lines for one document add up",
			in: `{"document": {"path": "a.txt"}, "statements": [{"content": {"start": 1, "end": 2}}]}` + "\n\n  \n" +
				`{"document": {"path": "b/a.txt"}, "statements": [{"content": {"start": 3, "end": 4}}]}` + "\n",
			want: map[string][]Prediction{"a": {{Content: []CPSpan{{1, 2}}}, {Content: []CPSpan{{3, 4}}}}},
		},
		{
			name: "a document without statements is present",
			in:   `{"document": {"path": "a.txt"}, "statements": []}` + "\n" + `{"document": {"path": "b.txt"}}`,
			want: map[string][]Prediction{"a": nil, "b": nil},
		},
		{
			name: "no document",
			in:   `{"statements": [{"content": {"start": 1, "end": 2}}]}`,
			want: map[string][]Prediction{"": {{Content: []CPSpan{{1, 2}}}}},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadPredictions(strings.NewReader(c.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// badPredictions are lines polnear_score.py stops on.
var badPredictions = []struct{ name, in, msg string }{
	{"not JSON", `{"document": `, "unexpected EOF"},
	{"text after the object", `{} {}`, "text after"},
	{"a list", `[1]`, "want a JSON object"},
	{"document is a list", `{"document": [1]}`, "document: want an object"},
	{"path is a number", `{"document": {"path": 7}}`, "document.path: want a string"},
	{"statements is an object", `{"document": {"path": "a.txt"}, "statements": {"x": 1}}`, "statements: want a list"},
	{"statement is a string", `{"document": {"path": "a.txt"}, "statements": ["x"]}`, "statement 0: want an object"},
	{"spans is an object", `{"document": {"path": "a.txt"}, "statements": [{"content": {"spans": {"start": 1, "end": 2}}}]}`, "spans: want a list"},
	{"span is a list", `{"document": {"path": "a.txt"}, "statements": [{"content": {"spans": [[1, 2]]}}]}`, "span 0: want an object"},
	{"span without end", `{"document": {"path": "a.txt"}, "statements": [{"content": {"spans": [{"start": 1}]}}]}`, `no "end"`},
	{"null offset", `{"document": {"path": "a.txt"}, "statements": [{"cue": {"start": null, "end": 2}}]}`, "start: want a number"},
	{"word offset", `{"document": {"path": "a.txt"}, "statements": [{"source": {"start": "one", "end": 2}}]}`, "invalid integer"},
	{"infinite offset", `{"document": {"path": "a.txt"}, "statements": [{"content": {"start": 1, "end": 1e400}}]}`, "cannot convert"},
	{"invalid UTF-8", "{\"document\": {\"path\": \"a\xff.txt\"}}", "invalid UTF-8"},
}

func TestReadPredictionsErrors(t *testing.T) {
	for _, c := range badPredictions {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadPredictions(strings.NewReader("\n" + c.in + "\n"))
			var le *LineError
			if !errors.As(err, &le) || le.Line != 2 {
				t.Fatalf("error %v, want a *LineError at line 2", err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "polnear: line 2: ") || !strings.Contains(msg, c.msg) {
				t.Errorf("error %q, want one holding %q", msg, c.msg)
			}
		})
	}
}

// TestPredictionsAsPython checks that the script accepts what
// ReadPredictions accepts, scoring it the same, and stops on what it
// rejects.
func TestPredictionsAsPython(t *testing.T) {
	cmd := scorer(t)
	const text = "Zoë said the plan will work, and Pat agreed."
	doc := goldDoc{"a", text, []goldAttr{{[]string{"Zoë"}, []string{"said"}, []string{"the plan will work"}}}}
	goldDir := writeSplit(t, doc)
	docs, err := Load(goldDir)
	if err != nil {
		t.Fatal(err)
	}
	good := strings.Join([]string{
		`{"document": {"path": "/x/a.txt"}, "statements": [{"content": {"spans": [{"start": 9, "end": 17}]}, "cue": {"start": "5", "end": 8.7}, "source": [{"start": -3, "end": 3}]}]}`,
		`{"document": {"id": "a"}, "statements": [null, {"content": [{"start": 18, "end": 99}], "cue": "said", "source": {"spans": null}}]}`,
		`{"document": {"path": "a.txt"}, "statements": [{"content": {"start": true, "end": 4}, "source": {"start": 1, "end": 1e1}}]}`,
		`{"document": {"path": "nowhere.txt"}, "statements": []}`,
	}, "\n")
	dir := t.TempDir()
	path := filepath.Join(dir, "good.jsonl")
	if err := os.WriteFile(path, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	preds, err := ReadPredictions(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	sameFigures(t, Score(docs, preds), runScorer(t, cmd, goldDir, path))

	for _, c := range badPredictions {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, "bad.jsonl")
			if err := os.WriteFile(path, []byte(c.in+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			run := exec.Command(cmd[0], cmd[1], goldDir, path, "--json")
			run.Stderr = &stderr
			if err := run.Run(); err == nil {
				t.Errorf("polnear_score.py accepts %s", c.in)
			}
		})
	}
}

func TestWritePredictions(t *testing.T) {
	preds := map[string][]Prediction{
		"b": {{Source: []CPSpan{{0, 3}}, Cue: []CPSpan{{4, 8}}, Content: []CPSpan{{9, 20}, {25, 30}}}, {Content: []CPSpan{{1, 2}}}},
		"a": nil,
	}
	var buf bytes.Buffer
	if err := WritePredictions(&buf, preds); err != nil {
		t.Fatal(err)
	}
	const want = `{"document":{"path":"a.txt"},"statements":[]}
{"document":{"path":"b.txt"},"statements":[{"content":{"spans":[{"start":9,"end":20},{"start":25,"end":30}]},"cue":{"spans":[{"start":4,"end":8}]},"source":{"spans":[{"start":0,"end":3}]}},{"content":{"spans":[{"start":1,"end":2}]},"cue":null,"source":null}]}
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	back, err := ReadPredictions(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, preds) {
		t.Errorf("read back %+v\nwant %+v", back, preds)
	}
}
