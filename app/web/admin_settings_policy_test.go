package web

import (
	"context"
	"fmt"
	"maps"
	"sync/atomic"
)

// The drivers of the programs, districts, roles, calendar and audit log
// pages, for policy_matrix_settings.csv. Each is called once per role and
// column on the same fixture, so the ones that create something make a
// new name or year each time, and none changes what a role may do.
func init() { maps.Copy(drivers, settingsDrivers) }

// settingsSerial makes each created name unique; periodSerial and
// defaultSerial each school year added, within a window of 30 calls (one
// operation's rows) that stays inside the years the calendar accepts.
var settingsSerial, periodSerial, defaultSerial atomic.Int64

func nextSerial() int64 { return settingsSerial.Add(1) }

func nextYear(serial *atomic.Int64, first int64) int64 { return first + serial.Add(1)%30 }

var settingsDrivers = map[string]driver{
	"GET /admin/programs": func(f *policyFixture, _ int64) string {
		return classify(f.a.get("/admin/programs"))
	},
	"POST /admin/programs": func(f *policyFixture, _ int64) string {
		return classify(f.a.postHTMX("/admin/programs", "name", fmt.Sprintf("Matrix program %d", nextSerial())))
	},
	"GET /admin/programs/:id/fields/:field": func(f *policyFixture, _ int64) string {
		return classify(f.a.get(fmt.Sprintf("/admin/programs/%d/fields/name", f.programs[0]), htmx...))
	},
	"GET /admin/programs/:id/fields/:field/edit": func(f *policyFixture, _ int64) string {
		return classify(f.a.get(fmt.Sprintf("/admin/programs/%d/fields/name/edit", f.programs[0]), htmx...))
	},
	"POST /admin/programs/:id/fields/:field": func(f *policyFixture, _ int64) string {
		return classify(f.a.postHTMX(fmt.Sprintf("/admin/programs/%d/fields/description", f.programs[0]),
			"value", "Described in the matrix"))
	},
	// programs[2] is district B's: a district-scope admin gets 404.
	"GET /admin/programs/:id/fields/:field/edit other district": func(f *policyFixture, _ int64) string {
		return classify(f.a.get(fmt.Sprintf("/admin/programs/%d/fields/name/edit", f.programs[2]), htmx...))
	},
	"POST /admin/programs/:id/fields/:field other district": func(f *policyFixture, _ int64) string {
		return classify(f.a.postHTMX(fmt.Sprintf("/admin/programs/%d/fields/description", f.programs[2]),
			"value", "Described from district A"))
	},

	"GET /admin/districts": func(f *policyFixture, _ int64) string {
		return classify(f.a.get("/admin/districts"))
	},
	"POST /admin/districts": func(f *policyFixture, _ int64) string {
		return classify(f.a.postHTMX("/admin/districts", "name", fmt.Sprintf("Matrix district %d", nextSerial())))
	},
	"GET /admin/districts/:id/fields/:field": func(f *policyFixture, _ int64) string {
		return classify(f.a.get(fmt.Sprintf("/admin/districts/%d/fields/name", f.districtB()), htmx...))
	},
	"GET /admin/districts/:id/fields/:field/edit": func(f *policyFixture, _ int64) string {
		return classify(f.a.get(fmt.Sprintf("/admin/districts/%d/fields/name/edit", f.districtB()), htmx...))
	},
	"POST /admin/districts/:id/fields/:field": func(f *policyFixture, _ int64) string {
		return classify(f.a.postHTMX(fmt.Sprintf("/admin/districts/%d/fields/contact_email", f.districtB()),
			"value", "office@far.example"))
	},

	"GET /admin/roles": func(f *policyFixture, _ int64) string {
		return classify(f.a.get("/admin/roles"))
	},
	"POST /admin/roles": func(f *policyFixture, _ int64) string {
		teacher, _ := f.a.cellIDs("teacher", "student.read.assigned")
		return classify(f.a.postHTMX("/admin/roles", "name", fmt.Sprintf("matrix_role_%d", nextSerial()),
			"copy_from", teacher))
	},
	"POST /admin/roles/grants": func(f *policyFixture, _ int64) string {
		return f.toggleProbe()
	},

	"GET /admin/calendar": func(f *policyFixture, _ int64) string {
		return classify(f.a.get("/admin/calendar"))
	},
	"POST /admin/calendar/periods": func(f *policyFixture, _ int64) string {
		year := nextYear(&periodSerial, 2031)
		return classify(f.a.postHTMX("/admin/calendar/periods", "year", itoa(year), "code", "Q1",
			"starts_on", fmt.Sprintf("%d-09-01", year), "ends_on", fmt.Sprintf("%d-10-31", year)))
	},
	"POST /admin/calendar/defaults": func(f *policyFixture, _ int64) string {
		return classify(f.a.postHTMX("/admin/calendar/defaults", "year", itoa(nextYear(&defaultSerial, 2061))))
	},
	"GET /admin/calendar/periods/:id": func(f *policyFixture, _ int64) string {
		return classify(f.a.get(fmt.Sprintf("/admin/calendar/periods/%d", f.policyPeriodOf(f.programs[0])), htmx...))
	},
	"GET /admin/calendar/periods/:id/edit": func(f *policyFixture, _ int64) string {
		return classify(f.a.get(fmt.Sprintf("/admin/calendar/periods/%d/edit", f.policyPeriodOf(f.programs[0])), htmx...))
	},
	"POST /admin/calendar/periods/:id": func(f *policyFixture, _ int64) string {
		return f.keepPeriodDates(f.policyPeriodOf(f.programs[0]))
	},
	"POST /admin/calendar/periods/:id/delete": func(f *policyFixture, _ int64) string {
		return classify(f.a.postHTMX(fmt.Sprintf("/admin/calendar/periods/%d/delete", f.sparePeriod(f.programs[0])),
			"confirm", "yes"))
	},
	// District B's periods: a district-scope admin gets 404.
	"GET /admin/calendar/periods/:id/edit other district": func(f *policyFixture, _ int64) string {
		return classify(f.a.get(fmt.Sprintf("/admin/calendar/periods/%d/edit", f.policyPeriodOf(f.programs[2])), htmx...))
	},
	"POST /admin/calendar/periods/:id other district": func(f *policyFixture, _ int64) string {
		return f.keepPeriodDates(f.policyPeriodOf(f.programs[2]))
	},
	"POST /admin/calendar/periods/:id/delete other district": func(f *policyFixture, _ int64) string {
		return classify(f.a.postHTMX(fmt.Sprintf("/admin/calendar/periods/%d/delete", f.sparePeriod(f.programs[2])),
			"confirm", "yes"))
	},

	"GET /admin/audit": func(f *policyFixture, _ int64) string {
		return classify(f.a.get("/admin/audit"))
	},
	"GET /admin/audit.csv": func(f *policyFixture, _ int64) string {
		return classify(f.a.get("/admin/audit.csv"))
	},
}

// districtB is the fixture's second district.
func (f *policyFixture) districtB() int64 { return f.a.districtOf(f.programs[2]) }

// policyPeriodOf returns the fixture's period of program's district.
func (f *policyFixture) policyPeriodOf(program int64) int64 {
	var id int64
	err := f.a.db.QueryRowContext(context.Background(), `SELECT id_reporting_period FROM reporting_period
		WHERE id_school_district = ? AND year = ? AND period = ?`,
		f.a.districtOf(program), policyYear, policyPeriod).Scan(&id)
	if err != nil {
		f.a.t.Fatalf("policy period: %v", err)
	}
	return id
}

// sparePeriod returns a period nobody needs in program's district, to
// delete: the one a refused deletion left, or a new one.
func (f *policyFixture) sparePeriod(program int64) int64 {
	var id int64
	err := f.a.db.QueryRowContext(context.Background(), `WITH added AS (
			INSERT INTO reporting_period (id_school_district, year, period, starts_on, ends_on)
			VALUES (?, 2001, 'S2', '2001-09-01', '2001-10-31')
			ON CONFLICT (id_school_district, year, period) DO NOTHING RETURNING id_reporting_period)
		SELECT id_reporting_period FROM added
		UNION ALL SELECT id_reporting_period FROM reporting_period
			WHERE id_school_district = ? AND year = 2001 AND period = 'S2'`,
		f.a.districtOf(program), f.a.districtOf(program)).Scan(&id)
	if err != nil {
		f.a.t.Fatalf("spare period: %v", err)
	}
	return id
}

// keepPeriodDates saves period's dates unchanged: the route answers
// without moving the calendar other drivers rely on.
func (f *policyFixture) keepPeriodDates(period int64) string {
	return classify(f.a.postHTMX(fmt.Sprintf("/admin/calendar/periods/%d", period),
		"starts_on", "2026-08-17", "ends_on", "2026-10-25"))
}

// toggleProbe flips one cell of a role nobody holds, so that the grid's
// route answers without changing what any of the fixture's users may do.
func (f *policyFixture) toggleProbe() string {
	f.a.exec(`INSERT INTO role (name, description) VALUES ('matrix_probe', 'Held by nobody')
		ON CONFLICT (name) DO NOTHING`)
	role, perm := f.a.cellIDs("matrix_probe", "student.read.district")
	form := []string{"role", role, "permission", perm}
	if !f.a.holds("matrix_probe", "student.read.district") {
		form = append(form, "granted", "true")
	}
	return classify(f.a.postHTMX("/admin/roles/grants", form...))
}
