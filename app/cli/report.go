package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/riverqueue/river/rivertype"

	"goaltracker/app/db"
	"goaltracker/app/report"
	"goaltracker/jobs"
)

// reportCommand runs report subcommands: compile and export.
func reportCommand(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 && args[0] == "export" {
		return exportCommand(ctx, env, args[1:])
	}
	if len(args) == 0 || args[0] != "compile" {
		return fmt.Errorf("%w: report compile|export; see the usage", ErrUsage)
	}
	fs := flag.NewFlagSet("report compile", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	district := fs.Int64("district", 0, "district id")
	program := fs.Int64("program", 0, "program id (optional)")
	year := fs.Int("year", 0, "school year, by the calendar year it starts in")
	period := fs.String("period", "", "Q1-Q4, S1 or S2")
	if err := fs.Parse(args[1:]); err != nil || *district <= 0 || *year <= 0 || !report.IsPeriodCode(*period) {
		return fmt.Errorf("%w: report compile --district ID --year YEAR --period Q1-Q4|S1|S2 [--program ID]", ErrUsage)
	}
	a := jobs.CompileArgs{DistrictID: *district, ProgramID: *program, Year: *year, Period: *period}
	return withDatabase(ctx, env, func(_ *db.Server, d *db.DB) error {
		return compileNow(ctx, env, d, a)
	})
}

// compileNow enqueues the compile as a job and works it in this process,
// printing its progress, so a compile from the shell runs exactly like a
// scheduled one and is unique with it.
func compileNow(ctx context.Context, env Env, d *db.DB, a jobs.CompileArgs) error {
	client, err := startJobs(ctx, env, d)
	if err != nil {
		return err
	}
	defer func() { _ = stopJobs(env, client) }()

	res, err := client.Insert(ctx, a, nil)
	if err != nil {
		return fmt.Errorf("enqueue compile: %w", err)
	}
	if res.UniqueSkippedAsDuplicate {
		fmt.Fprintf(env.Out, "a compile of this scope is already queued or running (job %d); following it\n", res.Job.ID)
	}
	return follow(ctx, env, d, client, res.Job.ID)
}

// follow prints the job's progress every second until it ends. It reads
// the job's state from the database, because any worker process, not only
// this one, may be the one working it.
func follow(ctx context.Context, env Env, d *db.DB, client *jobs.Client, jobID int64) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		job, err := client.JobGet(ctx, jobID)
		if err != nil {
			return fmt.Errorf("read compile job %d: %w", jobID, err)
		}
		printProgress(ctx, env, d, jobID)
		switch job.State {
		case rivertype.JobStateCompleted:
			fmt.Fprintln(env.Out, "compile finished")
			return nil
		case rivertype.JobStateCancelled, rivertype.JobStateDiscarded:
			return fmt.Errorf("compile job %d ended %s: %w", jobID, job.State, lastError(job))
		}
	}
}

func printProgress(ctx context.Context, env Env, d *db.DB, jobID int64) {
	run := new(report.Compile)
	if err := d.NewSelect().Model(run).Where("id_job = ?", jobID).Scan(ctx); err != nil {
		return
	}
	fmt.Fprintf(env.Out, "%3d%%  %d of %d students, %d goals\n", run.Percent(), run.StudentsDone,
		run.StudentsTotal, run.GoalsWritten)
}

func lastError(job *rivertype.JobRow) error {
	if len(job.Errors) == 0 {
		return errors.New("no error recorded")
	}
	return errors.New(job.Errors[len(job.Errors)-1].Error)
}
