package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/loaders"
)

// runCells executes a notebook's code cells in order, in one namespace, as
// Jupyter's "run all" does; the first exception fails it.
const runCells = `
import json, sys
nb = json.load(open(sys.argv[1], encoding="utf-8"))
ns = {"__name__": "__main__"}
for i, cell in enumerate(nb["cells"]):
    if cell["cell_type"] == "code":
        exec(compile("".join(cell["source"]), "%s, cell %d" % (sys.argv[1], i), "exec"), ns)
`

// TestNotebook runs notebooks/provenance.ipynb against graphd serve on the
// seeds.
func TestNotebook(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: starts a server and Python")
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := cayleystore.Open(ctx, cayleystore.Options{Backend: cayleystore.Memory})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := runLoad(ctx, s, []string{seeds}, loaders.ReadOptions{}, 256, true, io.Discard); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	done := make(chan error, 1)
	sc := &ServeConfig{Addr: "127.0.0.1:0", MaxBody: 1 << 20, Timeout: 30 * time.Second}
	go func() {
		done <- serve(ctx, sc, s, slog.New(slog.DiscardHandler), func(a string) { addr <- a })
	}()
	var base string
	select {
	case base = <-addr:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	}
	cmd := exec.CommandContext(ctx, python, "-c", runCells, "../../notebooks/provenance.ipynb")
	cmd.Env = append(os.Environ(), "GRAPHD_URL=http://"+base+"/graphql")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the notebook failed: %v\n%s", err, out)
	}
	t.Logf("notebook output:\n%s", out)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}
