package gql_test

import (
	"strings"
	"testing"

	"github.com/provgraph/provgraph/graph/gql"
)

// TestSchemaDescribed checks that every type, field, argument and enum
// value of the schema has a description: clients and GraphiQL's docs rely
// on them.
func TestSchemaDescribed(t *testing.T) {
	s := gql.NewExecutableSchema(gql.Config{Resolvers: &gql.Resolver{}}).Schema()
	builtin := map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}
	n := 0
	for name, def := range s.Types {
		if builtin[name] || strings.HasPrefix(name, "__") || def.BuiltIn {
			continue
		}
		n++
		if strings.TrimSpace(def.Description) == "" {
			t.Errorf("type %s has no description", name)
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if strings.TrimSpace(f.Description) == "" {
				t.Errorf("%s.%s has no description", name, f.Name)
			}
			for _, a := range f.Arguments {
				if strings.TrimSpace(a.Description) == "" {
					t.Errorf("%s.%s(%s) has no description", name, f.Name, a.Name)
				}
			}
		}
		for _, v := range def.EnumValues {
			if strings.TrimSpace(v.Description) == "" {
				t.Errorf("%s.%s has no description", name, v.Name)
			}
		}
	}
	if n < 30 {
		t.Errorf("only %d types checked", n)
	}
}
