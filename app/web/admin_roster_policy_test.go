package web

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync/atomic"
)

func init() { maps.Copy(drivers, rosterDrivers) }

// rosterSerial numbers the students the roster drivers add, so that each
// identifier is new.
var rosterSerial atomic.Int64

func nextRosterIdentifier() string { return fmt.Sprintf("MX-%d", rosterSerial.Add(1)) }

var rosterDrivers = map[string]driver{
	"GET /admin/students": func(f *policyFixture, student int64) string {
		res := f.a.get("/admin/students?q=" + f.idents[student])
		if res.StatusCode != http.StatusOK {
			return classify(res)
		}
		if strings.Contains(res.body, ">"+f.idents[student]+"<") {
			return "allow"
		}
		return "deny"
	},
	"POST /admin/students": func(f *policyFixture, _ int64) string {
		return classify(f.a.postHTMX("/admin/students", "program", itoa(f.programs[0]),
			"identifier", nextRosterIdentifier(), "program_year", "1"))
	},
	"GET /admin/students/import": func(f *policyFixture, _ int64) string {
		return classify(f.a.get("/admin/students/import"))
	},
	"POST /admin/students/import": func(f *policyFixture, _ int64) string {
		file := "identifier,program_year,enrollment_date,expected_grad\n" + nextRosterIdentifier() + ",1,,\n"
		return classify(f.a.upload("/admin/students/import", itoa(f.programs[0]), "roster.csv", []byte(file)))
	},
	"POST /admin/students/import/:id": func(f *policyFixture, student int64) string {
		program, district := f.programOf(student)
		var id int64
		err := f.a.db.QueryRowContext(context.Background(), `INSERT INTO roster_import
			(id_school_district, id_program, filename, content) VALUES (?, ?, 'm.csv', ?)
			RETURNING id_roster_import`, district, program,
			[]byte("identifier,program_year,enrollment_date,expected_grad\n"+nextRosterIdentifier()+",2,,\n")).
			Scan(&id)
		if err != nil {
			f.a.t.Fatalf("stage import: %v", err)
		}
		return classify(f.a.postHTMX(fmt.Sprintf("/admin/students/import/%d", id)))
	},
	"GET /admin/students/:id": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/admin/students/%d", student), htmx...))
	},
	"GET /admin/students/:id/edit": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/admin/students/%d/edit", student), htmx...))
	},
	"POST /admin/students/:id": func(f *policyFixture, student int64) string {
		return classify(f.a.postHTMX(fmt.Sprintf("/admin/students/%d", student),
			"identifier", f.idents[student], "program_year", "2",
			"version", f.version("student", "id_student", student)))
	},
	"POST /admin/students/:id/move": func(f *policyFixture, student int64) string {
		program, _ := f.programOf(student)
		target := f.programs[1]
		if program == f.programs[1] {
			target = f.programs[0]
		}
		got := classify(f.a.postHTMX(fmt.Sprintf("/admin/students/%d/move", student), "program", itoa(target)))
		f.a.exec(`UPDATE student SET id_program = ? WHERE id_student = ?`, program, student)
		return got
	},
}
