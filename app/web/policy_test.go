package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"goaltracker/jobs"
)

var relationships = []string{"primary", "assigned", "program", "other_program", "other_district"}

var roles = []string{"teacher", "paraeducator", "program_admin", "district_leader",
	"district_admin", "system_admin"}

// policyFixture is a district A with programs one and two, a district B
// with program three, a user of each role in program one, and for each
// role a student in each relationship to that role's user.
type policyFixture struct {
	a        *testApp
	users    map[string]int64            // role -> user
	students map[string]map[string]int64 // role -> relationship -> student
	idents   map[int64]string
	records  map[int64]*studentRecords // student -> its records
	programs [3]int64
	author   int64
	// Workbooks of district A: a finished and a failed district-wide one,
	// and a finished one of program one.
	exportDone, exportFailed, exportProgram int64
}

// studentRecords are the records made for each student of the fixture:
// some written by a separate author, some by the role's own user.
type studentRecords struct {
	goal, emptyGoal         int64
	entry, ownEntry         int64
	sensitive, ownSensitive string
	healthNote              string
	// report is the draft report of goal for policyPeriod.
	report int64
}

// policyPeriod is the reporting period every district of the fixture has,
// and that its reports are for.
const policyPeriod, policyYear = "Q1", 2026

func newPolicyFixture(t *testing.T) *policyFixture {
	t.Helper()
	a := newTestApp(t)
	f := &policyFixture{a: a, users: map[string]int64{}, students: map[string]map[string]int64{},
		idents: map[int64]string{}, records: map[int64]*studentRecords{}}
	f.programs[0], f.programs[1] = a.seedPrograms()
	distA := a.districtOf(f.programs[0])
	var distB int64
	ctx := context.Background()
	if err := a.db.QueryRowContext(ctx, `INSERT INTO school_district (name) VALUES ('Other District')
		RETURNING id_school_district`).Scan(&distB); err != nil {
		t.Fatalf("district B: %v", err)
	}
	if err := a.db.QueryRowContext(ctx, `INSERT INTO program (id_school_district, name)
		VALUES (?, 'Far Program') RETURNING id_program`, distB).Scan(&f.programs[2]); err != nil {
		t.Fatalf("program three: %v", err)
	}

	for _, d := range []int64{distA, distB} {
		a.exec(`INSERT INTO reporting_period (id_school_district, year, period, starts_on, ends_on)
			VALUES (?, ?, ?, '2026-08-17', '2026-10-25')`, d, policyYear, policyPeriod)
	}

	f.author = a.addUser("author@policy.example", "teacher", distA, "unused password 1", f.programs[0])
	f.addExports(distA)
	for _, role := range roles {
		f.users[role] = a.addUser(role+"@policy.example", role, distA, "unused password 1", f.programs[0])
		f.students[role] = map[string]int64{}
		for _, rel := range relationships {
			f.students[role][rel] = f.addStudent(role, rel)
		}
	}
	return f
}

func (f *policyFixture) addStudent(role, rel string) int64 {
	program := f.programs[0]
	switch rel {
	case "other_program":
		program = f.programs[1]
	case "other_district":
		program = f.programs[2]
	}
	ident := strings.ToUpper(strings.ReplaceAll(role+"-"+rel, "_", ""))
	var id int64
	err := f.a.db.QueryRowContext(context.Background(), `INSERT INTO student (id_program, identifier,
		program_year) VALUES (?, ?, 1) RETURNING id_student`, program, ident).Scan(&id)
	if err != nil {
		f.a.t.Fatalf("add student: %v", err)
	}
	switch rel {
	case "primary", "assigned":
		f.a.exec(`INSERT INTO user_student (id_user, id_student, access_level, is_primary)
			VALUES (?, ?, 'editor', ?)`, f.users[role], id, rel == "primary")
	case "viewer":
		f.a.exec(`INSERT INTO user_student (id_user, id_student, access_level, is_primary)
			VALUES (?, ?, 'viewer', false)`, f.users[role], id)
	}
	f.idents[id] = ident
	f.records[id] = f.addRecords(id, f.users[role], ident)
	return id
}

func (f *policyFixture) addRecords(student, own int64, ident string) *studentRecords {
	r := &studentRecords{sensitive: "AUTHORSECRET-" + ident, ownSensitive: "OWNSECRET-" + ident,
		healthNote: "HEALTHNOTE-" + ident}
	insert := func(query string, args ...any) int64 {
		var id int64
		if err := f.a.db.QueryRowContext(context.Background(), query, args...).Scan(&id); err != nil {
			f.a.t.Fatalf("fixture %q: %v", query, err)
		}
		return id
	}
	goalSQL := `INSERT INTO goal (id_student, id_user_created, title, unit) VALUES (?, ?, ?, '%')
		RETURNING id_goal`
	r.goal = insert(goalSQL, student, f.author, "Goal of "+ident)
	r.emptyGoal = insert(goalSQL, student, f.author, "Goal without entries of "+ident)
	entrySQL := `INSERT INTO progress_event (id_student, id_goal, id_user_created, content, is_sensitive)
		VALUES (?, ?, ?, ?, ?) RETURNING id_progress_event`
	r.entry = insert(entrySQL, student, r.goal, f.author, "Entry by the author", false)
	r.ownEntry = insert(entrySQL, student, r.goal, own, "Entry by the role", false)
	insert(entrySQL, student, r.goal, f.author, r.sensitive, true)
	insert(entrySQL, student, r.goal, own, r.ownSensitive, true)
	insert(`INSERT INTO health_note (id_student, id_user_created, content) VALUES (?, ?, ?)
		RETURNING id_health_note`, student, f.author, r.healthNote)
	r.report = insert(`INSERT INTO progress_report (id_student, id_goal, period, year, summary,
		suggested_code, entry_count) VALUES (?, ?, ?, ?, ?, 'sufficient', 2) RETURNING id_progress_report`,
		student, r.goal, policyPeriod, policyYear, "Summary of "+ident)
	return r
}

func (f *policyFixture) addExports(district int64) {
	insert := func(program any, state string) int64 {
		var id int64
		err := f.a.db.QueryRowContext(context.Background(), `INSERT INTO report_export
			(id_school_district, id_program, year, period, state, filename, content, size_bytes, error)
			VALUES (?, ?, ?, ?, ?, 'w.xlsx', 'PK', 2, CASE WHEN ? = 'failed' THEN 'disk full' END)
			RETURNING id_report_export`, district, program, policyYear, policyPeriod, state, state).Scan(&id)
		if err != nil {
			f.a.t.Fatalf("add export: %v", err)
		}
		return id
	}
	f.exportDone = insert(nil, "done")
	f.exportFailed = insert(nil, "failed")
	f.exportProgram = insert(f.programs[0], "done")
}

// version reads the updated_at of a row for an edit that starts now.
func (f *policyFixture) version(table, idColumn string, id int64) string {
	var v time.Time
	err := f.a.db.QueryRowContext(context.Background(),
		"SELECT updated_at FROM "+table+" WHERE "+idColumn+" = ?", id).Scan(&v)
	if err != nil {
		return ""
	}
	return versionString(v)
}

// reportVersion reads the generated_at of a report, the version of its
// summary.
func (f *policyFixture) reportVersion(id int64) string {
	var v time.Time
	err := f.a.db.QueryRowContext(context.Background(),
		"SELECT generated_at FROM progress_report WHERE id_progress_report = ?", id).Scan(&v)
	if err != nil {
		return ""
	}
	return versionString(v)
}

// programOf returns the program of student, with its district.
func (f *policyFixture) programOf(student int64) (program, district int64) {
	err := f.a.db.QueryRowContext(context.Background(), `SELECT st.id_program, p.id_school_district
		FROM student AS st JOIN program AS p ON p.id_program = st.id_program WHERE st.id_student = ?`,
		student).Scan(&program, &district)
	if err != nil {
		f.a.t.Fatalf("program of student %d: %v", student, err)
	}
	return program, district
}

// compileJob enqueues, or finds still queued, the compile of student's
// program, and returns its id.
func (f *policyFixture) compileJob(student int64) int64 {
	program, district := f.programOf(student)
	res, err := f.a.srv.jobs.Insert(context.Background(), jobs.CompileArgs{DistrictID: district,
		ProgramID: program, Year: policyYear, Period: policyPeriod}, nil)
	if err != nil {
		f.a.t.Fatalf("enqueue compile: %v", err)
	}
	return res.Job.ID
}

// policyQuery is the query naming the fixture's period.
var policyQuery = fmt.Sprintf("?period=%s&year=%d", policyPeriod, policyYear)

// outcome runs operation as the signed-in user against student and says
// what happened: allow, deny or forbidden.
type driver func(f *policyFixture, student int64) string

var drivers = map[string]driver{
	"GET /students": func(f *policyFixture, student int64) string {
		res := f.a.get("/students?program=all&q=" + f.idents[student])
		if res.StatusCode == http.StatusForbidden {
			return "forbidden"
		}
		if res.StatusCode != http.StatusOK {
			return fmt.Sprintf("status %d", res.StatusCode)
		}
		if strings.Contains(res.body, ">"+f.idents[student]+"<") {
			return "allow"
		}
		return "deny"
	},
	"GET /students/:id": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/students/%d", student)))
	},
	"GET /students/:id/fields/:field": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/students/%d/fields/identifier", student), htmx...))
	},
	"GET /students/:id/fields/:field/edit": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/students/%d/fields/program_year/edit", student), htmx...))
	},
	"POST /students/:id/fields/:field": func(f *policyFixture, student int64) string {
		return classify(f.a.post(fmt.Sprintf("/students/%d/fields/program_year", student), "value", "2",
			"version", f.version("student", "id_student", student)))
	},
	"GET /students/:id/goals": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/students/%d/goals", student), htmx...))
	},
	"POST /students/:id/goals": func(f *policyFixture, student int64) string {
		return classify(f.a.postHTMX(fmt.Sprintf("/students/%d/goals", student), "title", "A new goal"))
	},
	"GET /goals/:id": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/goals/%d", f.records[student].goal)))
	},
	"GET /goals/:id/fields/:field": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/goals/%d/fields/title", f.records[student].goal), htmx...))
	},
	"GET /goals/:id/fields/:field/edit": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/goals/%d/fields/title/edit", f.records[student].goal), htmx...))
	},
	"POST /goals/:id/fields/:field": func(f *policyFixture, student int64) string {
		g := f.records[student].goal
		return classify(f.a.post(fmt.Sprintf("/goals/%d/fields/title", g), "value", "Renamed goal",
			"version", f.version("goal", "id_goal", g)))
	},
	"POST /goals/:id/delete": func(f *policyFixture, student int64) string {
		return classify(f.a.post(fmt.Sprintf("/goals/%d/delete", f.records[student].emptyGoal)))
	},
	"GET /students/:id/entries": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/students/%d/entries", student), htmx...))
	},
	"GET /students/:id/entries/older": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/students/%d/entries/older?before=2999-01-01_1", student), htmx...))
	},
	"POST /students/:id/entries": func(f *policyFixture, student int64) string {
		return classify(f.a.postHTMX(fmt.Sprintf("/students/%d/entries", student),
			"goal", itoa(f.records[student].goal), "content", "Logged in the matrix test"))
	},
	"GET /entries/:id": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/entries/%d", f.records[student].entry), htmx...))
	},
	"GET /entries/:id/edit": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/entries/%d/edit", f.records[student].entry), htmx...))
	},
	"GET /entries/:id/edit own": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/entries/%d/edit", f.records[student].ownEntry), htmx...))
	},
	"POST /entries/:id": func(f *policyFixture, student int64) string {
		return f.updateEntry(student, f.records[student].entry)
	},
	"POST /entries/:id own": func(f *policyFixture, student int64) string {
		return f.updateEntry(student, f.records[student].ownEntry)
	},
	"POST /entries/:id/delete": func(f *policyFixture, student int64) string {
		return classify(f.a.postHTMX(fmt.Sprintf("/entries/%d/delete", f.records[student].entry)))
	},
	"POST /entries/:id/delete own": func(f *policyFixture, student int64) string {
		return classify(f.a.postHTMX(fmt.Sprintf("/entries/%d/delete", f.records[student].ownEntry)))
	},
	"POST /students/:id/health-notes": func(f *policyFixture, student int64) string {
		return classify(f.a.postHTMX(fmt.Sprintf("/students/%d/health-notes", student), "content", "Matrix note"))
	},
	"GET /exports": func(f *policyFixture, _ int64) string {
		return classify(f.a.get("/exports"))
	},
	"POST /exports": func(f *policyFixture, _ int64) string {
		return classify(f.a.postHTMX("/exports", "scope", "district",
			"period", fmt.Sprintf("%d-%s", policyYear, policyPeriod)))
	},
	"GET /exports/:id": func(f *policyFixture, _ int64) string {
		return classify(f.a.get(fmt.Sprintf("/exports/%d", f.exportDone), htmx...))
	},
	"GET /exports/:id program": func(f *policyFixture, _ int64) string {
		return classify(f.a.get(fmt.Sprintf("/exports/%d", f.exportProgram), htmx...))
	},
	"GET /exports/:id/download": func(f *policyFixture, _ int64) string {
		return classify(f.a.get(fmt.Sprintf("/exports/%d/download", f.exportDone)))
	},
	"POST /exports/:id/retry": func(f *policyFixture, _ int64) string {
		return classify(f.a.postHTMX(fmt.Sprintf("/exports/%d/retry", f.exportFailed)))
	},
	"read sensitive entry of another author": func(f *policyFixture, student int64) string {
		return f.pageShows(student, f.records[student].sensitive)
	},
	"read own sensitive entry": func(f *policyFixture, student int64) string {
		return f.pageShows(student, f.records[student].ownSensitive)
	},
	"read health note of another author": func(f *policyFixture, student int64) string {
		return f.pageShows(student, f.records[student].healthNote)
	},
	"GET /reports": func(f *policyFixture, _ int64) string {
		return classify(f.a.get("/reports" + policyQuery))
	},
	"POST /reports/compile": func(f *policyFixture, student int64) string {
		program, _ := f.programOf(student)
		return classify(f.a.postHTMX("/reports/compile", "period", policyPeriod,
			"year", itoa(policyYear), "program", itoa(program)))
	},
	"GET /reports/jobs/:id": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/reports/jobs/%d", f.compileJob(student)), htmx...))
	},
	"GET /students/:id/reports": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/students/%d/reports%s", student, policyQuery)))
	},
	"GET /students/:id/reports/print": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/students/%d/reports/print%s", student, policyQuery)))
	},
	"GET /reports/:id/summary": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/reports/%d/summary", f.records[student].report), htmx...))
	},
	"GET /reports/:id/summary/edit": func(f *policyFixture, student int64) string {
		return classify(f.a.get(fmt.Sprintf("/reports/%d/summary/edit", f.records[student].report), htmx...))
	},
	"POST /reports/:id/summary": func(f *policyFixture, student int64) string {
		r := f.records[student].report
		return classify(f.a.postHTMX(fmt.Sprintf("/reports/%d/summary", r), "value", "Rewritten in the matrix",
			"version", f.reportVersion(r)))
	},
	"POST /reports/:id/code": func(f *policyFixture, student int64) string {
		return classify(f.a.postHTMX(fmt.Sprintf("/reports/%d/code", f.records[student].report),
			"code", "mastered"))
	},
	"POST /reports/:id/finalize": func(f *policyFixture, student int64) string {
		return classify(f.a.postHTMX(fmt.Sprintf("/reports/%d/finalize", f.records[student].report)))
	},
	"GET /": func(f *policyFixture, _ int64) string {
		res := f.a.get("/")
		if res.StatusCode == http.StatusSeeOther && res.Header.Get("Location") == "/students" {
			return "allow"
		}
		return classify(res)
	},
	"GET /account/password": func(f *policyFixture, _ int64) string {
		return classify(f.a.get("/account/password"))
	},
	"POST /account/password": func(f *policyFixture, _ int64) string {
		// A wrong current password: 422 shows the route answered.
		res := f.a.post("/account/password", "current", "wrong", "password", "x", "confirm", "x")
		if res.StatusCode == http.StatusUnprocessableEntity {
			return "allow"
		}
		return classify(res)
	},
	"GET /admin": func(f *policyFixture, _ int64) string {
		return classify(f.a.get("/admin"))
	},
	"POST /session/program": func(f *policyFixture, _ int64) string {
		res := f.a.post("/session/program", "program", fmt.Sprint(f.programs[0]))
		if res.StatusCode == http.StatusSeeOther {
			return "allow"
		}
		return classify(res)
	},
}

// htmx marks a request as htmx's, for routes that answer fragments.
var htmx = []string{"HX-Request", "true"}

func (f *policyFixture) updateEntry(student, entry int64) string {
	return classify(f.a.post(fmt.Sprintf("/entries/%d", entry), "goal", itoa(f.records[student].goal),
		"content", "Edited in the matrix test", "version", f.version("progress_event", "id_progress_event", entry)))
}

// pageShows opens the student page and says whether text is on it.
func (f *policyFixture) pageShows(student int64, text string) string {
	res := f.a.get(fmt.Sprintf("/students/%d", student))
	if res.StatusCode != http.StatusOK {
		return classify(res)
	}
	if strings.Contains(res.body, text) {
		return "allow"
	}
	return "deny"
}

func classify(res response) string {
	switch res.StatusCode {
	case http.StatusOK:
		return "allow"
	case http.StatusNotFound:
		return "deny"
	case http.StatusForbidden:
		return "forbidden"
	}
	return fmt.Sprintf("status %d", res.StatusCode)
}

type matrixRow struct {
	operation, role string
	want            map[string]string
}

// readMatrix reads every policy_matrix*.csv file of testdata: the
// workspace's in policy_matrix.csv, each area of administration in its
// own file.
func readMatrix(t *testing.T) []matrixRow {
	t.Helper()
	paths, err := filepath.Glob("testdata/policy_matrix*.csv")
	if err != nil || len(paths) == 0 {
		t.Fatalf("find matrix files: %v", err)
	}
	var rows []matrixRow
	for _, path := range paths {
		rows = append(rows, readMatrixFile(t, path)...)
	}
	return rows
}

func readMatrixFile(t *testing.T, path string) []matrixRow {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatalf("open matrix: %v", err)
	}
	defer file.Close()
	r := csv.NewReader(file)
	r.Comment = '#'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read matrix %s: %v", path, err)
	}
	var rows []matrixRow
	for _, rec := range records[1:] {
		row := matrixRow{operation: rec[0], role: rec[1], want: map[string]string{}}
		for i, rel := range relationships {
			row.want[rel] = rec[2+i]
		}
		rows = append(rows, row)
	}
	return rows
}

// TestPolicyMatrix signs in as each role and tries every operation of the
// matrix on a student in each relationship, comparing with the matrix.
func TestPolicyMatrix(t *testing.T) {
	t.Parallel()
	f := newPolicyFixture(t)
	for _, row := range readMatrix(t) {
		drive, ok := drivers[row.operation]
		if !ok {
			t.Errorf("no driver for operation %q", row.operation)
			continue
		}
		f.a.signIn(f.users[row.role])
		for _, rel := range relationships {
			if got := drive(f, f.students[row.role][rel]); got != row.want[rel] {
				t.Errorf("%s as %s on a %s student: %s, matrix says %s",
					row.operation, row.role, rel, got, row.want[rel])
			}
		}
	}
}

// TestEveryRouteIsDeclaredAndInTheMatrix walks the routes Fiber registered:
// each must have declared what it requires, and each that is not public
// must appear in the policy matrix for every role.
func TestEveryRouteIsDeclaredAndInTheMatrix(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	inMatrix := map[string]map[string]bool{}
	for _, row := range readMatrix(t) {
		if inMatrix[row.operation] == nil {
			inMatrix[row.operation] = map[string]bool{}
		}
		inMatrix[row.operation][row.role] = true
	}

	seen := 0
	for _, r := range a.app.GetRoutes(true) {
		key := r.Method + " " + r.Path
		n, ok := a.srv.declared[key]
		if !ok {
			t.Errorf("route %s declares no requirement", key)
			continue
		}
		seen++
		if n.isPublic || r.Method == fiber.MethodHead {
			continue
		}
		if n.resource == "" && !inMatrix[key]["teacher"] {
			t.Errorf("route %s declares no permission and is not in the matrix", key)
		}
		for _, role := range roles {
			if !inMatrix[key][role] {
				t.Errorf("route %s has no matrix row for %s", key, role)
			}
		}
	}
	if seen < 10 {
		t.Errorf("only %d routes were walked", seen)
	}
}
