package provenance

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strings"
)

// The analysis of a statement's content — its propositions with their
// term IDs, polarity, denial cues, subject and evaluation — is written
// with the statement's index entries ([graph.IndexEntry.Analysis]), so
// that a stored statement that comes back as a candidate of a later
// document is read, not analysed again. The encoding is compact and
// versioned; one the linker cannot read is analysed afresh.
//
//	version                 byte (analysisVersion)
//	propositions            uvarint
//	each proposition:
//	  text                  uvarint start+1 and uvarint length of a
//	                        substring of the content, or 0 and the
//	                        uvarint-prefixed text
//	  term IDs              uvarint count, then 8 bytes each, sorted
//	  flags                 byte: 1 negated, 2 denial
//	  valence               varint
//	  subject               uvarint-prefixed string
//	  denied                uvarint count of lists, each a uvarint count
//	                        of uvarint-prefixed keys
//
// A proposition's weight, information and counts of words and numbers
// follow from its term IDs, whose low bits give each term's kind and
// rarity class.

const analysisVersion = 2 // 2: term IDs carry their rarity class

var errAnalysis = errors.New("provenance: malformed analysis")

// encodeAnalysis encodes the analysis of content.
func encodeAnalysis(content string, a *analysis) []byte {
	n := 1 + 32*len(a.props)
	for _, p := range a.props {
		n += len(p.text) + 8*len(p.f.ids)
	}
	b := make([]byte, 0, n)
	b = append(b, analysisVersion)
	b = binary.AppendUvarint(b, uint64(len(a.props)))
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, p := range a.props {
		if i := strings.Index(content, p.text); i >= 0 {
			b = binary.AppendUvarint(b, uint64(i)+1)
			b = binary.AppendUvarint(b, uint64(len(p.text)))
		} else {
			b = append(b, 0)
			str(p.text)
		}
		b = binary.AppendUvarint(b, uint64(len(p.f.ids)))
		for _, id := range p.f.ids {
			b = binary.LittleEndian.AppendUint64(b, uint64(id))
		}
		var flags byte
		if p.f.neg {
			flags |= 1
		}
		if p.f.denial {
			flags |= 2
		}
		b = append(b, flags)
		b = binary.AppendVarint(b, int64(p.f.valence))
		str(p.f.subject)
		b = binary.AppendUvarint(b, uint64(len(p.f.denied)))
		for _, d := range p.f.denied {
			b = binary.AppendUvarint(b, uint64(len(d)))
			for _, k := range d {
				str(k)
			}
		}
	}
	return b
}

// decodeAnalysis decodes an analysis of content that [encodeAnalysis]
// wrote. The propositions come without their terms' keys, as
// [analysis.trim] leaves them.
func decodeAnalysis(content string, b []byte) (*analysis, error) {
	if len(b) == 0 || b[0] != analysisVersion {
		return nil, errAnalysis
	}
	b = b[1:]
	bad := false
	uv := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			bad = true
			return 0
		}
		b = b[n:]
		return v
	}
	str := func() string {
		n := uv()
		if bad || n > uint64(len(b)) {
			bad = true
			return ""
		}
		s := string(b[:n])
		b = b[n:]
		return s
	}
	n := uv()
	if bad || n > uint64(len(b)) {
		return nil, errAnalysis
	}
	a := &analysis{props: make([]prop, n)}
	total := 0
	for i := range a.props {
		p := &a.props[i]
		if at := uv(); at > 0 {
			l := uv()
			if bad || at-1 > uint64(len(content)) || l > uint64(len(content))-(at-1) {
				return nil, errAnalysis
			}
			p.text = content[at-1 : at-1+l]
		} else {
			p.text = str()
		}
		k := uv()
		if bad || k > uint64(len(b))/8 {
			return nil, errAnalysis
		}
		p.f.ids = make([]termID, k)
		for j := range p.f.ids {
			id := termID(binary.LittleEndian.Uint64(b))
			b = b[8:]
			p.f.ids[j] = id
			p.f.count(id)
		}
		total += len(p.f.ids)
		if len(b) == 0 {
			return nil, errAnalysis
		}
		flags := b[0]
		b = b[1:]
		p.f.neg, p.f.denial = flags&1 != 0, flags&2 != 0
		v, m := binary.Varint(b)
		if m <= 0 || v < math.MinInt32 || v > math.MaxInt32 {
			return nil, errAnalysis
		}
		b = b[m:]
		p.f.valence = int(v)
		p.f.subject = str()
		nd := uv()
		if bad || nd > uint64(len(b)) {
			return nil, errAnalysis
		}
		if nd > 0 {
			p.f.denied = make([][]string, nd)
			for j := range p.f.denied {
				nk := uv()
				if bad || nk > uint64(len(b)) {
					return nil, errAnalysis
				}
				var d []string
				for range nk {
					d = append(d, str())
				}
				p.f.denied[j] = d
			}
		}
		if bad {
			return nil, errAnalysis
		}
	}
	if len(b) != 0 {
		return nil, errAnalysis
	}
	a.terms = make([]termID, 0, total)
	for _, p := range a.props {
		a.terms = append(a.terms, p.f.ids...)
	}
	slices.Sort(a.terms)
	a.terms = slices.Clip(slices.Compact(a.terms))
	return a, nil
}
