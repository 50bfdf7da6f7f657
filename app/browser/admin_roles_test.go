package browser

import (
	"context"
	"fmt"
	"testing"
)

// The role grid in the browser: ticking a box saves it through htmx, and a
// change that would leave the demo district without an administrator
// comes back unticked-as-before with the reason in its cell.
func TestRoleGridTogglesInPlace(t *testing.T) {
	h := newHarness(t)
	tb := h.tab()
	tb.signIn("admin@demo.test", h.cfg.DemoPassword)
	tb.open("/admin/roles")

	// The box ticks as soon as it is clicked; the mark on the old form
	// tells when the server's answer has replaced it.
	granted := h.cellSelector("teacher", "student.read.district")
	tb.mustFind(granted)
	tb.eval(fmt.Sprintf(`document.querySelector(%q).dataset.old = "1"`, granted))
	tb.click(granted + ` input[type="checkbox"]`)
	tb.waitUntil(fmt.Sprintf(`document.querySelector(%q).dataset.old === undefined &&
		document.querySelector(%q + " input[type=checkbox]").checked`, granted, granted),
		"the answer with the new grant ticked")
	h.wantGrant("teacher", "student.read.district")

	refused := h.cellSelector("district_admin", "user.manage.district")
	tb.click(refused + ` input[type="checkbox"]`)
	tb.waitUntil(fmt.Sprintf(`document.querySelector(%q + " .field-error") !== null`, refused),
		"the refusal in the cell")
	tb.wantText(refused+" .field-error", "would leave a district without anyone able to manage")
	tb.waitUntil(fmt.Sprintf(`document.querySelector(%q + " input[type=checkbox]").checked`, refused),
		"the box ticked again, as stored")
}

// cellSelector is the CSS selector of a grid cell's form.
func (h *harness) cellSelector(role, permission string) string {
	h.t.Helper()
	var r, p int64
	ctx := context.Background()
	if err := h.db.QueryRowContext(ctx, `SELECT id_role FROM role WHERE name = ?`, role).Scan(&r); err != nil {
		h.t.Fatalf("role %s: %v", role, err)
	}
	if err := h.db.QueryRowContext(ctx, `SELECT id_permission FROM permission WHERE name = ?`,
		permission).Scan(&p); err != nil {
		h.t.Fatalf("permission %s: %v", permission, err)
	}
	return fmt.Sprintf("#grant-%d-%d", r, p)
}

// wantGrant fails unless role holds permission; the cell's answer came
// after the commit, so it holds by now.
func (h *harness) wantGrant(role, permission string) {
	h.t.Helper()
	var n int
	err := h.db.QueryRowContext(context.Background(), `SELECT count(*) FROM role_permission
		JOIN role USING (id_role) JOIN permission USING (id_permission)
		WHERE role.name = ? AND permission.name = ?`, role, permission).Scan(&n)
	if err != nil || n != 1 {
		h.t.Errorf("%s holds %s %d times (%v), want once", role, permission, n, err)
	}
}
