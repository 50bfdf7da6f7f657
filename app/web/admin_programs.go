package web

import (
	"github.com/gofiber/fiber/v2"

	"goaltracker/app/district"
	"goaltracker/app/problem"
	"goaltracker/views/admin/settings"
	"goaltracker/views/components"
)

// programFields are the fields of a program edited in place.
var programFields = []string{"name", "description"}

// showPrograms lists a district's programs with the form to add one.
func (s *Server) showPrograms(c *fiber.Ctx) error {
	v, err := s.programsView(c, settings.ProgramForm{})
	if err != nil {
		return err
	}
	return s.render(c, settings.ProgramsPage(s.page(c, "Programs", "admin"), sectionsFor(principal(c)), v))
}

// programsView builds the page around form, which keeps what was typed
// when it failed.
func (s *Server) programsView(c *fiber.Ctx, form settings.ProgramForm) (settings.ProgramsView, error) {
	d, picker, err := s.pickDistrict(c, "program", "manage", "/admin/programs")
	if err != nil {
		return settings.ProgramsView{}, err
	}
	list, err := district.NewService(s.db).ProgramsOf(c.UserContext(), principal(c), d.ID)
	if err != nil {
		return settings.ProgramsView{}, err
	}
	v := settings.ProgramsView{DistrictID: d.ID, DistrictName: d.Name, Picker: picker}
	for _, p := range list {
		v.Rows = append(v.Rows, settings.ProgramRow{ID: p.ID, Students: p.Students, Staff: p.StaffCount,
			Name: programField(&p.Program, "name"), Description: programField(&p.Program, "description")})
	}
	v.Form = programForm(form, d.ID, s.csrfToken(c))
	return v, nil
}

func programForm(f settings.ProgramForm, districtID int64, token string) settings.ProgramForm {
	f.DistrictID, f.CSRFToken = districtID, token
	f.Name.ID, f.Name.Name, f.Name.Label, f.Name.MaxLength, f.Name.Required =
		"program-name", "name", "Name", 255, true
	f.Description.ID, f.Description.Name, f.Description.Label, f.Description.MaxLength =
		"program-description", "description", "Description (optional)", 4000
	return f
}

func programField(p *district.Program, name string) components.InlineField {
	f := components.InlineField{ID: "program-" + itoa(p.ID) + "-" + name, CanEdit: true,
		URL: "/admin/programs/" + itoa(p.ID) + "/fields/" + name, Kind: components.KindText}
	switch name {
	case "name":
		f.Label, f.Display, f.MaxLength = "Name", p.Name, 255
	case "description":
		f.Label, f.Display, f.Kind, f.MaxLength = "Description", p.Description, components.KindTextarea, 4000
		f.Empty = "Add a description"
	}
	f.Value = f.Display
	return f
}

// createProgram adds a program and answers the list with it; bad input
// answers 422 with the form as typed.
func (s *Server) createProgram(c *fiber.Ctx) error {
	d, _, err := s.pickDistrict(c, "program", "manage", "/admin/programs")
	if err != nil {
		return err
	}
	in := district.ProgramInput{Name: formText(c, "name"), Description: formText(c, "description")}
	_, err = district.NewService(s.db).CreateProgram(c.UserContext(), principal(c), actor(c), d.ID, in)

	form := settings.ProgramForm{}
	status := fiber.StatusOK
	if inv, ok := problem.AsInvalid(err); ok {
		form.Name.Value, form.Name.Error = in.Name, inv.Fields["name"]
		form.Description.Value, form.Description.Error = in.Description, inv.Fields["description"]
		status = fiber.StatusUnprocessableEntity
	} else if err != nil {
		return err
	}
	if status == fiber.StatusOK && !isHTMX(c) {
		s.setFlash(c, "success", "Program "+in.Name+" added.")
		return c.Redirect("/admin/programs?district="+itoa(d.ID), fiber.StatusSeeOther)
	}

	v, err := s.programsView(c, form)
	if err != nil {
		return err
	}
	if isHTMX(c) {
		return s.renderStatus(c, status, settings.Programs(v))
	}
	return s.renderStatus(c, status, settings.ProgramsPage(s.page(c, "Programs", "admin"), sectionsFor(principal(c)), v))
}

// showProgramField answers a program's name or description, in display
// mode or, under /edit, as its edit form.
func (s *Server) showProgramField(c *fiber.Ctx) error {
	p, name, err := s.programAndField(c)
	if err != nil {
		return err
	}
	editing := c.Route().Path == "/admin/programs/:id/fields/:field/edit"
	f := programField(p, name)
	f.Focus = !editing
	if !isHTMX(c) {
		return c.Redirect("/admin/programs?district="+itoa(p.DistrictID), fiber.StatusSeeOther)
	}
	return s.render(c, components.Inline(f, editing))
}

// updateProgramField saves a program's name or description; bad input
// answers 422 with the form as typed.
func (s *Server) updateProgramField(c *fiber.Ctx) error {
	p, name, err := s.programAndField(c)
	if err != nil {
		return err
	}
	value := formText(c, "value")
	saved, err := district.NewService(s.db).UpdateProgram(c.UserContext(), principal(c), actor(c), p.ID, name, value)
	if inv, ok := problem.AsInvalid(err); ok {
		f := programField(p, name)
		f.Value, f.Error = value, inv.Fields[name]
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, components.Inline(f, true))
	}
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect("/admin/programs?district="+itoa(saved.DistrictID), fiber.StatusSeeOther)
	}
	f := programField(saved, name)
	f.Focus = true
	return s.render(c, components.Inline(f, false))
}

func (s *Server) programAndField(c *fiber.Ctx) (*district.Program, string, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, "", err
	}
	name := c.Params("field")
	if name != programFields[0] && name != programFields[1] {
		return nil, "", fiber.ErrNotFound
	}
	p, err := district.NewService(s.db).ProgramFor(c.UserContext(), principal(c), id)
	return p, name, err
}
