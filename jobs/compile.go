package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"goaltracker/app/export"
	"goaltracker/app/problem"
	"goaltracker/app/report"
)

// CompileArgs asks for the progress reports of one period of a district,
// or of one program of it. Two compiles of the same scope never run at
// once.
type CompileArgs struct {
	DistrictID  int64  `json:"district_id" river:"unique"`
	ProgramID   int64  `json:"program_id,omitempty" river:"unique"`
	Year        int    `json:"year" river:"unique"`
	Period      string `json:"period" river:"unique"`
	RequestedBy int64  `json:"requested_by,omitempty"`
	// Final marks the compile run the day after the period ended; when it
	// succeeds, it enqueues the period's workbook.
	Final bool `json:"final,omitempty"`
}

// Kind names the job in River's table; it never changes.
func (CompileArgs) Kind() string { return "report_compile" }

// InsertOpts puts compiles on the reports queue, one per scope at a time.
func (CompileArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueReports, MaxAttempts: 5, UniqueOpts: uniqueWhileQueued}
}

// CompileWorker runs compiles. A retried job resumes from the last batch
// its earlier attempt committed. A final compile then enqueues the
// workbook of its scope through inserter, so the workbook is built from
// the compiled reports.
type CompileWorker struct {
	river.WorkerDefaults[CompileArgs]
	deps     Deps
	inserter *Inserter
}

// NewCompileWorker returns the worker of compiles, enqueueing the
// workbooks of final compiles through inserter.
func NewCompileWorker(d Deps, inserter *Inserter) *CompileWorker {
	return &CompileWorker{deps: d, inserter: inserter}
}

// Timeout is generous: a large district's compile takes minutes.
func (w *CompileWorker) Timeout(*river.Job[CompileArgs]) time.Duration {
	return w.deps.Config.JobTimeout
}

// Work compiles the job's scope. A period missing from the calendar
// cancels the job: retrying cannot help.
func (w *CompileWorker) Work(ctx context.Context, job *river.Job[CompileArgs]) error {
	a := job.Args
	scope := report.Scope{DistrictID: a.DistrictID, ProgramID: a.ProgramID, Year: a.Year, Period: a.Period}
	compiler := report.NewCompiler(w.deps.DB)
	start := time.Now()

	run, err := compiler.Run(ctx, job.ID, scope, a.RequestedBy)
	if errors.Is(err, problem.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		if ferr := compiler.Fail(context.WithoutCancel(ctx), job.ID, err); ferr != nil {
			return errors.Join(err, ferr)
		}
		return fmt.Errorf("compile %s %d of district %d: %w", a.Period, a.Year, a.DistrictID, err)
	}
	w.deps.Logger.InfoContext(ctx, "compile finished", "job_id", job.ID, "district_id", a.DistrictID,
		"period", a.Period, "year", a.Year, "students", run.StudentsDone, "goals", run.GoalsWritten,
		"duration_ms", time.Since(start).Milliseconds())
	if !a.Final {
		return nil
	}
	return w.enqueueExport(ctx, job)
}

// enqueueExport enqueues the workbook of a final compile's scope. A job
// worked again after it enqueued one, as after a crash before River
// recorded it done, finds that export and adds none; a failure here
// fails the job, whose retry finds the compile done and tries again.
func (w *CompileWorker) enqueueExport(ctx context.Context, job *river.Job[CompileArgs]) error {
	a := job.Args
	scope := export.Scope{DistrictID: a.DistrictID, ProgramID: a.ProgramID, Year: a.Year, Period: a.Period}
	exists, err := export.NewService(w.deps.DB).RequestedSince(ctx, scope, job.CreatedAt)
	if err != nil || exists {
		return err
	}
	if w.inserter == nil {
		return fmt.Errorf("enqueue workbook of %s %d: no job inserter", a.Period, a.Year)
	}
	e, err := RequestExport(ctx, w.deps.DB, w.inserter, scope, a.RequestedBy, OriginSchedule)
	if err != nil {
		return fmt.Errorf("enqueue workbook of %s %d: %w", a.Period, a.Year, err)
	}
	w.deps.Logger.InfoContext(ctx, "export scheduled", "job_id", job.ID, "export_id", e.ID,
		"district_id", a.DistrictID, "period", a.Period, "year", a.Year)
	return nil
}
