package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"goaltracker/app/config"
)

// districtsApp is settingsApp with a system admin signed in, on a clock
// fixed in the 2026-27 school year.
func districtsApp(t *testing.T) (*testApp, int64, int64) {
	t.Helper()
	a := newTestAppWith(t, func(c *config.Config) { c.SchoolYearStart = time.August })
	a.srv.now = func() time.Time { return time.Date(2026, time.December, 3, 12, 0, 0, 0, time.UTC) }
	first, _ := a.seedPrograms()
	distA := a.districtOf(first)
	distB := a.addDistrict("Far District")
	a.seedStudents(first, "S", 2)
	a.signIn(a.addUser("sys@a.example", "system_admin", distA, "unused password 1"))
	return a, distA, distB
}

func TestDistrictsPageListsEveryDistrictWithCounts(t *testing.T) {
	t.Parallel()
	a, _, _ := districtsApp(t)

	res := a.get("/admin/districts")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("districts = %d", res.StatusCode)
	}
	mustContain(t, res.body, "Test District", "Far District", "Add a district",
		// Test District: 2 programs, 1 user, 2 students.
		`<td class="number">2</td><td class="number">1</td><td class="number">2</td>`)
}

func TestCreateDistrictGivesItTheDefaultCalendar(t *testing.T) {
	t.Parallel()
	a, _, _ := districtsApp(t)

	res := a.postHTMX("/admin/districts", "name", "Lakeside", "contact_email", "office@lakeside.example")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("create = %d:\n%s", res.StatusCode, shorten(res.body))
	}
	mustContain(t, res.body, `id="districts"`, "Lakeside", "office@lakeside.example")
	var id int64
	if err := a.db.QueryRow(`SELECT id_school_district FROM school_district WHERE name = 'Lakeside'`).Scan(&id); err != nil {
		t.Fatalf("new district: %v", err)
	}
	// The school year of December 2026 is 2026-27: it and the next.
	if n := a.count(`SELECT count(*) FROM reporting_period WHERE id_school_district = ? AND year IN (2026, 2027)`, id); n != 12 {
		t.Errorf("%d periods, want 12", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_event WHERE action = 'district_created' AND record_id = ?`, id); n != 1 {
		t.Errorf("%d district_created events", n)
	}

	plain := a.post("/admin/districts", "name", "Hillside")
	if plain.StatusCode != http.StatusSeeOther {
		t.Errorf("plain create = %d, want 303", plain.StatusCode)
	}
}

func TestCreateDistrictRefusesBadInput(t *testing.T) {
	t.Parallel()
	a, _, _ := districtsApp(t)
	for _, tc := range []struct{ name, email, want string }{
		{"", "", "Enter a name."},
		{"far district", "", "already a district of that name"},
		{"New", "not an email", "Enter an email address"},
		{"New", "Office <office@x.example>", "Enter an email address"},
		{"New", strings.Repeat("a", 250) + "@x.example", "255 characters"},
	} {
		res := a.postHTMX("/admin/districts", "name", tc.name, "contact_email", tc.email)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%q %q = %d, want 422", tc.name, tc.email, res.StatusCode)
		}
		mustContain(t, res.body, tc.want)
		if tc.email != "" && !strings.Contains(res.body, "value=\"New\"") {
			t.Errorf("typed name lost for %q", tc.email)
		}
	}
	if n := a.count(`SELECT count(*) FROM school_district`); n != 2 {
		t.Errorf("%d districts after refusals, want 2", n)
	}
}

func TestEditDistrictInPlace(t *testing.T) {
	t.Parallel()
	a, _, distB := districtsApp(t)

	res := a.postHTMX(fmt.Sprintf("/admin/districts/%d/fields/contact_email", distB), "value", "hi@far.example")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.body, "hi@far.example") {
		t.Fatalf("set email = %d:\n%s", res.StatusCode, shorten(res.body))
	}
	bad := a.postHTMX(fmt.Sprintf("/admin/districts/%d/fields/name", distB), "value", "test district")
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("duplicate name = %d, want 422", bad.StatusCode)
	}
	mustContain(t, bad.body, `value="test district"`)
	if n := a.count(`SELECT count(*) FROM audit_event WHERE action = 'district_updated' AND record_id = ?`, distB); n != 1 {
		t.Errorf("%d district_updated events, want 1", n)
	}
	if res := a.get("/admin/districts/999999/fields/name/edit", htmx...); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown district = %d, want 404", res.StatusCode)
	}
}

func TestDistrictAdminMayNotManageDistricts(t *testing.T) {
	t.Parallel()
	a, first, _, _ := settingsApp(t)
	if res := a.get("/admin/districts"); res.StatusCode != http.StatusForbidden {
		t.Errorf("districts page = %d, want 403", res.StatusCode)
	}
	res := a.postHTMX(fmt.Sprintf("/admin/districts/%d/fields/name", a.districtOf(first)), "value", "Mine")
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("rename = %d, want 403", res.StatusCode)
	}
}
