// Package demo loads a demonstration school district, Riverside Unified,
// with one account per role, two programs, about forty students with goals,
// sub-goals, months of progress entries and health notes, and a reporting
// calendar. It also adds any number of generated students for load tests.
//
// The content is realistic but invented, and generated from fixed seeds:
// for the same day it is the same on every run. Students are known only by
// opaque identifiers, as in a real district.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"goaltracker/app/account"
	"goaltracker/app/db"
)

// DistrictName is the name of the demo district. Its presence is what tells
// Load and IsLoaded that the demo is there.
const DistrictName = "Riverside Unified School District"

// Options tune Load and AddStudents.
type Options struct {
	// Password is the password of every demo account. Load needs it only
	// when the demo is not loaded yet.
	Password string
	// Today is the moment the content is generated for: entries run up to
	// it and never past it. Zero means time.Now().
	Today time.Time
	// Logger receives one line per load; nil discards them.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Today.IsZero() {
		o.Today = time.Now()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Account is a demo sign-in, for the sign-in page and the README to list.
// Every demo account has the password given to Load.
type Account struct {
	Email       string
	Role        string // the name of a row of the role table
	Name        string
	Description string
}

// Accounts are the demo sign-ins, one per role of the district and a second
// teacher, in the order a sign-in page should list them.
var Accounts = []Account{
	{Email: "admin@demo.test", Role: "district_admin", Name: "Dana Whitfield",
		Description: "District admin: programs, users, roles, the reporting calendar and the audit log."},
	{Email: "leader@demo.test", Role: "district_leader", Name: "Marcus Bell",
		Description: "District leader: reads every non-sensitive record and downloads period workbooks."},
	{Email: "progadmin@demo.test", Role: "program_admin", Name: "Priya Raman",
		Description: "Program admin of the Transition Program: roster, staff assignments, report compiles."},
	{Email: "teacher@demo.test", Role: "teacher", Name: "Elena Ortiz",
		Description: "Teacher, primary for the Transition Program's students."},
	{Email: "teacher2@demo.test", Role: "teacher", Name: "James Okafor",
		Description: "Teacher, primary in Learning Support and assigned to a few Transition students."},
	{Email: "para@demo.test", Role: "paraeducator", Name: "Sam Nguyen",
		Description: "Paraeducator assigned to six Transition students: logs entries and health notes."},
}

// IsLoaded reports whether the demo district exists.
func IsLoaded(ctx context.Context, d *db.DB) (bool, error) {
	loaded, err := districtExists(ctx, d.Pool)
	if err != nil {
		return false, fmt.Errorf("check demo district: %w", err)
	}
	return loaded, nil
}

// Load creates the demo district and everything in it, in one transaction,
// so a failure leaves nothing behind. It does nothing when the district
// already exists, so running it again, even concurrently, changes nothing.
// Dates follow opts.Today: reporting periods for its school year and the
// next, and entries over the last four months or since the school year
// started, whichever is longer. Load fails when opts.Password is empty and
// the demo is not loaded, and when an account's email is already taken.
func Load(ctx context.Context, d *db.DB, opts Options) error {
	opts = opts.withDefaults()
	loaded, err := IsLoaded(ctx, d)
	if err != nil {
		return fmt.Errorf("load demo: %w", err)
	}
	if loaded {
		return nil
	}
	if opts.Password == "" {
		return errors.New("load demo: password is empty")
	}

	// Argon2id is slow on purpose, so every account shares one hash.
	hash, err := account.HashPassword(opts.Password, account.DefaultHashParams)
	if err != nil {
		return fmt.Errorf("load demo: %w", err)
	}

	start := time.Now()
	var students int
	err = pgx.BeginFunc(ctx, d.Pool, func(tx pgx.Tx) error {
		var txErr error
		students, txErr = loadTx(ctx, tx, opts, hash)
		return txErr
	})
	if err != nil {
		return fmt.Errorf("load demo: %w", err)
	}
	if students > 0 {
		opts.Logger.InfoContext(ctx, "demo loaded", "count", students,
			"duration_ms", time.Since(start).Milliseconds())
	}
	return nil
}

// loadTx writes the demo in tx and returns how many students it made: none
// when another process loaded the demo first.
func loadTx(ctx context.Context, tx pgx.Tx, opts Options, hash string) (int, error) {
	if err := lockDemo(ctx, tx); err != nil {
		return 0, err
	}
	exists, err := districtExists(ctx, tx)
	if err != nil || exists {
		return 0, err
	}

	c := newClock(opts.Today)
	staff, err := insertStaff(ctx, tx, c, hash)
	if err != nil {
		return 0, err
	}

	g := loadGenerator(c)
	specs := roster(staff)
	plans := make([]*plan, len(specs))
	for i, spec := range specs {
		plans[i] = g.plan(spec)
	}
	return len(plans), g.write(ctx, tx, plans)
}

// lockDemo serialises writers of demo content until tx ends, so that two
// loads cannot both create the district and two AddStudents calls cannot
// pick the same identifiers.
func lockDemo(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('goaltracker demo'))"); err != nil {
		return fmt.Errorf("lock demo: %w", err)
	}
	return nil
}

// querier is what pgx pools, connections and transactions have in common.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func districtExists(ctx context.Context, q querier) (bool, error) {
	var exists bool
	err := q.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM school_district WHERE name = $1)",
		DistrictName).Scan(&exists)
	return exists, err
}
