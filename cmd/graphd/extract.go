package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/all"
	"github.com/provgraph/provgraph/loaders/extract"
)

// extractDoc is one line of "graphd extract --json".
type extractDoc struct {
	Document   extractMeta        `json:"document"`
	Statements []extractStatement `json:"statements"`
	Actors     []extractActor     `json:"actors"`
	Places     []extractPlace     `json:"places"`
	Dates      []extractDateText  `json:"dates"`
}

// extractMention is one place in the text that names something.
type extractMention struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// extractActor is an actor of the document under its canonical name.
type extractActor struct {
	Name     string           `json:"name"`
	Kind     graph.ActorKind  `json:"kind"`
	Aliases  []string         `json:"aliases"`
	Mentions []extractMention `json:"mentions"`
}

// extractPlace is a place of the document.
type extractPlace struct {
	Name     string           `json:"name"`
	Kind     string           `json:"kind"`
	Mentions []extractMention `json:"mentions"`
}

// extractDateText is a date written in the text, normalised.
type extractDateText struct {
	extractMention
	Value     string          `json:"value"`
	Precision graph.Precision `json:"precision"`
	// Event is true for a date that says when something happened ("On
	// March 21"), false for one that names a period ("the 2020
	// declaration").
	Event bool `json:"event"`
}

// mentionsOf converts byte spans of x's text to code-point mentions.
func mentionsOf(x *extract.Doc, cp *loaders.CodePoints, spans []extract.Span) []extractMention {
	out := make([]extractMention, 0, len(spans))
	for _, s := range spans {
		c := cp.Span(s)
		out = append(out, extractMention{Start: c.Start, End: c.End, Text: x.Src[s.Start:s.End]})
	}
	return out
}

// entitiesOf lists the actors, places and dates extraction found in x.
func entitiesOf(x *extract.Doc, cp *loaders.CodePoints) ([]extractActor, []extractPlace, []extractDateText) {
	actors := make([]extractActor, 0, len(x.Actors))
	for _, a := range x.Actors {
		actors = append(actors, extractActor{
			Name: a.Name, Kind: loaders.ActorKind(a.Kind), Aliases: a.Aliases, Mentions: mentionsOf(x, cp, a.Mentions),
		})
	}
	places := []extractPlace{}
	byName := make(map[string]int)
	for _, p := range x.Places {
		key := strings.ToLower(p.Name)
		i, ok := byName[key]
		if !ok {
			i = len(places)
			byName[key] = i
			places = append(places, extractPlace{Name: p.Name, Kind: p.Kind})
		}
		places[i].Mentions = append(places[i].Mentions, mentionsOf(x, cp, []extract.Span{p.Span})...)
	}
	dates := make([]extractDateText, 0, len(x.Dates))
	for _, d := range x.Dates {
		dates = append(dates, extractDateText{
			extractMention: mentionsOf(x, cp, []extract.Span{d.Span})[0],
			Value:          d.Value, Precision: graph.Precision(d.Precision), Event: d.Event,
		})
	}
	return actors, places, dates
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
				dg, x, err := in.Graph(cmd.Context(), d)
				if err != nil {
					return err
				}
				actors, places, dates := entitiesOf(x, loaders.NewCodePoints(d.Text))
				out := extractDoc{
					Document: extractMeta{
						ID: d.ID(), Path: d.Source, Format: d.Format,
						Title: optional(d.Title), Published: d.Published, URL: optional(loaders.CanonicalURL(d.URL)),
						Publisher: optional(d.Publisher), Authors: d.Authors,
						Chars: utf8.RuneCountInString(d.Text), Metadata: codePointRanges(d.Text, d.Boilerplate),
					},
					Statements: statementsOf(dg), Actors: actors, Places: places, Dates: dates,
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
