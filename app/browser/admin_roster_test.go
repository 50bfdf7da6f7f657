package browser

import (
	"testing"
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
