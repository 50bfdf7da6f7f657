package chart

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// render renders c into a string.
func render(t *testing.T, c templ.Component) string {
	t.Helper()

	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	return buf.String()
}

// svgElement is one element of a parsed SVG: its name, attributes and the
// text directly inside it.
type svgElement struct {
	name  string
	attrs map[string]string
	text  string
}

// parseSVG cuts the svg element out of html and parses it as strict XML,
// failing the test when it is missing or not well-formed.
func parseSVG(t *testing.T, html string) []svgElement {
	t.Helper()

	start, end := strings.Index(html, "<svg"), strings.LastIndex(html, "</svg>")
	if start < 0 || end < start {
		t.Fatalf("no svg element in %s", html)
	}

	dec := xml.NewDecoder(strings.NewReader(html[start : end+len("</svg>")]))
	var elems []svgElement
	var open []int
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return elems
		}
		if err != nil {
			t.Fatalf("svg is not well-formed XML: %v", err)
		}

		switch tok := tok.(type) {
		case xml.StartElement:
			e := svgElement{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			open = append(open, len(elems))
			elems = append(elems, e)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			if len(open) > 0 {
				elems[open[len(open)-1]].text += string(tok)
			}
		}
	}
}

// find is the elements named name.
func find(elems []svgElement, name string) []svgElement {
	var out []svgElement
	for _, e := range elems {
		if e.name == name {
			out = append(out, e)
		}
	}
	return out
}

// withClass is the elements whose class list holds class.
func withClass(elems []svgElement, class string) []svgElement {
	var out []svgElement
	for _, e := range elems {
		if slices.Contains(strings.Fields(e.attrs["class"]), class) {
			out = append(out, e)
		}
	}
	return out
}

// checkNoInlineStyle fails when html carries a style attribute or element,
// which the Content-Security-Policy would block.
func checkNoInlineStyle(t *testing.T, html string) {
	t.Helper()

	lower := strings.ToLower(html)
	if strings.Contains(lower, "style=") || strings.Contains(lower, "<style") {
		t.Errorf("inline style in %s", html)
	}
	if strings.Contains(lower, "<script") {
		t.Errorf("script in %s", html)
	}
}

func TestChart(t *testing.T) {
	t.Parallel()

	in := sampleInput()
	m := Layout(in, Large)
	html := render(t, Chart(m))
	elems := parseSVG(t, html)
	checkNoInlineStyle(t, html)

	svg := elems[0]
	if svg.name != "svg" || svg.attrs["role"] != "img" || svg.attrs["viewBox"] != "0 0 640 280" {
		t.Errorf("svg attributes = %v", svg.attrs)
	}
	ids := map[string]string{}
	for _, e := range elems {
		if id := e.attrs["id"]; id != "" {
			ids[id] = e.name
		}
	}
	for _, id := range strings.Fields(svg.attrs["aria-labelledby"]) {
		if ids[id] == "" {
			t.Errorf("aria-labelledby names %q, which no element has", id)
		}
	}
	if ids["goal-42-chart-title"] != "title" || ids["goal-42-chart-desc"] != "desc" {
		t.Errorf("ids = %v, want goal-42-chart-title on <title> and goal-42-chart-desc on <desc>", ids)
	}
	if got := find(elems, "desc"); len(got) != 1 || got[0].text != m.Description {
		t.Errorf("desc = %v, want %q", got, m.Description)
	}

	points := withClass(elems, "point")
	// One circle per value, plus the one in the legend.
	if len(points) != len(in.Points)+1 {
		t.Errorf("got %d point circles, want %d", len(points), len(in.Points)+1)
	}
	for _, class := range []string{"values", "aim", "trend", "boundary", "legend"} {
		if len(withClass(elems, class)) == 0 {
			t.Errorf("no element of class %q", class)
		}
	}
	if strings.Count(html, "stroke-dasharray") < 3 {
		t.Errorf("aim, trend and boundaries are not all dashed")
	}
	for _, want := range []string{"<title>Sep 3, 2026: 44.2 % accuracy</title>", "Q2", "Jan 2027", "Aim line"} {
		if !strings.Contains(html, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
}

func TestChartDataTable(t *testing.T) {
	t.Parallel()

	in := Input{Unit: "wpm", Points: []Point{{day("2026-09-10"), 20}, {day("2026-09-03"), 12.5}, {day("2026-09-17"), 31}}}
	html := render(t, Chart(Layout(in, Large)))

	table := html[strings.Index(html, "<details"):]
	if !strings.Contains(table, "<summary>Show the data as a table</summary>") {
		t.Error("the table is not behind a summary")
	}
	body := table[strings.Index(table, "<tbody>"):strings.Index(table, "</tbody>")]
	if n := strings.Count(body, "<tr>"); n != len(in.Points) {
		t.Errorf("got %d rows, want %d", n, len(in.Points))
	}
	first, second := strings.Index(body, "Sep 3, 2026"), strings.Index(body, "Sep 10, 2026")
	if first < 0 || second < first || !strings.Contains(body, `datetime="2026-09-03"`) {
		t.Errorf("rows are not dated in day order: %s", body)
	}
	if !strings.Contains(table, "Value (wpm)") || !strings.Contains(body, "<td>12.5</td>") {
		t.Errorf("table lacks the unit or a value: %s", table)
	}
}

func TestChartEscapesText(t *testing.T) {
	t.Parallel()

	in := sampleInput()
	in.Title = "<script>alert(1)</script> & co"
	in.Unit = `"<b>"`
	in.Boundaries = []Boundary{{Day: day("2026-11-02"), Label: "<i>Q2</i>"}}

	for name, c := range map[string]templ.Component{
		"chart":     Chart(Layout(in, Large)),
		"sparkline": Sparkline(Layout(in, Small)),
	} {
		html := render(t, c)
		parseSVG(t, html)
		if strings.Contains(html, "<script>") || strings.Contains(html, "<b>") || strings.Contains(html, "<i>") {
			t.Errorf("%s carries unescaped markup: %s", name, html)
		}
	}
	const escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
	if html := render(t, Chart(Layout(in, Large))); !strings.Contains(html, escaped) {
		t.Errorf("chart lacks the escaped title: %s", html)
	}
}

func TestChartWithoutValues(t *testing.T) {
	t.Parallel()

	in := Input{ID: "goal-7-chart", Baseline: ptr(1), Target: ptr(2), TargetDate: day("2027-01-01")}
	for name, html := range map[string]string{
		"chart":     render(t, Chart(Layout(in, Large))),
		"sparkline": render(t, Sparkline(Layout(in, Small))),
	} {
		if !strings.Contains(html, "No measured values yet.") || strings.Contains(html, "<svg") {
			t.Errorf("%s without values = %s", name, html)
		}
	}
}

func TestSparkline(t *testing.T) {
	t.Parallel()

	m := Layout(sampleInput(), Small)
	html := render(t, Sparkline(m))
	elems := parseSVG(t, html)
	checkNoInlineStyle(t, html)

	svg := elems[0]
	if svg.attrs["role"] != "img" || svg.attrs["aria-label"] != m.Description {
		t.Errorf("svg role %q, aria-label %q, want img and %q", svg.attrs["role"], svg.attrs["aria-label"], m.Description)
	}
	if svg.attrs["width"] != "160" || svg.attrs["height"] != "40" {
		t.Errorf("sparkline is %sx%s, want 160x40", svg.attrs["width"], svg.attrs["height"])
	}
	counts := map[string]int{"values": 1, "aim": 1, "point": 1, "trend": 0}
	for class, want := range counts {
		if got := len(withClass(elems, class)); got != want {
			t.Errorf("got %d elements of class %q, want %d", got, class, want)
		}
	}
	if len(find(elems, "text")) != 0 {
		t.Error("sparkline has text")
	}
}

func TestCompactChartHasNoText(t *testing.T) {
	t.Parallel()

	html := render(t, Chart(Layout(sampleInput(), Small)))
	if texts := find(parseSVG(t, html), "text"); len(texts) != 0 {
		t.Errorf("compact chart has %d text elements", len(texts))
	}
}

// TestChartGolden compares the large sample chart with
// testdata/chart.golden.html; run with -update to rewrite it after a change
// that is meant to show.
func TestChartGolden(t *testing.T) {
	t.Parallel()

	html := render(t, Chart(Layout(sampleInput(), Large))) + "\n" +
		render(t, Sparkline(Layout(sampleInput(), Small))) + "\n"
	golden := filepath.Join("testdata", "chart.golden.html")
	if *update {
		if err := os.WriteFile(golden, []byte(html), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if html != string(want) {
		t.Errorf("chart differs from %s (run go test -update to accept):\n%s", golden, html)
	}
}
