package loaders_test

import (
	"regexp"
	"testing"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/loaders"
)

// isoByPrecision is the form a parsed date's value takes at each precision.
var isoByPrecision = map[graph.Precision]*regexp.Regexp{
	graph.PrecisionYear:  regexp.MustCompile(`^\d{4}$`),
	graph.PrecisionMonth: regexp.MustCompile(`^\d{4}-\d{2}$`),
	graph.PrecisionDay:   regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`),
	graph.PrecisionTime:  regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?$`),
}

// FuzzParseDate checks that publication-date parsing never panics and that
// what it accepts is ISO 8601 at the precision it claims.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2023-05-01", "2023-03-21 19:22:00", "Mon, 01 May 2023 10:00:00 +0300", "May 1, 2023", "March 2023", "2023", "yesterday", "31/02/2023", "\x00", "9999-99-99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := loaders.ParseDate(s)
		if err != nil {
			return
		}
		re, ok := isoByPrecision[d.Precision]
		if !ok {
			t.Fatalf("ParseDate(%q): precision %q", s, d.Precision)
		}
		if !re.MatchString(d.Value) {
			t.Fatalf("ParseDate(%q) = %q, not ISO 8601 at precision %s", s, d.Value, d.Precision)
		}
	})
}
