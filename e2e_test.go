// End-to-end tests over the seed documents in testdata/seeds, checked
// against the hand annotation in PROVGRAPH_GOLD (the folder holding
// seeds-gold.json).
package provgraph_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/all"
)

// gold is the part of seeds-gold.json these tests read.
type gold struct {
	Documents []struct {
		ID   string `json:"id"`
		File string `json:"file"`
	} `json:"documents"`
	Actors []struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Aliases []struct {
			Form string `json:"form"`
		} `json:"aliases"`
	} `json:"actors"`
	Statements []struct {
		ID          string `json:"id"`
		Document    string `json:"document"`
		Speaker     string `json:"speaker"`
		SpeakerName string `json:"speaker_name"`
		Start       int    `json:"start"`
		End         int    `json:"end"`
		Date        string `json:"date"`
	} `json:"statements"`
}

func readGold(t *testing.T) *gold {
	t.Helper()
	dir := os.Getenv("PROVGRAPH_GOLD")
	if dir == "" {
		t.Skip("PROVGRAPH_GOLD is not set (it names the folder holding seeds-gold.json)")
	}
	b, err := os.ReadFile(filepath.Join(dir, "seeds-gold.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g gold
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return &g
}

// extracted runs the loaders and the extraction pipeline over the seeds, as
// "graphd extract" does, and returns each document's graph by file name.
func extracted(t *testing.T) map[string]*graph.DocGraph {
	t.Helper()
	in, err := all.Ingester()
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]*graph.DocGraph)
	ctx := context.Background()
	err = all.Default().Read(ctx, []string{"testdata/seeds"}, loaders.ReadOptions{}, func(rec loaders.Record) error {
		if rec.Err != nil {
			return rec.Err
		}
		dg, _, err := in.Graph(ctx, rec.Doc)
		if err != nil {
			return err
		}
		out[filepath.Base(rec.Doc.Source)] = dg
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var word = regexp.MustCompile(`[\p{L}\p{N}_]+`)

// tokens returns the code-point offsets of the words that spans of text
// (code points) cover.
func tokens(text []rune, spans []graph.Span) map[int]bool {
	out := make(map[int]bool)
	s := string(text)
	// Byte offsets of each code point, to map regexp matches back.
	cp := make(map[int]int, len(text))
	b := 0
	for i, r := range text {
		cp[b] = i
		b += len(string(r))
	}
	for _, m := range word.FindAllStringIndex(s, -1) {
		start := cp[m[0]]
		for _, sp := range spans {
			if start >= sp.Start && start < sp.End {
				out[start] = true
			}
		}
	}
	return out
}

func jaccard(a, b map[int]bool) float64 {
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// normName lower-cases a name to its words, without a leading "the".
func normName(s string) string {
	w := word.FindAllString(strings.ToLower(s), -1)
	if len(w) > 0 && w[0] == "the" {
		w = w[1:]
	}
	return strings.Join(w, " ")
}

var pronouns = map[string]bool{"he": true, "she": true, "they": true, "it": true, "its units": true, "statement": true, "we": true, "i": true}

// TestSeedsAgainstGold scores extraction on the seeds as
// ../shared/eval/seeds_score.py does: a gold statement is found when a
// predicted statement's content has word-token Jaccard >= 0.5 with it
// (one-to-one, best first); its speaker is right when the predicted
// speaker's name is the gold actor's name or one of its aliases; its date
// is right when the predicted date starts with the gold one.
func TestSeedsAgainstGold(t *testing.T) {
	g := readGold(t)
	docs := extracted(t)
	names := make(map[string]map[string]bool)
	for _, a := range g.Actors {
		set := map[string]bool{normName(a.Name): true}
		for _, al := range a.Aliases {
			set[normName(al.Form)] = true
		}
		for p := range pronouns {
			delete(set, p)
		}
		delete(set, "")
		names[a.ID] = set
	}
	found, speakerOK, dated, dateOK := 0, 0, 0, 0
	var misses []string
	for _, d := range g.Documents {
		b, err := os.ReadFile(filepath.Join("testdata/seeds", d.File))
		if err != nil {
			t.Fatal(err)
		}
		text := []rune(string(b))
		dg := docs[d.File]
		if dg == nil {
			t.Fatalf("%s was not extracted", d.File)
		}
		speakers := make(map[graph.ID]string)
		actorNames := make(map[graph.ID]string)
		for _, a := range dg.Actors {
			actorNames[a.ID] = a.Name
		}
		for _, e := range dg.Edges {
			if e.Kind == graph.Said {
				speakers[e.To] = actorNames[e.From]
			}
		}
		type pair struct {
			j    float64
			g, p int
		}
		var gs []int
		for i, s := range g.Statements {
			if s.Document == d.ID {
				gs = append(gs, i)
			}
		}
		gt := make([]map[int]bool, len(gs))
		for k, i := range gs {
			gt[k] = tokens(text, []graph.Span{{Start: g.Statements[i].Start, End: g.Statements[i].End}})
		}
		pt := make([]map[int]bool, len(dg.Statements))
		for k, st := range dg.Statements {
			pt[k] = tokens(text, st.Content.Spans)
		}
		var pairs []pair
		for a := range gt {
			for b := range pt {
				if j := jaccard(gt[a], pt[b]); j > 0 {
					pairs = append(pairs, pair{j, a, b})
				}
			}
		}
		sort.Slice(pairs, func(i, j int) bool {
			if pairs[i].j != pairs[j].j {
				return pairs[i].j > pairs[j].j
			}
			if pairs[i].g != pairs[j].g {
				return pairs[i].g > pairs[j].g
			}
			return pairs[i].p > pairs[j].p
		})
		match := make(map[int]int)
		usedP := make(map[int]bool)
		for _, p := range pairs {
			if p.j < 0.5 {
				break
			}
			if _, ok := match[p.g]; ok || usedP[p.p] {
				continue
			}
			match[p.g], usedP[p.p] = p.p, true
		}
		for k, i := range gs {
			s := g.Statements[i]
			if s.Date != "" {
				dated++
			}
			p, ok := match[k]
			if !ok {
				misses = append(misses, s.ID+" not found")
				continue
			}
			found++
			st := dg.Statements[p]
			if got := normName(speakers[st.ID]); s.Speaker == "" || names[s.Speaker][got] {
				speakerOK++
			} else {
				misses = append(misses, s.ID+" speaker "+speakers[st.ID]+", want "+s.SpeakerName)
			}
			if s.Date != "" {
				if st.Date != nil && strings.HasPrefix(st.Date.Value, s.Date) {
					dateOK++
				} else {
					misses = append(misses, s.ID+" date, want "+s.Date)
				}
			}
		}
	}
	n := len(g.Statements)
	t.Logf("found %d/%d, with the right speaker %d/%d (%.0f%%), dates %d/%d", found, n, speakerOK, n, 100*float64(speakerOK)/float64(n), dateOK, dated)
	for _, m := range misses {
		t.Log("  " + m)
	}
	// The figures reached so far: a change that lowers any of them fails.
	// The target is 85% of the gold statements found with the right
	// speaker (57 of 67) and every dated one with its date.
	floor := struct{ found, speaker, dates int }{found: 59, speaker: 57, dates: 29}
	if found < floor.found || speakerOK < floor.speaker || dateOK < floor.dates {
		t.Errorf("below the floor: found %d (floor %d), right speaker %d (floor %d), dates %d (floor %d)",
			found, floor.found, speakerOK, floor.speaker, dateOK, floor.dates)
	}
}
