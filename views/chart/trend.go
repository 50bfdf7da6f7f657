package chart

import (
	"slices"
	"time"
)

const secondsPerDay = 24 * 60 * 60

// Point is one measured value on a day. Only the calendar date of Day
// counts: its year, month and day as read in Day's own location.
type Point struct {
	Day   time.Time
	Value float64
}

// Trend is the least-squares line through the points, value per day. Its x
// is the number of calendar days since the earliest point's day, so
// Intercept is the fitted value on that day. OK is false with fewer than two
// points on distinct days; Slope and Intercept are then zero.
type Trend struct {
	Slope     float64 // units per day
	Intercept float64 // fitted value on the earliest point's day
	OK        bool
}

// FitTrend fits the least-squares line through points, which may come in any
// order. Days are counted as calendar days in UTC, so a daylight saving change
// between two points does not bend the line. Points on the same day all count.
// A NaN or infinite value makes Slope and Intercept NaN; Layout leaves such
// values out before fitting.
func FitTrend(points []Point) Trend {
	if len(points) < 2 {
		return Trend{}
	}

	first := firstDay(points)
	n := float64(len(points))
	var sumX, sumY float64
	for _, p := range points {
		sumX += float64(dayNumber(p.Day) - first)
		sumY += p.Value
	}
	meanX, meanY := sumX/n, sumY/n

	var sxx, sxy float64
	for _, p := range points {
		dx := float64(dayNumber(p.Day)-first) - meanX
		sxx += dx * dx
		sxy += dx * (p.Value - meanY)
	}
	if sxx == 0 {
		return Trend{}
	}

	slope := sxy / sxx
	return Trend{Slope: slope, Intercept: meanY - slope*meanX, OK: true}
}

// PerWeek is the slope in units per seven days; zero when t is not OK.
func (t Trend) PerWeek() float64 {
	return t.Slope * 7
}

// valueAt is the fitted value days calendar days after the earliest point.
func (t Trend) valueAt(days int) float64 {
	return t.Intercept + t.Slope*float64(days)
}

// dayNumber counts calendar days from 1970-01-01 to the date of t as read in
// t's location, so midnight in any time zone is the day it names.
func dayNumber(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay)
}

// dateOf is the UTC midnight of a day number.
func dateOf(day int) time.Time {
	return time.Unix(int64(day)*secondsPerDay, 0).UTC()
}

// firstDay is the smallest day number among points; zero when there are
// none.
func firstDay(points []Point) int {
	if len(points) == 0 {
		return 0
	}

	first := dayNumber(points[0].Day)
	for _, p := range points[1:] {
		first = min(first, dayNumber(p.Day))
	}
	return first
}

// sortedByDay is a copy of points ordered by calendar day; points on the same
// day keep their input order, so the last of them counts as the latest.
func sortedByDay(points []Point) []Point {
	sorted := slices.Clone(points)
	slices.SortStableFunc(sorted, func(a, b Point) int {
		return dayNumber(a.Day) - dayNumber(b.Day)
	})
	return sorted
}
