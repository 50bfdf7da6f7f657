package web

import (
	"github.com/gofiber/fiber/v2"
)

// routes registers the middleware and every route of the application. The
// whole surface of the app is in this one file, and every route states
// what it requires of the person asking: public, signed in, or a
// permission. A test fails on any route registered without one.
func (s *Server) routes(app *fiber.App) {
	// Order matters: the request id comes first so every log line has it;
	// logRequest wraps recoverPanic so that a panic is answered and logged
	// like any other error.
	app.Use(s.requestContext)
	app.Use(s.logRequest)
	app.Use(s.recoverPanic)
	app.Use(s.securityHeaders)

	r := &router{app: app, s: s, declared: s.declared}

	// Infrastructure, before the session middleware: neither needs it.
	r.get("/healthz", public, s.showHealth)
	r.get("/static/*", public, s.serveStatic)

	app.Use(compressLarge())
	app.Use(s.loadSession)
	app.Use(s.checkCSRF)

	// Signing in and out, and passwords.
	r.get("/login", public, s.showLogin)
	r.post("/login", public, s.limitLogins, s.signIn)
	r.post("/logout", public, s.signOut)
	r.get("/password/forgot", public, s.showForgotPassword)
	r.post("/password/forgot", public, s.limitResets, s.requestPasswordReset)
	r.get("/password/reset/:token", public, s.showResetPassword)
	r.post("/password/reset/:token", public, s.limitResets, s.resetPassword)
	r.get("/account/password", signedIn, s.showChangePassword)
	r.post("/account/password", signedIn, s.changePassword)
	r.post("/session/program", signedIn, s.switchProgram)
	if s.mailbox != nil {
		// Development only: the mails a real server would have sent, so a
		// reset can be tried without a mail server. It must answer while
		// signed out, since a forgotten password is the point.
		r.get("/dev/mail", public, s.showMailbox)
	}

	// Students: the list and the workspace.
	r.get("/", signedIn, s.redirectHome)
	r.get("/students", can("student", "read"), s.listStudents)
	r.get("/students/:id", can("student", "read"), s.showStudent)
	r.get("/students/:id/fields/:field", can("student", "read"), s.showStudentField)
	r.get("/students/:id/fields/:field/edit", can("student", "update"), s.showStudentField)
	r.post("/students/:id/fields/:field", can("student", "update"), s.updateStudentField)

	// Goals.
	r.get("/students/:id/goals", can("goal", "read"), s.showGoals)
	r.post("/students/:id/goals", can("goal", "create"), s.createGoal)
	r.get("/goals/:id", can("goal", "read"), s.showGoal)
	r.get("/goals/:id/fields/:field", can("goal", "read"), s.showGoalField)
	r.get("/goals/:id/fields/:field/edit", can("goal", "update"), s.showGoalField)
	r.post("/goals/:id/fields/:field", can("goal", "update"), s.updateGoalField)
	r.post("/goals/:id/delete", can("goal", "delete"), s.deleteGoal)

	// The progress log.
	r.get("/students/:id/entries", can("entry", "read"), s.listEntries)
	r.get("/students/:id/entries/older", can("entry", "read"), s.listOlderEntries)
	r.post("/students/:id/entries", can("entry", "create"), s.createEntry)
	r.get("/entries/:id", can("entry", "read"), s.showEntry)
	r.get("/entries/:id/edit", can("entry", "update"), s.editEntry)
	r.post("/entries/:id", can("entry", "update"), s.updateEntry)
	r.post("/entries/:id/delete", can("entry", "delete"), s.deleteEntry)

	// Health notes: listed on the student page for those who may read them.
	r.post("/students/:id/health-notes", can("health_note", "create"), s.createHealthNote)

	// Reports. The district's page and its compile jobs, then a student's
	// reports: the review tab, the printable report for families, and the
	// changes staff make before a report is final. Report ids are checked
	// against their student, never trusted alone.
	r.get("/reports", can("report", "read"), s.showReports)
	r.post("/reports/compile", can("report", "compile"), s.requestCompile)
	r.get("/reports/jobs/:id", can("report", "read"), s.showCompileJob)
	r.get("/students/:id/reports", can("report", "read"), s.showStudentReports)
	r.get("/students/:id/reports/print", can("report", "read"), s.printStudentReports)
	r.get("/reports/:id/summary", can("report", "read"), s.showReportSummary)
	r.get("/reports/:id/summary/edit", can("report", "update"), s.showReportSummary)
	r.post("/reports/:id/summary", can("report", "update"), s.updateReportSummary)
	r.post("/reports/:id/code", can("report", "update"), s.setReportCode)
	r.post("/reports/:id/finalize", can("report", "finalize"), s.finalizeReport)

	// Workbooks.
	r.get("/exports", can("export", "read"), s.showExports)
	r.post("/exports", can("export", "create"), s.requestExport)
	r.get("/exports/:id", can("export", "read"), s.showExport)
	r.get("/exports/:id/download", can("export", "read"), s.downloadExport)
	r.post("/exports/:id/retry", can("export", "create"), s.retryExport)

	// Administration. Each area registers its own routes; the landing page
	// lists the areas the person may use.
	r.get("/admin", signedIn, s.showAdmin)

	// The roster: students added, edited in place, moved and imported. The
	// import routes come before /admin/students/:id, which would take
	// "import" for an id.
	r.get("/admin/students", can("roster", "manage"), s.showRoster)
	r.post("/admin/students", can("roster", "manage"), s.createRosterStudent)
	r.get("/admin/students/import", can("roster", "manage"), s.showRosterImport)
	r.post("/admin/students/import", can("roster", "manage"), s.previewRosterImport)
	r.post("/admin/students/import/:id", can("roster", "manage"), s.commitRosterImport)
	r.get("/admin/students/:id", can("roster", "manage"), s.showRosterStudent)
	r.get("/admin/students/:id/edit", can("roster", "manage"), s.editRosterStudent)
	r.post("/admin/students/:id", can("roster", "manage"), s.updateRosterStudent)
	r.post("/admin/students/:id/move", can("roster", "manage"), s.moveRosterStudent)

	// Staff: accounts, their program memberships and student assignments.
	// The need opens the routes; the account service checks each account's
	// district, the assignment service each student's program. Changes to
	// assignments are made from the account page and the student page.
	r.get("/admin/users", can("user", "manage"), s.listUsers)
	r.post("/admin/users", can("user", "manage"), s.createUser)
	r.get("/admin/users/:id", can("user", "manage"), s.showUser)
	r.get("/admin/users/:id/fields/:field", can("user", "manage"), s.showUserField)
	r.get("/admin/users/:id/fields/:field/edit", can("user", "manage"), s.showUserField)
	r.post("/admin/users/:id/fields/:field", can("user", "manage"), s.updateUserField)
	r.post("/admin/users/:id/activate", can("user", "manage"), s.activateUser)
	r.post("/admin/users/:id/deactivate", can("user", "manage"), s.deactivateUser)
	r.post("/admin/users/:id/unlock", can("user", "manage"), s.unlockUser)
	r.post("/admin/users/:id/reset", can("user", "manage"), s.forceReset)
	r.post("/admin/users/:id/invite", can("user", "manage"), s.resendInvitation)
	r.post("/admin/users/:id/programs", can("user", "manage"), s.addMembership)
	r.post("/admin/users/:id/programs/:program", can("user", "manage"), s.updateMembership)
	r.post("/admin/users/:id/programs/:program/delete", can("user", "manage"), s.removeMembership)
	r.post("/admin/users/:id/students", can("assignment", "manage"), s.addUserAssignment)
	r.post("/admin/users/:id/students/:student", can("assignment", "manage"), s.updateUserAssignment)
	r.post("/admin/users/:id/students/:student/delete", can("assignment", "manage"), s.removeUserAssignment)
	r.post("/students/:id/staff", can("assignment", "manage"), s.addStudentStaff)
	r.post("/students/:id/staff/:user", can("assignment", "manage"), s.updateStudentStaff)
	r.post("/students/:id/staff/:user/delete", can("assignment", "manage"), s.removeStudentStaff)

	// Administration: programs, districts, the role grid, the reporting
	// calendar and the audit log. Each service checks the record's
	// district against the scope of the grant.
	r.get("/admin/programs", can("program", "manage"), s.showPrograms)
	r.post("/admin/programs", can("program", "manage"), s.createProgram)
	r.get("/admin/programs/:id/fields/:field", can("program", "manage"), s.showProgramField)
	r.get("/admin/programs/:id/fields/:field/edit", can("program", "manage"), s.showProgramField)
	r.post("/admin/programs/:id/fields/:field", can("program", "manage"), s.updateProgramField)
	r.get("/admin/districts", can("district", "manage"), s.showDistricts)
	r.post("/admin/districts", can("district", "manage"), s.createDistrict)
	r.get("/admin/districts/:id/fields/:field", can("district", "manage"), s.showDistrictField)
	r.get("/admin/districts/:id/fields/:field/edit", can("district", "manage"), s.showDistrictField)
	r.post("/admin/districts/:id/fields/:field", can("district", "manage"), s.updateDistrictField)
	r.get("/admin/roles", can("role", "manage"), s.showRoles)
	r.post("/admin/roles", can("role", "manage"), s.createRole)
	r.post("/admin/roles/grants", can("role", "manage"), s.setRoleGrant)
	r.get("/admin/calendar", can("calendar", "manage"), s.showCalendar)
	r.post("/admin/calendar/periods", can("calendar", "manage"), s.createPeriod)
	r.post("/admin/calendar/defaults", can("calendar", "manage"), s.addDefaultCalendar)
	r.get("/admin/calendar/periods/:id", can("calendar", "manage"), s.showPeriod)
	r.get("/admin/calendar/periods/:id/edit", can("calendar", "manage"), s.showPeriod)
	r.post("/admin/calendar/periods/:id", can("calendar", "manage"), s.updatePeriod)
	r.post("/admin/calendar/periods/:id/delete", can("calendar", "manage"), s.deletePeriod)
	r.get("/admin/audit", can("audit", "read"), s.showAuditLog)
	r.get("/admin/audit.csv", can("audit", "read"), s.exportAuditLog)
}
