package gql

// gqlgen finds gqlgen.yml at the repository root and writes generated.go,
// models_gen.go and the resolver stubs from schema.graphqls.
//go:generate go tool gqlgen
