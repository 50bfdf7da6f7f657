// Goal Tracker is a web application in which school staff track students'
// goals and progress, and district leaders download period reports.
//
// Run it with no arguments to serve the demo on http://127.0.0.1:3000; see
// README.md for the subcommands and the configuration.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"goaltracker/app/cli"
	"goaltracker/app/config"
	"goaltracker/app/web"
)

func main() {
	cfg, err := config.FromEnvironment()
	if err != nil {
		fmt.Fprintf(os.Stderr, "goaltracker: configuration:\n%v\n", err)
		os.Exit(2)
	}
	logger := newLogger(cfg)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = cli.Run(ctx, cli.Env{Config: cfg, Logger: logger, Out: os.Stdout}, os.Args[1:])
	stop()

	switch {
	case errors.Is(err, cli.ErrUsage):
		fmt.Fprintf(os.Stderr, "goaltracker: %v\n\n%s", err, cli.Usage)
		os.Exit(2)
	case err != nil:
		logger.Error("stopped", "error", err)
		os.Exit(1)
	}
}

// newLogger writes readable text in development and JSON when LOG_FORMAT is
// json, tagging each line with the request it belongs to.
func newLogger(cfg *config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	var h slog.Handler = slog.NewTextHandler(os.Stderr, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(os.Stderr, opts)
	}
	return slog.New(web.NewLogHandler(h))
}
