package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/graph/export"
)

func newExportCmd(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	var (
		format string
		ids    []string
		opt    export.Options
	)
	cmd := &cobra.Command{
		Use:   "export --format FORMAT [--ids ID...] [--depth N]",
		Short: "Write the graph for other tools: N-Quads, JSON-LD (PROV-O), GraphML, GEXF, Cytoscape.js",
		Long: `export writes the graph to standard output in a format other tools read:

  nquads     N-Quads, for RDF stores: the provgraph vocabulary and W3C PROV-O
  jsonld     the same triples as JSON-LD
  graphml    GraphML, for Gephi, yEd, NetworkX
  gexf       GEXF 1.3, Gephi's own format, with colours by node kind
  cytoscape  Cytoscape.js JSON (the .cyjs Cytoscape imports)

Without --ids it writes the whole graph: the nodes and edges "graphd
stats" counts. With --ids it writes those nodes and everything within
--depth links of them (at most --limit nodes), as the GraphQL subgraph
query does. Documents' full text is left out unless --text is given.
"graphd serve" offers the same at /export?format=FORMAT.

In the RDF formats a statement prov:wasAttributedTo its speaker, a
statement citing another prov:wasQuotedFrom (direct quotes) or
prov:wasDerivedFrom it, and disputes are provgraph's own term pg:disputes
(https://provgraph.org/ns#disputes), declared in the output.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := export.ByName(format)
			if err != nil {
				return err
			}
			for _, id := range ids {
				if id = strings.TrimSpace(id); id != "" {
					opt.IDs = append(opt.IDs, graph.ID(id))
				}
			}
			if len(ids) > 0 && len(opt.IDs) == 0 {
				return fmt.Errorf("export: --ids names no node")
			}
			return withStore(cmd, cfg, stderr, func(ctx context.Context, s *cayleystore.Store, _ *slog.Logger) error {
				g, err := export.Collect(ctx, s, opt)
				if err != nil {
					return err
				}
				if g.Truncated {
					fmt.Fprintf(stderr, "graphd: export stopped at --limit %d nodes\n", len(g.Nodes))
				}
				w := bufio.NewWriterSize(stdout, 1<<16)
				if err := f.Write(w, g); err != nil {
					return fmt.Errorf("export: %w", err)
				}
				return w.Flush()
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&format, "format", "f", "", "output format: "+strings.Join(export.Names(), ", ")+" (required)")
	fl.StringSliceVar(&ids, "ids", nil, "export the neighbourhood of these node IDs (repeatable or comma-separated) instead of the whole graph")
	fl.IntVar(&opt.Depth, "depth", 1, fmt.Sprintf("with --ids, how many links away to go (0 to %d)", export.MaxDepth))
	fl.IntVar(&opt.Limit, "limit", export.DefaultLimit, "with --ids, the most nodes to write")
	fl.BoolVar(&opt.Text, "text", false, "include each document's full text")
	cmd.MarkFlagRequired("format")
	return cmd
}
