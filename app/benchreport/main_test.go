package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkSignIn-2   	       1	 812 ns/op	 21.0 hash-ms	 1.12 signin/hash	 0.95 unknown/wrong
BenchmarkInlineEditLoad-2   	1	6005905386 ns/op	 1325 edit/s	 0.2669 edits/updates	 4964 bare/s
PASS
`

func TestReportReadsMetricsAndJudgesTargets(t *testing.T) {
	t.Parallel()
	results, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if got := results["BenchmarkSignIn"]["signin/hash"]; got != 1.12 {
		t.Errorf("signin/hash = %v", got)
	}
	var out strings.Builder
	failed := write(&out, results)
	if !failed {
		t.Errorf("an edits/updates ratio of 0.27 passed the 0.4 target")
	}
	for _, want := range []string{"1.120", "met", "0.267", "NOT MET", "(not run)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}
