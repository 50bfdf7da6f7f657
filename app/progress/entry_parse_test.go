package progress

import (
	"testing"
	"time"

	"goaltracker/app/problem"
)

func TestParseDayAndValue(t *testing.T) {
	t.Parallel()
	s := &Service{now: func() time.Time { return time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC) }}
	measured := &goalInfo{Unit: "% accuracy", Status: "active"}
	tests := []struct {
		day, value string
		bad        []string
	}{
		{"", "", nil},
		{"2026-12-03", "12.5", nil},
		{"2026-12-04", "", []string{"occurred_on"}},
		{"12/03/2026", "", []string{"occurred_on"}},
		{"1999-12-31", "", []string{"occurred_on"}},
		{"2026-11-30", "twelve", []string{"value"}},
		{"2026-11-30", "Inf", []string{"value"}},
		{"2026-11-30", "1e10", []string{"value"}},
	}
	for _, tc := range tests {
		inv := problem.NewInvalid()
		d := s.parseDay(inv, tc.day)
		parseValue(inv, tc.value, measured)
		for _, f := range tc.bad {
			if !inv.Has(f) {
				t.Errorf("%q/%q: no message for %s", tc.day, tc.value, f)
			}
		}
		if len(tc.bad) == 0 && inv.Err() != nil {
			t.Errorf("%q/%q: %v", tc.day, tc.value, inv.Err())
		}
		if tc.day == "" && !d.Equal(time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("an empty day is %v, want today", d)
		}
	}

	inv := problem.NewInvalid()
	parseValue(inv, "3", &goalInfo{Status: "active"})
	if !inv.Has("value") {
		t.Error("a value on a goal without a unit was accepted")
	}
}

// FuzzEntryDecoding feeds any text to the day and value decoders of the
// progress form: a value is either refused with a message or a finite
// number with two decimals, and a day is never in the future.
func FuzzEntryDecoding(f *testing.F) {
	f.Add("2026-12-01", "45")
	f.Add("2099-01-01", "1e400")
	f.Add("\xff", "-0.005")
	now := time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
	s := &Service{now: func() time.Time { return now }}
	f.Fuzz(func(t *testing.T, day, value string) {
		inv := problem.NewInvalid()
		d := s.parseDay(inv, day)
		v := parseValue(inv, value, &goalInfo{Unit: "u", Status: "active"})
		if !inv.Has("occurred_on") && d.After(now) {
			t.Fatalf("accepted a future day %v from %q", d, day)
		}
		if v != nil && (*v != *v || *v >= 1e10 || *v <= -1e10) {
			t.Fatalf("accepted value %v from %q", *v, value)
		}
	})
}
