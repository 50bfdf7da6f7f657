package browser

import (
	"testing"

	"goaltracker/app/demo"
)

// refusedSignIn is how the sign-in form answers every refusal, whatever
// its reason.
const refusedSignIn = "That email and password did not work."

func TestSignInAsEachRole(t *testing.T) {
	h := newHarness(t)
	tb := h.tab()

	// The accounts share one browser, one after the other, so each
	// sign-out must really end the session before the next sign-in.
	for _, a := range demo.Accounts {
		t.Run(a.Email, func(t *testing.T) {
			tb := tb.forTest(t)
			if got := tb.signIn(a.Email, h.cfg.DemoPassword); got != "/students" {
				tb.fatalf("%s signed in to %s, want /students", a.Email, tb.location())
			}
			tb.wantText("main h1", "Students")
			tb.wantText("nav .nav-user", a.Name)
			tb.wantText(`nav form[action="/logout"] button`, "Sign out")

			tb.submit(`nav form[action="/logout"] button`)
			tb.wantPath("/login")
			tb.wantText("#flashes", "You are signed out.")
			if el := tb.find("nav .nav-user"); el.Found {
				t.Errorf("nav still shows %q after signing out", el.Text)
			}
		})
	}
}

func TestLockout(t *testing.T) {
	h := newHarness(t)
	tb := h.tab()
	const email = "para@demo.test"

	for i := range h.cfg.LockoutThreshold {
		if got := tb.signIn(email, "not the password 123"); got != "/login" {
			tb.fatalf("wrong password %d led to %s, want /login", i+1, tb.location())
		}
		tb.wantText(`main [role="alert"]`, refusedSignIn)
	}

	// Locked now: the right password gets the same answer, so the form
	// does not tell a guesser that the account exists or is locked.
	if got := tb.signIn(email, h.cfg.DemoPassword); got != "/login" {
		tb.fatalf("right password on a locked account led to %s, want /login", tb.location())
	}
	tb.wantText(`main [role="alert"]`, refusedSignIn)
	if el := tb.find("nav .nav-user"); el.Found {
		t.Errorf("nav shows %q on a locked account", el.Text)
	}

	// Whatever cookies the browser holds, none opens a page.
	tb.open("/students")
	tb.wantPath("/login")
}
