package report

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/problem"
)

// historyLimit is how many compile runs the job history shows.
const historyLimit = 20

// CompileKind is the River kind of the compile job, as the jobs package
// names it; the two must stay equal, which a test of the web package
// checks.
const CompileKind = "report_compile"

// ProgramProgress is how far one program's reports of a period got: the
// reports the person may read, by status, and when a compile covering the
// program last finished.
type ProgramProgress struct {
	ProgramID      int64     `bun:"id_program"`
	ProgramName    string    `bun:"name"`
	Goals          int       `bun:"goals"`
	Drafts         int       `bun:"drafts"`
	Finals         int       `bun:"finals"`
	LastCompiledAt time.Time `bun:"last_compiled_at"`
}

// FinalPercent is the share of the program's reports that are final, 0 to
// 100, rounded so that 0 and 100 mean none and all: one final report of
// 300 is 1, not 0. A program without reports has none final.
func (p ProgramProgress) FinalPercent() int {
	switch {
	case p.Goals == 0 || p.Finals == 0:
		return 0
	case p.Finals >= p.Goals:
		return 100
	}
	return min(max(p.Finals*100/p.Goals, 1), 99)
}

// Overview returns, for period, a row per program of who's district that
// who may see, ordered by name: every program for district-wide readers,
// otherwise the programs they belong to and those holding a student whose
// reports they may read. The counts include only such students' reports.
// A district without programs gives an empty slice.
func (s *Service) Overview(ctx context.Context, who *access.Principal, period Period) ([]ProgramProgress, error) {
	counts := access.Filter(s.db.NewSelect().
		TableExpr("progress_report AS pr").
		Join("JOIN student AS st ON st.id_student = pr.id_student").
		ColumnExpr("count(*) AS goals").
		ColumnExpr("count(*) FILTER (WHERE pr.status = ?) AS drafts", StatusDraft).
		ColumnExpr("count(*) FILTER (WHERE pr.status = ?) AS finals", StatusFinal).
		Where("st.id_program = p.id_program AND pr.year = ? AND pr.period = ?", period.Year, period.Code),
		who, "report", "read", access.Students)

	var rows []ProgramProgress
	q := s.db.NewSelect().
		TableExpr("program AS p").
		Join("CROSS JOIN LATERAL (?) AS c", counts).
		ColumnExpr("p.id_program, p.name, c.goals, c.drafts, c.finals").
		ColumnExpr(`(SELECT max(rc.finished_at) FROM report_compile AS rc
			WHERE rc.id_school_district = p.id_school_district AND rc.year = ? AND rc.period = ?
			AND rc.state = ? AND (rc.id_program IS NULL OR rc.id_program = p.id_program)) AS last_compiled_at`,
			period.Year, period.Code, CompileDone).
		Where("p.id_school_district = ?", who.DistrictID).
		OrderExpr("p.name, p.id_program")
	if err := visiblePrograms(s.db, q, who).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("summarise %s %d of district %d: %w", period.Code, period.Year, who.DistrictID, err)
	}
	return rows, nil
}

// visiblePrograms narrows q, a query on program AS p, to the programs whose
// reports who may read at least in part.
func visiblePrograms(db bun.IDB, q *bun.SelectQuery, who *access.Principal) *bun.SelectQuery {
	if readsDistrict(who) {
		return q
	}
	students := access.Filter(db.NewSelect().TableExpr("student AS st").ColumnExpr("1").
		Where("st.id_program = p.id_program"), who, "report", "read", access.Students)
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		// A program admin's program shows even before it has students.
		if who.CanIn("report", "read", access.ScopeProgram) && len(who.ProgramIDs) > 0 {
			q = q.WhereOr("p.id_program IN (?)", bun.List(who.ProgramIDs))
		}
		return q.WhereOr("EXISTS (?)", students)
	})
}

// readsDistrict reports whether who may read every report of their
// district.
func readsDistrict(who *access.Principal) bool {
	return who.CanIn("report", "read", access.ScopeDistrict) || who.CanIn("report", "read", access.ScopeAll)
}

// CanSeeScope reports whether who may follow a compile of scope: its
// district is theirs, and they read the whole district or, for one
// program's compile, belong to that program with a program-wide grant to
// read or compile its reports.
func CanSeeScope(who *access.Principal, scope Scope) bool {
	if scope.DistrictID != who.DistrictID {
		return false
	}
	if readsDistrict(who) {
		return true
	}
	if scope.ProgramID == 0 || !slices.Contains(who.ProgramIDs, scope.ProgramID) {
		return false
	}
	return who.CanIn("report", "read", access.ScopeProgram) ||
		who.CanIn("report", "compile", access.ScopeProgram)
}

// CanCompile reports whether who may compile scope, a district's whole
// period when scope has no program. It does not check that the program
// belongs to the district: RequestCompile does, against the database.
func CanCompile(who *access.Principal, scope Scope) bool {
	if scope.DistrictID != who.DistrictID {
		return false
	}
	if who.CanIn("report", "compile", access.ScopeDistrict) || who.CanIn("report", "compile", access.ScopeAll) {
		return true
	}
	return scope.ProgramID != 0 && who.CanIn("report", "compile", access.ScopeProgram) &&
		slices.Contains(who.ProgramIDs, scope.ProgramID)
}

// Run is one compile run as the job history lists it: the report_compile
// row, its program's name (empty for a whole district), and River's view
// of the job while River still keeps it.
type Run struct {
	ID            int64     `bun:"id_report_compile"`
	JobID         int64     `bun:"id_job"`
	ProgramID     int64     `bun:"id_program"`
	ProgramName   string    `bun:"program_name"`
	Year          int       `bun:"year"`
	Period        string    `bun:"period"`
	State         string    `bun:"state"`
	StudentsTotal int       `bun:"students_total"`
	StudentsDone  int       `bun:"students_done"`
	GoalsWritten  int       `bun:"goals_written"`
	Error         string    `bun:"error"`
	StartedAt     time.Time `bun:"started_at"`
	FinishedAt    time.Time `bun:"finished_at"`
	// JobState is River's state of the job; empty once River has removed
	// the finished job.
	JobState string `bun:"job_state"`
	Attempt  int    `bun:"attempt"`
	// JobError is the error of River's latest failed attempt, if any.
	JobError string `bun:"job_error"`
}

// History returns the most recent compile runs of who's district, newest
// first: whole-district runs, and the runs of programs who may see. It
// gives an empty slice when nothing ran yet.
func (s *Service) History(ctx context.Context, who *access.Principal) ([]Run, error) {
	var runs []Run
	q := s.db.NewSelect().
		TableExpr("report_compile AS rc").
		Join("LEFT JOIN program AS p ON p.id_program = rc.id_program").
		Join("LEFT JOIN river_job AS rj ON rj.id = rc.id_job").
		ColumnExpr("rc.id_report_compile, rc.id_job, rc.id_program, p.name AS program_name").
		ColumnExpr("rc.year, rc.period, rc.state, rc.students_total, rc.students_done").
		ColumnExpr("rc.goals_written, rc.error, rc.started_at, rc.finished_at").
		ColumnExpr("rj.state AS job_state, rj.attempt").
		ColumnExpr("rj.errors[array_length(rj.errors, 1)] ->> 'error' AS job_error").
		Where("rc.id_school_district = ?", who.DistrictID).
		OrderExpr("rc.started_at DESC, rc.id_report_compile DESC").
		Limit(historyLimit)
	if !readsDistrict(who) {
		q = q.Where("rc.id_program IS NULL OR rc.id_program IN (?)", bun.List(append([]int64{0}, who.ProgramIDs...)))
	}
	if err := q.Scan(ctx, &runs); err != nil {
		return nil, fmt.Errorf("list compile runs of district %d: %w", who.DistrictID, err)
	}
	return runs, nil
}

// JobStatus is one compile job as its progress bar shows it: the scope
// from the job's arguments, River's state of the job, and the run the
// worker records once it has started.
type JobStatus struct {
	JobID int64
	Scope Scope
	// ProgramName names the scope's program; empty for a whole district.
	ProgramName string
	// State is River's state of the job: available, running, retryable,
	// completed, discarded, cancelled, scheduled or pending; empty once
	// River has removed a finished job.
	State       string
	Attempt     int
	MaxAttempts int
	// LastError is the error of the latest failed attempt, if any.
	LastError string
	// Run is nil until a worker has started the job.
	Run *Compile
}

// riverJob is the part of a River job row the progress bar needs.
type riverJob struct {
	State       string `bun:"state"`
	Attempt     int    `bun:"attempt"`
	MaxAttempts int    `bun:"max_attempts"`
	LastError   string `bun:"last_error"`
	DistrictID  int64  `bun:"district_id"`
	ProgramID   int64  `bun:"program_id"`
	Year        int    `bun:"year"`
	Period      string `bun:"period"`
}

// Job returns the status of compile job jobID, read from River's job row
// and from the run the worker records. A job River no longer holds is
// known from its run alone. A job that does not exist, that is not a
// compile, or whose scope who may not see (CanSeeScope) is an error
// wrapping problem.ErrNotFound.
func (s *Service) Job(ctx context.Context, who *access.Principal, jobID int64) (*JobStatus, error) {
	st, err := s.loadJob(ctx, jobID)
	if err != nil {
		return nil, err
	}
	if !CanSeeScope(who, st.Scope) {
		return nil, fmt.Errorf("load compile job %d: %w", jobID, problem.ErrNotFound)
	}
	if st.Scope.ProgramID == 0 {
		return st, nil
	}

	err = s.db.NewSelect().TableExpr("program").Column("name").
		Where("id_program = ?", st.Scope.ProgramID).Scan(ctx, &st.ProgramName)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("name program of compile job %d: %w", jobID, err)
	}
	return st, nil
}

// loadJob reads River's row of compile job jobID and the run its worker
// recorded, whichever exist; the scope comes from River's row while River
// keeps it.
func (s *Service) loadJob(ctx context.Context, jobID int64) (*JobStatus, error) {
	var jobs []riverJob
	err := s.db.NewSelect().TableExpr("river_job").
		ColumnExpr("state, attempt, max_attempts").
		ColumnExpr("errors[array_length(errors, 1)] ->> 'error' AS last_error").
		ColumnExpr("(args ->> 'district_id')::bigint AS district_id").
		ColumnExpr("coalesce((args ->> 'program_id')::bigint, 0) AS program_id").
		ColumnExpr("(args ->> 'year')::int AS year, args ->> 'period' AS period").
		Where("id = ? AND kind = ?", jobID, CompileKind).
		Scan(ctx, &jobs)
	if err != nil {
		return nil, fmt.Errorf("load compile job %d: %w", jobID, err)
	}
	run, hasRun, err := s.runOfJob(ctx, jobID)
	if err != nil {
		return nil, err
	}

	st := &JobStatus{JobID: jobID}
	switch {
	case len(jobs) > 0:
		j := jobs[0]
		st.State, st.Attempt, st.MaxAttempts, st.LastError = j.State, j.Attempt, j.MaxAttempts, j.LastError
		st.Scope = Scope{DistrictID: j.DistrictID, ProgramID: j.ProgramID, Year: j.Year, Period: j.Period}
	case hasRun:
		st.Scope = Scope{DistrictID: run.DistrictID, ProgramID: run.ProgramID, Year: run.Year, Period: run.Period}
	default:
		return nil, fmt.Errorf("load compile job %d: %w", jobID, problem.ErrNotFound)
	}
	if hasRun {
		st.Run = run
	}
	return st, nil
}

// runOfJob returns the run recorded for jobID, and false before a worker
// has started the job.
func (s *Service) runOfJob(ctx context.Context, jobID int64) (*Compile, bool, error) {
	run := new(Compile)
	err := s.db.NewSelect().Model(run).Where("id_job = ?", jobID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("load run of compile job %d: %w", jobID, err)
	}
	return run, true, nil
}

// Enqueue inserts the compile job of scope within tx and returns the job's
// id; isDuplicate is true when an equal job, still waiting or running, was
// returned instead of a new one.
type Enqueue func(ctx context.Context, tx *sql.Tx, scope Scope) (jobID int64, isDuplicate bool, err error)

// CompileRequest is the job a request for a compile led to.
type CompileRequest struct {
	JobID int64
	// IsDuplicate is true when a compile of the same scope was still
	// queued or running, and its job is the answer.
	IsDuplicate bool
}

// RequestCompile checks that who may compile scope and has enqueue insert
// the job, both in one transaction, so a job is never queued for a scope
// that was refused. A period missing from the district's calendar is a
// *problem.Invalid; a program outside the district, or one who may not
// see, is an error wrapping problem.ErrNotFound; a scope who may see but
// not compile wraps problem.ErrForbidden.
func (s *Service) RequestCompile(ctx context.Context, who *access.Principal, scope Scope,
	enqueue Enqueue) (CompileRequest, error) {
	var req CompileRequest
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := checkCompile(ctx, tx, who, scope); err != nil {
			return err
		}
		var err error
		if req.JobID, req.IsDuplicate, err = enqueue(ctx, tx.Tx, scope); err != nil || req.IsDuplicate {
			return err
		}
		return audit.NewLog(tx).Record(ctx, &audit.Event{Action: audit.ActionCompileRequested,
			UserID: who.UserID, ActorEmail: who.Email, DistrictID: scope.DistrictID, RecordType: "report_compile",
			RecordID: req.JobID, Details: map[string]any{"year": scope.Year, "period": scope.Period,
				"program": scope.ProgramID}})
	})
	if err != nil {
		return CompileRequest{}, fmt.Errorf("request compile of %s %d, program %d: %w",
			scope.Period, scope.Year, scope.ProgramID, err)
	}
	return req, nil
}

// checkCompile refuses a scope that does not exist or that who may not
// compile.
func checkCompile(ctx context.Context, db bun.IDB, who *access.Principal, scope Scope) error {
	if scope.DistrictID != who.DistrictID {
		return problem.ErrNotFound
	}
	n, err := db.NewSelect().Model((*Period)(nil)).
		Where("id_school_district = ? AND year = ? AND period = ?", scope.DistrictID, scope.Year, scope.Period).
		Count(ctx)
	if err != nil {
		return fmt.Errorf("find period: %w", err)
	}
	if n == 0 {
		inv := problem.NewInvalid()
		inv.Add("period", "Choose a period of the district's calendar.")
		return inv
	}

	if scope.ProgramID != 0 {
		ok, err := db.NewSelect().TableExpr("program").
			Where("id_program = ? AND id_school_district = ?", scope.ProgramID, scope.DistrictID).Exists(ctx)
		if err != nil {
			return fmt.Errorf("find program: %w", err)
		}
		if !ok || !CanSeeScope(who, scope) {
			return problem.ErrNotFound
		}
	}
	if !CanCompile(who, scope) {
		return problem.ErrForbidden
	}
	return nil
}
