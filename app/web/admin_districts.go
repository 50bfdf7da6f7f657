package web

import (
	"github.com/gofiber/fiber/v2"

	"goaltracker/app/district"
	"goaltracker/app/problem"
	"goaltracker/views/admin/settings"
	"goaltracker/views/components"
)

// showDistricts lists the installation's districts with the form to add
// one.
func (s *Server) showDistricts(c *fiber.Ctx) error {
	v, err := s.districtsView(c, settings.DistrictForm{})
	if err != nil {
		return err
	}
	return s.render(c, settings.DistrictsPage(s.page(c, "Districts", "admin"), sectionsFor(principal(c)), v))
}

func (s *Server) districtsView(c *fiber.Ctx, form settings.DistrictForm) (settings.DistrictsView, error) {
	list, err := district.NewService(s.db).Districts(c.UserContext(), principal(c))
	if err != nil {
		return settings.DistrictsView{}, err
	}
	var v settings.DistrictsView
	for _, d := range list {
		v.Rows = append(v.Rows, settings.DistrictRow{ID: d.ID, Programs: d.Programs, Users: d.Users,
			Students: d.Students, Name: districtField(&d.District, "name"),
			ContactEmail: districtField(&d.District, "contact_email")})
	}
	form.CSRFToken = s.csrfToken(c)
	form.Name.ID, form.Name.Name, form.Name.Label, form.Name.MaxLength, form.Name.Required =
		"district-name", "name", "Name", 255, true
	form.ContactEmail.ID, form.ContactEmail.Name, form.ContactEmail.Label, form.ContactEmail.Type =
		"district-email", "contact_email", "Contact email (optional)", "email"
	form.ContactEmail.MaxLength = 255
	v.Form = form
	return v, nil
}

func districtField(d *district.District, name string) components.InlineField {
	f := components.InlineField{ID: "district-" + itoa(d.ID) + "-" + name, CanEdit: true,
		URL: "/admin/districts/" + itoa(d.ID) + "/fields/" + name, Kind: components.KindText, MaxLength: 255}
	switch name {
	case "name":
		f.Label, f.Display = "Name", d.Name
	case "contact_email":
		f.Label, f.Display, f.Empty = "Contact email", d.ContactEmail, "Add an email"
	}
	f.Value = f.Display
	return f
}

// createDistrict adds a district with its default calendar; bad input
// answers 422 with the form as typed.
func (s *Server) createDistrict(c *fiber.Ctx) error {
	in := district.DistrictInput{Name: formText(c, "name"), ContactEmail: formText(c, "contact_email")}
	cal := district.Calendar{StartMonth: s.cfg.SchoolYearStart, Today: s.today()}
	_, err := district.NewService(s.db).CreateDistrict(c.UserContext(), principal(c), actor(c), in, cal)

	var form settings.DistrictForm
	status := fiber.StatusOK
	if inv, ok := problem.AsInvalid(err); ok {
		form.Name.Value, form.Name.Error = in.Name, inv.Fields["name"]
		form.ContactEmail.Value, form.ContactEmail.Error = in.ContactEmail, inv.Fields["contact_email"]
		status = fiber.StatusUnprocessableEntity
	} else if err != nil {
		return err
	}
	if status == fiber.StatusOK && !isHTMX(c) {
		s.setFlash(c, "success", "District "+in.Name+" added.")
		return c.Redirect("/admin/districts", fiber.StatusSeeOther)
	}

	v, err := s.districtsView(c, form)
	if err != nil {
		return err
	}
	if isHTMX(c) {
		return s.renderStatus(c, status, settings.Districts(v))
	}
	return s.renderStatus(c, status, settings.DistrictsPage(s.page(c, "Districts", "admin"),
		sectionsFor(principal(c)), v))
}

// showDistrictField answers a district's field in display mode or, under
// /edit, as its edit form.
func (s *Server) showDistrictField(c *fiber.Ctx) error {
	d, name, err := s.districtAndField(c)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect("/admin/districts", fiber.StatusSeeOther)
	}
	editing := c.Route().Path == "/admin/districts/:id/fields/:field/edit"
	f := districtField(d, name)
	f.Focus = !editing
	return s.render(c, components.Inline(f, editing))
}

// updateDistrictField saves a district's name or contact email; bad input
// answers 422 with the form as typed.
func (s *Server) updateDistrictField(c *fiber.Ctx) error {
	d, name, err := s.districtAndField(c)
	if err != nil {
		return err
	}
	value := formText(c, "value")
	saved, err := district.NewService(s.db).UpdateDistrict(c.UserContext(), principal(c), actor(c), d.ID, name, value)
	if inv, ok := problem.AsInvalid(err); ok {
		f := districtField(d, name)
		f.Value, f.Error = value, inv.Fields[name]
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, components.Inline(f, true))
	}
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect("/admin/districts", fiber.StatusSeeOther)
	}
	f := districtField(saved, name)
	f.Focus = true
	return s.render(c, components.Inline(f, false))
}

func (s *Server) districtAndField(c *fiber.Ctx) (*district.District, string, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, "", err
	}
	name := c.Params("field")
	if name != "name" && name != "contact_email" {
		return nil, "", fiber.ErrNotFound
	}
	d, err := district.NewService(s.db).DistrictFor(c.UserContext(), principal(c), id)
	return d, name, err
}
