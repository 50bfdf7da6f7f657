package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"goaltracker/app/db"
	"goaltracker/app/demo"
)

// loadDemo loads the demo district, and with --students N adds N more
// students with goals and entries for scale tests. Both are safe to repeat:
// the district is loaded once, and added students get new identifiers.
func loadDemo(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	students := fs.Int("students", 0, "add this many generated students")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *students < 0 {
		return fmt.Errorf("%w: demo [--students N]", ErrUsage)
	}

	return withDatabase(ctx, env, func(_ *db.Server, d *db.DB) error {
		if _, err := db.Migrate(ctx, d, env.Logger); err != nil {
			return err
		}
		opts := demo.Options{Password: env.Config.DemoPassword, Logger: env.Logger}
		if err := demo.Load(ctx, d, opts); err != nil {
			return err
		}
		fmt.Fprintln(env.Out, "demo district loaded")
		if *students == 0 {
			return nil
		}

		start := time.Now()
		added, err := demo.AddStudents(ctx, d, *students, opts)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Out, "added %d students in %.1f s\n", added, time.Since(start).Seconds())
		return nil
	})
}
