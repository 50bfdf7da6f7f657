package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestListStudentsFullPage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	first, second := a.seedLeader()
	a.seedStudents(first, "TR", 3)
	a.seedStudents(second, "LS", 2)

	res := a.get("/students")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status = %d", res.StatusCode)
	}
	mustContain(t, res.body, "<!doctype html>", "<title>Students · Goal Tracker</title>",
		"TR-001", "TR-003", "LS-002", "Transition", "Learning Support", `href="/students/`,
		`id="student-results"`, "5 students", "/static/vendor/htmx.min.")
	if vary := res.Header.Get("Vary"); !strings.Contains(vary, "HX-Request") {
		t.Errorf("Vary = %q, want HX-Request in it", vary)
	}
}

func TestListStudentsFragmentForHTMX(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	first, _ := a.seedLeader()
	a.seedStudents(first, "TR", 3)

	res := a.get("/students?q=tr-00", "HX-Request", "true", "HX-Target", "student-results")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status = %d", res.StatusCode)
	}
	if !strings.HasPrefix(strings.TrimSpace(res.body), `<section id="student-results"`) {
		t.Errorf("fragment does not start with the results section:\n%s", shorten(res.body))
	}
	mustContain(t, res.body, "TR-001", "3 students")
	mustNotContain(t, res.body, "<html", "<nav class=\"container\"")
}

func TestListStudentsFilters(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	first, second := a.seedLeader()
	a.seedStudents(first, "TR", 3)
	a.seedStudents(second, "LS", 2)
	a.seedStudents(second, "X_%", 1)

	tests := []struct {
		name, query string
		want, not   []string
	}{
		{"identifier search ignores case", "?q=ls-", []string{"LS-001", "LS-002"}, []string{"TR-001"}},
		{"program filter", "?program=" + itoa(first), []string{"TR-001", "TR-003"}, []string{"LS-001"}},
		{"search and program together", "?q=002&program=" + itoa(second), []string{"LS-002"},
			[]string{"TR-002", "LS-001"}},
		{"LIKE wildcards match literally", "?q=_%25", []string{"X_%-001"}, []string{"TR-001"}},
		{"no match", "?q=zz", []string{"No students match"}, []string{"TR-001"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := a.get("/students"+tc.query, "HX-Request", "true", "HX-Target", "student-results")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status = %d", res.StatusCode)
			}
			mustContain(t, res.body, tc.want...)
			mustNotContain(t, res.body, tc.not...)
		})
	}
}

func TestListStudentsPages(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	first, _ := a.seedLeader()
	a.seedStudents(first, "TR", 30)

	one := a.get("/students")
	mustContain(t, one.body, "TR-025", "Page 1 of 2", `href="/students?page=2&amp;program=all"`)
	mustNotContain(t, one.body, "TR-026")

	two := a.get("/students?page=2", "HX-Request", "true", "HX-Target", "student-results")
	mustContain(t, two.body, "TR-026", "TR-030", "Page 2 of 2", `href="/students?program=all"`)
	mustNotContain(t, two.body, "TR-025")

	past := a.get("/students?page=9")
	if past.StatusCode != http.StatusOK {
		t.Errorf("a page past the end answered %d", past.StatusCode)
	}
	mustContain(t, past.body, "No students match")
}

func TestListStudentsRejectsBadFilters(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.seedLeader()

	tests := []struct{ name, query, message string }{
		{"program not a number", "?program=abc", "Choose a program from the list."},
		{"program that does not exist", "?program=999999", "Choose a program from the list."},
		{"search too long", "?q=" + strings.Repeat("a", 51), "Identifiers are at most 50 characters."},
		{"search not UTF-8", "?q=%ff%fe", "characters that are not text"},
		{"page not a number", "?page=-3", "The page number is not valid."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, htmx := range []bool{false, true} {
				var res response
				if htmx {
					res = a.get("/students"+tc.query, "HX-Request", "true", "HX-Target", "student-results")
				} else {
					res = a.get("/students" + tc.query)
				}
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("htmx=%v: status = %d, want 422", htmx, res.StatusCode)
				}
				if !htmx {
					mustContain(t, res.body, tc.message, `aria-invalid="true"`)
				}
			}
		})
	}
}

func TestHomeRedirectsToStudents(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.seedLeader()

	res := a.get("/")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/students" {
		t.Errorf("GET / = %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestListStudentsShowsPeriodEntriesAndReportState(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	first, _ := a.seedLeader()
	a.seedStudents(first, "TR", 2)
	a.exec(`INSERT INTO reporting_period (id_school_district, year, period, starts_on, ends_on)
		VALUES (?, 2026, 'Q2', current_date - 20, current_date + 20)`, a.districtOf(first))
	a.exec(`INSERT INTO goal (id_student, title) SELECT id_student, 'G' || i FROM student,
		generate_series(1, 2) AS i WHERE identifier = 'TR-001'`)
	a.exec(`INSERT INTO progress_event (id_student, id_goal, content, occurred_on)
		SELECT id_student, id_goal, 'note', current_date - 3 FROM goal`)
	a.exec(`INSERT INTO progress_report (id_student, id_goal, period, year, status)
		SELECT id_student, id_goal, 'Q2', 2026, CASE WHEN title = 'G1' THEN 'final' ELSE 'draft' END FROM goal`)

	res := a.get("/students?q=TR-00")
	mustContain(t, res.body, "Entries in Q2", "Q2 reports", "1 of 2 final", "Not compiled")
}
