package audit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"
)

// TestEveryActionIsFilterable reads the Action constants of audit.go and
// checks that the log's filter offers each, so an action added later is
// not left out of it.
func TestEveryActionIsFilterable(t *testing.T) {
	t.Parallel()
	file, err := parser.ParseFile(token.NewFileSet(), "audit.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	ast.Inspect(file, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, name := range spec.Names {
			if !strings.HasPrefix(name.Name, "Action") || i >= len(spec.Values) {
				continue
			}
			lit, ok := spec.Values[i].(*ast.BasicLit)
			if !ok {
				continue
			}
			found++
			if action := strings.Trim(lit.Value, `"`); !slices.Contains(KnownActions, action) {
				t.Errorf("%s (%s) is not in KnownActions", name.Name, action)
			}
		}
		return true
	})
	if found < 20 {
		t.Fatalf("found only %d action constants", found)
	}
}
