package polnear

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ReadPredictions reads predictions in the JSON Lines form polnear_score.py
// reads, one document per line as printed by graphd extract --json:
//
//	{"document": {"path": ".../NAME.txt"}, "statements": [
//	  {"content": {"spans": [{"start": 0, "end": 9}]}, "cue": null, "source": {"start": 12, "end": 15}}]}
//
// A document is named by the base name of document.path without ".txt",
// or of document.id when the path is empty; the statements of several
// lines for one name are concatenated. A role is null, {"spans": [...]},
// a single {"start", "end"} or a list of these; anything else counts as no
// span, as in the script. Offsets are code points; numbers are truncated
// to integers and strings of decimal digits accepted, as Python's int()
// does. Blank lines are skipped. Where the script would stop with a Python
// exception, ReadPredictions returns a [*LineError].
func ReadPredictions(r io.Reader) (map[string][]Prediction, error) {
	out := map[string][]Prediction{}
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			if perr := readPredictionLine(out, line); perr != nil {
				return nil, &LineError{Line: n, Err: perr}
			}
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("polnear: read predictions: %w", err)
		}
	}
}

func readPredictionLine(out map[string][]Prediction, line []byte) error {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return nil
	}
	if !utf8.Valid(line) {
		return errors.New("invalid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("text after the JSON value")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("want a JSON object, got %s", kind(v))
	}

	doc := map[string]any{}
	if d := obj["document"]; truthy(d) {
		if doc, ok = d.(map[string]any); !ok {
			return fmt.Errorf("document: want an object, got %s", kind(d))
		}
	}
	ref := ""
	for _, k := range []string{"path", "id"} {
		if x := doc[k]; truthy(x) {
			if ref, ok = x.(string); !ok {
				return fmt.Errorf("document.%s: want a string, got %s", k, kind(x))
			}
			break
		}
	}
	name := strings.TrimSuffix(ref[strings.LastIndexByte(ref, '/')+1:], ".txt")

	var preds []Prediction
	if st := obj["statements"]; truthy(st) {
		list, ok := st.([]any)
		if !ok {
			return fmt.Errorf("statements: want a list, got %s", kind(st))
		}
		preds = make([]Prediction, 0, len(list))
		for i, s := range list {
			var p Prediction
			if truthy(s) {
				m, ok := s.(map[string]any)
				if !ok {
					return fmt.Errorf("statement %d: want an object, got %s", i, kind(s))
				}
				var err error
				for _, r := range []struct {
					key string
					dst *[]CPSpan
				}{{"content", &p.Content}, {"cue", &p.Cue}, {"source", &p.Source}} {
					if *r.dst, err = spansOf(m[r.key]); err != nil {
						return fmt.Errorf("statement %d: %s: %w", i, r.key, err)
					}
				}
			}
			preds = append(preds, p)
		}
	}
	out[name] = append(out[name], preds...)
	return nil
}

// spansOf is the script's spans_of.
func spansOf(v any) ([]CPSpan, error) {
	switch v := v.(type) {
	case map[string]any:
		if list, ok := v["spans"]; ok {
			if !truthy(list) {
				return nil, nil
			}
			items, ok := list.([]any)
			if !ok {
				return nil, fmt.Errorf("spans: want a list, got %s", kind(list))
			}
			out := make([]CPSpan, 0, len(items))
			for i, it := range items {
				m, ok := it.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("span %d: want an object, got %s", i, kind(it))
				}
				s, err := spanOf(m)
				if err != nil {
					return nil, fmt.Errorf("span %d: %w", i, err)
				}
				out = append(out, s)
			}
			return out, nil
		}
		_, hasStart := v["start"]
		_, hasEnd := v["end"]
		if hasStart && hasEnd {
			s, err := spanOf(v)
			if err != nil {
				return nil, err
			}
			return []CPSpan{s}, nil
		}
	case []any:
		var out []CPSpan
		for _, x := range v {
			s, err := spansOf(x)
			if err != nil {
				return nil, err
			}
			out = append(out, s...)
		}
		return out, nil
	}
	return nil, nil
}

func spanOf(m map[string]any) (CPSpan, error) {
	var s CPSpan
	for _, f := range []struct {
		key string
		dst *int
	}{{"start", &s.Start}, {"end", &s.End}} {
		x, ok := m[f.key]
		if !ok {
			return s, fmt.Errorf("no %q", f.key)
		}
		var err error
		if *f.dst, err = pyInt(x); err != nil {
			return s, fmt.Errorf("%s: %w", f.key, err)
		}
	}
	return s, nil
}

// pyInt is Python's int() on a decoded JSON value, saturated to the int
// range: offsets that far out are clamped to the text anyway.
func pyInt(v any) (int, error) {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return int(i), nil
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, err
		}
		if math.IsInf(f, 0) {
			// Python reads a huge integer literal exactly and overflows on
			// a huge float; both lie far outside any text.
			if strings.ContainsAny(string(v), ".eE") {
				return 0, fmt.Errorf("cannot convert %s to an integer", v)
			}
		}
		return saturate(f), nil
	case bool:
		if v {
			return 1, nil
		}
		return 0, nil
	case string:
		s := strings.TrimSpace(v)
		if i, err := strconv.ParseInt(pyDigits(s), 10, 64); err == nil {
			return int(i), nil
		} else if errors.Is(err, strconv.ErrRange) {
			if strings.HasPrefix(s, "-") {
				return math.MinInt, nil
			}
			return math.MaxInt, nil
		}
		return 0, fmt.Errorf("invalid integer %q", v)
	}
	return 0, fmt.Errorf("want a number, got %s", kind(v))
}

// pyDigits removes the single underscores Python allows between digits,
// and returns s unchanged (so that parsing fails) when it has others.
func pyDigits(s string) string {
	if !strings.Contains(s, "_") {
		return s
	}
	digits := strings.TrimLeft(s, "+-")
	if digits == "" || digits[0] == '_' || digits[len(digits)-1] == '_' || strings.Contains(digits, "__") {
		return s
	}
	return strings.ReplaceAll(s, "_", "")
}

func saturate(f float64) int {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt
	case f <= math.MinInt64:
		return math.MinInt
	}
	return int(f) // truncates toward zero, as Python's int() does
}

// truthy is Python's truth value of a decoded JSON value.
func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		return err != nil || f != 0
	case string:
		return v != ""
	case []any:
		return len(v) > 0
	case map[string]any:
		return len(v) > 0
	}
	return true
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// WritePredictions writes predictions as JSON Lines that
// [ReadPredictions] and polnear_score.py read: one line per name, sorted,
// with document.path NAME.txt, and each role as {"spans": [...]} or null
// when it has no span.
func WritePredictions(w io.Writer, preds map[string][]Prediction) error {
	type spanJSON struct {
		Start int `json:"start"`
		End   int `json:"end"`
	}
	type roleJSON struct {
		Spans []spanJSON `json:"spans"`
	}
	type statementJSON struct {
		Content *roleJSON `json:"content"`
		Cue     *roleJSON `json:"cue"`
		Source  *roleJSON `json:"source"`
	}
	type lineJSON struct {
		Document struct {
			Path string `json:"path"`
		} `json:"document"`
		Statements []statementJSON `json:"statements"`
	}
	role := func(spans []CPSpan) *roleJSON {
		if len(spans) == 0 {
			return nil
		}
		r := &roleJSON{Spans: make([]spanJSON, len(spans))}
		for i, s := range spans {
			r.Spans[i] = spanJSON{s.Start, s.End}
		}
		return r
	}
	names := make([]string, 0, len(preds))
	for name := range preds {
		names = append(names, name)
	}
	sort.Strings(names)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, name := range names {
		var l lineJSON
		l.Document.Path = name + ".txt"
		l.Statements = make([]statementJSON, len(preds[name]))
		for i, p := range preds[name] {
			l.Statements[i] = statementJSON{Content: role(p.Content), Cue: role(p.Cue), Source: role(p.Source)}
		}
		if err := enc.Encode(l); err != nil {
			return fmt.Errorf("polnear: write predictions: %s: %w", name, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("polnear: write predictions: %w", err)
	}
	return nil
}
