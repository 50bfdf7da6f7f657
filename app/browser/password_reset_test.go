package browser

import (
	"regexp"
	"testing"
)

func TestPasswordResetThroughMailbox(t *testing.T) {
	h := newHarness(t)
	const email = "teacher@demo.test"
	const newPassword = "lantern orchard pebble 42"

	// The teacher is signed in on one device...
	device := h.tab()
	if got := device.signIn(email, h.cfg.DemoPassword); got != "/students" {
		device.fatalf("signed in to %s, want /students", device.location())
	}

	// ...and asks for a reset link from another, signed out.
	other := h.isolatedTab("other-device")
	other.open("/password/forgot")
	other.fill("#email", email)
	other.submit(`form[action="/password/forgot"] button[type="submit"]`)
	other.wantText(`main [role="status"]`, "a link to set a new password is on its way")

	// The mail leaves after the answer; Wait returns once it is in the
	// mailbox.
	h.srv.Wait()
	other.open("/dev/mail")
	other.wantText("article.mail header", "To "+email)
	link := regexp.MustCompile(regexp.QuoteMeta(h.base) + `/password/reset/\S+`).
		FindString(other.text("article.mail pre"))
	if link == "" {
		other.fatalf("mail has no reset link: %q", other.text("article.mail pre"))
	}

	other.open(link)
	other.wantText("main h1", "Set a new password")
	other.wantText("main article", "For "+email+".")
	other.fill("#password", newPassword)
	other.fill("#confirm", newPassword)
	other.submit(`main form button[type="submit"]`)
	other.wantPath("/login")
	other.wantText("#flashes", "Your password is set. Sign in with it now.")

	if got := other.signIn(email, newPassword); got != "/students" {
		other.fatalf("new password led to %s, want /students", other.location())
	}
	other.wantText("nav .nav-user", demoName(t, email))

	// The reset ended the session on the first device.
	device.reload()
	device.wantPath("/login")
}
