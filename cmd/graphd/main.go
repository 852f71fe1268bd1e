// Command graphd builds and queries a source-provenance graph: who said
// what, who said it first, who repeated it and who disputes it.
//
// Run "graphd --help" for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/cayleygraph/cayley/clog"
	"github.com/spf13/cobra"

	"github.com/provgraph/provgraph/graph/badger4"
	"github.com/provgraph/provgraph/graph/cayleystore"
)

// Config is everything graphd reads from flags and the environment.
type Config struct {
	// Data is the directory of the embedded store.
	Data string
	// Store selects the store: "badger" (the embedded default), "memory",
	// or a PostgreSQL or CockroachDB connection string (postgres://...,
	// cockroach://...).
	Store string
	// LogLevel is one of debug, info, warn, error.
	LogLevel string
	// Quiet turns off progress output.
	Quiet bool
	// NoSync turns off synced writes, for bulk loads that can be redone.
	NoSync bool
	// CPUProfile and MemProfile name files for Go profiles of the run.
	CPUProfile, MemProfile string
}

// memoryLimit is the soft limit of the Go heap unless GOMEMLIMIT sets one.
const memoryLimit = 3 << 29 // 1.5 GiB

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRoot(os.Stdout, os.Stderr).ExecuteContext(ctx)
	stop()
	if err != nil {
		var ex exitError
		if !errors.As(err, &ex) || ex.msg != "" {
			fmt.Fprintln(os.Stderr, "graphd:", err)
		}
		os.Exit(1)
	}
}

// exitError ends the program with a non-zero status; an empty message means
// the problem was already reported.
type exitError struct{ msg string }

func (e exitError) Error() string { return e.msg }

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	cfg := &Config{}
	root := &cobra.Command{
		Use:   "graphd",
		Short: "Build and query a source-provenance graph of news",
		Long: `graphd reads news articles and official releases, finds who said what
(statements with their source, cue, content, speaker and date), and keeps
the result in a graph of documents, actors and statements.

The graph lives in an embedded store in --data (default ./graphd-data); no
server is needed. With --store postgres://... (or cockroach://...) it lives
in a database that several graphd processes share. Every node and edge
keeps its evidence: the document, the character span and the rule that
produced it.

graphd keeps its own memory (the Go heap) under a soft limit of 1.5 GiB,
collecting garbage more often as it nears it; set GOMEMLIMIT (for example
GOMEMLIMIT=4GiB) to change it.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	f := root.PersistentFlags()
	f.StringVar(&cfg.Data, "data", envOr("GRAPHD_DATA", "./graphd-data"), "directory of the embedded store, created on first use (env GRAPHD_DATA)")
	cfg.Store = envOr("GRAPHD_STORE", "badger")
	f.Var(storeFlag{&cfg.Store}, "store", `store to use: "badger" (embedded, in --data), "memory" (lost on exit), a PostgreSQL database (postgres://user:password@host:port/db?sslmode=disable) or a CockroachDB one (cockroach://user@host:26257/db?sslmode=disable), shared by several graphd processes (env GRAPHD_STORE)`)
	f.StringVar(&cfg.LogLevel, "log-level", envOr("GRAPHD_LOG_LEVEL", "warn"), "log level: debug, info, warn or error (env GRAPHD_LOG_LEVEL)")
	f.StringVar(&cfg.CPUProfile, "cpuprofile", "", "write a CPU profile of the run to this file (for go tool pprof)")
	f.StringVar(&cfg.MemProfile, "memprofile", "", "write a heap profile at the end of the run to this file (for go tool pprof)")
	var cpuFile *os.File
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if cfg.CPUProfile == "" {
			return nil
		}
		f, err := os.Create(cfg.CPUProfile)
		if err != nil {
			return err
		}
		cpuFile = f
		return pprof.StartCPUProfile(f)
	}
	root.PersistentPostRunE = func(cmd *cobra.Command, _ []string) error {
		if cpuFile != nil {
			pprof.StopCPUProfile()
			cpuFile.Close()
		}
		if cfg.MemProfile == "" {
			return nil
		}
		f, err := os.Create(cfg.MemProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		return pprof.WriteHeapProfile(f)
	}

	root.AddCommand(
		newLoadCmd(cfg, stdout, stderr),
		newExtractCmd(cfg, stdout, stderr),
		newStatsCmd(cfg, stdout, stderr),
		newDumpCmd(cfg, stdout, stderr),
		newRestoreCmd(cfg, stdout, stderr),
		newRmCmd(cfg, stdout, stderr),
		newCheckCmd(cfg, stdout, stderr),
		newServeCmd(cfg, stdout, stderr),
		newExportCmd(cfg, stdout, stderr),
	)
	return root
}

func newLogger(cfg *Config, stderr io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %q is not one of debug, info, warn, error", cfg.LogLevel)
	}
	l := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	clog.SetLogger(cayleyLogger{l: l})
	return l, nil
}

// openStore opens the store that cfg selects.
func openStore(ctx context.Context, cfg *Config, log *slog.Logger) (*cayleystore.Store, error) {
	opt := cayleystore.Options{Logger: log}
	lower := strings.ToLower(cfg.Store)
	switch scheme, rest, _ := strings.Cut(cfg.Store, "://"); {
	case lower == "badger" || lower == "badger4" || lower == "":
		bo := badger4.DefaultOptions()
		bo.SyncWrites = !cfg.NoSync
		opt.Backend, opt.Address, opt.Badger = cayleystore.Badger, cfg.Data, &bo
	case lower == "memory" || lower == "memstore":
		opt.Backend = cayleystore.Memory
	case strings.EqualFold(scheme, "postgres") || strings.EqualFold(scheme, "postgresql"):
		opt.Backend, opt.Address = cayleystore.Postgres, cfg.Store
	case strings.EqualFold(scheme, "cockroach") || strings.EqualFold(scheme, "cockroachdb"):
		// CockroachDB speaks PostgreSQL's protocol and takes its URLs.
		opt.Backend, opt.Address = cayleystore.Cockroach, "postgresql://"+rest
	default:
		return nil, fmt.Errorf("--store: unknown store %q (want badger, memory, postgres://... or cockroach://...)", cayleystore.Redact(cfg.Store))
	}
	s, err := cayleystore.Open(ctx, opt)
	if errors.Is(err, badger4.ErrLocked) {
		return nil, fmt.Errorf("%s is in use by another graphd process; stop it or use another --data directory", cfg.Data)
	}
	return s, err
}

// storeFlag is the value of --store. Its String, which --help shows as
// the default (from GRAPHD_STORE), hides a connection string's password.
type storeFlag struct{ v *string }

func (f storeFlag) String() string {
	if f.v == nil {
		return ""
	}
	return cayleystore.Redact(*f.v)
}
func (f storeFlag) Set(s string) error { *f.v = s; return nil }
func (f storeFlag) Type() string       { return "string" }

// cayleyLogger routes Cayley's own log lines to slog, with passwords
// hidden: Cayley's SQL backend logs its connection string when it cannot
// connect.
type cayleyLogger struct{ l *slog.Logger }

func (c cayleyLogger) Infof(f string, a ...any) {
	c.l.Debug(cayleystore.Redact(fmt.Sprintf(f, a...)), "component", "cayley")
}
func (c cayleyLogger) Warningf(f string, a ...any) {
	c.l.Warn(cayleystore.Redact(fmt.Sprintf(f, a...)), "component", "cayley")
}
func (c cayleyLogger) Errorf(f string, a ...any) {
	c.l.Error(cayleystore.Redact(fmt.Sprintf(f, a...)), "component", "cayley")
}
func (c cayleyLogger) Fatalf(f string, a ...any) {
	c.l.Error(cayleystore.Redact(fmt.Sprintf(f, a...)), "component", "cayley")
	os.Exit(1)
}
func (c cayleyLogger) V(int) bool { return false }
func (c cayleyLogger) SetV(int)   {}
