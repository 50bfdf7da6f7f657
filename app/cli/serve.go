package cli

import (
	"context"
	"errors"
	"fmt"
	"net"

	"goaltracker/app/account"
	"goaltracker/app/db"
	"goaltracker/app/demo"
	"goaltracker/app/mail"
	"goaltracker/app/web"
	"goaltracker/jobs"
)

// serve migrates (unless MIGRATE_ON_START=false), loads the demo district
// into a private cluster that has no district yet, and serves HTTP until
// ctx is cancelled, then lets requests in flight finish.
func serve(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: serve takes no arguments", ErrUsage)
	}
	return withDatabase(ctx, env, func(server *db.Server, d *db.DB) error {
		if env.Config.MigrateOnStart {
			applied, err := db.Migrate(ctx, d, env.Logger)
			if err != nil {
				return err
			}
			env.Logger.InfoContext(ctx, "database migrated", "applied", len(applied))
		}
		if server.IsPrivate() {
			if err := loadDemoIfEmpty(ctx, env, d); err != nil {
				return err
			}
		}
		if !env.Config.RunWorkers {
			return listen(ctx, env, d)
		}
		client, err := startJobs(ctx, env, d)
		if err != nil {
			return err
		}
		serveErr := listen(ctx, env, d)
		return errors.Join(serveErr, stopJobs(env, client))
	})
}

// loadDemoIfEmpty fills a private cluster that holds no district with the
// demo district, so that a first `go run .` shows a working app. A
// configured server is never filled on its own.
func loadDemoIfEmpty(ctx context.Context, env Env, d *db.DB) error {
	n, err := d.NewSelect().Table("school_district").Count(ctx)
	if err != nil {
		return fmt.Errorf("count districts: %w", err)
	}
	if n > 0 {
		return nil
	}
	opts := demo.Options{Password: env.Config.DemoPassword, Logger: env.Logger}
	if err := demo.Load(ctx, d, opts); err != nil {
		return err
	}
	env.Logger.InfoContext(ctx, "demo district loaded")
	return nil
}

func listen(ctx context.Context, env Env, d *db.DB) error {
	accounts, err := account.NewService(d, accountSettings(env))
	if err != nil {
		return err
	}
	var mailer mail.Sender
	if env.Config.SMTPURL != "" {
		if mailer, err = mail.NewSMTP(env.Config.SMTPURL, env.Config.MailFrom); err != nil {
			return err
		}
	}
	inserter, err := jobs.NewInserter(d.SQL())
	if err != nil {
		return err
	}
	srv, err := web.New(web.Deps{Config: env.Config, Logger: env.Logger, DB: d,
		Accounts: accounts, Mailer: mailer, Jobs: inserter})
	if err != nil {
		return err
	}
	if env.Config.SessionCache {
		defer accounts.StartWatchingSessions(env.Logger)()
	}
	app := srv.App()
	ln, err := net.Listen("tcp", env.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", env.Config.Addr, err)
	}

	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	env.Logger.InfoContext(ctx, "serving", "addr", "http://"+ln.Addr().String(),
		"base_url", env.Config.BaseURL.String())

	select {
	case err := <-served:
		return fmt.Errorf("serve http: %w", err)
	case <-ctx.Done():
	}
	env.Logger.Info("shutting down")
	if err := app.ShutdownWithTimeout(env.Config.ShutdownTimeout); err != nil &&
		!errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shut down http: %w", err)
	}
	srv.Wait()
	return nil
}
