package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"goaltracker/app/demo"
)

// payload tries to break out of an attribute and a text node at once, and
// to start a spreadsheet formula.
const payload = `=HYPERLINK("x")"'><script>alert(1)</script><img src=x onerror=alert(2)>`

// TestScriptPayloadsAreShownEscaped writes the payload into every text
// column a page shows (the student's identifier, its program's name, the
// author's name, each goal field, an entry, a sensitive entry, a health
// note, a report summary) and opens every page that shows them: each must
// show the text escaped and never the markup.
func TestScriptPayloadsAreShownEscaped(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	if err := demo.Load(ctx, a.db, demo.Options{Password: a.srv.cfg.DemoPassword}); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	var teacher, student, goal int64
	if err := a.db.QueryRowContext(ctx, `SELECT u.id_user, us.id_student, g.id_goal
		FROM "user" u JOIN user_student us ON us.id_user = u.id_user AND us.is_primary
		JOIN goal g ON g.id_student = us.id_student AND g.id_goal_parent IS NULL
		WHERE u.email = 'teacher@demo.test' ORDER BY us.id_student, g.id_goal LIMIT 1`).
		Scan(&teacher, &student, &goal); err != nil {
		t.Fatalf("find the teacher's goal: %v", err)
	}
	ident := payload[:50]
	for _, q := range []string{
		`UPDATE student SET identifier = ?2 WHERE id_student = ?0`,
		`UPDATE program SET name = ?1 WHERE id_program = (SELECT id_program FROM student WHERE id_student = ?0)`,
		`UPDATE "user" SET name = ?1 WHERE id_user = ?3`,
		`UPDATE goal SET title = ?1, description = ?1, category = left(?1, 100), unit = left(?1, 50),
			status = 'met', close_note = ?1, closed_at = now() WHERE id_goal = ?4`,
		`INSERT INTO progress_event (id_student, id_goal, id_user_created, content, value, is_sensitive)
			VALUES (?0, ?4, ?3, ?1, 50, false), (?0, ?4, ?3, ?1 || ' sensitive', 51, true)`,
		`INSERT INTO health_note (id_student, id_user_created, content) VALUES (?0, ?3, ?1)`,
		`INSERT INTO progress_report (id_student, id_goal, period, year, summary, suggested_code, entry_count)
			SELECT ?0, ?4, period, year, ?1, 'sufficient', 1 FROM reporting_period
			WHERE current_date BETWEEN starts_on AND ends_on AND period LIKE 'Q%'`,
	} {
		if _, err := a.db.NewRaw(q, student, payload, ident, teacher, goal).Exec(ctx); err != nil {
			t.Fatalf("seed %q: %v", q, err)
		}
	}

	a.signIn(teacher)
	pages := []string{
		"/students",
		fmt.Sprintf("/students?q=%s", "HYPERLINK"),
		fmt.Sprintf("/students/%d", student),
		fmt.Sprintf("/students/%d/entries", student),
		fmt.Sprintf("/goals/%d", goal),
		fmt.Sprintf("/goals/%d/fields/title/edit", goal),
		fmt.Sprintf("/students/%d/reports", student),
		fmt.Sprintf("/students/%d/reports/print", student),
	}
	for _, path := range pages {
		for _, headers := range [][]string{nil, htmx} {
			res := a.get(path, headers...)
			if res.StatusCode == http.StatusSeeOther && headers == nil {
				continue // a fragment's address sends browsers to its page
			}
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: %d", path, res.StatusCode)
				continue
			}
			mustNotContain(t, res.body, "<script>alert", "<img src=x")
			if !strings.Contains(res.body, html.EscapeString("<script>alert(1)</script>")) &&
				!strings.Contains(res.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("%s (htmx %v) does not show the payload's text escaped", path, headers != nil)
			}
		}
	}
}
