package all_test

import (
	"testing"

	"github.com/provgraph/provgraph/loaders/all"
)

func TestDefaultRegistersEveryFormat(t *testing.T) {
	r := all.Default()
	if len(r.Names()) == 0 {
		t.Fatal("no formats registered")
	}
	for _, name := range r.Names() {
		if _, err := r.ByName(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
