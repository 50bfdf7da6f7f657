package report

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Goal statuses as the goal table stores them (goal.Status*). They are
// repeated here so that report does not depend on the goal package.
const (
	goalStatusMet          = "met"
	goalStatusNotMet       = "not_met"
	goalStatusDiscontinued = "discontinued"
)

// steadyShare is the weekly change, as a share of the distance from
// baseline to target, under which a trend counts as steady rather than
// moving toward or away from the target: 1 %, or 0.4 a week for a goal
// from 40 to 80.
const steadyShare = 0.01

// authorsNamed is how many authors a summary names before "and N others".
const authorsNamed = 3

// Numbers is what a compile measured for one goal in one reporting period.
// The summary and the suggested code are computed from these fields alone;
// entry content is never among them. A NaN or infinite value, baseline,
// target or trend counts as missing.
type Numbers struct {
	PeriodCode  string    // "Q2"
	PeriodStart time.Time // first day of the period (dates at UTC midnight)
	PeriodEnd   time.Time // last day
	GoalTitle   string
	IsSubGoal   bool
	GoalStatus  string // active, met, not_met, discontinued
	Unit        string // "" when the goal is not measured in numbers
	Baseline    *float64
	Target      *float64
	GoalStart   time.Time // day the aim line starts (the goal's creation day)
	TargetDate  time.Time // zero when none
	Entries     int       // entries in the period (sensitive ones included)
	FirstOn     time.Time // first entry day in the period (zero when none)
	LastOn      time.Time // last entry day in the period
	Authors     []string  // names of the staff who wrote the period's entries, sorted
	Values      int       // entries in the period that carry a value
	LatestValue *float64  // the last value in the period (by day), nil when none
	// WeeklyTrend is the least-squares slope of the period's values, per
	// week; nil with fewer than 2 values on different days.
	WeeklyTrend *float64
	SubGoals    int // number of sub-goals
	SubGoalsMet int // of them, status met
	ActiveWeeks int // distinct weeks of the period with at least one entry
}

// PeriodWeeks returns the number of weeks in the period, counting a partial
// last week as a whole one: 70 days give 10, 68 give 10, 71 give 11. It is
// at least 1, also when PeriodEnd is before PeriodStart.
func (n Numbers) PeriodWeeks() int {
	days := dayIndex(n.PeriodEnd) - dayIndex(n.PeriodStart) + 1
	return max(1, (days+6)/7)
}

// AimAt returns the aim line's value on day: Baseline on GoalStart, Target
// on TargetDate, linear between them, and clamped to those ends before
// GoalStart and after TargetDate. Only calendar dates count. It reports
// false when the baseline, target, goal start or target date is missing, or
// when TargetDate is not after GoalStart.
func (n Numbers) AimAt(day time.Time) (float64, bool) {
	a, ok := n.aimLine()
	if !ok {
		return 0, false
	}

	d := min(max(dayIndex(day), a.startDay), a.endDay)
	v := a.from + (a.to-a.from)*float64(d-a.startDay)/float64(a.endDay-a.startDay)
	return v, isFinite(v)
}

// AimWeekly returns the aim line's slope per week: negative for a goal that
// aims down. It reports false when there is no aim line (see AimAt).
func (n Numbers) AimWeekly() (float64, bool) {
	a, ok := n.aimLine()
	if !ok {
		return 0, false
	}

	v := (a.to - a.from) / float64(a.endDay-a.startDay) * 7
	return v, isFinite(v)
}

// IsIncreasing reports whether the goal aims up: its target is at or above
// its baseline. A goal such as "prompts needed" aims down. It is false when
// the baseline or the target is missing; the direction is then unknown and
// TargetReached, OnTrack and the trend rules of SuggestCode do not use it.
func (n Numbers) IsIncreasing() bool {
	dir, ok := n.direction()
	return ok && dir > 0
}

// OnTrack reports whether the latest value is at or past the aim line on
// LastOn: at or above it for a goal that aims up, at or below it for one
// that aims down. Both are rounded to two decimals first, as the summary
// shows them, so a value on the line counts as on track. known is false for
// a goal not measured in numbers, without a latest value or last entry day,
// or without an aim line.
func (n Numbers) OnTrack() (onTrack bool, known bool) {
	latest, ok := finiteValue(n.LatestValue)
	if n.Unit == "" || !ok || n.LastOn.IsZero() {
		return false, false
	}

	aim, ok := n.AimAt(n.LastOn)
	if !ok {
		return false, false
	}
	return isAtOrPast(latest, aim, n.IsIncreasing()), true
}

// TargetReached reports whether the latest value reached the target: at or
// above it for a goal that aims up, at or below it for one that aims down,
// both rounded to two decimals. It is false for a goal not measured in
// numbers, without a latest value, or without a baseline or target, since
// the direction is then unknown.
func (n Numbers) TargetReached() bool {
	latest, ok := finiteValue(n.LatestValue)
	target, hasTarget := finiteValue(n.Target)
	_, hasDirection := n.direction()
	if n.Unit == "" || !ok || !hasTarget || !hasDirection {
		return false
	}
	return isAtOrPast(latest, target, n.IsIncreasing())
}

// SuggestCode returns the progress code the numbers support, for staff to
// confirm or change. The first rule that applies decides:
//
//  1. A goal whose status is met is mastered, whatever the period's entries.
//  2. A goal without entries in the period is not_addressed.
//  3. A measured goal (one with a unit) whose latest value reached the
//     target is mastered (see TargetReached).
//  4. A measured goal with an aim line is sufficient when its latest value
//     is on track, at or past the aim line on the last entry day (see
//     OnTrack), and its trend is not moving away from the target; otherwise
//     it is insufficient.
//  5. A measured goal without an aim line (no baseline, target or target
//     date) is sufficient unless its trend moves away from the target, and
//     then insufficient.
//  6. Any other goal, one not measured in numbers or a measured one without
//     a value in the period, is judged by regularity. With sub-goals it is
//     sufficient when at least half of them are met; without, when the
//     period's entries fall in at least half of its weeks (ActiveWeeks*2 >=
//     PeriodWeeks). Otherwise it is insufficient.
//
// Rules 3 to 5 apply only to a measured goal with a latest value in the
// period. A trend moves away from the target when WeeklyTrend is set, the
// goal has both a baseline and a target, the trend's sign is opposite to
// the direction from baseline to target, and its size is at least 1 % of
// |target - baseline| per week. A nil trend, a smaller one, or a goal
// without a baseline or target never counts as moving away.
func SuggestCode(n Numbers) string {
	switch {
	case n.GoalStatus == goalStatusMet:
		return CodeMastered
	case n.Entries <= 0:
		return CodeNotAddressed
	case n.isJudgedByValue():
		return n.measuredCode()
	}
	return n.regularityCode()
}

// measuredCode applies rules 3 to 5 of SuggestCode.
func (n Numbers) measuredCode() string {
	if n.TargetReached() {
		return CodeMastered
	}
	if onTrack, known := n.OnTrack(); known && !onTrack {
		return CodeInsufficient
	}
	if n.trendCourse() == courseAway {
		return CodeInsufficient
	}
	return CodeSufficient
}

// regularityCode applies rule 6 of SuggestCode.
func (n Numbers) regularityCode() string {
	if n.SubGoals > 0 {
		if n.SubGoalsMet*2 >= n.SubGoals {
			return CodeSufficient
		}
		return CodeInsufficient
	}
	if n.ActiveWeeks*2 >= n.PeriodWeeks() {
		return CodeSufficient
	}
	return CodeInsufficient
}

// Summarize returns a summary of the goal's period in one to three short
// sentences of plain words, each claim read off a number: how the goal was
// closed, if it was; how many entries, on which days, by whom; then, for a
// measured goal with a value, the latest value against the aim line and
// the target, and for an active goal the weekly trend against the planned
// pace; or, for any other goal, in how many weeks entries fell and how many
// sub-goals are met. Dates are written "Oct 28"; a target date outside the
// year from PeriodStart also gets its year. The same numbers always give
// the same text, whatever the order of Authors.
//
// Closed goals get no trend sentence, to stay within three sentences; the
// suggested code of a not_met or discontinued goal may still rest on its
// trend (rules 4 and 5 of SuggestCode).
func Summarize(n Numbers) string {
	var sentences []string
	if s := n.closingSentence(); s != "" {
		sentences = append(sentences, s)
	}

	switch {
	case n.Entries <= 0:
		sentences = append(sentences, n.noEntriesSentence())
		if n.SubGoals > 0 {
			sentences = append(sentences, capitalize(n.subGoalsPhrase())+".")
		}
	case n.isJudgedByValue():
		// The sub-goals join the entries sentence so that values and trend
		// fit in three sentences.
		extra := ""
		if n.SubGoals > 0 {
			extra = "; " + n.subGoalsPhrase()
		}
		sentences = append(sentences, n.entriesSentence(false, extra), n.valueSentence())
		if !n.isClosed() {
			if s := n.trendSentence(); s != "" {
				sentences = append(sentences, s)
			}
		}
	default:
		sentences = append(sentences, n.entriesSentence(true, n.noValueClause()))
		if n.SubGoals > 0 {
			sentences = append(sentences, capitalize(n.subGoalsPhrase())+".")
		}
	}
	return strings.Join(sentences, " ")
}

// closingSentence says how a closed goal was closed; empty for an active
// one.
func (n Numbers) closingSentence() string {
	switch n.GoalStatus {
	case goalStatusMet:
		return "The " + n.goalNoun() + " was met."
	case goalStatusNotMet:
		return "The " + n.goalNoun() + " was closed as not met."
	case goalStatusDiscontinued:
		return "The " + n.goalNoun() + " was discontinued."
	}
	return ""
}

// noEntriesSentence is the whole story of a period without entries.
func (n Numbers) noEntriesSentence() string {
	s := "No progress was recorded for this " + n.goalNoun() + " in " + n.periodName()
	if !n.PeriodStart.IsZero() && !n.PeriodEnd.IsZero() {
		s += " (" + shortDay(n.PeriodStart) + " – " + shortDay(n.PeriodEnd) + ")"
	}
	return s + "."
}

// entriesSentence counts the entries and names their days and authors:
// "8 entries in Q2, from Oct 28 to Dec 18, by Elena Ortiz and Sam Lee".
// withWeeks adds the active weeks; extra is appended before the full stop.
func (n Numbers) entriesSentence(withWeeks bool, extra string) string {
	s := countOf(n.Entries, "entry", "entries") + " in " + n.periodName()
	if withWeeks && n.ActiveWeeks > 0 {
		s += " over " + n.weeksPhrase()
	}
	if days := n.daysPhrase(); days != "" {
		s += ", " + days
	}
	if names := joinAuthors(n.Authors); names != "" {
		s += ", by " + names
	}
	return s + extra + "."
}

// weeksPhrase is "4 of 10 weeks"; "3 weeks" if ActiveWeeks, counted by the
// caller, exceeds the period's weeks.
func (n Numbers) weeksPhrase() string {
	weeks := n.PeriodWeeks()
	if n.ActiveWeeks > weeks {
		return countOf(n.ActiveWeeks, "week", "weeks")
	}
	return strconv.Itoa(n.ActiveWeeks) + " of " + countOf(weeks, "week", "weeks")
}

// daysPhrase is "on Oct 28", "all on Oct 28" or "from Oct 28 to Dec 18";
// empty without a first entry day.
func (n Numbers) daysPhrase() string {
	switch {
	case n.FirstOn.IsZero():
		return ""
	case n.LastOn.IsZero() || dayIndex(n.FirstOn) == dayIndex(n.LastOn):
		if n.Entries == 1 {
			return "on " + shortDay(n.FirstOn)
		}
		return "all on " + shortDay(n.FirstOn)
	}
	return "from " + shortDay(n.FirstOn) + " to " + shortDay(n.LastOn)
}

// noValueClause notes that a measured goal's entries carried no value;
// empty for a goal not measured in numbers, or when Values says otherwise.
func (n Numbers) noValueClause() string {
	switch {
	case n.Unit == "" || n.Values > 0:
		return ""
	case n.Entries == 1:
		return ", without a value"
	}
	return ", none with a value"
}

// subGoalsPhrase is "2 of 3 sub-goals are met", in lower case.
func (n Numbers) subGoalsPhrase() string {
	total, met := n.SubGoals, n.SubGoalsMet
	switch {
	case total == 1 && met >= 1:
		return "its only sub-goal is met"
	case total == 1:
		return "its only sub-goal is not met"
	case met == total:
		return "all " + strconv.Itoa(total) + " sub-goals are met"
	case met <= 0:
		return "none of the " + strconv.Itoa(total) + " sub-goals are met"
	case met == 1:
		return "1 of " + strconv.Itoa(total) + " sub-goals is met"
	}
	return strconv.Itoa(met) + " of " + strconv.Itoa(total) + " sub-goals are met"
}

// valueSentence states the latest value, where it stands against the
// target or the aim line, and where the goal started and aims for: "The
// latest value was 64 % accuracy on Dec 18, ahead of the 57 planned for
// that day; the goal started at 40 and aims for 80 by May 21."
func (n Numbers) valueSentence() string {
	latest, _ := finiteValue(n.LatestValue)
	return n.latestPhrase(latest) + n.standingPhrase(latest) + n.aimPhrase() + "."
}

// latestPhrase names the latest value, and its day when every entry
// carried a value, since only then is the last entry day the value's day.
func (n Numbers) latestPhrase(latest float64) string {
	value := withUnit(latest, n.Unit)
	switch {
	case n.Values == 1 && n.Entries == 1:
		return "The value recorded was " + value
	case n.Values == 1:
		return "The only value recorded was " + value
	case n.Values > 1 && n.Values < n.Entries:
		return "The latest of " + strconv.Itoa(n.Values) + " values was " + value
	case n.showsValueDay():
		return "The latest value was " + value + " on " + shortDay(n.LastOn)
	}
	return "The latest value was " + value
}

// standingPhrase compares the latest value with the target once reached,
// otherwise with the aim line on the last entry day; empty when neither is
// known.
func (n Numbers) standingPhrase(latest float64) string {
	if n.TargetReached() {
		target, _ := finiteValue(n.Target)
		if roundTo(latest, 2) == roundTo(target, 2) {
			return ", which reaches the target of " + formatValue(target)
		}
		return ", which is better than the target of " + formatValue(target)
	}

	onTrack, known := n.OnTrack()
	if !known {
		return ""
	}
	aim, _ := n.AimAt(n.LastOn)
	day := shortDay(n.LastOn)
	if n.showsValueDay() {
		day = "that day"
	}
	switch {
	case roundTo(latest, 2) == roundTo(aim, 2):
		return ", right at the " + formatValue(aim) + " planned for " + day
	case onTrack:
		return ", ahead of the " + formatValue(aim) + " planned for " + day
	}
	return ", behind the " + formatValue(aim) + " planned for " + day
}

// aimPhrase is "; the goal started at 40 and aims for 80 by May 21", with
// whichever of baseline and target is known. The target is left out once
// reached, since standingPhrase already names it.
func (n Numbers) aimPhrase() string {
	baseline, hasBaseline := finiteValue(n.Baseline)
	target, hasTarget := finiteValue(n.Target)
	hasTarget = hasTarget && !n.TargetReached()
	aims := " aims for "
	if n.isClosed() {
		aims = " aimed for "
	}
	by := ""
	if !n.TargetDate.IsZero() {
		by = " by " + n.targetDay()
	}

	subject := "; the " + n.goalNoun()
	switch {
	case hasBaseline && hasTarget:
		return subject + " started at " + formatValue(baseline) + " and" + aims + formatValue(target) + by
	case hasBaseline:
		return subject + " started at " + formatValue(baseline)
	case hasTarget:
		return subject + aims + formatValue(target) + by
	}
	return ""
}

// trendSentence describes the weekly trend and, while the target is not
// reached, whether it heads toward the target and how it compares with the
// aim line's pace; empty without a trend.
func (n Numbers) trendSentence() string {
	trend, ok := finiteValue(n.WeeklyTrend)
	course := n.trendCourse()
	switch {
	case !ok:
		return ""
	case trend == 0:
		return "Values held steady."
	case course == courseSteady:
		return "Values held about steady (" + upOrDown(trend) + " " + weeklyAmount(trend) + " a week)."
	}

	s := "Values " + roseOrFell(trend) + " " + weeklyAmount(trend) + " a week"
	switch {
	case n.TargetReached():
		return s + "."
	case course == courseAway:
		return s + ", away from the target."
	case course == courseToward:
		return s + n.pacePhrase(trend) + "."
	}
	return s + "."
}

// pacePhrase compares a trend that heads toward the target with the aim
// line's slope: ", slower than the planned pace of about 2.1 a week". Two
// paces that read the same count as equal, so the words match the figures.
func (n Numbers) pacePhrase(trend float64) string {
	aim, ok := n.AimWeekly()
	if !ok || aim == 0 {
		return ", toward the target"
	}

	planned := weeklyAmount(aim)
	switch {
	case weeklyAmount(trend) == planned:
		return ", in line with the planned pace of " + planned + " a week"
	case math.Abs(trend) > math.Abs(aim):
		return ", faster than the planned pace of " + planned + " a week"
	}
	return ", slower than the planned pace of " + planned + " a week"
}

// course is how a trend moves relative to the target.
type course int

const (
	courseNone       course = iota // no trend
	courseUndirected               // a trend, but no baseline or target to judge it by
	courseSteady                   // smaller than steadyShare of the distance per week
	courseToward
	courseAway
)

// trendCourse classifies WeeklyTrend against the direction from baseline
// to target; see SuggestCode for the rule.
func (n Numbers) trendCourse() course {
	trend, ok := finiteValue(n.WeeklyTrend)
	if !ok {
		return courseNone
	}
	dir, ok := n.direction()
	if !ok {
		return courseUndirected
	}

	baseline, _ := finiteValue(n.Baseline)
	target, _ := finiteValue(n.Target)
	switch {
	case trend == 0 || math.Abs(trend) < steadyShare*math.Abs(target-baseline):
		return courseSteady
	case trend*dir > 0:
		return courseToward
	}
	return courseAway
}

// direction is +1 for a goal whose target is at or above its baseline, -1
// for one whose target is below; false when either is missing.
func (n Numbers) direction() (float64, bool) {
	baseline, hasBaseline := finiteValue(n.Baseline)
	target, hasTarget := finiteValue(n.Target)
	switch {
	case !hasBaseline || !hasTarget:
		return 0, false
	case target >= baseline:
		return 1, true
	}
	return -1, true
}

// aimSpan is the aim line in day numbers and values.
type aimSpan struct {
	startDay, endDay int
	from, to         float64
}

// aimLine returns the aim line, or false when a baseline, target, goal
// start or target date is missing or the target date is not after the
// start.
func (n Numbers) aimLine() (aimSpan, bool) {
	baseline, hasBaseline := finiteValue(n.Baseline)
	target, hasTarget := finiteValue(n.Target)
	if !hasBaseline || !hasTarget || n.GoalStart.IsZero() || n.TargetDate.IsZero() {
		return aimSpan{}, false
	}

	a := aimSpan{startDay: dayIndex(n.GoalStart), endDay: dayIndex(n.TargetDate), from: baseline, to: target}
	return a, a.endDay > a.startDay
}

// isJudgedByValue reports whether rules 3 to 5 of SuggestCode apply: the
// goal is measured in numbers and has a value in the period.
func (n Numbers) isJudgedByValue() bool {
	_, ok := finiteValue(n.LatestValue)
	return n.Unit != "" && ok
}

// showsValueDay reports whether the last entry day is the latest value's
// day, which holds when every entry of the period carried a value.
func (n Numbers) showsValueDay() bool {
	return n.Values > 0 && n.Values == n.Entries && !n.LastOn.IsZero()
}

func (n Numbers) isClosed() bool {
	switch n.GoalStatus {
	case goalStatusMet, goalStatusNotMet, goalStatusDiscontinued:
		return true
	}
	return false
}

func (n Numbers) goalNoun() string {
	if n.IsSubGoal {
		return "sub-goal"
	}
	return "goal"
}

func (n Numbers) periodName() string {
	if n.PeriodCode == "" {
		return "the period"
	}
	return n.PeriodCode
}

// targetDay is the target date as "May 21", with its year when it falls
// outside the year that starts with the period, where the year is not
// obvious.
func (n Numbers) targetDay() string {
	t := n.TargetDate
	if !n.PeriodStart.IsZero() && !t.Before(n.PeriodStart) && t.Before(n.PeriodStart.AddDate(1, 0, 0)) {
		return shortDay(t)
	}
	return t.Format("Jan 2, 2006")
}

// isAtOrPast compares v with mark in the goal's direction, both rounded to
// two decimals.
func isAtOrPast(v, mark float64, increasing bool) bool {
	v, mark = roundTo(v, 2), roundTo(mark, 2)
	if increasing {
		return v >= mark
	}
	return v <= mark
}

// joinAuthors is "A", "A and B", "A, B and C" or "A, B, C and 2 others",
// sorted, without blank names.
func joinAuthors(authors []string) string {
	names := slices.Sorted(slices.Values(slices.DeleteFunc(slices.Clone(authors), func(s string) bool {
		return strings.TrimSpace(s) == ""
	})))
	if len(names) > authorsNamed {
		others := len(names) - authorsNamed
		names = append(names[:authorsNamed], countOf(others, "other", "others"))
	}

	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// countOf is "1 entry" or "2 entries".
func countOf(count int, one, many string) string {
	if count == 1 {
		return "1 " + one
	}
	return strconv.Itoa(count) + " " + many
}

// weeklyAmount is the size of a weekly change to one decimal: "about 1.5",
// or "less than 0.1" when it rounds to zero.
func weeklyAmount(v float64) string {
	size := roundTo(math.Abs(v), 1)
	if size == 0 {
		return "less than 0.1"
	}
	return "about " + strconv.FormatFloat(size, 'f', -1, 64)
}

func roseOrFell(v float64) string {
	if v > 0 {
		return "rose"
	}
	return "fell"
}

func upOrDown(v float64) string {
	if v > 0 {
		return "up"
	}
	return "down"
}

// withUnit is the value to two decimals followed by its unit: "64 %
// accuracy".
func withUnit(v float64, unit string) string {
	if unit == "" {
		return formatValue(v)
	}
	return formatValue(v) + " " + unit
}

// formatValue is v to at most two decimals, without trailing zeros or a
// minus sign on zero.
func formatValue(v float64) string {
	return strconv.FormatFloat(roundTo(v, 2), 'f', -1, 64)
}

// roundTo rounds v to the given decimals; a negative zero becomes zero. A
// value too large to scale is returned as it is.
func roundTo(v float64, decimals int) float64 {
	scale := math.Pow10(decimals)
	r := math.Round(v*scale) / scale
	if !isFinite(r) {
		return v
	}
	if r == 0 {
		return 0
	}
	return r
}

// shortDay is the date as "Oct 28".
func shortDay(t time.Time) string {
	return t.Format("Jan 2")
}

// dayIndex counts calendar days from 1970-01-01 to t's date as read in t's
// location, so that only the date counts, not the time of day.
func dayIndex(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / (24 * 60 * 60))
}

func finiteValue(p *float64) (float64, bool) {
	if p == nil || !isFinite(*p) {
		return 0, false
	}
	return *p, true
}

func isFinite(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
