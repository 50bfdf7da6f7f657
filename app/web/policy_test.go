package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
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
	programs [3]int64
}

func newPolicyFixture(t *testing.T) *policyFixture {
	t.Helper()
	a := newTestApp(t)
	f := &policyFixture{a: a, users: map[string]int64{}, students: map[string]map[string]int64{},
		idents: map[int64]string{}}
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
	if rel == "primary" || rel == "assigned" {
		f.a.exec(`INSERT INTO user_student (id_user, id_student, access_level, is_primary)
			VALUES (?, ?, 'editor', ?)`, f.users[role], id, rel == "primary")
	}
	f.idents[id] = ident
	return id
}

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
	"POST /session/program": func(f *policyFixture, _ int64) string {
		res := f.a.post("/session/program", "program", fmt.Sprint(f.programs[0]))
		if res.StatusCode == http.StatusSeeOther {
			return "allow"
		}
		return classify(res)
	},
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

func readMatrix(t *testing.T) []matrixRow {
	t.Helper()
	file, err := os.Open("testdata/policy_matrix.csv")
	if err != nil {
		t.Fatalf("open matrix: %v", err)
	}
	defer file.Close()
	r := csv.NewReader(file)
	r.Comment = '#'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read matrix: %v", err)
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
