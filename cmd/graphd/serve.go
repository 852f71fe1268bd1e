package main

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/cors"
	"github.com/spf13/cobra"

	"github.com/provgraph/provgraph/graph"
	"github.com/provgraph/provgraph/graph/cayleystore"
	"github.com/provgraph/provgraph/graph/explore"
	"github.com/provgraph/provgraph/graph/export"
	"github.com/provgraph/provgraph/graph/gql"
	"github.com/provgraph/provgraph/loaders/all"
	"github.com/provgraph/provgraph/provenance"
)

// webFS holds the GraphiQL page, built by web/build.sh from the versions
// pinned in web/package-lock.json and committed, so that graphd serves it
// without a network and builds with Go alone.
//
//go:embed web/dist
var webFS embed.FS

// ServeConfig is what graphd serve reads from its flags and the
// environment.
type ServeConfig struct {
	// Addr is the address to listen on.
	Addr string
	// Load lists paths to load, as graphd load does, before serving.
	Load []string
	// CORSOrigins are the origins whose pages may call the API; "*" allows
	// any.
	CORSOrigins []string
	// Token, when set, is the bearer token mutations need. It is never
	// logged.
	Token string
	// ReadOnly turns mutations off.
	ReadOnly bool
	// MaxBody caps a request body, in bytes.
	MaxBody int64
	// Timeout caps the time one request may take.
	Timeout time.Duration
}

// dumpHandler serves the store's dump: the whole graph, texts included, so
// it needs the token when there is one.
func dumpHandler(s *cayleystore.Store, token string, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", "GET")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if token != "" {
			if !export.Authorized(r, token) {
				w.Header().Set("WWW-Authenticate", "Bearer")
				http.Error(w, "the dump needs the server's token", http.StatusUnauthorized)
				return
			}
		}
		// Read whole before answering, so that a failure is an error
		// status and a complete dump carries its length.
		var buf bytes.Buffer
		if err := s.Dump(r.Context(), &buf); err != nil {
			log.Error("dump", "err", err)
			http.Error(w, "the dump failed; see the server's log", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/n-quads")
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		buf.WriteTo(w)
	})
}

func newServeCmd(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	sc := &ServeConfig{}
	var rf readFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the graph over GraphQL, with a GraphiQL page for people",
		Long: `serve answers GraphQL queries about the graph at /graphql (POST, and GET
for queries) and serves GraphiQL, a page to write and run them, at /. The
page is built into graphd and needs no network. /healthz answers "ok"
while the server is up.

--load reads documents into the graph first, exactly as "graphd load"
does, so that

    graphd serve --load testdata/seeds

starts a server over the demo articles. Mutations (ingest, deleteDocument)
change the graph; --read-only turns them off, and --token (or the
GRAPHD_TOKEN environment variable) makes them require the header
"Authorization: Bearer TOKEN". Queries never need the token.

--cors-origin lets pages served from other origins (a notebook, a
frontend on another port) call the API.

/dump answers GET with the whole graph as "graphd dump" writes it, read
while writes wait, so that it is one consistent state even while
documents are being ingested: the way to back up a running server
("graphd dump --server URL", or curl). With --token it needs the token.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if sc.Token == "" {
				sc.Token = os.Getenv("GRAPHD_TOKEN")
			}
			opt, err := rf.options(cmd.InOrStdin())
			if err != nil {
				return err
			}
			if cfg.LogLevel == "warn" && !cmd.Flags().Changed("log-level") && os.Getenv("GRAPHD_LOG_LEVEL") == "" {
				cfg.LogLevel = "info" // request logs are the point of a server's log
			}
			return withStore(cmd, cfg, stderr, func(ctx context.Context, s *cayleystore.Store, log *slog.Logger) error {
				if len(sc.Load) > 0 {
					err := runLoad(ctx, s, sc.Load, opt, 256, cfg.Quiet, stderr)
					var ex exitError
					if err != nil && !errors.As(err, &ex) {
						return err
					}
					// Documents that failed were reported; serve the rest.
				}
				return serve(ctx, sc, s, log, func(addr string) {
					fmt.Fprintf(stderr, "graphd: serving http://%s/ (GraphQL at http://%s/graphql)\n", addr, addr)
				})
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&sc.Addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	f.StringSliceVar(&sc.Load, "load", nil, "load these files or folders (as graphd load) before serving; repeatable or comma-separated")
	f.StringSliceVar(&sc.CORSOrigins, "cors-origin", nil, `origins allowed to call the API from a browser, such as http://localhost:8888 ("*" for any); repeatable`)
	f.StringVar(&sc.Token, "token", "", "bearer token that mutations need (default: env GRAPHD_TOKEN; none means mutations are open)")
	f.BoolVar(&sc.ReadOnly, "read-only", false, "refuse every mutation")
	f.Int64Var(&sc.MaxBody, "max-body", 8<<20, "largest request body accepted, in bytes")
	f.DurationVar(&sc.Timeout, "timeout", 30*time.Second, "longest time one request may take")
	f.BoolVarP(&cfg.Quiet, "quiet", "q", false, "print only errors and the summary when loading")
	rf.register(cmd)
	return cmd
}

// serve listens on sc.Addr and serves until ctx is done, then shuts down
// gracefully. ready is called with the address once it is listening.
func serve(ctx context.Context, sc *ServeConfig, s *cayleystore.Store, log *slog.Logger, ready func(addr string)) error {
	h, err := newServer(s, sc, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", sc.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       sc.Timeout + 10*time.Second,
		WriteTimeout:      sc.Timeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	log.Info("serving", "addr", ln.Addr().String(), "read_only", sc.ReadOnly, "token", sc.Token != "", "cors", sc.CORSOrigins)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("serve: shutting down: %w", err)
	}
	<-done
	return nil
}

// newServer wires the HTTP handler: the GraphQL endpoint over s, with the
// provenance linker as its tracer and the load pipeline for ingest, the
// GraphiQL page, the health check, and the middleware every request goes
// through (request ID and log, CORS, body limit, timeout).
func newServer(s *cayleystore.Store, sc *ServeConfig, log *slog.Logger) (http.Handler, error) {
	in, err := all.Ingester()
	if err != nil {
		return nil, err
	}
	link := &linker{l: provenance.New(s), tracers: make(chan *provenance.Linker, runtime.GOMAXPROCS(0))}
	for range cap(link.tracers) {
		link.tracers <- provenance.New(s)
	}
	api := gql.NewHandler(&gql.Resolver{
		Store:  s,
		Tracer: link,
		Linker: link,
		Relink: func(ctx context.Context, doc graph.ID, change func() error) error {
			_, err := relinkAround(ctx, s, doc, change)
			return err
		},
		Formats:  all.Default(),
		Ingester: in,
		Logger:   log,
	}, gql.Options{ReadOnly: sc.ReadOnly, Token: sc.Token})
	page, err := fs.Sub(webFS, "web/dist")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/graphql", limit(api, sc.MaxBody, sc.Timeout))
	mux.Handle("/explore/", http.StripPrefix("/explore", explore.Handler()))
	mux.Handle("/export", limit(export.NewHandler(s, export.HandlerOptions{Token: sc.Token, Logger: log}), sc.MaxBody, sc.Timeout))
	mux.Handle("/dump", dumpHandler(s, sc.Token, log))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	files := http.FileServerFS(page)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		files.ServeHTTP(w, r)
	})
	var h http.Handler = mux
	if len(sc.CORSOrigins) > 0 {
		h = cors.New(cors.Options{
			AllowedOrigins: sc.CORSOrigins,
			AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
			AllowedHeaders: []string{"Content-Type", "Authorization", "Accept"},
			MaxAge:         600,
		}).Handler(h)
	}
	return logRequests(h, log), nil
}

// limit caps a request's body and its time: the context's deadline stops
// the resolvers, and the client gets a TIMEOUT error.
func limit(h http.Handler, maxBody int64, timeout time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxBody {
			http.Error(w, fmt.Sprintf("request body larger than %d bytes", maxBody), http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests gives each request an ID (returned in X-Request-ID, and shown
// with internal errors) and logs one line per request. Headers are not
// logged: they may hold the token.
func logRequests(h http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := gql.NewRequestID()
		w.Header().Set("X-Request-ID", id)
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r.WithContext(gql.WithRequestID(r.Context(), id)))
		log.Info("request", "request_id", id, "method", r.Method, "path", r.URL.Path,
			"status", sw.status, "bytes", sw.bytes, "duration", time.Since(start).Round(time.Microsecond),
			"remote", r.RemoteAddr, "agent", strings.TrimSpace(r.UserAgent()))
	})
}

// linker links ingested documents with one provenance linker, which is
// not safe for concurrent use, so links take turns; provenance queries
// each borrow one of a few other linkers, so that they run in parallel
// and never wait for an ingest's linking (under load, one shared lock made
// every query queue behind every ingest). A tracing linker links nothing,
// so it sees the stored graph only.
type linker struct {
	mu sync.Mutex
	l  *provenance.Linker
	// tracers holds the linkers provenance queries borrow.
	tracers chan *provenance.Linker
}

var (
	_ gql.Tracer = (*linker)(nil)
	_ gql.Linker = (*linker)(nil)
)

func (k *linker) Link(ctx context.Context, dg *graph.DocGraph) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.l.Link(ctx, dg)
}

func (k *linker) Flush() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.l.Flush()
}

func (k *linker) Trace(ctx context.Context, text string, first int) ([]graph.Provenance, error) {
	var t *provenance.Linker
	select {
	case t = <-k.tracers:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { k.tracers <- t }()
	return t.Trace(ctx, text, first)
}
