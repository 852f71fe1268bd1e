package all_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/provgraph/provgraph/loaders/all"
)

// BenchmarkPipelineDev runs the whole extraction (tokens, sentences,
// attributions, speakers, dates, places) over PolNeAR's dev texts (PROVGRAPH_POLNEAR), or over the
// seed documents when it is unset, and reports MB/s on one goroutine.
func BenchmarkPipelineDev(b *testing.B) {
	pattern := filepath.Join("..", "..", "testdata", "seeds", "*.txt")
	if dir := os.Getenv("PROVGRAPH_POLNEAR"); dir != "" {
		pattern = filepath.Join(dir, "dev", "text", "*.txt")
	}
	files, _ := filepath.Glob(pattern)
	var texts []string
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(data))
		n += len(data)
	}
	p, err := all.Pipeline()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range texts {
			if _, err := p.Run(ctx, s, nil, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}
