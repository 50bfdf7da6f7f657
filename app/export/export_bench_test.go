package export_test

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"goaltracker/app/db"
	"goaltracker/app/db/dbtest"
	"goaltracker/app/export"
)

// BenchmarkWorkbook builds the workbook of a generated district with
// BENCH_GOALS goal reports (default 50,000) and ten entries per goal, and,
// in the same run, just before and just after, writes the same cells with
// a bare excelize StreamWriter from values generated in memory. It reports
// both rates in rows per second over the Goals and Entries rows, their
// ratio against the mean of the two bare runs (target at least 0.7), the
// file's size, the peak Go heap while rows stream and overall (sampled
// every 10 ms), and the process's peak resident memory after the build
// (target under 250 MB at 50,000 goals). With -benchtime Nx it reports
// the median of N rounds. BENCH_OUT names a file to save the workbook to.
func BenchmarkWorkbook(b *testing.B) {
	goals := 50_000
	if s := os.Getenv("BENCH_GOALS"); s != "" {
		goals, _ = strconv.Atoi(s)
	}
	d := dbtest.New(b)
	scope := seedBench(b, d, goals)

	var rounds []benchRound
	for b.Loop() {
		r := measureRound(b, d, scope, goals)
		b.Logf("round %d: build %.0f rows/s, bare %.0f rows/s, ratio %.3f, peak RSS %.0f MB", len(rounds)+1,
			r.buildRate, r.rawRate, r.buildRate/r.rawRate, r.rssMB)
		rounds = append(rounds, r)
	}
	metrics := map[string]func(benchRound) float64{
		"build-rows/s":      func(r benchRound) float64 { return r.buildRate },
		"raw-rows/s":        func(r benchRound) float64 { return r.rawRate },
		"build/raw":         func(r benchRound) float64 { return r.buildRate / r.rawRate },
		"file-MB":           func(r benchRound) float64 { return r.fileMB },
		"raw-file-MB":       func(r benchRound) float64 { return r.rawFileMB },
		"rows-peak-heap-MB": func(r benchRound) float64 { return r.rowsHeapMB },
		"rows-live-heap-MB": func(r benchRound) float64 { return r.liveMB },
		"peak-heap-MB":      func(r benchRound) float64 { return r.heapMB },
		"peak-rss-MB":       func(r benchRound) float64 { return r.rssMB },
	}
	for unit, metric := range metrics {
		values := make([]float64, len(rounds))
		for i, r := range rounds {
			values[i] = metric(r)
		}
		slices.Sort(values)
		b.ReportMetric(values[len(values)/2], unit)
	}
}

// benchRound is what one round of BenchmarkWorkbook measured.
type benchRound struct {
	buildRate, rawRate                float64
	fileMB, rawFileMB                 float64
	rowsHeapMB, liveMB, heapMB, rssMB float64
}

// measureRound builds the workbook of scope between two bare runs.
func measureRound(b *testing.B, d *db.DB, scope export.Scope, goals int) benchRound {
	rows := 11 * goals
	runtime.GC()
	start := time.Now()
	rawSize := writeRaw(b, goals, 10*goals)
	raw := time.Since(start)

	// The bare run's memory goes back to the system, and the peak
	// resident size is reset, so that they measure the build alone.
	debug.FreeOSMemory()
	resetPeakRSS()
	mem := watchMemory()
	var streamPeak, live uint64
	var buf bytes.Buffer
	start = time.Now()
	stats, err := export.Build(context.Background(), d, scope, "Benchmark", &buf, func(p int) {
		if p == 99 {
			// What the build holds with the rows written and before the
			// file is assembled; the collection costs a few milliseconds.
			streamPeak = mem.peak()
			var m runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m)
			live = m.HeapAlloc
		}
	})
	build := time.Since(start)
	heap := mem.stop()
	rss := peakRSS()
	if err != nil {
		b.Fatalf("build: %v", err)
	}
	if stats.Goals != goals || stats.Entries != 10*goals {
		b.Fatalf("built %d goals and %d entries, want %d and %d", stats.Goals, stats.Entries,
			goals, 10*goals)
	}
	if path := os.Getenv("BENCH_OUT"); path != "" {
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			b.Fatalf("save workbook: %v", err)
		}
	}
	buf = bytes.Buffer{}

	runtime.GC()
	start = time.Now()
	writeRaw(b, goals, 10*goals)
	raw = (raw + time.Since(start)) / 2

	return benchRound{buildRate: float64(rows) / build.Seconds(), rawRate: float64(rows) / raw.Seconds(),
		fileMB: float64(stats.Bytes) / (1 << 20), rawFileMB: float64(rawSize) / (1 << 20),
		rowsHeapMB: float64(streamPeak) / (1 << 20), liveMB: float64(live) / (1 << 20),
		heapMB: float64(heap) / (1 << 20),
		rssMB:  float64(rss) / (1 << 10)}
}

// seedBench fills d with a district of ten programs, goals/5 students of
// five goals each (one a sub-goal), a Q1 report per goal and ten entries
// per goal in Q1, by 50 staff members, and returns the scope of its Q1
// workbook.
func seedBench(b *testing.B, d *db.DB, goals int) export.Scope {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	var district int64
	err := d.Pool.QueryRow(ctx, `INSERT INTO school_district (name, created_at)
		VALUES ('Bench Unified School District', now()) RETURNING id_school_district`).Scan(&district)
	if err != nil {
		b.Fatalf("district: %v", err)
	}
	for _, q := range benchSeed {
		var args []any
		if strings.Contains(q, "$1") {
			args = append(args, district)
		}
		if strings.Contains(q, "$2") {
			args = append(args, goals/5)
		}
		if _, err := d.Pool.Exec(ctx, q, args...); err != nil {
			b.Fatalf("seed: %v\n%s", err, q)
		}
	}
	b.Logf("seeded %d goals and %d entries in %s", goals, 10*goals, time.Since(start).Round(time.Second))
	return export.Scope{DistrictID: district, Year: 2026, Period: "Q1"}
}

// benchSeed are the statements of seedBench. Those that name them take
// the district as $1 and the number of students as $2.
var benchSeed = []string{
	`INSERT INTO reporting_period (id_school_district, year, period, starts_on, ends_on)
	VALUES ($1, 2026, 'Q1', DATE '2026-08-17', DATE '2026-10-25')`,
	`INSERT INTO program (id_school_district, name, created_at)
	SELECT $1, 'Program ' || lpad(i::text, 2, '0'), now() FROM generate_series(1, 10) AS i`,
	`INSERT INTO "user" (email, name, created_at)
	SELECT 'staff' || i || '@bench.test', 'Staff Member ' || i, now()
	FROM generate_series(1, 50) AS i`,
	`INSERT INTO student (id_program, identifier, program_year, created_at)
	SELECT p.id_program, 'BN-' || lpad(i::text, 7, '0'), 1 + i % 4, now()
	FROM generate_series(0, $2::int - 1) AS i
	JOIN (SELECT id_program, row_number() OVER (ORDER BY id_program) - 1 AS k
		FROM program WHERE id_school_district = $1) AS p ON p.k = i % 10`,
	`INSERT INTO goal (id_student, title, category, unit, baseline_value, target_value, target_date,
		status, created_at)
	SELECT st.id_student, 'Goal ' || g || ': ' || (ARRAY['Read a grade-level passage aloud with fewer than three errors',
		'Solve two-step word problems with whole numbers', 'Use a calming strategy when frustrated',
		'Keep a weekly calendar of appointments', 'Name the feeling using the feelings chart'])[g],
		(ARRAY['Reading', 'Math', 'Behavior', 'Transition', 'Social'])[g],
		CASE WHEN g <= 2 THEN 'words per minute' END, CASE WHEN g <= 2 THEN 40 END,
		CASE WHEN g <= 2 THEN 90 END, CASE WHEN g <= 2 THEN DATE '2027-05-21' END, 'active',
		TIMESTAMPTZ '2026-08-01 09:00:00Z'
	FROM student AS st JOIN program AS p ON p.id_program = st.id_program, generate_series(1, 5) AS g
	WHERE p.id_school_district = $1`,
	`UPDATE goal AS c SET id_goal_parent = pg.id_goal FROM goal AS pg, student AS st
	WHERE st.id_student = c.id_student AND pg.id_student = c.id_student AND c.title LIKE 'Goal 5:%' AND pg.title LIKE 'Goal 3:%'
		AND st.id_program IN (SELECT id_program FROM program WHERE id_school_district = $1)`,
	`INSERT INTO progress_report (id_student, id_goal, period, year, summary, progress_code, status,
		entry_count, first_entry_on, last_entry_on, latest_value, weekly_trend, on_track, generated_at,
		compiled_at)
	SELECT g.id_student, g.id_goal, 'Q1', 2026,
		'10 entries in Q1 over 8 of 10 weeks, from Aug 18 to Oct 20, by Staff Member ' ||
		(g.id_goal % 50 + 1) || '. The latest value was ' || (40 + g.id_goal % 50) ||
		' words per minute on Oct 20, ahead of the 52.5 planned for that day; values rose about ' ||
		round((g.id_goal % 30) / 10.0, 1) || ' a week.',
		(ARRAY['mastered', 'sufficient', 'insufficient', 'not_addressed'])[1 + g.id_goal % 4],
		CASE WHEN g.id_goal % 3 = 0 THEN 'final' ELSE 'draft' END, 10, DATE '2026-08-18',
		DATE '2026-10-20', CASE WHEN g.unit IS NOT NULL THEN 40 + g.id_goal % 50 END,
		CASE WHEN g.unit IS NOT NULL THEN round((g.id_goal % 30) / 10.0 - 1, 2) END,
		CASE WHEN g.unit IS NOT NULL THEN g.id_goal % 2 = 0 END, now(), now()
	FROM goal AS g JOIN student AS st ON st.id_student = g.id_student
	JOIN program AS p ON p.id_program = st.id_program
	WHERE p.id_school_district = $1`,
	`INSERT INTO progress_event (id_student, id_goal, id_user_created, content, is_sensitive,
		created_at, occurred_on, value)
	SELECT g.id_student, g.id_goal, u.ids[1 + (g.id_goal + k) % 50],
		'Worked on the goal in a small group; needed ' || k % 4 || ' prompts and finished ' ||
		60 + k * 4 || '% of the task.', false, now(), DATE '2026-08-18' + k * 7 + g.id_goal % 5,
		CASE WHEN g.unit IS NOT NULL THEN 40 + k * 2 + g.id_goal % 7 END
	FROM goal AS g JOIN student AS st ON st.id_student = g.id_student
	JOIN program AS p ON p.id_program = st.id_program
	CROSS JOIN generate_series(0, 9) AS k
	CROSS JOIN (SELECT array_agg(id_user ORDER BY id_user) AS ids FROM "user"
		WHERE email LIKE '%@bench.test') AS u
	WHERE p.id_school_district = $1`,
	// Vacuumed now, the tables give autovacuum nothing to do while the
	// benchmark measures.
	`VACUUM ANALYZE`,
	`CHECKPOINT`,
}

// The seeded goals' titles and categories, by goal number 1 to 5.
var (
	benchTitles = [6]string{"", "Read a grade-level passage aloud with fewer than three errors",
		"Solve two-step word problems with whole numbers", "Use a calming strategy when frustrated",
		"Keep a weekly calendar of appointments", "Name the feeling using the feelings chart"}
	benchCategories = [6]string{"", "Reading", "Math", "Behavior", "Transition", "Social"}
	benchCodes      = [4]string{"Mastered", "Sufficient", "Insufficient", "Not addressed"}
)

// writeRaw writes, through a bare StreamWriter, the cells the workbook of
// seedBench's district holds on its Goals and Entries sheets, generated in
// memory by the seeding statements' rules and in the sheets' order, and
// returns the file's size. Dates get a date style, as they must to be
// dates; no other cell is styled.
func writeRaw(b *testing.B, goals, entries int) int {
	b.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: new("yyyy-mm-dd")})
	if err != nil {
		b.Fatalf("style: %v", err)
	}
	students := goals / 5
	// The students of each program, as the sheets list them.
	order := make([]int, 0, students)
	for p := range 10 {
		for s := p; s < students; s += 10 {
			order = append(order, s)
		}
	}

	goalSheet := newRawSheet(b, f, "Goals", 18)
	for _, s := range order {
		for _, g := range [5]int{1, 2, 3, 5, 4} {
			goalSheet.add(rawGoal(goalSheet.row, s, g, dateStyle))
		}
	}
	goalSheet.flush()
	entrySheet := newRawSheet(b, f, "Entries", 6)
	for _, s := range order {
		for k := range 10 {
			for g := 1; g <= 5; g++ {
				entrySheet.add(rawEntry(entrySheet.row, s, g, k, dateStyle))
			}
		}
	}
	entrySheet.flush()
	if goalSheet.n != goals || entrySheet.n != entries {
		b.Fatalf("raw wrote %d goals and %d entries, want %d and %d", goalSheet.n, entrySheet.n, goals, entries)
	}

	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		b.Fatalf("write: %v", err)
	}
	return buf.Len()
}

// rawGoal fills row with the Goals cells of goal g of student s.
func rawGoal(row []any, s, g, dateStyle int) []any {
	id := s*5 + g
	clear(row)
	row[0], row[1] = "Bench Unified School District", "Program "+pad(s%10+1, 2)
	row[2], row[3] = "BN-"+pad(s, 7), int32(1+s%4)
	row[4], row[6] = "Goal "+strconv.Itoa(g)+": "+benchTitles[g], benchCategories[g]
	if g == 5 {
		row[5] = "Goal 3: " + benchTitles[3]
	}
	if g <= 2 {
		row[7], row[8], row[9] = "words per minute", 40.0, 90.0
		row[10], row[11] = float64(40+id%50), float64(id%30)/10-1
		row[12] = pick(id%2 == 0, "Yes", "No")
	}
	row[13], row[14] = benchCodes[id%4], pick(id%3 == 0, "Final", "Draft")
	row[15] = int32(10)
	row[16] = excelize.Cell{StyleID: dateStyle, Value: time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)}
	row[17] = "10 entries in Q1 over 8 of 10 weeks, from Aug 18 to Oct 20, by Staff Member " +
		strconv.Itoa(id%50+1) + ". The latest value was " + strconv.Itoa(40+id%50) +
		" words per minute on Oct 20, ahead of the 52.5 planned for that day; values rose about " +
		strconv.FormatFloat(float64(id%30)/10, 'f', 1, 64) + " a week."
	return row
}

// rawEntry fills row with the Entries cells of entry k of goal g of
// student s.
func rawEntry(row []any, s, g, k, dateStyle int) []any {
	id := s*5 + g
	clear(row)
	day := time.Date(2026, 8, 18+k*7+id%5, 0, 0, 0, 0, time.UTC)
	row[0], row[1] = excelize.Cell{StyleID: dateStyle, Value: day}, "BN-"+pad(s, 7)
	row[2], row[3] = "Goal "+strconv.Itoa(g)+": "+benchTitles[g], "Staff Member "+strconv.Itoa(1+(id+k)%50)
	if g <= 2 {
		row[4] = float64(40 + k*2 + id%7)
	}
	row[5] = "Worked on the goal in a small group; needed " + strconv.Itoa(k%4) +
		" prompts and finished " + strconv.Itoa(60+k*4) + "% of the task."
	return row
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", max(width-len(s), 0)) + s
}

// rawSheet streams rows to one sheet under a header.
type rawSheet struct {
	b   *testing.B
	sw  *excelize.StreamWriter
	row []any
	n   int
}

func newRawSheet(b *testing.B, f *excelize.File, name string, columns int) *rawSheet {
	b.Helper()
	if _, err := f.NewSheet(name); err != nil {
		b.Fatalf("sheet: %v", err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		b.Fatalf("stream: %v", err)
	}
	header := make([]any, columns)
	for i := range header {
		header[i] = "Column " + strconv.Itoa(i+1)
	}
	if err := sw.SetRow("A1", header); err != nil {
		b.Fatalf("header: %v", err)
	}
	return &rawSheet{b: b, sw: sw, row: make([]any, columns)}
}

func (r *rawSheet) add(row []any) {
	r.n++
	if err := r.sw.SetRow("A"+strconv.Itoa(r.n+1), row); err != nil {
		r.b.Fatalf("row: %v", err)
	}
}

func (r *rawSheet) flush() {
	if err := r.sw.Flush(); err != nil {
		r.b.Fatalf("flush: %v", err)
	}
}

// memoryWatch samples the Go heap in use every 10 ms.
type memoryWatch struct {
	max  atomic.Uint64
	stop func() uint64
}

// watchMemory starts sampling; stop ends it and returns the largest heap
// seen, peak returns it so far.
func watchMemory() *memoryWatch {
	w := &memoryWatch{}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > w.max.Load() {
				w.max.Store(m.HeapInuse)
			}
			select {
			case <-quit:
				return
			case <-tick.C:
			}
		}
	}()
	w.stop = func() uint64 {
		close(quit)
		<-done
		return w.max.Load()
	}
	return w
}

func (w *memoryWatch) peak() uint64 { return w.max.Load() }

// resetPeakRSS resets the process's peak resident memory (VmHWM) to its
// current size, where Linux allows it.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

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
