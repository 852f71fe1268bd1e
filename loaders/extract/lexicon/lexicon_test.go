package lexicon_test

import (
	"testing"

	"github.com/provgraph/provgraph/loaders/extract/lexicon"
)

func TestLookup(t *testing.T) {
	for _, c := range []struct {
		word string
		has  lexicon.Class
	}{
		{"said", lexicon.VerbCommunication},
		{"denies", lexicon.VerbCommunication},
		{"believes", lexicon.VerbCognition},
		{"statement", lexicon.NounCommunication},
		{"spokesman", lexicon.NounPerson},
		{"spokesmen", lexicon.NounPerson},
		{"ministry", lexicon.NounGroup},
	} {
		if e := lexicon.Lookup(c.word); e.Any&c.has == 0 {
			t.Errorf("%s: classes %b, want %b", c.word, e.Any, c.has)
		}
	}
	if e := lexicon.Lookup("xyzzyq"); e.Any != 0 {
		t.Errorf("unknown word has classes %b", e.Any)
	}
}
