package static

import (
	"os"
	"strings"
	"testing"
)

// TestStylesheetBlocksAreClosed checks that every rule of app.css is
// closed before the next begins: a lost brace silently swallows every
// rule after it, which no other test would notice.
func TestStylesheetBlocksAreClosed(t *testing.T) {
	t.Parallel()
	css, err := os.ReadFile("app.css")
	if err != nil {
		t.Fatal(err)
	}
	depth := 0
	for i, line := range strings.Split(string(css), "\n") {
		startsRule := line != "" && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "}")
		// Rules inside @media are indented; a rule at the left margin
		// while a block is open means the block was never closed.
		if startsRule && depth > 0 {
			t.Fatalf("line %d starts %q inside an open block", i+1, line)
		}
		depth += strings.Count(line, "{") - strings.Count(line, "}")
		if depth < 0 {
			t.Fatalf("line %d closes a block that was never opened", i+1)
		}
	}
	if depth != 0 {
		t.Fatalf("%d blocks are never closed", depth)
	}
}
