// Package reports renders the reporting screens: the district's Reports
// page with its compile controls and job history, a student's Reports tab
// where staff review each goal's period summary, and the printable report
// for families.
package reports

import (
	"strconv"

	"goaltracker/views/chart"
	"goaltracker/views/components"
)

// PeriodPicker chooses a reporting period by code and school year. It is a
// plain GET form, so it works without JavaScript.
type PeriodPicker struct {
	// Action is the URL the form reloads.
	Action string
	Codes  []components.Option
	Years  []components.Option
	Code   string
	Year   string
}

// PageView is the Reports page.
type PageView struct {
	Picker PeriodPicker
	// HasPeriod is false when the district has no reporting calendar.
	HasPeriod   bool
	PeriodLabel string
	// Period and Year are the chosen period, sent with each compile.
	Period    string
	Year      string
	CSRFToken string
	Programs  []ProgramRow
	// Total sums the programs; shown when there are several.
	Total              ProgramRow
	CanCompileAny      bool
	CanCompileDistrict bool
	History            []HistoryRow
}

// ProgramRow is one program's progress in the chosen period.
type ProgramRow struct {
	ID           int64
	Name         string
	LastCompiled string
	Goals        int
	Drafts       int
	Finals       int
	FinalPercent int
	CanCompile   bool
}

// HistoryRow is one compile run of the job history.
type HistoryRow struct {
	Scope    string
	Period   string
	State    string
	Attempts string
	Started  string
	Duration string
	Students string
	Error    string
}

// Job phases, as the progress fragment shows them.
const (
	PhaseWaiting  = "waiting"
	PhaseRunning  = "running"
	PhaseRetrying = "retrying"
	PhaseDone     = "done"
	PhaseFailed   = "failed"
)

// JobView is the progress of one compile job.
type JobView struct {
	ID    int64
	Scope string
	Phase string
	// Percent is the share of students done, 0 to 100.
	Percent       int
	StudentsDone  int
	StudentsTotal int
	GoalsWritten  int
	Duration      string
	Error         string
	// Message is a note above the bar, such as that the compile was
	// already queued.
	Message string
	// ReloadURL reloads the overview of the job's period.
	ReloadURL string
}

// IsPolling reports whether the fragment asks again for its progress.
func (v JobView) IsPolling() bool {
	return v.Phase == PhaseWaiting || v.Phase == PhaseRunning || v.Phase == PhaseRetrying
}

// JobPageView is the page that follows a compile without htmx.
type JobPageView struct {
	Job     JobView
	BackURL string
}

// ReviewView is a student's Reports tab.
type ReviewView struct {
	StudentID   int64
	Identifier  string
	ProgramName string
	Picker      PeriodPicker
	HasPeriod   bool
	PeriodLabel string
	PrintURL    string
	Items       []ReportItem
	// Message is a note about the last action, shown above the reports.
	Message string
}

// ReportItem is a goal's report card and the cards of its sub-goals.
type ReportItem struct {
	Card     ReportCard
	SubItems []ReportItem
}

// ReportCard is one goal's report: the swap target of finalizing.
type ReportCard struct {
	ID        int64
	GoalTitle string
	// IsSubGoal marks the report of a sub-goal, shown under its goal's.
	IsSubGoal   bool
	State       ReportState
	Summary     components.InlineField
	Code        CodeForm
	Facts       []Fact
	CanFinalize bool
	CSRFToken   string
	// Message says why the last action on the card was refused.
	Message string
}

// ReportState is the status line of a card, updated out of band when the
// summary or the code changes.
type ReportState struct {
	ReportID    int64
	IsFinal     bool
	IsEdited    bool
	FinalizedOn string
	// OutOfBand marks the line for htmx to swap by its id, beside the
	// answer's main content.
	OutOfBand bool
}

// CodeForm picks a report's progress code.
type CodeForm struct {
	ReportID  int64
	Options   []components.Option
	Value     string
	Label     string
	Suggested string
	CanEdit   bool
	CSRFToken string
	Error     string
	// Saved is set right after the code was saved.
	Saved bool
}

// Fact is one number a report's summary was written from.
type Fact struct {
	Label string
	Value string
}

// SummarySaved is the answer to a saved summary: the field and the card's
// status line.
type SummarySaved struct {
	Field components.InlineField
	State ReportState
}

// PrintView is the printable report of one student's period for families.
type PrintView struct {
	Identifier  string
	ProgramName string
	PeriodName  string
	PeriodDates string
	BackURL     string
	HasDrafts   bool
	Goals       []PrintGoal
}

// PrintGoal is one goal of the printable report.
type PrintGoal struct {
	Title    string
	CodeText string
	Summary  string
	IsDraft  bool
	Chart    *chart.Model
	SubGoals []PrintGoal
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

func itoa(n int) string { return strconv.Itoa(n) }

func reportURL(id int64, rest string) string { return "/reports/" + idStr(id) + rest }

func cardID(id int64) string { return "report-" + idStr(id) }

func compileTarget(programID int64) string { return "compile-status-" + idStr(programID) }

func jobURL(id int64) string { return "/reports/jobs/" + idStr(id) }

// CodeText says a progress code in the words a family reads; an unknown or
// empty code gives "Not chosen yet".
func CodeText(code string) string {
	switch code {
	case "mastered":
		return "Mastered"
	case "sufficient":
		return "Making sufficient progress"
	case "insufficient":
		return "Not yet sufficient progress"
	case "not_addressed":
		return "Not addressed this period"
	}
	return "Not chosen yet"
}
