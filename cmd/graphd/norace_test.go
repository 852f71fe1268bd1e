//go:build !race

package main

// The load test's size without the race detector (see race_test.go).
const (
	overloadClients  = 32
	overloadRequests = 2000
)
