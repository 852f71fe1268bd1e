package polnear

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Metadata describes one article, a row of PolNeAR's metadata.tsv.
type Metadata struct {
	Split string // "train", "dev" or "test" (column compartment)
	Name  string // the text's file name without ".txt" (column filename)
	// Level is the annotation batch the article belongs to.
	Level int
	// Annotators are the codes of the article's annotators, the suffixes
	// of its .ann files.
	Annotators []string
	Publisher  string
	Published  time.Time // a date, at midnight UTC
	Title      string
	// Author, Credit and Wire are empty where the file says "None" or
	// nothing. Wire is "NA" where the publisher does not record it.
	Author, Credit, Wire string
	// TrumpCount and ClintonCount count mentions of the two candidates.
	TrumpCount, ClintonCount int
}

var metadataColumns = []string{
	"compartment", "filename", "level", "annotators", "publisher", "publication_date",
	"author", "title", "trump_count", "clinton_count", "credit", "wire",
}

// ReadMetadata reads metadata.tsv: a header naming the columns (in any
// order; all of compartment, filename, level, annotators, publisher,
// publication_date, author, title, trump_count, clinton_count, credit and
// wire), then one tab-separated row per article, in file order.
func ReadMetadata(path string) ([]Metadata, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("polnear: read metadata: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("polnear: read metadata: %w", err)
		}
		return nil, &LineError{File: path, Line: 1, Err: errors.New("no header")}
	}
	col := map[string]int{}
	header := strings.Split(strings.TrimSuffix(sc.Text(), "\r"), "\t")
	for i, h := range header {
		col[h] = i
	}
	for _, c := range metadataColumns {
		if _, ok := col[c]; !ok {
			return nil, &LineError{File: path, Line: 1, Err: fmt.Errorf("no column %q", c)}
		}
	}
	var (
		out  []Metadata
		errs []error
	)
	for n := 2; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != len(header) {
			errs = append(errs, &LineError{File: path, Line: n, Err: fmt.Errorf("%d fields, want %d", len(f), len(header))})
			continue
		}
		get := func(c string) string { return f[col[c]] }
		optional := func(c string) string {
			if v := get(c); v != "None" {
				return v
			}
			return ""
		}
		m := Metadata{
			Split:     get("compartment"),
			Name:      get("filename"),
			Publisher: get("publisher"),
			Title:     get("title"),
			Author:    optional("author"),
			Credit:    optional("credit"),
			Wire:      optional("wire"),
		}
		if a := get("annotators"); a != "" {
			m.Annotators = strings.Split(a, "|")
		}
		var bad []error
		number := func(c string) int {
			v, err := strconv.Atoi(get(c))
			if err != nil {
				bad = append(bad, fmt.Errorf("%s: %w", c, err))
			}
			return v
		}
		m.Level = number("level")
		m.TrumpCount = number("trump_count")
		m.ClintonCount = number("clinton_count")
		m.Published, err = time.Parse(time.DateOnly, get("publication_date"))
		if err != nil {
			bad = append(bad, fmt.Errorf("publication_date: %w", err))
		}
		if m.Name == "" {
			bad = append(bad, errors.New("empty filename"))
		}
		if err := errors.Join(bad...); err != nil {
			errs = append(errs, &LineError{File: path, Line: n, Err: err})
			continue
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("polnear: read metadata: %w", err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
