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
