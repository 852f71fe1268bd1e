package attrib

import (
	"fmt"
	"math/rand/v2"

	"github.com/provgraph/provgraph/loaders/extract"
	"github.com/provgraph/provgraph/loaders/extract/seq"
)

// Example is an annotated text for training.
type Example struct {
	Text  *extract.Text
	Attrs []Attribution
}

// TrainOptions configures [Train].
type TrainOptions struct {
	// Epochs is the number of passes over the examples; zero means 20.
	// CueEpochs, when set, stops the cue stage's training earlier.
	Epochs, CueEpochs int
	// Bits sets the weight tables' size (2^Bits rows); zero means 20.
	Bits uint
	// Seed orders the examples in each pass.
	Seed uint64
	// CueBias is added to the score of a cue's first token when decoding:
	// above zero it finds more cues, at some cost in precision.
	CueBias float32
	// Log receives a line per pass; nil discards them.
	Log func(string)
}

// Train learns a model from annotated texts. It is deterministic for a
// given seed.
func Train(examples []Example, opt TrainOptions) *Model {
	if opt.Epochs <= 0 {
		opt.Epochs = 20
	}
	if opt.CueEpochs <= 0 || opt.CueEpochs > opt.Epochs {
		opt.CueEpochs = opt.Epochs
	}
	if opt.Bits == 0 {
		opt.Bits = 20
	}
	logf := func(format string, a ...any) {
		if opt.Log != nil {
			opt.Log(fmt.Sprintf(format, a...))
		}
	}
	type cueItem struct {
		a           *analysis
		first, last int
		gold        []int
	}
	type roleItem struct {
		a          *analysis
		si, c0, c1 int
		lo, hi     int
		gold       []int
	}
	var cues []cueItem
	var roles []roleItem
	for _, ex := range examples {
		a := analyse(ex.Text)
		toks := ex.Text.Tokens
		cueLab := make([]int, len(toks))
		for _, at := range ex.Attrs {
			for _, sp := range at.Cue {
				first := true
				for i, tk := range toks {
					if tk.Start >= sp.Start && tk.End <= sp.End {
						if first {
							cueLab[i] = cueB
							first = false
						} else {
							cueLab[i] = cueI
						}
					}
				}
			}
		}
		for _, s := range ex.Text.Sentences {
			cues = append(cues, cueItem{a: a, first: s.First, last: s.Last, gold: cueLab[s.First:s.Last]})
		}
		for _, at := range ex.Attrs {
			if len(at.Cue) == 0 {
				continue
			}
			c0, c1 := -1, -1
			for i, tk := range toks {
				if tk.Start >= at.Cue[0].Start && tk.End <= at.Cue[0].End {
					if c0 < 0 {
						c0 = i
					}
					c1 = i + 1
				}
			}
			if c0 < 0 {
				continue
			}
			si := a.toks[c0].sent
			lo, hi := window(a, si)
			gold := make([]int, hi-lo)
			mark := func(spans []extract.Span, b, in int) {
				for _, sp := range spans {
					prev := false
					for i := lo; i < hi; i++ {
						tk := toks[i]
						inside := tk.Start < sp.End && tk.End > sp.Start
						if inside && gold[i-lo] == roleO {
							if prev {
								gold[i-lo] = in
							} else {
								gold[i-lo] = b
							}
						}
						prev = inside
					}
				}
			}
			for i := c0; i < c1; i++ {
				gold[i-lo] = roleV
			}
			mark(at.Source, roleSB, roleSI)
			mark(at.Content, roleCB, roleCI)
			roles = append(roles, roleItem{a: a, si: si, c0: c0, c1: c1, lo: lo, hi: hi, gold: gold})
		}
	}
	logf("training on %d sentences and %d cued attributions", len(cues), len(roles))

	rng := rand.New(rand.NewPCG(opt.Seed, 7))
	cueT := seq.NewTrainer(cueLabels, opt.Bits)
	roleT := seq.NewTrainer(roleLabels, opt.Bits)
	var w worker
	for epoch := 1; epoch <= opt.Epochs; epoch++ {
		rng.Shuffle(len(cues), func(i, j int) { cues[i], cues[j] = cues[j], cues[i] })
		rng.Shuffle(len(roles), func(i, j int) { roles[i], roles[j] = roles[j], roles[i] })
		cueWrong, cueN, roleWrong, roleN := 0, 0, 0, 0
		for _, c := range cues {
			if epoch > opt.CueEpochs {
				break
			}
			feats := w.cueFeatures(c.a, c.first, c.last)
			cueWrong += cueT.Learn(feats, c.gold, cueAllowed)
			cueN += len(c.gold)
		}
		for _, r := range roles {
			feats := w.roleFeatures(r.a, r.lo, r.hi, r.c0, r.c1)
			roleWrong += roleT.Learn(feats, r.gold, roleAllowed)
			roleN += len(r.gold)
		}
		logf("epoch %d: cue token errors %.4f, role token errors %.4f", epoch, float64(cueWrong)/float64(max(cueN, 1)), float64(roleWrong)/float64(roleN))
	}
	cue := cueT.Averaged()
	if opt.CueBias != 0 {
		cue.Bias = []float32{0, opt.CueBias, 0}
	}
	return newModel(cue, roleT.Averaged())
}
