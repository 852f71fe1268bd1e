package jsonl

import (
	"encoding/json"
	"errors"
	"testing"
	"unicode/utf8"
)

// The scanner must accept exactly what encoding/json accepts, report a cut
// valid value as a valid prefix, and unquote strings as encoding/json does.

var scanSeeds = []string{
	`{"a":1,"b":[true,false,null,-0.5e+3,"x\u00e9\ud83d\ude00\n"],"c":{}}`,
	`[]`, `{}`, `""`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800"`, `-0`, `01`, `1.`, `1e`, `.5`, `tru`, `nul`,
	`{"a" 1}`, `{"a":1,}`, `[1,]`, `"\x"`, "\"\x01\"", "\"\xff\"", ` {"a":"b"} `, `{"a":"b"} x`, `[[[`, `"abc`,
}

func FuzzScan(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := valid(data)
		if (err == nil) != json.Valid(data) {
			t.Fatalf("valid(%q) = %v, json.Valid = %v", data, err, json.Valid(data))
		}
		if err != nil {
			var se *syntaxError
			if !errors.As(err, &se) || se.off < 0 || se.off > len(data) {
				t.Fatalf("valid(%q): error %#v", data, err)
			}
			return
		}
		// Every cut of a valid value is a valid prefix.
		for i := 0; i < len(data); i++ {
			if err := valid(data[:i]); err != nil {
				var se *syntaxError
				if !errors.As(err, &se) || !se.eof || se.off != i {
					t.Fatalf("valid(%q), a cut of %q: %v, want a valid prefix", data[:i], data, err)
				}
			}
		}
		s := scanner{data: data}
		s.skipSpace()
		v, err := s.value()
		if err != nil || v.kind != kindString || !utf8.Valid(data) {
			return
		}
		var want string
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		if got := unquote(v.str(), v.flags); got != want {
			t.Fatalf("unquote(%q) = %q, want %q", data, got, want)
		}
	})
}

func TestScanSeeds(t *testing.T) {
	for _, s := range scanSeeds {
		t.Run(s, func(t *testing.T) {
			if err := valid([]byte(s)); (err == nil) != json.Valid([]byte(s)) {
				t.Errorf("valid(%q) = %v, json.Valid = %v", s, err, json.Valid([]byte(s)))
			}
		})
	}
}
