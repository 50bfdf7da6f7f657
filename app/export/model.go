// Package export builds the period workbooks district leaders download.
package export

import (
	"time"

	"github.com/uptrace/bun"
)

// States of an export.
const (
	StateQueued  = "queued"
	StateRunning = "running"
	StateDone    = "done"
	StateFailed  = "failed"
)

// Export is one period workbook, for a whole district (ProgramID zero) or
// one program, and the state of its build. Content holds the finished file.
type Export struct {
	bun.BaseModel `bun:"table:report_export,alias:rx"`

	ID              int64     `bun:"id_report_export,pk,autoincrement"`
	DistrictID      int64     `bun:"id_school_district,notnull"`
	ProgramID       int64     `bun:"id_program,nullzero"`
	Year            int       `bun:"year,notnull"`
	Period          string    `bun:"period,notnull"`
	State           string    `bun:"state,notnull,default:'queued'"`
	ProgressPercent int       `bun:"progress_percent,notnull,default:0"`
	RequestedBy     int64     `bun:"requested_by,nullzero"`
	Filename        string    `bun:"filename,nullzero"`
	Content         []byte    `bun:"content"`
	SizeBytes       int64     `bun:"size_bytes,nullzero"`
	SHA256          string    `bun:"sha256,nullzero"`
	Error           string    `bun:"error,nullzero"`
	CreatedAt       time.Time `bun:"created_at,nullzero,default:now()"`
	StartedAt       time.Time `bun:"started_at,nullzero"`
	FinishedAt      time.Time `bun:"finished_at,nullzero"`
}

// Scope says which workbook to build: one period of a whole district
// (ProgramID zero) or of one program of it. Year is the calendar year in
// which the school year starts; Period a code such as Q2 or S1.
type Scope struct {
	DistrictID int64
	ProgramID  int64
	Year       int
	Period     string
}

// Scope returns the scope e was requested for.
func (e *Export) Scope() Scope {
	return Scope{DistrictID: e.DistrictID, ProgramID: e.ProgramID, Year: e.Year, Period: e.Period}
}
