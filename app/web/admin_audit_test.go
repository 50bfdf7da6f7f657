package web

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
)

// auditApp is settingsApp with events in both districts: in A a sign-in by
// carol, a program change and an event naming student S-001 whose details
// start with a formula; in B a sign-in by dave.
func auditApp(t *testing.T) (a *testApp, first int64) {
	t.Helper()
	a, first, _, far := settingsApp(t)
	distA, distB := a.districtOf(first), a.districtOf(far)
	a.seedStudents(first, "S", 1)
	insert := `INSERT INTO audit_event (occurred_at, actor_email, id_school_district, action, record_type,
		record_id, id_student, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	a.exec(insert, "2026-11-02 09:00:00+00", "carol@a.example", distA, "sign_in", "user", 7, nil, nil)
	a.exec(insert, "2026-11-05 10:00:00+00", "admin@a.example", distA, "program_updated", "program", first,
		nil, `{"field": "name", "to": "Transition"}`)
	a.exec(insert, "2026-11-09 11:00:00+00", "=cmd@a.example", distA, "sensitive_read", "progress_event", 42,
		a.studentID("S-001"), `{"note": "-2+3"}`)
	a.exec(insert, "2026-11-03 12:00:00+00", "dave@b.example", distB, "sign_in", "user", 8, nil, nil)
	return a, first
}

func (a *testApp) studentID(identifier string) int64 {
	a.t.Helper()
	var id int64
	if err := a.db.QueryRow(`SELECT id_student FROM student WHERE identifier = ?`, identifier).Scan(&id); err != nil {
		a.t.Fatalf("student %s: %v", identifier, err)
	}
	return id
}

func TestAuditLogShowsTheDistrictsEventsNewestFirst(t *testing.T) {
	t.Parallel()
	a, _ := auditApp(t)

	res := a.get("/admin/audit")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("audit = %d", res.StatusCode)
	}
	mustContain(t, res.body, "carol@a.example", "field=name, to=Transition", "S-001", "program_updated",
		`<option value="calendar_changed">`)
	mustNotContain(t, res.body, "dave@b.example")
	if strings.Index(res.body, "=cmd@a.example") > strings.Index(res.body, "carol@a.example") {
		t.Error("events are not newest first")
	}

	frag := a.get("/admin/audit?email=CAROL", htmx...)
	mustContain(t, frag.body, `id="audit-results"`, "carol@a.example")
	mustNotContain(t, frag.body, "<html", "=cmd@a.example")
}

func TestAuditLogFilters(t *testing.T) {
	t.Parallel()
	a, first := auditApp(t)
	for _, tc := range []struct {
		query       string
		want, avoid string
	}{
		{"action=sign_in", "carol@a.example", "=cmd@a.example"},
		{"record_type=program&record_id=" + itoa(first), "field=name", "carol@a.example"},
		{"student=s-001", "=cmd@a.example", "carol@a.example"},
		{"from=2026-11-04&to=2026-11-05", "field=name", "carol@a.example"},
		{"email=%25", "No events match.", "carol@a.example"},
	} {
		res := a.get("/admin/audit?" + tc.query)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s = %d", tc.query, res.StatusCode)
			continue
		}
		mustContain(t, res.body, tc.want)
		mustNotContain(t, res.body, tc.avoid)
	}
	if res := a.get("/admin/audit?student=%FF&email=%00"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bytes that are not text = %d, want 422", res.StatusCode)
	}
	for _, query := range []string{"from=2026-02-30", "to=yesterday", "from=2026-11-05&to=2026-11-01", "record_id=x"} {
		res := a.get("/admin/audit?" + query)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s = %d, want 422", query, res.StatusCode)
		}
		value := strings.SplitN(strings.SplitN(query, "&", 2)[0], "=", 2)[1]
		mustContain(t, res.body, `value="`+value+`"`)
	}
}

func TestAuditLogPagesByID(t *testing.T) {
	t.Parallel()
	a, first := auditApp(t)
	a.exec(`INSERT INTO audit_event (actor_email, id_school_district, action)
		SELECT 'bulk' || i || '@a.example', ?, 'sign_in' FROM generate_series(1, 60) AS i`, a.districtOf(first))

	res := a.get("/admin/audit?action=sign_in")
	mustContain(t, res.body, "bulk60@a.example", "Older events")
	mustNotContain(t, res.body, "carol@a.example")
	start := strings.Index(res.body, `href="/admin/audit?`)
	older := res.body[start+len(`href="`):]
	older = strings.ReplaceAll(older[:strings.Index(older, `"`)], "&amp;", "&")
	next := a.get(older)
	mustContain(t, next.body, "carol@a.example", "bulk1@a.example")
	mustNotContain(t, next.body, "bulk60@a.example", "Older events")
}

func TestSystemAdminReadsEveryDistrictsLog(t *testing.T) {
	t.Parallel()
	a, first := auditApp(t)
	a.signIn(a.addUser("sys@a.example", "system_admin", a.districtOf(first), "unused password 1"))
	mustContain(t, a.get("/admin/audit").body, "dave@b.example", "carol@a.example")
}

func TestAuditCSVExport(t *testing.T) {
	t.Parallel()
	a, _ := auditApp(t)

	res := a.get("/admin/audit.csv?from=2026-11-01")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export = %d:\n%s", res.StatusCode, shorten(res.body))
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="audit-log-`) ||
		!strings.Contains(cd, `.csv"`) {
		t.Errorf("content disposition %q", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatalf("read csv: %v\n%s", err, res.body)
	}
	// The export is recorded before the log is read, so it comes first.
	if len(rows) != 5 || strings.Join(rows[0], ",") != strings.Join(auditCSVHeader, ",") ||
		rows[1][5] != "audit_exported" {
		t.Fatalf("rows:\n%v", rows)
	}
	// Newest first; formulas are defused with a quote.
	if rows[2][2] != "'=cmd@a.example" || rows[2][8] != "S-001" || rows[2][10] != `{"note":"-2+3"}` {
		t.Errorf("second row %v", rows[2])
	}
	if rows[4][2] != "carol@a.example" {
		t.Errorf("last row %v", rows[4])
	}
	if n := a.count(`SELECT count(*) FROM audit_event WHERE action = 'audit_exported'
		AND details->>'from' = '2026-11-01'`); n != 1 {
		t.Errorf("%d audit_exported events", n)
	}

	filtered := a.get("/admin/audit.csv?email=carol")
	if lines := strings.Count(filtered.body, "\n"); lines != 2 {
		t.Errorf("filtered export has %d lines:\n%s", lines, filtered.body)
	}
	if bad := a.get("/admin/audit.csv?to=never"); bad.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a bad date = %d, want 422", bad.StatusCode)
	}
}

func TestSafeCells(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"=SUM(A1)": "'=SUM(A1)", "+1": "'+1", "-1": "'-1",
		"@x": "'@x", "\tx": "'\tx", "\rx": "'\rx", "plain": "plain", "": ""} {
		if got := safeCells([]string{in})[0]; got != want {
			t.Errorf("safeCells(%q) = %q, want %q", in, got, want)
		}
	}
	if got := compactDetails(map[string]any{"b": true, "a": "x", "n": 3}); got != "a=x, b=true, n=3" {
		t.Errorf("compactDetails = %q", got)
	}
}
