// Command provtrain trains the attribution model that graphd ships with, from
// the PolNeAR corpus, and reports its quality on PolNeAR's dev split:
//
//	go run ./cmd/provtrain -polnear ../shared/polnear
//
// It writes the weights to loaders/extract/attrib/model/, where graphd
// embeds them. Training is deterministic: the same corpus, options and seed
// give the same weights. Only the train split is learned from; dev is only
// scored.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/provgraph/provgraph/loaders/extract"
	"github.com/provgraph/provgraph/loaders/extract/attrib"
	"github.com/provgraph/provgraph/loaders/extract/polnear"
)

func main() {
	var (
		dir    = flag.String("polnear", "../shared/polnear", "PolNeAR folder holding train/ and dev/")
		out    = flag.String("out", "loaders/extract/attrib/model", "folder to write the weights to")
		epochs = flag.Int("epochs", 20, "passes over the training data")
		cueEp  = flag.Int("cue-epochs", 12, "passes of the cue stage (at most -epochs)")
		cueB   = flag.Float64("cue-bias", 15, "added to the score of a cue's first token: more cues found, fewer right")
		bits   = flag.Uint("bits", 18, "weight tables of 2^bits rows")
		seed   = flag.Uint64("seed", 1, "seed of the order of training examples")
		hold   = flag.Bool("holdout", false, "tune instead: train on nine tenths of train, score on the other tenth, write no weights")
		pred   = flag.String("predictions", "", "write the scored predictions to this file, as JSON Lines")
	)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: provtrain [flags]\n\nTrains the attribution model from PolNeAR train and scores it on dev.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	predFile = *pred
	cueEpochs, cueBias = *cueEp, float32(*cueB)
	if err := run(*dir, *out, *epochs, *bits, *seed, *hold); err != nil {
		fmt.Fprintln(os.Stderr, "provtrain:", err)
		os.Exit(1)
	}
}

func examples(docs []polnear.Document) []attrib.Example {
	out := make([]attrib.Example, 0, len(docs))
	for _, d := range docs {
		ex := attrib.Example{Text: extract.NewText(d.Text, nil)}
		for _, a := range d.Attributions {
			ex.Attrs = append(ex.Attrs, attrib.Attribution{Source: spans(a.Source), Cue: spans(a.Cue), Content: spans(a.Content)})
		}
		out = append(out, ex)
	}
	return out
}

func spans(in []polnear.Span) []extract.Span {
	out := make([]extract.Span, len(in))
	for i, s := range in {
		out[i] = extract.Span(s)
	}
	return out
}

func run(dir, out string, epochs int, bits uint, seed uint64, holdout bool) error {
	start := time.Now()
	train, err := polnear.Load(filepath.Join(dir, "train"))
	if err != nil {
		return err
	}
	dev, err := polnear.Load(filepath.Join(dir, "dev"))
	if err != nil {
		return err
	}
	if holdout {
		// Every tenth training text is held out: choices made on it do not
		// look at dev, which stays for reporting.
		var tr []polnear.Document
		dev = dev[:0]
		for i, d := range train {
			if i%10 == 3 {
				dev = append(dev, d)
			} else {
				tr = append(tr, d)
			}
		}
		train = tr
	}
	m := attrib.Train(examples(train), attrib.TrainOptions{
		Epochs: epochs, CueEpochs: cueEpochs, CueBias: cueBias, Bits: bits, Seed: seed,
		Log: func(s string) { fmt.Fprintf(os.Stderr, "%s (%s)\n", s, time.Since(start).Round(time.Second)) },
	})
	if holdout {
		fmt.Println("held-out tenth of train:")
		if err := Evaluate(m, dev).WriteText(os.Stdout); err != nil {
			return err
		}
		fmt.Println("held-out tenth of train, roles given the gold cues:")
		return evaluateGivenCues(m, dev).WriteText(os.Stdout)
	}
	cue, role, err := m.Weights()
	if err != nil {
		return err
	}
	for name, b := range map[string][]byte{"cue.seq.gz": cue, "role.seq.gz": role} {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		if err := zw.Close(); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, name), buf.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "wrote %s (%d KB)\n", filepath.Join(out, name), buf.Len()>>10)
	}
	res := Evaluate(m, dev)
	fmt.Println("PolNeAR dev:")
	return res.WriteText(os.Stdout)
}

// cueEpochs and cueBias are the -cue-epochs and -cue-bias flags.
var (
	cueEpochs int
	cueBias   float32
)

// predFile, when set, receives the predictions Evaluate scores.
var predFile string

// Evaluate scores a model on annotated documents.
func Evaluate(m *attrib.Model, docs []polnear.Document) polnear.Result {
	pred := make(map[string][]polnear.Prediction, len(docs))
	ctx := context.Background()
	for _, d := range docs {
		x := &extract.Doc{Text: extract.NewText(d.Text, nil)}
		m.Extract(ctx, x)
		off := polnear.NewOffsets(d.Text)
		for _, a := range x.Attributions {
			pred[d.Name] = append(pred[d.Name], polnear.Prediction{
				Source: cps(off, a.Source), Cue: cps(off, a.Cue), Content: cps(off, a.Content),
			})
		}
	}
	if predFile != "" {
		if f, err := os.Create(predFile); err == nil {
			polnear.WritePredictions(f, pred)
			f.Close()
		}
	}
	return polnear.Score(docs, pred)
}

// evaluateGivenCues scores the role stage alone: sources and contents
// labelled for the gold cues.
func evaluateGivenCues(m *attrib.Model, docs []polnear.Document) polnear.Result {
	pred := make(map[string][]polnear.Prediction, len(docs))
	for _, d := range docs {
		t := extract.NewText(d.Text, nil)
		off := polnear.NewOffsets(d.Text)
		for _, g := range d.Attributions {
			if len(g.Cue) == 0 {
				continue
			}
			if a, ok := m.ForCue(t, extract.Span(g.Cue[0])); ok {
				pred[d.Name] = append(pred[d.Name], polnear.Prediction{
					Source: cps(off, a.Source), Cue: cps(off, spans(g.Cue)), Content: cps(off, a.Content),
				})
			}
		}
	}
	return polnear.Score(docs, pred)
}

func cps(off *polnear.Offsets, in []extract.Span) []polnear.CPSpan {
	out := make([]polnear.CPSpan, len(in))
	for i, s := range in {
		out[i] = off.ToCP(polnear.Span(s))
	}
	return out
}
