package all_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provgraph/provgraph/loaders"
	"github.com/provgraph/provgraph/loaders/all"
	"github.com/provgraph/provgraph/loaders/extract"
)

// heapPeak samples the heap every few milliseconds while f runs and returns
// the highest value seen above what it was before, in bytes.
func heapPeak(f func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	runtime.GC()
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var (
		peak uint64
		mu   sync.Mutex
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	read := func() {
		metrics.Read(sample)
		mu.Lock()
		peak = max(peak, sample[0].Value.Uint64())
		mu.Unlock()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	read()
	if peak < base {
		return 0
	}
	return peak - base
}

// writeFile writes a test input and returns its path.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// gzipped compresses data.
func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bomb gzips n bytes of fill without holding them.
func bomb(t *testing.T, n int, fill byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	chunk := bytes.Repeat([]byte{fill}, 1<<20)
	for i := 0; i < n>>20; i++ {
		zw.Write(chunk)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestHostileInputs feeds the loaders inputs that are broken, huge or
// malicious, and checks that each ends in documents that are safe to
// extract from or in a clear error naming the input (and the line, for
// JSON Lines), within bounded memory, and that reading goes on to the next
// input.
func TestHostileInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("writes inputs of up to 200 MB; skipped with -short")
	}
	article := "The minister said on Monday that the talks would resume next week in Geneva, officials confirmed."
	// Each case builds its input and says what must come of it: the
	// number of documents read and a piece every error must contain (the
	// file name is always checked).
	type result struct {
		docs   int
		errors int
		errHas string
	}
	// The heap the loaders may add for any case: a few copies of a document
	// at the size limit (20 MB), whatever the size of the input.
	const limit = 160 << 20
	for _, c := range []struct {
		name  string
		input func(t *testing.T) string
		want  result
		check func(t *testing.T, docs []*loaders.Document)
	}{
		{"gzip bomb of 256 MiB of zeros", func(t *testing.T) string {
			return writeFile(t, "bomb.txt.gz", bomb(t, 256<<20, 0))
		}, result{errors: 1, errHas: "larger than the size limit"}, nil},
		{"gzip bomb of text", func(t *testing.T) string {
			return writeFile(t, "bomb2.txt.gz", bomb(t, 256<<20, 'a'))
		}, result{errors: 1, errHas: "larger than the size limit"}, nil},
		{"truncated gzip", func(t *testing.T) string {
			z := gzipped(t, []byte(strings.Repeat(article+"\n", 1000)))
			return writeFile(t, "cut.txt.gz", z[:len(z)/2])
		}, result{errors: 1, errHas: "unexpected EOF"}, nil},
		{"a 200 MB line", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "line.txt")
			f, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			chunk := bytes.Repeat([]byte("word "), 1<<18)
			for i := 0; i < 200<<20/len(chunk); i++ {
				f.Write(chunk)
			}
			f.Close()
			return p
		}, result{errors: 1, errHas: "larger than the size limit"}, nil},
		{"a JSON line of 50 MB", func(t *testing.T) string {
			var b bytes.Buffer
			b.WriteString(`{"id":"a","text":"` + article + `"}` + "\n")
			b.WriteString(`{"id":"b","text":"` + strings.Repeat("x", 50<<20) + `"}` + "\n")
			b.WriteString(`{"id":"c","text":"` + article + `"}` + "\n")
			return writeFile(t, "big.jsonl", b.Bytes())
		}, result{docs: 2, errors: 1, errHas: "big.jsonl:2:"}, nil},
		{"deeply nested HTML", func(t *testing.T) string {
			return writeFile(t, "deep.html", []byte("<html><body>"+strings.Repeat("<div>", 100000)+article+strings.Repeat("</div>", 100000)+"</body></html>"))
		}, result{errors: 1, errHas: "nested"}, nil},
		{"HTML with a 10 MB script and no text", func(t *testing.T) string {
			return writeFile(t, "script.html", []byte("<html><body><script>"+strings.Repeat("var a=1;", 10<<17)+"</script></body></html>"))
		}, result{errors: 1, errHas: "script.html"}, nil},
		{"NUL bytes in a text file", func(t *testing.T) string {
			return writeFile(t, "nul.txt", []byte(article+"\x00\x00\x00binary"))
		}, result{errors: 1, errHas: "NUL"}, nil},
		{"an image named .txt", func(t *testing.T) string {
			return writeFile(t, "image.txt", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 1024)...))
		}, result{errors: 1, errHas: "image.txt"}, nil},
		{"an empty file", func(t *testing.T) string {
			return writeFile(t, "empty.txt", nil)
		}, result{errors: 1, errHas: "empty.txt"}, nil},
		{"a byte-order mark", func(t *testing.T) string {
			return writeFile(t, "bom.txt", []byte("\ufeff"+article))
		}, result{docs: 1}, func(t *testing.T, docs []*loaders.Document) {
			// Kept in the text, so that offsets index the file, but never
			// read as part of a word.
			tx := extract.NewText(docs[0].Text, nil)
			for i, tk := range tx.Tokens {
				if tk.Kind == extract.Word && strings.ContainsRune(tx.Word(i), '\ufeff') {
					t.Errorf("word %q holds the byte-order mark", tx.Word(i))
				}
			}
			if !strings.Contains(docs[0].Text, article) {
				t.Errorf("text %q", docs[0].Text)
			}
		}},
		{"UTF-16 with a byte-order mark", func(t *testing.T) string {
			var b bytes.Buffer
			b.Write([]byte{0xff, 0xfe})
			for _, r := range article {
				b.WriteByte(byte(r))
				b.WriteByte(0)
			}
			return writeFile(t, "utf16.txt", b.Bytes())
		}, result{docs: 1}, func(t *testing.T, docs []*loaders.Document) {
			if !strings.Contains(docs[0].Text, article) {
				t.Errorf("UTF-16 text read as %q", docs[0].Text)
			}
		}},
		{"mixed encodings", func(t *testing.T) string {
			return writeFile(t, "mixed.txt", []byte("Caf\xe9 society said on Monday that the na\xefve plan \xe2\x80\x94 “as written” \xe2\x80\x94 would fail."))
		}, result{errors: 1, errHas: "line 1: not valid UTF-8 (byte 0xe9 at offset 3"}, nil},
		{"control characters in metadata", func(t *testing.T) string {
			return writeFile(t, "ctl.jsonl", []byte(`{"id":"x","title":"Bad\u0007title\u001b[31m red","authors":["A\u0000B"],"text":"`+article+`"}`+"\n"))
		}, result{docs: 1}, func(t *testing.T, docs []*loaders.Document) {
			for _, s := range append([]string{docs[0].Title}, docs[0].Authors...) {
				if strings.ContainsAny(s, "\x00\x07\x1b") {
					t.Errorf("control characters kept in metadata %q", s)
				}
			}
		}},
		{"metadata pointing at a local file", func(t *testing.T) string {
			return writeFile(t, "local.jsonl", []byte(`{"id":"x","url":"file:///etc/passwd","text":"`+article+`"}`+"\n"))
		}, result{docs: 1}, func(t *testing.T, docs []*loaders.Document) {
			if docs[0].URL != "" && loaders.CanonicalURL(docs[0].URL) != "" {
				t.Errorf("a file URL kept as the document's URL: %q", docs[0].URL)
			}
			if strings.Contains(docs[0].Text, "root:") {
				t.Errorf("a local file was read")
			}
		}},
		{"metadata pointing at a URL", func(t *testing.T) string {
			return writeFile(t, "remote.jsonl", []byte(`{"id":"x","url":"http://127.0.0.1:1/never","text":"`+article+`"}`+"\n"))
		}, result{docs: 1}, func(t *testing.T, docs []*loaders.Document) {
			if docs[0].Text != article {
				t.Errorf("text changed: %q", docs[0].Text)
			}
		}},
		{"a feed with 100,000 items", func(t *testing.T) string {
			var b bytes.Buffer
			b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`)
			for i := 0; i < 100000; i++ {
				fmt.Fprintf(&b, "<item><title>Item %d</title><link>https://example.org/%d</link><description>%s</description></item>", i, i, article)
			}
			b.WriteString(`</channel></rss>`)
			return writeFile(t, "big.xml", b.Bytes())
		}, result{docs: 100000}, nil},
		{"a feed with entity expansion", func(t *testing.T) string {
			return writeFile(t, "laughs.xml", []byte(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><rss version="2.0"><channel><title>t</title><item><title>&lol4;</title><description>`+article+`</description></item></channel></rss>`))
		}, result{}, func(t *testing.T, docs []*loaders.Document) {
			for _, d := range docs {
				if strings.Count(d.Title, "lol") > 100 {
					t.Errorf("entities expanded in a title of %d bytes", len(d.Title))
				}
			}
		}},
		{"invalid JSON on line 3", func(t *testing.T) string {
			return writeFile(t, "bad.jsonl", []byte(`{"id":"a","text":"`+article+`"}`+"\n"+`{"id":"b","text":"`+article+`"}`+"\n"+`{"id":"c","text": oops}`+"\n"+`{"id":"d","text":"`+article+`"}`+"\n"))
		}, result{docs: 3, errors: 1, errHas: "bad.jsonl:3:"}, nil},
		{"a JSON line without text", func(t *testing.T) string {
			return writeFile(t, "notext.jsonl", []byte(`{"id":"a","title":"only a title"}`+"\n"))
		}, result{errors: 1, errHas: "notext.jsonl:1:"}, nil},
		{"a symbolic link loop", func(t *testing.T) string {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "a.txt"), []byte(article), 0o644)
			os.Symlink(dir, filepath.Join(dir, "loop"))
			return dir
		}, result{docs: 1}, nil},
		{"a word of 1 MB", func(t *testing.T) string {
			return writeFile(t, "word.txt", []byte(article+" "+strings.Repeat("a", 1<<20)+" "+article))
		}, result{docs: 1}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := c.input(t)
			var (
				docs []*loaders.Document
				errs []error
			)
			var readErr error
			peak := heapPeak(func() {
				readErr = all.Default().Read(context.Background(), []string{path}, loaders.ReadOptions{}, func(r loaders.Record) error {
					if r.Err != nil {
						errs = append(errs, r.Err)
						return nil
					}
					if len(docs) < 10 {
						docs = append(docs, r.Doc)
					} else {
						docs = append(docs, nil)
					}
					return nil
				})
			})
			if readErr != nil {
				t.Fatalf("Read failed as a whole: %v", readErr)
			}
			if c.want.docs != 0 || c.want.errors != 0 {
				if len(docs) != c.want.docs || len(errs) != c.want.errors {
					t.Fatalf("%d documents and %d errors (%v), want %d and %d", len(docs), len(errs), errors.Join(errs...), c.want.docs, c.want.errors)
				}
			}
			for _, err := range errs {
				msg := err.Error()
				if !strings.Contains(msg, filepath.Base(path)) {
					t.Errorf("error does not name the input: %v", err)
				}
				if !strings.Contains(msg, c.want.errHas) {
					t.Errorf("error %q does not say %q", msg, c.want.errHas)
				}
			}
			if peak > limit {
				t.Errorf("heap reached %d MB", peak>>20)
			}
			t.Logf("%d documents, %d errors, heap peak %d MB; %v", len(docs), len(errs), peak>>20, errors.Join(errs...))
			if c.check != nil && len(docs) > 0 {
				c.check(t, docs)
			}
		})
	}
}
