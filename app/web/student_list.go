package web

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/app/student"
	"goaltracker/views/components"
	"goaltracker/views/students"
)

// redirectHome sends the front page to the student list, where the day's
// work starts.
func (s *Server) redirectHome(c *fiber.Ctx) error {
	return c.Redirect("/students", fiber.StatusSeeOther)
}

// listStudents shows the student list. An htmx request from the filter or
// the pager gets only the results; anything else gets the whole page. A
// filter that cannot be read is answered 422 with the form as typed.
func (s *Server) listStudents(c *fiber.Ctx) error {
	ctx := c.UserContext()
	filter, errs := parseStudentFilter(c)
	who := principal(c)
	if c.Query("program") == "" && len(who.ProgramIDs) > 1 {
		// Someone in several programs sees the program picked in the
		// navigation until they choose another or all of them.
		filter.ProgramID = who.CurrentProgramID
	}

	programs, err := s.students.VisiblePrograms(ctx, who)
	if err != nil {
		return err
	}
	period, hasPeriod, err := s.reports.Current(ctx, who.DistrictID, s.today())
	if err != nil {
		return err
	}
	if hasPeriod {
		filter.PeriodStart, filter.PeriodEnd = period.StartsOn, period.EndsOn
		filter.PeriodCode, filter.PeriodYear = period.Code, period.Year
	}
	if c.Query("quiet") == "1" {
		filter.QuietSince = s.today().AddDate(0, 0, -13)
	}
	if filter.ProgramID != 0 && !hasProgram(programs, filter.ProgramID) {
		errs["program"] = "Choose a program from the list."
	}

	var list student.ListPage
	if len(errs) == 0 {
		if list, err = s.students.List(ctx, who, filter); err != nil {
			return err
		}
	}
	view := studentListView(filter, errs, programs, list)
	view.CanChooseMine = canSeeBeyondAssigned(who)
	if hasPeriod {
		view.PeriodLabel = period.Code
	}

	status := fiber.StatusOK
	if len(errs) > 0 {
		status = fiber.StatusUnprocessableEntity
	}
	if isHTMX(c) && c.Get("HX-Target") == "student-results" {
		return s.renderStatus(c, status, students.Results(view))
	}
	return s.renderStatus(c, status, students.ListPage(s.page(c, "Students", "students"), view))
}

// parseStudentFilter reads the list's query parameters. Values are copied,
// because Fiber reuses their memory after the request. Each unreadable
// parameter gets a message keyed by its name.
func parseStudentFilter(c *fiber.Ctx) (student.ListParams, map[string]string) {
	var p student.ListParams
	errs := map[string]string{}

	p.Query = strings.TrimSpace(strings.Clone(c.Query("q")))
	switch {
	case !utf8.ValidString(p.Query):
		errs["q"] = "The search contains characters that are not text."
		p.Query = strings.ToValidUTF8(p.Query, "")
	case utf8.RuneCountInString(p.Query) > 50:
		errs["q"] = "Identifiers are at most 50 characters."
	}

	if raw := c.Query("program"); raw != "" && raw != "all" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			errs["program"] = "Choose a program from the list."
		} else {
			p.ProgramID = id
		}
	}

	p.Mine = c.Query("show") == "mine"
	p.Page = 1
	if raw := c.Query("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 100_000 {
			errs["page"] = "The page number is not valid."
		} else {
			p.Page = n
		}
	}
	return p, errs
}

func hasProgram(programs []student.ProgramRef, id int64) bool {
	for _, p := range programs {
		if p.ID == id {
			return true
		}
	}
	return false
}

func studentListView(f student.ListParams, errs map[string]string,
	programs []student.ProgramRef, list student.ListPage) students.ListView {
	v := students.ListView{Query: f.Query, ProgramID: f.ProgramID, Errors: errs, Mine: f.Mine,
		Quiet: !f.QuietSince.IsZero()}
	for _, p := range programs {
		v.Programs = append(v.Programs, students.ProgramOption{ID: p.ID, Name: p.Name})
	}
	for _, r := range list.Rows {
		v.Rows = append(v.Rows, students.Row{
			ID: r.ID, Identifier: r.Identifier, ProgramName: r.ProgramName,
			ProgramYear: r.ProgramYear, ActiveGoals: r.ActiveGoals, LastEntryOn: r.LastEntryOn,
			ExpectedGrad: r.ExpectedGrad, PeriodEntries: r.PeriodCount,
			ReportsTotal: r.ReportsTotal, ReportsFinal: r.ReportsFinal,
		})
	}

	query := url.Values{}
	if f.Query != "" {
		query.Set("q", f.Query)
	}
	if f.ProgramID != 0 {
		query.Set("program", strconv.FormatInt(f.ProgramID, 10))
	} else {
		query.Set("program", "all")
	}
	if f.Mine {
		query.Set("show", "mine")
	}
	if !f.QuietSince.IsZero() {
		query.Set("quiet", "1")
	}
	v.Pager = components.Pager{Page: list.Page, Pages: list.Pages, Total: list.Total,
		Path: "/students", Query: query}
	if errs["page"] != "" && v.Errors["q"] == "" {
		v.Errors["q"] = errs["page"]
	}
	return v
}

// canSeeBeyondAssigned reports whether the person may read students they
// are not assigned to, which is when "my students" and "all" differ.
func canSeeBeyondAssigned(p *access.Principal) bool {
	for _, scope := range p.Scopes("student", "read") {
		if scope != access.ScopeAssigned && scope != access.ScopePrimary {
			return true
		}
	}
	return false
}
