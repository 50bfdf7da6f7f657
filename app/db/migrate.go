package db

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/uptrace/bun/migrate"

	"goaltracker/migrations"
)

// migrationLockKey serialises migrations across processes: several servers
// starting at once against one database take turns, and the later ones find
// nothing left to do.
const migrationLockKey = 7_245_101

func newMigrator(db *DB) (*migrate.Migrator, error) {
	ms := migrate.NewMigrations()
	if err := ms.Discover(migrations.FS); err != nil {
		return nil, fmt.Errorf("discover migrations: %w", err)
	}
	return migrate.NewMigrator(db.DB, ms, migrate.WithMarkAppliedOnSuccess(true)), nil
}

func newRiverMigrator(db *DB, logger *slog.Logger) (*rivermigrate.Migrator[pgx.Tx], error) {
	m, err := rivermigrate.New(riverpgxv5.New(db.Pool), &rivermigrate.Config{Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("prepare river migrations: %w", err)
	}
	return m, nil
}

// withMigrationLock runs fn while holding the cross-process migration lock.
func withMigrationLock(ctx context.Context, db *DB, fn func() error) error {
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire connection for migration lock: %w", err)
	}
	defer conn.Release()

	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	// Unlock on a fresh context: the caller's may be cancelled by now, and a
	// held advisory lock would block every later migration on this pooled
	// connection's session.
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey)
	}()
	return fn()
}

// Migrate applies every pending migration: River's tables first, then the
// application's schema as one group. It returns the names applied, empty when
// the database was current.
func Migrate(ctx context.Context, db *DB, logger *slog.Logger) ([]string, error) {
	var applied []string
	err := withMigrationLock(ctx, db, func() error {
		rm, err := newRiverMigrator(db, logger)
		if err != nil {
			return err
		}
		res, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil)
		if err != nil {
			return fmt.Errorf("migrate river tables: %w", err)
		}
		for _, v := range res.Versions {
			applied = append(applied, fmt.Sprintf("river_%03d_%s", v.Version, v.Name))
		}

		m, err := newMigrator(db)
		if err != nil {
			return err
		}
		if err := m.Init(ctx); err != nil {
			return fmt.Errorf("create migration tables: %w", err)
		}
		group, err := m.Migrate(ctx)
		if err != nil {
			return fmt.Errorf("migrate schema: %w", err)
		}
		for _, mig := range group.Migrations {
			applied = append(applied, mig.String())
		}
		return nil
	})
	return applied, err
}

// Rollback undoes the most recent group of schema migrations. When that
// leaves no schema migration applied, it removes River's tables as well, so
// that rolling back everything gives an empty database. It returns the names
// rolled back, empty when there was nothing to undo.
func Rollback(ctx context.Context, db *DB, logger *slog.Logger) ([]string, error) {
	var undone []string
	err := withMigrationLock(ctx, db, func() error {
		m, err := newMigrator(db)
		if err != nil {
			return err
		}
		if err := m.Init(ctx); err != nil {
			return fmt.Errorf("create migration tables: %w", err)
		}
		group, err := m.Rollback(ctx)
		if err != nil {
			return fmt.Errorf("roll back schema: %w", err)
		}
		for _, mig := range group.Migrations {
			undone = append(undone, mig.String())
		}

		left, err := m.AppliedMigrations(ctx)
		if err != nil {
			return fmt.Errorf("list applied migrations: %w", err)
		}
		if len(left) > 0 {
			return nil
		}
		rm, err := newRiverMigrator(db, logger)
		if err != nil {
			return err
		}
		res, err := rm.Migrate(ctx, rivermigrate.DirectionDown,
			&rivermigrate.MigrateOpts{TargetVersion: -1})
		if err != nil {
			return fmt.Errorf("remove river tables: %w", err)
		}
		for _, v := range res.Versions {
			undone = append(undone, fmt.Sprintf("river_%03d_%s", v.Version, v.Name))
		}
		return nil
	})
	return undone, err
}

// Status describes each schema migration and whether it is applied, one per
// line, followed by River's schema version.
func Status(ctx context.Context, db *DB, logger *slog.Logger) (string, error) {
	m, err := newMigrator(db)
	if err != nil {
		return "", err
	}
	if err := m.Init(ctx); err != nil {
		return "", fmt.Errorf("create migration tables: %w", err)
	}
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return "", fmt.Errorf("read migration status: %w", err)
	}

	var b strings.Builder
	for _, mig := range ms {
		state := "pending"
		if mig.IsApplied() {
			state = fmt.Sprintf("applied (group %d)", mig.GroupID)
		}
		fmt.Fprintf(&b, "%-45s %s\n", mig.String(), state)
	}

	rm, err := newRiverMigrator(db, logger)
	if err != nil {
		return "", err
	}
	existing, err := rm.ExistingVersions(ctx)
	if err != nil {
		return "", fmt.Errorf("read river migration status: %w", err)
	}
	fmt.Fprintf(&b, "river: %d of %d migrations applied\n", len(existing), len(rm.AllVersions()))
	return b.String(), nil
}
