package report_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"goaltracker/app/db"
	"goaltracker/app/db/dbtest"
	"goaltracker/app/demo"
	"goaltracker/app/report"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// demoScope loads the demo district into a fresh database and returns the
// scope of its current quarter.
func demoScope(t *testing.T) (*db.DB, report.Scope) {
	t.Helper()
	ctx := context.Background()
	d := dbtest.New(t)
	if err := demo.Load(ctx, d, demo.Options{Password: "demo-password-2026",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	var district int64
	if err := d.QueryRowContext(ctx, `SELECT id_school_district FROM school_district`).Scan(&district); err != nil {
		t.Fatalf("district: %v", err)
	}
	p, ok, err := report.NewService(d).Current(ctx, district, time.Now())
	if err != nil || !ok {
		t.Fatalf("current period: %v %v", ok, err)
	}
	return d, report.Scope{DistrictID: district, Year: p.Year, Period: p.Code}
}

// snapshot reads every report of scope as text, without the compile time,
// so two compiles can be compared.
func snapshot(t *testing.T, d *db.DB) []string {
	t.Helper()
	var rows []string
	err := d.NewSelect().Table("progress_report").
		ColumnExpr(`concat_ws('|', id_student, id_goal, period, year, summary, progress_code, status,
			entry_count, first_entry_on, last_entry_on, authors, latest_value, weekly_trend, on_track,
			subgoals_total, subgoals_met, suggested_code, is_edited, generated_at)`).
		OrderExpr("id_student, id_goal").Scan(context.Background(), &rows)
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	return rows
}

func TestCompileIsIdempotent(t *testing.T) {
	t.Parallel()
	d, scope := demoScope(t)
	ctx := context.Background()
	c := report.NewCompiler(d)
	c.BatchSize = 7

	run, err := c.Run(ctx, 1, scope, 0)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	if run.State != report.CompileDone || run.StudentsDone != run.StudentsTotal || run.StudentsTotal < 40 {
		t.Fatalf("run = %+v", run)
	}
	first := snapshot(t, d)
	if len(first) != run.GoalsWritten || len(first) < 100 {
		t.Fatalf("%d reports for %d goals written", len(first), run.GoalsWritten)
	}

	if _, err := c.Run(ctx, 2, scope, 0); err != nil {
		t.Fatalf("second compile: %v", err)
	}
	second := snapshot(t, d)
	if strings.Join(first, "\n") != strings.Join(second, "\n") {
		t.Error("a second compile changed the reports")
	}
}

func TestCompileResumesAfterACrash(t *testing.T) {
	t.Parallel()
	d, scope := demoScope(t)
	ctx := context.Background()
	c := report.NewCompiler(d)
	c.BatchSize = 5
	crash := errors.New("process killed")
	batches := 0
	report.SetAfterBatch(c, func(*report.Compile) error {
		if batches++; batches == 3 {
			return crash
		}
		return nil
	})

	// Rounds of two batches of five: three rounds are thirty students.
	run, err := c.Run(ctx, 7, scope, 0)
	if !errors.Is(err, crash) || run.StudentsDone != 30 {
		t.Fatalf("first attempt: %v, %d students done", err, run.StudentsDone)
	}
	report.SetAfterBatch(c, func(run *report.Compile) error {
		if run.StudentsDone <= 30 {
			return fmt.Errorf("the retry started over: %d students done after its first batch", run.StudentsDone)
		}
		return nil
	})
	run, err = c.Run(ctx, 7, scope, 0)
	if err != nil || run.State != report.CompileDone {
		t.Fatalf("retry: %v, %+v", err, run)
	}

	var dupes int
	if err := d.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM progress_report
		GROUP BY id_student, id_goal, period, year HAVING count(*) > 1) AS x`).Scan(&dupes); err != nil || dupes != 0 {
		t.Errorf("%d duplicated reports (%v)", dupes, err)
	}
	fresh := report.NewCompiler(d)
	if _, err := fresh.Run(ctx, 8, scope, 0); err != nil {
		t.Fatalf("fresh compile: %v", err)
	}
	var runs int
	_ = d.QueryRowContext(ctx, `SELECT count(*) FROM report_compile`).Scan(&runs)
	if runs != 2 {
		t.Errorf("%d compile runs recorded, want one per job", runs)
	}
}

func TestCompileKeepsFinalAndEditedReports(t *testing.T) {
	t.Parallel()
	d, scope := demoScope(t)
	ctx := context.Background()
	c := report.NewCompiler(d)
	if _, err := c.Run(ctx, 1, scope, 0); err != nil {
		t.Fatalf("compile: %v", err)
	}

	var final, edited struct {
		ID, Goal, Student int64
		Count             int
	}
	pick := `SELECT id_progress_report, id_goal, id_student, entry_count FROM progress_report
		WHERE entry_count > 0 ORDER BY id_progress_report OFFSET ? LIMIT 1`
	if err := d.QueryRowContext(ctx, pick, 0).Scan(&final.ID, &final.Goal, &final.Student, &final.Count); err != nil {
		t.Fatalf("pick: %v", err)
	}
	if err := d.QueryRowContext(ctx, pick, 1).Scan(&edited.ID, &edited.Goal, &edited.Student, &edited.Count); err != nil {
		t.Fatalf("pick: %v", err)
	}
	exec := func(q string, args ...any) {
		if _, err := d.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`UPDATE progress_report SET status = 'final', summary = 'Finalized by hand', progress_code = 'mastered',
		finalized_at = now() WHERE id_progress_report = ?`, final.ID)
	exec(`UPDATE progress_report SET is_edited = true, summary = 'Edited by hand', progress_code = 'insufficient'
		WHERE id_progress_report = ?`, edited.ID)
	for _, r := range []struct{ goal, student int64 }{{final.Goal, final.Student}, {edited.Goal, edited.Student}} {
		exec(`INSERT INTO progress_event (id_student, id_goal, content, occurred_on)
			VALUES (?, ?, 'one more', (SELECT least(current_date, ends_on) FROM reporting_period
				WHERE id_school_district = ? AND year = ? AND period = ?))`,
			r.student, r.goal, scope.DistrictID, scope.Year, scope.Period)
	}

	if _, err := c.Run(ctx, 2, scope, 0); err != nil {
		t.Fatalf("recompile: %v", err)
	}
	var summary, code string
	var count int
	read := `SELECT summary, progress_code, entry_count FROM progress_report WHERE id_progress_report = ?`
	_ = d.QueryRowContext(ctx, read, final.ID).Scan(&summary, &code, &count)
	if summary != "Finalized by hand" || code != "mastered" || count != final.Count {
		t.Errorf("the final report changed: %q %s %d (was %d entries)", summary, code, count, final.Count)
	}
	_ = d.QueryRowContext(ctx, read, edited.ID).Scan(&summary, &code, &count)
	if summary != "Edited by hand" || code != "insufficient" || count != edited.Count+1 {
		t.Errorf("the edited report: %q %s %d entries, want its text kept and %d entries",
			summary, code, count, edited.Count+1)
	}
}

func TestSensitiveContentNeverInSummaries(t *testing.T) {
	t.Parallel()
	d, scope := demoScope(t)
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, `INSERT INTO progress_event (id_student, id_goal, content, is_sensitive)
		SELECT id_student, id_goal, 'SECRET-MARKER family matter', true FROM goal LIMIT 20`); err != nil {
		t.Fatalf("seed: %v", err)
	}
	if _, err := report.NewCompiler(d).Run(ctx, 1, scope, 0); err != nil {
		t.Fatalf("compile: %v", err)
	}
	var leaks int
	_ = d.QueryRowContext(ctx, `SELECT count(*) FROM progress_report WHERE summary LIKE '%SECRET%'
		OR summary LIKE '%family matter%'`).Scan(&leaks)
	if leaks != 0 {
		t.Errorf("%d summaries quote sensitive content", leaks)
	}
}

type counter struct{ n int }

func (c *counter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (c *counter) AfterQuery(context.Context, *bun.QueryEvent)                        { c.n++ }

func TestCompileStatementsPerBatchAreFixed(t *testing.T) {
	t.Parallel()
	d, scope := demoScope(t)
	ctx := context.Background()
	statements := func(batch int) (int, int) {
		cnt := &counter{}
		hooked := d.WithQueryHook(cnt)
		c := report.NewCompiler(hooked)
		c.BatchSize, c.Parallel = batch, 1
		batches := 0
		report.SetAfterBatch(c, func(*report.Compile) error { batches++; return nil })
		if _, err := c.Run(ctx, int64(batch), scope, 0); err != nil {
			t.Fatalf("compile: %v", err)
		}
		return cnt.n, batches
	}
	small, smallBatches := statements(5)
	large, largeBatches := statements(50)
	perBatch := float64(small-large) / float64(smallBatches-largeBatches)
	// One batch a round here: the ids, BEGIN, the measure, the upsert,
	// COMMIT and the cursor. Bun's hook counts BEGIN and COMMIT too.
	if perBatch != 6 {
		t.Errorf("%.2f statements per batch (%d in %d batches, %d in %d)", perBatch, small,
			smallBatches, large, largeBatches)
	}
}
