package loaders

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	textunicode "golang.org/x/text/encoding/unicode"

	"github.com/provgraph/provgraph/graph"
)

// Sentinel errors.
var (
	// ErrUnknownFormat is returned when no registered format matches an
	// input.
	ErrUnknownFormat = errors.New("unknown format")
	// ErrNoText is returned (wrapped) for a record that holds no article
	// text.
	ErrNoText = errors.New("no article text")
)

// Source describes one input.
type Source struct {
	// Name is the path as the user gave it, or "-" for standard input.
	Name string
	// MIME is the input's declared media type, if any.
	MIME string
	// MaxSize limits one document of the input (the whole input for
	// single-document formats), in bytes; zero means DefaultMaxSize.
	MaxSize int64
}

// Limit returns the size limit of one document.
func (s Source) Limit() int64 {
	if s.MaxSize <= 0 {
		return DefaultMaxSize
	}
	return s.MaxSize
}

// ReadAll reads a single-document input whole, failing with [ErrTooLarge]
// past the source's limit, so that a compressed bomb is never inflated in
// memory.
func ReadAll(src Source, r io.Reader) ([]byte, error) {
	limit := src.Limit()
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, limit)
	}
	return data, nil
}

// CheckText rejects content that is not text: empty, binary (NUL bytes) or
// not valid UTF-8. A UTF-8 byte order mark is accepted.
func CheckText(data []byte) error {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return errors.New("empty file")
	case bytes.IndexByte(data, 0) >= 0:
		return errors.New("binary file (contains NUL bytes)")
	case !utf8.Valid(data):
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		line := 1 + bytes.Count(data[:off], []byte{'\n'})
		return fmt.Errorf("line %d: not valid UTF-8 (byte 0x%02x at offset %d; save the file as UTF-8)", line, data[off], off)
	}
	return nil
}

// DecodeText turns text with a UTF-16 byte-order mark into UTF-8, as
// Windows tools often save it; other text is returned as it is.
func DecodeText(data []byte) ([]byte, error) {
	if len(data) < 2 || !(data[0] == 0xff && data[1] == 0xfe || data[0] == 0xfe && data[1] == 0xff) {
		return data, nil
	}
	out, err := textunicode.UTF16(textunicode.LittleEndian, textunicode.ExpectBOM).NewDecoder().Bytes(data)
	if err != nil {
		return nil, fmt.Errorf("UTF-16 text: %w", err)
	}
	return out, nil
}

// Range is a byte range [Start, End) of a document's text.
type Range struct {
	Start, End int
}

// Document is a document read by a loader, before extraction.
type Document struct {
	// Source is where it was read from: a path, with ":N" for the Nth line
	// or item of a multi-record input.
	Source string
	// Format is the name of the format that read it.
	Format string
	// Text is the text extraction reads; offsets index it.
	Text string
	// URL is the canonical URL, when known.
	URL       string
	Title     string
	Publisher string
	Authors   []string
	// Published is nil when the document does not say when it was
	// published.
	Published *graph.Date
	// Boilerplate marks byte ranges of Text that are metadata or page
	// furniture (a date line, a dateline heading), not article sentences.
	Boilerplate []Range
}

// ID returns the document's ID: from its canonical URL when it has one, else
// from its text.
func (d *Document) ID() graph.ID {
	return graph.DocumentID(CanonicalURL(d.URL), d.Text)
}

// Graph returns the document as the root of a [graph.DocGraph].
func (d *Document) Graph() graph.Document {
	return graph.Document{
		ID:        d.ID(),
		URL:       CanonicalURL(d.URL),
		Source:    d.Source,
		Format:    d.Format,
		Title:     d.Title,
		Publisher: d.Publisher,
		Authors:   slices.Clone(d.Authors),
		Published: d.Published,
		Text:      d.Text,
	}
}

// trackingParams are query parameters that identify a campaign, not a
// page.
var trackingParams = []string{"utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid"}

// CanonicalURL normalises an article URL so that the same page reached by
// different links has one form: lower-case scheme and host, no default
// port, no fragment, no tracking parameters, no trailing slash on a
// non-root path. It returns "" for anything that is not an http(s) URL.
func CanonicalURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "HTTP" && u.Scheme != "HTTPS") || u.Host == "" {
		return ""
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if (u.Scheme == "http" && u.Port() == "80") || (u.Scheme == "https" && u.Port() == "443") {
		u.Host = u.Hostname()
	}
	u.Fragment, u.RawFragment, u.User = "", "", nil
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			lk := strings.ToLower(k)
			for _, p := range trackingParams {
				if strings.HasPrefix(lk, p) {
					q.Del(k)
				}
			}
		}
		u.RawQuery = q.Encode()
	}
	if len(u.Path) > 1 {
		u.Path = strings.TrimSuffix(u.Path, "/")
		u.RawPath = ""
	}
	return u.String()
}

// Record is what a loader emits for one record of its input: a document, or
// the error that kept the record from becoming one.
type Record struct {
	Doc *Document
	Err error
}

// Loader reads documents from one input.
type Loader interface {
	// Load reads r, which comes from src, and calls emit for every record,
	// in order. It returns an error only when the input as a whole cannot
	// be read, or when emit or ctx stop it; errors of single records go to
	// emit. Load must not retain r or emitted values after it returns.
	Load(ctx context.Context, src Source, r io.Reader, emit func(Record) error) error
}

// LoaderFunc adapts a function to [Loader].
type LoaderFunc func(ctx context.Context, src Source, r io.Reader, emit func(Record) error) error

// Load calls f.
func (f LoaderFunc) Load(ctx context.Context, src Source, r io.Reader, emit func(Record) error) error {
	return f(ctx, src, r, emit)
}

// SyntaxError locates an error inside an input.
type SyntaxError struct {
	Source string // the input's name
	Line   int    // 1-based line (or item) number; 0 if unknown
	Col    int    // 1-based column; 0 if unknown
	Offset int64  // byte offset; -1 if unknown
	Err    error
}

func (e *SyntaxError) Error() string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *SyntaxError) Unwrap() error { return e.Err }

// Format describes a document format.
type Format struct {
	// Name is the format's registered name, such as "html".
	Name string
	// Exts are the file name extensions it claims, with the dot (".html").
	Exts []string
	// MIMETypes are the media types it claims.
	MIMETypes []string
	// Magic are prefixes of the content that identify it, after leading
	// white space; '?' in a prefix matches any byte. Sniff, when set, is
	// tried after them.
	Magic [][]byte
	Sniff func(peek []byte) bool
	// New builds a loader from its options (a JSON object, or nil for the
	// defaults).
	New func(opts json.RawMessage) (Loader, error)
}

// Registry holds formats. The zero value is empty and ready to use; it is
// not safe for concurrent registration.
type Registry struct {
	formats []Format
}

// Register adds a format. It fails, leaving the registry unchanged, if the
// name, an extension or a MIME type is already registered.
func (r *Registry) Register(f Format) error {
	if f.Name == "" || f.New == nil {
		return errors.New("loaders: a format needs a name and a constructor")
	}
	for _, g := range r.formats {
		if g.Name == f.Name {
			return fmt.Errorf("loaders: format %q is already registered", f.Name)
		}
		for _, e := range f.Exts {
			if slices.Contains(g.Exts, strings.ToLower(e)) {
				return fmt.Errorf("loaders: extension %s is already registered by %q", e, g.Name)
			}
		}
		for _, m := range f.MIMETypes {
			if slices.Contains(g.MIMETypes, m) {
				return fmt.Errorf("loaders: MIME type %s is already registered by %q", m, g.Name)
			}
		}
	}
	f.Exts = slices.Clone(f.Exts)
	for i := range f.Exts {
		f.Exts[i] = strings.ToLower(f.Exts[i])
	}
	r.formats = append(r.formats, f)
	return nil
}

// Names returns the registered format names, sorted.
func (r *Registry) Names() []string {
	out := make([]string, len(r.formats))
	for i, f := range r.formats {
		out[i] = f.Name
	}
	sort.Strings(out)
	return out
}

// ByName returns the format called name.
func (r *Registry) ByName(name string) (Format, error) {
	for _, f := range r.formats {
		if f.Name == name {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("loaders: %q (known: %s): %w", name, strings.Join(r.Names(), ", "), ErrUnknownFormat)
}

// ByExt returns the format that claims the extension of file name p
// (".html"; "" for a name without one).
func (r *Registry) ByExt(p string) (Format, error) {
	ext := strings.ToLower(path.Ext(p))
	for _, f := range r.formats {
		if slices.Contains(f.Exts, ext) {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("loaders: extension %q: %w", ext, ErrUnknownFormat)
}

// ByMIME returns the format that claims media type m (parameters ignored).
func (r *Registry) ByMIME(m string) (Format, error) {
	m, _, _ = strings.Cut(m, ";")
	m = strings.ToLower(strings.TrimSpace(m))
	for _, f := range r.formats {
		if slices.Contains(f.MIMETypes, m) {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("loaders: MIME type %q: %w", m, ErrUnknownFormat)
}

// Detect returns the format whose magic bytes or sniffer match the start of
// the content.
func (r *Registry) Detect(peek []byte) (Format, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(peek, []byte("\xef\xbb\xbf")), " \t\r\n")
	for _, f := range r.formats {
		for _, m := range f.Magic {
			if matchMagic(trimmed, m) {
				return f, nil
			}
		}
	}
	for _, f := range r.formats {
		if f.Sniff != nil && f.Sniff(peek) {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("loaders: content not recognised: %w", ErrUnknownFormat)
}

func matchMagic(b, magic []byte) bool {
	if len(b) < len(magic) {
		return false
	}
	for i, c := range magic {
		if c != '?' && !strings.EqualFold(string(b[i]), string(c)) {
			return false
		}
	}
	return true
}

// cleanMeta removes control characters from a document's metadata, which
// comes from the input unchecked and is shown in terminals and pages:
// runs of control characters and white space become one space.
func (d *Document) cleanMeta() {
	d.Title = cleanLine(d.Title)
	d.Publisher = cleanLine(d.Publisher)
	d.URL = cleanLine(d.URL)
	for i, a := range d.Authors {
		d.Authors[i] = cleanLine(a)
	}
}

func cleanLine(s string) string {
	clean := true
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
