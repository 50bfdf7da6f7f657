package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"goaltracker/app/export"
)

// cleanupInterval is how often old exports are deleted. Retention is
// counted in days, so a few hours late is no matter.
const cleanupInterval = 6 * time.Hour

// ExportCleanupArgs asks for the deletion of the exports older than the
// configured retention (EXPORT_RETENTION_DAYS).
type ExportCleanupArgs struct{}

// Kind names the job in River's table; it never changes.
func (ExportCleanupArgs) Kind() string { return "report_export_cleanup" }

// InsertOpts runs the cleanup beside the nightly round, once per interval
// however many processes run.
func (ExportCleanupArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueSchedule, UniqueOpts: river.UniqueOpts{ByPeriod: cleanupInterval}}
}

// exportCleanup runs the cleanup every interval, and once when a leader
// starts.
func exportCleanup() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(cleanupInterval),
		func() (river.JobArgs, *river.InsertOpts) { return ExportCleanupArgs{}, nil },
		&river.PeriodicJobOpts{ID: "report_export_cleanup", RunOnStart: true})
}

// ExportCleanupWorker deletes old exports.
type ExportCleanupWorker struct {
	river.WorkerDefaults[ExportCleanupArgs]
	deps Deps
}

// Work deletes the exports created more than the retention ago.
func (w *ExportCleanupWorker) Work(ctx context.Context, job *river.Job[ExportCleanupArgs]) error {
	n, err := export.NewService(w.deps.DB).DeleteOlderThan(ctx, w.deps.Config.ExportRetention)
	if err != nil {
		return err
	}
	if n > 0 {
		w.deps.Logger.InfoContext(ctx, "old exports deleted", "job_id", job.ID, "count", n)
	}
	return nil
}
