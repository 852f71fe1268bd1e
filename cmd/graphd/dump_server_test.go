package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provgraph/provgraph/graph/cayleystore"
)

// TestDumpFromRunningServer backs up a running graphd serve with "graphd
// dump --server" while documents are being ingested: each dump must be one
// consistent state (it restores into an empty store that "graphd check"
// finds sound, with whole documents), the token is required, and once the
// ingests are done a dump restored and dumped again gives the same bytes.
func TestDumpFromRunningServer(t *testing.T) {
	const token = "dump-test-token"
	h, logs := seededServer(t, ServeConfig{Token: token})
	srv := httptest.NewServer(h)
	defer srv.Close()
	none := t.TempDir()

	if _, errOut, err := run(t, none, "dump", "--server", srv.URL); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("dump without the token: %v %s", err, errOut)
	}

	// Ingests, one document per request, while dumps are taken.
	const docs = 12
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range docs {
			q := fmt.Sprintf(`mutation { ingest(documents: [{text: %q, url: "https://news.example/dump/%d", published: "2023-05-%02d"}]) { loaded } }`,
				fmt.Sprintf("Foreign Minister Ararat Mirzoyan said on Tuesday that talks number %d would resume. The ministry denied that the road was closed.", i), i, i+1)
			_, r := post(t, h, q, map[string]string{"Authorization": "Bearer " + token})
			if len(r.Errors) > 0 {
				t.Errorf("ingest %d: %+v", i, r.Errors)
			}
		}
	})
	for k := 0; k < 3; k++ {
		out := mustRun(t, none, "dump", "--server", srv.URL, "--token", token)
		checkRestored(t, out, fmt.Sprintf("dump %d", k))
	}
	wg.Wait()

	out := mustRun(t, none, "dump", "--server", srv.URL, "--token", token)
	data := checkRestored(t, out, "final dump")
	if again := mustRun(t, data, "dump"); again != out {
		t.Errorf("the final dump restored and dumped again differs (%d and %d bytes)", len(out), len(again))
	}
	if n := strings.Count(out, "<https://provgraph.org/ns#Document>"); n != 5+docs {
		t.Errorf("final dump holds %d documents, want %d", n, 5+docs)
	}
	// The restored store answers the seeds' provenance questions as the
	// running server does.
	rs, err := cayleystore.Open(context.Background(), cayleystore.Options{Backend: cayleystore.Badger, Address: data})
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	rh, err := newServer(rs, &ServeConfig{MaxBody: 1 << 20, Timeout: 10 * time.Second}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	restored := httptest.NewServer(rh)
	defer restored.Close()
	questions := backupQuestions(t)
	want := provenanceAnswers(t, strings.TrimPrefix(srv.URL, "http://"), questions)
	got := provenanceAnswers(t, strings.TrimPrefix(restored.URL, "http://"), questions)
	for i := range questions {
		if got[i] != want[i] {
			t.Errorf("%q: the restored store answers\n%s\nthe server\n%s", questions[i], got[i], want[i])
		}
	}
	if strings.Contains(logs.String(), token) {
		t.Errorf("the token was logged")
	}
}

// checkRestored restores a dump into an empty store, checks it and
// returns the store's directory.
func checkRestored(t *testing.T, dump, what string) string {
	t.Helper()
	data := t.TempDir()
	file := filepath.Join(t.TempDir(), "dump.nq")
	if err := os.WriteFile(file, []byte(dump), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, data, "restore", file)
	if out := mustRun(t, data, "check"); !strings.Contains(out, "no problems") {
		t.Errorf("%s restored: check says %s", what, out)
	}
	return data
}
