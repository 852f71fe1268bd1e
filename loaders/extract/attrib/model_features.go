package attrib

import (
	"github.com/provgraph/provgraph/loaders/extract"
	"github.com/provgraph/provgraph/loaders/extract/seq"
)

// mix combines a feature hash with a small integer into a new feature.
func mix(h uint32, v int) uint32 {
	x := h ^ (uint32(v)+0x9e3779b9)*0x85ebca6b
	x ^= x >> 15
	x *= 0xc2b2ae35
	x ^= x >> 13
	return x
}

// reset prepares n feature lists backed by one flat buffer.
func (w *worker) reset(n int) {
	if cap(w.feats) < n {
		w.feats = make([][]uint32, n)
	}
	w.feats = w.feats[:n]
	w.flat = w.flat[:0]
}

// cueFeatures returns the features of the tokens [first, last) of a
// sentence for the cue model.
func (w *worker) cueFeatures(a *analysis, first, last int) [][]uint32 {
	w.reset(last - first)
	t := a.t
	// Distances to the nearest quotation marks in the sentence.
	var h seq.Hasher
	lastQuote := -1
	nextQuote := make([]int, last-first)
	nq := -1
	for i := last - 1; i >= first; i-- {
		k := t.Tokens[i].Kind
		if k == extract.OpenQuote || k == extract.CloseQuote {
			nq = i
		}
		nextQuote[i-first] = nq
	}
	hasQuote := nq >= 0 || lastQuote >= 0
	for i := first; i < last; i++ {
		start := len(w.flat)
		w.flat = append(w.flat, a.toks[i].static...)
		k := t.Tokens[i].Kind
		if k == extract.OpenQuote || k == extract.CloseQuote {
			lastQuote = i
		}
		dl, dr := -1, -1
		if lastQuote >= 0 && lastQuote != i {
			dl = bucket(i - lastQuote)
		}
		if n := nextQuote[i-first]; n >= 0 && n != i {
			dr = bucket(n - i)
		}
		prevKind, nextKind := -1, -1
		if i > first {
			prevKind = int(t.Tokens[i-1].Kind)
		}
		if i+1 < last {
			nextKind = int(t.Tokens[i+1].Kind)
		}
		w.flat = append(w.flat,
			h.Start("qL").AddInt(dl).Sum(),
			h.Start("qR").AddInt(dr).Sum(),
			h.Start("qLR").AddInt(dl).AddInt(dr).Sum(),
			h.Start("hasq").Add(yn(hasQuote)).Add(a.toks[i].stem).Sum(),
			h.Start("kinds").AddInt(prevKind).AddInt(int(k)).AddInt(nextKind).Sum(),
			h.Start("stem-qR").Add(a.toks[i].stem).AddInt(dr).Sum(),
			h.Start("stem-qL").Add(a.toks[i].stem).AddInt(dl).Sum(),
			h.Start("stem-next").Add(a.toks[i].stem).Add(a.word(i+1)).Sum(),
			h.Start("prev-stem").Add(a.word(i-1)).Add(a.toks[i].stem).Sum(),
		)
		w.feats[i-first] = w.flat[start:len(w.flat):len(w.flat)]
	}
	return w.feats
}

func growInts(b []int, n int) []int {
	if cap(b) < n {
		return make([]int, n)
	}
	b = b[:n]
	b[0] = 0
	return b
}

// bucket maps a positive distance to a coarse scale.
func bucket(d int) int {
	switch {
	case d <= 3:
		return d
	case d <= 5:
		return 4
	case d <= 10:
		return 5
	case d <= 20:
		return 6
	case d <= 40:
		return 7
	case d <= 80:
		return 8
	}
	return 9
}

// roleFeatures returns the features of the tokens [lo, hi) for the role
// model, relative to the cue [c0, c1).
func (w *worker) roleFeatures(a *analysis, lo, hi, c0, c1 int) [][]uint32 {
	w.reset(hi - lo)
	t := a.t
	var h seq.Hasher
	cueStem := a.toks[c0].stem
	if c1-c0 > 1 {
		cueStem += " " + a.toks[c1-1].stem
	}
	cueSent := a.toks[c0].sent
	cueQuoted := t.Tokens[c0].Quoted
	// Where the cue stands in its sentence: at its end ("..., the expert
	// said."), at its start, or inside.
	cueAt := 1
	switch {
	case a.sentLast[cueSent]-c1 <= 1:
		cueAt = 2
	case c0-a.sentFirst[cueSent] <= 3:
		cueAt = 0
	}
	cueHash := h.Start("cue").Add(cueStem).Sum()
	// Prefix counts of quotation marks and commas, for the counts between
	// each token and the cue.
	n := hi - lo
	w.qp = growInts(w.qp, n+1)
	w.cp = growInts(w.cp, n+1)
	for i := lo; i < hi; i++ {
		k := t.Tokens[i].Kind
		q, c := 0, 0
		if k == extract.OpenQuote || k == extract.CloseQuote {
			q = 1
		} else if t.Word(i) == "," {
			c = 1
		}
		w.qp[i-lo+1] = w.qp[i-lo] + q
		w.cp[i-lo+1] = w.cp[i-lo] + c
	}
	for i := lo; i < hi; i++ {
		var dir, dist int
		switch {
		case i < c0:
			dir, dist = -1, c0-i
		case i >= c1:
			dir, dist = 1, i-c1+1
		}
		a0, a1 := i+1, c0
		if dir > 0 {
			a0, a1 = c1, i
		}
		quotesBetween, commasBetween := 0, 0
		if a1 > a0 {
			quotesBetween = w.qp[a1-lo] - w.qp[a0-lo]
			commasBetween = w.cp[a1-lo] - w.cp[a0-lo]
		}
		if quotesBetween > 2 {
			quotesBetween = 2
		}
		if commasBetween > 2 {
			commasBetween = 2
		}
		sentRel := a.toks[i].sent - cueSent
		if sentRel < -3 {
			sentRel = -3
		}
		if sentRel > 3 {
			sentRel = 3
		}
		pos := dir * bucket(dist)
		tk := t.Tokens[i]
		start := len(w.flat)
		for _, s := range a.toks[i].static {
			w.flat = append(w.flat, mix(s, dir))
		}
		qrel := 0
		if tk.Quoted == cueQuoted {
			qrel = 1
		}
		w.flat = append(w.flat,
			mix(cueHash, pos),
			mix(mix(cueHash, dir), sentRel),
			mix(mix(cueHash, dir), quotesBetween),
			h.Start("pos").AddInt(pos).Sum(),
			h.Start("sentrel").AddInt(sentRel).AddInt(dir).Sum(),
			h.Start("qb").AddInt(quotesBetween).AddInt(dir).Add(yn(tk.Quoted)).Sum(),
			h.Start("cb").AddInt(commasBetween).AddInt(dir).AddInt(sentRel).Sum(),
			h.Start("pos-kind").AddInt(pos).AddInt(int(tk.Kind)).Sum(),
			h.Start("pos-shape").AddInt(pos).Add(a.toks[i].shape).Sum(),
			h.Start("pos-w").AddInt(pos).Add(a.toks[i].lower).Sum(),
			h.Start("qrel").AddInt(qrel).AddInt(dir).AddInt(sentRel).Sum(),
			h.Start("sentpos-dir").AddInt(a.sentPos(i)).AddInt(dir).AddInt(sentRel).Sum(),
			h.Start("cue-w").Add(cueStem).Add(a.toks[i].lower).AddInt(dir).Sum(),
			h.Start("cueat-sentpos").AddInt(cueAt).AddInt(a.sentPos(i)).AddInt(sentRel).AddInt(dir).Sum(),
			h.Start("cueat-pos").AddInt(cueAt).AddInt(pos).Sum(),
		)
		w.feats[i-lo] = w.flat[start:len(w.flat):len(w.flat)]
	}
	return w.feats
}
