package report_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"goaltracker/app/access"
	"goaltracker/app/db"
	"goaltracker/app/db/dbtest"
	"goaltracker/app/problem"
	"goaltracker/app/report"
	"goaltracker/jobs"
)

// reviewWorld is a district with two programs, a student of the first
// with a goal and a sub-goal, each with a draft report for Q1 2026, and
// people in several relationships to the student.
type reviewWorld struct {
	t        *testing.T
	d        *db.DB
	svc      *report.Service
	district int64
	programs [2]int64
	student  int64
	goal     int64
	sub      int64
	report   int64
	// subReport is the sub-goal's report.
	subReport int64
	// primary is the student's primary teacher; assigned another teacher
	// assigned to the student; stranger a teacher of the same program
	// assigned to no one.
	primary, assigned, stranger *access.Principal
}

var teacherGrants = []string{"report.read.assigned", "report.update.primary", "report.finalize.primary"}

func newReviewWorld(t *testing.T) *reviewWorld {
	t.Helper()
	w := &reviewWorld{t: t, d: dbtest.New(t)}
	w.svc = report.NewService(w.d)
	w.district = w.id(`INSERT INTO school_district (name) VALUES ('Review District') RETURNING id_school_district`)
	for i, name := range []string{"Transition", "Learning Support"} {
		w.programs[i] = w.id(`INSERT INTO program (id_school_district, name) VALUES (?, ?) RETURNING id_program`,
			w.district, name)
	}
	w.exec(`INSERT INTO reporting_period (id_school_district, year, period, starts_on, ends_on)
		VALUES (?, 2026, 'Q1', '2026-08-17', '2026-10-25')`, w.district)
	w.student = w.id(`INSERT INTO student (id_program, identifier, program_year) VALUES (?, 'RV-001', 1)
		RETURNING id_student`, w.programs[0])

	w.primary = w.teacher("primary@review.example", true)
	w.assigned = w.teacher("assigned@review.example", false)
	w.stranger = access.NewPrincipal(access.Principal{UserID: w.user("stranger@review.example"),
		DistrictID: w.district, ProgramIDs: []int64{w.programs[0]}}, teacherGrants)

	w.goal = w.id(`INSERT INTO goal (id_student, title, unit) VALUES (?, 'Read a bus schedule', '%')
		RETURNING id_goal`, w.student)
	w.sub = w.id(`INSERT INTO goal (id_student, id_goal_parent, title) VALUES (?, ?, 'Find the stop')
		RETURNING id_goal`, w.student, w.goal)
	w.report = w.addReport(w.goal, "Three entries this period.", "sufficient")
	w.subReport = w.addReport(w.sub, "One entry this period.", "insufficient")
	return w
}

func (w *reviewWorld) id(query string, args ...any) int64 {
	w.t.Helper()
	var id int64
	if err := w.d.QueryRowContext(context.Background(), query, args...).Scan(&id); err != nil {
		w.t.Fatalf("setup %q: %v", query, err)
	}
	return id
}

func (w *reviewWorld) exec(query string, args ...any) {
	w.t.Helper()
	if _, err := w.d.ExecContext(context.Background(), query, args...); err != nil {
		w.t.Fatalf("setup %q: %v", query, err)
	}
}

func (w *reviewWorld) user(email string) int64 {
	return w.id(`INSERT INTO "user" (id_role, id_school_district, email, name)
		SELECT id_role, ?, ?, 'Teacher' FROM role WHERE name = 'teacher' RETURNING id_user`, w.district, email)
}

// teacher adds a teacher assigned to the student, as its primary or not.
func (w *reviewWorld) teacher(email string, isPrimary bool) *access.Principal {
	id := w.user(email)
	w.exec(`INSERT INTO user_student (id_user, id_student, access_level, is_primary)
		VALUES (?, ?, 'editor', ?)`, id, w.student, isPrimary)
	return access.NewPrincipal(access.Principal{UserID: id, DistrictID: w.district,
		ProgramIDs: []int64{w.programs[0]}}, teacherGrants)
}

func (w *reviewWorld) addReport(goalID int64, summary, suggested string) int64 {
	return w.id(`INSERT INTO progress_report (id_student, id_goal, period, year, summary, suggested_code,
		entry_count, generated_at) VALUES (?, ?, 'Q1', 2026, ?, nullif(?, ''), 3, now() - interval '1 hour')
		RETURNING id_progress_report`, w.student, goalID, summary, suggested)
}

// load reads report id as stored.
func (w *reviewWorld) load(id int64) *report.Report {
	w.t.Helper()
	r := new(report.Report)
	if err := w.d.NewSelect().Model(r).Where("id_progress_report = ?", id).Scan(context.Background()); err != nil {
		w.t.Fatalf("load report %d: %v", id, err)
	}
	return r
}

func isInvalid(err error) bool {
	_, ok := problem.AsInvalid(err)
	return ok
}

func TestStudentReportsNestsSubGoals(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	ctx := context.Background()

	review, err := w.svc.StudentReports(ctx, w.primary, w.student, 2026, "Q1")
	if err != nil {
		t.Fatalf("reports: %v", err)
	}
	if review.Identifier != "RV-001" || review.ProgramName != "Transition" || len(review.Items) != 1 {
		t.Fatalf("review = %+v", review)
	}
	top := review.Items[0]
	if top.ID != w.report || top.GoalTitle != "Read a bus schedule" || !top.CanUpdate || !top.CanFinalize {
		t.Errorf("top item = %+v", top)
	}
	if len(top.Children) != 1 || top.Children[0].ID != w.subReport {
		t.Errorf("sub-goal reports = %+v", top.Children)
	}

	assigned, err := w.svc.StudentReports(ctx, w.assigned, w.student, 2026, "Q1")
	if err != nil || assigned.Items[0].CanUpdate || assigned.Items[0].CanFinalize {
		t.Errorf("an assigned teacher: %v, %+v", err, assigned)
	}
	if _, err := w.svc.StudentReports(ctx, w.stranger, w.student, 2026, "Q1"); !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("a teacher not assigned: %v, want not found", err)
	}
	other, err := w.svc.StudentReports(ctx, w.primary, w.student, 2026, "Q2")
	if err != nil || len(other.Items) != 0 {
		t.Errorf("another period: %v, %d items", err, len(other.Items))
	}
}

func TestUpdateSummary(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	ctx := context.Background()
	version := w.load(w.report).GeneratedAt

	tests := []struct {
		name    string
		text    string
		version time.Time
		// check says whether the error is the expected one.
		check func(error) bool
	}{
		{"empty", " \r\n ", version, isInvalid},
		{"too long", strings.Repeat("é", report.MaxSummaryLength+1), version, isInvalid},
		{"stale", "Written from an old copy.", version.Add(-time.Minute),
			func(err error) bool { return errors.Is(err, problem.ErrConflict) }},
	}
	for _, tt := range tests {
		edit := report.SummaryEdit{Text: tt.text, Version: tt.version}
		if _, err := w.svc.UpdateSummary(ctx, w.primary, w.report, edit); !tt.check(err) {
			t.Errorf("%s: unexpected error %v", tt.name, err)
		}
	}
	if got := w.load(w.report); got.IsEdited || got.Summary != "Three entries this period." {
		t.Fatalf("a refused edit changed the report: %+v", got)
	}

	text := strings.Repeat("a", report.MaxSummaryLength-2) + "\r\nb"
	r, err := w.svc.UpdateSummary(ctx, w.primary, w.report, report.SummaryEdit{Text: text, Version: version})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if !r.IsEdited || r.UpdatedBy != w.primary.UserID || !r.GeneratedAt.After(version) ||
		r.Summary != strings.ReplaceAll(text, "\r\n", "\n") {
		t.Errorf("updated report: edited %v, by %d, version %v after %v", r.IsEdited, r.UpdatedBy,
			r.GeneratedAt, version)
	}
}

func TestSummaryEditNeedsPrimary(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	ctx := context.Background()
	edit := report.SummaryEdit{Text: "Mine now.", Version: w.load(w.report).GeneratedAt}

	if _, err := w.svc.UpdateSummary(ctx, w.assigned, w.report, edit); !errors.Is(err, problem.ErrForbidden) {
		t.Errorf("assigned teacher: %v, want forbidden", err)
	}
	if _, err := w.svc.UpdateSummary(ctx, w.stranger, w.report, edit); !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("unassigned teacher: %v, want not found", err)
	}
	if _, err := w.svc.SetCode(ctx, w.stranger, w.report, report.CodeMastered); !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("unassigned teacher's code: %v, want not found", err)
	}
	if _, err := w.svc.Finalize(ctx, w.assigned, w.report); !errors.Is(err, problem.ErrForbidden) {
		t.Errorf("assigned teacher's finalize: %v, want forbidden", err)
	}
}

func TestSetCodeKeepsTheSummaryVersion(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	ctx := context.Background()
	before := w.load(w.report)

	if _, err := w.svc.SetCode(ctx, w.primary, w.report, "excellent"); !isInvalid(err) {
		t.Errorf("unknown code: %v, want invalid", err)
	}

	r, err := w.svc.SetCode(ctx, w.primary, w.report, report.CodeMastered)
	if err != nil {
		t.Fatalf("set code: %v", err)
	}
	if r.ProgressCode != report.CodeMastered || !r.IsEdited || r.UpdatedBy != w.primary.UserID {
		t.Errorf("report after set code = %+v", r)
	}
	if !r.GeneratedAt.Equal(before.GeneratedAt) {
		t.Errorf("version moved from %v to %v", before.GeneratedAt, r.GeneratedAt)
	}
	edit := report.SummaryEdit{Text: "Still saves.", Version: before.GeneratedAt}
	if _, err := w.svc.UpdateSummary(ctx, w.primary, w.report, edit); err != nil {
		t.Errorf("a summary edit started before the code change: %v", err)
	}
}

func TestFinalizeLocksTheReport(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	ctx := context.Background()
	version := w.load(w.report).GeneratedAt

	r, err := w.svc.Finalize(ctx, w.primary, w.report)
	if err != nil {
		t.Fatalf("finalize: %v", err)
	}
	if r.Status != report.StatusFinal || r.FinalizedAt.IsZero() || r.ProgressCode != "sufficient" ||
		r.UpdatedBy != w.primary.UserID {
		t.Errorf("final report = %+v", r)
	}

	edit := report.SummaryEdit{Text: "Too late.", Version: version}
	_, err = w.svc.UpdateSummary(ctx, w.primary, w.report, edit)
	if !errors.Is(err, report.ErrFinal) || !errors.Is(err, problem.ErrConflict) {
		t.Errorf("edit of a final report: %v, want final and conflict", err)
	}
	if _, err := w.svc.SetCode(ctx, w.primary, w.report, report.CodeMastered); !errors.Is(err, report.ErrFinal) {
		t.Errorf("code of a final report: %v, want final", err)
	}
	if _, err := w.svc.Finalize(ctx, w.primary, w.report); !errors.Is(err, report.ErrFinal) {
		t.Errorf("second finalize: %v, want final", err)
	}
	if got := w.load(w.report); got.Summary != "Three entries this period." || got.ProgressCode != "sufficient" {
		t.Errorf("a final report changed: %+v", got)
	}
}

func TestFinalizeNeedsACodeAndASummary(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	ctx := context.Background()
	bare := w.addReport(w.id(`INSERT INTO goal (id_student, title) VALUES (?, 'Tie shoes') RETURNING id_goal`,
		w.student), "Nothing measured.", "")

	_, err := w.svc.Finalize(ctx, w.primary, bare)
	if inv, ok := problem.AsInvalid(err); !ok || !strings.Contains(inv.Form, "progress code") {
		t.Errorf("finalize without a code: %v", err)
	}
	w.exec(`UPDATE progress_report SET summary = NULL, progress_code = 'mastered' WHERE id_progress_report = ?`, bare)
	_, err = w.svc.Finalize(ctx, w.primary, bare)
	if inv, ok := problem.AsInvalid(err); !ok || !strings.Contains(inv.Form, "summary") {
		t.Errorf("finalize without a summary: %v", err)
	}
}

func TestOverviewAndScopes(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	ctx := context.Background()
	w.exec(`UPDATE progress_report SET status = 'final' WHERE id_progress_report = ?`, w.subReport)
	admin := access.NewPrincipal(access.Principal{UserID: 1, DistrictID: w.district},
		[]string{"report.read.district", "report.compile.district"})
	programAdmin := access.NewPrincipal(access.Principal{UserID: 1, DistrictID: w.district,
		ProgramIDs: []int64{w.programs[1]}}, []string{"report.read.program", "report.compile.program"})
	period := report.Period{Code: "Q1", Year: 2026}

	rows, err := w.svc.Overview(ctx, admin, period)
	if err != nil || len(rows) != 2 {
		t.Fatalf("district overview: %v, %+v", err, rows)
	}
	// Ordered by name: Learning Support, then Transition.
	if tr := rows[1]; tr.ProgramName != "Transition" || tr.Goals != 2 || tr.Drafts != 1 || tr.Finals != 1 ||
		tr.FinalPercent() != 50 {
		t.Errorf("Transition = %+v", tr)
	}
	mine, err := w.svc.Overview(ctx, programAdmin, period)
	if err != nil || len(mine) != 1 || mine[0].ProgramName != "Learning Support" || mine[0].Goals != 0 {
		t.Errorf("program admin's overview: %v, %+v", err, mine)
	}
	teacher, err := w.svc.Overview(ctx, w.primary, period)
	if err != nil || len(teacher) != 1 || teacher[0].Goals != 2 {
		t.Errorf("teacher's overview: %v, %+v", err, teacher)
	}

	scope := report.Scope{DistrictID: w.district, ProgramID: w.programs[0], Year: 2026, Period: "Q1"}
	if report.CanSeeScope(programAdmin, scope) || report.CanCompile(programAdmin, scope) {
		t.Error("a program admin may follow another program's compile")
	}
	if !report.CanCompile(admin, report.Scope{DistrictID: w.district}) {
		t.Error("a district admin may not compile the district")
	}
}

func TestRequestCompile(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	ctx := context.Background()
	inserter, err := jobs.NewInserter(w.d.SQL())
	if err != nil {
		t.Fatalf("inserter: %v", err)
	}
	enqueue := func(ctx context.Context, tx *sql.Tx, s report.Scope) (int64, bool, error) {
		res, err := inserter.InsertTx(ctx, tx, jobs.CompileArgs{DistrictID: s.DistrictID, ProgramID: s.ProgramID,
			Year: s.Year, Period: s.Period}, nil)
		if err != nil {
			return 0, false, err
		}
		return res.Job.ID, res.UniqueSkippedAsDuplicate, nil
	}
	programAdmin := access.NewPrincipal(access.Principal{UserID: 1, DistrictID: w.district,
		ProgramIDs: []int64{w.programs[0]}}, []string{"report.read.program", "report.compile.program"})
	mine := report.Scope{DistrictID: w.district, ProgramID: w.programs[0], Year: 2026, Period: "Q1"}

	refused := []struct {
		name  string
		scope report.Scope
		check func(error) bool
	}{
		{"another program", report.Scope{DistrictID: w.district, ProgramID: w.programs[1], Year: 2026,
			Period: "Q1"}, func(err error) bool { return errors.Is(err, problem.ErrNotFound) }},
		{"the district", report.Scope{DistrictID: w.district, Year: 2026, Period: "Q1"},
			func(err error) bool { return errors.Is(err, problem.ErrForbidden) }},
		{"a period not in the calendar", report.Scope{DistrictID: w.district, ProgramID: w.programs[0],
			Year: 2026, Period: "Q3"}, isInvalid},
	}
	for _, tt := range refused {
		if _, err := w.svc.RequestCompile(ctx, programAdmin, tt.scope, enqueue); !tt.check(err) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}

	first, err := w.svc.RequestCompile(ctx, programAdmin, mine, enqueue)
	if err != nil || first.IsDuplicate {
		t.Fatalf("first request: %+v, %v", first, err)
	}
	second, err := w.svc.RequestCompile(ctx, programAdmin, mine, enqueue)
	if err != nil || !second.IsDuplicate || second.JobID != first.JobID {
		t.Errorf("second request: %+v, %v; first was job %d", second, err, first.JobID)
	}
	// The compile that was queued is audited once; the duplicate is not.
	var audited int
	if err := w.d.QueryRowContext(ctx, `SELECT count(*) FROM audit_event WHERE action = 'compile_requested'
		AND record_id = ? AND details->>'period' = 'Q1'`, first.JobID).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("compile requests audited: %d, %v; want 1", audited, err)
	}

	st, err := w.svc.Job(ctx, programAdmin, first.JobID)
	if err != nil || st.Run != nil || st.State != "available" || st.ProgramName != "Transition" {
		t.Errorf("queued job: %+v, %v", st, err)
	}
	other := access.NewPrincipal(access.Principal{UserID: 1, DistrictID: w.district,
		ProgramIDs: []int64{w.programs[1]}}, []string{"report.read.program"})
	if _, err := w.svc.Job(ctx, other, first.JobID); !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("another program's admin follows the job: %v", err)
	}
}
