package cayleystore

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"

	"github.com/provgraph/provgraph/graph"
)

// A statement's index record is read for every document whose candidate
// it is, a few hundred times a document: it is kept in a compact binary
// form rather than JSON, which took most of the time of reading one.
//
//	version      byte recordVersion (a JSON record, from older versions,
//	             starts with '{' and is still read)
//	statement    ID, document, kind, source (flag byte, then text and
//	             spans), cue, content, sentence, date, date source,
//	             places, dates, claim, rule, confidence
//	speaker      flag byte, then ID, name, kind, aliases
//	published    a date
//	claims, keys lists of strings
//	analysis     bytes
//
// Strings and byte strings are uvarint-prefixed, counts and offsets
// uvarints, a date a flag byte then value and precision, a confidence
// the 8 bytes of its float64.

const recordVersion = 2

var errRecord = errors.New("malformed index record")

type recordWriter struct{ b []byte }

func (w *recordWriter) uint(v int) { w.b = binary.AppendUvarint(w.b, uint64(v)) }

func (w *recordWriter) str(s string) {
	w.uint(len(s))
	w.b = append(w.b, s...)
}

func (w *recordWriter) bytes(b []byte) {
	w.uint(len(b))
	w.b = append(w.b, b...)
}

func (w *recordWriter) flag(ok bool) bool {
	if ok {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
	return ok
}

func (w *recordWriter) part(p graph.Part) {
	w.str(p.Text)
	w.uint(len(p.Spans))
	for _, s := range p.Spans {
		w.span(s)
	}
}

func (w *recordWriter) span(s graph.Span) {
	w.uint(s.Start)
	w.uint(s.End)
}

func (w *recordWriter) date(d *graph.Date) {
	if w.flag(d != nil) {
		w.str(d.Value)
		w.str(string(d.Precision))
	}
}

func (w *recordWriter) strs(ss []string) {
	w.uint(len(ss))
	for _, s := range ss {
		w.str(s)
	}
}

func (w *recordWriter) ids(ids []graph.ID) {
	w.uint(len(ids))
	for _, s := range ids {
		w.str(string(s))
	}
}

// encodeRecord returns r in the binary form.
func encodeRecord(r *record) []byte {
	w := recordWriter{b: make([]byte, 0, 256+len(r.St.Content.Text)+len(r.Analysis)+16*len(r.Keys))}
	w.b = append(w.b, recordVersion)
	st := &r.St
	w.str(string(st.ID))
	w.str(string(st.Document))
	w.str(string(st.Kind))
	if w.flag(st.Source != nil) {
		w.part(*st.Source)
	}
	w.part(st.Cue)
	w.part(st.Content)
	w.span(st.Sentence)
	w.date(st.Date)
	w.str(string(st.DateFrom))
	w.ids(st.Places)
	w.uint(len(st.Dates))
	for i := range st.Dates {
		w.date(&st.Dates[i])
	}
	w.str(string(st.Claim))
	w.str(st.Rule)
	w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(st.Confidence))
	if a := r.Speaker; w.flag(a != nil) {
		w.str(string(a.ID))
		w.str(a.Name)
		w.str(string(a.Kind))
		w.strs(a.Aliases)
	}
	w.date(r.Published)
	w.ids(r.Claims)
	w.strs(r.Keys)
	w.bytes(r.Analysis)
	return w.b
}

type recordReader struct {
	b   []byte
	bad bool
}

// uint reads an offset or a count. Offsets (spans) index the statement's
// text, not the record, so they are only bounded to stay well inside an
// int.
func (r *recordReader) uint() int {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > uint64(len(r.b))+math.MaxInt32 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

// count reads a count of items, each at least one byte long.
func (r *recordReader) count() int {
	n := r.uint()
	if n > len(r.b) {
		r.bad = true
		return 0
	}
	return n
}

func (r *recordReader) bytes() []byte {
	n := r.count()
	if r.bad {
		return nil
	}
	b := r.b[:n:n]
	r.b = r.b[n:]
	return b
}

func (r *recordReader) str() string { return string(r.bytes()) }

func (r *recordReader) flag() bool {
	if len(r.b) == 0 || r.b[0] > 1 {
		r.bad = true
		return false
	}
	ok := r.b[0] == 1
	r.b = r.b[1:]
	return ok
}

func (r *recordReader) span() graph.Span { return graph.Span{Start: r.uint(), End: r.uint()} }

func (r *recordReader) part() graph.Part {
	p := graph.Part{Text: r.str()}
	if n := r.count(); n > 0 {
		p.Spans = make([]graph.Span, n)
		for i := range p.Spans {
			p.Spans[i] = r.span()
		}
	}
	return p
}

func (r *recordReader) date() *graph.Date {
	if !r.flag() {
		return nil
	}
	return &graph.Date{Value: r.str(), Precision: graph.Precision(r.str())}
}

func (r *recordReader) strs() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

func (r *recordReader) ids() []graph.ID {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]graph.ID, n)
	for i := range out {
		out[i] = graph.ID(r.str())
	}
	return out
}

// decodeRecord reads a record in either form.
func decodeRecord(b []byte) (record, error) {
	var rec record
	if len(b) > 0 && b[0] == '{' {
		err := json.Unmarshal(b, &rec)
		return rec, err
	}
	if len(b) == 0 || b[0] != recordVersion {
		return rec, errRecord
	}
	r := recordReader{b: b[1:]}
	st := &rec.St
	st.ID = graph.ID(r.str())
	st.Document = graph.ID(r.str())
	st.Kind = graph.StatementKind(r.str())
	if r.flag() {
		p := r.part()
		st.Source = &p
	}
	st.Cue = r.part()
	st.Content = r.part()
	st.Sentence = r.span()
	st.Date = r.date()
	st.DateFrom = graph.DateSource(r.str())
	st.Places = r.ids()
	if n := r.count(); n > 0 {
		st.Dates = make([]graph.Date, n)
		for i := range st.Dates {
			if d := r.date(); d != nil {
				st.Dates[i] = *d
			}
		}
	}
	st.Claim = graph.ID(r.str())
	st.Rule = r.str()
	if len(r.b) < 8 {
		return rec, errRecord
	}
	st.Confidence = math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	if r.flag() {
		rec.Speaker = &graph.Actor{ID: graph.ID(r.str()), Name: r.str(), Kind: graph.ActorKind(r.str()), Aliases: r.strs()}
	}
	rec.Published = r.date()
	rec.Claims = r.ids()
	rec.Keys = r.strs()
	if a := r.bytes(); len(a) > 0 {
		rec.Analysis = a
	}
	if r.bad || len(r.b) != 0 {
		return record{}, errRecord
	}
	return rec, nil
}
