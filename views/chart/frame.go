package chart

import (
	"slices"
)

// Margins of a large chart, in SVG units. The top holds the unit and the
// boundary labels, the bottom the month labels and the legend.
const (
	marginTop      = 34
	marginRight    = 16
	marginBottom   = 50
	minMarginLeft  = 32
	compactMargin  = 4
	largeInset     = 12 // room between the plot's side and the outermost day
	labelGap       = 6  // between a label and the line it names
	monthLabelRoom = 60 // horizontal room one month label needs
	swatchLength   = 20
)

// scale maps days and values into the plot area.
type scale struct {
	size  Size
	plot  Rect
	inset float64
	days  dayRange
	ticks ticks
}

// newScale places the plot area in size. A large chart's left margin grows
// to fit the longest value label.
func newScale(size Size, days dayRange, values ticks) scale {
	w, h := float64(size.Width), float64(size.Height)
	s := scale{size: size, days: days, ticks: values}
	if size.Compact {
		m := float64(compactMargin)
		s.plot = Rect{Left: m, Top: m, Right: w - m, Bottom: h - m}
		return s
	}

	left := float64(minMarginLeft)
	for i := range values.count {
		left = max(left, 2*labelGap+textWidth(formatNumber(values.value(i))))
	}
	s.plot = Rect{Left: left, Top: marginTop, Right: w - marginRight, Bottom: h - marginBottom}
	s.inset = largeInset
	return s
}

// x is the horizontal position of a day; a range of one day sits in the
// middle.
func (s scale) x(day int) float64 {
	if s.days.hi == s.days.lo {
		return (s.plot.Left + s.plot.Right) / 2
	}
	width := s.plot.Right - s.plot.Left - 2*s.inset
	return s.plot.Left + s.inset + float64(day-s.days.lo)/float64(s.days.hi-s.days.lo)*width
}

// y is the vertical position of a value.
func (s scale) y(v float64) float64 {
	return s.plot.Bottom - (v-s.ticks.first)/(s.ticks.last()-s.ticks.first)*(s.plot.Bottom-s.plot.Top)
}

// line joins value v1 on day d1 to value v2 on day d2.
func (s scale) line(d1 int, v1 float64, d2 int, v2 float64) Line {
	return Line{X1: s.x(d1), Y1: s.y(v1), X2: s.x(d2), Y2: s.y(v2)}
}

// series places the sorted points and joins them into a polyline.
func (s scale) series(points []Point, unit string) (string, []Mark) {
	marks := make([]Mark, len(points))
	for i, p := range points {
		marks[i] = Mark{X: s.x(dayNumber(p.Day)), Y: s.y(p.Value), Label: valueLabel(p, unit)}
	}
	return pointsAttr(marks), marks
}

// yTicks are the gridlines with their value labels, left of the plot;
// unlabelled in a compact chart.
func (s scale) yTicks() []Tick {
	out := make([]Tick, s.ticks.count)
	for i := range out {
		v := s.ticks.value(i)
		out[i] = Tick{Pos: s.y(v)}
		if !s.size.Compact {
			out[i].Text = Text{X: s.plot.Left - labelGap, Y: s.y(v) + 4, Label: formatNumber(v), Anchor: "end"}
		}
	}
	return out
}

// xTicks label the first day of each month, with the year on the first label
// and on January; months are thinned out when they do not fit. A range
// holding fewer than two month starts labels its first and last day instead.
// A compact chart has none.
func (s scale) xTicks() []Tick {
	if s.size.Compact {
		return nil
	}

	maxLabels := int((s.plot.Right - s.plot.Left) / monthLabelRoom)
	months := monthStarts(s.days.lo, s.days.hi, maxLabels)
	if len(months) < 2 {
		return s.endTicks()
	}

	out := make([]Tick, len(months))
	for i, m := range months {
		label := m.Format("Jan")
		if i == 0 || m.Month() == 1 {
			label = m.Format("Jan 2006")
		}
		out[i] = s.dayTick(dayNumber(m), label)
	}
	return out
}

// endTicks label the first and last day of a short range, or its one day.
func (s scale) endTicks() []Tick {
	out := []Tick{s.dayTick(s.days.lo, dateOf(s.days.lo).Format(dateShort))}
	if s.days.hi != s.days.lo {
		out = append(out, s.dayTick(s.days.hi, dateOf(s.days.hi).Format(dateShort)))
	}
	return out
}

// dayTick is a tick under the plot at day, its label kept inside the box.
func (s scale) dayTick(day int, label string) Tick {
	x := s.x(day)
	return Tick{Pos: x, Text: Text{
		X:      x,
		Y:      s.plot.Bottom + 18,
		Label:  label,
		Anchor: anchorWithin(x, textWidth(label), 0, float64(s.size.Width)),
	}}
}

// boundaries places the boundaries within the chart's days, by day, labelled
// above the plot; unlabelled in a compact chart.
func (s scale) boundaries(in []Boundary) []BoundaryMark {
	sorted := slices.Clone(in)
	slices.SortStableFunc(sorted, func(a, b Boundary) int {
		return dayNumber(a.Day) - dayNumber(b.Day)
	})

	var out []BoundaryMark
	for _, b := range sorted {
		day := dayNumber(b.Day)
		if day < s.days.lo || day > s.days.hi {
			continue
		}
		mark := BoundaryMark{X: s.x(day)}
		if !s.size.Compact {
			anchor := anchorWithin(mark.X, textWidth(b.Label), 0, float64(s.size.Width))
			mark.Text = Text{X: mark.X, Y: s.plot.Top - labelGap, Label: b.Label, Anchor: anchor}
		}
		out = append(out, mark)
	}
	return out
}

// unitText names the unit at the top left; no label in a compact chart.
func (s scale) unitText(unit string) Text {
	if s.size.Compact {
		return Text{}
	}
	return Text{X: 4, Y: 14, Label: unit, Anchor: "start"}
}

// legend names the values, the aim line and the trend, in a row along the
// bottom; none in a compact chart. The trend's entry says how fast it goes.
func (s scale) legend(hasAim bool, t Trend, unit string) []LegendItem {
	if s.size.Compact {
		return nil
	}

	entries := [][2]string{{"values", "Values"}}
	if hasAim {
		entries = append(entries, [2]string{"aim", "Aim line"})
	}
	if t.OK {
		entries = append(entries, [2]string{"trend", "Trend: " + trendPhrase(t, unit)})
	}

	y := float64(s.size.Height) - 10
	x := s.plot.Left
	out := make([]LegendItem, len(entries))
	for i, e := range entries {
		out[i] = LegendItem{
			Class:  e[0],
			Swatch: Line{X1: x, Y1: y - 4, X2: x + swatchLength, Y2: y - 4},
			Text:   Text{X: x + swatchLength + labelGap, Y: y, Label: e[1], Anchor: "start"},
		}
		x += swatchLength + labelGap + textWidth(e[1]) + 3*labelGap
	}
	return out
}
