package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/cayleystore"
)

// loadOptions are the flags of "graphd load".
type loadOptions struct {
	maxSize int64
	batch   int
}

func newLoadCmd(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	opt := loadOptions{}
	cmd := &cobra.Command{
		Use:   "load PATH...",
		Short: "Read documents into the graph",
		Long: `load reads each PATH (a file, or a folder read recursively, skipping
hidden files) and writes every document with everything derived from it.

Plain text files (.txt, .text or no extension) are read whole as one
document each. A document is identified by its content: loading the same
file again changes nothing, and each document is written atomically, so an
interrupted load leaves every document either complete or absent.

A file that cannot be read (empty, binary, not UTF-8, larger than
--max-size) is reported with its name and skipped; the others still load.
load ends with a summary and exits non-zero if any file failed.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(cmd, cfg, stderr, func(ctx context.Context, s *cayleystore.Store, log *slog.Logger) error {
				return runLoad(ctx, s, args, opt, cfg.Quiet, stderr)
			})
		},
	}
	f := cmd.Flags()
	f.Int64Var(&opt.maxSize, "max-size", 20<<20, "largest file to read, in bytes")
	f.IntVar(&opt.batch, "batch", 256, "documents written per transaction (each document stays atomic)")
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

func runLoad(ctx context.Context, s graph.Store, paths []string, opt loadOptions, quiet bool, stderr io.Writer) error {
	if opt.batch <= 0 {
		opt.batch = 256
	}
	var (
		sum     summary
		pending []*graph.DocGraph
		names   []string
		start   = time.Now()
	)
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		out, err := s.Put(ctx, pending...)
		for _, o := range out {
			sum.add(o)
		}
		if err != nil {
			for _, n := range names[len(out):] {
				fmt.Fprintf(stderr, "graphd: %s: not written: %v\n", n, err)
				sum.failed++
			}
			if ctx.Err() != nil || !errors.Is(err, graph.ErrInvalid) {
				return err
			}
		}
		pending, names = pending[:0], names[:0]
		if !quiet {
			fmt.Fprintf(stderr, "%s, %.0f documents/s\n", sum, float64(sum.loaded+sum.unchanged+sum.replaced)/time.Since(start).Seconds())
		}
		return nil
	}
	for _, root := range paths {
		err := walk(root, func(path string) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			dg, err := readText(path, opt.maxSize)
			if err != nil {
				fmt.Fprintf(stderr, "graphd: %v\n", err)
				sum.failed++
				return nil
			}
			pending = append(pending, dg)
			names = append(names, path)
			if len(pending) >= opt.batch {
				return flush()
			}
			return nil
		})
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			fmt.Fprintf(stderr, "graphd: %v\n", err)
			sum.failed++
		}
	}
	if err := flush(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s in %s\n", sum, time.Since(start).Round(time.Millisecond))
	if sum.failed > 0 {
		return exitError{}
	}
	return nil
}

// walk calls fn for root if it is a file, or for every file below root,
// skipping hidden files and folders.
func walk(root string, fn func(path string) error) error {
	info, err := os.Stat(root)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fn(root)
	}
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		return fn(path)
	})
}

// readText reads a plain text file as one document.
func readText(path string, maxSize int64) (*graph.DocGraph, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".text", "":
	default:
		return nil, fmt.Errorf("%s: unknown format %q (plain text files are read)", path, filepath.Ext(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	switch {
	case int64(len(data)) > maxSize:
		return nil, fmt.Errorf("%s: larger than --max-size (%d bytes)", path, maxSize)
	case len(bytes.TrimSpace(data)) == 0:
		return nil, fmt.Errorf("%s: empty file", path)
	case bytes.IndexByte(data, 0) >= 0:
		return nil, fmt.Errorf("%s: binary file (contains NUL bytes)", path)
	case !utf8.Valid(data):
		return nil, fmt.Errorf("%s: not valid UTF-8", path)
	}
	text := string(data)
	return &graph.DocGraph{Document: graph.Document{
		ID:     graph.DocumentID("", text),
		Source: path,
		Format: "text",
		Text:   text,
	}}, nil
}
