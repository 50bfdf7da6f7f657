package browser

import (
	"fmt"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const (
	teacherEmail = "teacher@demo.test"
	paraEmail    = "para@demo.test"
	// firstLogLink is the Log link of the first student in the list.
	firstLogLink = "#student-results tbody tr:first-child a.log-link"
	// maxOlderPages bounds how many times a test asks for older entries
	// while it looks for one entry in the progress log.
	maxOlderPages = 10
)

func TestInlineGoalTitleEdit(t *testing.T) {
	h := newHarness(t)
	g := teacherGoal(h)
	tb := h.tab()
	signInAs(h, tb, teacherEmail)
	tb.open(studentPath(g.studentID))
	const newTitle = "Orders lunch at the counter without prompts"

	editTitle(tb, g.id)
	saveTitle(tb, g.id, newTitle)
	waitForTitle(tb, g.id, newTitle)

	tb.reload()
	if got := tb.text(titleButton(g.id)); got != newTitle {
		t.Errorf("after a reload the goal is titled %q, want the saved %q (it was %q)",
			got, newTitle, g.title)
	}

	// Escape drops the typed title and puts focus back where the edit
	// began, so a keyboard user keeps their place.
	editTitle(tb, g.id)
	tb.fill(titleInput(g.id), "A title to throw away")
	tb.press(titleInput(g.id), kb.Escape)
	waitForTitle(tb, g.id, newTitle)
	tb.waitUntil(`document.activeElement.matches(`+jsString(titleButton(g.id))+`)`,
		"focus back on the title button after Escape")
}

func TestQuickAddEntry(t *testing.T) {
	h := newHarness(t)
	tb := h.tab()
	tb.viewport(1280, 900)
	signInAs(h, tb, teacherEmail)

	tb.follow(firstLogLink)
	if !strings.HasPrefix(tb.path(), "/students/") || !strings.HasSuffix(tb.location(), "#quick-add") {
		tb.fatalf("the Log link led to %s, want a student page at #quick-add", tb.location())
	}
	where := tb.location()

	// A full page load would drop the marker.
	tb.eval(`window.gtSamePage = true`)
	note := logEntry(tb, "Sorted the outgoing mail by zip code")
	if !tb.isTrue(`window.gtSamePage === true`) {
		t.Errorf("saving the entry loaded a new page; want htmx to swap the form in place")
	}
	if got := tb.location(); got != where {
		t.Errorf("address is %s after saving, want it unchanged at %s", got, where)
	}
	if got := tb.value("#qa-note"); got != "" {
		t.Errorf("note field holds %q after saving %q, want it empty for the next entry", got, note)
	}
	tb.waitUntil(`document.activeElement.id === "qa-note"`, "focus in the note field after saving")
}

func TestParaDoesNotSeeSensitiveEntry(t *testing.T) {
	h := newHarness(t)
	e := hiddenSensitiveEntry(h)
	entry := fmt.Sprintf("#entry-%d", e.id)

	para := h.tab()
	signInAs(h, para, paraEmail)
	if status := para.open(studentPath(e.studentID)); status != 200 {
		para.fatalf("student %d answers %d to the paraeducator, want 200", e.studentID, status)
	}
	revealEntry(para, e.id)
	page, err := chromedp.Run(para.ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		para.fatalf("read the page: %v", err)
	}
	if strings.Contains(page, e.content) || strings.Contains(page, html.EscapeString(e.content)) {
		t.Errorf("the paraeducator's page holds the sensitive entry %d: %q", e.id, e.content)
	}
	if !para.find(entry + " p.restricted").Found {
		t.Errorf("entry %d shows no restricted notice to the paraeducator", e.id)
	}

	teacher := h.isolatedTab("teacher")
	signInAs(h, teacher, teacherEmail)
	teacher.open(studentPath(e.studentID))
	revealEntry(teacher, e.id)
	if got := teacher.text(entry + " .entry-content"); got != e.content {
		t.Errorf("the primary teacher reads entry %d as %q, want %q", e.id, got, e.content)
	}
}

func TestConcurrentGoalEditConflict(t *testing.T) {
	h := newHarness(t)
	g := teacherGoal(h)
	a := h.tab()
	b := h.isolatedTab("b")
	for _, tb := range []*tab{a, b} {
		signInAs(h, tb, teacherEmail)
		tb.open(studentPath(g.studentID))
		editTitle(tb, g.id)
	}

	saveTitle(a, g.id, "Title from A")
	waitForTitle(a, g.id, "Title from A")

	// B began from the title A replaced: the save is refused, and B's
	// form comes back with A's title and B's typing both in view.
	conflict := fmt.Sprintf("form#goal-%d-title .conflict", g.id)
	saveTitle(b, g.id, "Title from B")
	b.waitUntil(`!!document.querySelector(`+jsString(conflict)+`)`, "the conflict notice")
	b.wantText(conflict+" strong", "Title from A")
	if got := b.value(titleInput(g.id)); got != "Title from B" {
		t.Errorf("after the conflict the field holds %q, want B's %q", got, "Title from B")
	}

	b.click(conflict + ` button[type="submit"]`)
	waitForTitle(b, g.id, "Title from B")
	a.reload()
	if got := a.text(titleButton(g.id)); got != "Title from B" {
		t.Errorf("A sees the goal titled %q after a reload, want %q", got, "Title from B")
	}
}

// signInAs signs tb in to the demo account email, and stops the test if
// that fails: nothing after it would mean anything.
func signInAs(h *harness, tb *tab, email string) {
	tb.t.Helper()
	if got := tb.signIn(email, h.cfg.DemoPassword); got != "/students" {
		tb.fatalf("%s signed in to %s, want /students", email, tb.location())
	}
}

func studentPath(id int64) string { return fmt.Sprintf("/students/%d", id) }

// demoGoal is a goal of the demo district as a test finds it.
type demoGoal struct {
	id, studentID int64
	title         string
}

// teacherGoal returns an active top-level goal of one of the demo
// teacher's own students, which the teacher may edit.
func teacherGoal(h *harness) demoGoal {
	h.t.Helper()
	var g demoGoal
	err := h.db.QueryRowContext(h.t.Context(), `
		SELECT g.id_goal, g.id_student, g.title
		FROM goal g
		JOIN user_student us ON us.id_student = g.id_student AND us.is_primary
		JOIN "user" u ON u.id_user = us.id_user
		WHERE u.email = ? AND g.id_goal_parent IS NULL AND g.status = 'active'
		ORDER BY g.id_student, g.id_goal
		LIMIT 1`, teacherEmail).Scan(&g.id, &g.studentID, &g.title)
	if err != nil {
		h.t.Fatalf("find a goal of %s's students: %v", teacherEmail, err)
	}
	return g
}

// sensitiveEntry is a sensitive progress entry of the demo district.
type sensitiveEntry struct {
	id, studentID int64
	content       string
}

// hiddenSensitiveEntry returns the newest sensitive entry, written by
// someone else, on a student the paraeducator works with. The demo reuses
// the texts of its sensitive notes, so the entry is one whose text the
// paraeducator cannot read on that student in any other entry: not in an
// ordinary one, nor in a sensitive one of their own.
func hiddenSensitiveEntry(h *harness) sensitiveEntry {
	h.t.Helper()
	var e sensitiveEntry
	err := h.db.QueryRowContext(h.t.Context(), `
		SELECT e.id_progress_event, e.id_student, e.content
		FROM progress_event e
		JOIN user_student us ON us.id_student = e.id_student
		JOIN "user" u ON u.id_user = us.id_user
		WHERE u.email = ? AND e.is_sensitive AND e.id_user_created <> u.id_user
			AND NOT EXISTS (SELECT 1 FROM progress_event o
				WHERE o.id_student = e.id_student AND o.content = e.content
					AND (NOT o.is_sensitive OR o.id_user_created = u.id_user))
		ORDER BY e.occurred_on DESC, e.id_progress_event DESC
		LIMIT 1`, paraEmail).Scan(&e.id, &e.studentID, &e.content)
	if err != nil {
		h.t.Fatalf("find a sensitive entry %s may not read: %v", paraEmail, err)
	}
	return e
}

func titleButton(goalID int64) string {
	return fmt.Sprintf("span#goal-%d-title > button.inline-value", goalID)
}

func titleInput(goalID int64) string { return fmt.Sprintf("#goal-%d-title-input", goalID) }

// editTitle clicks a goal's title and waits for its edit field to take
// focus. Typing before then would race app.js, which selects the field's
// text as it focuses it.
func editTitle(tb *tab, goalID int64) {
	tb.t.Helper()
	tb.click(titleButton(goalID))
	tb.waitUntil(`document.activeElement.matches(`+jsString(titleInput(goalID))+`)`,
		"the goal title's edit field to take focus")
}

// saveTitle types title into a goal's open edit field and presses Enter.
func saveTitle(tb *tab, goalID int64, title string) {
	tb.t.Helper()
	tb.fill(titleInput(goalID), title)
	tb.press(titleInput(goalID), kb.Enter)
}

// waitForTitle waits until a goal's title is back in display mode and
// reads title.
func waitForTitle(tb *tab, goalID int64, title string) {
	tb.t.Helper()
	tb.waitUntil(`(() => {
		const button = document.querySelector(`+jsString(titleButton(goalID))+`);
		return !!button && button.innerText.trim() === `+jsString(title)+`;
	})()`, fmt.Sprintf("goal %d to show the title %q", goalID, title))
}

// logEntry saves an entry through the quick-add form on the open student
// page, against the first goal it offers, and waits until the form says so
// and the progress log shows it. It returns the note, which it makes
// unique from about.
func logEntry(tb *tab, about string) string {
	tb.t.Helper()
	note := fmt.Sprintf("%s (check %d)", about, time.Now().UnixNano())
	goal := evaluate[string](tb,
		`document.querySelector('#qa-goal option:not([value=""])')?.value ?? ""`)
	if goal == "" {
		tb.fatalf("the quick-add form offers no goal")
	}
	tb.choose("#qa-goal", goal)
	// The fresh form's note is empty, and fill cannot clear a textarea
	// that holds no text.
	tb.press("#qa-note", note)
	tb.click(`#quick-add button[type="submit"]`)

	tb.waitUntil(`document.querySelector("#quick-add .saved")?.innerText.trim() === "Saved."`,
		`the quick-add form to say "Saved."`)
	tb.waitUntil(`[...document.querySelectorAll("#timeline .entry-content")].some(p =>
		p.innerText.trim() === `+jsString(note)+`)`, "the new entry in the progress log")
	return note
}

// revealEntry asks for older entries until the progress log shows entry
// id, which may be several pages back.
func revealEntry(tb *tab, id int64) {
	tb.t.Helper()
	sel := fmt.Sprintf("#entry-%d", id)
	for pages := 1; !tb.find(sel).Found; pages++ {
		if pages > maxOlderPages {
			tb.fatalf("entry %d is not in the first %d pages of the progress log", id, pages)
		}
		if !tb.find("#timeline .more button").Found {
			tb.fatalf("the progress log ends without entry %d", id)
		}
		shown := evaluate[int](tb, `document.querySelectorAll("#timeline li.entry").length`)
		tb.click("#timeline .more button")
		tb.waitUntil(fmt.Sprintf(`document.querySelectorAll("#timeline li.entry").length > %d`, shown),
			"older entries in the progress log")
	}
}
