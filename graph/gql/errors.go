package gql

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/provgraph/provgraph/graph"
)

// Error codes, in each error's extensions.code.
const (
	CodeBadInput        = "BAD_USER_INPUT"    // an argument is out of range or malformed
	CodeNotFound        = "NOT_FOUND"         // a node the request names does not exist
	CodeUnauthenticated = "UNAUTHENTICATED"   // a mutation without the server's bearer token
	CodeForbidden       = "FORBIDDEN"         // a mutation on a read-only server
	CodeUnavailable     = "UNAVAILABLE"       // a feature this server was not given (provenance)
	CodeTimeout         = "TIMEOUT"           // the request ran out of time
	CodeTooComplex      = "QUERY_TOO_COMPLEX" // over the depth or complexity limit
	CodeInternal        = "INTERNAL"          // anything else; details are in the server's log
)

// gqlgenComplexityCode is the code gqlgen's FixedComplexityLimit gives
// its error.
const gqlgenComplexityCode = "COMPLEXITY_LIMIT_EXCEEDED"

// ErrNoTracer is returned by Query.provenance on a server without a
// [Tracer].
var ErrNoTracer = errors.New("provenance tracing is not available on this server")

// userError is an error whose message is meant for the client.
type userError struct {
	code string
	msg  string
}

func (e *userError) Error() string { return e.msg }

func badInput(format string, a ...any) error {
	return &userError{code: CodeBadInput, msg: fmt.Sprintf(format, a...)}
}

// presenter maps errors to what the client sees: messages written for
// clients keep their message and get a code; the sentinels of package graph
// become fixed messages; anything else becomes "internal error" with the
// request ID, and is logged with it, so that no path, query or stack of the
// server reaches the client.
func presenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		out := graphql.DefaultErrorPresenter(ctx, err)
		set := func(code, msg string) *gqlerror.Error {
			out.Err = nil
			out.Message = msg
			if out.Extensions == nil {
				out.Extensions = map[string]any{}
			}
			out.Extensions["code"] = code
			return out
		}
		var ue *userError
		switch {
		case errors.As(err, &ue):
			return set(ue.code, ue.msg)
		case errors.Is(err, ErrNoTracer):
			return set(CodeUnavailable, ErrNoTracer.Error()+": the cross-document linking that answers it is not configured")
		case errors.Is(err, graph.ErrNotFound):
			return set(CodeNotFound, "not found")
		case errors.Is(err, graph.ErrInvalid):
			return set(CodeBadInput, "invalid input")
		case errors.Is(err, context.DeadlineExceeded):
			return set(CodeTimeout, "the request took too long and was stopped")
		case errors.Is(err, context.Canceled):
			return set(CodeTimeout, "the request was cancelled")
		}
		if out.Err == nil {
			// Parse, validation and limit errors, written by gqlgen or by
			// this package for the client. gqlgen's complexity limit has
			// a code of its own; clients get the one documented for both
			// limits.
			if out.Extensions["code"] == gqlgenComplexityCode {
				out.Extensions["code"] = CodeTooComplex
			}
			return out
		}
		id := RequestIDFor(ctx)
		log.ErrorContext(ctx, "graphql: internal error", "request_id", id, "path", out.Path.String(), "err", err)
		set(CodeInternal, "internal error")
		out.Err = nil
		if id != "" {
			out.Message = "internal error (request " + id + ")"
			out.Extensions["requestId"] = id
		}
		return out
	}
}

// recoverer turns a panic in a resolver into an internal error, logged with
// the request ID, instead of a crashed server.
func recoverer(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "graphql: panic", "request_id", RequestIDFor(ctx), "panic", fmt.Sprint(p))
		return errors.New("gql: panic in a resolver")
	}
}
