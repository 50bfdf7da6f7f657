package web

import (
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync/atomic"
)

func init() { maps.Copy(drivers, staffDrivers) }

// staffTargets numbers the accounts the staff drivers make, so that each
// operation acts on a fresh account and leaves the fixture's as they were.
var staffTargets atomic.Int64

// staffTarget makes an active teacher account without programs in the
// district of student: district A for every column but other_district.
func (f *policyFixture) staffTarget(student int64) (id, district int64) {
	_, district = f.programOf(student)
	email := fmt.Sprintf("target%d@policy.example", staffTargets.Add(1))
	return f.a.addUser(email, "teacher", district, "unused password 1"), district
}

// districtProgram is the first program of district in the fixture.
func (f *policyFixture) districtProgram(district int64) int64 {
	if district == f.a.districtOf(f.programs[0]) {
		return f.programs[0]
	}
	return f.programs[2]
}

// accountOp posts to path under the target account's page, as htmx does.
func (f *policyFixture) accountOp(student int64, suffix string, form ...string) string {
	target, _ := f.staffTarget(student)
	return classify(f.a.postHTMX(fmt.Sprintf("/admin/users/%d%s", target, suffix), form...))
}

// withAssignment assigns a fresh account of district A to student as a
// viewer, runs op on it, and removes the assignment again, so that the
// fixture's primaries stay as they were.
func (f *policyFixture) withAssignment(student int64, op func(target int64) response) string {
	target, _ := f.staffTarget(f.students["teacher"]["primary"])
	f.a.exec(`INSERT INTO user_student (id_user, id_student, access_level, is_primary)
		VALUES (?, ?, 'viewer', false)`, target, student)
	defer f.a.exec(`DELETE FROM user_student WHERE id_user = ?`, target)
	return classify(op(target))
}

var staffDrivers = map[string]driver{
	"GET /admin/users": func(f *policyFixture, student int64) string {
		target, district := f.staffTarget(student)
		res := f.a.get(fmt.Sprintf("/admin/users?district=%d&q=target", district))
		if res.StatusCode != http.StatusOK {
			return classify(res)
		}
		if strings.Contains(res.body, fmt.Sprintf(`href="/admin/users/%d"`, target)) {
			return "allow"
		}
		return "deny"
	},
	"POST /admin/users": func(f *policyFixture, student int64) string {
		_, district := f.programOf(student)
		email := fmt.Sprintf("invited%d@policy.example", staffTargets.Add(1))
		return classify(f.a.postHTMX("/admin/users", "district", itoa(district), "email", email,
			"name", "Invited Person", "role", "teacher"))
	},
	"GET /admin/users/:id": func(f *policyFixture, student int64) string {
		target, _ := f.staffTarget(student)
		return classify(f.a.get(fmt.Sprintf("/admin/users/%d", target)))
	},
	"GET /admin/users/:id/fields/:field": func(f *policyFixture, student int64) string {
		target, _ := f.staffTarget(student)
		return classify(f.a.get(fmt.Sprintf("/admin/users/%d/fields/name", target), htmx...))
	},
	"GET /admin/users/:id/fields/:field/edit": func(f *policyFixture, student int64) string {
		target, _ := f.staffTarget(student)
		return classify(f.a.get(fmt.Sprintf("/admin/users/%d/fields/role/edit", target), htmx...))
	},
	"POST /admin/users/:id/fields/:field": func(f *policyFixture, student int64) string {
		return f.accountOp(student, "/fields/name", "value", "Renamed Person")
	},
	"POST /admin/users/:id/activate": func(f *policyFixture, student int64) string {
		target, _ := f.staffTarget(student)
		f.a.exec(`UPDATE "user" SET is_active = false WHERE id_user = ?`, target)
		return classify(f.a.postHTMX(fmt.Sprintf("/admin/users/%d/activate", target)))
	},
	"POST /admin/users/:id/deactivate": func(f *policyFixture, student int64) string {
		return f.accountOp(student, "/deactivate")
	},
	"POST /admin/users/:id/unlock": func(f *policyFixture, student int64) string {
		target, _ := f.staffTarget(student)
		f.a.exec(`UPDATE "user" SET locked_until = now() + interval '1 hour' WHERE id_user = ?`, target)
		return classify(f.a.postHTMX(fmt.Sprintf("/admin/users/%d/unlock", target)))
	},
	"POST /admin/users/:id/reset": func(f *policyFixture, student int64) string {
		return f.accountOp(student, "/reset")
	},
	"POST /admin/users/:id/invite": func(f *policyFixture, student int64) string {
		target, _ := f.staffTarget(student)
		f.a.exec(`UPDATE "user" SET password_hash = NULL WHERE id_user = ?`, target)
		return classify(f.a.postHTMX(fmt.Sprintf("/admin/users/%d/invite", target)))
	},
	"POST /admin/users/:id/programs": func(f *policyFixture, student int64) string {
		target, district := f.staffTarget(student)
		return classify(f.a.postHTMX(fmt.Sprintf("/admin/users/%d/programs", target),
			"program", itoa(f.districtProgram(district))))
	},
	"POST /admin/users/:id/programs/:program": func(f *policyFixture, student int64) string {
		return f.membershipOp(student, "", "status", "inactive")
	},
	"POST /admin/users/:id/programs/:program/delete": func(f *policyFixture, student int64) string {
		return f.membershipOp(student, "/delete")
	},
	"POST /admin/users/:id/students": func(f *policyFixture, student int64) string {
		target, _ := f.staffTarget(f.students["teacher"]["primary"])
		defer f.a.exec(`DELETE FROM user_student WHERE id_user = ?`, target)
		res := f.a.postHTMX(fmt.Sprintf("/admin/users/%d/students", target),
			"identifier", f.idents[student], "access_level", "viewer")
		if res.StatusCode == http.StatusUnprocessableEntity && strings.Contains(res.body, "No student") {
			// Not found among the students the person may assign.
			return "deny"
		}
		return classify(res)
	},
	"POST /admin/users/:id/students/:student": func(f *policyFixture, student int64) string {
		return f.withAssignment(student, func(target int64) response {
			return f.a.postHTMX(fmt.Sprintf("/admin/users/%d/students/%d", target, student),
				"access_level", "editor")
		})
	},
	"POST /admin/users/:id/students/:student/delete": func(f *policyFixture, student int64) string {
		return f.withAssignment(student, func(target int64) response {
			return f.a.postHTMX(fmt.Sprintf("/admin/users/%d/students/%d/delete", target, student))
		})
	},
	"POST /students/:id/staff": func(f *policyFixture, student int64) string {
		target, _ := f.staffTarget(f.students["teacher"]["primary"])
		defer f.a.exec(`DELETE FROM user_student WHERE id_user = ?`, target)
		return classify(f.a.postHTMX(fmt.Sprintf("/students/%d/staff", student),
			"user", itoa(target), "access_level", "viewer"))
	},
	"POST /students/:id/staff/:user": func(f *policyFixture, student int64) string {
		return f.withAssignment(student, func(target int64) response {
			return f.a.postHTMX(fmt.Sprintf("/students/%d/staff/%d", student, target), "access_level", "editor")
		})
	},
	"POST /students/:id/staff/:user/delete": func(f *policyFixture, student int64) string {
		return f.withAssignment(student, func(target int64) response {
			return f.a.postHTMX(fmt.Sprintf("/students/%d/staff/%d/delete", student, target))
		})
	},
}

// membershipOp makes a fresh account a member of its district's first
// program and posts to that membership's path plus suffix.
func (f *policyFixture) membershipOp(student int64, suffix string, form ...string) string {
	target, district := f.staffTarget(student)
	program := f.districtProgram(district)
	f.a.exec(`INSERT INTO user_program (id_user, id_program, is_primary) VALUES (?, ?, true)`, target, program)
	return classify(f.a.postHTMX(fmt.Sprintf("/admin/users/%d/programs/%d%s", target, program, suffix), form...))
}
