package chart

import (
	"math"
	"testing"
	"time"
)

// day parses a YYYY-MM-DD literal of a test table as UTC midnight.
func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// near reports whether a and b agree to 1e-9.
func near(a, b float64) bool {
	return math.Abs(a-b) < 1e-9
}

func TestFitTrend(t *testing.T) {
	t.Parallel()

	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		points    []Point
		want      Trend
		wantWeeks float64
	}{
		{name: "no points"},
		{name: "single point", points: []Point{{day("2026-09-03"), 5}}},
		{
			name:   "two points on the same day",
			points: []Point{{day("2026-09-03"), 5}, {day("2026-09-03").Add(20 * time.Hour), 9}},
		},
		{
			name:      "exact line",
			points:    []Point{{day("2026-09-01"), 10}, {day("2026-09-02"), 12}, {day("2026-09-04"), 16}},
			want:      Trend{Slope: 2, Intercept: 10, OK: true},
			wantWeeks: 14,
		},
		{
			name:   "flat",
			points: []Point{{day("2026-09-01"), 7}, {day("2026-09-08"), 7}, {day("2026-09-20"), 7}},
			want:   Trend{Slope: 0, Intercept: 7, OK: true},
		},
		{
			name:      "unsorted input counts from the earliest day",
			points:    []Point{{day("2026-09-15"), 2}, {day("2026-09-01"), 30}, {day("2026-09-08"), 16}},
			want:      Trend{Slope: -2, Intercept: 30, OK: true},
			wantWeeks: -14,
		},
		{
			name: "least squares through scattered points",
			// x = 0, 1, 2, 3 and y = 1, 3, 2, 4: slope 0.8, intercept 1.3.
			points: []Point{
				{day("2026-01-01"), 1}, {day("2026-01-02"), 3}, {day("2026-01-03"), 2}, {day("2026-01-04"), 4},
			},
			want:      Trend{Slope: 0.8, Intercept: 1.3, OK: true},
			wantWeeks: 5.6,
		},
		{
			name: "calendar days across a daylight saving change",
			// 2026-03-08 has 23 hours in New York; in hours the slope would
			// not be exactly 1 a day.
			points: []Point{
				{time.Date(2026, 3, 7, 0, 0, 0, 0, newYork), 1},
				{time.Date(2026, 3, 9, 0, 0, 0, 0, newYork), 3},
			},
			want:      Trend{Slope: 1, Intercept: 1, OK: true},
			wantWeeks: 7,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			got := FitTrend(tt.points)
			if got.OK != tt.want.OK || !near(got.Slope, tt.want.Slope) || !near(got.Intercept, tt.want.Intercept) {
				t.Errorf("FitTrend = %+v, want %+v", got, tt.want)
			}
			if !near(got.PerWeek(), tt.wantWeeks) {
				t.Errorf("PerWeek = %v, want %v", got.PerWeek(), tt.wantWeeks)
			}
		})
	}
}

func TestTrendPerWeek(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name  string
		trend Trend
		want  float64
	}{
		{name: "rising", trend: Trend{Slope: 0.25, OK: true}, want: 1.75},
		{name: "falling", trend: Trend{Slope: -1, Intercept: 9, OK: true}, want: -7},
		{name: "not OK", trend: Trend{}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			if got := tt.trend.PerWeek(); !near(got, tt.want) {
				t.Errorf("PerWeek = %v, want %v", got, tt.want)
			}
		})
	}
}
