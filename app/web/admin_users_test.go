package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"goaltracker/app/account"
	"goaltracker/app/assignment"
)

// staffApp is a test app with district A (two programs, a signed-in
// district admin) and district B (one program, one teacher).
type staffApp struct {
	*testApp
	distA, distB int64
	progs        [2]int64
	progB        int64
	admin        int64
	farTeacher   int64
}

func newStaffApp(t *testing.T) *staffApp {
	t.Helper()
	a := &staffApp{testApp: newTestApp(t)}
	a.progs[0], a.progs[1] = a.seedPrograms()
	a.distA = a.districtOf(a.progs[0])
	a.distB = a.scalar(`INSERT INTO school_district (name) VALUES ('Far') RETURNING id_school_district`)
	a.progB = a.scalar(`INSERT INTO program (id_school_district, name) VALUES (?, 'Far Program')
		RETURNING id_program`, a.distB)
	a.admin = a.addUser("admin@staff.example", "district_admin", a.distA, "the admin password 1", a.progs[0])
	a.farTeacher = a.addUser("far@staff.example", "teacher", a.distB, "the far password 1", a.progB)
	a.signIn(a.admin)
	return a
}

func (a *staffApp) scalar(query string, args ...any) int64 {
	a.t.Helper()
	var n int64
	if err := a.db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		a.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// audited counts the audit events of action about record.
func (a *staffApp) audited(action string, record int64) int64 {
	return a.scalar(`SELECT count(*) FROM audit_event WHERE action = ? AND record_id = ?`, action, record)
}

func TestStaffListFiltersAndAnswersFragments(t *testing.T) {
	t.Parallel()
	a := newStaffApp(t)
	a.addUser("ann@staff.example", "teacher", a.distA, "ann's password 1", a.progs[1])
	off := a.addUser("bob@staff.example", "paraeducator", a.distA, "bob's password 1")
	a.exec(`UPDATE "user" SET is_active = false WHERE id_user = ?`, off)

	res := a.get("/admin/users")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, "<html", "ann@staff.example", "bob@staff.example", "Learning Support",
		"Invite a person", `aria-current="page"`)
	mustNotContain(t, res.body, "far@staff.example", `value="system_admin"`)

	res = a.get("/admin/users?status=inactive&q=", "HX-Request", "true", "HX-Target", "user-list")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, "bob@staff.example")
	mustNotContain(t, res.body, "<html", "ann@staff.example")

	res = a.get("/admin/users?q=ANN&role=teacher")
	mustContain(t, res.body, "ann@staff.example")
	mustNotContain(t, res.body, "bob@staff.example")

	wantStatus(t, a.get("/admin/users?role=%ff&q=%ff&status=%ff"), http.StatusOK)
	wantStatus(t, a.get(fmt.Sprintf("/admin/users?district=%d", a.distB)), http.StatusNotFound)
	wantStatus(t, a.get("/admin/users?district=abc"), http.StatusNotFound)
}

func TestDistrictPickerOfASystemAdmin(t *testing.T) {
	t.Parallel()
	a := newStaffApp(t)
	a.signIn(a.addUser("sys@staff.example", "system_admin", a.distA, "the system password 1"))

	res := a.get("/admin/users")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, `name="district"`, "Far", `value="system_admin"`)
	res = a.get(fmt.Sprintf("/admin/users?district=%d", a.distB), "HX-Request", "true", "HX-Target", "user-list")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, "far@staff.example", `hx-swap-oob="true"`, "Far Program")
	mustNotContain(t, res.body, "admin@staff.example", "<html")

	res = a.post("/admin/users", "district", itoa(a.distB), "email", "b@staff.example", "name", "B Person",
		"role", "district_admin", "program", itoa(a.progB))
	wantStatus(t, res, http.StatusSeeOther)
	if n := a.scalar(`SELECT count(*) FROM "user" WHERE email = 'b@staff.example' AND id_school_district = ?`,
		a.distB); n != 1 {
		t.Errorf("the account was not made in district B")
	}
}

func TestInviteCreatesAnAccountThatSetsItsPasswordOnce(t *testing.T) {
	t.Parallel()
	a := newStaffApp(t)

	res := a.post("/admin/users", "email", "New@Staff.example", "name", "New Person", "role", "teacher",
		"program", itoa(a.progs[1]))
	wantStatus(t, res, http.StatusSeeOther)
	id := a.scalar(`SELECT id_user FROM "user" WHERE email = 'new@staff.example'`)
	if got := res.Header.Get("Location"); got != fmt.Sprintf("/admin/users/%d", id) {
		t.Errorf("redirect to %q", got)
	}
	if a.audited("user_created", id) != 1 || a.audited("invitation_sent", id) != 1 {
		t.Errorf("the invitation is not audited")
	}
	link := a.resetLinkFor("new@staff.example")

	// Before the password is set, sign-in is refused like any other.
	a.cookie, a.csrf = "", ""
	a.anonCSRF()
	res = a.post("/login", "email", "new@staff.example", "password", "", "_csrf", a.csrf)
	mustNotContain(t, res.body, "password not set", "invited")

	wantStatus(t, a.get(link), http.StatusOK)
	res = a.post(link, "password", "my chosen password", "confirm", "my chosen password", "_csrf", a.csrf)
	wantStatus(t, res, http.StatusSeeOther)
	wantStatus(t, a.get(link), http.StatusGone)
	res = a.post("/login", "email", "new@staff.example", "password", "my chosen password", "_csrf", a.csrf)
	wantStatus(t, res, http.StatusSeeOther)
	if strings.Contains(res.Header.Get("Location"), "login") {
		t.Errorf("sign-in with the chosen password went to %s", res.Header.Get("Location"))
	}
}

func TestInviteRefusals(t *testing.T) {
	t.Parallel()
	a := newStaffApp(t)

	res := a.postHTMX("/admin/users", "email", "not an email", "name", "Typed Name", "role", "teacher")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, `id="user-invite"`, "Typed Name", "Enter an email address")
	mustNotContain(t, res.body, "<html")

	res = a.post("/admin/users", "email", "admin@staff.example", "name", "Twice", "role", "teacher")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, "<html", "exists already", "Twice")

	res = a.post("/admin/users", "email", "x@staff.example", "name", "X", "role", "teacher", "program", "abc")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	res = a.post("/admin/users", "email", "x@staff.example", "name", "X", "role", "teacher",
		"program", itoa(a.progB))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, "Choose a program of the account")

	wantStatus(t, a.postHTMX("/admin/users", "email", "boss@staff.example", "name", "Boss",
		"role", "system_admin"), http.StatusForbidden)
	wantStatus(t, a.postHTMX("/admin/users", "district", itoa(a.distB), "email", "y@staff.example",
		"name", "Y", "role", "teacher"), http.StatusNotFound)
}

func TestAccountPageEditsInPlace(t *testing.T) {
	t.Parallel()
	a := newStaffApp(t)
	target := a.addUser("t@staff.example", "teacher", a.distA, "the teacher password 1", a.progs[0])
	page := fmt.Sprintf("/admin/users/%d", target)

	res := a.get(page)
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, "t@staff.example", "Force a password reset", "Deactivate", "Transition")
	wantStatus(t, a.get(fmt.Sprintf("/admin/users/%d", a.farTeacher)), http.StatusNotFound)
	wantStatus(t, a.get("/admin/users/abc"), http.StatusNotFound)
	wantStatus(t, a.get(page+"/fields/email", "HX-Request", "true"), http.StatusNotFound)

	res = a.get(page+"/fields/role/edit", "HX-Request", "true")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, `value="paraeducator"`)
	mustNotContain(t, res.body, `value="system_admin"`)

	res = a.postHTMX(page+"/fields/name", "value", "  Renamed Teacher ")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, "Renamed Teacher")
	res = a.postHTMX(page+"/fields/name", "value", "")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, "Enter the person")

	res = a.post(page+"/fields/role", "value", "paraeducator")
	wantStatus(t, res, http.StatusSeeOther)
	if a.audited("user_updated", target) != 1 || a.audited("user_role_change", target) != 1 {
		t.Errorf("the name and role changes are not audited")
	}
	wantStatus(t, a.postHTMX(page+"/fields/role", "value", "system_admin"), http.StatusForbidden)
	wantStatus(t, a.postHTMX(fmt.Sprintf("/admin/users/%d/fields/name", a.farTeacher), "value", "X"),
		http.StatusNotFound)
}

func TestLastAdministratorIsKeptOnThePage(t *testing.T) {
	t.Parallel()
	a := newStaffApp(t)
	self := fmt.Sprintf("/admin/users/%d", a.admin)

	res := a.postHTMX(self+"/fields/role", "value", "teacher")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, "without anyone able to manage its users and roles")

	res = a.postHTMX(self + "/deactivate")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, "cannot deactivate your own account")

	a.addUser("second@staff.example", "district_admin", a.distA, "the second password 1")
	res = a.postHTMX(self+"/fields/role", "value", "teacher")
	wantStatus(t, res, http.StatusOK)
}

func TestDeactivateAsksFirstAndEndsSessions(t *testing.T) {
	t.Parallel()
	a := newStaffApp(t)
	target := a.addUser("t@staff.example", "teacher", a.distA, "the teacher password 1")
	page := fmt.Sprintf("/admin/users/%d", target)
	token, err := a.accounts.StartSession(context.Background(), &account.User{ID: target}, "::1", "test")
	if err != nil {
		t.Fatalf("session: %v", err)
	}

	res := a.post(page + "/deactivate")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, "Are you sure?", `name="confirmed" value="yes"`)
	if a.audited("user_deactivated", target) != 0 {
		t.Fatalf("deactivated without the confirmation")
	}

	res = a.post(page+"/deactivate", "confirmed", "yes")
	wantStatus(t, res, http.StatusSeeOther)
	if a.audited("user_deactivated", target) != 1 {
		t.Errorf("the deactivation is not audited")
	}
	if _, err := a.accounts.SessionByToken(context.Background(), token); err == nil {
		t.Errorf("the session outlived the deactivation")
	}

	res = a.postHTMX(page + "/activate")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, `id="user-actions"`, "is active again")
	mustNotContain(t, res.body, "<html")
	if a.audited("user_activated", target) != 1 {
		t.Errorf("the activation is not audited")
	}
}

func TestForceResetAndUnlock(t *testing.T) {
	t.Parallel()
	a := newStaffApp(t)
	target := a.addUser("t@staff.example", "teacher", a.distA, "the teacher password 1")
	page := fmt.Sprintf("/admin/users/%d", target)
	a.exec(`UPDATE "user" SET locked_until = now() + interval '1 hour' WHERE id_user = ?`, target)

	res := a.postHTMX(page + "/unlock")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, "is unlocked")
	if a.audited("unlock", target) != 1 {
		t.Errorf("the unlock is not audited")
	}

	res = a.postHTMX(page + "/reset")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, "no longer works")
	link := a.resetLinkFor("t@staff.example")
	if _, err := a.accounts.SignIn(context.Background(), "t@staff.example", "the teacher password 1", "::1"); err == nil {
		t.Errorf("the old password still works")
	}
	if a.audited("password_reset_forced", target) != 1 {
		t.Errorf("the forced reset is not audited")
	}
	wantStatus(t, a.get(link), http.StatusOK)

	// Only an account that never set a password gets its invitation again.
	wantStatus(t, a.postHTMX(page+"/invite"), http.StatusUnprocessableEntity)
}

func TestMembershipsOnTheAccountPage(t *testing.T) {
	t.Parallel()
	a := newStaffApp(t)
	target := a.addUser("t@staff.example", "teacher", a.distA, "the teacher password 1", a.progs[0])
	page := fmt.Sprintf("/admin/users/%d", target)

	res := a.postHTMX(page+"/programs", "program", itoa(a.progs[1]))
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, `id="user-programs"`, "Learning Support", "Program added")
	mustNotContain(t, res.body, "<html")
	wantStatus(t, a.postHTMX(page+"/programs", "program", itoa(a.progB)), http.StatusUnprocessableEntity)
	wantStatus(t, a.postHTMX(page+"/programs", "program", "x"), http.StatusUnprocessableEntity)

	res = a.post(fmt.Sprintf("%s/programs/%d", page, a.progs[1]), "primary", "yes")
	wantStatus(t, res, http.StatusSeeOther)
	if n := a.scalar(`SELECT count(*) FROM user_program WHERE id_user = ? AND is_primary AND id_program = ?`,
		target, a.progs[1]); n != 1 {
		t.Errorf("the primary program did not change")
	}
	if n := a.scalar(`SELECT count(*) FROM user_program WHERE id_user = ? AND is_primary`, target); n != 1 {
		t.Errorf("%d primary programs, want 1", n)
	}
	wantStatus(t, a.postHTMX(fmt.Sprintf("%s/programs/%d", page, a.progs[0]), "status", "inactive"),
		http.StatusOK)
	wantStatus(t, a.postHTMX(fmt.Sprintf("%s/programs/%d", page, a.progs[0]), "status", "weird"),
		http.StatusUnprocessableEntity)

	res = a.post(fmt.Sprintf("%s/programs/%d/delete", page, a.progs[0]))
	mustContain(t, res.body, "Are you sure?")
	wantStatus(t, a.postHTMX(fmt.Sprintf("%s/programs/%d/delete", page, a.progs[0])), http.StatusOK)
	wantStatus(t, a.postHTMX(fmt.Sprintf("%s/programs/%d/delete", page, a.progs[0])), http.StatusNotFound)
	if got := a.audited("membership_change", target); got != 4 {
		t.Errorf("membership changes audited: %d, want 4", got)
	}
}

func TestStaffSectionOfTheStudentPage(t *testing.T) {
	t.Parallel()
	a := newStaffApp(t)
	teacher := a.addUser("t@staff.example", "teacher", a.distA, "the teacher password 1", a.progs[0])
	other := a.addUser("o@staff.example", "teacher", a.distA, "the other password 1", a.progs[0])
	student := a.scalar(`INSERT INTO student (id_program, identifier) VALUES (?, 'KID-1') RETURNING id_student`,
		a.progs[0])
	farStudent := a.scalar(`INSERT INTO student (id_program, identifier) VALUES (?, 'FAR-1') RETURNING id_student`,
		a.progB)
	staff := fmt.Sprintf("/students/%d/staff", student)

	res := a.get(fmt.Sprintf("/students/%d", student))
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, `id="student-staff"`, "No one is assigned")

	res = a.postHTMX(staff, "user", itoa(teacher), "access_level", "editor", "primary", "yes")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, "Test teacher", "Primary")
	mustNotContain(t, res.body, "<html")
	res = a.post(staff, "user", itoa(other), "access_level", "viewer")
	wantStatus(t, res, http.StatusSeeOther)

	res = a.postHTMX(fmt.Sprintf("%s/%d", staff, other), "primary", "yes")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, "The primary must be an editor")
	wantStatus(t, a.postHTMX(fmt.Sprintf("%s/%d", staff, other), "access_level", "editor", "primary", "yes"),
		http.StatusOK)
	if got := a.scalar(`SELECT id_user FROM user_student WHERE id_student = ? AND is_primary`, student); got != other {
		t.Errorf("primary is %d, want %d", got, other)
	}

	wantStatus(t, a.postHTMX(staff, "user", itoa(a.farTeacher), "access_level", "viewer"), http.StatusNotFound)
	wantStatus(t, a.postHTMX(fmt.Sprintf("/students/%d/staff", farStudent), "user", itoa(teacher),
		"access_level", "viewer"), http.StatusNotFound)
	wantStatus(t, a.postHTMX(staff, "user", "nobody", "access_level", "viewer"), http.StatusUnprocessableEntity)

	res = a.post(fmt.Sprintf("%s/%d/delete", staff, teacher))
	mustContain(t, res.body, "Are you sure?")
	wantStatus(t, a.postHTMX(fmt.Sprintf("%s/%d/delete", staff, teacher)), http.StatusOK)
	if n := a.scalar(`SELECT count(*) FROM audit_event WHERE action = 'assignment_change' AND id_student = ?`,
		student); n != 4 {
		t.Errorf("assignment changes audited: %d, want 4", n)
	}

	// A teacher reads the student but does not manage its staff.
	a.signIn(other)
	res = a.get(fmt.Sprintf("/students/%d", student))
	wantStatus(t, res, http.StatusOK)
	mustNotContain(t, res.body, `id="student-staff"`)
}

func TestAssignFromTheAccountPage(t *testing.T) {
	t.Parallel()
	a := newStaffApp(t)
	teacher := a.addUser("t@staff.example", "teacher", a.distA, "the teacher password 1", a.progs[0])
	student := a.scalar(`INSERT INTO student (id_program, identifier) VALUES (?, 'KID-1') RETURNING id_student`,
		a.progs[1])
	a.exec(`INSERT INTO student (id_program, identifier) VALUES (?, 'FAR-1')`, a.progB)
	page := fmt.Sprintf("/admin/users/%d", teacher)

	res := a.postHTMX(page+"/students", "identifier", "kid-1", "access_level", "editor")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, `id="user-students"`, "KID-1", "Learning Support")

	res = a.postHTMX(page+"/students", "identifier", "FAR-1", "access_level", "viewer")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, "No student whose staff you may assign has the identifier FAR-1", ">FAR-1</textarea>")
	res = a.post(page+"/students", "identifier", strings.Repeat("x", 51), "access_level", "viewer")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, "<html", "at most 50 characters")

	wantStatus(t, a.postHTMX(fmt.Sprintf("%s/students/%d", page, student), "primary", "yes"), http.StatusOK)
	wantStatus(t, a.postHTMX(fmt.Sprintf("%s/students/%d/delete", page, student)), http.StatusOK)
	wantStatus(t, a.postHTMX(fmt.Sprintf("%s/students/%d/delete", page, student)), http.StatusNotFound)
	wantStatus(t, a.postHTMX(fmt.Sprintf("/admin/users/%d/students", a.farTeacher), "identifier", "FAR-1",
		"access_level", "viewer"), http.StatusNotFound)
}

func TestAssignAPastedListAllOrNothing(t *testing.T) {
	t.Parallel()
	a := newStaffApp(t)
	teacher := a.addUser("list@staff.example", "teacher", a.distA, "the teacher password 1", a.progs[0])
	for i := 1; i <= 5; i++ {
		a.exec(`INSERT INTO student (id_program, identifier) VALUES (?, ?)`, a.progs[0], fmt.Sprintf("LIST-%d", i))
	}
	a.exec(`INSERT INTO student (id_program, identifier) VALUES (?, 'FAR-9')`, a.progB)
	page := fmt.Sprintf("/admin/users/%d", teacher)
	count := func() int {
		return int(a.scalar(`SELECT count(*) FROM user_student WHERE id_user = ?`, teacher))
	}

	// One unknown identifier in the list: nothing is assigned, and the
	// list comes back as typed.
	res := a.postHTMX(page+"/students", "identifier", "LIST-1\nLIST-2, FAR-9", "access_level", "editor")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, "FAR-9. Nothing was assigned.", "LIST-2, FAR-9</textarea>")
	if n := count(); n != 0 {
		t.Fatalf("%d assignments after a refused list", n)
	}

	res = a.postHTMX(page+"/students", "identifier", "LIST-1\nlist-2; LIST-3 LIST-1", "access_level", "editor")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, "is assigned to 3 students.")
	res = a.postHTMX(page+"/students", "identifier", "LIST-3,LIST-4,LIST-5", "access_level", "viewer")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res.body, "is assigned to 2 more students; 1 were assigned already.")
	if n := count(); n != 5 {
		t.Fatalf("%d assignments, want 5", n)
	}
	if n := a.scalar(`SELECT count(*) FROM audit_event WHERE action = 'assignment_change'
		AND record_id = ?`, teacher); n != 5 {
		t.Errorf("%d audit events, want one per assignment", n)
	}

	long := strings.Repeat("S ", assignment.MaxIdentifiers+1)
	for i := range assignment.MaxIdentifiers + 1 {
		long += fmt.Sprintf("X%d ", i)
	}
	res = a.postHTMX(page+"/students", "identifier", long, "access_level", "editor")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res.body, "at most 1000 students at once")
}
