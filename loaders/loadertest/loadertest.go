// Package loadertest is the conformance suite for loaders: every format
// package runs [Run] on its own samples.
package loadertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
)

// Run checks a format against valid samples (name → content): each loads
// with documents that keep the invariants, empty and garbage input neither
// panic nor fail the whole load, a cancelled context stops it, and an error
// from emit stops it.
func Run(t *testing.T, f loaders.Format, samples map[string][]byte) {
	t.Helper()
	l, err := f.New(nil)
	if err != nil {
		t.Fatalf("%s: New(nil): %v", f.Name, err)
	}
	for name, data := range samples {
		t.Run("sample/"+name, func(t *testing.T) {
			docs, errs, err := load(context.Background(), l, name, data)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if len(errs) > 0 {
				t.Errorf("valid sample gave error records, first: %v", errs[0])
			}
			if len(docs) == 0 {
				t.Errorf("valid sample gave no document")
			}
			for _, d := range docs {
				if err := Check(f.Name, d); err != nil {
					t.Error(err)
				}
			}
		})
	}
	t.Run("empty", func(t *testing.T) {
		docs, errs, err := load(context.Background(), l, "empty", nil)
		if err != nil {
			t.Errorf("empty input failed the load: %v", err)
		}
		if len(docs) != 0 || len(errs) == 0 {
			t.Errorf("empty input: %d documents, %d errors; want an error record", len(docs), len(errs))
		}
	})
	t.Run("garbage", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		inputs := [][]byte{[]byte("\x00\x01\x02binary\xff\xfe"), []byte("\xef\xbb\xbf"), bytes.Repeat([]byte("<"), 1000)}
		for _, data := range samples {
			for i := 0; i < 20; i++ {
				inputs = append(inputs, mutate(rng, data))
			}
		}
		for i, data := range inputs {
			docs, _, _ := load(context.Background(), l, fmt.Sprintf("garbage-%d", i), data)
			for _, d := range docs {
				if err := Check(f.Name, d); err != nil {
					t.Errorf("garbage input %d: %v", i, err)
				}
			}
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		for name, data := range samples {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			docs, _, err := load(ctx, l, name, data)
			if err == nil && len(docs) > 1 {
				t.Errorf("%s: cancelled load emitted %d documents", name, len(docs))
			}
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("%s: cancelled load: %v, want context.Canceled", name, err)
			}
		}
	})
	t.Run("emit error stops", func(t *testing.T) {
		stop := errors.New("stop")
		for name, data := range samples {
			n := 0
			err := l.Load(context.Background(), loaders.Source{Name: name}, bytes.NewReader(data), func(loaders.Record) error {
				n++
				return stop
			})
			if !errors.Is(err, stop) || n != 1 {
				t.Errorf("%s: emit error: Load returned %v after %d records, want the error after 1", name, err, n)
			}
		}
	})
}

func load(ctx context.Context, l loaders.Loader, name string, data []byte) (docs []*loaders.Document, errs []error, err error) {
	err = l.Load(ctx, loaders.Source{Name: name}, bytes.NewReader(data), func(r loaders.Record) error {
		if r.Err != nil {
			errs = append(errs, r.Err)
		} else if r.Doc != nil {
			docs = append(docs, r.Doc)
		}
		return nil
	})
	return docs, errs, err
}

func mutate(rng *rand.Rand, data []byte) []byte {
	if len(data) == 0 {
		return nil
	}
	out := bytes.Clone(data)
	switch rng.IntN(3) {
	case 0:
		return out[:rng.IntN(len(out))]
	case 1:
		for i := 0; i < 1+len(out)/50; i++ {
			out[rng.IntN(len(out))] = byte(rng.IntN(256))
		}
		return out
	default:
		i := rng.IntN(len(out))
		return append(out[:i], out[i+rng.IntN(len(out)-i):]...)
	}
}

// Check verifies a document's invariants: it names its source and format,
// its text is valid UTF-8 and not empty, its boilerplate ranges lie within
// the text in order without overlapping, and its publication date is well
// formed.
func Check(format string, d *loaders.Document) error {
	switch {
	case d.Source == "":
		return errors.New("document without a source")
	case d.Format != format:
		return fmt.Errorf("%s: format %q, want %q", d.Source, d.Format, format)
	case !utf8.ValidString(d.Text):
		return fmt.Errorf("%s: text is not valid UTF-8", d.Source)
	case len(bytes.TrimSpace([]byte(d.Text))) == 0:
		return fmt.Errorf("%s: empty text", d.Source)
	}
	prev := 0
	for _, b := range d.Boilerplate {
		if b.Start < prev || b.End < b.Start || b.End > len(d.Text) {
			return fmt.Errorf("%s: boilerplate range %v out of order or outside the text (%d bytes)", d.Source, b, len(d.Text))
		}
		prev = b.End
	}
	if p := d.Published; p != nil {
		switch p.Precision {
		case graph.PrecisionTime, graph.PrecisionDay, graph.PrecisionMonth, graph.PrecisionYear:
		default:
			return fmt.Errorf("%s: published %q has precision %q", d.Source, p.Value, p.Precision)
		}
		if p.Value == "" {
			return fmt.Errorf("%s: published date without a value", d.Source)
		}
	}
	return nil
}

// Meta is the metadata a test expects of a document. Empty fields are
// expected empty; Published "" expects no publication date.
type Meta struct {
	Title, URL, Publisher string
	Authors               []string
	Published             string
	Precision             graph.Precision
}

// CheckMeta reports every metadata field of d that differs from want.
func CheckMeta(t testing.TB, d *loaders.Document, want Meta) {
	t.Helper()
	if d.Title != want.Title {
		t.Errorf("title %q, want %q", d.Title, want.Title)
	}
	if d.URL != want.URL {
		t.Errorf("url %q, want %q", d.URL, want.URL)
	}
	if d.Publisher != want.Publisher {
		t.Errorf("publisher %q, want %q", d.Publisher, want.Publisher)
	}
	if !slices.Equal(d.Authors, want.Authors) {
		t.Errorf("authors %q, want %q", d.Authors, want.Authors)
	}
	switch {
	case want.Published == "" && d.Published != nil:
		t.Errorf("published %+v, want none", *d.Published)
	case want.Published != "" && (d.Published == nil || *d.Published != graph.Date{Value: want.Published, Precision: want.Precision}):
		t.Errorf("published %+v, want %s (%s)", d.Published, want.Published, want.Precision)
	}
}
