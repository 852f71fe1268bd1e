//go:build race

package main

// Under the race detector, which makes graphd several times slower, the
// load test sends fewer requests so that CI's run stays within minutes;
// the figures in RELIABILITY.md come from a run without it.
const (
	overloadClients  = 32
	overloadRequests = 1000
)
