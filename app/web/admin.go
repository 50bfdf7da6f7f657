package web

import (
	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/app/problem"
	"goaltracker/views/admin"
)

// adminSections lists the areas of administration, in the order the
// navigation shows them, each with the grant that opens it.
var adminSections = []struct {
	section          admin.Section
	resource, action string
}{
	{admin.Section{Key: "students", Label: "Students", Href: "/admin/students",
		Description: "The roster: add and edit students, import them from a CSV file, " +
			"move them between programs."}, "roster", "manage"},
	{admin.Section{Key: "users", Label: "Staff", Href: "/admin/users",
		Description: "Accounts: invite staff, set roles, unlock, deactivate, " +
			"program memberships and student assignments."}, "user", "manage"},
	{admin.Section{Key: "programs", Label: "Programs", Href: "/admin/programs",
		Description: "The district's programs."}, "program", "manage"},
	{admin.Section{Key: "roles", Label: "Roles", Href: "/admin/roles",
		Description: "What each role may do, as a grid of permissions."}, "role", "manage"},
	{admin.Section{Key: "calendar", Label: "Calendar", Href: "/admin/calendar",
		Description: "The reporting periods of each school year."}, "calendar", "manage"},
	{admin.Section{Key: "audit", Label: "Audit log", Href: "/admin/audit",
		Description: "Who did what, and who read sensitive records."}, "audit", "read"},
	{admin.Section{Key: "districts", Label: "Districts", Href: "/admin/districts",
		Description: "The school districts of this installation."}, "district", "manage"},
}

// sectionsFor returns the areas of administration p may use.
func sectionsFor(p *access.Principal) []admin.Section {
	var out []admin.Section
	for _, s := range adminSections {
		if p.Can(s.resource, s.action) {
			out = append(out, s.section)
		}
	}
	return out
}

// showAdmin is the Admin landing page. Anyone signed in reaches the route;
// those who administer nothing get 403.
func (s *Server) showAdmin(c *fiber.Ctx) error {
	sections := sectionsFor(principal(c))
	if len(sections) == 0 {
		return problem.ErrForbidden
	}
	return s.render(c, admin.Home(s.page(c, "Administration", "admin"), sections))
}
