package chart

import (
	"math"
	"strconv"
	"time"
)

// charWidth is the rough width of one character of 11 to 12 pixel text, used
// to keep labels inside the picture and clear of each other.
const charWidth = 6.5

// minStep keeps tick labels distinct after rounding to two decimals.
const minStep = 0.01

// formatNumber rounds v to two decimals and prints it without trailing
// zeros: 52, 1.5, 0.33. Negative zero prints as 0.
func formatNumber(v float64) string {
	r := math.Round(v*100) / 100
	if r == 0 {
		r = 0
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// px prints an SVG coordinate rounded to a tenth of a pixel.
func px(v float64) string {
	r := math.Round(v*10) / 10
	if r == 0 {
		r = 0
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// textWidth estimates the width in pixels of s drawn at the chart's font size.
func textWidth(s string) float64 {
	return float64(len([]rune(s))) * charWidth
}

// valueRange is the closed interval a value axis covers.
type valueRange struct {
	lo, hi float64
}

// include widens r to hold v.
func (r valueRange) include(v float64) valueRange {
	return valueRange{lo: min(r.lo, v), hi: max(r.hi, v)}
}

// padded widens r by a tenth of its span on each side. A range of one value
// gets a tenth of that value, at least 1, so the line sits in the middle.
// The bottom stays at zero or above when r holds no negative value.
func (r valueRange) padded() valueRange {
	pad := (r.hi - r.lo) / 10
	if pad == 0 {
		pad = max(math.Abs(r.lo)/10, 1)
	}

	p := valueRange{lo: r.lo - pad, hi: r.hi + pad}
	if r.lo >= 0 && p.lo < 0 {
		p.lo = 0
	}
	return p
}

// ticks is an axis scale: count values from first, step apart.
type ticks struct {
	first, step float64
	count       int
}

// last is the value of the top tick.
func (t ticks) last() float64 {
	return t.first + t.step*float64(t.count-1)
}

// value is the i-th tick's value, rounded so that steps of 0.1 print cleanly.
func (t ticks) value(i int) float64 {
	return math.Round((t.first+t.step*float64(i))/minStep) * minStep
}

// niceTicks picks the smallest step of 1, 2 or 5 times a power of ten whose
// ticks, on multiples of the step, cover r in at most six ticks. When that
// leaves fewer than four ticks it adds steps at the top. r must be finite.
func niceTicks(r valueRange) ticks {
	span := max(r.hi-r.lo, minStep)
	exp := math.Floor(math.Log10(span / 5))
	// A step of 10^(exp+1) already exceeds a third of the span, so the loop
	// returns by then; its bound only guards against a range that is not
	// finite.
	for e := exp - 1; e <= exp+1; e++ {
		for _, m := range []float64{1, 2, 5} {
			step := m * math.Pow(10, e)
			if step < minStep {
				continue
			}
			t := ticksWithStep(r, step)
			if t.count <= 6 {
				t.count = max(t.count, 4)
				return t
			}
		}
	}
	return ticks{first: r.lo, step: span, count: 2}
}

// ticksWithStep covers r with ticks on multiples of step. The small slack
// keeps float error from adding a tick: 0.3/0.1 must give 3, not 3.0000001.
func ticksWithStep(r valueRange, step float64) ticks {
	const slack = 1e-9
	first := math.Floor(r.lo/step+slack) * step
	last := math.Ceil(r.hi/step-slack) * step
	count := int(math.Round((last-first)/step)) + 1
	return ticks{first: first, step: step, count: max(count, 2)}
}

// monthStride is how many months apart month labels are: the smallest of 1,
// 2, 3, 6 and 12 that fits months labels into maxLabels.
func monthStride(months, maxLabels int) int {
	for _, s := range []int{1, 2, 3, 6} {
		if (months+s-1)/s <= maxLabels {
			return s
		}
	}
	return 12
}

// monthStarts lists the first days of the months between days lo and hi,
// both included, keeping only months that fall on the stride (January,
// then every stride months) once there are more than maxLabels.
func monthStarts(lo, hi, maxLabels int) []time.Time {
	var all []time.Time
	d := dateOf(lo)
	m := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	if dayNumber(m) < lo {
		m = m.AddDate(0, 1, 0)
	}
	for ; dayNumber(m) <= hi; m = m.AddDate(0, 1, 0) {
		all = append(all, m)
	}

	stride := monthStride(len(all), max(maxLabels, 1))
	if stride == 1 {
		return all
	}
	var kept []time.Time
	for _, m := range all {
		if (int(m.Month())-1)%stride == 0 {
			kept = append(kept, m)
		}
	}
	return kept
}

// anchorWithin picks the text-anchor that keeps a label of the given width,
// placed at x, inside [left, right]: middle when it fits centred, otherwise
// start or end.
func anchorWithin(x, width, left, right float64) string {
	switch {
	case x-width/2 < left:
		return "start"
	case x+width/2 > right:
		return "end"
	}
	return "middle"
}
