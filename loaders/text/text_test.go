package text_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/loadertest"
	"github.com/provgraph/provgraph/loaders/text"
)

func load(t *testing.T, path string) *loaders.Document {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []*loaders.Document
	err = text.New().Load(context.Background(), loaders.Source{Name: path}, f, func(r loaders.Record) error {
		if r.Err != nil {
			t.Fatalf("%s: %v", path, r.Err)
		}
		docs = append(docs, r.Doc)
		return nil
	})
	if err != nil || len(docs) != 1 {
		t.Fatalf("%s: %d documents, %v", path, len(docs), err)
	}
	return docs[0]
}

func TestSeedMetadata(t *testing.T) {
	seeds := "../../testdata/seeds"
	for _, c := range []struct {
		file, published, url, title, publisher string
		prec                                   graph.Precision
	}{
		{file: "000_52e6263d3ff8d6c2.txt"},
		{file: "001_7906109f70da381d.txt", published: "2023-03-21T19:22:00", prec: graph.PrecisionTime, publisher: "Press Service of the President"},
		{file: "002_dfb64f13c507115d.txt", published: "2023-05-01", prec: graph.PrecisionDay,
			url:   "https://sputnikglobe.com/20230501/blinken-expresses-concern-over-establishment-of-azerbaijani-checkpoint-on-lachin-corridor-1110001666.html",
			title: "Blinken Expresses Concern Over Establishment of Azerbaijani Checkpoint on Lachin Corridor"},
		{file: "003_a2bbd7d84d4df84a.txt", title: "Blinken Promises to Help Pashinyan Resolve Armenian-Azerbaijani Issues"},
		{file: "004_5242cdd0a335572f.txt", published: "2023-01-23", prec: graph.PrecisionDay},
	} {
		t.Run(c.file, func(t *testing.T) {
			d := load(t, filepath.Join(seeds, c.file))
			loadertest.CheckMeta(t, d, loadertest.Meta{Title: c.title, URL: c.url, Publisher: c.publisher, Published: c.published, Precision: c.prec})
			raw, _ := os.ReadFile(filepath.Join(seeds, c.file))
			if d.Text != string(raw) {
				t.Errorf("text is not the file as read")
			}
			for _, b := range d.Boilerplate {
				s := d.Text[b.Start:b.End]
				if strings.Contains(s, "Blinken made") || strings.Contains(s, "noted that") {
					t.Errorf("article text marked as metadata: %q", s)
				}
			}
		})
	}
}

func TestMetadataLinesAreMarked(t *testing.T) {
	for _, c := range []struct {
		name, text string
		marked     []string
	}{
		{"leading date and url", " date 2023-05-01 https://example.com/a\n\nHeadline Here\n\nHeadline Here\n\nThe minister said so.\n", []string{" date 2023-05-01 https://example.com/a", "Headline Here"}},
		{"date prefix before text", " date 2023-01-23 On January 23, the minister said so.\n", []string{" date 2023-01-23 "}},
		{"trailing official news", "Release of the Press Service of the President\n\nThe President said so.\n\nOfficial news 2023-03-21 19:22:00\n", []string{"Release of the Press Service of the President", "Official news 2023-03-21 19:22:00"}},
		{"nothing", "The minister said so. Nobody disagreed.\n", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := text.Parse(c.text)
			var got []string
			for _, b := range d.Boilerplate {
				got = append(got, d.Text[b.Start:b.End])
			}
			if strings.Join(got, "|") != strings.Join(c.marked, "|") {
				t.Errorf("marked %q, want %q", got, c.marked)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/seeds/*.txt")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f.Add(string(b))
	}
	f.Add(" date 2023-01-23 \n")
	f.Fuzz(func(t *testing.T, s string) {
		d := text.Parse(s)
		for _, b := range d.Boilerplate {
			if b.Start < 0 || b.End > len(s) || b.Start > b.End {
				t.Fatalf("range %v outside text of %d bytes", b, len(s))
			}
		}
	})
}

func TestConformance(t *testing.T) {
	samples := map[string][]byte{}
	files, _ := filepath.Glob("../../testdata/seeds/*.txt")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		samples[filepath.Base(p)] = b
	}
	loadertest.Run(t, text.Format, samples)
}
