// Package jobs holds the background jobs, one file per kind, and the River
// client that runs them: the period compile, the nightly schedule, and
// the export of workbooks.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"goaltracker/app/config"
	"goaltracker/app/db"
)

// Queues of the app's jobs.
const (
	QueueReports = "reports"
	QueueExports = "exports"
	// queueSchedule runs the nightly scheduler, apart from the long jobs
	// it enqueues.
	queueSchedule = "schedule"
)

// Client runs jobs: the River client on the pgx pool, which listens for new
// jobs, plus its workers and periodic schedule.
type Client = river.Client[pgx.Tx]

// Deps are what the workers need.
type Deps struct {
	Config *config.Config
	Logger *slog.Logger
	DB     *db.DB
	// Now is the clock of the schedule; nil means time.Now.
	Now func() time.Time
}

// NewClient returns a River client that runs the app's workers with the
// configured concurrency, the nightly schedule and the periodic deletion
// of old exports. Start it with Start and stop it with Stop.
func NewClient(d Deps) (*Client, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	inserter, err := newPoolInserter(d)
	if err != nil {
		return nil, err
	}
	// A final compile enqueues its workbook in a Bun transaction, with the
	// export's row: that takes the database/sql inserter.
	txInserter, err := NewInserter(d.DB.SQL())
	if err != nil {
		return nil, err
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, NewCompileWorker(d, txInserter))
	river.AddWorker(workers, &ScheduleWorker{deps: d, inserter: inserter})
	river.AddWorker(workers, NewExportWorker(d))
	river.AddWorker(workers, &ExportCleanupWorker{deps: d})

	client, err := river.NewClient(riverpgxv5.New(d.DB.Pool), &river.Config{
		Logger: d.Logger,
		Queues: map[string]river.QueueConfig{
			QueueReports:  {MaxWorkers: d.Config.ReportWorkers},
			QueueExports:  {MaxWorkers: d.Config.ExportWorkers},
			queueSchedule: {MaxWorkers: 1},
		},
		Workers:      workers,
		JobTimeout:   d.Config.JobTimeout,
		ErrorHandler: &errorLogger{log: d.Logger},
		PeriodicJobs: []*river.PeriodicJob{schedule(d.Config.CompileHour), exportCleanup()},
		// A job whose process died is handed back after this long; it
		// exceeds the timeout so a live job is never run twice.
		RescueStuckJobsAfter: d.Config.JobRescueAfter,
	})
	if err != nil {
		return nil, fmt.Errorf("create job client: %w", err)
	}
	return client, nil
}

// newPoolInserter returns an insert-only client on the pgx pool, for jobs
// that enqueue other jobs.
func newPoolInserter(d Deps) (*Client, error) {
	client, err := river.NewClient(riverpgxv5.New(d.DB.Pool), &river.Config{Logger: d.Logger})
	if err != nil {
		return nil, fmt.Errorf("create job inserter: %w", err)
	}
	return client, nil
}

// Inserter enqueues jobs inside a Bun transaction: it works on the
// database/sql handle Bun wraps, so a job commits or rolls back with the
// change that causes it. It runs no jobs.
type Inserter = river.Client[*sql.Tx]

// NewInserter returns an insert-only client on sqldb.
func NewInserter(sqldb *sql.DB) (*Inserter, error) {
	client, err := river.NewClient(riverdatabasesql.New(sqldb), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("create job inserter: %w", err)
	}
	return client, nil
}

// errorLogger logs each failed attempt once, with its job.
type errorLogger struct{ log *slog.Logger }

func (e *errorLogger) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	level := slog.LevelWarn
	if job.Attempt >= job.MaxAttempts {
		level = slog.LevelError
	}
	e.log.Log(ctx, level, "job failed", "job_id", job.ID, "job_kind", job.Kind,
		"attempt", job.Attempt, "error", err)
	return nil
}

func (e *errorLogger) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any,
	trace string) *river.ErrorHandlerResult {
	e.log.ErrorContext(ctx, "job panicked", "job_id", job.ID, "job_kind", job.Kind,
		"panic", fmt.Sprint(panicVal), "stack", trace)
	return nil
}

// uniqueWhileQueued makes a job unique by its args' unique fields while one
// is waiting or running; once it has finished, the same job may be asked
// for again.
var uniqueWhileQueued = river.UniqueOpts{
	ByArgs: true,
	ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
		rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled},
}

// Stop stops client: jobs running get until ctx ends to finish, then are
// cancelled and handed back to be retried.
func Stop(ctx context.Context, client *Client) error {
	err := client.Stop(ctx)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	cancelCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return client.StopAndCancel(cancelCtx)
}
