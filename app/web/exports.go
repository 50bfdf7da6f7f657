package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/app/district"
	"goaltracker/app/export"
	"goaltracker/app/problem"
	"goaltracker/app/report"
	"goaltracker/jobs"
	"goaltracker/views/components"
	"goaltracker/views/exports"
)

// exportsShown is how many recent workbooks the page lists.
const exportsShown = 30

// showExports lists the district's recent workbooks the person may see,
// with the form to request one when they may.
func (s *Server) showExports(c *fiber.Ctx) error {
	v, err := s.exportsView(c)
	if err != nil {
		return err
	}
	return s.render(c, exports.Page(s.page(c, "Workbooks", "exports"), v))
}

func (s *Server) exportsView(c *fiber.Ctx) (exports.PageView, error) {
	ctx, who := c.UserContext(), principal(c)
	var v exports.PageView
	names, err := s.programNames(c)
	if err != nil {
		return v, err
	}
	list, err := export.NewService(s.db).List(ctx, who.DistrictID, exportsShown)
	if err != nil {
		return v, err
	}
	for _, e := range list {
		if who.CanScope("export", "read", e.DistrictID, e.ProgramID) {
			v.Rows = append(v.Rows, exportRow(who, e, names))
		}
	}

	v.CanRequest = who.Can("export", "create")
	if who.CanScope("export", "create", who.DistrictID, 0) {
		v.Scopes = append(v.Scopes, components.Option{Value: "district", Label: "Whole district"})
	}
	for _, id := range who.ProgramIDs {
		if who.CanScope("export", "create", who.DistrictID, id) && names[id] != "" {
			v.Scopes = append(v.Scopes, components.Option{Value: itoa(id), Label: names[id]})
		}
	}
	periods, err := s.reports.Periods(ctx, who.DistrictID)
	if err != nil {
		return v, err
	}
	for _, p := range periods {
		value := fmt.Sprintf("%d-%s", p.Year, p.Code)
		v.Periods = append(v.Periods, components.Option{Value: value,
			Label: fmt.Sprintf("%s %d-%02d (%s to %s)", p.Code, p.Year, (p.Year+1)%100,
				p.StartsOn.Format("Jan 2"), p.EndsOn.Format("Jan 2"))})
	}
	if cur, ok, err := s.reports.Current(ctx, who.DistrictID, s.today()); err == nil && ok {
		v.Period = fmt.Sprintf("%d-%s", cur.Year, cur.Code)
	}
	return v, nil
}

// programNames maps the ids of the person's district's programs to their
// names, for naming each workbook's scope.
func (s *Server) programNames(c *fiber.Ctx) (map[int64]string, error) {
	programs, err := district.NewService(s.db).ListPrograms(c.UserContext())
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, p := range programs {
		if p.DistrictID == principal(c).DistrictID {
			names[p.ID] = p.Name
		}
	}
	return names, nil
}

func exportRow(who *access.Principal, e *export.Export, names map[int64]string) exports.Row {
	r := exports.Row{ID: e.ID, ScopeName: "Whole district", Period: fmt.Sprintf("%s %d", e.Period, e.Year),
		State: e.State, Percent: e.ProgressPercent, Filename: e.Filename, SizeBytes: e.SizeBytes,
		Error: e.Error, CreatedAt: e.CreatedAt, FinishedAt: e.FinishedAt,
		CanRetry: who.CanScope("export", "create", e.DistrictID, e.ProgramID)}
	if e.ProgramID != 0 {
		r.ScopeName = names[e.ProgramID]
	}
	return r
}

// requestExport records a workbook request and enqueues its build, in one
// transaction, then answers the form again with the new row added to the
// list. A scope the person may not export answers 403.
func (s *Server) requestExport(c *fiber.Ctx) error {
	who := principal(c)
	scope, err := parseExportScope(who, strings.Clone(c.FormValue("scope")), strings.Clone(c.FormValue("period")))
	if inv, ok := problem.AsInvalid(err); ok {
		v, verr := s.exportsView(c)
		if verr != nil {
			return verr
		}
		v.Error = inv.Form
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, exports.RequestForm(v))
	}
	if err != nil {
		return err
	}
	if !who.CanScope("export", "create", scope.DistrictID, scope.ProgramID) {
		return problem.ErrForbidden
	}
	return s.enqueueExport(c, scope)
}

func (s *Server) enqueueExport(c *fiber.Ctx, scope export.Scope) error {
	who := principal(c)
	e, err := jobs.RequestExport(c.UserContext(), s.db, s.jobs, scope, who.UserID, who.Email)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect("/exports", fiber.StatusSeeOther)
	}
	v, err := s.exportsView(c)
	if err != nil {
		return err
	}
	names, err := s.programNames(c)
	if err != nil {
		return err
	}
	if c.Route().Path == "/exports/:id/retry" {
		return s.render(c, exports.ExportRow(exportRow(who, e, names)))
	}
	return s.render(c, exports.Requested(v, exportRow(who, e, names)))
}

// parseExportScope reads the form's scope ("district" or a program id) and
// period ("2026-Q2").
func parseExportScope(who *access.Principal, scope, period string) (export.Scope, error) {
	inv := problem.NewInvalid()
	s := export.Scope{DistrictID: who.DistrictID}
	if scope != "district" {
		id, err := strconv.ParseInt(scope, 10, 64)
		if err != nil || id <= 0 {
			inv.Form = "Choose the district or one of your programs."
			return s, inv
		}
		s.ProgramID = id
	}
	year, code, ok := strings.Cut(period, "-")
	y, err := strconv.Atoi(year)
	if !ok || err != nil || y < 2000 || y > 2100 || !report.IsPeriodCode(code) {
		inv.Form = "Choose a period from the list."
		return s, inv
	}
	s.Year, s.Period = y, code
	return s, nil
}

// loadExport reads export id for who, answering 404 for one outside what
// they may see.
func (s *Server) loadExport(c *fiber.Ctx, withContent bool) (*export.Export, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	svc := export.NewService(s.db)
	var e *export.Export
	if withContent {
		e, err = svc.Content(c.UserContext(), id)
	} else {
		e, err = svc.Get(c.UserContext(), id)
	}
	if err != nil {
		return nil, err
	}
	if !principal(c).CanScope("export", "read", e.DistrictID, e.ProgramID) {
		return nil, fmt.Errorf("export %d: %w", id, problem.ErrNotFound)
	}
	return e, nil
}

// showExport answers one workbook's row, which polls while it builds.
func (s *Server) showExport(c *fiber.Ctx) error {
	e, err := s.loadExport(c, false)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect("/exports", fiber.StatusSeeOther)
	}
	names, err := s.programNames(c)
	if err != nil {
		return err
	}
	return s.render(c, exports.ExportRow(exportRow(principal(c), e, names)))
}

// downloadExport sends a finished workbook and records the download.
func (s *Server) downloadExport(c *fiber.Ctx) error {
	e, err := s.loadExport(c, true)
	if err != nil {
		return err
	}
	if e.State != export.StateDone {
		return fmt.Errorf("download export %d in state %s: %w", e.ID, e.State, problem.ErrNotFound)
	}
	if err := export.NewService(s.db).RecordDownload(c.UserContext(), e, principal(c).UserID, c.IP()); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+e.Filename+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(e.Content)
}

// retryExport builds a failed workbook again, as a new request of the same
// scope and period.
func (s *Server) retryExport(c *fiber.Ctx) error {
	e, err := s.loadExport(c, false)
	if err != nil {
		return err
	}
	if !principal(c).CanScope("export", "create", e.DistrictID, e.ProgramID) {
		return problem.ErrForbidden
	}
	if e.State != export.StateFailed {
		return fmt.Errorf("retry export %d in state %s: %w", e.ID, e.State, problem.ErrConflict)
	}
	return s.enqueueExport(c, export.Scope{DistrictID: e.DistrictID, ProgramID: e.ProgramID,
		Year: e.Year, Period: e.Period})
}
