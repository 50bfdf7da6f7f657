//go:build faults

package faults

import (
	"context"
	"testing"
	"time"

	"goaltracker/app/export"
	"goaltracker/app/report"
	"goaltracker/jobs"
)

// rescueEnv makes a dead worker's jobs return quickly: one-minute
// attempts, taken over 65 s after the worker stopped answering.
var rescueEnv = []string{"JOB_TIMEOUT_MINUTES=1", "JOB_RESCUE_SECONDS=65"}

// TestWorkerKilledMidJob enqueues the district's compile and its
// workbook, kills the worker with SIGKILL while both run, starts another
// worker, and checks that each job then completes exactly once: the
// compile resumes from its cursor and finishes every student, and one
// workbook is built.
func TestWorkerKilledMidJob(t *testing.T) {
	ctx := context.Background()
	d := drill.db
	var district int64
	if err := d.QueryRowContext(ctx, `SELECT id_school_district FROM school_district
		ORDER BY id_school_district LIMIT 1`).Scan(&district); err != nil {
		t.Fatalf("find the demo district: %v", err)
	}
	period, ok, err := report.NewService(d).Current(ctx, district, time.Now())
	if err != nil || !ok {
		t.Fatalf("current period: %v %v", ok, err)
	}
	inserter, err := jobs.NewInserter(d.SQL())
	if err != nil {
		t.Fatalf("inserter: %v", err)
	}
	res, err := inserter.Insert(ctx, jobs.CompileArgs{DistrictID: district, Year: period.Year,
		Period: period.Code}, nil)
	if err != nil {
		t.Fatalf("enqueue compile: %v", err)
	}
	compileJob := res.Job.ID
	exp, err := jobs.RequestExport(ctx, d, inserter, export.Scope{DistrictID: district, Year: period.Year,
		Period: period.Code}, 0, "fault drill")
	if err != nil {
		t.Fatalf("request workbook: %v", err)
	}

	first := start(t, "worker-killed", rescueEnv, "worker")
	var done, total int
	var exportState string
	var exportPercent int
	midway := waitFor(ctx, 60*time.Second, 10*time.Millisecond, func() bool {
		err := d.QueryRowContext(ctx, `SELECT coalesce((SELECT students_done FROM report_compile WHERE id_job = ?), 0),
			coalesce((SELECT students_total FROM report_compile WHERE id_job = ?), 0),
			(SELECT state FROM report_export WHERE id_report_export = ?),
			(SELECT progress_percent FROM report_export WHERE id_report_export = ?)`,
			compileJob, compileJob, exp.ID, exp.ID).Scan(&done, &total, &exportState, &exportPercent)
		return err == nil && done > 0 && done < total && exportState == "running"
	})
	if !midway {
		t.Fatalf("never caught both jobs midway (compile %d of %d, workbook %s %d%%)",
			done, total, exportState, exportPercent)
	}
	first.kill(t)
	killedAt := time.Now()
	t.Logf("killed the worker with the compile at %d of %d students and the workbook %s at %d%%",
		done, total, exportState, exportPercent)

	start(t, "worker-after-kill", rescueEnv, "worker")
	var compileState, exportJobState string
	var compileAttempts, exportAttempts int
	finished := waitFor(ctx, 4*time.Minute, 500*time.Millisecond, func() bool {
		err := d.QueryRowContext(ctx, `SELECT state, attempt FROM river_job WHERE id = ?`, compileJob).
			Scan(&compileState, &compileAttempts)
		if err == nil {
			err = d.QueryRowContext(ctx, `SELECT state, attempt FROM river_job
				WHERE kind = 'report_export' AND (args->>'export_id')::bigint = ?`, exp.ID).
				Scan(&exportJobState, &exportAttempts)
		}
		return err == nil && compileState == "completed" && exportJobState == "completed"
	})
	took := time.Since(killedAt)
	if !finished {
		t.Fatalf("after %s: compile job %s, workbook job %s", took.Round(time.Second), compileState, exportJobState)
	}

	var compileRows, studentsDone, studentsTotal int
	var compileRowState string
	if err := d.QueryRowContext(ctx, `SELECT count(*) OVER (), state, students_done, students_total
		FROM report_compile WHERE id_job = ?`, compileJob).
		Scan(&compileRows, &compileRowState, &studentsDone, &studentsTotal); err != nil {
		t.Fatalf("compile run: %v", err)
	}
	if compileRows != 1 || compileRowState != "done" || studentsDone != studentsTotal {
		t.Errorf("compile run: %d rows, %s, %d of %d students", compileRows, compileRowState, studentsDone, studentsTotal)
	}
	var reports, distinct int
	if err := d.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT (id_student, id_goal))
		FROM progress_report WHERE year = ? AND period = ?`, period.Year, period.Code).
		Scan(&reports, &distinct); err != nil {
		t.Fatalf("count reports: %v", err)
	}
	if reports != distinct || reports == 0 {
		t.Errorf("%d reports for %d student goals", reports, distinct)
	}

	var workbooks, exportJobs int
	var state string
	var size int64
	var magic []byte
	if err := d.QueryRowContext(ctx, `SELECT state, size_bytes, substr(content, 1, 2),
		(SELECT count(*) FROM report_export WHERE created_at >= e.created_at),
		(SELECT count(*) FROM river_job WHERE kind = 'report_export' AND (args->>'export_id')::bigint = e.id_report_export)
		FROM report_export e WHERE id_report_export = ?`, exp.ID).
		Scan(&state, &size, &magic, &workbooks, &exportJobs); err != nil {
		t.Fatalf("workbook: %v", err)
	}
	if state != "done" || string(magic) != "PK" || size < 1000 || workbooks != 1 || exportJobs != 1 {
		t.Errorf("workbook: %s, %d bytes, starts %q; %d workbooks and %d jobs since the request",
			state, size, magic, workbooks, exportJobs)
	}
	if compileAttempts < 2 || exportAttempts < 2 {
		t.Errorf("attempts: compile %d, workbook %d; the killed attempts should count", compileAttempts, exportAttempts)
	}

	outcome := "pass"
	if t.Failed() {
		outcome = "FAIL"
	}
	record("worker killed mid-compile and mid-workbook", outcome,
		"killed at %d/%d students and %d%%; both done %.0f s later (attempts %d and %d); %d reports, 1 workbook of %d kB",
		done, total, exportPercent, took.Seconds(), compileAttempts, exportAttempts, reports, size/1024)
}
