package report

import (
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// measuredNumbers is Q2 of 2026-27 for an active goal measured in "%
// accuracy", aiming from 40 on Sep 7 to 80 on Jun 14, forty weeks later:
// the aim line climbs 1 a week and stands at 55 on Dec 21. Eight entries
// by two authors all carry a value; the latest is 64.
func measuredNumbers() Numbers {
	return Numbers{
		PeriodCode: "Q2", PeriodStart: calendarDay("2026-10-26"), PeriodEnd: calendarDay("2027-01-03"),
		GoalTitle: "Reads grade-level passages", GoalStatus: "active", Unit: "% accuracy",
		Baseline: new(40.0), Target: new(80.0),
		GoalStart: calendarDay("2026-09-07"), TargetDate: calendarDay("2027-06-14"),
		Entries: 8, FirstOn: calendarDay("2026-10-28"), LastOn: calendarDay("2026-12-21"),
		Authors: []string{"Elena Ortiz", "Sam Lee"}, Values: 8, LatestValue: new(64.0),
		WeeklyTrend: new(1.5), ActiveWeeks: 7,
	}
}

// promptNumbers is a goal that aims down, from 6 prompts a session to 1,
// on the same days as measuredNumbers: the aim line falls 0.125 a week and
// stands at 4.125 on Dec 21.
func promptNumbers() Numbers {
	n := measuredNumbers()
	n.Unit, n.Baseline, n.Target = "prompts per session", new(6.0), new(1.0)
	n.LatestValue, n.WeeklyTrend = new(3.0), new(-0.2)
	return n
}

// plainNumbers is a goal not measured in numbers: five entries in four of
// Q2's ten weeks.
func plainNumbers() Numbers {
	return Numbers{
		PeriodCode: "Q2", PeriodStart: calendarDay("2026-10-26"), PeriodEnd: calendarDay("2027-01-03"),
		GoalTitle: "Asks for help", GoalStatus: "active", GoalStart: calendarDay("2026-09-07"),
		Entries: 5, FirstOn: calendarDay("2026-10-28"), LastOn: calendarDay("2026-12-18"),
		Authors: []string{"Sam Lee"}, ActiveWeeks: 4,
	}
}

func TestSummarize(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name     string
		numbers  Numbers
		edit     func(n *Numbers)
		want     string
		wantCode string
	}{
		{
			name: "measured, ahead of the aim line and faster", numbers: measuredNumbers(),
			want: "8 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz and Sam Lee. " +
				"The latest value was 64 % accuracy on Dec 21, ahead of the 55 planned for that day; " +
				"the goal started at 40 and aims for 80 by Jun 14. " +
				"Values rose about 1.5 a week, faster than the planned pace of about 1 a week.",
			wantCode: CodeSufficient,
		},
		{
			name: "measured, behind the aim line and slower", numbers: measuredNumbers(),
			edit: func(n *Numbers) { n.LatestValue, n.WeeklyTrend = new(50.0), new(0.6) },
			want: "8 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz and Sam Lee. " +
				"The latest value was 50 % accuracy on Dec 21, behind the 55 planned for that day; " +
				"the goal started at 40 and aims for 80 by Jun 14. " +
				"Values rose about 0.6 a week, slower than the planned pace of about 1 a week.",
			wantCode: CodeInsufficient,
		},
		{
			name: "measured, on the aim line at the planned pace", numbers: measuredNumbers(),
			edit: func(n *Numbers) { n.LatestValue, n.WeeklyTrend = new(55.0), new(1.04) },
			want: "8 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz and Sam Lee. " +
				"The latest value was 55 % accuracy on Dec 21, right at the 55 planned for that day; " +
				"the goal started at 40 and aims for 80 by Jun 14. " +
				"Values rose about 1 a week, in line with the planned pace of about 1 a week.",
			wantCode: CodeSufficient,
		},
		{
			name: "measured, ahead but moving away", numbers: measuredNumbers(),
			edit: func(n *Numbers) { n.LatestValue, n.WeeklyTrend = new(60.0), new(-0.8) },
			want: "8 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz and Sam Lee. " +
				"The latest value was 60 % accuracy on Dec 21, ahead of the 55 planned for that day; " +
				"the goal started at 40 and aims for 80 by Jun 14. " +
				"Values fell about 0.8 a week, away from the target.",
			wantCode: CodeInsufficient,
		},
		{
			name: "measured, steady within 1 % of the distance a week", numbers: measuredNumbers(),
			edit: func(n *Numbers) { n.WeeklyTrend = new(-0.3) },
			want: "8 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz and Sam Lee. " +
				"The latest value was 64 % accuracy on Dec 21, ahead of the 55 planned for that day; " +
				"the goal started at 40 and aims for 80 by Jun 14. " +
				"Values held about steady (down about 0.3 a week).",
			wantCode: CodeSufficient,
		},
		{
			name: "measured, target reached", numbers: measuredNumbers(),
			edit: func(n *Numbers) { n.LatestValue, n.WeeklyTrend = new(82.0), new(2.0) },
			want: "8 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz and Sam Lee. " +
				"The latest value was 82 % accuracy on Dec 21, which is better than the target of 80; " +
				"the goal started at 40. Values rose about 2 a week.",
			wantCode: CodeMastered,
		},
		{
			name: "decreasing goal ahead of its aim line", numbers: promptNumbers(),
			want: "8 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz and Sam Lee. " +
				"The latest value was 3 prompts per session on Dec 21, ahead of the 4.13 planned for that day; " +
				"the goal started at 6 and aims for 1 by Jun 14. " +
				"Values fell about 0.2 a week, faster than the planned pace of about 0.1 a week.",
			wantCode: CodeSufficient,
		},
		{
			name: "decreasing goal reaching its target", numbers: promptNumbers(),
			edit: func(n *Numbers) { n.LatestValue, n.WeeklyTrend = new(1.0), nil },
			want: "8 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz and Sam Lee. " +
				"The latest value was 1 prompts per session on Dec 21, which reaches the target of 1; " +
				"the goal started at 6.",
			wantCode: CodeMastered,
		},
		{
			name: "one entry, no trend, behind", numbers: measuredNumbers(),
			edit: func(n *Numbers) {
				n.Entries, n.Values, n.ActiveWeeks = 1, 1, 1
				n.FirstOn, n.LastOn = calendarDay("2026-11-03"), calendarDay("2026-11-03")
				n.Authors, n.LatestValue, n.WeeklyTrend = []string{"Sam Lee"}, new(48.0), nil
			},
			want: "1 entry in Q2, on Nov 3, by Sam Lee. " +
				"The value recorded was 48 % accuracy, behind the 48.14 planned for that day; " +
				"the goal started at 40 and aims for 80 by Jun 14.",
			wantCode: CodeInsufficient,
		},
		{
			name: "some entries without a value", numbers: measuredNumbers(),
			edit: func(n *Numbers) { n.Values = 4 },
			want: "8 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz and Sam Lee. " +
				"The latest of 4 values was 64 % accuracy, ahead of the 55 planned for Dec 21; " +
				"the goal started at 40 and aims for 80 by Jun 14. " +
				"Values rose about 1.5 a week, faster than the planned pace of about 1 a week.",
			wantCode: CodeSufficient,
		},
		{
			name: "measured, no aim line, direction unknown", numbers: measuredNumbers(),
			edit: func(n *Numbers) {
				n.Unit, n.Baseline, n.Target, n.TargetDate = "words per minute", nil, nil, time.Time{}
				n.LatestValue, n.WeeklyTrend = new(92.5), new(3.24)
			},
			want: "8 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz and Sam Lee. " +
				"The latest value was 92.5 words per minute on Dec 21. Values rose about 3.2 a week.",
			wantCode: CodeSufficient,
		},
		{
			name: "measured, no target date, moving away", numbers: measuredNumbers(),
			edit: func(n *Numbers) { n.TargetDate, n.WeeklyTrend = time.Time{}, new(-2.0) },
			want: "8 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz and Sam Lee. " +
				"The latest value was 64 % accuracy on Dec 21; the goal started at 40 and aims for 80. " +
				"Values fell about 2 a week, away from the target.",
			wantCode: CodeInsufficient,
		},
		{
			name: "measured, target only, far target date", numbers: measuredNumbers(),
			edit: func(n *Numbers) {
				n.Baseline, n.TargetDate = nil, calendarDay("2028-05-19")
				n.WeeklyTrend = new(0.04)
			},
			want: "8 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz and Sam Lee. " +
				"The latest value was 64 % accuracy on Dec 21; the goal aims for 80 by May 19, 2028. " +
				"Values rose less than 0.1 a week.",
			wantCode: CodeSufficient,
		},
		{
			name: "measured with sub-goals", numbers: measuredNumbers(),
			edit: func(n *Numbers) { n.SubGoals, n.SubGoalsMet, n.WeeklyTrend = 3, 1, nil },
			want: "8 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz and Sam Lee; " +
				"1 of 3 sub-goals is met. " +
				"The latest value was 64 % accuracy on Dec 21, ahead of the 55 planned for that day; " +
				"the goal started at 40 and aims for 80 by Jun 14.",
			wantCode: CodeSufficient,
		},
		{
			name: "measured, entries without values", numbers: measuredNumbers(),
			edit: func(n *Numbers) { n.Entries, n.Values, n.ActiveWeeks, n.LatestValue = 3, 0, 2, nil },
			want: "3 entries in Q2 over 2 of 10 weeks, from Oct 28 to Dec 21, " +
				"by Elena Ortiz and Sam Lee, none with a value.",
			wantCode: CodeInsufficient,
		},
		{
			name: "met, with values", numbers: measuredNumbers(),
			edit: func(n *Numbers) {
				n.GoalStatus, n.Entries, n.Values = "met", 3, 3
				n.LatestValue, n.Authors = new(81.0), []string{"Elena Ortiz"}
			},
			want: "The goal was met. 3 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz. " +
				"The latest value was 81 % accuracy on Dec 21, which is better than the target of 80; " +
				"the goal started at 40.",
			wantCode: CodeMastered,
		},
		{
			name: "met, without entries", numbers: plainNumbers(),
			edit: func(n *Numbers) {
				n.GoalStatus, n.Entries, n.ActiveWeeks, n.Authors = "met", 0, 0, nil
				n.FirstOn, n.LastOn = time.Time{}, time.Time{}
			},
			want:     "The goal was met. No progress was recorded for this goal in Q2 (Oct 26 – Jan 3).",
			wantCode: CodeMastered,
		},
		{
			name: "closed as not met, measured", numbers: measuredNumbers(),
			edit: func(n *Numbers) { n.GoalStatus, n.LatestValue = "not_met", new(50.0) },
			want: "The goal was closed as not met. " +
				"8 entries in Q2, from Oct 28 to Dec 21, by Elena Ortiz and Sam Lee. " +
				"The latest value was 50 % accuracy on Dec 21, behind the 55 planned for that day; " +
				"the goal started at 40 and aimed for 80 by Jun 14.",
			wantCode: CodeInsufficient,
		},
		{
			name: "no entries, sub-goal", numbers: plainNumbers(),
			edit: func(n *Numbers) {
				n.IsSubGoal, n.Entries, n.ActiveWeeks, n.Authors = true, 0, 0, nil
				n.FirstOn, n.LastOn = time.Time{}, time.Time{}
			},
			want:     "No progress was recorded for this sub-goal in Q2 (Oct 26 – Jan 3).",
			wantCode: CodeNotAddressed,
		},
		{
			name: "no entries, with sub-goals", numbers: plainNumbers(),
			edit: func(n *Numbers) {
				n.Entries, n.ActiveWeeks, n.Authors, n.SubGoals, n.SubGoalsMet = 0, 0, nil, 2, 2
				n.FirstOn, n.LastOn = time.Time{}, time.Time{}
			},
			want: "No progress was recorded for this goal in Q2 (Oct 26 – Jan 3). " +
				"All 2 sub-goals are met.",
			wantCode: CodeNotAddressed,
		},
		{
			name: "not measured, fewer than half the weeks", numbers: plainNumbers(),
			want:     "5 entries in Q2 over 4 of 10 weeks, from Oct 28 to Dec 18, by Sam Lee.",
			wantCode: CodeInsufficient,
		},
		{
			name: "not measured, half the weeks, three authors unsorted", numbers: plainNumbers(),
			edit: func(n *Numbers) {
				n.ActiveWeeks, n.Authors = 5, []string{"Sam Lee", "Elena Ortiz", "Maya Chen"}
			},
			want: "5 entries in Q2 over 5 of 10 weeks, from Oct 28 to Dec 18, " +
				"by Elena Ortiz, Maya Chen and Sam Lee.",
			wantCode: CodeSufficient,
		},
		{
			name: "not measured, five authors", numbers: plainNumbers(),
			edit: func(n *Numbers) {
				n.Entries, n.ActiveWeeks = 9, 6
				n.Authors = []string{"Ana Díaz", "Ben Ho", "Cara Wu", "Dev Rao", "Eli Moss"}
			},
			want: "9 entries in Q2 over 6 of 10 weeks, from Oct 28 to Dec 18, " +
				"by Ana Díaz, Ben Ho, Cara Wu and 2 others.",
			wantCode: CodeSufficient,
		},
		{
			name: "not measured, four authors, one day", numbers: plainNumbers(),
			edit: func(n *Numbers) {
				n.Entries, n.ActiveWeeks, n.LastOn = 4, 1, n.FirstOn
				n.Authors = []string{"Ana Díaz", "Ben Ho", "Cara Wu", "Dev Rao"}
			},
			want: "4 entries in Q2 over 1 of 10 weeks, all on Oct 28, " +
				"by Ana Díaz, Ben Ho, Cara Wu and 1 other.",
			wantCode: CodeInsufficient,
		},
		{
			name: "not measured, with sub-goals", numbers: plainNumbers(),
			edit: func(n *Numbers) { n.SubGoals, n.SubGoalsMet = 3, 2 },
			want: "5 entries in Q2 over 4 of 10 weeks, from Oct 28 to Dec 18, by Sam Lee. " +
				"2 of 3 sub-goals are met.",
			wantCode: CodeSufficient,
		},
		{
			name: "discontinued, one sub-goal not met", numbers: plainNumbers(),
			edit: func(n *Numbers) {
				n.GoalStatus, n.Entries, n.ActiveWeeks, n.SubGoals = "discontinued", 1, 1, 1
				n.LastOn = n.FirstOn
			},
			want: "The goal was discontinued. " +
				"1 entry in Q2 over 1 of 10 weeks, on Oct 28, by Sam Lee. Its only sub-goal is not met.",
			wantCode: CodeInsufficient,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			n := tt.numbers
			if tt.edit != nil {
				tt.edit(&n)
			}
			if got := Summarize(n); got != tt.want {
				t.Errorf("Summarize:\n got %q\nwant %q", got, tt.want)
			}
			if got := SuggestCode(n); got != tt.wantCode {
				t.Errorf("SuggestCode = %s, want %s", got, tt.wantCode)
			}
		})
	}
}

func TestSuggestCode(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name    string
		numbers Numbers
		edit    func(n *Numbers)
		want    string
	}{
		{"1: met despite being behind", measuredNumbers(), func(n *Numbers) {
			n.GoalStatus, n.LatestValue = "met", new(41.0)
		}, CodeMastered},
		{"1: met without entries", plainNumbers(), func(n *Numbers) {
			n.GoalStatus, n.Entries = "met", 0
		}, CodeMastered},
		{"2: no entries, measured", measuredNumbers(), func(n *Numbers) {
			n.Entries, n.Values, n.LatestValue, n.WeeklyTrend = 0, 0, nil, nil
		}, CodeNotAddressed},
		{"2: no entries, discontinued", plainNumbers(), func(n *Numbers) {
			n.GoalStatus, n.Entries = "discontinued", 0
		}, CodeNotAddressed},
		{"3: exactly the target", measuredNumbers(), func(n *Numbers) {
			n.LatestValue, n.WeeklyTrend = new(80.0), new(-3.0)
		}, CodeMastered},
		{"3: target rounds to reached", measuredNumbers(), func(n *Numbers) {
			n.LatestValue = new(79.996)
		}, CodeMastered},
		{"3: decreasing goal below its target", promptNumbers(), func(n *Numbers) {
			n.LatestValue = new(0.5)
		}, CodeMastered},
		{"3: no baseline, so past the target is not reached", measuredNumbers(), func(n *Numbers) {
			n.Baseline, n.LatestValue, n.WeeklyTrend = nil, new(1.0), new(-5.0)
		}, CodeSufficient},
		{"4: exactly on the aim line, nil trend", measuredNumbers(), func(n *Numbers) {
			n.LatestValue, n.WeeklyTrend = new(55.0), nil
		}, CodeSufficient},
		{"4: on the aim line to two decimals", measuredNumbers(), func(n *Numbers) {
			// The aim line stands at 48.142857... on Nov 3.
			n.LastOn, n.LatestValue = calendarDay("2026-11-03"), new(48.14)
		}, CodeSufficient},
		{"4: just behind the aim line", measuredNumbers(), func(n *Numbers) {
			n.LatestValue = new(54.99)
		}, CodeInsufficient},
		{"4: on the aim line, flat trend", measuredNumbers(), func(n *Numbers) {
			n.LatestValue, n.WeeklyTrend = new(55.0), new(0.0)
		}, CodeSufficient},
		{"4: ahead, falling under 1 % of the distance a week", measuredNumbers(), func(n *Numbers) {
			n.WeeklyTrend = new(-0.39)
		}, CodeSufficient},
		{"4: ahead, falling exactly 1 % of the distance a week", measuredNumbers(), func(n *Numbers) {
			n.WeeklyTrend = new(-0.4)
		}, CodeInsufficient},
		{"4: behind, rising fast", measuredNumbers(), func(n *Numbers) {
			n.LatestValue, n.WeeklyTrend = new(45.0), new(4.0)
		}, CodeInsufficient},
		{"4: decreasing goal behind its aim line", promptNumbers(), func(n *Numbers) {
			n.LatestValue = new(4.5)
		}, CodeInsufficient},
		{"4: decreasing goal rising", promptNumbers(), func(n *Numbers) {
			n.WeeklyTrend = new(0.1)
		}, CodeInsufficient},
		{"5: no target date, nil trend", measuredNumbers(), func(n *Numbers) {
			n.TargetDate, n.LatestValue, n.WeeklyTrend = time.Time{}, new(10.0), nil
		}, CodeSufficient},
		{"5: target date before the goal's start", measuredNumbers(), func(n *Numbers) {
			n.TargetDate, n.LatestValue = calendarDay("2026-09-01"), new(10.0)
		}, CodeSufficient},
		{"5: no aim line, moving away", measuredNumbers(), func(n *Numbers) {
			n.TargetDate, n.WeeklyTrend = time.Time{}, new(-1.0)
		}, CodeInsufficient},
		{"5: no baseline, falling", measuredNumbers(), func(n *Numbers) {
			n.Baseline, n.WeeklyTrend = nil, new(-1.0)
		}, CodeSufficient},
		{"6: half the weeks", plainNumbers(), func(n *Numbers) { n.ActiveWeeks = 5 }, CodeSufficient},
		{"6: under half the weeks", plainNumbers(), nil, CodeInsufficient},
		{"6: two of three weeks", plainNumbers(), func(n *Numbers) {
			n.PeriodEnd, n.ActiveWeeks = calendarDay("2026-11-15"), 2
		}, CodeSufficient},
		{"6: one of three weeks", plainNumbers(), func(n *Numbers) {
			n.PeriodEnd, n.ActiveWeeks = calendarDay("2026-11-15"), 1
		}, CodeInsufficient},
		{"6: half the sub-goals", plainNumbers(), func(n *Numbers) {
			n.SubGoals, n.SubGoalsMet = 2, 1
		}, CodeSufficient},
		{"6: sub-goals count before weeks", plainNumbers(), func(n *Numbers) {
			n.SubGoals, n.SubGoalsMet, n.ActiveWeeks = 3, 1, 10
		}, CodeInsufficient},
		{"6: measured without a value", measuredNumbers(), func(n *Numbers) {
			n.Values, n.LatestValue, n.WeeklyTrend, n.ActiveWeeks = 0, nil, nil, 5
		}, CodeSufficient},
		{"6: measured, value not a number", measuredNumbers(), func(n *Numbers) {
			n.LatestValue, n.ActiveWeeks = new(math.NaN()), 4
		}, CodeInsufficient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			n := tt.numbers
			if tt.edit != nil {
				tt.edit(&n)
			}
			if got := SuggestCode(n); got != tt.want {
				t.Errorf("SuggestCode = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestAimAt(t *testing.T) {
	t.Parallel()

	afternoon := time.Date(2026, 9, 7, 15, 30, 0, 0, time.FixedZone("PDT", -7*60*60))
	tests := []struct {
		name   string
		edit   func(n *Numbers)
		day    string
		want   float64
		wantOK bool
	}{
		{"before the start clamps to the baseline", nil, "2026-08-01", 40, true},
		{"start day", nil, "2026-09-07", 40, true},
		{"midway", nil, "2027-01-25", 60, true},
		{"target date", nil, "2027-06-14", 80, true},
		{"after the target date clamps to the target", nil, "2027-09-01", 80, true},
		{"start's time of day ignored", func(n *Numbers) { n.GoalStart = afternoon }, "2026-12-21", 55, true},
		{"decreasing", func(n *Numbers) { n.Baseline, n.Target = new(6.0), new(1.0) }, "2027-01-25", 3.5, true},
		{"no baseline", func(n *Numbers) { n.Baseline = nil }, "2026-12-21", 0, false},
		{"no target", func(n *Numbers) { n.Target = nil }, "2026-12-21", 0, false},
		{"infinite target", func(n *Numbers) { n.Target = new(math.Inf(1)) }, "2026-12-21", 0, false},
		{"no target date", func(n *Numbers) { n.TargetDate = time.Time{} }, "2026-12-21", 0, false},
		{"no goal start", func(n *Numbers) { n.GoalStart = time.Time{} }, "2026-12-21", 0, false},
		{"target date on the start", func(n *Numbers) { n.TargetDate = n.GoalStart }, "2026-12-21", 0, false},
		{"target date before the start", func(n *Numbers) {
			n.TargetDate = calendarDay("2026-09-06")
		}, "2026-12-21", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			n := measuredNumbers()
			if tt.edit != nil {
				tt.edit(&n)
			}
			got, ok := n.AimAt(calendarDay(tt.day))
			if ok != tt.wantOK || math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("AimAt(%s) = %v, %t, want %v, %t", tt.day, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestAimWeekly(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name    string
		numbers Numbers
		want    float64
		wantOK  bool
	}{
		{"increasing", measuredNumbers(), 1, true},
		{"decreasing", promptNumbers(), -0.125, true},
		{"not measured", plainNumbers(), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			got, ok := tt.numbers.AimWeekly()
			if ok != tt.wantOK || math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("AimWeekly() = %v, %t, want %v, %t", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestDirectionAndStanding(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name                  string
		numbers               Numbers
		edit                  func(n *Numbers)
		increasing, reached   bool
		onTrack, onTrackKnown bool
	}{
		{"ahead", measuredNumbers(), nil, true, false, true, true},
		{"behind", measuredNumbers(), func(n *Numbers) { n.LatestValue = new(50.0) }, true, false, false, true},
		{"reached", measuredNumbers(), func(n *Numbers) { n.LatestValue = new(80.0) }, true, true, true, true},
		{"flat goal", measuredNumbers(), func(n *Numbers) { n.Target = new(40.0) }, true, true, true, true},
		{"decreasing, ahead", promptNumbers(), nil, false, false, true, true},
		{"decreasing, behind", promptNumbers(), func(n *Numbers) { n.LatestValue = new(5.0) }, false, false, false, true},
		{"no baseline", measuredNumbers(), func(n *Numbers) { n.Baseline = nil }, false, false, false, false},
		{"no latest value", measuredNumbers(), func(n *Numbers) { n.LatestValue = nil }, true, false, false, false},
		{"no last entry day", measuredNumbers(), func(n *Numbers) { n.LastOn = time.Time{} }, true, false, false, false},
		{"no target date", measuredNumbers(), func(n *Numbers) { n.TargetDate = time.Time{} }, true, false, false, false},
		{"no unit", measuredNumbers(), func(n *Numbers) { n.Unit = "" }, true, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			n := tt.numbers
			if tt.edit != nil {
				tt.edit(&n)
			}
			if got := n.IsIncreasing(); got != tt.increasing {
				t.Errorf("IsIncreasing() = %t, want %t", got, tt.increasing)
			}
			if got := n.TargetReached(); got != tt.reached {
				t.Errorf("TargetReached() = %t, want %t", got, tt.reached)
			}
			if got, known := n.OnTrack(); got != tt.onTrack || known != tt.onTrackKnown {
				t.Errorf("OnTrack() = %t, %t, want %t, %t", got, known, tt.onTrack, tt.onTrackKnown)
			}
		})
	}
}

func TestPeriodWeeks(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name       string
		start, end string
		want       int
	}{
		{"ten-week quarter", "2026-10-26", "2027-01-03", 10},
		{"quarter ending on a friday", "2027-03-15", "2027-05-21", 10},
		{"one day over ten weeks", "2026-10-26", "2027-01-04", 11},
		{"semester", "2026-08-17", "2027-01-03", 20},
		{"one week", "2026-10-26", "2026-11-01", 1},
		{"eight days", "2026-10-26", "2026-11-02", 2},
		{"one day", "2026-10-26", "2026-10-26", 1},
		{"end before start", "2026-10-26", "2026-10-01", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			n := Numbers{PeriodStart: calendarDay(tt.start), PeriodEnd: calendarDay(tt.end)}
			if got := n.PeriodWeeks(); got != tt.want {
				t.Errorf("PeriodWeeks() of %s..%s = %d, want %d", tt.start, tt.end, got, tt.want)
			}
		})
	}
	if got := (Numbers{}).PeriodWeeks(); got != 1 {
		t.Errorf("PeriodWeeks() without dates = %d, want 1", got)
	}
}

// entryCounts finds every "N entry" or "N entries" of a summary.
var entryCounts = regexp.MustCompile(`(\d+) entr(?:y|ies)\b`)

// TestSummarizeProperties checks generated numbers for what every summary
// must hold: no formatting debris, at most three sentences, the entry
// count as given, the same text for any order of authors, and, for an
// active measured goal with a value, words that agree with the code.
func TestSummarizeProperties(t *testing.T) {
	t.Parallel()

	rng := rand.New(rand.NewPCG(2026, 10))
	for i := range 5000 {
		n := randomNumbers(rng)
		got := Summarize(n)
		fail := func(format string, args ...any) {
			t.Helper()
			t.Errorf("case %d %+v\nsummary %q: "+format, append([]any{i, n, got}, args...)...)
		}

		for _, bad := range []string{"NaN", "Inf", "<nil>", "%!", "  ", "..", " ,", " .", ",,"} {
			if strings.Contains(got, bad) {
				fail("contains %q", bad)
			}
		}
		if !strings.HasSuffix(got, ".") || strings.ToUpper(got[:1]) != got[:1] {
			fail("is not sentences")
		}
		if sentences := strings.Count(got, ". ") + 1; sentences > 3 {
			fail("has %d sentences", sentences)
		}
		checkEntryCount(n, got, fail)
		reversed := n
		reversed.Authors = slices.Clone(n.Authors)
		slices.Reverse(reversed.Authors)
		if again := Summarize(reversed); again != got {
			fail("differs with authors reversed: %q", again)
		}
		checkCodeWording(n, got, fail)
	}
}

// checkEntryCount fails unless every entry count in summary is n.Entries,
// and one is there when there are entries.
func checkEntryCount(n Numbers, summary string, fail func(string, ...any)) {
	if n.Entries == 0 {
		if !strings.Contains(summary, "No progress was recorded") || entryCounts.MatchString(summary) {
			fail("does not say that nothing was recorded")
		}
		return
	}

	matches := entryCounts.FindAllStringSubmatch(summary, -1)
	if len(matches) == 0 {
		fail("does not count the entries")
	}
	for _, m := range matches {
		if m[1] != strconv.Itoa(n.Entries) {
			fail("counts %s entries, want %d", m[1], n.Entries)
		}
	}
}

// checkCodeWording fails when an active measured goal's summary and code
// disagree: insufficient exactly when the text says behind or away,
// mastered exactly when it names the target as reached.
func checkCodeWording(n Numbers, summary string, fail func(string, ...any)) {
	code := SuggestCode(n)
	if n.GoalStatus != "active" || n.Entries == 0 || n.Unit == "" || n.LatestValue == nil {
		return
	}

	saysShort := strings.Contains(summary, "behind the") || strings.Contains(summary, "away from the target")
	if saysShort != (code == CodeInsufficient) {
		fail("code %s, yet behind or away is %t", code, saysShort)
	}
	saysReached := strings.Contains(summary, "the target of")
	if saysReached != (code == CodeMastered) {
		fail("code %s, yet target reached is %t", code, saysReached)
	}
}

// randomNumbers makes numbers that could come from a compile: entries
// within the period, values among the entries, met sub-goals among the
// sub-goals; with awkward values such as long decimals, zero and tiny
// trends, and missing baselines, targets and dates.
func randomNumbers(rng *rand.Rand) Numbers {
	start := calendarDay("2026-08-17").AddDate(0, 0, 7*rng.IntN(40))
	n := Numbers{
		PeriodCode: pick(rng, []string{"Q1", "Q2", "S1", ""}), PeriodStart: start,
		PeriodEnd:  start.AddDate(0, 0, rng.IntN(140)),
		IsSubGoal:  rng.IntN(4) == 0,
		GoalStatus: pick(rng, []string{"active", "active", "active", "met", "not_met", "discontinued"}),
		Unit:       pick(rng, []string{"", "% accuracy", "prompts per session", "words per minute"}),
		Baseline:   maybe(rng, randomValue(rng)), Target: maybe(rng, randomValue(rng)),
		GoalStart: start.AddDate(0, 0, -rng.IntN(200)),
	}
	if rng.IntN(4) > 0 {
		n.TargetDate = start.AddDate(0, 0, rng.IntN(600)-100)
	}
	n.SubGoals = max(0, rng.IntN(6)-2)
	n.SubGoalsMet = rng.IntN(n.SubGoals + 1)

	n.Entries = rng.IntN(13)
	if n.Entries == 0 {
		return n
	}
	days := dayIndex(n.PeriodEnd) - dayIndex(start) + 1
	n.FirstOn = start.AddDate(0, 0, rng.IntN(days))
	n.LastOn = n.FirstOn
	if n.Entries > 1 {
		n.LastOn = n.FirstOn.AddDate(0, 0, rng.IntN(dayIndex(n.PeriodEnd)-dayIndex(n.FirstOn)+1))
	}
	spanned := (dayIndex(n.LastOn)-dayIndex(start))/7 - (dayIndex(n.FirstOn)-dayIndex(start))/7 + 1
	n.ActiveWeeks = 1 + rng.IntN(min(n.Entries, spanned))
	staff := []string{"Elena Ortiz", "Sam Lee", "Maya Chen", "Ben Ho", "Ana Díaz", "Dev Rao"}
	rng.Shuffle(len(staff), func(i, j int) { staff[i], staff[j] = staff[j], staff[i] })
	n.Authors = staff[:rng.IntN(len(staff)+1)]

	if n.Unit != "" {
		n.Values = rng.IntN(n.Entries + 1)
	}
	if n.Values > 0 {
		n.LatestValue = new(randomValue(rng))
	}
	if n.Values > 1 && rng.IntN(5) > 0 {
		n.WeeklyTrend = new(pick(rng, []float64{0, 0.004, -0.03, 0.4, -0.4, rng.Float64()*10 - 5}))
	}
	return n
}

// randomValue is a value in [-5, 120), often with many decimals.
func randomValue(rng *rand.Rand) float64 {
	v := rng.Float64()*125 - 5
	if rng.IntN(2) == 0 {
		return math.Round(v)
	}
	return v
}

func maybe(rng *rand.Rand, v float64) *float64 {
	if rng.IntN(4) == 0 {
		return nil
	}
	return new(v)
}

func pick[T any](rng *rand.Rand, choices []T) T {
	return choices[rng.IntN(len(choices))]
}
