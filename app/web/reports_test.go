package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"goaltracker/app/report"
	"goaltracker/jobs"
)

// reportsDesk is a district with two programs and a Q1 2026 calendar, a
// student of the first program with a measurable goal, a sub-goal and a
// draft report of each, and its primary teacher, a program admin of each
// program and a district admin. Nobody is signed in.
type reportsDesk struct {
	*testApp
	programs                    [2]int64
	district                    int64
	teacher, districtAdmin      int64
	programAdmins               [2]int64
	student, goal, sub          int64
	report, subReport           int64
	reviewPath, printPath, page string
}

func newReportsDesk(t *testing.T) *reportsDesk {
	t.Helper()
	a := newTestApp(t)
	d := &reportsDesk{testApp: a}
	d.programs[0], d.programs[1] = a.seedPrograms()
	d.district = a.districtOf(d.programs[0])
	a.exec(`INSERT INTO reporting_period (id_school_district, year, period, starts_on, ends_on) VALUES
		(?, 2026, 'Q1', '2026-08-17', '2026-10-25'), (?, 2026, 'Q2', '2026-10-26', '2027-01-03')`,
		d.district, d.district)
	// The clock sits in Q1, so that pages without a period show Q1.
	a.srv.now = func() time.Time { return time.Date(2026, 9, 15, 10, 0, 0, 0, time.UTC) }

	d.teacher = a.addUser("teacher@reports.example", "teacher", d.district, "unused password 1", d.programs[0])
	d.districtAdmin = a.addUser("admin@reports.example", "district_admin", d.district, "unused password 1")
	for i, p := range d.programs {
		d.programAdmins[i] = a.addUser(fmt.Sprintf("padmin%d@reports.example", i), "program_admin",
			d.district, "unused password 1", p)
	}

	d.student = d.insert(`INSERT INTO student (id_program, identifier, program_year) VALUES (?, 'RP-001', 1)
		RETURNING id_student`, d.programs[0])
	a.exec(`INSERT INTO user_student (id_user, id_student, access_level, is_primary)
		VALUES (?, ?, 'editor', true)`, d.teacher, d.student)
	d.goal = d.insert(`INSERT INTO goal (id_student, id_user_created, title, unit, baseline_value,
		target_value, created_at) VALUES (?, ?, 'Read a bus schedule', '% accuracy', 40, 80, '2026-08-20')
		RETURNING id_goal`, d.student, d.teacher)
	d.sub = d.insert(`INSERT INTO goal (id_student, id_goal_parent, id_user_created, title)
		VALUES (?, ?, ?, 'Find the stop') RETURNING id_goal`, d.student, d.goal, d.teacher)
	for i, v := range []int{45, 55} {
		a.exec(`INSERT INTO progress_event (id_student, id_goal, id_user_created, content, value, occurred_on)
			VALUES (?, ?, ?, 'Practised', ?, ?)`, d.student, d.goal, d.teacher, v,
			fmt.Sprintf("2026-09-%02d", 1+7*i))
	}
	d.report = d.addReport(d.goal, "Two entries; accuracy rose from 45 to 55.", "sufficient")
	d.subReport = d.addReport(d.sub, "One entry this period.", "insufficient")

	d.reviewPath = fmt.Sprintf("/students/%d/reports?period=Q1&year=2026", d.student)
	d.printPath = fmt.Sprintf("/students/%d/reports/print?period=Q1&year=2026", d.student)
	d.page = "/reports?period=Q1&year=2026"
	return d
}

func (d *reportsDesk) insert(query string, args ...any) int64 {
	d.t.Helper()
	var id int64
	if err := d.db.QueryRowContext(context.Background(), query, args...).Scan(&id); err != nil {
		d.t.Fatalf("setup %q: %v", query, err)
	}
	return id
}

func (d *reportsDesk) addReport(goal int64, summary, suggested string) int64 {
	return d.insert(`INSERT INTO progress_report (id_student, id_goal, period, year, summary, suggested_code,
		entry_count, first_entry_on, last_entry_on, authors, latest_value, weekly_trend, on_track)
		VALUES (?, ?, 'Q1', 2026, ?, ?, 2, '2026-09-01', '2026-09-08', 'Test teacher', 55, 10, true)
		RETURNING id_progress_report`, d.student, goal, summary, suggested)
}

// count runs a count query.
func (d *reportsDesk) count(query string, args ...any) int {
	d.t.Helper()
	var n int
	if err := d.db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		d.t.Fatalf("count %q: %v", query, err)
	}
	return n
}

func (d *reportsDesk) compileJobs() int {
	return d.count(`SELECT count(*) FROM river_job WHERE kind = 'report_compile'`)
}

func (d *reportsDesk) reportVersion(id int64) string {
	d.t.Helper()
	var v time.Time
	err := d.db.QueryRowContext(context.Background(),
		`SELECT generated_at FROM progress_report WHERE id_progress_report = ?`, id).Scan(&v)
	if err != nil {
		d.t.Fatalf("report version: %v", err)
	}
	return versionString(v)
}

// jobID reads the job id out of a progress fragment.
func jobID(t *testing.T, body string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, `id="job-`)
	if !ok {
		t.Fatalf("no job in:\n%s", shorten(body))
	}
	id, _, _ := strings.Cut(rest, `"`)
	return id
}

func TestCompileKindMatchesTheJob(t *testing.T) {
	t.Parallel()
	if got := (jobs.CompileArgs{}).Kind(); got != report.CompileKind {
		t.Errorf("jobs kind %q, report.CompileKind %q", got, report.CompileKind)
	}
}

func TestReportsPage(t *testing.T) {
	t.Parallel()
	d := newReportsDesk(t)

	d.signIn(d.districtAdmin)
	for _, headers := range [][]string{nil, htmx} {
		res := d.get(d.page, headers...)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("page with headers %v = %d", headers, res.StatusCode)
		}
		mustContain(t, res.body, "<!doctype html>", `href="/reports" aria-current="page"`,
			"Quarter 1 of 2026-27", "Transition", "Learning Support", "Compile now", "Compile the whole district",
			`hx-post="/reports/compile"`, `name="program" value="`+itoa(d.programs[0]), "No compile has run yet")
	}
	// Without a period the page shows the current quarter.
	mustContain(t, d.get("/reports").body, "Quarter 1 of 2026-27 (Aug 17, 2026 to Oct 25, 2026)")
	if res := d.get("/reports?period=Q4&year=2026"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a period not in the calendar = %d, want 422", res.StatusCode)
	}

	d.signIn(d.programAdmins[1])
	res := d.get(d.page)
	mustContain(t, res.body, "Learning Support", "Compile now")
	mustNotContain(t, res.body, "Transition", "Compile the whole district")

	d.signIn(d.teacher)
	res = d.get(d.page)
	mustContain(t, res.body, "Transition")
	mustNotContain(t, res.body, "Compile now", `href="/reports"`)
}

func TestCompileNowQueuesOneJobPerScope(t *testing.T) {
	t.Parallel()
	d := newReportsDesk(t)
	d.signIn(d.programAdmins[0])
	form := []string{"period", "Q1", "year", "2026", "program", itoa(d.programs[0])}

	first := d.postHTMX("/reports/compile", form...)
	if first.StatusCode != http.StatusOK {
		t.Fatalf("compile = %d:\n%s", first.StatusCode, first.body)
	}
	mustContain(t, first.body, "Waiting for a worker", `hx-trigger="every 1s"`)
	mustNotContain(t, first.body, "<html", "Already under way")
	if n := d.compileJobs(); n != 1 {
		t.Fatalf("%d compile jobs after one click, want 1", n)
	}

	second := d.postHTMX("/reports/compile", form...)
	mustContain(t, second.body, "Already under way", `id="job-`+jobID(t, first.body)+`"`)
	plain := d.post("/reports/compile", form...)
	if plain.StatusCode != http.StatusSeeOther || plain.Header.Get("Location") != "/reports/jobs/"+jobID(t, first.body) {
		t.Errorf("compile without htmx = %d to %q", plain.StatusCode, plain.Header.Get("Location"))
	}
	if n := d.compileJobs(); n != 1 {
		t.Errorf("%d compile jobs after three clicks while queued, want 1", n)
	}

	// Refused scopes queue nothing.
	other := d.postHTMX("/reports/compile", "period", "Q1", "year", "2026", "program", itoa(d.programs[1]))
	district := d.postHTMX("/reports/compile", "period", "Q1", "year", "2026")
	if other.StatusCode != http.StatusNotFound || district.StatusCode != http.StatusForbidden {
		t.Errorf("another program = %d, the district = %d; want 404 and 403", other.StatusCode, district.StatusCode)
	}
	if res := d.postHTMX("/reports/compile", "period", "Q9", "year", "2026"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown period = %d, want 422", res.StatusCode)
	}

	d.signIn(d.districtAdmin)
	if res := d.postHTMX("/reports/compile", "period", "Q1", "year", "2026"); res.StatusCode != http.StatusOK {
		t.Errorf("district compile = %d", res.StatusCode)
	}
	if n := d.compileJobs(); n != 2 {
		t.Errorf("%d compile jobs after a district compile, want 2", n)
	}
}

func TestCompileJobProgress(t *testing.T) {
	t.Parallel()
	d := newReportsDesk(t)
	d.signIn(d.programAdmins[0])
	id := jobID(t, d.postHTMX("/reports/compile", "period", "Q1", "year", "2026",
		"program", itoa(d.programs[0])).body)
	path := "/reports/jobs/" + id

	waiting := d.get(path, htmx...)
	mustContain(t, waiting.body, "Waiting for a worker", `hx-trigger="every 1s"`)
	mustNotContain(t, waiting.body, "<html")
	page := d.get(path)
	mustContain(t, page.body, "<!doctype html>", "Compile of Quarter 1 of 2026-27, Transition", "Waiting for a worker")

	// A worker has started: it records its run.
	d.exec(`UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now() WHERE id = ?`, id)
	d.exec(`INSERT INTO report_compile (id_job, id_school_district, id_program, year, period, state,
		students_total, students_done, started_at) VALUES (?, ?, ?, 2026, 'Q1', 'running', 4, 1,
		now() - interval '3 seconds')`, id, d.district, d.programs[0])
	running := d.get(path, htmx...)
	mustContain(t, running.body, `<progress id="job-`+id+`-bar" max="100" value="25">`, "25% · 1 of 4 students",
		`hx-trigger="every 1s"`)

	d.exec(`UPDATE report_compile SET state = 'done', students_done = 4, goals_written = 9,
		finished_at = started_at + interval '2 seconds' WHERE id_job = ?`, id)
	done := d.get(path, htmx...)
	mustContain(t, done.body, `value="100"`, "Compiled 9 goal reports for 4 students in 2.0 s",
		`href="/reports?period=Q1&amp;year=2026"`, "Reload the overview")
	mustNotContain(t, done.body, "hx-trigger")

	history := d.get(d.page)
	mustContain(t, history.body, "Recent compiles", "Q1 2026-27", "4 of 4", "2.0 s")

	// Only those who may see the job's program may follow it.
	d.signIn(d.programAdmins[1])
	if res := d.get(path, htmx...); res.StatusCode != http.StatusNotFound {
		t.Errorf("another program's admin = %d, want 404", res.StatusCode)
	}
	d.signIn(d.teacher)
	if res := d.get(path, htmx...); res.StatusCode != http.StatusNotFound {
		t.Errorf("a teacher = %d, want 404", res.StatusCode)
	}
}

func TestFailedCompileShowsItsError(t *testing.T) {
	t.Parallel()
	d := newReportsDesk(t)
	d.signIn(d.districtAdmin)
	id := jobID(t, d.postHTMX("/reports/compile", "period", "Q1", "year", "2026").body)

	d.exec(`INSERT INTO report_compile (id_job, id_school_district, year, period, state, students_total,
		error, finished_at) VALUES (?, ?, 2026, 'Q1', 'failed', 4, 'load period: <timeout>', now())`, id, d.district)
	d.exec(`UPDATE river_job SET state = 'discarded', attempt = 5, finalized_at = now() WHERE id = ?`, id)
	res := d.get("/reports/jobs/"+id, htmx...)
	mustContain(t, res.body, "The compile failed: load period: &lt;timeout&gt;")
	mustNotContain(t, res.body, "hx-trigger")
	mustContain(t, d.get(d.page).body, "Whole district", "failed", "load period: &lt;timeout&gt;")
}

func TestStudentReportsTab(t *testing.T) {
	t.Parallel()
	d := newReportsDesk(t)
	d.signIn(d.teacher)

	student := d.get(fmt.Sprintf("/students/%d", d.student))
	mustContain(t, student.body, fmt.Sprintf(`href="/students/%d/reports"`, d.student))

	for _, headers := range [][]string{nil, htmx} {
		res := d.get(d.reviewPath, headers...)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("tab with headers %v = %d", headers, res.StatusCode)
		}
		mustContain(t, res.body, "Reports for RP-001", "Read a bus schedule", "Find the stop",
			`class="report-list sub-reports"`, "Two entries; accuracy rose from 45 to 55.",
			`<option value="sufficient" selected>Making sufficient progress</option>`,
			"Suggested by the numbers: Not yet sufficient progress", "Sep 1, 2026 to Sep 8, 2026",
			"55 % accuracy", "+10 % accuracy per week", "Draft", "Finalize",
			fmt.Sprintf(`hx-get="/reports/%d/summary/edit"`, d.report), "Printable report for families")
	}
	empty := d.get(fmt.Sprintf("/students/%d/reports?period=Q2&year=2026", d.student))
	mustContain(t, empty.body, "No reports for this period yet")

	// Others see the reports but may not change them.
	d.signIn(d.programAdmins[0])
	res := d.get(d.reviewPath)
	mustContain(t, res.body, "Two entries; accuracy rose")
	mustNotContain(t, res.body, "Finalize", "/summary/edit", "Set code")
	d.signIn(d.programAdmins[1])
	if res := d.get(d.reviewPath); res.StatusCode != http.StatusNotFound {
		t.Errorf("another program's admin = %d, want 404", res.StatusCode)
	}
}

func TestReportSummaryEdit(t *testing.T) {
	t.Parallel()
	d := newReportsDesk(t)
	d.signIn(d.teacher)
	path := fmt.Sprintf("/reports/%d/summary", d.report)

	edit := d.get(path+"/edit", htmx...)
	mustContain(t, edit.body, `<form id="report-`, `name="version"`, `maxlength="4000"`, "Two entries;")
	if res := d.get(path + "/edit"); res.StatusCode != http.StatusSeeOther ||
		!strings.HasSuffix(res.Header.Get("Location"), fmt.Sprintf("#report-%d", d.report)) {
		t.Errorf("edit without htmx = %d to %q", res.StatusCode, res.Header.Get("Location"))
	}

	empty := d.postHTMX(path, "value", "  ", "version", d.reportVersion(d.report))
	if empty.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("an empty summary = %d, want 422", empty.StatusCode)
	}
	mustContain(t, empty.body, "Write a summary.", `aria-invalid="true"`)
	if res := d.post(path, "value", "", "version", d.reportVersion(d.report)); res.StatusCode !=
		http.StatusUnprocessableEntity || !strings.Contains(res.body, "Write a summary.") {
		t.Errorf("an empty summary without htmx = %d", res.StatusCode)
	}
	long := d.postHTMX(path, "value", strings.Repeat("x", 4001), "version", d.reportVersion(d.report))
	mustContain(t, long.body, "Keep the summary to 4000 characters")

	stale := d.reportVersion(d.report)
	saved := d.postHTMX(path, "value", "Reads the timetable with help.", "version", stale)
	if saved.StatusCode != http.StatusOK {
		t.Fatalf("save = %d:\n%s", saved.StatusCode, saved.body)
	}
	mustContain(t, saved.body, "Reads the timetable with help.", "data-focus", `hx-swap-oob="true"`,
		"Edited by staff")
	mustNotContain(t, saved.body, "<form")
	if n := d.count(`SELECT count(*) FROM progress_report WHERE id_progress_report = ? AND is_edited
		AND updated_by = ?`, d.report, d.teacher); n != 1 {
		t.Error("the saved summary is not marked edited by the teacher")
	}

	conflict := d.postHTMX(path, "value", "Written from the old copy.", "version", stale)
	if conflict.StatusCode != http.StatusConflict {
		t.Fatalf("a stale save = %d, want 409", conflict.StatusCode)
	}
	mustContain(t, conflict.body, "Someone else changed this", "Reads the timetable with help.",
		"Written from the old copy.", "Apply mine anyway")

	plain := d.post(path, "value", "Saved without JavaScript.", "version", d.reportVersion(d.report))
	if plain.StatusCode != http.StatusSeeOther {
		t.Errorf("save without htmx = %d, want a redirect to the tab", plain.StatusCode)
	}
	mustContain(t, d.get(path, htmx...).body, "Saved without JavaScript.")
	if res := d.get(path); res.StatusCode != http.StatusSeeOther {
		t.Errorf("summary without htmx = %d, want a redirect to the tab", res.StatusCode)
	}
}

func TestReportCodeAndFinalize(t *testing.T) {
	t.Parallel()
	d := newReportsDesk(t)
	d.signIn(d.teacher)
	base := fmt.Sprintf("/reports/%d", d.report)

	code := d.postHTMX(base+"/code", "code", "mastered")
	if code.StatusCode != http.StatusOK {
		t.Fatalf("set code = %d:\n%s", code.StatusCode, code.body)
	}
	mustContain(t, code.body, `<option value="mastered" selected>Mastered</option>`, "Saved", "Edited by staff")
	if n := d.count(`SELECT count(*) FROM progress_report WHERE id_progress_report = ? AND is_edited
		AND progress_code = 'mastered'`, d.report); n != 1 {
		t.Error("the code change is not stored as an edit")
	}
	if res := d.postHTMX(base+"/code", "code", "brilliant"); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "Choose one of the progress codes.") {
		t.Errorf("an unknown code = %d", res.StatusCode)
	}
	if res := d.post(base+"/code", "code", "sufficient"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("set code without htmx = %d, want a redirect", res.StatusCode)
	}

	final := d.postHTMX(base + "/finalize")
	if final.StatusCode != http.StatusOK {
		t.Fatalf("finalize = %d:\n%s", final.StatusCode, final.body)
	}
	mustContain(t, final.body, `class="report-card is-final"`, "Final", "Making sufficient progress")
	mustNotContain(t, final.body, "<form", "hx-get")

	// A final report refuses every later change, and says why.
	late := d.postHTMX(base+"/summary", "value", "Too late.", "version", d.reportVersion(d.report))
	if late.StatusCode != http.StatusConflict || late.Header.Get("HX-Retarget") != fmt.Sprintf("#report-%d", d.report) {
		t.Errorf("edit of a final report = %d, retarget %q", late.StatusCode, late.Header.Get("HX-Retarget"))
	}
	mustContain(t, late.body, "This report is final; it can no longer be changed.")
	if res := d.postHTMX(base+"/code", "code", "mastered"); res.StatusCode != http.StatusConflict {
		t.Errorf("code of a final report = %d, want 409", res.StatusCode)
	}
	if res := d.get(base+"/summary/edit", htmx...); res.StatusCode != http.StatusConflict {
		t.Errorf("edit form of a final report = %d, want 409", res.StatusCode)
	}
	plain := d.post(base+"/summary", "value", "Too late.", "version", d.reportVersion(d.report))
	if plain.StatusCode != http.StatusConflict {
		t.Errorf("edit of a final report without htmx = %d, want 409", plain.StatusCode)
	}
	mustContain(t, plain.body, "<!doctype html>", "This report is final", "Reports for RP-001")
	if n := d.count(`SELECT count(*) FROM progress_report WHERE id_progress_report = ?
		AND summary = 'Two entries; accuracy rose from 45 to 55.'`, d.report); n != 1 {
		t.Error("a final report's summary changed")
	}

	// A report without a code cannot be finalized.
	d.exec(`UPDATE progress_report SET suggested_code = NULL WHERE id_progress_report = ?`, d.subReport)
	res := d.postHTMX(fmt.Sprintf("/reports/%d/finalize", d.subReport))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("finalize without a code = %d, want 422", res.StatusCode)
	}
	mustContain(t, res.body, "Choose a progress code before finalizing.")
	d.post(fmt.Sprintf("/reports/%d/code", d.subReport), "code", "insufficient")
	if res := d.post(fmt.Sprintf("/reports/%d/finalize", d.subReport)); res.StatusCode != http.StatusSeeOther {
		t.Errorf("finalize without htmx = %d, want a redirect to the tab", res.StatusCode)
	}
	if n := d.count(`SELECT count(*) FROM progress_report WHERE id_progress_report = ? AND status = 'final'
		AND finalized_at IS NOT NULL AND updated_by = ?`, d.subReport, d.teacher); n != 1 {
		t.Error("finalizing without htmx left the report a draft")
	}
}

func TestPrintableReport(t *testing.T) {
	t.Parallel()
	d := newReportsDesk(t)
	d.exec(`UPDATE progress_report SET summary = ?, status = 'final', progress_code = 'mastered'
		WHERE id_progress_report = ?`, `Reads <script>alert(1)</script> & "more"`, d.report)
	d.signIn(d.teacher)

	for _, headers := range [][]string{nil, htmx} {
		res := d.get(d.printPath, headers...)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("print with headers %v = %d", headers, res.StatusCode)
		}
		mustContain(t, res.body, "Progress report", "RP-001", "Transition",
			"Quarter 1 of 2026-27, Aug 17, 2026 to Oct 25, 2026", "Print command",
			"Reads &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;more&#34;", "Mastered",
			"Not yet sufficient progress", "(not final yet)", `role="img"`, "Find the stop")
		mustNotContain(t, res.body, "<script>alert", "style=")
	}

	d.signIn(d.programAdmins[1])
	if res := d.get(d.printPath); res.StatusCode != http.StatusNotFound {
		t.Errorf("another program's admin = %d, want 404", res.StatusCode)
	}
}
