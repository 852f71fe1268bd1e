package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Base is the namespace of the IRIs of nodes.
const Base = "https://provgraph.org/id/"

func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:10])
}

// DocumentID derives a document's ID from its canonical URL when it has one,
// else from its text, so that the same article reached twice is one
// document.
func DocumentID(canonicalURL, text string) ID {
	if canonicalURL != "" {
		return ID(Base + "doc/" + digest("url", canonicalURL))
	}
	return ID(Base + "doc/" + digest("text", text))
}

// StatementID derives a statement's ID from its document and the span that
// covers all its parts.
func StatementID(doc ID, span Span) ID {
	return ID(string(doc) + "/s/" + span.String())
}

// EvidenceID names the evidence node of an edge asserted in the named graph
// of document doc.
func EvidenceID(doc ID, kind EdgeKind, from, to ID) ID {
	return ID(string(doc) + "/ev/" + digest(string(kind), string(from), string(to)))
}

// ActorID derives an actor's ID from its canonical name.
func ActorID(name string) ID { return ID(Base + "actor/" + Slug(name)) }

// PlaceID derives a place's ID from its canonical name.
func PlaceID(name string) ID { return ID(Base + "place/" + Slug(name)) }

// DateID names the node of a date value.
func DateID(d Date) ID {
	if d.Precision == PrecisionUnknown {
		return ID(Base + "date/unknown/" + Slug(d.Value))
	}
	return ID(Base + "date/" + d.Value)
}

// ClaimID derives a claim's ID from its normalised key.
func ClaimID(key string) ID { return ID(Base + "claim/" + digest("claim", key)) }

// MentionID names the node that records document doc's use of the actor or
// place shared, with the aliases the document used for it.
func MentionID(doc, shared ID) ID {
	return ID(string(doc) + "/m/" + strings.TrimPrefix(string(shared), Base))
}

// LinksGraph names the named graph that holds the edges document doc's
// linking made between its statements and other documents' statements,
// with their evidence. Kept apart from the document's own graph, they can
// go (when the other document is removed) or be made again without
// touching what was extracted from the document itself.
func LinksGraph(doc ID) ID { return doc + linksSuffix }

const linksSuffix = "/links"

// GraphDocument returns the document a named graph belongs to: label
// itself, or the document whose links graph label is.
func GraphDocument(label ID) ID {
	if d, ok := strings.CutSuffix(string(label), linksSuffix); ok && strings.HasPrefix(d, Base+"doc/") {
		return ID(d)
	}
	return label
}

// IsShared reports whether id names a node shared between documents (an
// actor, place, date or claim), whose own facts are stored once in a named
// graph of its own.
func IsShared(id ID) bool {
	s := string(id)
	return strings.HasPrefix(s, Base) && !strings.HasPrefix(s, Base+"doc/")
}

// IsStatement reports whether id names a statement.
func IsStatement(id ID) bool {
	s := string(id)
	i := strings.LastIndex(s, "/s/")
	return strings.HasPrefix(s, Base+"doc/") && i > 0 && !strings.Contains(s[i+3:], "/")
}

// OwnedBy reports whether id names a node owned by document doc: the
// document itself, its statements, mentions and evidence nodes.
func OwnedBy(id, doc ID) bool {
	return id == doc || strings.HasPrefix(string(id), string(doc)+"/")
}

// Slug lower-cases a name, removes diacritics and joins its letters and
// digits with hyphens: "Nikol Pashinyan" → "nikol-pashinyan".
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		return "_" + strconv.Itoa(len(name))
	}
	return b.String()
}
