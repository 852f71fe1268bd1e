package loaders_test

import (
	"errors"
	"testing"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
)

func TestParseDate(t *testing.T) {
	for _, c := range []struct {
		in, value string
		prec      graph.Precision
	}{
		{"2023-05-01", "2023-05-01", graph.PrecisionDay},
		{"2023-03-21 19:22:00", "2023-03-21T19:22:00", graph.PrecisionTime},
		{"2023-03-21T19:22:00+04:00", "2023-03-21T19:22:00+04:00", graph.PrecisionTime},
		{"Mon, 01 May 2023 08:30:00 EST", "2023-05-01T08:30:00-05:00", graph.PrecisionTime},
		{"Mon, 01 May 2023 08:30:00 GMT", "2023-05-01T08:30:00Z", graph.PrecisionTime},
		{"2023-05", "2023-05", graph.PrecisionMonth},
		{"May 1, 2023", "2023-05-01", graph.PrecisionDay},
		{"March 2023", "2023-03", graph.PrecisionMonth},
	} {
		t.Run(c.in, func(t *testing.T) {
			d, err := loaders.ParseDate(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if d.Value != c.value || d.Precision != c.prec {
				t.Errorf("got %s (%s), want %s (%s)", d.Value, d.Precision, c.value, c.prec)
			}
		})
	}
	for _, bad := range []string{"", "yesterday", "March 21", "not a date"} {
		if d, err := loaders.ParseDate(bad); !errors.Is(err, loaders.ErrNoDate) {
			t.Errorf("%q: got %+v, %v; want ErrNoDate", bad, d, err)
		}
	}
}
