package web

import (
	"net/http"
	"strings"
	"testing"
)

// rolesApp is a one-district installation whose only account is a
// district admin, signed in.
func rolesApp(t *testing.T) (*testApp, int64) {
	t.Helper()
	a := newTestApp(t)
	first, _ := a.seedPrograms()
	district := a.districtOf(first)
	a.signIn(a.addUser("admin@a.example", "district_admin", district, "unused password 1", first))
	return a, district
}

// cellIDs returns the ids of a role and a permission, by name.
func (a *testApp) cellIDs(role, permission string) (string, string) {
	a.t.Helper()
	var r, p int64
	if err := a.db.QueryRow(`SELECT id_role FROM role WHERE name = ?`, role).Scan(&r); err != nil {
		a.t.Fatalf("role %s: %v", role, err)
	}
	if err := a.db.QueryRow(`SELECT id_permission FROM permission WHERE name = ?`, permission).Scan(&p); err != nil {
		a.t.Fatalf("permission %s: %v", permission, err)
	}
	return itoa(r), itoa(p)
}

func (a *testApp) holds(role, permission string) bool {
	a.t.Helper()
	return a.count(`SELECT count(*) FROM role_permission AS rp JOIN role AS r USING (id_role)
		JOIN permission AS p USING (id_permission) WHERE r.name = ? AND p.name = ?`, role, permission) == 1
}

// toggle posts one cell of the grid, through htmx or as a plain form.
func (a *testApp) toggle(viaHTMX bool, role, permission string, granted bool) response {
	a.t.Helper()
	r, p := a.cellIDs(role, permission)
	form := []string{"role", r, "permission", p}
	if granted {
		form = append(form, "granted", "true")
	}
	if viaHTMX {
		return a.postHTMX("/admin/roles/grants", form...)
	}
	return a.post("/admin/roles/grants", form...)
}

func TestRolesPageIsTheGrid(t *testing.T) {
	t.Parallel()
	a, _ := rolesApp(t)

	res := a.get("/admin/roles")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("roles = %d", res.StatusCode)
	}
	r, p := a.cellIDs("district_admin", "user.manage.district")
	mustContain(t, res.body, ">District admin</th>", ">Paraeducator</th>", ">user</th>",
		"user.manage.district", "Create, deactivate and unlock the district&#39;s users", "Scope: district",
		`id="grant-`+r+`-`+p+`"`, `hx-trigger="change"`, "<noscript>", "Add a role")
	mustNotContain(t, res.body, "Roles are shared by every district")
}

// Taking user.manage.district from district_admin, when no other account
// could manage users and roles, would leave the district without an
// administrator: it is refused and nothing changes.
func TestGridRefusesToRemoveTheLastAdministrator(t *testing.T) {
	t.Parallel()
	a, _ := rolesApp(t)

	res := a.toggle(true, "district_admin", "user.manage.district", false)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("toggle = %d, want 422:\n%s", res.StatusCode, shorten(res.body))
	}
	mustContain(t, res.body, "would leave a district without anyone able to manage", "checked")
	mustNotContain(t, res.body, "<html")
	if !a.holds("district_admin", "user.manage.district") {
		t.Error("the grant was removed")
	}
	if n := a.count(`SELECT count(*) FROM audit_event WHERE action = 'role_change'`); n != 0 {
		t.Errorf("%d role_change events for a refused change", n)
	}

	page := a.toggle(false, "district_admin", "role.manage.district", false)
	if page.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("plain toggle = %d, want 422", page.StatusCode)
	}
	mustContain(t, page.body, "<html", "would leave a district without anyone")
	if !a.holds("district_admin", "role.manage.district") {
		t.Error("role.manage.district was removed")
	}
}

func TestGridAllowsTheChangeWhenAnotherAdministratorRemains(t *testing.T) {
	t.Parallel()
	a, district := rolesApp(t)
	a.addUser("sys@a.example", "system_admin", district, "unused password 1")

	res := a.toggle(true, "district_admin", "user.manage.district", false)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("toggle = %d:\n%s", res.StatusCode, shorten(res.body))
	}
	mustNotContain(t, res.body, "checked")
	if a.holds("district_admin", "user.manage.district") {
		t.Error("the grant is still there")
	}
	if n := a.count(`SELECT count(*) FROM audit_event WHERE action = 'role_change'
		AND details->>'role' = 'district_admin' AND details->>'permission' = 'user.manage.district'
		AND details->>'granted' = 'false'`); n != 1 {
		t.Errorf("%d role_change events, want 1", n)
	}

	// It takes effect at once: the admin's next request lacks the grant.
	if res := a.get("/admin/roles"); res.StatusCode != http.StatusOK {
		t.Errorf("roles page after the change = %d", res.StatusCode)
	}
	again := a.toggle(false, "district_admin", "user.manage.district", true)
	if again.StatusCode != http.StatusSeeOther || !a.holds("district_admin", "user.manage.district") {
		t.Errorf("plain re-grant = %d", again.StatusCode)
	}
}

func TestGridTakesEffectOnTheNextRequest(t *testing.T) {
	t.Parallel()
	a, _ := rolesApp(t)
	if res := a.get("/admin/calendar"); res.StatusCode != http.StatusOK {
		t.Fatalf("calendar before = %d", res.StatusCode)
	}
	if res := a.toggle(true, "district_admin", "calendar.manage.district", false); res.StatusCode != http.StatusOK {
		t.Fatalf("toggle = %d", res.StatusCode)
	}
	if res := a.get("/admin/calendar"); res.StatusCode != http.StatusForbidden {
		t.Errorf("calendar after losing the grant = %d, want 403", res.StatusCode)
	}
}

// A district-scope administrator of the only district may not hand out
// a permission over every district.
func TestGridRefusesEscalationToTheAllScope(t *testing.T) {
	t.Parallel()
	a, _ := rolesApp(t)

	res := a.toggle(true, "district_admin", "user.manage.all", true)
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("granting an all-scope permission = %d, want 403", res.StatusCode)
	}
	if a.holds("district_admin", "user.manage.all") {
		t.Error("the all-scope grant was given")
	}
	if res := a.toggle(true, "teacher", "student.read.district", true); res.StatusCode != http.StatusOK {
		t.Errorf("granting a district permission = %d, want 200", res.StatusCode)
	}

	page := a.get("/admin/roles")
	r, p := a.cellIDs("teacher", "user.manage.all")
	cell := page.body[strings.Index(page.body, `id="grant-`+r+`-`+p+`"`):]
	cell = cell[:strings.Index(cell, "</form>")]
	mustContain(t, cell, "disabled")

	// Copying a role that holds all-scope grants would be the same.
	sysID, _ := a.cellIDs("system_admin", "user.manage.all")
	copied := a.post("/admin/roles", "name", "helper", "copy_from", sysID)
	if copied.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("copying system_admin = %d, want 422", copied.StatusCode)
	}
	mustContain(t, copied.body, "only an installation-wide administrator", `value="helper"`)
}

// With several districts, a change to the shared roles would reach the
// others: the district-scope administrator gets the grid read-only.
func TestGridIsReadOnlyForADistrictAdminOfSeveral(t *testing.T) {
	t.Parallel()
	a, district := rolesApp(t)
	a.addDistrict("Far District")

	page := a.get("/admin/roles")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("roles = %d", page.StatusCode)
	}
	mustContain(t, page.body, "Roles are shared by every district", "disabled")
	mustNotContain(t, page.body, "Add a role", "<noscript>")
	if res := a.toggle(true, "teacher", "student.read.district", true); res.StatusCode != http.StatusForbidden {
		t.Errorf("toggle = %d, want 403", res.StatusCode)
	}
	tID, _ := a.cellIDs("teacher", "student.read.district")
	if res := a.post("/admin/roles", "name", "helper", "copy_from", tID); res.StatusCode != http.StatusForbidden {
		t.Errorf("create role = %d, want 403", res.StatusCode)
	}

	// An installation-wide administrator may change anything.
	a.signIn(a.addUser("sys@a.example", "system_admin", district, "unused password 1"))
	if res := a.toggle(true, "district_admin", "user.manage.all", true); res.StatusCode != http.StatusOK {
		t.Errorf("system admin granting an all-scope permission = %d", res.StatusCode)
	}
}

func TestCreateRoleCopiesGrants(t *testing.T) {
	t.Parallel()
	a, _ := rolesApp(t)
	teacher, _ := a.cellIDs("teacher", "student.read.district")

	res := a.postHTMX("/admin/roles", "name", "lead_teacher", "description", "Teacher who mentors",
		"copy_from", teacher)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("create = %d:\n%s", res.StatusCode, shorten(res.body))
	}
	mustContain(t, res.body, ">Lead teacher</th>")
	want := a.count(`SELECT count(*) FROM role_permission WHERE id_role = ?`, teacher)
	got := a.count(`SELECT count(*) FROM role_permission AS rp JOIN role AS r USING (id_role) WHERE r.name = 'lead_teacher'`)
	if got != want || got == 0 {
		t.Errorf("lead_teacher has %d grants, teacher %d", got, want)
	}
	if n := a.count(`SELECT count(*) FROM audit_event WHERE action = 'role_created'
		AND details->>'role' = 'lead_teacher'`); n != 1 {
		t.Errorf("%d role_created events", n)
	}

	for _, tc := range []struct{ name, copyFrom, want string }{
		{"lead_teacher", teacher, "already a role of that name"},
		{"Lead Teacher", teacher, "Use lower-case letters"},
		{"tutor", "999999", "Choose the role to start from."},
		{"tutor", "x", "Choose the role to start from."},
	} {
		res := a.postHTMX("/admin/roles", "name", tc.name, "copy_from", tc.copyFrom)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%q from %q = %d, want 422", tc.name, tc.copyFrom, res.StatusCode)
		}
		mustContain(t, res.body, tc.want)
	}
}

func TestGridAnswers404ForUnknownCells(t *testing.T) {
	t.Parallel()
	a, _ := rolesApp(t)
	for _, form := range [][]string{
		{"role", "999999", "permission", "1"},
		{"role", "x", "permission", "1"},
		{"permission", "1"},
	} {
		if res := a.postHTMX("/admin/roles/grants", form...); res.StatusCode != http.StatusNotFound {
			t.Errorf("%v = %d, want 404", form, res.StatusCode)
		}
	}
}
