package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/provenance"
)

// withStore opens the logger and the store, runs fn and closes the store.
func withStore(cmd *cobra.Command, cfg *Config, stderr io.Writer, fn func(ctx context.Context, s *cayleystore.Store, log *slog.Logger) error) error {
	log, err := newLogger(cfg, stderr)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	s, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	err = fn(ctx, s, log)
	if cerr := s.Close(); cerr != nil && err == nil {
		err = cerr
	}
	return err
}

func newStatsCmd(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count the nodes and edges of each kind in the graph",
		Long: `stats counts the graph's nodes by kind (Document, Actor, Statement, Claim,
Place, Date) and its edges by kind (said, cited, disputes, and the links
between statements, documents, places, dates and claims), with the totals
and the number of quads stored.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, cfg, stderr, func(ctx context.Context, s *cayleystore.Store, _ *slog.Logger) error {
				st, err := s.Stats(ctx)
				if err != nil {
					return err
				}
				if asJSON {
					enc := json.NewEncoder(stdout)
					enc.SetIndent("", "  ")
					return enc.Encode(map[string]any{
						"nodes": st.Nodes, "edges": st.Edges,
						"nodeTotal": st.NodeTotal, "edgeTotal": st.EdgeTotal, "quads": st.Quads,
					})
				}
				w := bufio.NewWriter(stdout)
				fmt.Fprintln(w, "nodes")
				for _, nt := range graph.NodeTypes {
					fmt.Fprintf(w, "  %-10s %10d\n", nt.Kind, st.Nodes[nt.Kind])
				}
				fmt.Fprintf(w, "  %-10s %10d\n", "total", st.NodeTotal)
				fmt.Fprintln(w, "edges")
				names := make([]string, 0, len(st.Edges))
				for k := range st.Edges {
					names = append(names, k)
				}
				sort.Strings(names)
				for _, k := range names {
					fmt.Fprintf(w, "  %-10s %10d\n", k, st.Edges[k])
				}
				fmt.Fprintf(w, "  %-10s %10d\n", "total", st.EdgeTotal)
				fmt.Fprintf(w, "quads        %10d\n", st.Quads)
				return w.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the counts as JSON")
	return cmd
}

func newDumpCmd(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	var server, token string
	cmd := &cobra.Command{
		Use:   "dump",
		Short: "Write the whole graph to standard output as N-Quads",
		Long: `dump writes every quad of the graph to standard output as N-Quads, sorted,
so that the same graph always gives the same bytes. Each quad's fourth
term is the document it was derived from. "graphd restore" reads it back.
The graph is read while writes wait, so a dump is one consistent state.

The embedded store admits one process: while "graphd serve" runs on it,
back it up through the server instead, with --server URL (the server's
address, for example http://127.0.0.1:8080) and, when the server has a
token, --token or GRAPHD_TOKEN.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if server != "" {
				if token == "" {
					token = os.Getenv("GRAPHD_TOKEN")
				}
				return dumpFromServer(cmd.Context(), server, token, stdout)
			}
			err := withStore(cmd, cfg, stderr, func(ctx context.Context, s *cayleystore.Store, _ *slog.Logger) error {
				return s.Dump(ctx, stdout)
			})
			if err != nil && strings.Contains(err.Error(), "in use by another graphd process") {
				return fmt.Errorf("%w (to back up a running graphd serve: graphd dump --server http://ADDRESS)", err)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&server, "server", "", "dump the graph of the graphd serve at this address (http://host:port) rather than a store")
	cmd.Flags().StringVar(&token, "token", "", "the server's token, when it has one (env GRAPHD_TOKEN)")
	return cmd
}

// dumpFromServer copies a running server's /dump to w, checking that it
// came whole.
func dumpFromServer(ctx context.Context, server, token string, w io.Writer) error {
	u, err := url.Parse(strings.TrimSuffix(server, "/") + "/dump")
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--server %q: want http://host:port", server)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("dump from %s: %w", u.Redacted(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("dump from %s: %s: %s", u.Redacted(), resp.Status, strings.TrimSpace(string(msg)))
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return fmt.Errorf("dump from %s: %w", u.Redacted(), err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return fmt.Errorf("dump from %s: %d of %d bytes received", u.Redacted(), n, resp.ContentLength)
	}
	return nil
}

func newRestoreCmd(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "restore [FILE]",
		Short: "Read N-Quads written by dump into the graph",
		Long: `restore reads N-Quads as written by "graphd dump" from FILE, or from
standard input when FILE is "-" or absent. The whole input is checked
before anything is written; each document in it is then written atomically
and replaces the stored document of the same ID. Restoring a dump into an
empty store and dumping again gives the same bytes.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in := cmd.InOrStdin()
			if len(args) == 1 && args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			return withStore(cmd, cfg, stderr, func(ctx context.Context, s *cayleystore.Store, _ *slog.Logger) error {
				return s.Restore(ctx, bufio.NewReaderSize(in, 1<<20))
			})
		},
	}
}

func newRmCmd(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "rm DOC...",
		Short: "Remove documents and everything derived only from them",
		Long: `rm removes each document DOC (its ID, as "graphd dump" or "graphd load"
shows it) with its statements and their evidence, and the edges other
documents held into its statements. Actors, places and dates that other
documents still mention stay.

Then it relinks what the removal took from the other documents: a statement
that cited a removed statement as the earlier report of its claim cites
the best earlier statement of that claim still stored, and a denial of a
removed statement disputes the first remaining statement of the claim it
denied. The other documents' own graphs are not changed; the new edges go
to their links graphs.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(cmd, cfg, stderr, func(ctx context.Context, s *cayleystore.Store, _ *slog.Logger) error {
				failed := 0
				for _, id := range args {
					n, err := removeAndRelink(ctx, s, graph.ID(id))
					if err != nil {
						fmt.Fprintf(stderr, "graphd: rm %s: %v\n", id, err)
						failed++
						continue
					}
					fmt.Fprintf(stdout, "removed %s (%d edges of other documents relinked)\n", id, n)
				}
				if failed > 0 {
					return exitError{}
				}
				return nil
			})
		},
	}
}

// removeAndRelink removes document doc and mends the links of the
// documents that depended on it, returning how many edges it added. A
// crash between the two leaves those documents without the mended edges,
// never with an edge to a missing statement.
func removeAndRelink(ctx context.Context, s *cayleystore.Store, doc graph.ID) (int, error) {
	return relinkAround(ctx, s, doc, func() error { return s.Remove(ctx, doc) })
}

// relinkAround reads what change (a removal or a write of document doc)
// may take from the other documents, runs it, and mends their links,
// returning how many edges it added. An error from change is returned as
// it is.
func relinkAround(ctx context.Context, s *cayleystore.Store, doc graph.ID, change func() error) (int, error) {
	if stored, err := s.Indexed(ctx, doc); err != nil {
		return 0, err
	} else if !stored {
		return 0, change() // no statements another document could link to
	}
	l := provenance.New(s)
	u, err := l.Unlinking(ctx, s, doc)
	if err != nil {
		return 0, err
	}
	if err := change(); err != nil {
		return 0, err
	}
	if len(u.Edges) == 0 {
		return 0, nil
	}
	n, err := relink(ctx, s, l, u)
	if err != nil {
		return n, fmt.Errorf("written, but %w", err)
	}
	return n, nil
}

// relink mends what u took from the other documents, returning how many
// edges it added.
func relink(ctx context.Context, s *cayleystore.Store, l *provenance.Linker, u *provenance.Unlinking) (int, error) {
	fix, err := l.Relink(ctx, u)
	if err != nil {
		return 0, fmt.Errorf("relinking after %s failed: %w", u.Doc, err)
	}
	added := 0
	for _, holder := range slices.Sorted(maps.Keys(fix)) {
		n, err := s.AddLinks(ctx, holder, fix[holder])
		if err != nil {
			return added, fmt.Errorf("relinking %s after %s failed: %w", holder, u.Doc, err)
		}
		added += n
	}
	return added, nil
}

func newCheckCmd(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Verify that every document is complete and no edge dangles",
		Long: `check reads the whole graph and verifies that every stored document's
quads match the fingerprint written with them (so no document is half
written) and that no edge points at a statement that does not exist.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, cfg, stderr, func(ctx context.Context, s *cayleystore.Store, _ *slog.Logger) error {
				rep, err := s.Check(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "%d documents checked\n", rep.Documents)
				if len(rep.Problems) == 0 {
					fmt.Fprintln(stdout, "no problems found")
					return nil
				}
				for _, p := range rep.Problems {
					fmt.Fprintln(stdout, p)
				}
				return exitError{msg: fmt.Sprintf("%d problems found", len(rep.Problems))}
			})
		},
	}
}
