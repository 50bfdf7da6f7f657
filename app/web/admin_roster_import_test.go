package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"goaltracker/app/config"
)

const rosterHeader = "identifier,program_year,enrollment_date,expected_grad\n"

// stagedID reads the id of the import a preview offers to commit.
func stagedID(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`/admin/students/import/(\d+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the preview offers no commit:\n%s", shorten(body))
	}
	return m[1]
}

func TestRosterImportPreviewAndCommit(t *testing.T) {
	t.Parallel()
	r := newRosterSetup(t, "district_admin")
	r.student(r.first, "SAME-1")
	r.student(r.first, "CHANGE-1")

	form := r.a.get("/admin/students/import")
	wantStatus(t, form, http.StatusOK)
	mustContain(t, form.body, "<html", `enctype="multipart/form-data"`, "identifier,program_year,enrollment_date,expected_grad",
		"RV-1001", "20,000")

	file := "\uFEFFIdentifier,Expected_Grad,Program_Year,Enrollment_Date\r\n" +
		"NEW-1,2030-06-15,1,9/1/2026\r\n" +
		"same-1,,1,2025-09-01\r\n" +
		"CHANGE-1,,3,2025-09-01\r\n"
	preview := r.a.upload("/admin/students/import", itoa(r.first), "roster.csv", []byte(file),
		"HX-Request", "true")
	wantStatus(t, preview, http.StatusOK)
	mustContain(t, preview.body, "<strong>1</strong> new", "<strong>2</strong> changed",
		"<strong>0</strong> unchanged", "program year 1 → 3", "identifier SAME-1 → same-1")
	mustNotContain(t, preview.body, "<html")
	if n := r.count(`SELECT count(*) FROM student WHERE identifier = 'NEW-1'`); n != 0 {
		t.Fatal("the preview wrote a student")
	}

	id := stagedID(t, preview.body)
	done := r.a.postHTMX("/admin/students/import/" + id)
	wantStatus(t, done, http.StatusOK)
	mustContain(t, done.body, "<strong>1</strong> added", "<strong>2</strong> changed",
		fmt.Sprintf(`href="/admin/students?program=%d"`, r.first))
	if n := r.count(`SELECT count(*) FROM student WHERE id_program = ?`, r.first); n != 3 {
		t.Errorf("the program has %d students, want 3", n)
	}
	if n := r.count(`SELECT count(*) FROM audit_event WHERE action = 'roster_import'
		AND (details->>'added')::int = 1 AND (details->>'changed')::int = 2`); n != 1 {
		t.Errorf("%d audit events for the import", n)
	}

	// The same commit again does nothing and says so; the whole page
	// without htmx.
	again := r.a.post("/admin/students/import/" + id)
	wantStatus(t, again, http.StatusOK)
	mustContain(t, again.body, "<html", "Already imported")
	if n := r.count(`SELECT count(*) FROM audit_event WHERE action = 'roster_import'`); n != 1 {
		t.Errorf("%d audit events after committing twice", n)
	}

	// The same file again: everything unchanged.
	second := r.a.upload("/admin/students/import", itoa(r.first), "roster.csv", []byte(file))
	wantStatus(t, second, http.StatusOK)
	mustContain(t, second.body, "<html", "<strong>0</strong> new", "<strong>3</strong> unchanged")
}

func TestRosterImportErrors(t *testing.T) {
	t.Parallel()
	r := newRosterSetup(t, "district_admin")
	r.student(r.second, "ELSEWHERE")
	tests := []struct {
		name, file string
		want       []string
	}{
		{"header", "identifier,year,grad\nA,1,\n", []string{"Line 1:", `unknown column &#34;year&#34;`,
			"missing column program_year, enrollment_date, expected_grad"}},
		{"rows", rosterHeader + "A,x,,\n,1,,\nB,1,2026-13-01,\nC,1,2026-09-01,2026-08-01\nA,1,,\n" +
			"elsewhere,1,,\n" + strings.Repeat("L", 51) + ",,,\nD,1\n",
			[]string{"Line 2: The program year", "Line 3: Enter the student", "Line 4: Enter a date",
				"Line 5: The expected graduation cannot be before", "Line 6: The identifier A is also on line 2",
				"Line 7: The identifier elsewhere already belongs to a student of another program (Learning Support)",
				"Line 8: The identifier is at most 50 characters", "Line 9: This line has 2 values"}},
		{"invalid UTF-8", rosterHeader + "A,1,,\nB\xff\xfe,1,,\n", []string{"Line 3: This line is not UTF-8"}},
		{"no rows", rosterHeader, []string{"Line 1: The file has no student rows"}},
		{"empty", "", []string{"Line 1: The file is empty"}},
	}
	for _, tc := range tests {
		for _, hx := range []bool{true, false} {
			var res response
			if hx {
				res = r.a.upload("/admin/students/import", itoa(r.first), "f.csv", []byte(tc.file), htmx...)
			} else {
				res = r.a.upload("/admin/students/import", itoa(r.first), "f.csv", []byte(tc.file))
			}
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s (htmx %v): status %d, want 422", tc.name, hx, res.StatusCode)
				continue
			}
			mustContain(t, res.body, tc.want...)
			if strings.Contains(res.body, "<html") == hx {
				t.Errorf("%s (htmx %v): page or fragment mixed up", tc.name, hx)
			}
		}
	}
	if n := r.count(`SELECT count(*) FROM student`); n != 1 {
		t.Errorf("bad files wrote students: %d", n)
	}
	res := r.a.upload("/admin/students/import", itoa(r.first), "", nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, "Choose a CSV file to upload.")
	res = r.a.upload("/admin/students/import", itoa(r.far), "f.csv", []byte(rosterHeader+"A,1,,\n"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, "Choose a program from the list.")
}

func TestRosterImportCommitIsRefusedWhenTheRosterChanged(t *testing.T) {
	t.Parallel()
	r := newRosterSetup(t, "district_admin")
	preview := r.a.upload("/admin/students/import", itoa(r.first), "f.csv",
		[]byte(rosterHeader+"OK-1,1,,\nLATE-1,1,,\n"), htmx...)
	wantStatus(t, preview, http.StatusOK)
	r.student(r.second, "late-1")

	res := r.a.postHTMX("/admin/students/import/" + stagedID(t, preview.body))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, "Nothing was imported", "Line 3: The identifier LATE-1 already belongs")
	if n := r.count(`SELECT count(*) FROM student WHERE identifier = 'OK-1'`); n != 0 {
		t.Error("a refused commit wrote the valid rows")
	}
}

func TestRosterImportOfAnotherDistrictIs404(t *testing.T) {
	t.Parallel()
	r := newRosterSetup(t, "district_admin")
	var id int64
	err := r.a.db.QueryRowContext(context.Background(), `INSERT INTO roster_import (id_school_district,
		id_program, filename, content) VALUES (?, ?, 'f.csv', ?) RETURNING id_roster_import`,
		r.distB, r.far, []byte(rosterHeader+"A,1,,\n")).Scan(&id)
	if err != nil {
		t.Fatalf("stage: %v", err)
	}
	res := r.a.postHTMX(fmt.Sprintf("/admin/students/import/%d", id))
	wantStatus(t, res, http.StatusNotFound)
	if n := r.count(`SELECT count(*) FROM student`); n != 0 {
		t.Error("another district's import was committed")
	}
}

func TestRosterImportOfTenMegabytesIs413(t *testing.T) {
	t.Parallel()
	a := newTestAppWith(t, func(cfg *config.Config) { cfg.BodyLimitBytes = 8 << 20 })
	r := &rosterSetup{a: a}
	r.first, _ = a.seedPrograms()
	a.signIn(a.addUser("admin@roster.example", "district_admin", a.districtOf(r.first), "unused password 1"))

	// Fiber's test helper refuses large bodies itself, so this goes
	// through a real listener. The server refuses the upload on its
	// Content-Length, before reading the body; the body is not sent, so
	// that the server's closing the connection cannot reset it before the
	// answer is read.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	go func() { _ = a.app.Listener(ln) }()
	t.Cleanup(func() { _ = a.app.Shutdown() })

	big := bytes.Repeat([]byte("ABCDEFGHIJ,1,2026-09-01,2030-06-15\n"), 10<<20/35)
	body := multipartBody(t, itoa(r.first), "big.csv", append([]byte(rosterHeader), big...))
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "POST /admin/students/import HTTP/1.1\r\nHost: gt.test\r\n"+
		"Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n"+
		"Cookie: %s\r\nX-CSRF-Token: %s\r\n\r\n", testBoundary, len(body), a.cookie, a.csrf)
	if err != nil {
		t.Fatalf("send headers: %v", err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if len(body) < 10<<20 || res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("%d bytes: status = %d, want 413:\n%s", len(body), res.StatusCode, shorten(string(b)))
	}
	mustContain(t, string(b), "Too large", "Send a smaller file")
	if n := r.count(`SELECT count(*) FROM roster_import`); n != 0 {
		t.Error("the oversized file was staged")
	}
}
