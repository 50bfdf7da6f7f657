package cli

import (
	"context"
	"fmt"
	"strings"

	"goaltracker/app/db"
)

// migrate applies, rolls back or lists the schema migrations.
func migrate(ctx context.Context, env Env, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("%w: migrate takes one of up, down, status", ErrUsage)
	}
	action := args[0]
	if action != "up" && action != "down" && action != "status" {
		return fmt.Errorf("%w: migrate %q; use up, down or status", ErrUsage, action)
	}

	return withDatabase(ctx, env, func(_ *db.Server, d *db.DB) error {
		switch action {
		case "up":
			applied, err := db.Migrate(ctx, d, env.Logger)
			if err != nil {
				return err
			}
			printMigrations(env, "applied", applied)
		case "down":
			undone, err := db.Rollback(ctx, d, env.Logger)
			if err != nil {
				return err
			}
			printMigrations(env, "rolled back", undone)
		case "status":
			status, err := db.Status(ctx, d, env.Logger)
			if err != nil {
				return err
			}
			fmt.Fprint(env.Out, status)
		}
		return nil
	})
}

func printMigrations(env Env, verb string, names []string) {
	if len(names) == 0 {
		fmt.Fprintf(env.Out, "nothing %s: the schema is as requested\n", strings.ToLower(verb))
		return
	}
	fmt.Fprintf(env.Out, "%s %d migrations:\n  %s\n", verb, len(names), strings.Join(names, "\n  "))
}
