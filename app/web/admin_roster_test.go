package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// upload posts a roster file to path as a browser's multipart form does.
func (a *testApp) upload(path, program, filename string, content []byte, headers ...string) response {
	a.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(multipartBody(a.t, program,
		filename, content)))
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+testBoundary)
	return a.do(req, headers...)
}

const testBoundary = "roster-test-boundary"

func multipartBody(t testing.TB, program, filename string, content []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.SetBoundary(testBoundary); err != nil {
		t.Fatalf("boundary: %v", err)
	}
	if err := w.WriteField("program", program); err != nil {
		t.Fatalf("write field: %v", err)
	}
	if filename != "" {
		part, err := w.CreateFormFile("file", filename)
		if err != nil {
			t.Fatalf("create file part: %v", err)
		}
		if _, err := part.Write(content); err != nil {
			t.Fatalf("write file part: %v", err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("close multipart: %v", err)
	}
	return buf.Bytes()
}

// rosterSetup is a district with two programs, a second district, and a
// district admin of the first signed in.
type rosterSetup struct {
	a               *testApp
	first, second   int64
	far             int64
	district, distB int64
	adminID         int64
}

func newRosterSetup(t *testing.T, role string) *rosterSetup {
	t.Helper()
	a := newTestApp(t)
	r := &rosterSetup{a: a}
	r.first, r.second = a.seedPrograms()
	r.district = a.districtOf(r.first)
	ctx := context.Background()
	err := a.db.QueryRowContext(ctx, `INSERT INTO school_district (name) VALUES ('Far District')
		RETURNING id_school_district`).Scan(&r.distB)
	if err == nil {
		err = a.db.QueryRowContext(ctx, `INSERT INTO program (id_school_district, name)
			VALUES (?, 'Far Program') RETURNING id_program`, r.distB).Scan(&r.far)
	}
	if err != nil {
		t.Fatalf("seed district B: %v", err)
	}
	r.adminID = a.addUser(role+"@roster.example", role, r.district, "unused password 1", r.first)
	a.signIn(r.adminID)
	return r
}

// student adds a student to program and returns its id.
func (r *rosterSetup) student(program int64, identifier string) int64 {
	r.a.t.Helper()
	var id int64
	err := r.a.db.QueryRowContext(context.Background(), `INSERT INTO student (id_program, identifier,
		program_year, enrollment_date) VALUES (?, ?, 1, '2025-09-01') RETURNING id_student`,
		program, identifier).Scan(&id)
	if err != nil {
		r.a.t.Fatalf("add student: %v", err)
	}
	return id
}

func (r *rosterSetup) count(query string, args ...any) int {
	r.a.t.Helper()
	var n int
	if err := r.a.db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		r.a.t.Fatalf("count %q: %v", query, err)
	}
	return n
}

func wantStatus(t *testing.T, res response, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status = %d, want %d:\n%s", res.StatusCode, status, shorten(res.body))
	}
}

func TestRosterListFiltersAndPages(t *testing.T) {
	t.Parallel()
	r := newRosterSetup(t, "program_admin")
	r.a.seedStudents(r.first, "MINE", 30)
	r.student(r.second, "OTHER-PROGRAM")
	r.student(r.far, "FAR-AWAY")

	page := r.a.get("/admin/students")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.body, "<html", "MINE-001", "30 students", "Page 1 of 2", `id="roster-add"`)
	mustNotContain(t, page.body, "OTHER-PROGRAM", "FAR-AWAY", "Learning Support</option>")

	frag := r.a.get("/admin/students?q=mine-03", "HX-Request", "true", "HX-Target", "roster-results")
	wantStatus(t, frag, http.StatusOK)
	mustContain(t, frag.body, "MINE-030", "1 student<")
	mustNotContain(t, frag.body, "<html", "MINE-001")

	bad := r.a.get(fmt.Sprintf("/admin/students?program=%d", r.second))
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	mustContain(t, bad.body, "Choose a program from the list.")
}

func TestRosterAdd(t *testing.T) {
	t.Parallel()
	r := newRosterSetup(t, "district_admin")
	r.student(r.second, "TAKEN-1")

	res := r.a.postHTMX("/admin/students", "program", itoa(r.first), "identifier", "  NEW-1 ",
		"program_year", "3", "enrollment_date", "2026-09-01", "expected_grad", "2030-06-15")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, "Added NEW-1.", `hx-swap-oob="afterbegin:#roster-rows"`, ">NEW-1<")
	mustNotContain(t, res.body, "<html")
	if n := r.count(`SELECT count(*) FROM student WHERE identifier = 'NEW-1' AND program_year = 3
		AND id_program = ?`, r.first); n != 1 {
		t.Errorf("added %d students", n)
	}
	if n := r.count(`SELECT count(*) FROM audit_event WHERE action = 'student_created'
		AND id_user = ?`, r.adminID); n != 1 {
		t.Errorf("%d audit events for the add", n)
	}

	plain := r.a.post("/admin/students", "program", itoa(r.first), "identifier", "NEW-2")
	if plain.StatusCode != http.StatusSeeOther || plain.Header.Get("Location") != "/admin/students" {
		t.Errorf("plain add = %d to %q", plain.StatusCode, plain.Header.Get("Location"))
	}
}

func TestRosterAddRefusesBadInput(t *testing.T) {
	t.Parallel()
	r := newRosterSetup(t, "district_admin")
	r.student(r.second, "TAKEN-1")
	tests := []struct {
		name, want string
		form       []string
	}{
		{"missing identifier", "Enter the student", []string{"identifier", " "}},
		{"long identifier", "at most 50 characters", []string{"identifier", string(bytes.Repeat([]byte("x"), 51))}},
		{"taken in another program, other case", "already has the identifier", []string{"identifier", "taken-1"}},
		{"program year", "whole number from 1 to 20", []string{"identifier", "A", "program_year", "2.5"}},
		{"program year too big", "whole number from 1 to 20", []string{"identifier", "A", "program_year", "21"}},
		{"bad date", "Enter a date such as", []string{"identifier", "A", "enrollment_date", "31/31/2026"}},
		{"graduation first", "cannot be before the enrollment", []string{"identifier", "A",
			"enrollment_date", "2026-09-01", "expected_grad", "8/1/2026"}},
		{"invalid UTF-8", "not text", []string{"identifier", "A\xff"}},
		{"control character", "control characters", []string{"identifier", "A\x00B"}},
		{"program of another district", "Choose a program", []string{"identifier", "A", "program", "far"}},
	}
	for _, tc := range tests {
		form := append([]string{"program", itoa(r.first)}, tc.form...)
		if tc.form[len(tc.form)-1] == "far" {
			form = append(tc.form[:len(tc.form)-2], "program", itoa(r.far))
		}
		res := r.a.postHTMX("/admin/students", form...)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", tc.name, res.StatusCode)
			continue
		}
		mustContain(t, res.body, tc.want, `id="roster-add"`)
	}

	// Without htmx the whole page comes back, keeping what was typed.
	res := r.a.post("/admin/students", "program", itoa(r.first), "identifier", "KEPT", "program_year", "x")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, "<html", `value="KEPT"`, `value="x"`, "whole number from 1 to 20")
	if n := r.count(`SELECT count(*) FROM student WHERE identifier IN ('A', 'KEPT')`); n != 0 {
		t.Errorf("bad input added %d students", n)
	}
}

func TestRosterEditInPlace(t *testing.T) {
	t.Parallel()
	r := newRosterSetup(t, "district_admin")
	id := r.student(r.first, "EDIT-ME")
	far := r.student(r.far, "FAR-1")

	form := r.a.get(fmt.Sprintf("/admin/students/%d/edit", id), "HX-Request", "true")
	wantStatus(t, form, http.StatusOK)
	mustContain(t, form.body, `name="version"`, `value="EDIT-ME"`, "Move to", "hx-confirm")
	mustNotContain(t, form.body, "<html")
	page := r.a.get(fmt.Sprintf("/admin/students/%d/edit", id))
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.body, "<html", "Edit EDIT-ME", `name="_csrf"`)

	version := r.a.version(id)
	saved := r.a.postHTMX(fmt.Sprintf("/admin/students/%d", id), "identifier", "EDITED",
		"program_year", "4", "enrollment_date", "2025-09-01", "version", version)
	wantStatus(t, saved, http.StatusOK)
	mustContain(t, saved.body, ">EDITED<", ">4<")
	if n := r.count(`SELECT count(*) FROM audit_event WHERE action = 'student_updated'
		AND id_student = ?`, id); n != 1 {
		t.Errorf("%d audit events for the edit", n)
	}

	// The old version is stale now: 409 with theirs shown and mine kept.
	stale := r.a.postHTMX(fmt.Sprintf("/admin/students/%d", id), "identifier", "MINE",
		"program_year", "5", "version", version)
	wantStatus(t, stale, http.StatusConflict)
	mustContain(t, stale.body, "Someone else changed", "EDITED, program year 4", `value="MINE"`,
		"Apply mine anyway")
	again := r.a.postHTMX(fmt.Sprintf("/admin/students/%d", id), "identifier", "MINE",
		"program_year", "5", "version", r.a.version(id))
	wantStatus(t, again, http.StatusOK)

	bad := r.a.postHTMX(fmt.Sprintf("/admin/students/%d", id), "identifier", "",
		"program_year", "five", "version", r.a.version(id))
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	mustContain(t, bad.body, "Enter the student", "whole number", `value="five"`)

	for _, path := range []string{"/admin/students/%d/edit", "/admin/students/%d"} {
		if res := r.a.get(fmt.Sprintf(path, far), "HX-Request", "true"); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s of another district's student = %d", path, res.StatusCode)
		}
	}
	res := r.a.postHTMX(fmt.Sprintf("/admin/students/%d", far), "identifier", "X", "version", r.a.version(far))
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("saving another district's student = %d", res.StatusCode)
	}
	if res := r.a.get("/admin/students/abc/edit"); res.StatusCode != http.StatusNotFound {
		t.Errorf("malformed id = %d", res.StatusCode)
	}
}

// version reads a student's updated_at, the version of an edit.
func (a *testApp) version(student int64) string {
	a.t.Helper()
	var v time.Time
	err := a.db.QueryRowContext(context.Background(),
		`SELECT updated_at FROM student WHERE id_student = ?`, student).Scan(&v)
	if err != nil {
		a.t.Fatalf("version of student %d: %v", student, err)
	}
	return versionString(v)
}

func TestRosterMove(t *testing.T) {
	t.Parallel()
	r := newRosterSetup(t, "district_admin")
	id := r.student(r.first, "MOVER")

	confirm := r.a.post(fmt.Sprintf("/admin/students/%d/move", id), "program", itoa(r.second))
	wantStatus(t, confirm, http.StatusOK)
	mustContain(t, confirm.body, "Move MOVER from Transition to Learning Support?", `name="confirmed"`)
	if n := r.count(`SELECT count(*) FROM student WHERE id_student = ? AND id_program = ?`, id, r.first); n != 1 {
		t.Fatal("the confirmation page moved the student")
	}

	moved := r.a.postHTMX(fmt.Sprintf("/admin/students/%d/move", id), "program", itoa(r.second))
	wantStatus(t, moved, http.StatusOK)
	mustContain(t, moved.body, ">Learning Support<")
	if n := r.count(`SELECT count(*) FROM audit_event WHERE action = 'student_moved'
		AND id_student = ?`, id); n != 1 {
		t.Errorf("%d audit events for the move", n)
	}

	same := r.a.postHTMX(fmt.Sprintf("/admin/students/%d/move", id), "program", itoa(r.second))
	wantStatus(t, same, http.StatusUnprocessableEntity)
	mustContain(t, same.body, "Choose another program")
	far := r.a.postHTMX(fmt.Sprintf("/admin/students/%d/move", id), "program", itoa(r.far))
	wantStatus(t, far, http.StatusUnprocessableEntity)

	plain := r.a.post(fmt.Sprintf("/admin/students/%d/move", id), "program", itoa(r.first), "confirmed", "yes")
	if plain.StatusCode != http.StatusSeeOther {
		t.Errorf("confirmed plain move = %d", plain.StatusCode)
	}
}

func TestRosterMoveNeedsDistrictScope(t *testing.T) {
	t.Parallel()
	r := newRosterSetup(t, "program_admin")
	id := r.student(r.first, "STAYS")
	res := r.a.postHTMX(fmt.Sprintf("/admin/students/%d/move", id), "program", itoa(r.second))
	wantStatus(t, res, http.StatusForbidden)
	form := r.a.get(fmt.Sprintf("/admin/students/%d/edit", id), "HX-Request", "true")
	mustNotContain(t, form.body, "Move to")
}
