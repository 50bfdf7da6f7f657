package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/problem"
	"goaltracker/app/roster"
	rosterview "goaltracker/views/admin/roster"
	"goaltracker/views/components"
)

// showRosterStudent answers one roster row in display mode: what Cancel
// swaps back in. A plain request goes to the roster, searched for the
// student.
func (s *Server) showRosterStudent(c *fiber.Ctx) error {
	st, err := s.rosterStudent(c)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect("/admin/students?q="+url.QueryEscape(st.Identifier), fiber.StatusSeeOther)
	}
	return s.render(c, rosterview.Row(s.rosterRow(c, st)))
}

// editRosterStudent answers a roster row as its edit form: the row itself
// for htmx, a page holding it otherwise.
func (s *Server) editRosterStudent(c *fiber.Ctx) error {
	st, err := s.rosterStudent(c)
	if err != nil {
		return err
	}
	r, err := s.rosterEditRow(c, st)
	if err != nil {
		return err
	}
	return s.renderRosterForm(c, fiber.StatusOK, r)
}

// updateRosterStudent saves a roster row and answers it in display mode.
// Bad input answers 422, and an edit that started from an older version
// of the student 409, each with the values as typed; the conflict form
// carries the current version, so applying it anyway saves.
func (s *Server) updateRosterStudent(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx, who := c.UserContext(), principal(c)
	in := rosterInput(c)
	st, err := roster.NewService(s.db).Update(ctx, who, id, in, formVersion(c))
	inv, isInvalid := problem.AsInvalid(err)
	isConflict := errors.Is(err, problem.ErrConflict)
	if err != nil && !isInvalid && !isConflict {
		return err
	}

	if isInvalid || isConflict {
		cur, gerr := roster.NewService(s.db).Get(ctx, who, id)
		if gerr != nil {
			return gerr
		}
		r, rerr := s.rosterEditRow(c, cur)
		if rerr != nil {
			return rerr
		}
		r.Values = typedValues(in)
		if isInvalid {
			r.Errors, r.Version = inv.Fields, formText(c, "version")
			return s.renderRosterForm(c, fiber.StatusUnprocessableEntity, r)
		}
		r.Conflict = describeStudent(cur)
		return s.renderRosterForm(c, fiber.StatusConflict, r)
	}

	if !isHTMX(c) {
		s.setFlash(c, "success", "Saved "+st.Identifier+".")
		return c.Redirect("/admin/students", fiber.StatusSeeOther)
	}
	return s.render(c, rosterview.Row(s.rosterRow(c, st)))
}

// moveRosterStudent moves a student to another program of its district.
// htmx asks for confirmation before posting (hx-confirm); a plain post is
// first answered with a confirmation page, whose form posts again with
// confirmed=yes.
func (s *Server) moveRosterStudent(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx, who := c.UserContext(), principal(c)
	svc := roster.NewService(s.db)
	programID, _ := strconv.ParseInt(c.FormValue("program"), 10, 64)
	if !isHTMX(c) && c.FormValue("confirmed") != "yes" {
		return s.confirmRosterMove(c, id, programID)
	}

	st, err := svc.Move(ctx, who, id, programID)
	if inv, ok := problem.AsInvalid(err); ok {
		cur, gerr := svc.Get(ctx, who, id)
		if gerr != nil {
			return gerr
		}
		r, rerr := s.rosterEditRow(c, cur)
		if rerr != nil {
			return rerr
		}
		r.Errors = inv.Fields
		return s.renderRosterForm(c, fiber.StatusUnprocessableEntity, r)
	}
	if err != nil {
		return err
	}

	if !isHTMX(c) {
		s.setFlash(c, "success", "Moved "+st.Identifier+" to "+st.ProgramName+".")
		return c.Redirect("/admin/students", fiber.StatusSeeOther)
	}
	return s.render(c, rosterview.Row(s.rosterRow(c, st)))
}

// confirmRosterMove is the confirmation page of a move posted without
// JavaScript. It checks what the move will check, so the page never offers
// a move that cannot be made.
func (s *Server) confirmRosterMove(c *fiber.Ctx, id, programID int64) error {
	st, err := s.rosterStudent(c)
	if err != nil {
		return err
	}
	if !roster.CanMove(principal(c), st.DistrictID) {
		return problem.ErrForbidden
	}
	r, err := s.rosterEditRow(c, st)
	if err != nil {
		return err
	}
	v := rosterview.MoveView{Row: r, ProgramID: itoa(programID), CurrentName: st.ProgramName,
		ConfirmAction: "/admin/students/" + itoa(id) + "/move", CSRF: s.csrfToken(c)}
	for _, o := range r.MoveTargets {
		if o.Value == v.ProgramID {
			v.TargetName = o.Label
		}
	}
	if v.TargetName == "" {
		r.Errors["program"] = "Choose another program of the district."
		return s.renderRosterForm(c, fiber.StatusUnprocessableEntity, r)
	}
	return s.render(c, rosterview.MovePage(s.page(c, "Move "+st.Identifier, "admin"),
		sectionsFor(principal(c)), v))
}

// rosterStudent loads the student of the id route parameter, answering 404
// for one outside what the person manages.
func (s *Server) rosterStudent(c *fiber.Ctx) (*roster.Student, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return roster.NewService(s.db).Get(c.UserContext(), principal(c), id)
}

// rosterEditRow is the edit form of st, with the programs it may be moved
// to when the person may move students.
func (s *Server) rosterEditRow(c *fiber.Ctx, st *roster.Student) (rosterview.RowView, error) {
	r := s.rosterRow(c, st)
	who := principal(c)
	if !roster.CanMove(who, st.DistrictID) {
		return r, nil
	}
	programs, err := roster.NewService(s.db).Programs(c.UserContext(), who, st.DistrictID)
	if err != nil {
		return r, err
	}
	for _, p := range programs {
		if p.ID != st.ProgramID {
			r.MoveTargets = append(r.MoveTargets, components.Option{Value: itoa(p.ID), Label: p.Name})
		}
	}
	return r, nil
}

// renderRosterForm answers a row's edit form: the row for htmx, the edit
// page otherwise.
func (s *Server) renderRosterForm(c *fiber.Ctx, status int, r rosterview.RowView) error {
	if isHTMX(c) {
		return s.renderStatus(c, status, rosterview.RowForm(r))
	}
	return s.renderStatus(c, status, rosterview.EditPage(s.page(c, "Edit "+r.Identifier, "admin"),
		sectionsFor(principal(c)), r))
}

// describeStudent writes a student's values in one line, for the conflict
// message.
func describeStudent(st *roster.Student) string {
	parts := []string{st.Identifier}
	if st.ProgramYear != 0 {
		parts = append(parts, "program year "+strconv.Itoa(st.ProgramYear))
	}
	if !st.EnrollmentDate.IsZero() {
		parts = append(parts, "enrolled "+formatDay(st.EnrollmentDate))
	}
	if !st.ExpectedGrad.IsZero() {
		parts = append(parts, "expected to graduate "+formatDay(st.ExpectedGrad))
	}
	return strings.Join(parts, ", ")
}
