package chart

import (
	"math"
	"strings"
	"time"
)

const (
	dateLong  = "Jan 2, 2006"
	dateShort = "Jan 2"
)

// describe is the plain-language summary of a chart: the values, the aim and
// the trend, each a sentence. points must be sorted by day.
func describe(in Input, points []Point, t Trend) string {
	parts := []string{valuesSentence(points, in.Unit)}
	if s := aimSentence(in); s != "" {
		parts = append(parts, s)
	}
	if t.OK {
		parts = append(parts, "Trend: "+trendPhrase(t, in.Unit)+".")
	}
	return strings.Join(parts, " ")
}

// valuesSentence says how many values there are, over which days, and the
// latest. points must be sorted by day.
func valuesSentence(points []Point, unit string) string {
	n := len(points)
	if n == 0 {
		return "No measured values yet."
	}

	first, last := points[0], points[n-1]
	latest := withUnit(last.Value, unit)
	if n == 1 {
		return "1 value on " + first.Day.Format(dateLong) + ": " + latest + "."
	}

	count := formatNumber(float64(n)) + " values "
	if dayNumber(first.Day) == dayNumber(last.Day) {
		return count + "on " + first.Day.Format(dateLong) + ", latest " + latest + "."
	}
	return count + "from " + dayPair(first.Day, last.Day) + ", latest " + latest + "."
}

// dayPair is "Sep 3 to Nov 20, 2026", naming the first year only when it
// differs from the last.
func dayPair(from, to time.Time) string {
	if from.Year() == to.Year() {
		return from.Format(dateShort) + " to " + to.Format(dateLong)
	}
	return from.Format(dateLong) + " to " + to.Format(dateLong)
}

// aimSentence describes the aim from baseline to target, or whichever of the
// two is known; empty when neither is.
func aimSentence(in Input) string {
	by := ""
	if !in.TargetDate.IsZero() {
		by = " by " + in.TargetDate.Format(dateLong)
	}

	switch {
	case in.Baseline != nil && in.Target != nil:
		return "Aim: from " + formatNumber(*in.Baseline) + " to " + formatNumber(*in.Target) + by + "."
	case in.Target != nil:
		return "Target: " + formatNumber(*in.Target) + by + "."
	case in.Baseline != nil:
		return "Baseline: " + formatNumber(*in.Baseline) + "."
	}
	return ""
}

// trendPhrase is "rising 1.8 % accuracy a week", "falling 2 a week" or
// "flat" when the weekly change rounds to zero.
func trendPhrase(t Trend, unit string) string {
	week := t.PerWeek()
	size := withUnit(math.Abs(week), unit)
	switch {
	case formatNumber(week) == "0":
		return "flat"
	case week > 0:
		return "rising " + size + " a week"
	}
	return "falling " + size + " a week"
}

// withUnit is the rounded value followed by its unit, if any: "52 % accuracy".
func withUnit(v float64, unit string) string {
	if unit == "" {
		return formatNumber(v)
	}
	return formatNumber(v) + " " + unit
}
