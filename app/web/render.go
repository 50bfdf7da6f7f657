package web

import (
	"bytes"
	"fmt"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/views/layout"
)

// render writes component as the 200 answer.
func (s *Server) render(c *fiber.Ctx, component templ.Component) error {
	return s.renderStatus(c, fiber.StatusOK, component)
}

// renderStatus renders component into a buffer first, so a failing
// component produces an error page rather than half a page, then writes it
// with status.
func (s *Server) renderStatus(c *fiber.Ctx, status int, component templ.Component) error {
	var buf bytes.Buffer
	if err := component.Render(c.UserContext(), &buf); err != nil {
		return fmt.Errorf("render %s: %w", c.Path(), err)
	}
	c.Status(status)
	c.Type("html", "utf-8")
	return c.Send(buf.Bytes())
}

// isHTMX reports whether htmx made the request and expects a fragment. A
// boosted link expects the whole page.
func isHTMX(c *fiber.Ctx) bool {
	return c.Get("HX-Request") == "true" && c.Get("HX-Boosted") != "true"
}

// page returns the frame of a full page titled title, in the navigation
// section section: the navigation the person may use, their programs, the
// CSRF token and any flash message.
func (s *Server) page(c *fiber.Ctx, title, section string) layout.Page {
	pg := layout.Page{Title: title, Section: section, CSRFToken: s.csrfToken(c),
		Flashes: s.takeFlashes(c)}
	p := principal(c)
	if p == nil {
		return pg
	}
	pg.UserName = p.Name
	pg.CurrentProgramID = p.CurrentProgramID
	if p.Can("student", "read") {
		pg.Nav = append(pg.Nav, layout.NavItem{Section: "students", Label: "Students", Href: "/students"})
	}
	if seesDistrictReports(p) {
		pg.Nav = append(pg.Nav, layout.NavItem{Section: "reports", Label: "Reports", Href: "/reports"})
	}
	if p.Can("export", "read") {
		pg.Nav = append(pg.Nav, layout.NavItem{Section: "exports", Label: "Workbooks", Href: "/exports"})
	}
	if p.CanAdminister() {
		pg.Nav = append(pg.Nav, layout.NavItem{Section: "admin", Label: "Admin", Href: "/admin"})
	}
	if cur := currentSession(c); cur != nil {
		for _, prog := range cur.Programs {
			pg.Programs = append(pg.Programs, layout.ProgramChoice{ID: prog.ID, Name: prog.Name})
		}
	}
	return pg
}

// seesDistrictReports reports whether the Reports page is worth a place in
// the navigation for p: they compile reports, or read them across a
// program or the district. Teachers reach their students' reports from
// each student.
func seesDistrictReports(p *access.Principal) bool {
	for _, scope := range []string{access.ScopeProgram, access.ScopeDistrict, access.ScopeAll} {
		if p.CanIn("report", "compile", scope) || p.CanIn("report", "read", scope) {
			return true
		}
	}
	return false
}
