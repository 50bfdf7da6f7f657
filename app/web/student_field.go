package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/problem"
	"goaltracker/app/student"
	"goaltracker/views/components"
)

// studentFields are the editable fields of the record header.
func studentFields(rec *student.Record) []components.InlineField {
	fields := make([]components.InlineField, 0, len(student.Fields))
	for _, name := range student.Fields {
		fields = append(fields, studentField(rec, name))
	}
	return fields
}

func studentField(rec *student.Record, name string) components.InlineField {
	f := components.InlineField{ID: "student-" + name, URL: "/students/" + itoa(rec.ID) + "/fields/" + name,
		Version: versionString(rec.UpdatedAt), CanEdit: rec.CanUpdate, Kind: components.KindText}
	switch name {
	case "identifier":
		f.Label, f.Display, f.MaxLength = "Identifier", rec.Identifier, 50
	case "program_year":
		f.Label, f.Display, f.Kind = "Program year", strconv.Itoa(rec.ProgramYear), components.KindNumber
	case "enrollment_date":
		f.Label, f.Display, f.Kind = "Enrolled", formatDay(rec.EnrollmentDate), components.KindDate
		f.Value = isoDay(rec.EnrollmentDate)
	case "expected_grad":
		f.Label, f.Display, f.Kind = "Expected graduation", formatDay(rec.ExpectedGrad), components.KindDate
		f.Value = isoDay(rec.ExpectedGrad)
	}
	if f.Value == "" && f.Kind != components.KindDate {
		f.Value = f.Display
	}
	f.Empty = "Not set"
	return f
}

// showStudentField answers one field of the record, in display mode or,
// under /edit, as its edit form.
func (s *Server) showStudentField(c *fiber.Ctx) error {
	rec, name, err := s.studentAndField(c)
	if err != nil {
		return err
	}
	editing := c.Route().Path == "/students/:id/fields/:field/edit"
	if editing && !rec.CanUpdate {
		return problem.ErrForbidden
	}
	f := studentField(rec, name)
	f.Focus = !editing
	return s.render(c, components.Inline(f, editing))
}

// updateStudentField saves one field of the record and answers it in
// display mode; bad input answers 422 and a stale edit 409, each with the
// form as typed.
func (s *Server) updateStudentField(c *fiber.Ctx) error {
	rec, name, err := s.studentAndField(c)
	if err != nil {
		return err
	}
	value := formText(c, "value")
	err = s.students.Update(c.UserContext(), principal(c), rec.ID, name, value, formVersion(c))

	f := studentField(rec, name)
	inv, isInvalid := problem.AsInvalid(err)
	switch {
	case isInvalid:
		f.Value, f.Error = value, inv.Fields["value"]
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, components.Inline(f, true))
	case errors.Is(err, problem.ErrConflict):
		f.Value, f.Conflict = value, f.Display
		return s.renderStatus(c, fiber.StatusConflict, components.Inline(f, true))
	case err != nil:
		return err
	}

	rec, err = s.students.Get(c.UserContext(), principal(c), rec.ID)
	if err != nil {
		return err
	}
	f = studentField(rec, name)
	f.Focus = true
	return s.render(c, components.Inline(f, false))
}

func (s *Server) studentAndField(c *fiber.Ctx) (*student.Record, string, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, "", err
	}
	name := c.Params("field")
	if !student.IsField(name) {
		return nil, "", fiber.ErrNotFound
	}
	rec, err := s.students.Get(c.UserContext(), principal(c), id)
	return rec, name, err
}
