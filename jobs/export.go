package jobs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"goaltracker/app/db"
	"goaltracker/app/export"
	"goaltracker/app/problem"
)

// Origins of an export no person asked for, shown as its author.
const (
	OriginSchedule    = "Nightly schedule"
	OriginCommandLine = "Command line"
)

// ExportArgs asks for the workbook of one report_export row, recorded by
// export.Service.RequestTx in the same transaction as the job.
type ExportArgs struct {
	ExportID int64 `json:"export_id" river:"unique"`
	// Origin names who asked when no person did, for the About sheet.
	Origin string `json:"origin,omitempty"`
}

// Kind names the job in River's table; it never changes.
func (ExportArgs) Kind() string { return "report_export" }

// InsertOpts puts exports on their own queue, one job per export at a
// time.
func (ExportArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueExports, MaxAttempts: 3, UniqueOpts: uniqueWhileQueued}
}

// buildFunc is export.Build's signature; tests replace it.
type buildFunc func(ctx context.Context, d *db.DB, scope export.Scope, by string, w io.Writer,
	progress func(int)) (export.Stats, error)

// ExportWorker builds workbooks. Each attempt builds the whole file again
// and overwrites what an earlier one stored, so an export row holds one
// workbook however many attempts it took.
type ExportWorker struct {
	river.WorkerDefaults[ExportArgs]
	deps  Deps
	build buildFunc
}

// NewExportWorker returns the worker of export jobs.
func NewExportWorker(d Deps) *ExportWorker { return &ExportWorker{deps: d, build: export.Build} }

// Timeout bounds one attempt, like a compile's.
func (w *ExportWorker) Timeout(*river.Job[ExportArgs]) time.Duration {
	return w.deps.Config.JobTimeout
}

// Work marks the export running, builds its workbook into memory, and
// stores it. An export deleted since it was requested, or whose period is
// gone from the calendar, cancels the job: retrying cannot help.
func (w *ExportWorker) Work(ctx context.Context, job *river.Job[ExportArgs]) error {
	svc := export.NewService(w.deps.DB)
	e, err := svc.Start(ctx, job.Args.ExportID)
	if errors.Is(err, problem.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil || e.State == export.StateDone {
		return err
	}
	by, err := w.author(ctx, svc, e, job.Args.Origin)
	if err != nil {
		return w.fail(ctx, svc, e, err)
	}

	start := time.Now()
	var buf bytes.Buffer
	stats, err := w.build(ctx, w.deps.DB, e.Scope(), by, &buf, svc.Progress(ctx, e.ID))
	if err != nil {
		return w.fail(ctx, svc, e, err)
	}
	if err := svc.Finish(ctx, e.ID, buf.Bytes()); err != nil {
		return w.fail(ctx, svc, e, err)
	}
	w.deps.Logger.InfoContext(ctx, "export finished", "job_id", job.ID, "export_id", e.ID,
		"district_id", e.DistrictID, "period", e.Period, "year", e.Year, "goals", stats.Goals,
		"entries", stats.Entries, "size_bytes", stats.Bytes, "duration_ms", time.Since(start).Milliseconds())
	return nil
}

// author names who asked for e: the person, else the job's origin.
func (w *ExportWorker) author(ctx context.Context, svc *export.Service, e *export.Export,
	origin string) (string, error) {
	name, err := svc.RequesterName(ctx, e)
	if err != nil || name != "" {
		return name, err
	}
	return origin, nil
}

// fail records cause on the export and returns it for River to retry,
// or to cancel the job when retrying cannot help. The record outlives a
// cancelled context: a timed-out attempt must still say why it stopped.
func (w *ExportWorker) fail(ctx context.Context, svc *export.Service, e *export.Export, cause error) error {
	if ferr := svc.Fail(context.WithoutCancel(ctx), e.ID, cause); ferr != nil {
		return errors.Join(cause, ferr)
	}
	err := fmt.Errorf("export %d: %w", e.ID, cause)
	if errors.Is(cause, problem.ErrNotFound) {
		return river.JobCancel(err)
	}
	return err
}

// RequestExport records an export of scope asked for by userID (zero for
// none, with origin saying who) and enqueues its job, in one transaction
// through inserter. It returns the export, with the errors of
// export.Service.RequestTx.
func RequestExport(ctx context.Context, d *db.DB, inserter *Inserter, scope export.Scope,
	userID int64, origin string) (*export.Export, error) {
	var e *export.Export
	err := d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if e, err = export.NewService(d).RequestTx(ctx, tx, scope, userID); err != nil {
			return err
		}
		if _, err := inserter.InsertTx(ctx, tx.Tx, ExportArgs{ExportID: e.ID, Origin: origin}, nil); err != nil {
			return fmt.Errorf("enqueue export %d: %w", e.ID, err)
		}
		return nil
	})
	return e, err
}
