package chart

import (
	"math"
	"reflect"
	"slices"
	"testing"
	"time"
)

// ptr is a pointer to v, for the optional values of an Input.
func ptr(v float64) *float64 { return &v }

// weekly is n points a week apart from the first day, rising by step from
// start.
func weekly(first string, n int, start, step float64) []Point {
	points := make([]Point, n)
	for i := range points {
		points[i] = Point{Day: day(first).AddDate(0, 0, 7*i), Value: start + step*float64(i)}
	}
	return points
}

// sampleInput is a school year's goal: weekly values from September, an aim
// to May and quarter boundaries.
func sampleInput() Input {
	return Input{
		ID:         "goal-42-chart",
		Title:      "Accuracy for: Read a passage aloud",
		Unit:       "% accuracy",
		Points:     weekly("2026-09-03", 12, 44.2, 1.8),
		Baseline:   ptr(40),
		Target:     ptr(80),
		Start:      day("2026-08-27"),
		TargetDate: day("2027-05-21"),
		Boundaries: []Boundary{
			{Day: day("2027-01-04"), Label: "Q3"},
			{Day: day("2026-10-26"), Label: "Q2"},
			{Day: day("2027-03-15"), Label: "Q4"},
		},
	}
}

// yOf is where value v must be drawn in m.
func yOf(m Model, v float64) float64 {
	return m.Plot.Bottom - (v-m.YMin)/(m.YMax-m.YMin)*(m.Plot.Bottom-m.Plot.Top)
}

// inside reports whether (x, y) lies within r.
func inside(r Rect, x, y float64) bool {
	return x >= r.Left && x <= r.Right && y >= r.Top && y <= r.Bottom
}

func TestLayoutKeepsEverythingInThePlot(t *testing.T) {
	t.Parallel()

	negative := Input{Points: []Point{{day("2026-01-05"), -3}, {day("2026-01-06"), 4}, {day("2026-01-09"), -8}}}
	tests := []struct {
		name string
		in   Input
		size Size
	}{
		{name: "large", in: sampleInput(), size: Large},
		{name: "small", in: sampleInput(), size: Small},
		{name: "one point", in: Input{Points: []Point{{day("2026-09-03"), 52}}}, size: Large},
		{name: "negative values", in: negative, size: Large},
		{name: "tiny values", in: Input{Points: weekly("2026-09-03", 4, 0.001, 0.002)}, size: Large},
		{name: "one day", in: Input{Points: []Point{{day("2026-09-03"), 5}, {day("2026-09-03"), 6}}}, size: Small},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			m := Layout(tt.in, tt.size)
			if len(m.Marks) != len(tt.in.Points) {
				t.Fatalf("got %d marks, want %d", len(m.Marks), len(tt.in.Points))
			}
			for _, mk := range m.Marks {
				if !inside(m.Plot, mk.X, mk.Y) {
					t.Errorf("mark %q at (%v, %v) is outside the plot %+v", mk.Label, mk.X, mk.Y, m.Plot)
				}
			}
			for _, l := range []Line{m.Aim, m.Trend} {
				if l != (Line{}) && (!inside(m.Plot, l.X1, l.Y1) || !inside(m.Plot, l.X2, l.Y2)) {
					t.Errorf("line %+v leaves the plot %+v", l, m.Plot)
				}
			}
			if n := len(m.YTicks); n < 4 || n > 6 {
				t.Errorf("got %d y ticks, want 4 to 6", n)
			}
			if m.Plot.Right > float64(m.Width) || m.Plot.Bottom > float64(m.Height) || m.Plot.Left < 0 {
				t.Errorf("plot %+v leaves the %dx%d box", m.Plot, m.Width, m.Height)
			}
		})
	}
}

func TestLayoutAimLine(t *testing.T) {
	t.Parallel()

	m := Layout(sampleInput(), Large)
	if !m.HasAim {
		t.Fatal("no aim line")
	}

	// Start and TargetDate are the ends of the x-axis.
	left, right := m.Plot.Left+largeInset, m.Plot.Right-largeInset
	want := Line{X1: left, Y1: yOf(m, 40), X2: right, Y2: yOf(m, 80)}
	if !near(m.Aim.X1, want.X1) || !near(m.Aim.Y1, want.Y1) || !near(m.Aim.X2, want.X2) || !near(m.Aim.Y2, want.Y2) {
		t.Errorf("aim = %+v, want %+v", m.Aim, want)
	}
	if !m.FirstDay.Equal(day("2026-08-27")) || !m.LastDay.Equal(day("2027-05-21")) {
		t.Errorf("days %v to %v, want Start to TargetDate", m.FirstDay, m.LastDay)
	}
	if m.YMin > 40 || m.YMax < 80 {
		t.Errorf("y-axis %v to %v misses the baseline or the target", m.YMin, m.YMax)
	}
}

func TestLayoutAimStartsAtFirstValueWithoutStart(t *testing.T) {
	t.Parallel()

	in := sampleInput()
	in.Start = time.Time{}
	m := Layout(in, Large)
	if !m.HasAim || !near(m.Aim.X1, m.Marks[0].X) || !near(m.Aim.Y1, yOf(m, 40)) {
		t.Errorf("aim %+v does not start at the first value's day %v", m.Aim, m.Marks[0].X)
	}
}

func TestLayoutWithoutAimLine(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		change func(*Input)
	}{
		{name: "no baseline", change: func(in *Input) { in.Baseline = nil }},
		{name: "no target", change: func(in *Input) { in.Target = nil }},
		{name: "no target date", change: func(in *Input) { in.TargetDate = time.Time{} }},
		{name: "target date before start", change: func(in *Input) { in.TargetDate = day("2026-08-01") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			in := sampleInput()
			tt.change(&in)
			m := Layout(in, Large)
			if m.HasAim {
				t.Errorf("aim line %+v drawn", m.Aim)
			}
			if slices.ContainsFunc(m.Legend, func(l LegendItem) bool { return l.Class == "aim" }) {
				t.Error("legend names an aim line")
			}
		})
	}
}

func TestLayoutTrendSpansTheValues(t *testing.T) {
	t.Parallel()

	m := Layout(sampleInput(), Large)
	first, last := m.Marks[0], m.Marks[len(m.Marks)-1]
	if !m.HasTrend || !near(m.Trend.X1, first.X) || !near(m.Trend.X2, last.X) {
		t.Fatalf("trend %+v does not run from %v to %v", m.Trend, first.X, last.X)
	}
	// The sample lies on a straight line, so the trend goes through its ends.
	if !near(m.Trend.Y1, first.Y) || !near(m.Trend.Y2, last.Y) {
		t.Errorf("trend %+v misses the values' ends (%v, %v)", m.Trend, first.Y, last.Y)
	}
}

func TestLayoutBoundaries(t *testing.T) {
	t.Parallel()

	in := sampleInput()
	in.Boundaries = append(in.Boundaries,
		Boundary{Day: day("2026-08-17"), Label: "Q1"},
		Boundary{Day: day("2027-06-01"), Label: "Summer"},
	)
	tests := []struct {
		name       string
		size       Size
		wantLabels []string
	}{
		{name: "large", size: Large, wantLabels: []string{"Q2", "Q3", "Q4"}},
		{name: "small, unlabelled", size: Small, wantLabels: []string{"", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			m := Layout(in, tt.size)
			var labels []string
			for _, b := range m.Boundaries {
				labels = append(labels, b.Text.Label)
				if b.X < m.Plot.Left || b.X > m.Plot.Right {
					t.Errorf("boundary %q at %v is outside the plot", b.Text.Label, b.X)
				}
			}
			if !slices.Equal(labels, tt.wantLabels) {
				t.Errorf("boundary labels = %q, want %q", labels, tt.wantLabels)
			}
		})
	}
}

func TestLayoutCompactHasNoText(t *testing.T) {
	t.Parallel()

	m := Layout(sampleInput(), Small)
	if len(m.XTicks) != 0 || len(m.Legend) != 0 || m.UnitText.Label != "" {
		t.Errorf("compact chart has x ticks %v, legend %v or unit %q", m.XTicks, m.Legend, m.UnitText.Label)
	}
	for _, tk := range m.YTicks {
		if tk.Text.Label != "" {
			t.Errorf("compact chart labels a y tick %q", tk.Text.Label)
		}
	}
}

func TestLayoutLeavesOutNonFiniteValues(t *testing.T) {
	t.Parallel()

	in := Input{
		Points: []Point{
			{day("2026-09-01"), 4}, {day("2026-09-02"), math.NaN()},
			{day("2026-09-03"), math.Inf(1)}, {day("2026-09-04"), 6},
		},
		Baseline:   ptr(math.Inf(-1)),
		Target:     ptr(9),
		TargetDate: day("2026-10-01"),
	}
	m := Layout(in, Large)
	if len(m.Marks) != 2 || len(m.Rows) != 2 || m.HasAim {
		t.Errorf("got %d marks, %d rows, aim %v; want 2, 2, false", len(m.Marks), len(m.Rows), m.HasAim)
	}
	if math.IsNaN(m.YMin) || math.IsInf(m.YMax, 0) || !m.HasTrend || math.IsNaN(m.Trend.Y1) {
		t.Errorf("y-axis %v to %v, trend %+v", m.YMin, m.YMax, m.Trend)
	}
	if len(in.Points) != 4 {
		t.Error("Layout changed the caller's points")
	}
}

func TestLayoutEmpty(t *testing.T) {
	t.Parallel()

	m := Layout(Input{Title: "Words per minute"}, Large)
	want := Model{
		TitleID:     "chart-title",
		DescID:      "chart-desc",
		Title:       "Words per minute",
		Description: "No measured values yet.",
		Width:       640,
		Height:      280,
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("Layout = %+v, want %+v", m, want)
	}
}

func TestLayoutIgnoresInputOrder(t *testing.T) {
	t.Parallel()

	in := sampleInput()
	reversed := sampleInput()
	slices.Reverse(reversed.Points)
	slices.Reverse(reversed.Boundaries)
	if a, b := Layout(in, Large), Layout(reversed, Large); !reflect.DeepEqual(a, b) {
		t.Errorf("reversed input lays out differently:\n%+v\n%+v", a, b)
	}
}

func TestLayoutMonthLabels(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name string
		in   Input
		want []string
	}{
		{
			name: "school year",
			in:   sampleInput(),
			want: []string{"Sep 2026", "Oct", "Nov", "Dec", "Jan 2027", "Feb", "Mar", "Apr", "May"},
		},
		{
			name: "two years thinned out",
			in:   Input{Points: []Point{{day("2025-01-10"), 1}, {day("2026-12-20"), 2}}},
			want: []string{"Apr 2025", "Jul", "Oct", "Jan 2026", "Apr", "Jul", "Oct"},
		},
		{
			name: "within a month",
			in:   Input{Points: []Point{{day("2026-09-03"), 1}, {day("2026-09-17"), 2}}},
			want: []string{"Sep 3", "Sep 17"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			var got []string
			for _, tk := range Layout(tt.in, Large).XTicks {
				got = append(got, tk.Text.Label)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("month labels = %q, want %q", got, tt.want)
			}
		})
	}
}
