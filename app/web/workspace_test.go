package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// workspace is a teacher signed in as primary for one student with a
// measurable goal that has one entry.
type workspace struct {
	*testApp
	teacher, student, goal, entry int64
}

func newWorkspace(t *testing.T) *workspace {
	t.Helper()
	a := newTestApp(t)
	program, _ := a.seedPrograms()
	w := &workspace{testApp: a}
	w.teacher = a.addUser("t@ws.example", "teacher", a.districtOf(program), "unused password 1", program)
	ctx := context.Background()
	err := a.db.QueryRowContext(ctx, `INSERT INTO student (id_program, identifier, program_year)
		VALUES (?, 'WS-001', 2) RETURNING id_student`, program).Scan(&w.student)
	if err == nil {
		a.exec(`INSERT INTO user_student (id_user, id_student, access_level, is_primary)
			VALUES (?, ?, 'editor', true)`, w.teacher, w.student)
		err = a.db.QueryRowContext(ctx, `INSERT INTO goal (id_student, id_user_created, title, category,
			unit, baseline_value, target_value) VALUES (?, ?, 'Read a bus schedule', 'Reading',
			'% accuracy', 40, 80) RETURNING id_goal`, w.student, w.teacher).Scan(&w.goal)
	}
	if err == nil {
		err = a.db.QueryRowContext(ctx, `INSERT INTO progress_event (id_student, id_goal, id_user_created,
			content, value, occurred_on) VALUES (?, ?, ?, 'Found route 12 with help', 45, current_date - 1)
			RETURNING id_progress_event`, w.student, w.goal, w.teacher).Scan(&w.entry)
	}
	if err != nil {
		t.Fatalf("seed workspace: %v", err)
	}
	a.signIn(w.teacher)
	return w
}

func (w *workspace) goalVersion() string {
	var v time.Time
	if err := w.db.QueryRowContext(context.Background(),
		`SELECT updated_at FROM goal WHERE id_goal = ?`, w.goal).Scan(&v); err != nil {
		w.t.Fatalf("goal version: %v", err)
	}
	return versionString(v)
}

func TestStudentPageFullAndFragments(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)

	page := w.get(fmt.Sprintf("/students/%d", w.student))
	if page.StatusCode != http.StatusOK {
		t.Fatalf("student page = %d", page.StatusCode)
	}
	mustContain(t, page.body, "<!doctype html>", "WS-001", "Read a bus schedule", "Found route 12 with help",
		`id="quick-add"`, `id="goals"`, `id="timeline"`, `id="health"`, "Latest: 45 % accuracy",
		`class="sparkline`)

	goals := w.get(fmt.Sprintf("/students/%d/goals", w.student), "HX-Request", "true")
	mustContain(t, goals.body, `<section id="goals"`, "Read a bus schedule")
	mustNotContain(t, goals.body, "<html")

	timeline := w.get(fmt.Sprintf("/students/%d/entries?goal=%d", w.student, w.goal), "HX-Request", "true")
	mustContain(t, timeline.body, `<section id="timeline"`, "Found route 12 with help")
	mustNotContain(t, timeline.body, "<html")

	// Without htmx the fragment routes send the browser to the page.
	res := w.get(fmt.Sprintf("/students/%d/entries", w.student))
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("timeline without htmx = %d, want a redirect to the page", res.StatusCode)
	}
}

func TestGoalPage(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)

	res := w.get(fmt.Sprintf("/goals/%d", w.goal))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("goal page = %d", res.StatusCode)
	}
	mustContain(t, res.body, "Read a bus schedule", `role="img"`, "Show the data as a table",
		"Found route 12 with help", "WS-001")
}

func TestInlineGoalEdit(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	field := fmt.Sprintf("/goals/%d/fields/title", w.goal)

	edit := w.get(field+"/edit", "HX-Request", "true")
	mustContain(t, edit.body, `<form id="goal-`, `name="version"`, "Read a bus schedule", "autofocus")

	saved := w.postHTMX(field, "value", "Read a bus timetable", "version", w.goalVersion())
	if saved.StatusCode != http.StatusOK {
		t.Fatalf("save = %d:\n%s", saved.StatusCode, saved.body)
	}
	mustContain(t, saved.body, "Read a bus timetable", "data-focus")
	mustNotContain(t, saved.body, "<form")

	empty := w.postHTMX(field, "value", "  ", "version", w.goalVersion())
	if empty.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("an empty title = %d, want 422", empty.StatusCode)
	}
	mustContain(t, empty.body, "Enter a title.", `aria-invalid="true"`)

	display := w.get(field, "HX-Request", "true")
	mustContain(t, display.body, "Read a bus timetable")
}

// TestEveryGoalFieldSavesAndShowsItsValue saves each inline field of a
// goal, then clears the ones that may be empty, and checks that each
// answer shows the value the database now holds, with a version that the
// next edit can start from.
func TestEveryGoalFieldSavesAndShowsItsValue(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	for _, tc := range []struct {
		field, value, note, shown string
	}{
		{"title", "Ride the 12 to the library", "", "Ride the 12 to the library"},
		{"description", "With a printed timetable", "", "With a printed timetable"},
		{"category", "Community", "", "Community"},
		{"unit", "stops named", "", "stops named"},
		{"baseline", "2.5", "", "2.5"},
		{"target", "12", "", "12"},
		{"target_date", "2027-05-14", "", "May 14, 2027"},
		{"status", "discontinued", "Moved schools", "Discontinued"},
		{"status", "active", "", "Active"},
		{"description", "", "", "Not set"},
		{"category", "", "", "Not set"},
		{"unit", "", "", "Not measured"},
		{"baseline", "", "", "Not set"},
		{"target_date", "", "", "Not set"},
	} {
		path := fmt.Sprintf("/goals/%d/fields/%s", w.goal, tc.field)
		res := w.postHTMX(path, "value", tc.value, "close_note", tc.note, "version", w.goalVersion())
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s = %q: %d\n%s", tc.field, tc.value, res.StatusCode, res.body)
		}
		mustContain(t, res.body, ">"+tc.shown+"<", `data-version="`+w.goalVersion()+`"`)
		shown := w.get(path, "HX-Request", "true")
		mustContain(t, shown.body, ">"+tc.shown+"<")
	}
}

func TestInlineEditConflict(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	field := fmt.Sprintf("/goals/%d/fields/title", w.goal)
	stale := w.goalVersion()

	if res := w.postHTMX(field, "value", "First person's title", "version", stale); res.StatusCode != http.StatusOK {
		t.Fatalf("first save = %d", res.StatusCode)
	}
	second := w.postHTMX(field, "value", "Second person's title", "version", stale)
	if second.StatusCode != http.StatusConflict {
		t.Fatalf("a stale save = %d, want 409", second.StatusCode)
	}
	mustContain(t, second.body, "Someone else changed this", "First person&#39;s title",
		"Second person&#39;s title", "Apply mine anyway")

	// The conflict form carries the current version: applying works.
	fresh := w.postHTMX(field, "value", "Second person's title", "version", w.goalVersion())
	mustContain(t, fresh.body, "Second person&#39;s title")

	if res := w.postHTMX(field, "value", "No version at all"); res.StatusCode != http.StatusConflict {
		t.Errorf("a save without a version = %d, want 409", res.StatusCode)
	}
}

func TestCloseGoalNeedsNote(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	field := fmt.Sprintf("/goals/%d/fields/status", w.goal)

	res := w.postHTMX(field, "value", "met", "version", w.goalVersion())
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("closing without a note = %d, want 422", res.StatusCode)
	}
	mustContain(t, res.body, "Enter a close note.")

	res = w.postHTMX(field, "value", "met", "close_note", "Met in three probes", "version", w.goalVersion())
	if res.StatusCode != http.StatusOK {
		t.Fatalf("closing with a note = %d", res.StatusCode)
	}
	var status, note string
	_ = w.db.QueryRowContext(context.Background(), `SELECT status, close_note FROM goal WHERE id_goal = ?`,
		w.goal).Scan(&status, &note)
	if status != "met" || note != "Met in three probes" {
		t.Errorf("goal is %s with note %q", status, note)
	}
}

func TestAddAndDeleteGoals(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	path := fmt.Sprintf("/students/%d/goals", w.student)

	bad := w.postHTMX(path, "title", "", "baseline", "lots")
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad goal = %d, want 422", bad.StatusCode)
	}
	mustContain(t, bad.body, "Enter a title.", "The baseline must be a number", `value="lots"`)

	res := w.postHTMX(path, "title", "Count change to $20", "category", "Math")
	mustContain(t, res.body, "Goal added: Count change to $20", "Count change to $20")
	sub := w.postHTMX(path, "title", "Count coins", "parent", itoa(w.goal))
	mustContain(t, sub.body, "Count coins")

	var newGoal int64
	_ = w.db.QueryRowContext(context.Background(), `SELECT id_goal FROM goal WHERE title = 'Count change to $20'`).Scan(&newGoal)
	del := w.postHTMX(fmt.Sprintf("/goals/%d/delete", newGoal))
	mustContain(t, del.body, "Goal deleted")
	mustNotContain(t, del.body, ">Count change to $20<")

	kept := w.postHTMX(fmt.Sprintf("/goals/%d/delete", w.goal))
	if kept.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("deleting a goal with entries = %d, want 422", kept.StatusCode)
	}
	mustContain(t, kept.body, "close it or mark it discontinued instead")
}

func TestQuickAddEntry(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	path := fmt.Sprintf("/students/%d/entries", w.student)

	res := w.postHTMX(path, "goal", itoa(w.goal), "content", "Planned a route alone", "value", "62.5")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("quick add = %d:\n%s", res.StatusCode, shorten(res.body))
	}
	mustContain(t, res.body, "Saved.", `hx-swap-oob="true"`, "Planned a route alone", "62.5 % accuracy")

	tomorrow := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	bad := w.postHTMX(path, "goal", "999999", "content", "", "value", "x", "occurred_on", tomorrow)
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad entry = %d, want 422", bad.StatusCode)
	}
	mustContain(t, bad.body, "Choose one of the student&#39;s goals.", "Write what you observed.",
		"The day cannot be in the future.")

	// Without JavaScript the form posts and comes back to the page.
	plain := w.post(path, "goal", itoa(w.goal), "content", "Plain form entry")
	if plain.StatusCode != http.StatusSeeOther {
		t.Errorf("plain post = %d, want a redirect", plain.StatusCode)
	}
	plainBad := w.post(path, "goal", itoa(w.goal), "content", "")
	if plainBad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(plainBad.body, "<!doctype html>") {
		t.Errorf("plain bad post = %d, want the whole page with 422", plainBad.StatusCode)
	}
}

func TestEditAndDeleteOwnEntry(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	path := fmt.Sprintf("/entries/%d", w.entry)

	edit := w.get(path+"/edit", "HX-Request", "true")
	mustContain(t, edit.body, "Found route 12 with help", `name="version"`)

	var v time.Time
	_ = w.db.QueryRowContext(context.Background(), `SELECT updated_at FROM progress_event WHERE id_progress_event = ?`,
		w.entry).Scan(&v)
	saved := w.postHTMX(path, "goal", itoa(w.goal), "content", "Found route 12 alone", "value", "50",
		"occurred_on", time.Now().Format(time.DateOnly), "version", versionString(v))
	if saved.StatusCode != http.StatusOK {
		t.Fatalf("save entry = %d:\n%s", saved.StatusCode, shorten(saved.body))
	}
	mustContain(t, saved.body, "Found route 12 alone", "50 % accuracy")

	stale := w.postHTMX(path, "goal", itoa(w.goal), "content", "Stale edit", "version", versionString(v))
	if stale.StatusCode != http.StatusConflict {
		t.Errorf("stale entry edit = %d, want 409", stale.StatusCode)
	}

	del := w.postHTMX(path + "/delete")
	if del.StatusCode != http.StatusOK {
		t.Fatalf("delete = %d", del.StatusCode)
	}
	if res := w.get(path, "HX-Request", "true"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a deleted entry answers %d", res.StatusCode)
	}
}

func TestSensitiveReadsAreAudited(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	w.exec(`INSERT INTO progress_event (id_student, id_goal, id_user_created, content, is_sensitive)
		VALUES (?, ?, ?, 'Family moved to a shelter', true)`, w.student, w.goal, w.teacher)
	w.exec(`INSERT INTO health_note (id_student, id_user_created, content) VALUES (?, ?, 'Uses an inhaler')`,
		w.student, w.teacher)

	page := w.get(fmt.Sprintf("/students/%d", w.student))
	mustContain(t, page.body, "Family moved to a shelter", "Uses an inhaler")

	rows, err := w.db.QueryContext(context.Background(),
		`SELECT action FROM audit_event WHERE id_student = ? ORDER BY action`, w.student)
	if err != nil {
		t.Fatalf("read audit: %v", err)
	}
	defer rows.Close()
	var actions []string
	for rows.Next() {
		var a string
		_ = rows.Scan(&a)
		actions = append(actions, a)
	}
	if strings.Join(actions, ",") != "health_note_read,sensitive_read" {
		t.Errorf("audit after one page view = %v", actions)
	}
}

func TestHealthNotes(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	path := fmt.Sprintf("/students/%d/health-notes", w.student)

	bad := w.postHTMX(path, "content", "   ")
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty note = %d", bad.StatusCode)
	}
	ok := w.postHTMX(path, "content", "Seizure plan updated <b>today</b>")
	mustContain(t, ok.body, "Seizure plan updated &lt;b&gt;today&lt;/b&gt;")
}

func TestMalformedInputNeverFails(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	huge := strings.Repeat("a", 5100) + "é"
	bad := string([]byte{0xff, 0xfe, 'x'})
	cases := []struct{ path string }{
		{fmt.Sprintf("/goals/%d/fields/title", w.goal)},
		{fmt.Sprintf("/goals/%d/fields/baseline", w.goal)},
		{fmt.Sprintf("/goals/%d/fields/target_date", w.goal)},
		{fmt.Sprintf("/goals/%d/fields/status", w.goal)},
		{fmt.Sprintf("/students/%d/fields/program_year", w.student)},
		{fmt.Sprintf("/students/%d/fields/identifier", w.student)},
		{fmt.Sprintf("/students/%d/entries", w.student)},
		{fmt.Sprintf("/students/%d/goals", w.student)},
		{fmt.Sprintf("/students/%d/health-notes", w.student)},
		{fmt.Sprintf("/entries/%d", w.entry)},
	}
	for _, tc := range cases {
		for _, v := range []string{huge, bad, "1e400", "-0", "9999-99-99", "NaN"} {
			res := w.postHTMX(tc.path, "value", v, "content", v, "goal", v, "title", v,
				"occurred_on", v, "baseline", v, "version", v, "close_note", v)
			if res.StatusCode >= 500 {
				t.Errorf("%s with %.20q = %d", tc.path, v, res.StatusCode)
			}
		}
	}
	for _, p := range []string{"/goals/abc", "/goals/99999999999999999999", "/students/-1",
		"/entries/0/edit", fmt.Sprintf("/goals/%d/fields/nope/edit", w.goal)} {
		if res := w.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
		}
	}
}
