package gql

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits a query must keep within; see [Options].
const (
	DefaultMaxComplexity = 20000
	DefaultMaxDepth      = 12
	DefaultMaxTokens     = 10000
)

// Options configures [NewHandler]. The zero value serves queries and
// mutations to anyone, within the default limits.
type Options struct {
	// ReadOnly refuses every mutation.
	ReadOnly bool
	// Token, when not empty, is the bearer token a mutation must carry in
	// its Authorization header. Queries never need it.
	Token string
	// MaxComplexity caps a query's complexity: each field costs 1, and a
	// list costs its children times the number of items it may hold (first,
	// or an estimate for unpaged lists). Zero means DefaultMaxComplexity.
	MaxComplexity int
	// MaxDepth caps how deeply selections nest (introspection aside); zero
	// means DefaultMaxDepth.
	MaxDepth int
	// MaxTokens caps the number of tokens the parser reads, which bounds
	// the work done on a huge query (10,000 aliased fields) before any
	// other check; zero means DefaultMaxTokens.
	MaxTokens int
}

// NewHandler returns the GraphQL endpoint: POST and GET (queries only), with
// introspection, per-operation dataloaders, the limits of opt, the error
// presenter and a recover function.
func NewHandler(r *Resolver, opt Options) http.Handler {
	if opt.MaxComplexity <= 0 {
		opt.MaxComplexity = DefaultMaxComplexity
	}
	if opt.MaxDepth <= 0 {
		opt.MaxDepth = DefaultMaxDepth
	}
	if opt.MaxTokens <= 0 {
		opt.MaxTokens = DefaultMaxTokens
	}
	cfg := Config{Resolvers: r}
	setComplexity(&cfg.Complexity)
	srv := handler.New(NewExecutableSchema(cfg))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(opt.MaxTokens)
	srv.Use(extension.Introspection{})
	srv.Use(depthLimit{max: opt.MaxDepth})
	srv.Use(extension.FixedComplexityLimit(opt.MaxComplexity))
	srv.SetErrorPresenter(presenter(r.logger()))
	srv.SetRecoverFunc(recoverer(r.logger()))
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if ctx.Err() != nil {
			// gqlgen answers a request whose time is up before it starts
			// with an empty body; say why instead.
			return refuse(CodeTimeout, "the request took too long and was stopped")
		}
		if op := graphql.GetOperationContext(ctx).Operation; op != nil && op.Operation == ast.Mutation {
			switch {
			case opt.ReadOnly:
				return refuse(CodeForbidden, "mutations are disabled: the server is read-only")
			case opt.Token != "" && !authorized(ctx):
				return refuse(CodeUnauthenticated, "mutations need the server's token: send Authorization: Bearer <token>")
			}
		}
		return next(withLoaders(ctx, newLoaderSet(r.Store)))
	})
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if RequestIDFor(req.Context()) == "" {
			req = req.WithContext(WithRequestID(req.Context(), NewRequestID()))
		}
		if opt.Token != "" {
			got, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
			ok = ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(opt.Token)) == 1
			req = req.WithContext(context.WithValue(req.Context(), authorizedKey, ok))
		}
		srv.ServeHTTP(w, req)
	})
}

// NewRequestID returns a new random request ID: 16 hex digits.
func NewRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func authorized(ctx context.Context) bool {
	ok, _ := ctx.Value(authorizedKey).(bool)
	return ok
}

func refuse(code, msg string) graphql.ResponseHandler {
	return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
		Message:    msg,
		Extensions: map[string]any{"code": code},
	}}})
}

// depthLimit rejects operations whose selections nest deeper than max,
// before any resolver runs. Introspection fields (__schema, __type) are not
// counted: GraphiQL's introspection query nests deeply by design and its
// cost is bounded by the schema.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                          { return "DepthLimit" }
func (depthLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	m := &depthMeter{frags: oc.Doc.Fragments, memo: make(map[string]int)}
	if depth := m.depth(oc.Operation.SelectionSet); depth > d.max {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("the query nests %d levels deep; the limit is %d", depth, d.max),
			Extensions: map[string]any{"code": CodeTooComplex},
		}
	}
	return nil
}

// depthMeter measures selection depth, each fragment once.
type depthMeter struct {
	frags ast.FragmentDefinitionList
	memo  map[string]int
}

func (m *depthMeter) depth(set ast.SelectionSet) int {
	deepest := 0
	for _, sel := range set {
		d := 0
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") && s.Name != "__typename" {
				continue
			}
			d = 1 + m.depth(s.SelectionSet)
		case *ast.InlineFragment:
			d = m.depth(s.SelectionSet)
		case *ast.FragmentSpread:
			v, ok := m.memo[s.Name]
			if !ok {
				m.memo[s.Name] = 0 // a cycle, which validation has already refused
				if f := m.frags.ForName(s.Name); f != nil {
					v = m.depth(f.SelectionSet)
				}
				m.memo[s.Name] = v
			}
			d = v
		}
		deepest = max(deepest, d)
	}
	return deepest
}
