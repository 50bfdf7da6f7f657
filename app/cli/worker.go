package cli

import (
	"context"
	"fmt"

	"goaltracker/app/db"
	"goaltracker/jobs"
)

// worker runs the background jobs and no HTTP server, until ctx is
// cancelled; jobs then get the shutdown timeout to finish.
func worker(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: worker takes no arguments", ErrUsage)
	}
	return withDatabase(ctx, env, func(_ *db.Server, d *db.DB) error {
		if env.Config.MigrateOnStart {
			if _, err := db.Migrate(ctx, d, env.Logger); err != nil {
				return err
			}
		}
		client, err := startJobs(ctx, env, d)
		if err != nil {
			return err
		}
		<-ctx.Done()
		return stopJobs(env, client)
	})
}

// startJobs starts the job client with its workers and schedule.
func startJobs(ctx context.Context, env Env, d *db.DB) (*jobs.Client, error) {
	client, err := jobs.NewClient(jobs.Deps{Config: env.Config, Logger: env.Logger, DB: d})
	if err != nil {
		return nil, err
	}
	// The client outlives ctx's cancellation so that stopJobs can let
	// running jobs finish.
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, fmt.Errorf("start jobs: %w", err)
	}
	env.Logger.InfoContext(ctx, "job workers started", "report_workers", env.Config.ReportWorkers,
		"export_workers", env.Config.ExportWorkers)
	return client, nil
}

func stopJobs(env Env, client *jobs.Client) error {
	ctx, cancel := context.WithTimeout(context.Background(), env.Config.ShutdownTimeout)
	defer cancel()
	env.Logger.Info("stopping job workers")
	if err := jobs.Stop(ctx, client); err != nil {
		return fmt.Errorf("stop jobs: %w", err)
	}
	return nil
}
