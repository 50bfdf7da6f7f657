package web

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"goaltracker/app/problem"
	"goaltracker/app/roster"
	rosterview "goaltracker/views/admin/roster"
)

// Previews list at most this many rows of each kind and this many
// problems; the counts are always complete.
const (
	previewItemsShown  = 200
	previewErrorsShown = 500
)

// rosterSample is the example file the import page shows.
const rosterSample = `identifier,program_year,enrollment_date,expected_grad
RV-1001,1,2026-09-01,2030-06-15
RV-1002,2,9/1/2025,6/15/2029
RV-1003,,,`

// showRosterImport is the import page's upload form.
func (s *Server) showRosterImport(c *fiber.Ctx) error {
	v, err := s.rosterImportView(c)
	if err != nil {
		return err
	}
	return s.renderRosterImport(c, fiber.StatusOK, v)
}

// previewRosterImport keeps the uploaded file and answers its preview:
// every row as new, changed or unchanged, and every problem by line. A
// file with problems is answered 422, with the upload form again. The
// body limit stops larger uploads before this runs, with a 413.
func (s *Server) previewRosterImport(c *fiber.Ctx) error {
	v, err := s.rosterImportView(c)
	if err != nil {
		return err
	}
	upload, err := readRosterUpload(c)
	if err != nil {
		return err
	}
	v.ProgramID = itoa(upload.ProgramID)

	p, err := roster.NewService(s.db).Stage(c.UserContext(), principal(c), upload)
	if inv, ok := problem.AsInvalid(err); ok {
		v.Errors = inv.Fields
		return s.renderRosterImport(c, fiber.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	v.Preview = previewView(p)
	if v.Preview.ErrorCount > 0 {
		return s.renderRosterImport(c, fiber.StatusUnprocessableEntity, v)
	}
	return s.renderRosterImport(c, fiber.StatusOK, v)
}

// readRosterUpload reads the form's program and file. A form without a
// file gives an empty upload, which the service refuses with a message.
func readRosterUpload(c *fiber.Ctx) (roster.Upload, error) {
	var u roster.Upload
	u.ProgramID, _ = strconv.ParseInt(c.FormValue("program"), 10, 64)
	fh, err := c.FormFile("file")
	if err != nil {
		return u, nil
	}
	f, err := fh.Open()
	if err != nil {
		return u, fmt.Errorf("open uploaded file: %w", err)
	}
	defer f.Close()
	if u.Content, err = io.ReadAll(f); err != nil {
		return u, fmt.Errorf("read uploaded file: %w", err)
	}
	u.Filename = strings.Clone(fh.Filename)
	return u, nil
}

// commitRosterImport commits a previewed import, all rows or none, and
// answers the counts. A file that no longer passes the checks is answered
// 422 with its problems; a second commit of the same import changes
// nothing and says so.
func (s *Server) commitRosterImport(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.rosterImportView(c)
	if err != nil {
		return err
	}
	res, err := roster.NewService(s.db).Commit(c.UserContext(), principal(c), id)
	if p, ok := roster.IsRefused(err); ok {
		v.Preview = previewView(p)
		v.Preview.Refused = true
		v.ProgramID = itoa(p.Import.ProgramID)
		return s.renderRosterImport(c, fiber.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	v.Result = &rosterview.ResultView{Filename: res.Import.Filename, ProgramName: res.ProgramName,
		RosterURL: "/admin/students?program=" + itoa(res.Import.ProgramID), Added: res.Added,
		Changed: res.Changed, Unchanged: res.Unchanged, AlreadyCommitted: res.AlreadyCommitted,
		CommittedAt: res.Import.CommittedAt.Format("Jan 2, 2006 at 15:04")}
	return s.renderRosterImport(c, fiber.StatusOK, v)
}

func (s *Server) rosterImportView(c *fiber.Ctx) (rosterview.ImportView, error) {
	v := rosterview.ImportView{Sample: rosterSample, Columns: strings.Join(roster.Columns, ","),
		MaxRows: "20,000", MaxBytes: s.cfg.BodyLimitBytes - 64<<10, CSRF: s.csrfToken(c),
		Errors: map[string]string{}}
	programs, err := roster.NewService(s.db).Programs(c.UserContext(), principal(c), rosterDistrict(c))
	if err != nil {
		return v, err
	}
	v.Programs = rosterOptions(programs)
	v.ProgramID = defaultRosterProgram(c, programs)
	return v, nil
}

func (s *Server) renderRosterImport(c *fiber.Ctx, status int, v rosterview.ImportView) error {
	var page templ.Component
	if isHTMX(c) {
		page = rosterview.ImportBody(v)
	} else {
		page = rosterview.ImportPage(s.page(c, "Import students", "admin"), sectionsFor(principal(c)), v)
	}
	return s.renderStatus(c, status, page)
}

// previewView shows a preview: its counts, and the first rows of each
// kind and the first problems.
func previewView(p *roster.Preview) *rosterview.PreviewView {
	v := &rosterview.PreviewView{ID: p.Import.ID, Filename: p.Import.Filename, ProgramName: p.ProgramName,
		NewCount: len(p.New), ChangedCount: len(p.Changed), UnchangedCount: len(p.Unchanged),
		ErrorCount: len(p.Errors)}
	v.New, v.Changed = itemViews(p.New, true), itemViews(p.Changed, false)
	v.Unchanged = itemViews(p.Unchanged, false)
	for _, e := range p.Errors[:min(len(p.Errors), previewErrorsShown)] {
		v.Errors = append(v.Errors, e.String())
	}
	return v
}

func itemViews(items []roster.Item, isNew bool) []rosterview.ItemView {
	out := make([]rosterview.ItemView, 0, min(len(items), previewItemsShown))
	for _, it := range items[:min(len(items), previewItemsShown)] {
		out = append(out, rosterview.ItemView{Line: it.Line, Identifier: it.Identifier,
			Details: describeChanges(it.Changes, isNew)})
	}
	return out
}

// rosterFieldLabels name a student's fields in sentences.
var rosterFieldLabels = map[string]string{"identifier": "identifier", "program_year": "program year",
	"enrollment_date": "enrollment date", "expected_grad": "expected graduation"}

// describeChanges writes an item's changes: "program year 1 → 2" for a
// changed student, "program year 2" for a new one.
func describeChanges(changes []roster.Change, isNew bool) string {
	parts := make([]string, 0, len(changes))
	for _, ch := range changes {
		if isNew {
			if ch.Field != "identifier" {
				parts = append(parts, rosterFieldLabels[ch.Field]+" "+ch.To)
			}
			continue
		}
		parts = append(parts, rosterFieldLabels[ch.Field]+" "+orNone(ch.From)+" → "+orNone(ch.To))
	}
	return strings.Join(parts, "; ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
