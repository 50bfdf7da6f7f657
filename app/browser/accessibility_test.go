package browser

import (
	_ "embed"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, installed from npm by `task vendor` (see
// testdata/package.json). It is injected through DevTools, which the
// page's Content-Security-Policy does not govern, so the app itself never
// serves it.
//
//go:embed testdata/axe.min.js
var axeSource string

// axeViolation is one rule a page breaks, as axe reports it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// axeCheck runs axe-core on the page tb shows, against WCAG 2.1 A and AA,
// and returns the serious and critical violations.
func (tb *tab) axeCheck() []axeViolation {
	tb.t.Helper()
	if !tb.isTrue(`typeof window.axe === "object"`) {
		tb.eval(axeSource)
	}
	all, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document,
		{runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
		.then(r => r.violations)`, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.fatalf("run axe: %v", err)
	}
	var bad []axeViolation
	for _, v := range all {
		if v.Impact == "serious" || v.Impact == "critical" {
			bad = append(bad, v)
		}
	}
	return bad
}

func describeViolations(vs []axeViolation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "\n  %s (%s): %s", v.ID, v.Impact, v.Help)
		for i, n := range v.Nodes {
			if i == 3 {
				fmt.Fprintf(&b, "\n    … and %d more", len(v.Nodes)-3)
				break
			}
			fmt.Fprintf(&b, "\n    at %v", n.Target)
		}
	}
	return b.String()
}

// TestMainPagesPassAxe opens every main page, signed out and as the people
// who use it, on a desktop and on a phone, and fails on any serious or
// critical accessibility violation axe-core finds, and on a page wider
// than the screen.
func TestMainPagesPassAxe(t *testing.T) {
	// 18 pages at two widths, each loaded and checked: a few seconds each
	// on a busy two-core machine.
	h := newHarnessWithin(t, 4*time.Minute)
	g := teacherGoal(h)
	pages := []struct {
		email string // empty: signed out
		paths []string
	}{
		{"", []string{"/login", "/password/forgot"}},
		{teacherEmail, []string{"/students", studentPath(g.studentID), fmt.Sprintf("/goals/%d", g.id),
			studentPath(g.studentID) + "/reports", "/account/password"}},
		{"leader@demo.test", []string{"/reports", "/exports"}},
		{"admin@demo.test", []string{"/admin", "/admin/students", "/admin/students/import", "/admin/users",
			fmt.Sprintf("/admin/users/%d", userID(h, teacherEmail)), "/admin/programs", "/admin/roles",
			"/admin/calendar", "/admin/audit"}},
	}
	for _, width := range []int64{1280, 375} {
		tb := h.isolatedTab(fmt.Sprintf("axe-%d", width))
		tb.viewport(width, 900)
		for _, p := range pages {
			if p.email != "" {
				tb.signIn(p.email, h.cfg.DemoPassword)
			}
			for _, path := range p.paths {
				t.Run(fmt.Sprintf("%d%s", width, path), func(t *testing.T) {
					tb := tb.forTest(t)
					if status := tb.open(path); status != 200 {
						tb.fatalf("%s answered %d", path, status)
					}
					if vs := tb.axeCheck(); len(vs) > 0 {
						tb.fatalf("%s as %q at %d px:%s", path, p.email, width, describeViolations(vs))
					}
					// Nothing may widen the page past the screen: only
					// wide tables scroll, inside their own boxes.
					if got := evaluate[int64](tb, "document.documentElement.scrollWidth"); got > width {
						tb.fatalf("%s as %q is %d px wide on a %d px screen", path, p.email, got, width)
					}
				})
			}
			if p.email != "" {
				tb.submit(`nav form[action="/logout"] button`)
			}
		}
	}
}

// userID returns the id of the demo account with email.
func userID(h *harness, email string) int64 {
	h.t.Helper()
	var id int64
	err := h.db.QueryRowContext(h.t.Context(), `SELECT id_user FROM "user" WHERE email = ?`, email).Scan(&id)
	if err != nil {
		h.t.Fatalf("find %s: %v", email, err)
	}
	return id
}
