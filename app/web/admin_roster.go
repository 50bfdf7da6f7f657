package web

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"goaltracker/app/problem"
	"goaltracker/app/roster"
	rosterview "goaltracker/views/admin/roster"
	"goaltracker/views/components"
)

// showRoster is the roster page: the students of the district the person
// manages, filtered and paged. The filter's htmx requests get only the
// results; a filter that cannot be read is answered 422.
func (s *Server) showRoster(c *fiber.Ctx) error {
	ctx, who := c.UserContext(), principal(c)
	svc := roster.NewService(s.db)
	programs, err := svc.Programs(ctx, who, rosterDistrict(c))
	if err != nil {
		return err
	}
	params, errs := parseRosterFilter(c, programs)
	params.DistrictID = rosterDistrict(c)
	var list roster.Page
	if len(errs) == 0 {
		if list, err = svc.List(ctx, who, params); err != nil {
			return err
		}
	}

	v := s.rosterPageView(c, params, programs, list)
	v.FilterErrors = errs
	status := fiber.StatusOK
	if len(errs) > 0 {
		status = fiber.StatusUnprocessableEntity
	}
	if isHTMX(c) && c.Get("HX-Target") == "roster-results" {
		return s.renderStatus(c, status, rosterview.Results(v))
	}
	return s.renderStatus(c, status, s.rosterPage(c, v))
}

// rosterDistrict is the district whose roster is shown.
func rosterDistrict(c *fiber.Ctx) int64 { return askedDistrict(c, "roster", "manage") }

// parseRosterFilter reads the query parameters: the identifier searched
// for, the program (one the person manages) and the page.
func parseRosterFilter(c *fiber.Ctx, programs []roster.Program) (roster.ListParams, map[string]string) {
	errs := map[string]string{}
	p := roster.ListParams{Query: strings.TrimSpace(c.Query("q")), Page: 1}
	if !utf8.ValidString(p.Query) || utf8.RuneCountInString(p.Query) > roster.MaxIdentifier {
		errs["q"] = "Search for at most 50 characters of an identifier."
		p.Query = ""
	}
	if raw := c.Query("program"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || !hasRosterProgram(programs, id) {
			errs["program"] = "Choose a program from the list."
		} else {
			p.ProgramID = id
		}
	}
	if n, err := strconv.Atoi(c.Query("page")); err == nil && n > 1 {
		p.Page = n
	}
	p.Query = strings.Clone(p.Query)
	return p, errs
}

func hasRosterProgram(programs []roster.Program, id int64) bool {
	for _, p := range programs {
		if p.ID == id {
			return true
		}
	}
	return false
}

func (s *Server) rosterPageView(c *fiber.Ctx, p roster.ListParams, programs []roster.Program,
	list roster.Page) rosterview.PageView {
	v := rosterview.PageView{Query: p.Query, ProgramID: p.ProgramID,
		Programs: rosterOptions(programs), Add: s.rosterAddView(c, programs)}
	for i := range list.Rows {
		v.Rows = append(v.Rows, s.rosterRow(c, &list.Rows[i]))
	}
	query := url.Values{}
	if p.Query != "" {
		query.Set("q", p.Query)
	}
	if p.ProgramID != 0 {
		query.Set("program", itoa(p.ProgramID))
	}
	v.Pager = components.Pager{Page: list.Page, Pages: list.Pages, Total: list.Total,
		Path: "/admin/students", Query: query}
	return v
}

func (s *Server) rosterPage(c *fiber.Ctx, v rosterview.PageView) templ.Component {
	return rosterview.Page(s.page(c, "Students", "admin"), sectionsFor(principal(c)), v)
}

func (s *Server) rosterAddView(c *fiber.Ctx, programs []roster.Program) rosterview.AddView {
	return rosterview.AddView{Programs: rosterOptions(programs), CSRF: s.csrfToken(c),
		ProgramID: defaultRosterProgram(c, programs)}
}

// defaultRosterProgram is the program the add and import forms start on:
// the one picked in the navigation, else the person's primary program,
// when they manage it.
func defaultRosterProgram(c *fiber.Ctx, programs []roster.Program) string {
	who := principal(c)
	for _, id := range append([]int64{who.CurrentProgramID}, who.ProgramIDs...) {
		if id != 0 && hasRosterProgram(programs, id) {
			return itoa(id)
		}
	}
	return ""
}

func rosterOptions(programs []roster.Program) []components.Option {
	out := make([]components.Option, 0, len(programs))
	for _, p := range programs {
		out = append(out, components.Option{Value: itoa(p.ID), Label: p.Name})
	}
	return out
}

// rosterRow is a student as the roster shows it.
func (s *Server) rosterRow(c *fiber.Ctx, st *roster.Student) rosterview.RowView {
	r := rosterview.RowView{ID: st.ID, Identifier: st.Identifier, ProgramName: st.ProgramName,
		Enrolled: formatDay(st.EnrollmentDate), Graduates: formatDay(st.ExpectedGrad),
		Version: versionString(st.UpdatedAt), CSRF: s.csrfToken(c), Errors: map[string]string{},
		Values: rosterview.Values{Identifier: st.Identifier, EnrollmentDate: isoDay(st.EnrollmentDate),
			ExpectedGrad: isoDay(st.ExpectedGrad)}}
	if st.ProgramYear != 0 {
		r.ProgramYear = strconv.Itoa(st.ProgramYear)
		r.Values.ProgramYear = r.ProgramYear
	}
	return r
}

// rosterInput reads a student's values from the add or edit form.
func rosterInput(c *fiber.Ctx) roster.Input {
	in := roster.Input{Identifier: formText(c, "identifier"), ProgramYear: formText(c, "program_year"),
		EnrollmentDate: formText(c, "enrollment_date"), ExpectedGrad: formText(c, "expected_grad")}
	in.ProgramID, _ = strconv.ParseInt(c.FormValue("program"), 10, 64)
	return in
}

func typedValues(in roster.Input) rosterview.Values {
	return rosterview.Values{Identifier: in.Identifier, ProgramYear: in.ProgramYear,
		EnrollmentDate: in.EnrollmentDate, ExpectedGrad: in.ExpectedGrad}
}

// createRosterStudent adds a student. htmx gets the form back, empty, and
// the new row; a plain post goes back to the roster. Bad input answers 422
// with the form as typed.
func (s *Server) createRosterStudent(c *fiber.Ctx) error {
	ctx, who := c.UserContext(), principal(c)
	svc := roster.NewService(s.db)
	in := rosterInput(c)
	st, err := svc.Create(ctx, who, in)
	inv, isInvalid := problem.AsInvalid(err)
	if err != nil && !isInvalid {
		return err
	}

	programs, perr := svc.Programs(ctx, who, rosterDistrict(c))
	if perr != nil {
		return perr
	}
	add := s.rosterAddView(c, programs)
	add.ProgramID = itoa(in.ProgramID)
	if isInvalid {
		add.Values, add.Errors = typedValues(in), inv.Fields
		if isHTMX(c) {
			return s.renderStatus(c, fiber.StatusUnprocessableEntity, rosterview.AddForm(add))
		}
		v := s.rosterPageView(c, roster.ListParams{}, programs, roster.Page{Page: 1, Pages: 1})
		v.Add = add
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, s.rosterPage(c, v))
	}

	if !isHTMX(c) {
		s.setFlash(c, "success", "Added "+st.Identifier+".")
		return c.Redirect("/admin/students", fiber.StatusSeeOther)
	}
	add.Added = st.Identifier
	return s.render(c, rosterview.AddAnswer(add, s.rosterRow(c, st)))
}
