package demo

import (
	"time"

	"goaltracker/app/report"
)

// schoolYearStart is the month the demo district's school years start in.
const schoolYearStart = time.August

// clock is the demo's sense of time: the instant generated rows may not
// pass, and the school days up to it. Dates are midnight UTC; timestamps are
// in the location of the instant.
type clock struct {
	now   time.Time
	today time.Time
	year  int
	// days are the weekdays within the quarters of the last two school
	// years, up to and including today, in order.
	days []time.Time
}

// newClock returns the clock for the instant now.
func newClock(now time.Time) *clock {
	c := &clock{
		now:   now,
		today: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC),
		year:  report.SchoolYearOf(now, schoolYearStart),
	}
	for _, year := range []int{c.year - 1, c.year} {
		for _, q := range quarters(year) {
			c.days = appendWeekdays(c.days, q.StartsOn, minDate(q.EndsOn, c.today))
		}
	}
	return c
}

// appendWeekdays appends the weekdays from first to last, both included.
func appendWeekdays(days []time.Time, first, last time.Time) []time.Time {
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			days = append(days, d)
		}
	}
	return days
}

// quarters returns Q1 to Q4 of the school year starting in year.
func quarters(year int) []report.Period {
	return report.DefaultCalendar(0, year, schoolYearStart)[:4]
}

// currentQuarter returns the quarter today falls in or, in the summer break,
// the last quarter of the year that just ended.
func (c *clock) currentQuarter() report.Period {
	all := quarters(c.year)
	current := all[0]
	for _, q := range all {
		if !q.StartsOn.After(c.today) {
			current = q
		}
	}
	return current
}

// yearStart and yearEnd are the first and last school days of the school
// year starting in year.
func yearStart(year int) time.Time { return quarters(year)[0].StartsOn }
func yearEnd(year int) time.Time   { return quarters(year)[3].EndsOn }

// daysBetween returns the school days from first to last, both included. The
// result shares memory with c.days.
func (c *clock) daysBetween(first, last time.Time) []time.Time {
	return between(c.days, first, last)
}

// at returns the instant minute minutes after midnight of day, in the
// clock's location, but never later than now.
func (c *clock) at(day time.Time, minute int) time.Time {
	t := time.Date(day.Year(), day.Month(), day.Day(), 0, minute, 0, 0, c.now.Location())
	if t.After(c.now) {
		return c.now
	}
	return t
}

func minDate(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxDate(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
