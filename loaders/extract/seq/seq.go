// Package seq is a linear-chain sequence labeller: hashed sparse features,
// first-order label transitions, Viterbi decoding under label constraints,
// and training by the averaged structured perceptron (Collins 2002).
//
// Features are 32-bit hashes built with [Hasher]; a model keeps one weight
// per (hashed feature, label) in a table of 2^Bits rows, so its size is fixed
// whatever the number of distinct features, and decoding allocates nothing
// once its buffers have grown.
package seq

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// Model is a trained labeller.
type Model struct {
	Labels []string
	Bits   uint
	// W holds emission weights: row h (a feature hash masked to Bits) has
	// one weight per label.
	W []float32
	// T holds transition weights: T[(prev+1)*L+cur], prev -1 being the
	// start.
	T []float32
	// Bias is added to each label's score at every position when decoding
	// (nil for none): it trades precision for recall of a label.
	Bias []float32
}

// New returns an empty model.
func New(labels []string, bits uint) *Model {
	L := len(labels)
	return &Model{Labels: labels, Bits: bits, W: make([]float32, (1<<bits)*L), T: make([]float32, (L+1)*L)}
}

func (m *Model) mask() uint32 { return 1<<m.Bits - 1 }

// Allowed says whether label cur may follow label prev (-1: the start).
type Allowed func(prev, cur int) bool

// Decoder holds reusable buffers for decoding; it is not safe for
// concurrent use, but many decoders may share a model.
type Decoder struct {
	score []float32
	back  []int32
	emit  []float32
	out   []int
}

// Decode returns the best label sequence for the positions whose features
// are feats, under the constraints allowed (nil allows everything). The
// returned slice is reused by the next call.
func (m *Model) Decode(d *Decoder, feats [][]uint32, allowed Allowed) []int {
	n, L := len(feats), len(m.Labels)
	if n == 0 {
		return d.out[:0]
	}
	d.score = grow(d.score, n*L)
	d.emit = grow(d.emit, n*L)
	if cap(d.back) < n*L {
		d.back = make([]int32, n*L)
	}
	d.back = d.back[:n*L]
	mask := m.mask()
	for i, fs := range feats {
		e := d.emit[i*L : (i+1)*L]
		for k := range e {
			e[k] = 0
		}
		for _, h := range fs {
			row := m.W[int(h&mask)*L : int(h&mask)*L+L]
			for k := range e {
				e[k] += row[k]
			}
		}
		for k, b := range m.Bias {
			e[k] += b
		}
	}
	inf := float32(math.Inf(-1))
	for k := 0; k < L; k++ {
		if allowed != nil && !allowed(-1, k) {
			d.score[k] = inf
		} else {
			d.score[k] = d.emit[k] + m.T[k]
		}
		d.back[k] = -1
	}
	for i := 1; i < n; i++ {
		for k := 0; k < L; k++ {
			best, arg := inf, int32(-1)
			for p := 0; p < L; p++ {
				ps := d.score[(i-1)*L+p]
				if ps == inf || (allowed != nil && !allowed(p, k)) {
					continue
				}
				if s := ps + m.T[(p+1)*L+k]; s > best {
					best, arg = s, int32(p)
				}
			}
			if arg >= 0 {
				best += d.emit[i*L+k]
			}
			d.score[i*L+k], d.back[i*L+k] = best, arg
		}
	}
	best, arg := inf, 0
	for k := 0; k < L; k++ {
		if s := d.score[(n-1)*L+k]; s > best {
			best, arg = s, k
		}
	}
	if cap(d.out) < n {
		d.out = make([]int, n)
	}
	d.out = d.out[:n]
	for i := n - 1; i >= 0; i-- {
		d.out[i] = arg
		if i > 0 {
			arg = int(d.back[i*L+arg])
			if arg < 0 {
				arg = 0
			}
		}
	}
	return d.out
}

// Margin returns, for position i of the last sequence decoded with d, how
// much the score of label k exceeds that of the best other label.
func (m *Model) Margin(d *Decoder, i, k int) float32 {
	L := len(m.Labels)
	e := d.emit[i*L : (i+1)*L]
	best := float32(math.Inf(-1))
	for j, v := range e {
		if j != k && v > best {
			best = v
		}
	}
	return e[k] - best
}

func grow(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n)
	}
	return b[:n]
}

// Trainer trains a model with the averaged perceptron.
type Trainer struct {
	M *Model
	// Totals for averaging: each weight's sum of updates weighted by the
	// step at which they were made.
	wu, tu []float32
	step   float32
	dec    Decoder
}

// NewTrainer returns a trainer for an empty model.
func NewTrainer(labels []string, bits uint) *Trainer {
	m := New(labels, bits)
	return &Trainer{M: m, wu: make([]float32, len(m.W)), tu: make([]float32, len(m.T))}
}

// Learn decodes one sequence and updates the weights towards gold where the
// prediction differs. It returns the number of positions predicted wrong.
func (t *Trainer) Learn(feats [][]uint32, gold []int, allowed Allowed) int {
	t.step++
	pred := t.M.Decode(&t.dec, feats, allowed)
	m, L, mask := t.M, len(t.M.Labels), t.M.mask()
	wrong := 0
	for i := range feats {
		if pred[i] != gold[i] {
			wrong++
			for _, h := range feats[i] {
				r := int(h&mask) * L
				m.W[r+gold[i]]++
				t.wu[r+gold[i]] += t.step
				m.W[r+pred[i]]--
				t.wu[r+pred[i]] -= t.step
			}
		}
		gp, pp := -1, -1
		if i > 0 {
			gp, pp = gold[i-1], pred[i-1]
		}
		if gp != pp || gold[i] != pred[i] {
			g, p := (gp+1)*L+gold[i], (pp+1)*L+pred[i]
			m.T[g]++
			t.tu[g] += t.step
			m.T[p]--
			t.tu[p] -= t.step
		}
	}
	return wrong
}

// Averaged returns the model with averaged weights, which generalise better
// than the last ones.
func (t *Trainer) Averaged() *Model {
	m := New(t.M.Labels, t.M.Bits)
	c := t.step + 1
	for i, w := range t.M.W {
		m.W[i] = w - t.wu[i]/c
	}
	for i, w := range t.M.T {
		m.T[i] = w - t.tu[i]/c
	}
	return m
}

// Hasher builds feature hashes: a template name and its values.
type Hasher struct{ h uint32 }

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// Start begins a feature of the given template.
func (h *Hasher) Start(template string) *Hasher {
	h.h = fnvOffset
	return h.Add(template)
}

// Add mixes a value into the feature.
func (h *Hasher) Add(s string) *Hasher {
	x := h.h
	for i := 0; i < len(s); i++ {
		x ^= uint32(s[i])
		x *= fnvPrime
	}
	x ^= 0xff
	x *= fnvPrime
	h.h = x
	return h
}

// AddInt mixes a small integer into the feature.
func (h *Hasher) AddInt(v int) *Hasher {
	x := h.h
	for i := 0; i < 4; i++ {
		x ^= uint32(byte(v >> (8 * i)))
		x *= fnvPrime
	}
	h.h = x
	return h
}

// Sum returns the feature's hash.
func (h *Hasher) Sum() uint32 { return h.h }

// Write stores the model compactly: weights quantised to 16 bits with one
// scale, and only the rows that hold a non-zero weight.
func (m *Model) Write(w io.Writer) error {
	L := len(m.Labels)
	var scale float32
	for _, v := range m.W {
		scale = max(scale, float32(math.Abs(float64(v))))
	}
	for _, v := range m.T {
		scale = max(scale, float32(math.Abs(float64(v))))
	}
	if scale == 0 {
		scale = 1
	}
	q := func(v float32) int16 { return int16(math.Round(float64(v / scale * 32767))) }
	bw := &errWriter{w: w}
	bw.u32(0x53455132) // "SEQ2"
	bw.u32(uint32(L))
	for _, l := range m.Labels {
		bw.u32(uint32(len(l)))
		bw.bytes([]byte(l))
	}
	bw.u32(uint32(m.Bits))
	bw.f32(scale)
	for _, v := range m.T {
		bw.i16(q(v))
	}
	for k := 0; k < L; k++ {
		var b float32
		if k < len(m.Bias) {
			b = m.Bias[k]
		}
		bw.f32(b)
	}
	rows := 0
	for r := 0; r < 1<<m.Bits; r++ {
		for k := 0; k < L; k++ {
			if q(m.W[r*L+k]) != 0 {
				rows++
				break
			}
		}
	}
	bw.u32(uint32(rows))
	prev := 0
	for r := 0; r < 1<<m.Bits; r++ {
		nz := false
		for k := 0; k < L; k++ {
			if q(m.W[r*L+k]) != 0 {
				nz = true
			}
		}
		if !nz {
			continue
		}
		bw.uvarint(uint64(r - prev))
		prev = r
		for k := 0; k < L; k++ {
			bw.i16(q(m.W[r*L+k]))
		}
	}
	return bw.err
}

// Read loads a model written by [Model.Write].
func Read(r io.Reader) (*Model, error) {
	br := &errReader{r: r}
	version := br.u32()
	if version != 0x53455131 && version != 0x53455132 {
		return nil, errors.New("seq: not a model file")
	}
	L := int(br.u32())
	if br.err != nil || L <= 0 || L > 64 {
		return nil, fmt.Errorf("seq: bad label count %d: %v", L, br.err)
	}
	labels := make([]string, L)
	for i := range labels {
		n := int(br.u32())
		if n > 256 {
			return nil, errors.New("seq: bad label")
		}
		labels[i] = string(br.bytes(n))
	}
	bits := uint(br.u32())
	if br.err != nil || bits < 4 || bits > 26 {
		return nil, fmt.Errorf("seq: bad table size 2^%d: %v", bits, br.err)
	}
	m := New(labels, bits)
	scale := br.f32() / 32767
	for i := range m.T {
		m.T[i] = float32(br.i16()) * scale
	}
	if version == 0x53455132 {
		m.Bias = make([]float32, L)
		for k := range m.Bias {
			m.Bias[k] = br.f32()
		}
	}
	rows := int(br.u32())
	row := 0
	for n := 0; n < rows && br.err == nil; n++ {
		row += int(br.uvarint())
		if row >= 1<<bits {
			return nil, errors.New("seq: row out of range")
		}
		for k := 0; k < L; k++ {
			m.W[row*L+k] = float32(br.i16()) * scale
		}
	}
	if br.err != nil {
		return nil, fmt.Errorf("seq: read model: %w", br.err)
	}
	return m, nil
}

type errWriter struct {
	w   io.Writer
	err error
	buf [binary.MaxVarintLen64]byte
}

func (w *errWriter) bytes(b []byte) {
	if w.err == nil {
		_, w.err = w.w.Write(b)
	}
}
func (w *errWriter) u32(v uint32)  { binary.LittleEndian.PutUint32(w.buf[:4], v); w.bytes(w.buf[:4]) }
func (w *errWriter) f32(v float32) { w.u32(math.Float32bits(v)) }
func (w *errWriter) i16(v int16) {
	binary.LittleEndian.PutUint16(w.buf[:2], uint16(v))
	w.bytes(w.buf[:2])
}
func (w *errWriter) uvarint(v uint64) { n := binary.PutUvarint(w.buf[:], v); w.bytes(w.buf[:n]) }

type errReader struct {
	r   io.Reader
	err error
	buf [8]byte
}

func (r *errReader) bytes(n int) []byte {
	b := make([]byte, n)
	if r.err == nil {
		_, r.err = io.ReadFull(r.r, b)
	}
	return b
}
func (r *errReader) u32() uint32 {
	if r.err != nil {
		return 0
	}
	_, r.err = io.ReadFull(r.r, r.buf[:4])
	return binary.LittleEndian.Uint32(r.buf[:4])
}
func (r *errReader) f32() float32 { return math.Float32frombits(r.u32()) }
func (r *errReader) i16() int16 {
	if r.err != nil {
		return 0
	}
	_, r.err = io.ReadFull(r.r, r.buf[:2])
	return int16(binary.LittleEndian.Uint16(r.buf[:2]))
}
func (r *errReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	var v uint64
	var s uint
	for i := 0; i < binary.MaxVarintLen64; i++ {
		_, r.err = io.ReadFull(r.r, r.buf[:1])
		if r.err != nil {
			return 0
		}
		b := r.buf[0]
		v |= uint64(b&0x7f) << s
		if b < 0x80 {
			return v
		}
		s += 7
	}
	r.err = errors.New("varint overflow")
	return 0
}
