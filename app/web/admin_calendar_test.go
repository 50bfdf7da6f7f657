package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// calendarApp is settingsApp on a clock in the 2026-27 school year, with
// district A's Q1 and S1 of 2026 and district B's Q1 of 2026. It returns
// A's Q1 and B's Q1.
func calendarApp(t *testing.T) (a *testApp, q1, farQ1 int64) {
	t.Helper()
	a, first, _, far := settingsApp(t)
	a.srv.now = func() time.Time { return time.Date(2026, time.December, 3, 12, 0, 0, 0, time.UTC) }
	insert := `INSERT INTO reporting_period (id_school_district, year, period, starts_on, ends_on)
		VALUES (?, 2026, ?, ?, ?) RETURNING id_reporting_period`
	if err := a.db.QueryRow(insert, a.districtOf(first), "Q1", "2026-08-17", "2026-10-25").Scan(&q1); err != nil {
		t.Fatalf("Q1: %v", err)
	}
	a.exec(`INSERT INTO reporting_period (id_school_district, year, period, starts_on, ends_on)
		VALUES (?, 2026, 'S1', '2026-08-17', '2027-01-03')`, a.districtOf(first))
	if err := a.db.QueryRow(insert, a.districtOf(far), "Q1", "2026-08-17", "2026-10-25").Scan(&farQ1); err != nil {
		t.Fatalf("far Q1: %v", err)
	}
	return a, q1, farQ1
}

func TestCalendarPageGroupsPeriodsBySchoolYear(t *testing.T) {
	t.Parallel()
	a, q1, _ := calendarApp(t)

	res := a.get("/admin/calendar")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("calendar = %d", res.StatusCode)
	}
	mustContain(t, res.body, "School year 2026-27", fmt.Sprintf(`id="period-%d"`, q1), "2026-10-25",
		"Add a period", "Add the default calendar", `hx-confirm="Delete Q1 2026-27 from the calendar?"`)
}

func TestAddPeriod(t *testing.T) {
	t.Parallel()
	a, _, _ := calendarApp(t)

	res := a.postHTMX("/admin/calendar/periods", "year", "2026", "code", "Q2",
		"starts_on", "2026-10-26", "ends_on", "2027-01-03")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("add = %d:\n%s", res.StatusCode, shorten(res.body))
	}
	mustContain(t, res.body, `id="calendar"`, "2027-01-03")
	mustNotContain(t, res.body, "<html")
	if n := a.count(`SELECT count(*) FROM audit_event WHERE action = 'calendar_changed'
		AND details->>'change' = 'added' AND details->>'period' = 'Q2'`); n != 1 {
		t.Errorf("%d calendar_changed events", n)
	}
	plain := a.post("/admin/calendar/periods", "year", "2026", "code", "Q3",
		"starts_on", "2027-01-04", "ends_on", "2027-03-14")
	if plain.StatusCode != http.StatusSeeOther {
		t.Errorf("plain add = %d, want 303", plain.StatusCode)
	}
}

func TestAddPeriodRefusesBadInput(t *testing.T) {
	t.Parallel()
	a, _, _ := calendarApp(t)
	for _, tc := range []struct {
		code, starts, ends, want string
	}{
		{"Q9", "2026-10-26", "2027-01-03", "Choose Q1, Q2, Q3, Q4, S1 or S2."},
		{"Q2", "2026-13-01", "2027-01-03", "Enter the first day as a date"},
		{"Q2", "2026-10-26", "", "Enter the last day as a date"},
		{"Q2", "2027-01-03", "2026-10-26", "cannot come before the first"},
		{"Q2", "2026-06-01", "2026-10-01", "between Jul 1, 2026 and Aug 31, 2027"},
		{"Q2", "2026-10-20", "2027-01-03", "These dates overlap Q1"},
		{"S2", "2026-12-01", "2027-05-21", "These dates overlap S1"},
		{"q1", "2027-03-01", "2027-05-21", "2026-27 already has Q1."},
	} {
		res := a.postHTMX("/admin/calendar/periods", "year", "2026", "code", tc.code,
			"starts_on", tc.starts, "ends_on", tc.ends)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s %s..%s = %d, want 422", tc.code, tc.starts, tc.ends, res.StatusCode)
			continue
		}
		mustContain(t, res.body, tc.want, `value="`+tc.starts+`"`)
	}
	// A quarter may overlap a semester.
	res := a.postHTMX("/admin/calendar/periods", "year", "2026", "code", "Q2",
		"starts_on", "2026-10-26", "ends_on", "2027-01-03")
	if res.StatusCode != http.StatusOK {
		t.Errorf("a quarter inside a semester = %d", res.StatusCode)
	}
	if res := a.postHTMX("/admin/calendar/periods", "year", "twenty", "code", "Q3",
		"starts_on", "2027-01-04", "ends_on", "2027-03-14"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a bad year = %d, want 422", res.StatusCode)
	}
}

func TestEditPeriodDatesInPlace(t *testing.T) {
	t.Parallel()
	a, q1, farQ1 := calendarApp(t)
	url := fmt.Sprintf("/admin/calendar/periods/%d", q1)

	edit := a.get(url+"/edit", htmx...)
	if edit.StatusCode != http.StatusOK {
		t.Fatalf("edit = %d", edit.StatusCode)
	}
	mustContain(t, edit.body, `type="date"`, `value="2026-08-17"`)
	mustNotContain(t, edit.body, "<html")
	if page := a.get(url + "/edit"); page.StatusCode != http.StatusOK || !strings.Contains(page.body, "<html") {
		t.Errorf("edit without htmx = %d, want the page", page.StatusCode)
	}

	res := a.postHTMX(url, "starts_on", "2026-08-24", "ends_on", "2026-10-30")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("save = %d:\n%s", res.StatusCode, shorten(res.body))
	}
	mustContain(t, res.body, "2026-08-24", "Edit dates")
	if n := a.count(`SELECT count(*) FROM reporting_period WHERE id_reporting_period = ? AND starts_on = '2026-08-24'`, q1); n != 1 {
		t.Error("dates not saved")
	}

	bad := a.postHTMX(url, "starts_on", "2026-08-24", "ends_on", "2028-01-01")
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad dates = %d, want 422", bad.StatusCode)
	}
	mustContain(t, bad.body, `value="2028-01-01"`, "Keep the dates of 2026-27")

	for _, path := range []string{fmt.Sprintf("/admin/calendar/periods/%d/edit", farQ1), "/admin/calendar/periods/0/edit"} {
		if res := a.get(path, htmx...); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, res.StatusCode)
		}
	}
	if res := a.postHTMX(fmt.Sprintf("/admin/calendar/periods/%d", farQ1), "starts_on", "2026-08-24",
		"ends_on", "2026-10-30"); res.StatusCode != http.StatusNotFound {
		t.Errorf("editing another district's period = %d, want 404", res.StatusCode)
	}
}

func TestDeletePeriod(t *testing.T) {
	t.Parallel()
	a, q1, farQ1 := calendarApp(t)
	url := fmt.Sprintf("/admin/calendar/periods/%d/delete", q1)

	ask := a.post(url)
	if ask.StatusCode != http.StatusOK {
		t.Fatalf("unconfirmed delete = %d", ask.StatusCode)
	}
	mustContain(t, ask.body, "Delete Q1 2026-27?", `name="confirm" value="yes"`)
	if n := a.count(`SELECT count(*) FROM reporting_period WHERE id_reporting_period = ?`, q1); n != 1 {
		t.Fatal("deleted without confirmation")
	}
	if res := a.postHTMX(fmt.Sprintf("/admin/calendar/periods/%d/delete", farQ1), "confirm", "yes"); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleting another district's period = %d, want 404", res.StatusCode)
	}

	res := a.postHTMX(url, "confirm", "yes")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("delete = %d:\n%s", res.StatusCode, shorten(res.body))
	}
	mustNotContain(t, res.body, fmt.Sprintf(`id="period-%d"`, q1))
	if n := a.count(`SELECT count(*) FROM audit_event WHERE action = 'calendar_changed'
		AND details->>'change' = 'deleted' AND record_id = ?`, q1); n != 1 {
		t.Errorf("%d deletion events", n)
	}
}

func TestDeletePeriodRefusedWithFinalReports(t *testing.T) {
	t.Parallel()
	a, q1, _ := calendarApp(t)
	var program, student, goal int64
	_ = a.db.QueryRow(`SELECT id_program FROM program WHERE name = 'Transition'`).Scan(&program)
	_ = a.db.QueryRow(`INSERT INTO student (id_program, identifier) VALUES (?, 'S-1') RETURNING id_student`, program).Scan(&student)
	_ = a.db.QueryRow(`INSERT INTO goal (id_student, title) VALUES (?, 'Read') RETURNING id_goal`, student).Scan(&goal)
	a.exec(`INSERT INTO progress_report (id_student, id_goal, period, year, summary, status)
		VALUES (?, ?, 'Q1', 2026, 'Done', 'final')`, student, goal)

	res := a.postHTMX(fmt.Sprintf("/admin/calendar/periods/%d/delete", q1), "confirm", "yes")
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("delete = %d, want 422", res.StatusCode)
	}
	mustContain(t, res.body, "Q1 2026-27 has final progress reports")
	if n := a.count(`SELECT count(*) FROM reporting_period WHERE id_reporting_period = ?`, q1); n != 1 {
		t.Error("the period was deleted")
	}
}

func TestAddDefaultCalendarOfAYear(t *testing.T) {
	t.Parallel()
	a, _, _ := calendarApp(t)

	res := a.postHTMX("/admin/calendar/defaults", "year", "2027")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("add default = %d:\n%s", res.StatusCode, shorten(res.body))
	}
	mustContain(t, res.body, "School year 2027-28")
	if n := a.count(`SELECT count(*) FROM reporting_period WHERE year = 2027`); n != 6 {
		t.Errorf("%d periods in 2027, want 6", n)
	}
	for _, year := range []string{"2026", "1999", "soon"} {
		res := a.postHTMX("/admin/calendar/defaults", "year", year)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("default calendar of %q = %d, want 422", year, res.StatusCode)
		}
		mustContain(t, res.body, `value="`+year+`"`)
	}
}
