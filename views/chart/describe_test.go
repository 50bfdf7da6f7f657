package chart

import (
	"testing"
	"time"
)

func TestDescription(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name string
		in   Input
		want string
	}{
		{
			name: "values, aim and trend",
			in:   sampleInput(),
			want: "12 values from Sep 3 to Nov 19, 2026, latest 64 % accuracy. " +
				"Aim: from 40 to 80 by May 21, 2027. Trend: rising 1.8 % accuracy a week.",
		},
		{
			name: "no values yet, aim known",
			in:   Input{Baseline: ptr(40), Target: ptr(80), TargetDate: day("2027-05-21")},
			want: "No measured values yet. Aim: from 40 to 80 by May 21, 2027.",
		},
		{
			name: "one value",
			in:   Input{Unit: "% accuracy", Points: []Point{{day("2026-09-03"), 52}}},
			want: "1 value on Sep 3, 2026: 52 % accuracy.",
		},
		{
			name: "two values on one day, the later listed is the latest",
			in:   Input{Points: []Point{{day("2026-09-03"), 6.5}, {day("2026-09-03"), 7}}},
			want: "2 values on Sep 3, 2026, latest 7.",
		},
		{
			name: "across a new year, falling",
			in:   Input{Unit: "errors", Points: []Point{{day("2027-01-05"), 10}, {day("2026-12-01"), 20}}},
			want: "2 values from Dec 1, 2026 to Jan 5, 2027, latest 10 errors. Trend: falling 2 errors a week.",
		},
		{
			name: "flat, target without baseline",
			in: Input{
				Points: []Point{{day("2026-09-01"), 3}, {day("2026-09-20"), 3}},
				Target: ptr(5),
			},
			want: "2 values from Sep 1 to Sep 20, 2026, latest 3. Target: 5. Trend: flat.",
		},
		{
			name: "rounded to two decimals",
			in: Input{
				Unit:       "wpm",
				Points:     []Point{{day("2026-09-01"), 1.0 / 3}, {day("2026-09-04"), 1}},
				Target:     ptr(2.499),
				TargetDate: day("2026-12-18"),
			},
			want: "2 values from Sep 1 to Sep 4, 2026, latest 1 wpm. Target: 2.5 by Dec 18, 2026. " +
				"Trend: rising 1.56 wpm a week.",
		},
		{
			name: "date of a local midnight",
			in: Input{Points: []Point{
				{time.Date(2026, 9, 3, 0, 0, 0, 0, time.FixedZone("UTC+10", 10*60*60)), 4},
			}},
			want: "1 value on Sep 3, 2026: 4.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			if got := Layout(tt.in, Large).Description; got != tt.want {
				t.Errorf("Description =\n%q, want\n%q", got, tt.want)
			}
		})
	}
}

func TestFormatNumber(t *testing.T) {
	t.Parallel()

	tests := []struct {
		in   float64
		want string
	}{
		{in: 52, want: "52"},
		{in: 1.5, want: "1.5"},
		{in: 1.0 / 3, want: "0.33"},
		{in: 2.999, want: "3"},
		{in: -0.001, want: "0"},
		{in: -12.25, want: "-12.25"},
		{in: 1500000, want: "1500000"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()

			if got := formatNumber(tt.in); got != tt.want {
				t.Errorf("formatNumber(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNiceTicks(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		lo, hi float64
		want   []string
	}{
		{name: "percent", lo: 36, hi: 84, want: []string{"20", "40", "60", "80", "100"}},
		{name: "zero to ten", lo: 0, hi: 10, want: []string{"0", "2", "4", "6", "8", "10"}},
		{name: "tenths", lo: 0.3, hi: 0.7, want: []string{"0.3", "0.4", "0.5", "0.6", "0.7"}},
		{name: "negative", lo: -9.2, hi: 5.1, want: []string{"-10", "-5", "0", "5", "10"}},
		{name: "half steps", lo: 4, hi: 6, want: []string{"4", "4.5", "5", "5.5", "6"}},
		{name: "hundredths widened to four ticks", lo: 0.001, hi: 0.004, want: []string{"0", "0.01", "0.02", "0.03"}},
		{name: "thousands", lo: 1234, hi: 5678, want: []string{"1000", "2000", "3000", "4000", "5000", "6000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			tk := niceTicks(valueRange{lo: tt.lo, hi: tt.hi})
			var got []string
			for i := range tk.count {
				got = append(got, formatNumber(tk.value(i)))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("ticks = %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("ticks = %q, want %q", got, tt.want)
				}
			}
		})
	}
}
