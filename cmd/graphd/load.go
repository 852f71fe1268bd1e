package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/all"
	"github.com/provgraph/provgraph/provenance"
)

// readFlags are the flags every command that reads documents shares.
type readFlags struct {
	format  string
	fields  []string
	maxSize int64
}

func (f *readFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "", "read every input in this format (text, html, jsonl, feed) instead of detecting it; needed for - (standard input) unless its content shows its format")
	fl.StringSliceVar(&f.fields, "field", nil, "JSON Lines field mapping, as target=field (text, title, url, date, publisher, authors, id); repeatable, e.g. --field text=body")
	fl.Int64Var(&f.maxSize, "max-size", loaders.DefaultMaxSize, "largest document to read, in bytes (a file, a JSON line, a feed item)")
}

func (f *readFlags) options(stdin io.Reader) (loaders.ReadOptions, error) {
	opt := loaders.ReadOptions{Format: f.format, MaxSize: f.maxSize, Stdin: stdin}
	if len(f.fields) > 0 {
		m := make(map[string]string)
		for _, kv := range f.fields {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" || v == "" {
				return opt, fmt.Errorf("--field %q: want target=field, e.g. text=body", kv)
			}
			m[k] = v
		}
		raw, err := json.Marshal(map[string]any{"fields": m})
		if err != nil {
			return opt, err
		}
		opt.Options = map[string]json.RawMessage{"jsonl": raw}
	}
	return opt, nil
}

func newLoadCmd(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	var (
		rf    readFlags
		batch int
	)
	cmd := &cobra.Command{
		Use:   "load PATH...",
		Short: "Read documents into the graph",
		Long: `load reads each PATH — a file, a folder (read recursively, hidden files
skipped) or - for standard input — and writes every document with
everything derived from it.

Formats are detected from the file name, then from the content: plain text
(.txt, .text, no extension), HTML pages (.html, .htm), JSON Lines (.jsonl,
.ndjson: one document per line) and RSS, Atom or JSON feeds (.rss, .atom,
.xml: one document per item), each optionally gzip-compressed (.gz).

A document is identified by its canonical URL, or by its text when it has
none: loading the same document again changes nothing, and a changed
version replaces the old one. Each document is written atomically, so an
interrupted load leaves every document either complete or absent.

A document that cannot be read (empty, binary, not UTF-8, malformed,
larger than --max-size) is reported with its file name (and line or item)
and skipped; the others still load. load ends with a summary (loaded,
unchanged, replaced, failed) and exits non-zero if anything failed.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := rf.options(cmd.InOrStdin())
			if err != nil {
				return err
			}
			return withStore(cmd, cfg, stderr, func(ctx context.Context, s *cayleystore.Store, _ *slog.Logger) error {
				return runLoad(ctx, s, args, opt, batch, cfg.Quiet, stderr)
			})
		},
	}
	rf.register(cmd)
	f := cmd.Flags()
	f.IntVar(&batch, "batch", 256, "documents written per transaction at most (each document stays atomic)")
	f.BoolVarP(&cfg.Quiet, "quiet", "q", false, "print only errors and the summary")
	f.BoolVar(&cfg.NoSync, "nosync", false, "do not wait for each transaction to reach the disk (faster; a crash may lose the last documents, never half of one)")
	return cmd
}

// summary counts what a load did.
type summary struct {
	loaded, unchanged, replaced, failed int
}

func (s summary) String() string {
	return fmt.Sprintf("%d loaded, %d unchanged, %d replaced, %d failed", s.loaded, s.unchanged, s.replaced, s.failed)
}

func (s *summary) add(o graph.Outcome) {
	switch o {
	case graph.Loaded:
		s.loaded++
	case graph.Unchanged:
		s.unchanged++
	case graph.Replaced:
		s.replaced++
	}
}

func (s summary) done() int { return s.loaded + s.unchanged + s.replaced }

// compactAfter is the number of documents written by one load after which
// the embedded store is compacted, which makes later reads faster.
const compactAfter = 1000

func runLoad(ctx context.Context, s *cayleystore.Store, paths []string, opt loaders.ReadOptions, batch int, quiet bool, stderr io.Writer) error {
	if batch <= 0 {
		batch = 256
	}
	var (
		sum     summary
		pending []*graph.DocGraph
		names   []string
		start   = time.Now()
		prog    = newProgress(stderr, quiet, loaders.Size(paths))
		linker  = provenance.New(s)
		// replacing holds what the new versions of stored documents may
		// take from the others.
		replacing []*provenance.Unlinking
	)
	opt.OnRead = prog.read
	// A batch is written while the next one is linked: the linker keeps a
	// batch's documents in front of the store until its write returns, so
	// what the next batch sees does not depend on how far the write got.
	type written struct {
		docs  []*graph.DocGraph
		names []string
		out   []graph.Outcome
		err   error
	}
	var inflight chan written
	wait := func() error {
		if inflight == nil {
			return nil
		}
		w := <-inflight
		inflight = nil
		ids := make([]graph.ID, len(w.docs))
		for i, dg := range w.docs {
			ids[i] = dg.Document.ID
		}
		linker.Forget(ids...)
		for i, o := range w.out {
			if o == graph.Failed {
				prog.printf("graphd: %s: not written: its graph is %v; split the document or raise the store's transaction size\n", w.names[i], graph.ErrTooLarge)
				sum.failed++
				continue
			}
			sum.add(o)
		}
		if w.err != nil && len(w.out) < len(w.docs) {
			for _, n := range w.names[len(w.out):] {
				prog.printf("graphd: %s: not written: %v\n", n, w.err)
				sum.failed++
			}
			if ctx.Err() != nil || !errors.Is(w.err, graph.ErrInvalid) {
				return w.err
			}
		}
		prog.update(sum, start)
		return nil
	}
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		if err := wait(); err != nil {
			return err
		}
		w := written{docs: pending, names: names}
		pending, names = nil, nil
		ch := make(chan written, 1)
		go func() {
			w.out, w.err = s.Put(ctx, w.docs...)
			ch <- w
		}()
		inflight = ch
		return nil
	}
	in, err := newIngester()
	if err != nil {
		return err
	}
	// Documents are extracted on every core, ahead of the linker, which
	// takes them in input order: what a document links to depends on the
	// documents before it.
	err = extractAhead(ctx, paths, opt, in, func(rec loaders.Record, dg *graph.DocGraph) error {
		if rec.Err != nil {
			prog.printf("graphd: %v\n", rec.Err)
			sum.failed++
			return nil
		}
		prog.add(len(rec.Doc.Text))
		t0 := time.Now()
		c0, cpuOK := threadCPU()
		// A new version of a stored document may take statements other
		// documents linked to: what they lose is mended after the load.
		// (Only the index is asked first: reading the graph waits for the
		// batch being written.)
		if stored, err := s.Indexed(ctx, dg.Document.ID); err != nil {
			return err
		} else if stored {
			u, err := linker.Unlinking(ctx, s, dg.Document.ID)
			if err != nil {
				return err
			}
			if len(u.Edges) > 0 {
				replacing = append(replacing, u)
			}
		}
		err := linker.Link(ctx, dg)
		prog.linkTime += time.Since(t0)
		if c1, ok := threadCPU(); ok && cpuOK {
			prog.linkCPU += c1 - c0
		}
		prog.linked++
		if errors.Is(err, provenance.ErrUnchanged) {
			sum.unchanged++
			return nil
		} else if err != nil {
			return err
		}
		pending = append(pending, dg)
		names = append(names, rec.Doc.Source)
		if len(pending) >= batch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if werr := wait(); err == nil {
		err = werr
	}
	prog.finish()
	if err != nil {
		return err
	}
	for _, u := range replacing {
		if _, err := relink(ctx, s, linker, u); err != nil {
			return err
		}
	}
	if sum.loaded+sum.replaced >= compactAfter {
		if err := s.Compact(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "%s in %s\n", sum, time.Since(start).Round(time.Millisecond))
	if sum.failed > 0 {
		return exitError{}
	}
	return nil
}

// extractAhead reads the documents of paths, extracts them on as many
// goroutines as there are cores, and calls fn with each record and its
// graph (nil for a record that failed to read) in input order, from one
// goroutine. An error from fn or from extraction stops the read.
func extractAhead(ctx context.Context, paths []string, opt loaders.ReadOptions, in *loaders.Ingester, fn func(loaders.Record, *graph.DocGraph) error) error {
	type job struct {
		rec  loaders.Record
		dg   *graph.DocGraph
		err  error
		done chan struct{}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *job, 4*workers)
	order := make(chan *job, 4*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if j.rec.Err == nil && ctx.Err() == nil {
					j.dg, _, j.err = in.Graph(ctx, j.rec.Doc)
				}
				close(j.done)
			}
		}()
	}
	consumed := make(chan error, 1)
	go func() {
		// On its own thread, so that the load can tell the CPU time fn
		// takes from that of the goroutines around it.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		var err error
		for j := range order {
			<-j.done
			if err != nil {
				continue // drain, so that the reader is not blocked
			}
			if err = j.err; err == nil {
				err = fn(j.rec, j.dg)
			}
			if err != nil {
				cancel()
			}
		}
		consumed <- err
	}()
	readErr := all.Default().Read(ctx, paths, opt, func(rec loaders.Record) error {
		j := &job{rec: rec, done: make(chan struct{})}
		select {
		case order <- j:
		case <-ctx.Done():
			return ctx.Err()
		}
		jobs <- j
		return nil
	})
	close(jobs)
	close(order)
	err := <-consumed
	wg.Wait()
	if err != nil {
		return err
	}
	return readErr
}

// newIngester returns the ingester with the default extraction pipeline.
func newIngester() (*loaders.Ingester, error) {
	return all.Ingester()
}

// progress shows a load's progress: on a terminal a bar of the bytes read
// (with the rate of documents and the time left), a line a second
// otherwise, nothing with --quiet.
type progress struct {
	w     io.Writer
	bar   *progressbar.ProgressBar
	quiet bool
	docs  int
	last  time.Time
	read  func(int)
	bytes atomic.Int64 // added to by the reading goroutine
	// linked documents took linkTime to link since the last line.
	linked   int
	linkTime time.Duration
	linkCPU  time.Duration // of linkTime, the CPU time of the linking thread
}

func newProgress(w io.Writer, quiet bool, total int64) *progress {
	p := &progress{w: w, quiet: quiet}
	p.read = func(n int) {
		p.bytes.Add(int64(n))
		if p.bar != nil {
			p.bar.Add(n)
		}
	}
	if f, ok := w.(*os.File); ok && !quiet && term.IsTerminal(int(f.Fd())) {
		if total <= 0 {
			total = -1
		}
		p.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("loading"),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// add counts a document read.
func (p *progress) add(int) { p.docs++ }

func (p *progress) printf(format string, a ...any) {
	if p.bar != nil {
		p.bar.Clear()
	}
	fmt.Fprintf(p.w, format, a...)
}

func (p *progress) update(s summary, start time.Time) {
	el := time.Since(start).Seconds()
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%d documents, %.0f/s", p.docs, float64(p.docs)/el))
		return
	}
	if p.quiet || (time.Since(p.last) < time.Second && !p.last.IsZero()) {
		return
	}
	p.last = time.Now()
	link := ""
	if p.linked > 0 {
		link = fmt.Sprintf(", linking %.1f ms/document", float64(p.linkTime.Microseconds())/1e3/float64(p.linked))
		if p.linkCPU > 0 {
			link += fmt.Sprintf(" (%.1f ms of CPU)", float64(p.linkCPU.Microseconds())/1e3/float64(p.linked))
		}
		p.linked, p.linkTime, p.linkCPU = 0, 0, 0
	}
	fmt.Fprintf(p.w, "%s; %.0f documents/s, %.1f MB/s%s\n", s, float64(s.done())/el, float64(p.bytes.Load())/1e6/el, link)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
