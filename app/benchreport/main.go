// Command benchreport reads the output of `go test -bench` and prints the
// figures the project tracks as one table: each measured value, the
// baseline it is compared with where there is one, the ratio, and the
// target with a verdict. `task bench` pipes every benchmark through it.
//
//	go test -run '^$' -bench . ./... | go run ./app/benchreport
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
)

// figure is one line of the report: a metric of a benchmark, with the
// target it is held to, if any.
type figure struct {
	bench, metric, label string
	// check says whether a value meets the target; nil means no target.
	check  func(float64) bool
	target string
}

func atMost(limit float64) func(float64) bool  { return func(v float64) bool { return v <= limit } }
func atLeast(limit float64) func(float64) bool { return func(v float64) bool { return v >= limit } }
func between(lo, hi float64) func(float64) bool {
	return func(v float64) bool { return v >= lo && v <= hi }
}

// figures are the tracked numbers, in the order of the issues that asked
// for them.
var figures = []figure{
	{"BenchmarkSignIn", "signin/hash", "sign-in ÷ one password hash", atMost(1.5), "≤ 1.5"},
	{"BenchmarkSignIn", "unknown/wrong", "unknown email ÷ wrong password", between(0.8, 1.25), "0.8–1.25"},
	{"BenchmarkStudentPage", "median-ms", "student page, median server time (ms)", nil, ""},
	{"BenchmarkStudentPage", "statements/req", "student page, SQL statements per request", atMost(6), "≤ 6"},
	{"BenchmarkStudentPage", "html-bytes", "student page, HTML bytes", nil, ""},
	{"BenchmarkStudentPage", "js-bytes", "JavaScript shipped, bytes", nil, ""},
	{"BenchmarkLoadStudentPage", "page/s", "student page over HTTP, 8 clients (/s)", nil, ""},
	{"BenchmarkLoadStudentPage", "page-p50-ms", "  p50 (ms)", nil, ""},
	{"BenchmarkLoadStudentPage", "page-p99-ms", "  p99 (ms)", nil, ""},
	{"BenchmarkLoadStudentPage", "bare/s", "  baseline: its statements replayed through pgx (/s)", nil, ""},
	{"BenchmarkLoadStudentPage", "bare-p50-ms", "  baseline p50 (ms)", nil, ""},
	{"BenchmarkLoadStudentPage", "bare-p99-ms", "  baseline p99 (ms)", nil, ""},
	{"BenchmarkLoadStudentPage", "pages/bare", "  pages ÷ baseline", nil, ""},
	{"BenchmarkInlineEditLoad", "edit/s", "inline goal edits over HTTP, 8 clients (/s)", nil, ""},
	{"BenchmarkInlineEditLoad", "edit-p50-ms", "  p50 (ms)", nil, ""},
	{"BenchmarkInlineEditLoad", "edit-p99-ms", "  p99 (ms)", nil, ""},
	{"BenchmarkInlineEditLoad", "edit-cpu-us", "  processor time per edit, whole machine (µs)", nil, ""},
	{"BenchmarkInlineEditLoad", "edit-db-cpu-us", "    of it PostgreSQL (µs)", nil, ""},
	{"BenchmarkInlineEditLoad", "edit-go-cpu-us", "    of it server and clients (µs)", nil, ""},
	{"BenchmarkInlineEditLoad", "bare/s", "  baseline: bare pgx UPDATEs (/s)", nil, ""},
	{"BenchmarkInlineEditLoad", "bare-p50-ms", "  baseline p50 (ms)", nil, ""},
	{"BenchmarkInlineEditLoad", "bare-p99-ms", "  baseline p99 (ms)", nil, ""},
	{"BenchmarkInlineEditLoad", "bare-cpu-us", "  baseline processor time per UPDATE (µs)", nil, ""},
	{"BenchmarkInlineEditLoad", "edits/updates", "  edits ÷ bare UPDATEs", atLeast(0.4), "≥ 0.4"},
	{"BenchmarkCompileDistrict", "compile-s", "compile of the district (s)", nil, ""},
	{"BenchmarkCompileDistrict", "bare-s", "  baseline: one INSERT … SELECT (s)", nil, ""},
	{"BenchmarkCompileDistrict", "compile/bare", "  compile ÷ baseline", atMost(5), "≤ 5"},
	{"BenchmarkWorkbook", "build/raw", "workbook rows/s ÷ bare StreamWriter", atLeast(0.7), "≥ 0.7"},
	{"BenchmarkWorkbook", "file-MB", "  workbook size (MB)", nil, ""},
	{"BenchmarkWorkbook", "peak-rss-MB", "  peak resident memory (MB)", atMost(250), "< 250"},
	{"BenchmarkRosterImport", "s/import", "CSV import of 10,000 students (s)", nil, ""},
}

func main() {
	results, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
	if failed := write(os.Stdout, results); failed {
		fmt.Println("\nSome targets are not met; see the NOT MET lines.")
	}
}

// parse reads benchmark lines ("BenchmarkX-2  1  123 ns/op  4.5 unit ...")
// into benchmark name -> metric -> value, echoing nothing.
func parse(r io.Reader) (map[string]map[string]float64, error) {
	out := map[string]map[string]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := fields[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i]
		}
		metrics := map[string]float64{}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			metrics[fields[i+1]] = v
		}
		out[name] = metrics
	}
	return out, sc.Err()
}

// write prints the table and reports whether a target was missed.
func write(w io.Writer, results map[string]map[string]float64) (failed bool) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FIGURE\tVALUE\tTARGET\tVERDICT")
	for _, f := range figures {
		v, ok := results[f.bench][f.metric]
		if !ok {
			fmt.Fprintf(tw, "%s\t(not run)\t%s\t\n", f.label, f.target)
			continue
		}
		verdict := ""
		if f.check != nil {
			verdict = "met"
			if !f.check(v) {
				verdict, failed = "NOT MET", true
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.label, format(v), f.target, verdict)
	}
	_ = tw.Flush()
	return failed
}

func format(v float64) string {
	switch {
	case v >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
}
