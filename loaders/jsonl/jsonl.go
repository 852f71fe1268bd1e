// Package jsonl loads JSON Lines exports (.jsonl, .ndjson): one JSON object
// per line, one document per object.
//
// Fields are found by name, case-insensitively, the first name listed
// winning when a line has several:
//
//   - text: text, content, body, article, full_text (required);
//   - title: title, headline;
//   - url: url, link, canonical_url;
//   - date: date, published, publish_date, published_at, pubdate,
//     datePublished, read with loaders.ParseDate at the precision given;
//   - publisher: outlet, source, publisher, site_name, site (a string, or an
//     object with a "name");
//   - authors: authors, author, byline (a string split on commas, " and "
//     and ";", or an array of strings or of objects with a "name");
//   - id: id, named in the errors of its line.
//
// [Options.Fields] replaces the names of a target with one field name, taken
// exactly. A null field counts as absent.
//
// Each line becomes one document whose Source is "<input>:<line>" (1-based).
// A line that cannot — malformed JSON, not an object, no text, text that is
// not valid UTF-8 or holds NUL bytes, longer than the size limit — becomes
// an error record, a *loaders.SyntaxError naming its line, and the other
// lines still load. Blank lines and a leading byte order mark are skipped.
//
// For speed a line is not decoded into a map: a validating scanner walks it
// once, noting where the members it wants lie, and only those are decoded.
package jsonl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
)

// Name is the format's registered name.
const Name = "jsonl"

// Format describes JSON Lines for a loaders.Registry. Its sniffer accepts
// content whose first non-blank line is a JSON object followed by a line
// starting another one, or that holds a single object line.
var Format = loaders.Format{
	Name:      Name,
	Exts:      []string{".jsonl", ".ndjson"},
	MIMETypes: []string{"application/x-ndjson", "application/jsonl", "application/x-jsonlines"},
	Sniff:     sniff,
	New: func(raw json.RawMessage) (loaders.Loader, error) {
		opt, err := decodeOptions(raw)
		if err != nil {
			return nil, err
		}
		l, err := New(opt)
		if err != nil {
			return nil, err
		}
		return l, nil
	},
}

// Targets of the field mapping, in the order of targetNames.
const (
	tText = iota
	tTitle
	tURL
	tDate
	tPublisher
	tAuthors
	tID
	numTargets
)

// targetNames are the targets [Options.Fields] may map.
var targetNames = [numTargets]string{"text", "title", "url", "date", "publisher", "authors", "id"}

// aliases are the field names of each target, best first.
var aliases = [numTargets][]string{
	tText:      {"text", "content", "body", "article", "full_text"},
	tTitle:     {"title", "headline"},
	tURL:       {"url", "link", "canonical_url"},
	tDate:      {"date", "published", "publish_date", "published_at", "pubdate", "datePublished"},
	tPublisher: {"outlet", "source", "publisher", "site_name", "site"},
	tAuthors:   {"authors", "author", "byline"},
	tID:        {"id"},
}

// maxAliases is the length of the longest list of aliases.
const maxAliases = 6

// maxAliasLen bounds the length of the aliases, lower-cased on a stack
// buffer for lookup.
const maxAliasLen = 32

// Options configures a [Loader]. The zero value maps fields automatically.
type Options struct {
	// Fields maps a target (text, title, url, date, publisher, authors or
	// id) to the name of the field that holds it, such as {"text": "body"}.
	// The name is matched exactly and replaces the target's automatic
	// names.
	Fields map[string]string `json:"fields,omitempty"`
}

func decodeOptions(raw json.RawMessage) (Options, error) {
	var opt Options
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return opt, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&opt); err != nil {
		return Options{}, fmt.Errorf("jsonl: options: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Options{}, errors.New("jsonl: options: data after the object")
	}
	return opt, nil
}

// slot is where a field goes: a target, and the rank of its name.
type slot struct {
	target, rank uint8
}

// Loader reads JSON Lines. It holds no state between loads and may be used
// by several goroutines at once.
type Loader struct {
	exact map[string][]slot // fields named by Options.Fields
	fold  map[string]slot   // automatic names, lower-case
	names [numTargets][]string
}

var _ loaders.Loader = (*Loader)(nil)

// New returns a JSON Lines loader. It fails for a target of opt.Fields it
// does not know or an empty field name.
func New(opt Options) (*Loader, error) {
	l := &Loader{fold: make(map[string]slot)}
	l.names = aliases
	targets := make([]string, 0, len(opt.Fields))
	for t := range opt.Fields {
		targets = append(targets, t)
	}
	sort.Strings(targets)
	for _, t := range targets {
		field := opt.Fields[t]
		i := slices.Index(targetNames[:], t)
		if i < 0 {
			return nil, fmt.Errorf("jsonl: field mapping %q: unknown target (known: %s)", t, strings.Join(targetNames[:], ", "))
		}
		if field == "" {
			return nil, fmt.Errorf("jsonl: field mapping %q: empty field name", t)
		}
		if l.exact == nil {
			l.exact = make(map[string][]slot)
		}
		l.exact[field] = append(l.exact[field], slot{target: uint8(i)})
		l.names[i] = []string{field}
	}
	for t, names := range aliases {
		if _, ok := opt.Fields[targetNames[t]]; ok {
			continue
		}
		for rank, name := range names {
			l.fold[strings.ToLower(name)] = slot{target: uint8(t), rank: uint8(rank)}
		}
	}
	return l, nil
}

// Load reads one document from each non-blank line of r. Errors of a line
// are emitted as records; Load fails only when r cannot be read, when ctx
// is done (returning ctx.Err()) or when emit fails (returning its error).
func (l *Loader) Load(ctx context.Context, src loaders.Source, r io.Reader, emit func(loaders.Record) error) error {
	lr := newLineReader(r, src.Limit())
	p := parser{l: l, dates: make(map[string]*graph.Date)}
	seen := false
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, long, err := lr.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return &loaders.SyntaxError{Source: src.Name, Line: lr.n + 1, Offset: lr.start, Err: fmt.Errorf("jsonl: read: %w", err)}
		}
		var rec loaders.Record
		switch {
		case long:
			rec.Err = &loaders.SyntaxError{Source: src.Name, Line: lr.n, Offset: lr.start,
				Err: fmt.Errorf("jsonl: line of %d bytes: %w (%d bytes)", lr.size, loaders.ErrTooLarge, src.Limit())}
		case blank(line):
			continue
		default:
			doc, col, err := p.parse(line)
			if err != nil {
				rec.Err = &loaders.SyntaxError{Source: src.Name, Line: lr.n, Col: col, Offset: lr.start, Err: err}
			} else {
				doc.Source = src.Name + ":" + strconv.Itoa(lr.n)
				rec.Doc = doc
			}
		}
		seen = true
		if err := emit(rec); err != nil {
			return err
		}
	}
	if !seen {
		return emit(loaders.Record{Err: &loaders.SyntaxError{Source: src.Name, Offset: -1, Err: errors.New("jsonl: empty input")}})
	}
	return nil
}

// blank reports whether a line holds only JSON white space.
func blank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// parser reads the lines of one load.
type parser struct {
	l *Loader
	// found holds, by target and rank, the values of a line's fields; kind
	// 0 means absent.
	found [numTargets][maxAliases]value
	// dates caches parsed dates, which repeat across a news export and
	// may take the slow path of loaders.ParseDate; nil for no date.
	dates map[string]*graph.Date
}

const maxCachedDates = 4096

// parse reads one non-blank line. A syntax error comes with its 1-based
// byte column.
func (p *parser) parse(line []byte) (*loaders.Document, int, error) {
	p.found = [numTargets][maxAliases]value{}
	s := scanner{data: line}
	s.skipSpace()
	var err error
	if line[s.pos] == '{' {
		err = s.object(p.member)
	} else {
		var v value
		if v, err = s.value(); err == nil {
			s.skipSpace()
			if s.pos == len(line) {
				return nil, 0, fmt.Errorf("jsonl: line holds a JSON %s, not an object", kindName(v.kind))
			}
		}
	}
	if err == nil {
		s.skipSpace()
		if s.pos < len(line) {
			err = &syntaxError{off: s.pos, msg: "invalid character " + quoteByte(line[s.pos]) + " after top-level value"}
		}
	}
	if err != nil {
		var se *syntaxError
		if errors.As(err, &se) {
			return nil, se.off + 1, fmt.Errorf("jsonl: malformed JSON: %s", se.msg)
		}
		return nil, 0, fmt.Errorf("jsonl: malformed JSON: %w", err)
	}
	d, err := p.document()
	if err != nil {
		if id := p.string(tID, true); id != "" {
			err = fmt.Errorf("jsonl: record %q: %w", id, err)
		} else {
			err = fmt.Errorf("jsonl: %w", err)
		}
	}
	return d, 0, err
}

// member notes a member of a line's object when its name is one a target
// wants.
func (p *parser) member(key []byte, keyFlags uint8, v value) {
	if v.kind == kindNull {
		return
	}
	if keyFlags&flagEscape != 0 {
		key = []byte(unquote(key, keyFlags))
	}
	if p.l.exact != nil {
		for _, sl := range p.l.exact[string(key)] {
			p.found[sl.target][sl.rank] = v
		}
	}
	if len(key) > maxAliasLen {
		return
	}
	var buf [maxAliasLen]byte
	lower := buf[:len(key)]
	for i, c := range key {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	if sl, ok := p.l.fold[string(lower)]; ok {
		p.found[sl.target][sl.rank] = v
	}
}

// document builds the document of the line whose fields were found.
func (p *parser) document() (*loaders.Document, error) {
	d := &loaders.Document{Format: Name}
	text, err := p.text()
	if err != nil {
		return nil, err
	}
	d.Text = text
	d.Title = p.string(tTitle, false)
	d.URL = p.string(tURL, false)
	d.Publisher = p.string(tPublisher, false)
	d.Authors = p.authors()
	d.Published = p.date()
	return d, nil
}

// text returns the article text: the best-named field holding a string
// that is not blank.
func (p *parser) text() (string, error) {
	var wrong value
	wrongName, blankName := "", ""
	for rank, v := range p.found[tText] {
		name := p.name(tText, rank)
		switch {
		case v.kind == 0:
			continue
		case v.kind != kindString:
			if wrongName == "" {
				wrong, wrongName = v, name
			}
			continue
		}
		raw := v.str()
		if v.flags&flagNonASCII != 0 && !utf8.Valid(raw) {
			return "", fmt.Errorf("field %q: text is not valid UTF-8", name)
		}
		s := unquote(raw, v.flags)
		if strings.TrimSpace(s) == "" {
			if blankName == "" {
				blankName = name
			}
			continue
		}
		if strings.IndexByte(s, 0) >= 0 {
			return "", fmt.Errorf("field %q: text contains NUL bytes", name)
		}
		return s, nil
	}
	switch {
	case wrongName != "":
		return "", fmt.Errorf("field %q holds JSON %s, not a string: %w", wrongName, kindName(wrong.kind), loaders.ErrNoText)
	case blankName != "":
		return "", fmt.Errorf("field %q is blank: %w", blankName, loaders.ErrNoText)
	}
	return "", fmt.Errorf("no field %s: %w", strings.Join(p.l.names[tText], ", "), loaders.ErrNoText)
}

// name returns the field name of a target at a rank.
func (p *parser) name(target, rank int) string {
	if names := p.l.names[target]; rank < len(names) {
		return names[rank]
	}
	return ""
}

// string returns the best-named non-blank string of a target, trimmed, or
// "" when there is none; with numbers, a number's literal counts too. An
// object with a "name" string stands for that name.
func (p *parser) string(target int, numbers bool) string {
	for _, v := range p.found[target] {
		var s string
		switch {
		case v.kind == kindString:
			s = decode(v)
		case v.kind == kindNumber && numbers:
			s = string(v.raw)
		case v.kind == kindObject:
			s = objectName(v)
		}
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// decode returns a string value, with invalid UTF-8 replaced.
func decode(v value) string {
	raw := v.str()
	s := unquote(raw, v.flags)
	if v.flags&flagNonASCII != 0 && !utf8.Valid(raw) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// objectName returns the "name" string of an object value, or "".
func objectName(v value) string {
	name := ""
	s := scanner{data: v.raw}
	// The line has been validated: no error can come back.
	_ = s.object(func(key []byte, keyFlags uint8, v value) {
		if v.kind == kindString && unquote(key, keyFlags) == "name" {
			name = decode(v)
		}
	})
	return name
}

// date returns the publication date, or nil when the line gives none that
// loaders.ParseDate reads.
func (p *parser) date() *graph.Date {
	s := p.string(tDate, true)
	if s == "" {
		return nil
	}
	d, ok := p.dates[s]
	if !ok {
		d, _ = loaders.ParseDate(s)
		if len(p.dates) >= maxCachedDates {
			clear(p.dates)
		}
		p.dates[s] = d
	}
	if d == nil {
		return nil
	}
	c := *d // the document owns its date
	return &c
}

// authors returns the authors of the best-named field that gives any.
func (p *parser) authors() []string {
	for _, v := range p.found[tAuthors] {
		var out []string
		switch v.kind {
		case kindString:
			out = splitAuthors(out, decode(v))
		case kindObject:
			out = addAuthor(out, objectName(v))
		case kindArray:
			s := scanner{data: v.raw}
			_ = s.array(func(e value) {
				switch e.kind {
				case kindString:
					out = addAuthor(out, trimBy(decode(e)))
				case kindObject:
					out = addAuthor(out, objectName(e))
				}
			})
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// nameSuffixes are the pieces after a comma that belong to the name before
// it ("Tom Howell, Jr.").
var nameSuffixes = []string{"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d."}

// authorSep splits a byline on its separators.
var authorSep = strings.NewReplacer(" and ", ",", ";", ",")

// splitAuthors adds the names of a byline: "By A, B and C".
func splitAuthors(out []string, byline string) []string {
	byline = trimBy(byline)
	if !strings.ContainsAny(byline, ",;") && !strings.Contains(byline, " and ") {
		return addAuthor(out, byline)
	}
	for _, name := range strings.Split(authorSep.Replace(byline), ",") {
		name = strings.TrimSpace(name)
		if n := len(out); n > 0 && slices.Contains(nameSuffixes, strings.ToLower(name)) {
			out[n-1] += ", " + name
			continue
		}
		out = addAuthor(out, name)
	}
	return out
}

// trimBy removes the "By " that starts a byline.
func trimBy(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 3 && strings.EqualFold(s[:3], "by ") {
		s = s[3:]
	}
	return s
}

// addAuthor adds a name, without surrounding quotes, unless it is empty or
// already there.
func addAuthor(out []string, name string) []string {
	name = strings.TrimSpace(strings.Trim(strings.TrimSpace(name), `"“”`))
	if name == "" || slices.Contains(out, name) {
		return out
	}
	return append(out, name)
}

// sniff reports whether content starts as JSON Lines: its first non-blank
// line is a JSON object and the next non-blank line starts another, or it
// holds that one object line only. A line cut off by the end of peek counts
// when what there is of it is a valid start of an object (with a first key,
// for the first line).
func sniff(peek []byte) bool {
	peek = bytes.TrimPrefix(peek, bom)
	objects := 0
	for len(peek) > 0 {
		line, rest, complete := bytes.Cut(peek, []byte("\n"))
		peek = rest
		s := scanner{data: line}
		s.skipSpace()
		if s.pos == len(line) {
			continue
		}
		if line[s.pos] != '{' {
			return false
		}
		err := s.object(nil)
		switch {
		case err == nil:
			s.skipSpace()
			if s.pos < len(line) {
				return false
			}
		case complete || (objects == 0 && !hasFirstKey(line)):
			return false
		default:
			var se *syntaxError
			if !errors.As(err, &se) || !se.eof {
				return false
			}
		}
		objects++
		if objects == 2 || !complete {
			return true
		}
	}
	return objects == 1
}

// hasFirstKey reports whether a line starts with "{", a key and ":".
func hasFirstKey(line []byte) bool {
	s := scanner{data: line}
	s.skipSpace()
	s.pos++ // '{'
	s.skipSpace()
	if s.pos >= len(line) || line[s.pos] != '"' {
		return false
	}
	if _, err := s.str(); err != nil {
		return false
	}
	s.skipSpace()
	return s.pos < len(line) && line[s.pos] == ':'
}
