package web

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/problem"
	"goaltracker/views/admin/settings"
	"goaltracker/views/components"
)

// auditPageSize is how many events one page of the log shows.
const auditPageSize = 50

// showAuditLog lists the events the person may read, newest first,
// filtered by the query. A malformed filter answers 422 with the form as
// typed.
func (s *Server) showAuditLog(c *fiber.Ctx) error {
	typed := auditFilterForm(c)
	f, err := parseAuditFilter(principal(c), typed)
	f.BeforeID = parseBefore(c)
	v := settings.AuditView{Filter: typed}
	for _, a := range audit.KnownActions {
		v.Actions = append(v.Actions, components.Option{Value: a, Label: strings.ReplaceAll(a, "_", " ")})
	}
	status := fiber.StatusOK
	if inv, ok := problem.AsInvalid(err); ok {
		v.Filter.Errors, status = inv.Fields, fiber.StatusUnprocessableEntity
	} else if err != nil {
		return err
	} else if err := s.fillAuditPage(c, f, &v); err != nil {
		return err
	}

	if isHTMX(c) {
		return s.renderStatus(c, status, settings.AuditResults(v))
	}
	return s.renderStatus(c, status, settings.AuditPage(s.page(c, "Audit log", "admin"), sectionsFor(principal(c)), v))
}

func (s *Server) fillAuditPage(c *fiber.Ctx, f audit.Filter, v *settings.AuditView) error {
	rows, more, err := audit.NewReader(s.db).Page(c.UserContext(), f, auditPageSize)
	if err != nil {
		return err
	}
	for _, r := range rows {
		v.Rows = append(v.Rows, auditRow(r))
	}
	query := auditQuery(v.Filter)
	v.CSVURL = "/admin/audit.csv?" + query.Encode()
	if more {
		query.Set("before", itoa(rows[len(rows)-1].ID))
		v.OlderURL = "/admin/audit?" + query.Encode()
	}
	return nil
}

func auditRow(r audit.Row) settings.AuditRow {
	row := settings.AuditRow{ID: r.ID, When: r.OccurredAt.UTC().Format("2006-01-02 15:04:05"),
		Actor: r.ActorEmail, Action: r.Action, Student: r.StudentIdentifier, IP: r.IP,
		Details: compactDetails(r.Details)}
	if r.RecordType != "" {
		row.Record = r.RecordType
		if r.RecordID != 0 {
			row.Record += " " + itoa(r.RecordID)
		}
	}
	return row
}

// compactDetails writes an event's details on one line, keys in order:
// granted=true, permission=user.manage.district.
func compactDetails(details map[string]any) string {
	keys := make([]string, 0, len(details))
	for k := range details {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		value := fmt.Sprint(details[k])
		if b, err := json.Marshal(details[k]); err == nil && !strings.HasPrefix(string(b), `"`) {
			value = string(b)
		}
		parts = append(parts, k+"="+value)
	}
	return strings.Join(parts, ", ")
}

// auditFilterForm copies the filter as typed in the query.
func auditFilterForm(c *fiber.Ctx) settings.AuditFilter {
	q := func(name string) string { return strings.TrimSpace(strings.Clone(c.Query(name))) }
	return settings.AuditFilter{Email: q("email"), Action: q("action"), RecordType: q("record_type"),
		RecordID: q("record_id"), Student: q("student"), From: q("from"), To: q("to")}
}

// auditQuery is the filter as a query string, for the links that keep it.
func auditQuery(f settings.AuditFilter) url.Values {
	q := url.Values{}
	for name, value := range map[string]string{"email": f.Email, "action": f.Action,
		"record_type": f.RecordType, "record_id": f.RecordID, "student": f.Student, "from": f.From, "to": f.To} {
		if value != "" {
			q.Set(name, value)
		}
	}
	return q
}

// parseAuditFilter turns the typed filter into the log's, limited to the
// person's district unless they read every district's log.
func parseAuditFilter(who *access.Principal, typed settings.AuditFilter) (audit.Filter, error) {
	f := audit.Filter{Email: typed.Email, Action: typed.Action, RecordType: typed.RecordType, Student: typed.Student}
	if !who.CanIn("audit", "read", access.ScopeAll) {
		f.DistrictID = who.DistrictID
	}
	inv := problem.NewInvalid()
	for name, value := range map[string]string{"email": typed.Email, "record_type": typed.RecordType,
		"student": typed.Student, "action": typed.Action} {
		if !utf8.ValidString(value) || strings.ContainsRune(value, 0) {
			inv.Add(name, "Use plain text: this contains characters that cannot be searched for.")
		}
	}
	if typed.RecordID != "" {
		id, err := strconv.ParseInt(typed.RecordID, 10, 64)
		if err != nil || id <= 0 {
			inv.Add("record_id", "Enter a record id as a whole number.")
		}
		f.RecordID = id
	}
	var err error
	if f.From, err = parseDay(typed.From); err != nil {
		inv.Add("from", "Enter the first day as a date (yyyy-mm-dd).")
	}
	if f.To, err = parseDay(typed.To); err != nil {
		inv.Add("to", "Enter the last day as a date (yyyy-mm-dd).")
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.From.After(f.To) {
		inv.Add("to", "The last day cannot come before the first.")
	}
	return f, inv.Err()
}

// parseDay reads a yyyy-mm-dd day; empty is the zero time.
func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.DateOnly, s)
}

// parseBefore reads the keyset of the next page.
func parseBefore(c *fiber.Ctx) int64 {
	id, err := strconv.ParseInt(c.Query("before"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// auditCSVHeader names the export's columns.
var auditCSVHeader = []string{"id", "occurred_at", "actor_email", "user_id", "district_id", "action",
	"record_type", "record_id", "student", "ip", "details"}

// exportAuditLog streams the filtered log as CSV, after recording the
// export itself in the log.
func (s *Server) exportAuditLog(c *fiber.Ctx) error {
	who := principal(c)
	f, err := parseAuditFilter(who, auditFilterForm(c))
	if err != nil {
		return err
	}
	details := map[string]any{}
	for name, values := range auditQuery(auditFilterForm(c)) {
		details[name] = values[0]
	}
	e := actor(c).Event(audit.ActionAuditExported, who.DistrictID, "", 0, details)
	if err := audit.NewLog(s.db).Record(c.UserContext(), e); err != nil {
		return err
	}

	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="audit-log-`+s.today().Format(time.DateOnly)+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	// The body is written after the handler returns, when the request's
	// context is already cancelled: the export gets its own deadline.
	ctx, logger := context.WithoutCancel(c.UserContext()), s.log
	timeout := s.cfg.RequestTimeout
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		if err := writeAuditCSV(ctx, audit.NewReader(s.db), f, w); err != nil {
			logger.ErrorContext(ctx, "audit export stopped", "error", err)
		}
	})
	return nil
}

func writeAuditCSV(ctx context.Context, r *audit.Reader, f audit.Filter, w *bufio.Writer) error {
	out := csv.NewWriter(w)
	if err := out.Write(auditCSVHeader); err != nil {
		return err
	}
	n := 0
	err := r.Each(ctx, f, func(row audit.Row) error {
		details := ""
		if len(row.Details) > 0 {
			b, _ := json.Marshal(row.Details)
			details = string(b)
		}
		n++
		if n%auditPageSize == 0 {
			out.Flush()
		}
		return out.Write(safeCells([]string{itoa(row.ID), row.OccurredAt.UTC().Format(time.RFC3339),
			row.ActorEmail, idText(row.UserID), idText(row.DistrictID), row.Action, row.RecordType,
			idText(row.RecordID), row.StudentIdentifier, row.IP, details}))
	})
	out.Flush()
	if err != nil {
		return err
	}
	return out.Error()
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return itoa(id)
}

// safeCells prefixes a quote to every cell a spreadsheet would read as a
// formula: those starting with =, +, -, @, a tab or a carriage return.
func safeCells(cells []string) []string {
	for i, cell := range cells {
		if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
			cells[i] = "'" + cell
		}
	}
	return cells
}
