package explore_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/provgraph/provgraph/graph/explore"
)

func TestHandler(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/explore/", http.StripPrefix("/explore", explore.Handler()))
	for _, tc := range []struct {
		name, method, path string
		status             int
		contentType, body  string
	}{
		{"page", "GET", "/explore/", 200, "text/html", `<input id="q"`},
		{"script", "GET", "/explore/explore.js", 200, "text/javascript", "fcose"},
		{"styles", "GET", "/explore/explore.css", 200, "text/css", "#graph"},
		{"licences", "GET", "/explore/explore.js.LEGAL.txt", 200, "text/plain", "cytoscape"},
		{"missing", "GET", "/explore/nope.js", 404, "", ""},
		{"post", "POST", "/explore/", 405, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tc.contentType) {
				t.Errorf("Content-Type %q, want %q", ct, tc.contentType)
			}
			if body, _ := io.ReadAll(rec.Body); !strings.Contains(strings.ToLower(string(body)), strings.ToLower(tc.body)) {
				t.Errorf("the body lacks %q", tc.body)
			}
		})
	}
}

// TestOffline checks that the page names no other origin: everything it
// loads is embedded, and it calls only the API beside it.
func TestOffline(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/explore/", http.StripPrefix("/explore", explore.Handler()))
	external := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//|@import\s+url\(\s*["']?https?:|fetch\(\s*["']https?:`)
	for _, path := range []string{"/explore/", "/explore/explore.js", "/explore/explore.css"} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if m := external.FindString(rec.Body.String()); m != "" {
			t.Errorf("%s loads from another origin: %q", path, m)
		}
	}
}
