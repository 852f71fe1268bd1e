// Package explore is the explorer page graphd serve offers at /explore: a
// search box for a claim, a quote or an actor; the claim's timeline (who
// said it first, who repeated it, who disputes it); an interactive graph
// drawn with Cytoscape.js that grows when a node is expanded; and the
// evidence of a statement, its sentence with the statement's parts
// highlighted. The page talks only to the public GraphQL API (../graphql)
// and links to the exports (../export), so it works against any graphd
// that serves both beside it.
//
// The page is plain JavaScript built by esbuild from ui/src into ui/dist,
// which is committed and embedded, so graphd builds with Go alone and the
// page loads nothing from the network. ui/build.sh rebuilds it from the
// versions pinned in ui/package-lock.json (Cytoscape.js 3.34.4 and
// cytoscape-fcose 2.2.0); the same lockfile gives the same bytes.
package explore

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed ui/dist
var dist embed.FS

// Handler serves the page and its assets. Mount it under a path ending in
// a slash with that prefix stripped:
//
//	mux.Handle("/explore/", http.StripPrefix("/explore", explore.Handler()))
//
// The page's state is in the URL's hash, so every view is one document.
func Handler() http.Handler {
	sub, err := fs.Sub(dist, "ui/dist")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if strings.HasSuffix(r.URL.Path, ".txt") {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		}
		// The page may only load what graphd serves.
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}
