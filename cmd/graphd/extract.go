package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/all"
)

// extractDoc is one line of "graphd extract --json".
type extractDoc struct {
	Document   extractMeta        `json:"document"`
	Statements []extractStatement `json:"statements"`
	Actors     []any              `json:"actors"`
	Places     []any              `json:"places"`
	Dates      []any              `json:"dates"`
}

// extractStatement is one statement of "graphd extract --json".
type extractStatement struct {
	ID      graph.ID            `json:"id"`
	Kind    graph.StatementKind `json:"kind"`
	Source  *graph.Part         `json:"source"`
	Cue     graph.Part          `json:"cue"`
	Content graph.Part          `json:"content"`
	Speaker *extractSpeaker     `json:"speaker"`
	Date    *extractDate        `json:"date"`
	// Sentence is the span of the sentences the statement lies in.
	Sentence   graph.Span `json:"sentence"`
	Rule       string     `json:"rule"`
	Confidence float64    `json:"confidence"`
}

type extractSpeaker struct {
	Name     string `json:"name"`
	Evidence string `json:"evidence"`
}

type extractDate struct {
	Value     string           `json:"value"`
	Precision graph.Precision  `json:"precision"`
	From      graph.DateSource `json:"from"`
}

func statementsOf(dg *graph.DocGraph) []extractStatement {
	names := make(map[graph.ID]string, len(dg.Actors))
	for _, a := range dg.Actors {
		names[a.ID] = a.Name
	}
	speakers := make(map[graph.ID]*extractSpeaker)
	for _, e := range dg.Edges {
		if e.Kind == graph.Said {
			speakers[e.To] = &extractSpeaker{Name: names[e.From], Evidence: e.Evidence.Note}
		}
	}
	out := make([]extractStatement, 0, len(dg.Statements))
	for _, st := range dg.Statements {
		es := extractStatement{
			ID: st.ID, Kind: st.Kind, Source: st.Source, Cue: st.Cue, Content: st.Content,
			Sentence: st.Sentence, Rule: st.Rule, Confidence: st.Confidence,
			Speaker: speakers[st.ID],
		}
		if st.Date != nil {
			es.Date = &extractDate{Value: st.Date.Value, Precision: st.Date.Precision, From: st.DateFrom}
		}
		out = append(out, es)
	}
	return out
}

type extractMeta struct {
	ID        graph.ID    `json:"id"`
	Path      string      `json:"path"`
	Format    string      `json:"format"`
	Title     *string     `json:"title"`
	Published *graph.Date `json:"published"`
	URL       *string     `json:"url"`
	Publisher *string     `json:"publisher"`
	Authors   []string    `json:"authors"`
	// Chars is the length of the text in code points, the unit of spans.
	Chars int `json:"chars"`
	// Metadata lists the code-point spans of metadata lines.
	Metadata []graph.Span `json:"metadata"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func newExtractCmd(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	var (
		rf     readFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "extract [--json] PATH...",
		Short: "Show what would be loaded from documents, without touching the graph",
		Long: `extract reads documents as "graphd load" does and prints, for each, its
metadata and what was extracted from it, one JSON object per line with
--json. Nothing is written to the graph, so it needs no --data directory.

Spans are Unicode code-point offsets into the document text as read, so
that Python's text[start:end] returns them.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := rf.options(cmd.InOrStdin())
			if err != nil {
				return err
			}
			w := bufio.NewWriter(stdout)
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			failed := 0
			in, err := newIngester()
			if err != nil {
				return err
			}
			err = all.Default().Read(cmd.Context(), args, opt, func(rec loaders.Record) error {
				if rec.Err != nil {
					fmt.Fprintf(stderr, "graphd: %v\n", rec.Err)
					failed++
					return nil
				}
				d := rec.Doc
				dg, _, err := in.Graph(cmd.Context(), d)
				if err != nil {
					return err
				}
				out := extractDoc{
					Document: extractMeta{
						ID: d.ID(), Path: d.Source, Format: d.Format,
						Title: optional(d.Title), Published: d.Published, URL: optional(loaders.CanonicalURL(d.URL)),
						Publisher: optional(d.Publisher), Authors: d.Authors,
						Chars: utf8.RuneCountInString(d.Text), Metadata: codePointRanges(d.Text, d.Boilerplate),
					},
					Statements: statementsOf(dg), Actors: []any{}, Places: []any{}, Dates: []any{},
				}
				if asJSON {
					return enc.Encode(out)
				}
				fmt.Fprintf(w, "%s\t%s\t%d statements\t%s\n", d.Source, d.ID(), len(dg.Statements), d.Title)
				return nil
			})
			if ferr := w.Flush(); err == nil {
				err = ferr
			}
			if err != nil {
				return err
			}
			if failed > 0 {
				return exitError{msg: fmt.Sprintf("%d inputs failed", failed)}
			}
			return nil
		},
	}
	rf.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per document")
	return cmd
}

// codePointRanges converts byte ranges of text to code-point spans.
func codePointRanges(text string, rs []loaders.Range) []graph.Span {
	cp := loaders.NewCodePoints(text)
	out := make([]graph.Span, 0, len(rs))
	for _, r := range rs {
		out = append(out, graph.Span{Start: cp.Of(r.Start), End: cp.Of(r.End)})
	}
	return out
}
