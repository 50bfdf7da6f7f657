package browser

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// A period's dates are edited in place: bad dates come back in the row
// with the reason, good ones are saved and shown.
func TestCalendarPeriodEditsInPlace(t *testing.T) {
	h := newHarness(t)
	tb := h.tab()
	tb.signIn("admin@demo.test", h.cfg.DemoPassword)

	var id int64
	var starts, ends time.Time
	err := h.db.QueryRowContext(context.Background(), `SELECT id_reporting_period, starts_on, ends_on
		FROM reporting_period WHERE period = 'Q2' ORDER BY year LIMIT 1`).Scan(&id, &starts, &ends)
	if err != nil {
		t.Fatalf("a Q2 period: %v", err)
	}
	row := fmt.Sprintf("#period-%d", id)
	tb.open("/admin/calendar")
	tb.click(row + ` a[role="button"]`)
	tb.waitUntil(fmt.Sprintf(`document.querySelector(%q + " input[name=starts_on]") !== null`, row),
		"the row's edit form")

	setDates := func(from, to string) {
		tb.waitUntil(fmt.Sprintf(`(document.querySelector(%q + " input[name=starts_on]").value = %q) === %q &&
			(document.querySelector(%q + " input[name=ends_on]").value = %q) === %q`,
			row, from, from, row, to, to), "typing the dates")
		tb.click(row + ` button[type="submit"]`)
	}
	setDates(ends.Format(time.DateOnly), starts.Format(time.DateOnly))
	tb.waitUntil(fmt.Sprintf(`document.querySelector(%q + " .field-error") !== null`, row), "the refusal")
	tb.wantText(row+" .field-error", "cannot come before the first")

	moved := starts.AddDate(0, 0, 1).Format(time.DateOnly)
	setDates(moved, ends.Format(time.DateOnly))
	tb.waitUntil(fmt.Sprintf(`document.querySelector(%q + " input[type=date]") === null &&
		document.querySelector(%q).textContent.includes(%q)`, row, row, moved), "the saved row")
}
