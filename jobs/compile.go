package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

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
	// Final marks the compile run the day after the period ended.
	Final bool `json:"final,omitempty"`
}

// Kind names the job in River's table; it never changes.
func (CompileArgs) Kind() string { return "report_compile" }

// InsertOpts puts compiles on the reports queue, one per scope at a time.
func (CompileArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueReports, MaxAttempts: 5, UniqueOpts: uniqueWhileQueued}
}

// CompileWorker runs compiles. A retried job resumes from the last batch
// its earlier attempt committed.
type CompileWorker struct {
	river.WorkerDefaults[CompileArgs]
	deps Deps
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
	return nil
}
