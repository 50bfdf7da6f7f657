package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"goaltracker/app/report"
)

// ScheduleArgs asks for the nightly round: a compile of every district's
// current periods, and the final compile of periods that ended yesterday,
// which enqueues the period's workbook once it is done (see
// CompileWorker), so the workbook holds the compiled reports.
type ScheduleArgs struct{}

// Kind names the job in River's table; it never changes.
func (ScheduleArgs) Kind() string { return "report_schedule" }

// InsertOpts makes the round unique per day: however many processes run,
// one round is enqueued each night.
func (ScheduleArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueSchedule, UniqueOpts: river.UniqueOpts{ByPeriod: 24 * time.Hour}}
}

// schedule runs the round every night at hour (server time), and once when
// a leader starts, so a fresh installation compiles without waiting a day.
func schedule(hour int) *river.PeriodicJob {
	return river.NewPeriodicJob(nightly{hour: hour},
		func() (river.JobArgs, *river.InsertOpts) { return ScheduleArgs{}, nil },
		&river.PeriodicJobOpts{ID: "report_schedule", RunOnStart: true})
}

// nightly is a PeriodicSchedule firing once a day at hour.
type nightly struct{ hour int }

func (n nightly) Next(current time.Time) time.Time {
	next := time.Date(current.Year(), current.Month(), current.Day(), n.hour, 0, 0, 0, current.Location())
	if !next.After(current) {
		next = next.AddDate(0, 0, 1)
	}
	return next
}

// ScheduleWorker enqueues the round's compiles. River's leader election
// runs the periodic job in one process; the compiles' unique keys keep a
// second round from adding duplicates.
type ScheduleWorker struct {
	river.WorkerDefaults[ScheduleArgs]
	deps     Deps
	inserter *Client
}

// NewScheduleWorker returns the worker of the nightly round, enqueueing
// through inserter; the client made by NewClient has one already.
func NewScheduleWorker(d Deps, inserter *Client) *ScheduleWorker {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &ScheduleWorker{deps: d, inserter: inserter}
}

// Work finds, for the day the job runs, the periods to compile and
// enqueues them.
func (w *ScheduleWorker) Work(ctx context.Context, job *river.Job[ScheduleArgs]) error {
	today := day(w.deps.Now())
	due, err := report.NewService(w.deps.DB).Due(ctx, today)
	if err != nil {
		return err
	}
	params := make([]river.InsertManyParams, 0, len(due))
	for _, p := range due {
		params = append(params, river.InsertManyParams{Args: CompileArgs{DistrictID: p.DistrictID,
			Year: p.Year, Period: p.Code, Final: p.EndsOn.Before(today)}})
	}
	if len(params) == 0 {
		return nil
	}
	if _, err := w.inserter.InsertMany(ctx, params); err != nil {
		return fmt.Errorf("enqueue %d scheduled compiles: %w", len(params), err)
	}
	w.deps.Logger.InfoContext(ctx, "compiles scheduled", "job_id", job.ID, "count", len(params))
	return nil
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func unmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
