package polnear

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	const text = "“Taxes will rise,” Zoë said, “they must.”\n\nCritics, he added, were wrong."
	c := func(sub string) CPSpan { return cp(t, text, sub) }
	seg := func(subs ...string) string {
		var out []string
		for _, s := range subs {
			sp := c(s)
			out = append(out, fmt.Sprintf("%d %d", sp.Start, sp.End))
		}
		return strings.Join(out, ";")
	}
	ann := strings.Join([]string{
		"T1\tSource " + seg("Zoë") + "\tZoë",
		"T2\tCue " + seg("said") + "\tsaid",
		"T3\tContent " + seg("“Taxes will rise,”", "“they must.”") + "\t“Taxes will rise,” “they must.”",
		"T4\tAttribution " + seg("said") + "\tsaid",
		"E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
		"T5\tSource " + seg("he") + "\the",
		"T6\tCue " + seg("added") + "\tadded",
		"T7\tContent " + seg("Critics", "were wrong") + "\tCritics were wrong",
		// A quoted text with line breaks goes on over the next lines.
		"T8\tContent " + seg("must.”\n\nCritics") + "\tmust.”",
		"",
		"Critics",
		"E2\tAttribution:T6 Source:T5 Cue:T6 Content:T7 Content2:T8",
		"E3\tAttribution-no-source:T6 Cue:T6",
		"#1\tAnnotatorNotes T1\tchecked",
		"T9\tDiscard " + seg("Critics") + "\tCritics",
		"A1\tNegated E2",
		"",
	}, "\n")
	dir := writeFiles(t, map[string]string{
		"text/a.txt":              text,
		"attributions/a_4e07.ann": ann,
		// Only the lexicographically first file is read.
		"attributions/a_ef2d.ann": "not BRAT at all",
		// A byte order mark is a character; "\r\n" reads as "\n".
		"text/c.txt":              "\ufeffPat said:\r\nhi.",
		"attributions/c_0001.ann": "T1\tSource 1 4\tPat\nT2\tContent 11 13\thi\nE1\tSource:T1 Content:T2\n",
		// Ignored, as the scorer ignores them.
		"text/b.txt":                "no annotation",
		"attributions/orphan_1.ann": "garbage",
		"attributions/notes.txt":    "garbage",
	})
	docs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Name != "a" || docs[1].Name != "c" {
		t.Fatalf("got %d documents %v, want a and c", len(docs), names(docs))
	}

	a := docs[0]
	if a.Text != text {
		t.Errorf("text %q", a.Text)
	}
	if want := []string{"a_4e07.ann", "a_ef2d.ann"}; !reflect.DeepEqual(a.Annotations, want) {
		t.Errorf("Annotations = %v, want %v", a.Annotations, want)
	}
	if a.Annotator() != "4e07" {
		t.Errorf("Annotator() = %q", a.Annotator())
	}
	if want := []string{"E3"}; !reflect.DeepEqual(a.Dropped, want) {
		t.Errorf("Dropped = %v, want %v", a.Dropped, want)
	}
	want := []Attribution{
		{
			ID:        "E1",
			SourceCP:  []CPSpan{c("Zoë")},
			CueCP:     []CPSpan{c("said")},
			ContentCP: []CPSpan{c("“Taxes will rise,”"), c("“they must.”")},
		},
		{
			ID:        "E2",
			SourceCP:  []CPSpan{c("he")},
			CueCP:     []CPSpan{c("added")},
			ContentCP: []CPSpan{c("Critics"), c("were wrong"), c("must.”\n\nCritics")},
		},
	}
	wantText := [][3][]string{
		{{"Zoë"}, {"said"}, {"“Taxes will rise,”", "“they must.”"}},
		{{"he"}, {"added"}, {"Critics", "were wrong", "must.”\n\nCritics"}},
	}
	if len(a.Attributions) != len(want) {
		t.Fatalf("got %d attributions, want %d", len(a.Attributions), len(want))
	}
	for i, w := range want {
		got := a.Attributions[i]
		t.Run(w.ID, func(t *testing.T) {
			if got.ID != w.ID || !reflect.DeepEqual(got.SourceCP, w.SourceCP) ||
				!reflect.DeepEqual(got.CueCP, w.CueCP) || !reflect.DeepEqual(got.ContentCP, w.ContentCP) {
				t.Errorf("got %+v\nwant %+v", got, w)
			}
			for r, spans := range [][]Span{got.Source, got.Cue, got.Content} {
				var texts []string
				for _, s := range spans {
					texts = append(texts, a.Text[s.Start:s.End])
				}
				if !reflect.DeepEqual(texts, wantText[i][r]) {
					t.Errorf("byte spans give %q, want %q", texts, wantText[i][r])
				}
			}
		})
	}

	cdoc := docs[1]
	if cdoc.Text != "\ufeffPat said:\nhi." {
		t.Errorf("text %q", cdoc.Text)
	}
	if got := cdoc.Attributions[0]; cdoc.Text[got.Source[0].Start:got.Source[0].End] != "Pat" ||
		cdoc.Text[got.Content[0].Start:got.Content[0].End] != "hi" || got.Cue != nil || got.CueCP != nil {
		t.Errorf("c: %+v", got)
	}
}

func names(docs []Document) []string {
	var out []string
	for _, d := range docs {
		out = append(out, d.Name)
	}
	return out
}

func TestLoadErrors(t *testing.T) {
	const text = "Zoë said hi.\n\nPat agreed."
	for _, c := range []struct {
		name string
		ann  string
		line int
		msg  string
	}{
		{"offsets not numbers", "T1\tSource a 3\tZoë", 1, "invalid syntax"},
		{"one offset", "T1\tSource 0\tZoë", 1, `want "START END"`},
		{"no offsets", "T1\tSource\tZoë", 1, `want "LABEL START END"`},
		{"span past the text", "T1\tSource 0 3\tZoë\nT2\tCue 4 99\tsaid", 2, "outside the text"},
		{"start after end", "T1\tCue 8 4\tsaid", 1, "outside the text"},
		{"negative start", "T1\tCue -1 4\tsaid", 1, "outside the text"},
		{"byte offsets", "T1\tCue 5 9\tsaid", 1, "differs from the text"},
		{"quoted text ends early", "T1\tContent 4 17\tsaid hi.", 1, "ends early"},
		{"line without a tab", "T1\tSource 0 3\tZoë\nstray words", 2, "without a tab"},
		{"T defined twice", "T1\tSource 0 3\tZoë\nT1\tCue 4 8\tsaid", 2, "defined twice"},
		{"E defined twice", "T1\tSource 0 3\tZoë\nE1\tSource:T1\nE1\tSource:T1", 3, "defined twice"},
		{"role without colon", "T1\tSource 0 3\tZoë\nE1\tSource-T1", 2, "want ROLE:ID"},
		{"undefined reference", "T1\tSource 0 3\tZoë\nE1\tContent:T7 Source:T1", 2, "undefined T7"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"text/x.txt": text, "attributions/x_0001.ann": c.ann})
			docs, err := Load(dir)
			if err == nil {
				t.Fatalf("no error, %d documents", len(docs))
			}
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("%v: not a *LineError", err)
			}
			if filepath.Base(le.File) != "x_0001.ann" || le.Line != c.line {
				t.Errorf("error at %s:%d, want x_0001.ann:%d", le.File, le.Line, c.line)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "polnear: ") || !strings.Contains(msg, c.msg) {
				t.Errorf("error %q, want one starting with \"polnear: \" and holding %q", msg, c.msg)
			}
		})
	}
}

func TestLoadFolderErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		msg   string
	}{
		{"no text folder", map[string]string{"attributions/x_1.ann": ""}, "text"},
		{"no attributions folder", map[string]string{"text/x.txt": ""}, "attributions"},
		{"nothing annotated", map[string]string{"text/x.txt": "hi", "attributions/y_1.ann": ""}, "no annotated texts"},
		{"invalid UTF-8", map[string]string{"text/x.txt": "hi \xff", "attributions/x_1.ann": ""}, "invalid UTF-8"},
		{"errors in two files", map[string]string{
			"text/x.txt": "hi", "attributions/x_1.ann": "T1\tCue 0 9\thi",
			"text/y.txt": "hi", "attributions/y_1.ann": "E1\tCue:T1",
		}, "x_1.ann:1: T1: span 0-9 outside the text (2 code points)\npolnear: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(writeFiles(t, c.files))
			if err == nil || !strings.HasPrefix(err.Error(), "polnear: ") || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %v, want one holding %q", err, c.msg)
			}
		})
	}
}

func TestReadMetadata(t *testing.T) {
	const header = "compartment\tfilename\tlevel\tannotators\tpublisher\tpublication_date\tauthor\ttitle\ttrump_count\tclinton_count\tcredit\twire\n"
	dir := writeFiles(t, map[string]string{
		"good.tsv": header +
			"dev\tnyt_2016-01-01_x\t4\tef2d\tnyt\t2016-01-01\tNone\tA: B’s C\t0\t3\tNone\tAP\n" +
			"train\twj_x\t7\t4b22|4e07\twest-journal\t2016-02-29\tJo Doe\tT\t1\t2\th/t: The Hill\tNA\n",
		"short.tsv":   header + "dev\tx\t4\n",
		"badnum.tsv":  header + "dev\tx\tfour\tef2d\tnyt\t2016-01-01\tNone\tT\t0\t3\tNone\tAP\n",
		"baddate.tsv": header + "dev\tx\t4\tef2d\tnyt\t01/02/2016\tNone\tT\t0\t3\tNone\tAP\n",
		"nocol.tsv":   "compartment\tfilename\n",
	})
	got, err := ReadMetadata(filepath.Join(dir, "good.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d rows", len(got))
	}
	if m := got[0]; m.Split != "dev" || m.Name != "nyt_2016-01-01_x" || m.Level != 4 || !reflect.DeepEqual(m.Annotators, []string{"ef2d"}) ||
		m.Publisher != "nyt" || m.Published.Format("2006-01-02") != "2016-01-01" || m.Author != "" || m.Title != "A: B’s C" ||
		m.TrumpCount != 0 || m.ClintonCount != 3 || m.Credit != "" || m.Wire != "AP" {
		t.Errorf("row 1: %+v", m)
	}
	if m := got[1]; !reflect.DeepEqual(m.Annotators, []string{"4b22", "4e07"}) || m.Author != "Jo Doe" || m.Credit != "h/t: The Hill" || m.Wire != "NA" {
		t.Errorf("row 2: %+v", m)
	}
	for _, c := range []struct{ file, msg string }{
		{"short.tsv", "short.tsv:2: 3 fields, want 12"},
		{"badnum.tsv", "badnum.tsv:2: level"},
		{"baddate.tsv", "baddate.tsv:2: publication_date"},
		{"nocol.tsv", `nocol.tsv:1: no column "level"`},
		{"missing.tsv", "no such file"},
	} {
		t.Run(c.file, func(t *testing.T) {
			_, err := ReadMetadata(filepath.Join(dir, c.file))
			if err == nil || !strings.HasPrefix(err.Error(), "polnear: ") || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %v, want one holding %q", err, c.msg)
			}
		})
	}
}
