package chart

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Input is everything a chart shows.
type Input struct {
	// ID prefixes the ids of the chart's title and description, so it must be
	// unique on the page: "goal-42-chart". Empty means "chart".
	ID string
	// Title is the accessible title: "Words per minute for: Read aloud".
	Title string
	// Unit follows every value in text: "% accuracy". It may be empty.
	Unit string
	// Points are the measured values in any order; there may be none.
	Points []Point
	// Baseline is the aim line's start value; nil draws no aim line.
	Baseline *float64
	// Target is the aim line's end value; nil draws no aim line.
	Target *float64
	// Start is the aim line's first day, usually the day the goal was set;
	// zero means the earliest point's day.
	Start time.Time
	// TargetDate is the aim line's last day; zero draws no aim line.
	TargetDate time.Time
	// Boundaries are the reporting period boundaries, drawn as dashed
	// vertical lines; those outside the chart's days are left out.
	Boundaries []Boundary
}

// Boundary is the first day of a reporting period and its short label: "Q2".
type Boundary struct {
	Day   time.Time
	Label string
}

// Size is the chart's box in SVG units. Compact draws a sparkline: no axis
// text, no boundary labels, no legend.
type Size struct {
	Width, Height int
	Compact       bool
}

var (
	// Large is the size of the chart on the goal page.
	Large = Size{Width: 640, Height: 280}
	// Small is the size of a sparkline in a list of goals.
	Small = Size{Width: 160, Height: 40, Compact: true}
)

// Model is the laid-out chart: everything the templates need, in SVG
// coordinates with the origin at the top left. A Model of no points has only
// its ids, texts and size; Marks is then empty.
type Model struct {
	// TitleID and DescID are the ids of the <title> and <desc> elements.
	TitleID, DescID string
	Title           string
	// Description sums the chart up in words: "12 values from Sep 3 to
	// Nov 20, 2026, latest 64 % accuracy. Aim: ... Trend: ...".
	Description string
	Unit        string
	// Width and Height are the size of the viewBox.
	Width, Height int
	Compact       bool
	// Plot is the area values are drawn in.
	Plot Rect
	// YMin and YMax are the values at the plot's bottom and top edges.
	YMin, YMax float64
	// FirstDay and LastDay are the earliest and latest day the x-axis shows,
	// as UTC midnights.
	FirstDay, LastDay time.Time
	// Values is the points attribute of the polyline through the values.
	Values string
	// Marks are the values by day, each with its "Sep 3, 2026: 52 %" label;
	// Latest is the last of them.
	Marks  []Mark
	Latest Mark
	// Aim runs from the baseline to the target when HasAim.
	HasAim bool
	Aim    Line
	// Trend runs across the days of the values when HasTrend.
	HasTrend bool
	Trend    Line
	// UnitText names the unit above the y-axis; its Label is empty in a
	// compact chart or without a unit.
	UnitText Text
	// YTicks are the horizontal gridlines; XTicks the month (or first and
	// last day) labels under the plot. Compact charts have no XTicks and
	// YTicks without labels.
	YTicks, XTicks []Tick
	// Boundaries are the period boundaries within the chart's days.
	Boundaries []BoundaryMark
	// Legend names the lines drawn; empty in a compact chart.
	Legend []LegendItem
	// Rows are the data table, one per value, by day.
	Rows []Row
}

// Rect is an axis-aligned rectangle.
type Rect struct {
	Left, Top, Right, Bottom float64
}

// Line is a straight line from (X1, Y1) to (X2, Y2).
type Line struct {
	X1, Y1, X2, Y2 float64
}

// Mark is one value's point and its label.
type Mark struct {
	X, Y  float64
	Label string
}

// Text is a label placed at (X, Y) with its text-anchor.
type Text struct {
	X, Y   float64
	Label  string
	Anchor string
}

// Tick is a gridline or tick mark at Pos (y for a value tick, x for a day
// tick) and its label.
type Tick struct {
	Pos  float64
	Text Text
}

// BoundaryMark is a period boundary's vertical line at X and its label.
type BoundaryMark struct {
	X    float64
	Text Text
}

// LegendItem is a line sample drawn like the line of class Class, and its
// name.
type LegendItem struct {
	Class  string
	Swatch Line
	Text   Text
}

// Row is one line of the data table.
type Row struct {
	Date     string // "Sep 3, 2026"
	DateTime string // "2026-09-03", for the datetime attribute
	Value    string // "52", without the unit
}

// ViewBox is the svg viewBox attribute.
func (m Model) ViewBox() string {
	return "0 0 " + strconv.Itoa(m.Width) + " " + strconv.Itoa(m.Height)
}

// Layout lays in out in a box of the given size. Points are sorted by day; on
// the same day they keep their input order. The x-axis runs from the earlier
// of the first value and Start to the later of the last value and
// TargetDate; the y-axis covers the values, baseline, target and trend with
// about a tenth to spare, on 4 to 6 round ticks. Values, baselines and
// targets that are NaN or infinite are left out.
func Layout(in Input, size Size) Model {
	in = finiteOnly(in)
	points := sortedByDay(in.Points)
	trend := FitTrend(points)
	m := Model{
		TitleID:     idPrefix(in.ID) + "-title",
		DescID:      idPrefix(in.ID) + "-desc",
		Title:       in.Title,
		Description: describe(in, points, trend),
		Unit:        in.Unit,
		Width:       size.Width,
		Height:      size.Height,
		Compact:     size.Compact,
	}
	if len(points) == 0 {
		return m
	}

	aim, hasAim := aimOf(in, points)
	s := newScale(size, daysOf(in, points), niceTicks(valuesOf(in, points, trend).padded()))
	m.Plot, m.YMin, m.YMax = s.plot, s.ticks.first, s.ticks.last()
	m.FirstDay, m.LastDay = dateOf(s.days.lo), dateOf(s.days.hi)

	m.Values, m.Marks = s.series(points, in.Unit)
	m.Latest = m.Marks[len(m.Marks)-1]
	m.Rows = tableRows(points)
	if hasAim {
		m.HasAim = true
		m.Aim = s.line(aim.startDay, aim.from, aim.endDay, aim.to)
	}
	if trend.OK {
		first, last := dayNumber(points[0].Day), dayNumber(points[len(points)-1].Day)
		m.HasTrend = true
		m.Trend = s.line(first, trend.valueAt(0), last, trend.valueAt(last-first))
	}

	m.YTicks, m.XTicks = s.yTicks(), s.xTicks()
	m.Boundaries = s.boundaries(in.Boundaries)
	m.UnitText = s.unitText(in.Unit)
	m.Legend = s.legend(hasAim, trend, in.Unit)
	return m
}

// finiteOnly is in without its NaN and infinite values, which have no place
// on an axis.
func finiteOnly(in Input) Input {
	isFinite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	in.Points = slices.DeleteFunc(slices.Clone(in.Points), func(p Point) bool { return !isFinite(p.Value) })
	if in.Baseline != nil && !isFinite(*in.Baseline) {
		in.Baseline = nil
	}
	if in.Target != nil && !isFinite(*in.Target) {
		in.Target = nil
	}
	return in
}

// idPrefix is the chart's id, "chart" when the caller gave none.
func idPrefix(id string) string {
	if id == "" {
		return "chart"
	}
	return id
}

// aim is the aim line in days and values.
type aim struct {
	startDay, endDay int
	from, to         float64
}

// aimOf finds the aim line. There is none without a baseline, a target and a
// target date, or when the target date is not after the start day.
func aimOf(in Input, points []Point) (aim, bool) {
	if in.Baseline == nil || in.Target == nil || in.TargetDate.IsZero() {
		return aim{}, false
	}

	start := dayNumber(points[0].Day)
	if !in.Start.IsZero() {
		start = dayNumber(in.Start)
	}
	end := dayNumber(in.TargetDate)
	if end <= start {
		return aim{}, false
	}
	return aim{startDay: start, endDay: end, from: *in.Baseline, to: *in.Target}, true
}

// dayRange is the closed interval of day numbers the x-axis covers.
type dayRange struct {
	lo, hi int
}

// daysOf spans the points, Start and TargetDate. points must be sorted and
// not empty.
func daysOf(in Input, points []Point) dayRange {
	r := dayRange{lo: dayNumber(points[0].Day), hi: dayNumber(points[len(points)-1].Day)}
	if !in.Start.IsZero() {
		r.lo = min(r.lo, dayNumber(in.Start))
	}
	if !in.TargetDate.IsZero() {
		r.hi = max(r.hi, dayNumber(in.TargetDate))
	}
	return r
}

// valuesOf spans the values, baseline, target and the trend line's ends.
// points must be sorted and not empty.
func valuesOf(in Input, points []Point, t Trend) valueRange {
	r := valueRange{lo: points[0].Value, hi: points[0].Value}
	for _, p := range points[1:] {
		r = r.include(p.Value)
	}
	for _, v := range []*float64{in.Baseline, in.Target} {
		if v != nil {
			r = r.include(*v)
		}
	}
	if t.OK {
		days := dayNumber(points[len(points)-1].Day) - dayNumber(points[0].Day)
		r = r.include(t.valueAt(0)).include(t.valueAt(days))
	}
	return r
}

// tableRows lists the sorted points for the data table.
func tableRows(points []Point) []Row {
	rows := make([]Row, len(points))
	for i, p := range points {
		rows[i] = Row{
			Date:     p.Day.Format(dateLong),
			DateTime: p.Day.Format(time.DateOnly),
			Value:    formatNumber(p.Value),
		}
	}
	return rows
}

// valueLabel is a point's tooltip: "Sep 3, 2026: 52 % accuracy".
func valueLabel(p Point, unit string) string {
	return p.Day.Format(dateLong) + ": " + withUnit(p.Value, unit)
}

// pointsAttr prints marks as a polyline points attribute: "x,y x,y".
func pointsAttr(marks []Mark) string {
	var b strings.Builder
	for i, mk := range marks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(px(mk.X) + "," + px(mk.Y))
	}
	return b.String()
}
