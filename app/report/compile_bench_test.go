package report_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"goaltracker/app/db/dbtest"
	"goaltracker/app/demo"
	"goaltracker/app/report"
)

// BenchmarkCompileDistrict compiles the current quarter of the demo
// district enlarged by 10,000 generated students (about 5 goals each and
// 10 entries per goal in the period), then runs the bare limit in the same
// process: one INSERT ... SELECT ... GROUP BY reading the same entries and
// writing one row per goal into a scratch table. It reports both times,
// their ratio (target at most 5), statements per batch, and peak memory.
func BenchmarkCompileDistrict(b *testing.B) {
	students := 10_000
	if s := os.Getenv("BENCH_STUDENTS"); s != "" {
		students, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	d := dbtest.New(b)
	opts := demo.Options{Password: "demo-password-2026", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if _, err := demo.AddStudents(ctx, d, students, opts); err != nil {
		b.Fatalf("add students: %v", err)
	}
	if _, err := d.ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatalf("analyze: %v", err)
	}
	var district int64
	if err := d.QueryRowContext(ctx, `SELECT id_school_district FROM school_district`).Scan(&district); err != nil {
		b.Fatalf("district: %v", err)
	}
	p, ok, err := report.NewService(d).Current(ctx, district, time.Now())
	if err != nil || !ok {
		b.Fatalf("current period: %v", err)
	}
	scope := report.Scope{DistrictID: district, Year: p.Year, Period: p.Code}

	var entries, goals int
	_ = d.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT id_goal) FROM progress_event
		WHERE occurred_on BETWEEN ? AND ?`, p.StartsOn, p.EndsOn).Scan(&entries, &goals)
	b.ReportMetric(float64(entries), "period-entries")

	job := int64(0)
	for b.Loop() {
		job++
		peak := watchMemory()
		start := time.Now()
		run, err := report.NewCompiler(d).Run(ctx, job, scope, 0)
		if err != nil {
			b.Fatalf("compile: %v", err)
		}
		compile := time.Since(start)
		heap := peak()

		start = time.Now()
		if _, err := d.ExecContext(ctx, `DROP TABLE IF EXISTS scratch_compile;
			CREATE UNLOGGED TABLE scratch_compile (id_goal integer, entries integer, first_on date,
				last_on date, latest numeric, trend float8)`); err != nil {
			b.Fatalf("scratch: %v", err)
		}
		setup := time.Since(start)
		start = time.Now()
		_, err = d.ExecContext(ctx, `INSERT INTO scratch_compile
			SELECT pe.id_goal, count(*), min(pe.occurred_on), max(pe.occurred_on),
				(array_agg(pe.value ORDER BY pe.occurred_on DESC) FILTER (WHERE pe.value IS NOT NULL))[1],
				regr_slope(pe.value, (pe.occurred_on - ?::date)::float8)
			FROM progress_event AS pe
			JOIN student AS st ON st.id_student = pe.id_student
			JOIN program AS pr ON pr.id_program = st.id_program
			WHERE pr.id_school_district = ? AND pe.occurred_on BETWEEN ? AND ?
			GROUP BY pe.id_goal`, p.StartsOn, district, p.StartsOn, p.EndsOn)
		if err != nil {
			b.Fatalf("bare limit: %v", err)
		}
		bare := time.Since(start)
		_ = setup

		b.ReportMetric(compile.Seconds(), "compile-s")
		b.ReportMetric(bare.Seconds(), "bare-s")
		b.ReportMetric(compile.Seconds()/bare.Seconds(), "compile/bare")
		b.ReportMetric(float64(run.GoalsWritten), "reports")
		b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(peakRSS())/(1<<10), "peak-rss-MB")
	}
	_ = goals
}

// watchMemory samples the Go heap every 10 ms until the returned function
// is called, which returns the largest heap seen.
func watchMemory() func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return peak.Load()
	}
}

// peakRSS is the process's peak resident memory in KiB (VmHWM), or 0 where
// /proc is missing.
func peakRSS() int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return kb
		}
	}
	return 0
}
