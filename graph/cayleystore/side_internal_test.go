package cayleystore

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/provgraph/provgraph/graph"
)

// TestDocListFormats checks that a document's list of indexed statements
// reads back as its entries, in the current form (statements, whose
// records hold the keys) and in the earlier one (the entries themselves).
func TestDocListFormats(t *testing.T) {
	ctx := context.Background()
	doc := graph.ID(graph.Base + "doc/0123456789abcdef0123")
	a, b := doc+"/s/0-10", doc+"/s/12-40"
	want := []sideEntry{{a, "b:1:x"}, {a, "t:road"}, {b, "t:road"}}
	m := newMemSide()
	var ops sideOps
	for _, st := range []graph.ID{a, b} {
		var keys []string
		for _, e := range want {
			if e.St == st {
				keys = append(keys, e.Key)
			}
		}
		rec, _ := json.Marshal(record{Keys: keys})
		ops.puts = append(ops.puts, sidePair{[]byte(sideRecord + string(st)), rec})
	}
	if err := m.write(ctx, ops); err != nil {
		t.Fatal(err)
	}
	list, err := encodeDocList(doc, want)
	if err != nil {
		t.Fatal(err)
	}
	if string(list) != `["/s/0-10","/s/12-40"]` {
		t.Errorf("list %s", list)
	}
	legacy, _ := json.Marshal(want)
	for _, v := range [][]byte{list, legacy} {
		got, err := decodeDocList(ctx, m, doc, v)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s read as %v, want %v", v, got, want)
		}
	}
}
