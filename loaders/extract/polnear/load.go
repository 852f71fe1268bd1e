package polnear

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Document is one annotated text of a split.
type Document struct {
	// Name is the text's file name without ".txt", the key predictions
	// are matched by.
	Name string
	// Text is the file's text as Python reads it (see the package doc);
	// byte spans index it.
	Text string
	// Attributions are the gold file's attributions that have content, in
	// the order of their event lines.
	Attributions []Attribution
	// Dropped lists the IDs of the gold file's events that have no content
	// span and are left out of Attributions, as the scorer leaves them out.
	Dropped []string
	// Annotations are the base names of all .ann files for the text,
	// sorted; the first is the gold one that was read.
	Annotations []string
}

// Annotator returns the annotator code of the gold file ("4e07" for
// NAME_4e07.ann).
func (d *Document) Annotator() string {
	if len(d.Annotations) == 0 {
		return ""
	}
	return strings.TrimSuffix(strings.TrimPrefix(d.Annotations[0], d.Name+"_"), ".ann")
}

// Attribution is one annotated attribution: who (Source) said (Cue) what
// (Content). Each role is a list of spans, in the order of the event's
// role arguments and of each argument's discontinuous segments; Source and
// Cue may be empty. The byte and code point lists describe the same spans.
type Attribution struct {
	// ID is the event's ID in the .ann file, such as "E3".
	ID string

	Source, Cue, Content []Span // byte offsets into Document.Text

	SourceCP, CueCP, ContentCP []CPSpan // code point offsets, as in the file
}

// Prediction returns the attribution as a prediction: a perfect system's
// output.
func (a *Attribution) Prediction() Prediction {
	return Prediction{
		Source:  clone(a.SourceCP),
		Cue:     clone(a.CueCP),
		Content: clone(a.ContentCP),
	}
}

func clone(s []CPSpan) []CPSpan {
	if len(s) == 0 {
		return nil
	}
	return append([]CPSpan(nil), s...)
}

// LineError is a problem at a line of an input file. File is empty for
// inputs read from an [io.Reader].
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("polnear: line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("polnear: %s:%d: %v", e.File, e.Line, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// Load reads the split folder dir (holding text/ and attributions/) and
// returns its annotated documents sorted by name. Texts without any .ann
// file, and .ann files whose name starts with no text's name, are ignored,
// as the scorer ignores them. All problems found are returned together,
// joined, each a [*LineError] when it has a line; documents are returned
// only when there are none.
func Load(dir string) ([]Document, error) {
	texts, err := os.ReadDir(filepath.Join(dir, "text"))
	if err != nil {
		return nil, fmt.Errorf("polnear: load %s: %w", dir, err)
	}
	annDir := filepath.Join(dir, "attributions")
	entries, err := os.ReadDir(annDir)
	if err != nil {
		return nil, fmt.Errorf("polnear: load %s: %w", dir, err)
	}
	var anns []string // sorted, as ReadDir sorts by name
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".ann") {
			anns = append(anns, e.Name())
		}
	}

	var (
		docs []Document
		errs []error
	)
	for _, e := range texts {
		base := e.Name()
		if e.IsDir() || !strings.HasSuffix(base, ".txt") {
			continue
		}
		name := strings.TrimSuffix(base, ".txt")
		// The scorer globs NAME_*.ann: every file with that prefix.
		prefix := name + "_"
		i := sort.SearchStrings(anns, prefix)
		j := i
		for j < len(anns) && strings.HasPrefix(anns[j], prefix) {
			j++
		}
		if i == j {
			continue
		}
		doc, err := loadDocument(filepath.Join(dir, "text", base), filepath.Join(annDir, anns[i]))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		doc.Name = name
		doc.Annotations = append([]string(nil), anns[i:j]...)
		docs = append(docs, doc)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("polnear: load %s: no annotated texts (want text/*.txt and attributions/*.ann)", dir)
	}
	return docs, nil
}

// readText reads a UTF-8 file as Python's text mode does.
func readText(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("polnear: read: %w", err)
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("polnear: %s: invalid UTF-8", path)
	}
	s := string(b)
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s, nil
}

// textBound is a parsed T line.
type textBound struct {
	segs []CPSpan
}

// event is a parsed E line.
type event struct {
	id    string
	line  int
	roles []role
}

type role struct{ name, ref string }

func loadDocument(textPath, annPath string) (Document, error) {
	text, err := readText(textPath)
	if err != nil {
		return Document{}, err
	}
	ann, err := readText(annPath)
	if err != nil {
		return Document{}, err
	}
	off := NewOffsets(text)
	var errs []error
	fail := func(line int, format string, args ...any) {
		errs = append(errs, &LineError{File: annPath, Line: line, Err: fmt.Errorf(format, args...)})
	}

	tbs := map[string]textBound{}
	broken := map[string]bool{} // T lines already reported
	var events []event
	seenE := map[string]bool{}
	lines := strings.Split(strings.TrimSuffix(ann, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line, n := lines[i], i+1
		if line == "" {
			continue
		}
		id, rest, ok := strings.Cut(line, "\t")
		if !ok {
			fail(n, "line without a tab: %q", abbrev(line))
			continue
		}
		switch {
		case strings.HasPrefix(id, "T"):
			head, quoted, hasQuote := strings.Cut(rest, "\t")
			label, offsets, ok := strings.Cut(head, " ")
			if !ok || label == "" {
				fail(n, "%s: want \"LABEL START END\", got %q", id, head)
				broken[id] = true
				continue
			}
			segs, err := parseSegments(offsets, off.Len())
			if err != nil {
				fail(n, "%s: %w", id, err)
				broken[id] = true
				continue
			}
			if _, dup := tbs[id]; dup {
				fail(n, "%s defined twice", id)
				continue
			}
			tbs[id] = textBound{segs: segs}
			if !hasQuote {
				continue
			}
			// The quoted text is the segments joined by spaces; it goes
			// on over the next lines when the segments hold line breaks.
			parts := make([]string, len(segs))
			for k, s := range segs {
				b := off.ToBytes(s)
				parts[k] = text[b.Start:b.End]
			}
			want := strings.Join(parts, " ")
			more := strings.Count(want, "\n")
			if i+more >= len(lines) {
				fail(n, "%s: quoted text %q ends early", id, abbrev(quoted))
				i = len(lines)
				continue
			}
			got := strings.Join(append([]string{quoted}, lines[i+1:i+1+more]...), "\n")
			if got != want {
				fail(n, "%s: quoted text %q differs from the text at %s: %q", id, abbrev(got), offsets, abbrev(want))
			}
			i += more
		case strings.HasPrefix(id, "E"):
			if seenE[id] {
				fail(n, "%s defined twice", id)
				continue
			}
			seenE[id] = true
			head, _, _ := strings.Cut(rest, "\t")
			ev := event{id: id, line: n}
			for _, arg := range strings.Fields(head) {
				name, ref, ok := strings.Cut(arg, ":")
				if !ok || name == "" || ref == "" || strings.Contains(ref, ":") {
					fail(n, "%s: want ROLE:ID, got %q", id, arg)
					continue
				}
				// Repeated roles are numbered: Content2 is more Content.
				ev.roles = append(ev.roles, role{strings.TrimRight(name, "0123456789"), ref})
			}
			events = append(events, ev)
		}
		// Other annotation lines (#, A, R, N, M) say nothing the corpus
		// uses.
	}

	var doc Document
	doc.Text = text
	for _, ev := range events {
		a := Attribution{ID: ev.id}
		for _, r := range ev.roles {
			tb, ok := tbs[r.ref]
			if !ok {
				if !broken[r.ref] {
					fail(ev.line, "%s: %s refers to undefined %s", ev.id, r.name, r.ref)
				}
				continue
			}
			switch r.name {
			case "Source":
				a.SourceCP = append(a.SourceCP, tb.segs...)
			case "Cue":
				a.CueCP = append(a.CueCP, tb.segs...)
			case "Content":
				a.ContentCP = append(a.ContentCP, tb.segs...)
			}
		}
		if len(a.ContentCP) == 0 {
			doc.Dropped = append(doc.Dropped, ev.id)
			continue
		}
		a.Source = toBytes(off, a.SourceCP)
		a.Cue = toBytes(off, a.CueCP)
		a.Content = toBytes(off, a.ContentCP)
		doc.Attributions = append(doc.Attributions, a)
	}
	if len(errs) > 0 {
		return Document{}, errors.Join(errs...)
	}
	return doc, nil
}

// parseSegments reads "a b;c d" and checks each segment lies in a text of
// n code points.
func parseSegments(s string, n int) ([]CPSpan, error) {
	var segs []CPSpan
	for _, part := range strings.Split(s, ";") {
		f := strings.Fields(part)
		if len(f) != 2 {
			return nil, fmt.Errorf("want \"START END\", got %q", part)
		}
		start, err1 := strconv.Atoi(f[0])
		end, err2 := strconv.Atoi(f[1])
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("offsets %q: %w", part, err)
		}
		if start < 0 || start > end || end > n {
			return nil, fmt.Errorf("span %d-%d outside the text (%d code points)", start, end, n)
		}
		segs = append(segs, CPSpan{start, end})
	}
	return segs, nil
}

func toBytes(off *Offsets, spans []CPSpan) []Span {
	if len(spans) == 0 {
		return nil
	}
	out := make([]Span, len(spans))
	for i, s := range spans {
		out[i] = off.ToBytes(s)
	}
	return out
}

func abbrev(s string) string {
	const limit = 60
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "…"
}
