package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/problem"
	"goaltracker/app/report"
	"goaltracker/views/admin/settings"
	"goaltracker/views/components"
)

// periodCodes are the choices of the add form, in calendar order.
var periodCodes = []string{"Q1", "Q2", "Q3", "Q4", "S1", "S2"}

// showCalendar lists a district's reporting periods by school year.
func (s *Server) showCalendar(c *fiber.Ctx) error {
	v, err := s.calendarView(c)
	if err != nil {
		return err
	}
	return s.render(c, settings.CalendarPage(s.page(c, "Calendar", "admin"), sectionsFor(principal(c)), v))
}

// calendarView builds the page of the picked district, with empty forms
// proposing the current school year.
func (s *Server) calendarView(c *fiber.Ctx) (settings.CalendarView, error) {
	d, picker, err := s.pickDistrict(c, "calendar", "manage", "/admin/calendar")
	if err != nil {
		return settings.CalendarView{}, err
	}
	if !principal(c).CanScope("calendar", "manage", d.ID, 0) {
		return settings.CalendarView{}, fiber.ErrNotFound
	}
	periods, err := s.reports.Periods(c.UserContext(), d.ID)
	if err != nil {
		return settings.CalendarView{}, err
	}
	token := s.csrfToken(c)
	v := settings.CalendarView{DistrictID: d.ID, DistrictName: d.Name, Picker: picker, CSRFToken: token}
	v.Years = schoolYears(periods, token)
	current := report.SchoolYearOf(s.today(), s.cfg.SchoolYearStart)
	v.Add.Year, v.DefaultYear = strconv.Itoa(current), strconv.Itoa(current+1)
	for _, code := range periodCodes {
		v.Add.Codes = append(v.Add.Codes, components.Option{Value: code, Label: code})
	}
	return v, nil
}

// schoolYears groups periods, in calendar order, by school year.
func schoolYears(periods []report.Period, token string) []settings.SchoolYear {
	byYear := map[int]int{}
	var years []settings.SchoolYear
	for _, p := range periods {
		i, ok := byYear[p.Year]
		if !ok {
			i = len(years)
			byYear[p.Year] = i
			years = append(years, settings.SchoolYear{Year: p.Year, Label: report.SchoolYearLabel(p.Year)})
		}
		years[i].Periods = append(years[i].Periods, periodRow(&p, token))
	}
	return years
}

func periodRow(p *report.Period, token string) settings.PeriodRow {
	return settings.PeriodRow{ID: p.ID, Code: p.Code, YearLabel: report.SchoolYearLabel(p.Year),
		StartsOn: p.StartsOn.Format(time.DateOnly), EndsOn: p.EndsOn.Format(time.DateOnly), CSRFToken: token}
}

// answerCalendar answers a change to the calendar: after a success, htmx
// gets the calendar again and a plain form the page by redirect; a refusal
// gets the calendar or page around v's messages, with status.
func (s *Server) answerCalendar(c *fiber.Ctx, v settings.CalendarView, status int) error {
	if status == fiber.StatusOK && !isHTMX(c) {
		return c.Redirect("/admin/calendar?district="+itoa(v.DistrictID), fiber.StatusSeeOther)
	}
	if isHTMX(c) {
		return s.renderStatus(c, status, settings.Calendar(v))
	}
	return s.renderStatus(c, status, settings.CalendarPage(s.page(c, "Calendar", "admin"), sectionsFor(principal(c)), v))
}

// createPeriod adds one period to the picked district's calendar.
func (s *Server) createPeriod(c *fiber.Ctx) error {
	v, err := s.calendarView(c)
	if err != nil {
		return err
	}
	in := report.PeriodInput{Code: formText(c, "code"), StartsOn: formText(c, "starts_on"), EndsOn: formText(c, "ends_on")}
	yearText := formText(c, "year")
	in.Year, _ = strconv.Atoi(yearText)
	_, err = s.reports.AddPeriod(c.UserContext(), principal(c), actor(c), v.DistrictID, in)
	inv, isInvalid := problem.AsInvalid(err)
	if err != nil && !isInvalid {
		return err
	}
	if isInvalid {
		v.Add.Year, v.Add.Code, v.Add.StartsOn, v.Add.EndsOn = yearText, in.Code, in.StartsOn, in.EndsOn
		v.Add.Errors = inv.Fields
		return s.answerCalendar(c, v, fiber.StatusUnprocessableEntity)
	}
	return s.refreshCalendar(c)
}

// refreshCalendar answers a successful change with the calendar as it is
// now.
func (s *Server) refreshCalendar(c *fiber.Ctx) error {
	v, err := s.calendarView(c)
	if err != nil {
		return err
	}
	return s.answerCalendar(c, v, fiber.StatusOK)
}

// addDefaultCalendar gives a school year without periods the default
// calendar.
func (s *Server) addDefaultCalendar(c *fiber.Ctx) error {
	v, err := s.calendarView(c)
	if err != nil {
		return err
	}
	yearText := formText(c, "year")
	year, _ := strconv.Atoi(yearText)
	err = s.reports.AddDefaultYear(c.UserContext(), principal(c), actor(c), v.DistrictID, year, s.cfg.SchoolYearStart)
	if inv, ok := problem.AsInvalid(err); ok {
		v.DefaultYear, v.DefaultYearError = yearText, inv.Fields["year"]
		return s.answerCalendar(c, v, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return s.refreshCalendar(c)
}

// showPeriod answers one period's row, or under /edit its edit form. A
// plain request gets the calendar page.
func (s *Server) showPeriod(c *fiber.Ctx) error {
	p, err := s.loadPeriod(c)
	if err != nil {
		return err
	}
	if !isHTMX(c) && c.Route().Path != "/admin/calendar/periods/:id/edit" {
		return c.Redirect("/admin/calendar?district="+itoa(p.DistrictID), fiber.StatusSeeOther)
	}
	row := periodRow(p, s.csrfToken(c))
	row.Editing = c.Route().Path == "/admin/calendar/periods/:id/edit"
	if !isHTMX(c) {
		return s.periodEditPage(c, p.DistrictID, row, fiber.StatusOK)
	}
	return s.render(c, settings.PeriodRowView(row))
}

// periodEditPage is the calendar page with one row in edit mode, for
// editing without JavaScript.
func (s *Server) periodEditPage(c *fiber.Ctx, districtID int64, row settings.PeriodRow, status int) error {
	c.Request().URI().QueryArgs().Set("district", itoa(districtID))
	v, err := s.calendarView(c)
	if err != nil {
		return err
	}
	for i := range v.Years {
		for j := range v.Years[i].Periods {
			if v.Years[i].Periods[j].ID == row.ID {
				v.Years[i].Periods[j] = row
			}
		}
	}
	return s.renderStatus(c, status, settings.CalendarPage(s.page(c, "Calendar", "admin"), sectionsFor(principal(c)), v))
}

// updatePeriod saves a period's dates; bad dates answer 422 with the row
// as typed.
func (s *Server) updatePeriod(c *fiber.Ctx) error {
	p, err := s.loadPeriod(c)
	if err != nil {
		return err
	}
	starts, ends := formText(c, "starts_on"), formText(c, "ends_on")
	saved, err := s.reports.UpdatePeriod(c.UserContext(), principal(c), actor(c), p.ID, starts, ends)
	if inv, ok := problem.AsInvalid(err); ok {
		row := periodRow(p, s.csrfToken(c))
		row.StartsOn, row.EndsOn, row.Editing, row.Errors = starts, ends, true, inv.Fields
		if !isHTMX(c) {
			return s.periodEditPage(c, p.DistrictID, row, fiber.StatusUnprocessableEntity)
		}
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, settings.PeriodRowView(row))
	}
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect("/admin/calendar?district="+itoa(saved.DistrictID), fiber.StatusSeeOther)
	}
	return s.render(c, settings.PeriodRowView(periodRow(saved, s.csrfToken(c))))
}

// deletePeriod removes a period once confirmed: htmx confirms in the
// browser, a plain form first gets a page asking. A period with final
// reports stays, answered 422 with the reason.
func (s *Server) deletePeriod(c *fiber.Ctx) error {
	p, err := s.loadPeriod(c)
	if err != nil {
		return err
	}
	c.Request().URI().QueryArgs().Set("district", itoa(p.DistrictID))
	if c.FormValue("confirm") != "yes" {
		return s.render(c, settings.DeleteConfirmPage(s.page(c, "Delete a period", "admin"),
			sectionsFor(principal(c)), settings.DeleteConfirmView{Row: periodRow(p, s.csrfToken(c)),
				DistrictID: p.DistrictID}))
	}
	err = s.reports.DeletePeriod(c.UserContext(), principal(c), actor(c), p.ID)
	if inv, ok := problem.AsInvalid(err); ok {
		v, verr := s.calendarView(c)
		if verr != nil {
			return verr
		}
		v.Error = inv.Form
		return s.answerCalendar(c, v, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return s.refreshCalendar(c)
}

func (s *Server) loadPeriod(c *fiber.Ctx) (*report.Period, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.reports.PeriodIn(c.UserContext(), principal(c), id)
}
