package browser

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDistrictAdminSetsUpAProgram is the administration walk-through: a
// district admin adds a program, invites a teacher into it, and the
// teacher sets a password from the emailed link; the admin imports 200
// students from a CSV file into the program and assigns them all to the
// teacher, who then sees them; each step is in the audit log; and a
// paraeducator gets no admin page.
func TestDistrictAdminSetsUpAProgram(t *testing.T) {
	h := newHarness(t)
	admin := h.tab()
	admin.viewport(1280, 900)
	admin.signIn("admin@demo.test", h.cfg.DemoPassword)

	// A second program.
	admin.open("/admin/programs")
	admin.fill("#program-name", "Transition Studio")
	admin.fill("#program-description", "Ages 18 to 21: work, travel and daily living")
	admin.click(`form[action="/admin/programs"] button[type="submit"]`)
	admin.waitUntil(`document.querySelector("#programs").textContent.includes("Transition Studio")`,
		"the new program in the list")

	// A teacher, invited into it.
	const email, password = "new.teacher@demo.test", "harbour kettle violet 7"
	admin.open("/admin/users")
	admin.fill("#invite-name", "Noor Haddad")
	admin.fill("#invite-email", email)
	admin.choose("#invite-role", "teacher")
	program := evaluate[string](admin, `[...document.querySelectorAll("#invite-program option")]
		.find(o => o.textContent.includes("Transition Studio")).value`)
	admin.choose("#invite-program", program)
	// The answer sends the browser on to the new account's page.
	admin.submit(`#user-invite button[type="submit"]`)
	if !strings.HasPrefix(admin.path(), "/admin/users/") {
		admin.fatalf("after the invitation: %s, want the account's page", admin.location())
	}
	admin.wantText("#flashes", "An invitation to set a password was emailed to "+email)

	// The teacher follows the emailed link and sets a password.
	h.srv.Wait()
	teacher := h.isolatedTab("new-teacher")
	teacher.open("/dev/mail")
	teacher.wantText("article.mail header", "To "+email)
	link := regexp.MustCompile(regexp.QuoteMeta(h.base) + `/password/reset/\S+`).
		FindString(teacher.text("article.mail pre"))
	if link == "" {
		teacher.fatalf("the invitation has no link: %q", teacher.text("article.mail pre"))
	}
	teacher.open(link)
	teacher.fill("#password", password)
	teacher.fill("#confirm", password)
	teacher.submit(`main form button[type="submit"]`)
	teacher.wantPath("/login")
	if got := teacher.signIn(email, password); got != "/students" {
		teacher.fatalf("the new teacher signed in to %s", teacher.location())
	}

	// 200 students from a CSV file.
	var csv strings.Builder
	csv.WriteString("identifier,program_year,enrollment_date,expected_grad\n")
	var identifiers []string
	for i := 1; i <= 200; i++ {
		id := fmt.Sprintf("TS-%03d", i)
		identifiers = append(identifiers, id)
		fmt.Fprintf(&csv, "%s,%d,2026-08-24,%d-06-15\n", id, 1+i%3, 2028+i%3)
	}
	file := filepath.Join(t.TempDir(), "transition-roster.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o644); err != nil {
		t.Fatalf("write the CSV file: %v", err)
	}
	admin.open("/admin/students/import")
	admin.choose("#roster-import-program", program)
	if err := chromedp.Do(admin.ctx, chromedp.SetUploadFiles("#roster-import-file", []string{file})); err != nil {
		admin.fatalf("attach the file: %v", err)
	}
	admin.click(`.roster-upload button[type="submit"]`)
	admin.waitUntil(`!!document.querySelector("#roster-preview-title")`, "the import's preview")
	admin.wantText("#roster-import", "200")
	admin.click(`#roster-import form[action^="/admin/students/import/"] button[type="submit"]`)
	admin.waitUntil(`document.querySelector("#roster-import").textContent.includes("200 added")`,
		"the import's result")

	// All of them assigned to the teacher at once.
	admin.open(fmt.Sprintf("/admin/users/%d", userID(h, email)))
	// Pasted, as from a spreadsheet's column.
	admin.eval(`document.querySelector("#assign-identifier").value = ` + jsString(strings.Join(identifiers, "\n")))
	admin.click(`#user-students .assign-form button[type="submit"]`)
	admin.waitUntil(`document.querySelector("#user-students").textContent.includes("is assigned to 200 students")`,
		"the assignments' confirmation")

	teacher.open("/students")
	teacher.wantText(".result-count", "200 students")

	// Each step is in the audit log, found with its filter.
	for _, action := range []string{"program_created", "user_created", "invitation_sent", "password_reset",
		"roster_import", "assignment_change"} {
		admin.open("/admin/audit")
		admin.choose(`select[name="action"]`, action)
		admin.click(`main form[action="/admin/audit"] button[type="submit"]`)
		admin.waitUntil(`location.search.includes("action=`+action+`")`, "the filtered log")
		if log := admin.text("main table"); !strings.Contains(log, action) {
			t.Errorf("the audit log filtered by %s shows: %.200q", action, log)
		}
	}

	// A paraeducator has no way in.
	para := h.isolatedTab("para")
	para.signIn("para@demo.test", h.cfg.DemoPassword)
	if el := para.find(`nav a[href="/admin"]`); el.Found {
		t.Errorf("the paraeducator's navigation links to Admin")
	}
	if status := para.open("/admin"); status != 403 {
		t.Errorf("the paraeducator got %d on /admin, want 403", status)
	}
	if status := para.open("/admin/students"); status != 403 {
		t.Errorf("the paraeducator got %d on /admin/students, want 403", status)
	}
}
