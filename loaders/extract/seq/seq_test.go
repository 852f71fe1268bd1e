package seq_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode"

	"github.com/provgraph/provgraph/loaders/extract/seq"
)

// toy labels capitalised words after "by" as B/I of a name.
func toy(s string) ([][]uint32, []int) {
	words := strings.Fields(s)
	var h seq.Hasher
	feats := make([][]uint32, len(words))
	gold := make([]int, len(words))
	inName := false
	for i, w := range words {
		prev := "<s>"
		if i > 0 {
			prev = words[i-1]
		}
		cap := unicode.IsUpper([]rune(w)[0])
		feats[i] = []uint32{
			h.Start("w").Add(strings.ToLower(w)).Sum(),
			h.Start("prev").Add(strings.ToLower(prev)).Sum(),
			h.Start("cap").Add(map[bool]string{true: "y", false: "n"}[cap]).Sum(),
			h.Start("bias").Sum(),
		}
		switch {
		case cap && prev == "by":
			gold[i], inName = 1, true
		case cap && inName:
			gold[i] = 2
		default:
			gold[i], inName = 0, false
		}
	}
	return feats, gold
}

func allowed(prev, cur int) bool { return cur != 2 || prev == 1 || prev == 2 }

func TestLearnsToyTask(t *testing.T) {
	train := []string{
		"the report by John Smith said so", "written by Anna Lee Park today", "a claim by Putin was denied",
		"Then Bob said it was by Tom Hanks", "it was made by Ilham Aliyev in Baku", "nothing here at all",
		"By the way Tom came by Mary Jones",
	}
	tr := seq.NewTrainer([]string{"O", "B", "I"}, 12)
	for epoch := 0; epoch < 10; epoch++ {
		for _, s := range train {
			f, g := toy(s)
			tr.Learn(f, g, allowed)
		}
	}
	m := tr.Averaged()
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := seq.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var d seq.Decoder
	for _, s := range []string{"a speech by Nikol Pashinyan was given", "signed by Joe Biden"} {
		f, g := toy(s)
		for _, model := range []*seq.Model{m, m2} {
			got := model.Decode(&d, f, allowed)
			for i := range g {
				if got[i] != g[i] {
					t.Errorf("%q: got %v, want %v", s, got, g)
					break
				}
			}
		}
	}
}

func TestReadRejectsGarbage(t *testing.T) {
	if _, err := seq.Read(strings.NewReader("not a model")); err == nil {
		t.Error("garbage read as a model")
	}
}
