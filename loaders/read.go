package loaders

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DefaultMaxSize is the default limit on one document, in bytes.
const DefaultMaxSize = 20 << 20

// ReadOptions configures [Registry.Read].
type ReadOptions struct {
	// Format forces a format by name; empty means detect each input's.
	Format string
	// MaxSize limits each document (a file, a JSON line, a feed item), in
	// bytes after decompression; zero means [DefaultMaxSize].
	MaxSize int64
	// Options holds loader options by format name, passed to Format.New.
	Options map[string]json.RawMessage
	// Stdin is read for the path "-".
	Stdin io.Reader
	// OnRead, when set, is called with the number of bytes read from the
	// inputs as they are read (before decompression), for progress.
	OnRead func(n int)
}

// countingReader reports the bytes read through it.
type countingReader struct {
	r  io.ReadCloser
	on func(int)
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.on(n)
	}
	return n, err
}

func (c countingReader) Close() error { return c.r.Close() }

// Size returns the total size of the inputs paths names, as Read would read
// them (hidden files skipped; standard input counts as zero).
func Size(paths []string) int64 {
	var n int64
	for _, p := range paths {
		if p == "-" {
			continue
		}
		filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				if info, err := d.Info(); err == nil {
					n += info.Size()
				}
			}
			return nil
		})
	}
	return n
}

// ErrTooLarge is returned (wrapped) for an input or record larger than the
// size limit.
var ErrTooLarge = errors.New("larger than the size limit")

// Read reads each path — a file, a folder read recursively (hidden files and
// folders skipped), or "-" for standard input — and emits the records of
// every input, in order. gzip-compressed inputs are decompressed. An input
// that cannot be read becomes one error record naming it; Read itself fails
// only when emit or ctx stop it.
func (r *Registry) Read(ctx context.Context, paths []string, opt ReadOptions, emit func(Record) error) error {
	if opt.MaxSize <= 0 {
		opt.MaxSize = DefaultMaxSize
	}
	loaders := make(map[string]Loader)
	loaderFor := func(f Format) (Loader, error) {
		if l, ok := loaders[f.Name]; ok {
			return l, nil
		}
		l, err := f.New(opt.Options[f.Name])
		if err != nil {
			return nil, fmt.Errorf("loaders: %s options: %w", f.Name, err)
		}
		loaders[f.Name] = l
		return l, nil
	}
	one := func(name string, open func() (io.ReadCloser, error)) error {
		err := r.readOne(ctx, name, open, opt, loaderFor, emit)
		if err == nil || ctx.Err() != nil || errors.Is(err, errStop) {
			return err
		}
		return emit(Record{Err: err})
	}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == "-" {
			if opt.Stdin == nil {
				return emit(Record{Err: errors.New("-: no standard input")})
			}
			if err := one("-", func() (io.ReadCloser, error) { return io.NopCloser(opt.Stdin), nil }); err != nil {
				return unstop(err)
			}
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			if err := emit(Record{Err: err}); err != nil {
				return err
			}
			continue
		}
		if !info.IsDir() {
			if err := one(p, func() (io.ReadCloser, error) { return os.Open(p) }); err != nil {
				return unstop(err)
			}
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return emit(Record{Err: err})
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() {
				return nil
			}
			return one(path, func() (io.ReadCloser, error) { return os.Open(path) })
		})
		if err != nil {
			return unstop(err)
		}
	}
	return nil
}

// errStop marks an error returned by emit, which ends reading.
var errStop = errors.New("stop")

type stopError struct{ err error }

func (e stopError) Error() string { return e.err.Error() }
func (e stopError) Unwrap() error { return e.err }
func (e stopError) Is(t error) bool {
	return t == errStop
}

func unstop(err error) error {
	var s stopError
	if errors.As(err, &s) {
		return s.err
	}
	return err
}

// readOne reads one input. Errors about the input are returned; errors from
// emit come back wrapped in stopError.
func (r *Registry) readOne(ctx context.Context, name string, open func() (io.ReadCloser, error), opt ReadOptions, loaderFor func(Format) (Loader, error), emit func(Record) error) error {
	rc, err := open()
	if err != nil {
		return err
	}
	if opt.OnRead != nil {
		rc = countingReader{r: rc, on: opt.OnRead}
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	fileName := name
	peek, _ := br.Peek(512)
	var in io.Reader = br
	if len(peek) >= 2 && peek[0] == 0x1f && peek[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: gzip: %w", name, err)
		}
		defer zr.Close()
		zb := bufio.NewReaderSize(zr, 64<<10)
		peek, _ = zb.Peek(512)
		in = zb
		fileName = strings.TrimSuffix(strings.TrimSuffix(name, ".gz"), ".GZ")
	}
	if len(peek) == 0 {
		return fmt.Errorf("%s: empty file", name)
	}
	f, err := r.pick(fileName, peek, opt.Format)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	l, err := loaderFor(f)
	if err != nil {
		return err
	}
	src := Source{Name: name, MaxSize: opt.MaxSize}
	err = l.Load(ctx, src, in, func(rec Record) error {
		if rec.Doc != nil {
			rec.Doc.cleanMeta()
		}
		if err := emit(rec); err != nil {
			return stopError{err}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) && ctx.Err() == nil {
		var se *SyntaxError
		if !errors.As(err, &se) && !strings.HasPrefix(err.Error(), name) {
			err = fmt.Errorf("%s: %w", name, err)
		}
	}
	return err
}

// pick chooses the format of an input: the forced one, else the one its
// extension names, else the one its content shows, else the one that claims
// files without an extension.
func (r *Registry) pick(name string, peek []byte, forced string) (Format, error) {
	if forced != "" {
		return r.ByName(forced)
	}
	if filepath.Ext(name) != "" {
		if f, err := r.ByExt(name); err == nil {
			return f, nil
		}
	}
	if f, err := r.Detect(peek); err == nil {
		return f, nil
	}
	if filepath.Ext(name) == "" {
		if f, err := r.ByExt(""); err == nil {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("unknown format %q (known: %s): %w", filepath.Ext(name), strings.Join(r.Names(), ", "), ErrUnknownFormat)
}
