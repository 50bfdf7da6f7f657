package report

import (
	"testing"
	"time"
)

// calendarDay parses a YYYY-MM-DD literal of a test table.
func calendarDay(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestDefaultCalendar(t *testing.T) {
	t.Parallel()

	// Each want lists Q1, Q2, Q3, Q4, S1, S2 as start and end days.
	tests := []struct {
		name       string
		year       int
		startMonth time.Month
		want       [6][2]string
	}{
		{
			name: "august 2026, the 15th a saturday", year: 2026, startMonth: time.August,
			want: [6][2]string{
				{"2026-08-17", "2026-10-25"}, {"2026-10-26", "2027-01-03"},
				{"2027-01-04", "2027-03-14"}, {"2027-03-15", "2027-05-21"},
				{"2026-08-17", "2027-01-03"}, {"2027-01-04", "2027-05-21"},
			},
		},
		{
			name: "august 2027, the 15th a sunday", year: 2027, startMonth: time.August,
			want: [6][2]string{
				{"2027-08-16", "2027-10-24"}, {"2027-10-25", "2028-01-02"},
				{"2028-01-03", "2028-03-12"}, {"2028-03-13", "2028-05-19"},
				{"2027-08-16", "2028-01-02"}, {"2028-01-03", "2028-05-19"},
			},
		},
		{
			name: "september 2025, the 15th a monday", year: 2025, startMonth: time.September,
			want: [6][2]string{
				{"2025-09-15", "2025-11-23"}, {"2025-11-24", "2026-02-01"},
				{"2026-02-02", "2026-04-12"}, {"2026-04-13", "2026-06-19"},
				{"2025-09-15", "2026-02-01"}, {"2026-02-02", "2026-06-19"},
			},
		},
		{
			name: "january start stays in one calendar year", year: 2026, startMonth: time.January,
			want: [6][2]string{
				{"2026-01-19", "2026-03-29"}, {"2026-03-30", "2026-06-07"},
				{"2026-06-08", "2026-08-16"}, {"2026-08-17", "2026-10-23"},
				{"2026-01-19", "2026-06-07"}, {"2026-06-08", "2026-10-23"},
			},
		},
	}
	codes := [6]string{"Q1", "Q2", "Q3", "Q4", "S1", "S2"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			got := DefaultCalendar(7, tt.year, tt.startMonth)
			if len(got) != len(codes) {
				t.Fatalf("got %d periods, want %d", len(got), len(codes))
			}
			for i, p := range got {
				if p.Code != codes[i] || p.Year != tt.year || p.DistrictID != 7 || p.ID != 0 {
					t.Errorf("period %d = %s year %d district %d id %d, want %s year %d district 7 id 0",
						i, p.Code, p.Year, p.DistrictID, p.ID, codes[i], tt.year)
				}
				start, end := p.StartsOn.Format(time.DateOnly), p.EndsOn.Format(time.DateOnly)
				if start != tt.want[i][0] || end != tt.want[i][1] {
					t.Errorf("%s = %s..%s, want %s..%s", p.Code, start, end, tt.want[i][0], tt.want[i][1])
				}
			}
		})
	}
}

func TestDefaultCalendarShape(t *testing.T) {
	t.Parallel()

	for year := 2020; year <= 2035; year++ {
		for month := time.January; month <= time.December; month++ {
			periods := DefaultCalendar(1, year, month)
			quarters := periods[:4]
			for i, q := range quarters {
				if q.StartsOn.Weekday() != time.Monday {
					t.Errorf("%d-%02d %s starts on a %s", year, month, q.Code, q.StartsOn.Weekday())
				}
				if i > 0 && !q.StartsOn.Equal(quarters[i-1].EndsOn.AddDate(0, 0, 1)) {
					t.Errorf("%d-%02d %s does not start the day after %s", year, month, q.Code, quarters[i-1].Code)
				}
			}
			if last := quarters[3].EndsOn; last.Weekday() != time.Friday {
				t.Errorf("%d-%02d school year ends on a %s", year, month, last.Weekday())
			}
			if first := quarters[0].StartsOn; first.Month() != month || first.Day() < 15 || first.Day() > 21 {
				t.Errorf("%d-%02d school year starts %s", year, month, first.Format(time.DateOnly))
			}
		}
	}
}

func TestSchoolYearOf(t *testing.T) {
	t.Parallel()

	pacific := time.FixedZone("PST", -8*60*60)
	tests := []struct {
		name       string
		day        time.Time
		startMonth time.Month
		want       int
	}{
		{"first school day", calendarDay("2026-08-17"), time.August, 2026},
		{"saturday before the first school day", calendarDay("2026-08-15"), time.August, 2025},
		{"start month before the first monday", calendarDay("2026-08-01"), time.August, 2025},
		{"autumn", calendarDay("2026-10-30"), time.August, 2026},
		{"new year's day", calendarDay("2027-01-01"), time.August, 2026},
		{"last school day", calendarDay("2027-05-21"), time.August, 2026},
		{"summer break", calendarDay("2027-07-04"), time.August, 2026},
		{"sunday before the next year", calendarDay("2027-08-15"), time.August, 2026},
		{"first day of the next year", calendarDay("2027-08-16"), time.August, 2027},
		{"september start, june", calendarDay("2026-06-19"), time.September, 2025},
		{"january start, before the first day", calendarDay("2026-01-18"), time.January, 2025},
		{"january start, first day", calendarDay("2026-01-19"), time.January, 2026},
		{"local date counts, not UTC", time.Date(2026, 8, 16, 23, 0, 0, 0, pacific), time.August, 2025},
		{"late evening on the first day", time.Date(2026, 8, 17, 23, 59, 0, 0, pacific), time.August, 2026},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			if got := SchoolYearOf(tt.day, tt.startMonth); got != tt.want {
				t.Errorf("SchoolYearOf(%s, %s) = %d, want %d", tt.day, tt.startMonth, got, tt.want)
			}
		})
	}
}
