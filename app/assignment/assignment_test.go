package assignment_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun/dialect/pgdialect"

	"goaltracker/app/access"
	"goaltracker/app/assignment"
	"goaltracker/app/db"
	"goaltracker/app/db/dbtest"
	"goaltracker/app/problem"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// world is district A with programs one and two and a student in each,
// district B with a student, a district admin and a program admin of
// program one, and teachers in A and B.
type world struct {
	t                        *testing.T
	d                        *db.DB
	svc                      *assignment.Service
	distA, distB             int64
	progOne, progTwo, progB  int64
	stOne, stTwo, stB        int64
	admin, progAdmin         *access.Principal
	teacher, teacher2, farTo int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, d: dbtest.New(t)}
	w.svc = assignment.NewService(w.d.DB)
	w.distA = w.id(`INSERT INTO school_district (name) VALUES ('A') RETURNING id_school_district`)
	w.distB = w.id(`INSERT INTO school_district (name) VALUES ('B') RETURNING id_school_district`)
	program := `INSERT INTO program (id_school_district, name) VALUES (?, 'P') RETURNING id_program`
	w.progOne, w.progTwo, w.progB = w.id(program, w.distA), w.id(program, w.distA), w.id(program, w.distB)
	student := `INSERT INTO student (id_program, identifier) VALUES (?, ?) RETURNING id_student`
	w.stOne, w.stTwo, w.stB = w.id(student, w.progOne, "ONE-1"), w.id(student, w.progTwo, "TWO-1"),
		w.id(student, w.progB, "FAR-1")
	w.admin = w.principal(w.user("admin@a.example", "district_admin", w.distA))
	progAdmin := w.user("pa@a.example", "program_admin", w.distA)
	w.exec(`INSERT INTO user_program (id_user, id_program, is_primary) VALUES (?, ?, true)`, progAdmin, w.progOne)
	w.progAdmin = w.principal(progAdmin)
	w.teacher = w.user("t1@a.example", "teacher", w.distA)
	w.teacher2 = w.user("t2@a.example", "teacher", w.distA)
	w.farTo = w.user("far@b.example", "teacher", w.distB)
	return w
}

func (w *world) id(query string, args ...any) int64 {
	w.t.Helper()
	var id int64
	if err := w.d.QueryRowContext(context.Background(), query, args...).Scan(&id); err != nil {
		w.t.Fatalf("%s: %v", query, err)
	}
	return id
}

func (w *world) exec(query string, args ...any) error {
	_, err := w.d.ExecContext(context.Background(), query, args...)
	return err
}

func (w *world) user(email, role string, district int64) int64 {
	return w.id(`INSERT INTO "user" (id_role, id_school_district, email, name, password_hash)
		SELECT id_role, ?, ?, ?, 'x' FROM role WHERE name = ? RETURNING id_user`, district, email, email, role)
}

func (w *world) principal(userID int64) *access.Principal {
	w.t.Helper()
	var p access.Principal
	var grants []string
	err := w.d.NewRaw(`SELECT u.id_user, u.email, u.id_school_district,
			coalesce((SELECT array_agg(pm.resource || '.' || pm.action || '.' || pm.scope)
				FROM role_permission rp JOIN permission pm ON pm.id_permission = rp.id_permission
				WHERE rp.id_role = u.id_role), '{}'),
			coalesce((SELECT array_agg(id_program) FROM user_program WHERE id_user = u.id_user), '{}')
		FROM "user" u WHERE u.id_user = ?`, userID).Scan(context.Background(),
		&p.UserID, &p.Email, &p.DistrictID, pgdialect.Array(&grants), pgdialect.Array(&p.ProgramIDs))
	if err != nil {
		w.t.Fatalf("principal %d: %v", userID, err)
	}
	return access.NewPrincipal(p, grants)
}

func (w *world) count(query string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.d.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		w.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// primaryOf returns the primary of student, failing unless there is
// exactly one.
func (w *world) primaryOf(student int64) int64 {
	w.t.Helper()
	if n := w.count(`SELECT count(*) FROM user_student WHERE id_student = ? AND is_primary`, student); n != 1 {
		w.t.Fatalf("student %d has %d primaries, want 1", student, n)
	}
	return w.id(`SELECT id_user FROM user_student WHERE id_student = ? AND is_primary`, student)
}

func TestOnePrimaryPerStudent(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	editor := func(user int64, primary bool) assignment.New {
		return assignment.New{UserID: user, AccessLevel: assignment.LevelEditor, IsPrimary: primary}
	}

	if err := w.svc.Add(ctx, w.admin, w.stOne, editor(w.teacher, true)); err != nil {
		t.Fatalf("add the first primary: %v", err)
	}
	if err := w.svc.Add(ctx, w.admin, w.stOne, editor(w.teacher2, true)); err != nil {
		t.Fatalf("add a second primary: %v", err)
	}
	if got := w.primaryOf(w.stOne); got != w.teacher2 {
		t.Errorf("primary is %d, want the newest, %d", got, w.teacher2)
	}
	if err := w.svc.Update(ctx, w.admin, w.stOne, w.teacher, assignment.Change{MakePrimary: true}); err != nil {
		t.Fatalf("make primary: %v", err)
	}
	if got := w.primaryOf(w.stOne); got != w.teacher {
		t.Errorf("primary is %d, want %d", got, w.teacher)
	}

	// The database holds the rule too.
	err := w.exec(`UPDATE user_student SET is_primary = true WHERE id_student = ?`, w.stOne)
	if err == nil {
		t.Errorf("the database accepted two primaries")
	}
	err = w.exec(`INSERT INTO user_student (id_user, id_student, access_level, is_primary)
		VALUES (?, ?, 'viewer', false)`, w.teacher, w.stOne)
	if err == nil {
		t.Errorf("the database accepted the same person twice")
	}
	if n := w.count(`SELECT count(*) FROM audit_event WHERE action = 'assignment_change'
		AND id_student = ?`, w.stOne); n != 3 {
		t.Errorf("assignment changes audited: %d, want 3", n)
	}
}

func TestAssignmentsStayInTheirDistrictAndScope(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	viewer := func(user int64) assignment.New {
		return assignment.New{UserID: user, AccessLevel: assignment.LevelViewer}
	}

	notFound := []struct {
		name string
		who  *access.Principal
		st   int64
		user int64
	}{
		{"an account of B to a student of A", w.admin, w.stOne, w.farTo},
		{"a student of B", w.admin, w.stB, w.teacher},
		{"a student of another program by a program admin", w.progAdmin, w.stTwo, w.teacher},
		{"a missing account", w.admin, w.stOne, 999999},
	}
	for _, c := range notFound {
		if err := w.svc.Add(ctx, c.who, c.st, viewer(c.user)); !errors.Is(err, problem.ErrNotFound) {
			t.Errorf("%s: %v, want not found", c.name, err)
		}
	}
	if err := w.svc.Add(ctx, w.progAdmin, w.stOne, viewer(w.teacher)); err != nil {
		t.Errorf("a program admin assigns in their program: %v", err)
	}
	err := w.svc.Update(ctx, w.progAdmin, w.stTwo, w.teacher, assignment.Change{})
	if !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("change outside the program: %v, want not found", err)
	}
	if _, err := w.svc.AddByIdentifiers(ctx, w.admin, w.distA, []string{"far-1"}, viewer(w.teacher2)); err == nil {
		t.Errorf("a student of B was found by identifier from A")
	}
	done, err := w.svc.AddByIdentifiers(ctx, w.admin, w.distA,
		assignment.SplitIdentifiers(" two-1 "), viewer(w.teacher2))
	if err != nil || done.First == nil || done.First.ID != w.stTwo {
		t.Errorf("assign by identifier: %v, %+v", err, done)
	}
}

func TestAssignmentInputIsChecked(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()

	cases := []struct {
		name  string
		n     assignment.New
		field string
	}{
		{"unknown level", assignment.New{UserID: w.teacher, AccessLevel: "owner"}, "access_level"},
		{"viewer as primary", assignment.New{UserID: w.teacher, AccessLevel: "viewer", IsPrimary: true}, "access_level"},
	}
	for _, c := range cases {
		err := w.svc.Add(ctx, w.admin, w.stOne, c.n)
		if inv, ok := problem.AsInvalid(err); !ok || !inv.Has(c.field) {
			t.Errorf("%s: %v, want a message on %s", c.name, err, c.field)
		}
	}
	if err := w.svc.Add(ctx, w.admin, w.stOne, assignment.New{UserID: w.teacher, AccessLevel: "editor"}); err != nil {
		t.Fatalf("add: %v", err)
	}
	err := w.svc.Add(ctx, w.admin, w.stOne, assignment.New{UserID: w.teacher, AccessLevel: "viewer"})
	if inv, ok := problem.AsInvalid(err); !ok || !inv.Has("user") {
		t.Errorf("assign twice: %v, want a message on user", err)
	}
	if err := w.svc.Remove(ctx, w.admin, w.stOne, w.teacher); err != nil {
		t.Errorf("remove: %v", err)
	}
	if err := w.svc.Remove(ctx, w.admin, w.stOne, w.teacher); !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("remove twice: %v, want not found", err)
	}
}
