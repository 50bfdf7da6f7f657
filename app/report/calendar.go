package report

import "time"

// weeksPerQuarter is the length of a quarter in DefaultCalendar; four of them
// make its 40-week school year.
const weeksPerQuarter = 10

// quarterCodes are the period codes of the quarters, in order.
var quarterCodes = [4]string{"Q1", "Q2", "Q3", "Q4"}

// DefaultCalendar returns the reporting periods of the school year that
// starts in year (2026 for 2026-27), for a district whose school years start
// in startMonth: Q1, Q2, Q3 and Q4, then S1 and S2, each with DistrictID and
// Year set and no ID. Dates are midnight UTC; only their day matters.
//
// The rule is simple rather than any district's real calendar. The first
// school day is the first Monday on or after the 15th of startMonth. Each
// quarter lasts ten weeks and starts on a Monday; the last school day is the
// Friday of the 40th week, so the year covers about ten months. Periods are
// contiguous, each starting the day after the previous one ends (Q1 to Q3
// end on a Sunday), so an entry back-dated to a weekend still falls in a
// period. S1 spans Q1 and Q2, S2 spans Q3 and Q4. For 2026 and August the
// year runs from Monday 2026-08-17 to Friday 2027-05-21.
//
// An out-of-range startMonth is normalised the way time.Date does it.
func DefaultCalendar(districtID int64, year int, startMonth time.Month) []Period {
	first := firstSchoolDay(year, startMonth)
	periods := make([]Period, 0, 6)
	for i, code := range quarterCodes {
		start := first.AddDate(0, 0, 7*weeksPerQuarter*i)
		end := start.AddDate(0, 0, 7*weeksPerQuarter-1)
		periods = append(periods, Period{
			DistrictID: districtID, Year: year, Code: code, StartsOn: start, EndsOn: end,
		})
	}

	// The year ends on a Friday: the weekend after it is summer, not Q4.
	periods[3].EndsOn = periods[3].EndsOn.AddDate(0, 0, -2)

	return append(periods,
		Period{DistrictID: districtID, Year: year, Code: "S1",
			StartsOn: periods[0].StartsOn, EndsOn: periods[1].EndsOn},
		Period{DistrictID: districtID, Year: year, Code: "S2",
			StartsOn: periods[2].StartsOn, EndsOn: periods[3].EndsOn},
	)
}

// SchoolYearOf returns the year in which the school year containing day
// starts, under DefaultCalendar's rule for startMonth. Only day's date in its
// own location counts, not its time. A day of the summer break belongs to
// the school year that just ended, until the first school day of the next
// one: with August, 2027-05-21 and 2027-08-01 give 2026, 2027-08-16 gives
// 2027.
func SchoolYearOf(day time.Time, startMonth time.Month) int {
	date := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	if date.Before(firstSchoolDay(day.Year(), startMonth)) {
		return day.Year() - 1
	}
	return day.Year()
}

// firstSchoolDay returns the first Monday on or after the 15th of month in
// year, at midnight UTC.
func firstSchoolDay(year int, month time.Month) time.Time {
	mid := time.Date(year, month, 15, 0, 0, 0, 0, time.UTC)
	untilMonday := (int(time.Monday) - int(mid.Weekday()) + 7) % 7
	return mid.AddDate(0, 0, untilMonday)
}

// IsPeriodCode reports whether code names a reporting period: Q1 to Q4,
// S1 or S2.
func IsPeriodCode(code string) bool {
	switch code {
	case "Q1", "Q2", "Q3", "Q4", "S1", "S2":
		return true
	}
	return false
}
