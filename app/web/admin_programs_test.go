package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// settingsApp is a district A with two programs and a district B with one,
// and a district admin of A signed in. It returns A's programs and B's.
func settingsApp(t *testing.T) (a *testApp, first, second, far int64) {
	t.Helper()
	a = newTestApp(t)
	first, second = a.seedPrograms()
	distB := a.addDistrict("Far District")
	far = a.addProgram(distB, "Far Program")
	a.signIn(a.addUser("admin@a.example", "district_admin", a.districtOf(first), "unused password 1", first))
	return a, first, second, far
}

func (a *testApp) addDistrict(name string) int64 {
	a.t.Helper()
	var id int64
	err := a.db.QueryRowContext(context.Background(), `INSERT INTO school_district (name) VALUES (?)
		RETURNING id_school_district`, name).Scan(&id)
	if err != nil {
		a.t.Fatalf("add district: %v", err)
	}
	return id
}

func (a *testApp) addProgram(district int64, name string) int64 {
	a.t.Helper()
	var id int64
	err := a.db.QueryRowContext(context.Background(), `INSERT INTO program (id_school_district, name)
		VALUES (?, ?) RETURNING id_program`, district, name).Scan(&id)
	if err != nil {
		a.t.Fatalf("add program: %v", err)
	}
	return id
}

// count runs a count query.
func (a *testApp) count(query string, args ...any) int {
	a.t.Helper()
	var n int
	if err := a.db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		a.t.Fatalf("count %q: %v", query, err)
	}
	return n
}

func TestProgramsPageListsTheDistrictsProgramsWithCounts(t *testing.T) {
	t.Parallel()
	a, first, _, _ := settingsApp(t)
	a.seedStudents(first, "S", 3)

	res := a.get("/admin/programs")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("programs = %d", res.StatusCode)
	}
	mustContain(t, res.body, "Transition", "Learning Support", `<td class="number">3</td>`,
		`<td class="number">1</td>`, "Add a program", `aria-current="page"`)
	mustNotContain(t, res.body, "Far Program", "district-picker")
}

func TestCreateProgram(t *testing.T) {
	t.Parallel()
	a, first, _, _ := settingsApp(t)
	district := a.districtOf(first)

	res := a.postHTMX("/admin/programs", "name", "  Bridge  ", "description", "Ages 18 to 21")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("create = %d:\n%s", res.StatusCode, shorten(res.body))
	}
	mustContain(t, res.body, `id="programs"`, "Bridge", "Ages 18 to 21")
	mustNotContain(t, res.body, "<html")
	if n := a.count(`SELECT count(*) FROM program WHERE name = 'Bridge' AND id_school_district = ?`, district); n != 1 {
		t.Errorf("%d programs named Bridge", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_event WHERE action = 'program_created'
		AND details->>'name' = 'Bridge' AND id_school_district = ?`, district); n != 1 {
		t.Errorf("%d program_created events", n)
	}

	plain := a.post("/admin/programs", "name", "Evening")
	if plain.StatusCode != http.StatusSeeOther {
		t.Errorf("plain create = %d, want 303", plain.StatusCode)
	}
}

func TestCreateProgramRefusesBadNames(t *testing.T) {
	t.Parallel()
	a, _, _, _ := settingsApp(t)
	for _, tc := range []struct{ name, want string }{
		{"", "Enter a name."},
		{"  ", "Enter a name."},
		{"transition", "already has a program of that name"},
		{strings.Repeat("é", 256), "Keep it to 255 characters."},
		{"bad \xff utf", "cannot be stored"},
	} {
		res := a.postHTMX("/admin/programs", "name", tc.name, "description", "kept text")
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("name %q = %d, want 422", tc.name, res.StatusCode)
		}
		mustContain(t, res.body, tc.want, "kept text")
	}
	// The same name in another district is fine.
	res := a.postHTMX("/admin/programs", "name", "Far Program")
	if res.StatusCode != http.StatusOK {
		t.Errorf("a name used in another district = %d", res.StatusCode)
	}
	page := a.post("/admin/programs", "name", "")
	if page.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page.body, "<html") {
		t.Errorf("plain bad create = %d, want the whole page with 422", page.StatusCode)
	}
}

func TestEditProgramInPlace(t *testing.T) {
	t.Parallel()
	a, first, second, far := settingsApp(t)

	edit := a.get(fmt.Sprintf("/admin/programs/%d/fields/name/edit", first), htmx...)
	if edit.StatusCode != http.StatusOK {
		t.Fatalf("edit form = %d", edit.StatusCode)
	}
	mustContain(t, edit.body, `value="Transition"`, "data-inline-edit")

	res := a.postHTMX(fmt.Sprintf("/admin/programs/%d/fields/name", first), "value", "Transition Plus")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("rename = %d:\n%s", res.StatusCode, shorten(res.body))
	}
	mustContain(t, res.body, "Transition Plus")
	if n := a.count(`SELECT count(*) FROM audit_event WHERE action = 'program_updated'
		AND record_id = ? AND details->>'to' = 'Transition Plus'`, first); n != 1 {
		t.Errorf("%d program_updated events", n)
	}

	dup := a.postHTMX(fmt.Sprintf("/admin/programs/%d/fields/name", second), "value", "TRANSITION PLUS")
	if dup.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("duplicate rename = %d, want 422", dup.StatusCode)
	}
	mustContain(t, dup.body, `value="TRANSITION PLUS"`, "already has a program")

	desc := a.postHTMX(fmt.Sprintf("/admin/programs/%d/fields/description", second), "value", "Small groups")
	if desc.StatusCode != http.StatusOK || !strings.Contains(desc.body, "Small groups") {
		t.Errorf("describe = %d", desc.StatusCode)
	}

	for _, path := range []string{
		fmt.Sprintf("/admin/programs/%d/fields/name/edit", far),
		fmt.Sprintf("/admin/programs/%d/fields/colour/edit", first),
		"/admin/programs/x/fields/name/edit",
	} {
		if res := a.get(path, htmx...); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, res.StatusCode)
		}
	}
	if res := a.postHTMX(fmt.Sprintf("/admin/programs/%d/fields/name", far), "value", "Mine"); res.StatusCode != http.StatusNotFound {
		t.Errorf("renaming another district's program = %d, want 404", res.StatusCode)
	}
}

func TestSystemAdminPicksTheDistrictsPrograms(t *testing.T) {
	t.Parallel()
	a, first, _, far := settingsApp(t)
	a.signIn(a.addUser("sys@a.example", "system_admin", a.districtOf(first), "unused password 1"))
	farDistrict := a.districtOf(far)

	res := a.get(fmt.Sprintf("/admin/programs?district=%d", farDistrict))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("programs of B = %d", res.StatusCode)
	}
	mustContain(t, res.body, "Far Program", "district-picker", "Test District")
	mustNotContain(t, res.body, "Learning Support")

	add := a.postHTMX("/admin/programs", "district", itoa(farDistrict), "name", "Far Two")
	if add.StatusCode != http.StatusOK {
		t.Fatalf("create in B = %d", add.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM program WHERE name = 'Far Two' AND id_school_district = ?`, farDistrict); n != 1 {
		t.Errorf("Far Two not in district B")
	}
	if res := a.get("/admin/programs?district=999999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown district = %d, want 404", res.StatusCode)
	}
}
