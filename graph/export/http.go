package export

import (
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/provgraph/provgraph/graph"
)

// HandlerOptions configure [NewHandler]. The zero value serves exports
// with documents' text to anyone and logs nothing.
type HandlerOptions struct {
	// Token, when set, is the bearer token an export with documents' full
	// text (text=1) needs, as mutations do.
	Token string
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
}

// NewHandler serves exports over HTTP GET:
//
//	/export?format=graphml                      the whole graph
//	/export?format=jsonld&id=IRI&id=IRI&depth=2 the neighbourhood of nodes
//
// Parameters: format (one of [Names]), id (repeatable; ids takes a
// comma-separated list), depth (0 to [MaxDepth], default 1), limit (nodes,
// default [DefaultLimit]) and text=1 for documents' full text, which needs
// "Authorization: Bearer TOKEN" when opt.Token is set. The response is an
// attachment named provgraph.EXT.
func NewHandler(src Source, opt HandlerOptions) http.Handler {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		q := r.URL.Query()
		f, err := ByName(q.Get("format"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var o Options
		for _, id := range q["id"] {
			o.IDs = append(o.IDs, graph.ID(id))
		}
		for _, list := range q["ids"] {
			for _, id := range strings.Split(list, ",") {
				if id = strings.TrimSpace(id); id != "" {
					o.IDs = append(o.IDs, graph.ID(id))
				}
			}
		}
		o.Depth = 1
		if v := q.Get("depth"); v != "" {
			if o.Depth, err = strconv.Atoi(v); err != nil || o.Depth < 0 || o.Depth > MaxDepth {
				http.Error(w, "export: depth must be an integer from 0 to "+strconv.Itoa(MaxDepth), http.StatusBadRequest)
				return
			}
		}
		if v := q.Get("limit"); v != "" {
			if o.Limit, err = strconv.Atoi(v); err != nil || o.Limit < 1 {
				http.Error(w, "export: limit must be a positive integer", http.StatusBadRequest)
				return
			}
		}
		switch q.Get("text") {
		case "", "0", "false":
		case "1", "true":
			o.Text = true
		default:
			http.Error(w, "export: text must be 1 or 0", http.StatusBadRequest)
			return
		}
		if o.Text && opt.Token != "" && !Authorized(r, opt.Token) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="graphd"`)
			http.Error(w, "export: documents' text needs the server's token (Authorization: Bearer TOKEN)", http.StatusUnauthorized)
			return
		}
		g, err := Collect(r.Context(), src, o)
		if err != nil {
			if errors.Is(err, r.Context().Err()) && r.Context().Err() != nil {
				http.Error(w, "export: timed out", http.StatusServiceUnavailable)
				return
			}
			log.Error("export", "err", err, "format", f.Name)
			http.Error(w, "export: internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", f.MIMEType+"; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="provgraph.`+f.Ext+`"`)
		if g.Truncated {
			w.Header().Set("X-Truncated", "true")
		}
		if r.Method == http.MethodHead {
			return
		}
		if err := f.Write(w, g); err != nil {
			log.Warn("export: writing the response", "err", err, "format", f.Name)
		}
	})
}

// Authorized reports whether r carries "Authorization: Bearer TOKEN" for
// token, compared in constant time.
func Authorized(r *http.Request, token string) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}
