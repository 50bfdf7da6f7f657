// Package report holds the reporting calendar and the period progress
// reports compiled for each student goal.
package report

import (
	"time"

	"github.com/uptrace/bun"
)

// Report statuses. A final report is locked against compiles and edits.
const (
	StatusDraft = "draft"
	StatusFinal = "final"
)

// Progress codes a report may carry.
const (
	CodeMastered     = "mastered"
	CodeSufficient   = "sufficient"
	CodeInsufficient = "insufficient"
	CodeNotAddressed = "not_addressed"
)

// Report is the summary of one student goal for one reporting period
// (table progress_report). Year is the calendar year in which the school
// year starts.
type Report struct {
	bun.BaseModel `bun:"table:progress_report,alias:pr"`

	ID           int64     `bun:"id_progress_report,pk,autoincrement"`
	StudentID    int64     `bun:"id_student,nullzero"`
	GoalID       int64     `bun:"id_goal,nullzero"`
	CreatedBy    int64     `bun:"id_user_created,nullzero"`
	Period       string    `bun:"period,nullzero"`
	Year         int       `bun:"year,nullzero"`
	Summary      string    `bun:"summary,nullzero"`
	GeneratedAt  time.Time `bun:"generated_at,nullzero,default:now()"`
	ProgressCode string    `bun:"progress_code,nullzero"`
	Status       string    `bun:"status,notnull,default:'draft'"`
	FinalizedAt  time.Time `bun:"finalized_at,nullzero"`
	UpdatedBy    int64     `bun:"updated_by,nullzero"`

	// The numbers the summary was written from.
	EntryCount    int       `bun:"entry_count,notnull,default:0"`
	FirstEntryOn  time.Time `bun:"first_entry_on,type:date,nullzero"`
	LastEntryOn   time.Time `bun:"last_entry_on,type:date,nullzero"`
	Authors       string    `bun:"authors,nullzero"`
	LatestValue   *float64  `bun:"latest_value"`
	WeeklyTrend   *float64  `bun:"weekly_trend"`
	OnTrack       *bool     `bun:"on_track"`
	SubGoalsTotal int       `bun:"subgoals_total,notnull,default:0"`
	SubGoalsMet   int       `bun:"subgoals_met,notnull,default:0"`
	SuggestedCode string    `bun:"suggested_code,nullzero"`
	// IsEdited marks a summary or code a teacher changed.
	IsEdited   bool      `bun:"is_edited,notnull,default:false"`
	CompiledAt time.Time `bun:"compiled_at,nullzero"`
}

// Compile states.
const (
	CompileRunning = "running"
	CompileDone    = "done"
	CompileFailed  = "failed"
)

// Compile is one run of the compile job and how far it got.
type Compile struct {
	bun.BaseModel `bun:"table:report_compile,alias:rc"`

	ID            int64     `bun:"id_report_compile,pk,autoincrement"`
	JobID         int64     `bun:"id_job,notnull"`
	DistrictID    int64     `bun:"id_school_district,notnull"`
	ProgramID     int64     `bun:"id_program,nullzero"`
	Year          int       `bun:"year,notnull"`
	Period        string    `bun:"period,notnull"`
	State         string    `bun:"state,notnull,default:'running'"`
	StudentsTotal int       `bun:"students_total,notnull"`
	StudentsDone  int       `bun:"students_done,notnull"`
	LastStudentID int64     `bun:"last_student_id,notnull"`
	GoalsWritten  int       `bun:"goals_written,notnull"`
	RequestedBy   int64     `bun:"requested_by,nullzero"`
	Error         string    `bun:"error,nullzero"`
	StartedAt     time.Time `bun:"started_at,nullzero,default:now()"`
	FinishedAt    time.Time `bun:"finished_at,nullzero"`
}

// Percent is the share of students done, 0 to 100.
func (c *Compile) Percent() int {
	if c.State == CompileDone {
		return 100
	}
	if c.StudentsTotal == 0 {
		return 0
	}
	return c.StudentsDone * 100 / c.StudentsTotal
}

// Period is one reporting period of a district's calendar: a quarter
// (Q1-Q4) or a semester (S1, S2) of the school year starting in Year.
type Period struct {
	bun.BaseModel `bun:"table:reporting_period,alias:rpd"`

	ID         int64     `bun:"id_reporting_period,pk,autoincrement"`
	DistrictID int64     `bun:"id_school_district,notnull"`
	Year       int       `bun:"year,notnull"`
	Code       string    `bun:"period,notnull"`
	StartsOn   time.Time `bun:"starts_on,type:date,notnull"`
	EndsOn     time.Time `bun:"ends_on,type:date,notnull"`
}
