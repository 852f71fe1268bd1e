//go:build unix

// The benchmarks read the process's CPU time with getrusage, which only
// Unix systems have.

package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/loaders"
)

// abpStore opens the store the API benchmarks read: PROVGRAPH_BENCH_DATA
// names a graphd data directory already loaded with the ABP corpus
// ("graphd --data DIR load abp-news.jsonl.gz"); otherwise the first
// PROVGRAPH_CORPUS_LIMIT articles (default 2,000) of the corpus that
// PROVGRAPH_CORPUS names are loaded into a temporary one, as graphd load
// does.
func abpStore(b *testing.B) *cayleystore.Store {
	b.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	if dir := os.Getenv("PROVGRAPH_BENCH_DATA"); dir != "" {
		s, err := openStore(ctx, &Config{Data: dir, Store: "badger", NoSync: true}, log)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	path := os.Getenv("PROVGRAPH_CORPUS")
	if path == "" {
		b.Skip("neither PROVGRAPH_BENCH_DATA (a loaded data directory) nor PROVGRAPH_CORPUS (abp-news.jsonl.gz) is set")
	}
	limit := 2000
	if v, err := strconv.Atoi(os.Getenv("PROVGRAPH_CORPUS_LIMIT")); err == nil && v > 0 {
		limit = v
	}
	part := filepath.Join(b.TempDir(), "abp.jsonl")
	if err := firstLines(path, part, limit); err != nil {
		b.Fatal(err)
	}
	s, err := openStore(ctx, &Config{Data: b.TempDir(), Store: "badger", NoSync: true}, log)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := runLoad(ctx, s, []string{part}, loaders.ReadOptions{}, 256, true, io.Discard); err != nil {
		b.Fatal(err)
	}
	return s
}

// firstLines copies the first n lines of a JSON Lines file, gzip or not.
func firstLines(from, to string, n int) error {
	f, err := os.Open(from)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(from, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return err
		}
		r = zr
	}
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	defer out.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	w := bufio.NewWriter(out)
	for i := 0; i < n && sc.Scan(); i++ {
		w.Write(sc.Bytes())
		w.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return w.Flush()
}

// processCPU returns the CPU time the process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkServeABP measures the latency of API requests over the ABP
// corpus through graphd serve's handler (JSON in and out included), and
// reports the median and 99th percentile of the requests of each case.
func BenchmarkServeABP(b *testing.B) {
	s := abpStore(b)
	h, err := newServer(s, &ServeConfig{MaxBody: 1 << 20, Timeout: time.Minute}, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	// The speaker with the most statements, for a filtered page.
	_, r := post(b, h, `{ actors(first: 100) { edges { node { name saidCount } } } }`, nil)
	var top struct {
		Actors struct {
			Edges []struct {
				Node struct {
					Name      string
					SaidCount int
				}
			}
		}
	}
	if err := json.Unmarshal(r.Data, &top); err != nil || len(top.Actors.Edges) == 0 {
		b.Fatalf("actors: %s %v", r.Data, err)
	}
	speaker := top.Actors.Edges[0].Node
	for _, e := range top.Actors.Edges {
		if e.Node.SaidCount > speaker.SaidCount {
			speaker = e.Node
		}
	}
	cases := []struct{ name, query string }{
		{"provenance", `{ provenance(claim: "Who first said that Armenia violated the ceasefire?", first: 5) {
			score claim { text } first { text date { iso } speaker { name } document { title } }
			repeats { date { iso } speaker { name } } disputedBy { speaker { name } } } }`},
		{"page100", `{ statements(first: 100, after: "bzoxMDAw") { totalCount edges { node { text date { iso } speaker { name } document { title url } } } } }`},
		{"actor-page100", `{ statements(first: 100, filter: {actor: ` + strconv.Quote(speaker.Name) + `}) { totalCount edges { node { text date { iso } speaker { name } document { title url } } } } }`},
	}
	// PROVGRAPH_BENCH_WARMUP (a duration) sends every case's request for
	// that long before any is measured, so that the work a store does in
	// the background after it opens (Badger's key filter is filled for
	// several seconds on 5,000 articles) is over.
	if v := os.Getenv("PROVGRAPH_BENCH_WARMUP"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatalf("PROVGRAPH_BENCH_WARMUP: %v", err)
		}
		for end := time.Now().Add(d); time.Now().Before(end); {
			for _, c := range cases {
				post(b, h, c.query, nil)
			}
		}
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			// The first request fills the caches (the statement timeline,
			// Badger's blocks); it is reported apart.
			start := time.Now()
			if _, r := post(b, h, c.query, nil); len(r.Errors) > 0 {
				b.Fatalf("%s: %+v", c.name, r.Errors)
			}
			first := time.Since(start)
			var lat []time.Duration
			cpu := processCPU()
			// The requests carry a profiler label, so that a CPU profile
			// can be cut to them: go tool pprof -tagfocus request=page100.
			pprof.Do(context.Background(), pprof.Labels("request", c.name), func(context.Context) {
				for b.Loop() {
					start := time.Now()
					_, r := post(b, h, c.query, nil)
					lat = append(lat, time.Since(start))
					if len(r.Errors) > 0 {
						b.Fatalf("%s: %+v", c.name, r.Errors)
					}
				}
			})
			cpu = processCPU() - cpu
			slices.Sort(lat)
			q := func(p float64) float64 {
				return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
			}
			b.ReportMetric(q(0.50), "p50-ms")
			b.ReportMetric(q(0.99), "p99-ms")
			b.ReportMetric(float64(first.Microseconds())/1000, "first-ms")
			// The process's CPU time per request (garbage collection
			// included): steadier than latency on a shared machine.
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(lat)), "cpu-ms/op")
			b.ReportMetric(0, "ns/op")
			if testing.Verbose() {
				fmt.Fprintf(os.Stderr, "%s: first %.1f ms, then %d requests, p50 %.1f ms, p99 %.1f ms\n", c.name, float64(first.Microseconds())/1000, len(lat), q(0.5), q(0.99))
			}
		})
	}
}
