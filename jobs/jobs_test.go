package jobs

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"

	"goaltracker/app/config"
	"goaltracker/app/db/dbtest"
	"goaltracker/app/demo"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type fixture struct {
	deps     Deps
	district int64
}

func newFixture(t *testing.T, now time.Time) *fixture {
	t.Helper()
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	d := dbtest.New(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := demo.Load(context.Background(), d, demo.Options{Password: cfg.DemoPassword, Logger: logger,
		Today: now}); err != nil {
		t.Fatalf("demo: %v", err)
	}
	f := &fixture{deps: Deps{Config: cfg, Logger: logger, DB: d, Now: func() time.Time { return now }}}
	if err := d.QueryRowContext(context.Background(), `SELECT id_school_district FROM school_district`).
		Scan(&f.district); err != nil {
		t.Fatalf("district: %v", err)
	}
	return f
}

func (f *fixture) period(t *testing.T, code string) (year int, starts, ends time.Time) {
	t.Helper()
	err := f.deps.DB.QueryRowContext(context.Background(), `SELECT year, starts_on, ends_on FROM reporting_period
		WHERE period = ? ORDER BY year LIMIT 1`, code).Scan(&year, &starts, &ends)
	if err != nil {
		t.Fatalf("period %s: %v", code, err)
	}
	return year, starts, ends
}

func TestCompileWorker(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Now())
	year, _, _ := f.period(t, "Q1")
	ctx := context.Background()
	driver := riverpgxv5.New(f.deps.DB.Pool)
	w := rivertest.NewWorker(t, driver, &river.Config{}, &CompileWorker{deps: f.deps})

	tx, err := f.deps.DB.Pool.Begin(ctx)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	res, err := w.Work(ctx, t, tx, CompileArgs{DistrictID: f.district, Year: year, Period: "Q1"}, nil)
	if err != nil {
		t.Fatalf("work: %v", err)
	}
	if res.EventKind != river.EventKindJobCompleted {
		t.Fatalf("job ended with %s", res.EventKind)
	}
	var state string
	var written int
	if err := f.deps.DB.QueryRowContext(ctx, `SELECT state, goals_written FROM report_compile WHERE id_job = ?`,
		res.Job.ID).Scan(&state, &written); err != nil || state != "done" || written == 0 {
		t.Errorf("compile run: %s, %d goals, %v", state, written, err)
	}

	missing, err := w.Work(ctx, t, tx, CompileArgs{DistrictID: f.district, Year: 1999, Period: "Q1"}, nil)
	if err != nil || missing.EventKind != river.EventKindJobCancelled {
		t.Errorf("a compile of a missing period: %v, %v; want it cancelled", missing, err)
	}
}

// TestScheduleEnqueuesCurrentAndEndedPeriods runs the nightly round on a
// fixed day: the day after Q1 ends it enqueues Q1's final compile, and the
// compiles of the periods that contain the day.
func TestScheduleEnqueuesCurrentAndEndedPeriods(t *testing.T) {
	t.Parallel()
	probe := newFixture(t, time.Now())
	year, _, q1End := probe.period(t, "Q1")
	dayAfter := q1End.AddDate(0, 0, 1)

	f := newFixture(t, dayAfter)
	ctx := context.Background()
	inserter, err := newPoolInserter(f.deps)
	if err != nil {
		t.Fatalf("inserter: %v", err)
	}
	worker := NewScheduleWorker(f.deps, inserter)
	w := rivertest.NewWorker(t, riverpgxv5.New(f.deps.DB.Pool), &river.Config{}, worker)
	tx, err := f.deps.DB.Pool.Begin(ctx)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := w.Work(ctx, t, tx, ScheduleArgs{}, nil); err != nil {
		t.Fatalf("work: %v", err)
	}

	jobs := rivertest.RequireManyInserted(ctx, t, riverpgxv5.New(f.deps.DB.Pool), []rivertest.ExpectedJob{
		{Args: &CompileArgs{}}, {Args: &CompileArgs{}}, {Args: &CompileArgs{}},
	})
	got := map[string]bool{}
	for _, j := range jobs {
		var a CompileArgs
		if err := unmarshal(j.EncodedArgs, &a); err != nil {
			t.Fatalf("args: %v", err)
		}
		if a.Year != year || a.DistrictID != f.district {
			t.Errorf("unexpected compile %+v", a)
		}
		got[a.Period] = a.Final
	}
	// The day after Q1: Q1 (final), Q2 and S1 contain the day.
	if final, ok := got["Q1"]; !ok || !final {
		t.Errorf("Q1's final compile missing: %v", got)
	}
	if _, ok := got["Q2"]; !ok {
		t.Errorf("Q2's compile missing: %v", got)
	}
	if final, ok := got["S1"]; !ok || final {
		t.Errorf("S1's draft compile missing: %v", got)
	}

	// A second round the same night adds nothing: the compiles are queued.
	if _, err := w.Work(ctx, t, tx, ScheduleArgs{}, nil); err != nil {
		t.Fatalf("second round: %v", err)
	}
	var n int
	_ = f.deps.DB.QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE kind = 'report_compile'`).Scan(&n)
	if n != 3 {
		t.Errorf("%d compiles after two rounds, want 3", n)
	}
}

func TestNightlySchedule(t *testing.T) {
	t.Parallel()
	n := nightly{hour: 2}
	loc := time.UTC
	for _, tc := range []struct{ now, want time.Time }{
		{time.Date(2026, 12, 3, 1, 0, 0, 0, loc), time.Date(2026, 12, 3, 2, 0, 0, 0, loc)},
		{time.Date(2026, 12, 3, 2, 0, 0, 0, loc), time.Date(2026, 12, 4, 2, 0, 0, 0, loc)},
		{time.Date(2026, 12, 31, 23, 0, 0, 0, loc), time.Date(2027, 1, 1, 2, 0, 0, 0, loc)},
	} {
		if got := n.Next(tc.now); !got.Equal(tc.want) {
			t.Errorf("Next(%v) = %v, want %v", tc.now, got, tc.want)
		}
	}
}

// TestClientStartsAndStops runs a real client: a compile inserted through
// the database/sql inserter, inside a transaction, is worked once.
func TestClientStartsAndStops(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Now())
	year, _, _ := f.period(t, "Q1")
	ctx := context.Background()
	client, err := NewClient(f.deps)
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	if err := client.Start(ctx); err != nil {
		t.Fatalf("start: %v", err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = Stop(stopCtx, client)
	}()

	inserter, err := NewInserter(f.deps.DB.SQL())
	if err != nil {
		t.Fatalf("inserter: %v", err)
	}
	tx, err := f.deps.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	res, err := inserter.InsertTx(ctx, tx.Tx, CompileArgs{DistrictID: f.district, Year: year, Period: "Q2"}, nil)
	if err != nil {
		t.Fatalf("insert: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("commit: %v", err)
	}
	timeout := time.After(60 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Job.ID != res.Job.ID {
				continue
			}
			if ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("job ended %s", ev.Kind)
			}
			return
		case <-timeout:
			t.Fatal("the compile did not finish in a minute")
		}
	}
}
