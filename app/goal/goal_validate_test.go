package goal

import (
	"strings"
	"testing"
	"unicode/utf8"

	"goaltracker/app/problem"
)

func TestDraftParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		draft Draft
		bad   []string
	}{
		{"complete", Draft{Title: "Count change", Unit: "$", Baseline: "2", Target: "20.5",
			TargetDate: "2027-05-21"}, nil},
		{"title only", Draft{Title: "  Greet a peer  "}, nil},
		{"no title", Draft{}, []string{"title"}},
		{"long title", Draft{Title: strings.Repeat("x", 256)}, []string{"title"}},
		{"measure without unit", Draft{Title: "t", Target: "3"}, []string{"unit"}},
		{"not numbers", Draft{Title: "t", Unit: "u", Baseline: "ten", Target: "NaN"}, []string{"baseline", "target"}},
		{"huge number", Draft{Title: "t", Unit: "u", Target: "1e12"}, []string{"target"}},
		{"bad date", Draft{Title: "t", TargetDate: "21/05/2027"}, []string{"target_date"}},
		{"date out of range", Draft{Title: "t", TargetDate: "1899-01-01"}, []string{"target_date"}},
		{"not UTF-8", Draft{Title: "\xff\xfe"}, []string{"title"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g, err := tc.draft.parse()
			inv, _ := problem.AsInvalid(err)
			if len(tc.bad) == 0 {
				if err != nil {
					t.Fatalf("parse: %v", err)
				}
				if g.Title != strings.TrimSpace(tc.draft.Title) || g.Status != StatusActive {
					t.Errorf("goal = %+v", g)
				}
				return
			}
			for _, f := range tc.bad {
				if inv == nil || !inv.Has(f) {
					t.Errorf("no message for %s: %v", f, err)
				}
			}
		})
	}
}

func TestNumberRoundsToCents(t *testing.T) {
	t.Parallel()
	inv := problem.NewInvalid()
	if got := number(inv, "f", "F", " 12.345 "); got == nil || *got != 12.35 {
		t.Errorf("number = %v", got)
	}
	if got := number(inv, "f", "F", ""); got != nil || inv.Err() != nil {
		t.Errorf("empty number = %v, %v", got, inv.Err())
	}
}

// FuzzDraftParse feeds any text to the new-goal form's decoder: it must
// answer a goal or field messages, never panic, and never accept text that
// the columns cannot hold.
func FuzzDraftParse(f *testing.F) {
	f.Add("Read a bus schedule", "% accuracy", "40", "80", "2027-05-21")
	f.Add("", "", "x", "1e400", "2027-02-30")
	f.Add("\xff", strings.Repeat("u", 60), "-0", "NaN", "0000-00-00")
	f.Fuzz(func(t *testing.T, title, unit, baseline, target, date string) {
		g, err := Draft{Title: title, Unit: unit, Baseline: baseline, Target: target, TargetDate: date}.parse()
		if err != nil {
			if _, ok := problem.AsInvalid(err); !ok {
				t.Fatalf("parse returned %T, not field messages: %v", err, err)
			}
			return
		}
		if !utf8.ValidString(g.Title) || utf8.RuneCountInString(g.Title) > 255 || g.Title == "" {
			t.Fatalf("accepted title %q", g.Title)
		}
		if utf8.RuneCountInString(g.Unit) > 50 {
			t.Fatalf("accepted unit %q", g.Unit)
		}
	})
}

// FuzzAssignments feeds any value to every inline field's decoder: it
// either refuses the value or returns columns with valid UTF-8 text.
func FuzzAssignments(f *testing.F) {
	for _, field := range append(Fields, "nope") {
		f.Add(field, "value", "note")
	}
	f.Add("status", "met", "")
	f.Add("target_date", "2027-13-01", "")
	f.Fuzz(func(t *testing.T, field, value, note string) {
		sets, err := assignments(Edit{Field: field, Value: value, CloseNote: note})
		if err != nil {
			return
		}
		if len(sets) == 0 {
			t.Fatalf("accepted %s=%q without setting a column", field, value)
		}
		for _, a := range sets {
			if s, ok := a.value.(string); ok && !utf8.ValidString(s) {
				t.Fatalf("accepted invalid UTF-8 for %s: %q", a.column, s)
			}
		}
	})
}
