package browser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRosterRowEditsInPlace edits a student of the roster in place: the
// row turns into a form whose inputs sit in the row's cells, outside the
// form element, and Save must send them all and swap the row back.
func TestRosterRowEditsInPlace(t *testing.T) {
	h := newHarness(t)
	tb := h.tab()
	tb.viewport(1280, 900)
	signInAs(h, tb, "admin@demo.test")
	watch := watchConsole(tb)
	tb.open("/admin/students")
	tb.eval(`window.gtSamePage = true`)

	const row = "#roster-rows tr:first-child"
	identifier := tb.text(row + " td:first-child")
	tb.click(row + " td:last-child a")
	tb.waitUntil(`!!document.querySelector(`+jsString(row+".editing")+`)`, "the row to turn into a form")

	tb.fill(row+` input[name="program_year"]`, "7")
	// A date input takes typing in the browser's locale; set it directly.
	tb.eval(`document.querySelector(` + jsString(row+` input[name="enrollment_date"]`) +
		`).value = "2026-09-01"`)
	tb.click(row + ` .inline-actions button[type="submit"]`)
	tb.waitUntil(`(() => {
		const r = document.querySelector(`+jsString(row)+`);
		return !!r && !r.classList.contains("editing") && r.cells[2].textContent.trim() === "7";
	})()`, "the saved row with program year 7")

	tb.wantText(row+" td:first-child", identifier)
	tb.wantText(row+" td:nth-child(4)", "Sep 1, 2026")
	if !tb.isTrue(`window.gtSamePage === true`) {
		t.Errorf("saving the row loaded a new page; want htmx to swap the row in place")
	}
	for _, msg := range watch.appViolations() {
		t.Errorf("CSP violation on the roster: %s", msg)
	}
}

// TestRosterImportRefusesAFileTooLarge picks a file over the server's body
// limit: the browser refuses it at once with a message, before sending a
// byte, instead of an upload the server would cut off.
func TestRosterImportRefusesAFileTooLarge(t *testing.T) {
	h := newHarness(t)
	tb := h.tab()
	signInAs(h, tb, "admin@demo.test")
	tb.open("/admin/students/import")

	file := filepath.Join(t.TempDir(), "too-large.csv")
	body := "identifier,program_year,enrollment_date,expected_grad\n" +
		strings.Repeat("LARGE-0001,1,2026-08-24,2029-06-15\n", h.cfg.BodyLimitBytes/35+1000)
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatalf("write the file: %v", err)
	}
	if err := chromedp.Do(tb.ctx, chromedp.SetUploadFiles("#roster-import-file", []string{file})); err != nil {
		tb.fatalf("attach the file: %v", err)
	}
	msg := evaluate[string](tb, `document.querySelector("#roster-import-file").validationMessage`)
	if !strings.Contains(msg, "larger than") {
		t.Errorf("a %d-byte file gave the message %q", len(body), msg)
	}
	if tb.isTrue(`document.querySelector(".roster-upload").checkValidity()`) {
		t.Errorf("the form would send a file over the limit")
	}
}
