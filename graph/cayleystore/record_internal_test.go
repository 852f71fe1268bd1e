package cayleystore

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/provgraph/provgraph/graph"
)

func sampleRecords() []record {
	full := record{
		St: graph.Statement{
			ID: "https://provgraph.org/id/doc/1/s/10-40", Document: "https://provgraph.org/id/doc/1", Kind: graph.KindIndirect,
			Source:   &graph.Part{Text: "the head of state", Spans: []graph.Span{{Start: 0, End: 17}}},
			Cue:      graph.Part{Text: "said", Spans: []graph.Span{{Start: 18, End: 22}}},
			Content:  graph.Part{Text: "there was no blockade", Spans: []graph.Span{{Start: 23, End: 40}, {Start: 50, End: 54}}},
			Sentence: graph.Span{Start: 0, End: 60},
			Date:     &graph.Date{Value: "2023-03-21", Precision: graph.PrecisionDay}, DateFrom: graph.DateFromText,
			Places: []graph.ID{"https://provgraph.org/id/place/lachin"},
			Dates:  []graph.Date{{Value: "--03-21", Precision: graph.PrecisionUnknown}, {Value: "2023", Precision: graph.PrecisionYear}},
			Claim:  "https://provgraph.org/id/claim/x", Rule: "attrib:crf", Confidence: 0.8125,
		},
		Speaker:   &graph.Actor{ID: "https://provgraph.org/id/actor/ilham-aliyev", Name: "Ilham Aliyev", Kind: graph.ActorPerson, Aliases: []string{"the head of state", "Aliyev"}},
		Published: &graph.Date{Value: "2023-03-22", Precision: graph.PrecisionDay},
		Claims:    []graph.ID{"https://provgraph.org/id/claim/x", "https://provgraph.org/id/claim/y"},
		Keys:      []string{"b:0:abc", "e:azerbaijan", "pc:0:https://provgraph.org/id/claim/x"},
		Analysis:  []byte{1, 2, 0, 255},
	}
	return []record{full, {St: graph.Statement{ID: "s", Document: "d", Content: graph.Part{Text: "x"}}}}
}

// TestRecordRoundTrip checks that index records read back as written, in
// the binary form and in the JSON form of older stores.
func TestRecordRoundTrip(t *testing.T) {
	for _, r := range sampleRecords() {
		got, err := decodeRecord(encodeRecord(&r))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, r) {
			t.Errorf("binary:\n got %+v\nwant %+v", got, r)
		}
		js, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if got, err = decodeRecord(js); err != nil || !reflect.DeepEqual(got, r) {
			t.Errorf("JSON: %v\n got %+v\nwant %+v", err, got, r)
		}
	}
	b := encodeRecord(&sampleRecords()[0])
	for _, bad := range [][]byte{nil, {recordVersion}, {9, 0}, b[:len(b)-1], append(b[:len(b):len(b)], 0)} {
		if _, err := decodeRecord(bad); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

// FuzzDecodeRecord checks that no stored bytes make the record decoder
// panic.
func FuzzDecodeRecord(f *testing.F) {
	for _, r := range sampleRecords() {
		f.Add(encodeRecord(&r))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRecord(b)
		if err != nil || (len(b) > 0 && b[0] == '{') {
			return
		}
		if again, err := decodeRecord(encodeRecord(&r)); err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("re-encoded record reads back as %+v (%v), want %+v", again, err, r)
		}
	})
}
