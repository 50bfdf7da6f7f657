// Package cli runs the application's subcommands: serve (the default),
// worker, report, migrate, demo and user. Each opens the database the
// configuration names, or the private cluster, and releases it when done.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"goaltracker/app/config"
	"goaltracker/app/db"
)

// Usage is the help text printed for -h and for an unknown command.
const Usage = `Goal Tracker: student goals, progress and period reports.

Usage:
  goaltracker [serve]                 serve the web app and run the job workers
  goaltracker worker                  run the job workers only
  goaltracker report compile --district ID --year YEAR --period Q1-Q4|S1|S2 [--program ID]
                                      compile a period's progress reports now
  goaltracker report export --district ID | --program ID --year YEAR --period CODE --out FILE
                                      build a period's workbook now and save it
  goaltracker migrate up|down|status  apply, roll back or list migrations
  goaltracker demo [--students N]     load the demo district; add N students
  goaltracker user add --email E --name N --role R [--program P] [--district D]
  goaltracker user reset-password|unlock|deactivate --email E
                                      manage accounts; passwords are read from
                                      standard input, or generated and printed

Configuration is read from the environment; see README.md.
`

// ErrUsage means the command line could not be understood; main prints
// Usage and exits with status 2.
var ErrUsage = errors.New("unknown command or arguments")

// Env is what every command needs: the configuration, the logger and where
// to print results for a person.
type Env struct {
	Config *config.Config
	Logger *slog.Logger
	Out    io.Writer
	// In is where passwords are read from; nil means standard input.
	In io.Reader
}

// Run runs the subcommand named by args[0] (serve when args is empty).
func Run(ctx context.Context, env Env, args []string) error {
	name, rest := "serve", args
	if len(args) > 0 {
		name, rest = args[0], args[1:]
	}
	switch name {
	case "serve":
		return serve(ctx, env, rest)
	case "migrate":
		return migrate(ctx, env, rest)
	case "demo":
		return loadDemo(ctx, env, rest)
	case "user":
		return user(ctx, env, rest)
	case "worker":
		return worker(ctx, env, rest)
	case "report":
		return reportCommand(ctx, env, rest)
	case "help", "-h", "--help":
		fmt.Fprint(env.Out, Usage)
		return nil
	}
	return fmt.Errorf("%w: %q", ErrUsage, name)
}

// withDatabase starts or joins the database server, opens the application's
// database and hands both to fn, releasing them afterwards whatever fn
// returns.
func withDatabase(ctx context.Context, env Env, fn func(*db.Server, *db.DB) error) (err error) {
	server, err := db.StartServer(ctx, env.Config, env.Logger)
	if err != nil {
		return err
	}
	defer func() {
		if stopErr := server.Stop(); stopErr != nil {
			err = errors.Join(err, fmt.Errorf("stop database server: %w", stopErr))
		}
	}()

	handle, err := db.Open(ctx, server.DSN())
	if err != nil {
		return err
	}
	defer handle.Close()
	return fn(server, handle)
}
