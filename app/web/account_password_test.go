package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

var resetLink = regexp.MustCompile(`/password/reset/[A-Za-z0-9_-]{43}`)

// waitForMail waits for the background sender to put a mail to `to` in the
// development mailbox and returns its reset link.
func (a *testApp) resetLinkFor(to string) string {
	a.t.Helper()
	a.srv.Wait()
	m, ok := a.srv.mailbox.Latest(to)
	if !ok {
		a.t.Fatalf("no mail to %s", to)
	}
	if !strings.Contains(m.Body, "http://127.0.0.1:3000/password/reset/") {
		a.t.Fatalf("the link is not built from BASE_URL:\n%s", m.Body)
	}
	return resetLink.FindString(m.Body)
}

func TestPasswordResetFlow(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	first, _ := a.seedPrograms()
	id := a.addUser("reset@test.example", "teacher", a.districtOf(first), "the old password here", first)
	a.signIn(id)
	oldSession := a.cookie

	a.anonCSRF()
	res := a.post("/password/forgot", "email", "RESET@test.example", "_csrf", a.csrf)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("forgot = %d", res.StatusCode)
	}
	mustContain(t, res.body, "If an account exists for that address")
	link := a.resetLinkFor("reset@test.example")

	if res := a.get(link); res.StatusCode != http.StatusOK {
		t.Fatalf("reset page = %d", res.StatusCode)
	}
	bad := a.post(link, "password", "password", "confirm", "password", "_csrf", a.csrf)
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a weak password = %d, want 422", bad.StatusCode)
	}
	mustContain(t, bad.body, "Use at least 12 characters.")

	ok := a.post(link, "password", "a brand new passphrase", "confirm", "a brand new passphrase", "_csrf", a.csrf)
	if ok.StatusCode != http.StatusSeeOther || ok.Header.Get("Location") != "/login" || sessionCookie(ok) != nil {
		t.Fatalf("reset = %d to %q (it must not sign in)", ok.StatusCode, ok.Header.Get("Location"))
	}

	again := a.post(link, "password", "another new passphrase", "confirm", "another new passphrase", "_csrf", a.csrf)
	if again.StatusCode != http.StatusGone {
		t.Errorf("a used link = %d, want 410", again.StatusCode)
	}
	mustContain(t, again.body, "This link no longer works")

	a.cookie = oldSession
	if res := a.get("/students"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a session from before the reset still works: %d", res.StatusCode)
	}
	if _, err := a.accounts.SignIn(context.Background(), "reset@test.example", "a brand new passphrase", "::1"); err != nil {
		t.Errorf("sign-in with the new password: %v", err)
	}
}

func TestResetTokensExpireAndAreReplaced(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	first, _ := a.seedPrograms()
	a.addUser("twice@test.example", "teacher", a.districtOf(first), "the old password here", first)

	a.anonCSRF()
	a.post("/password/forgot", "email", "twice@test.example", "_csrf", a.csrf)
	older := a.resetLinkFor("twice@test.example")
	a.post("/password/forgot", "email", "twice@test.example", "_csrf", a.csrf)
	newer := a.resetLinkFor("twice@test.example")
	if older == newer {
		t.Fatal("the second request gave the same link")
	}
	if res := a.get(older); res.StatusCode != http.StatusGone {
		t.Errorf("the replaced link = %d, want 410", res.StatusCode)
	}
	if res := a.get(newer); res.StatusCode != http.StatusOK {
		t.Errorf("the newer link = %d", res.StatusCode)
	}

	a.accounts.SetClock(func() time.Time { return time.Now().Add(31 * time.Minute) })
	if res := a.get(newer); res.StatusCode != http.StatusGone {
		t.Errorf("a link after 31 minutes = %d, want 410", res.StatusCode)
	}
}

func TestForgotPasswordLooksTheSameForUnknownEmails(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	first, _ := a.seedPrograms()
	a.addUser("real@test.example", "teacher", a.districtOf(first), "the old password here", first)

	a.anonCSRF()
	known := a.post("/password/forgot", "email", "real@test.example", "_csrf", a.csrf)
	unknown := a.post("/password/forgot", "email", "ghost@test.example", "_csrf", a.csrf)
	if known.StatusCode != unknown.StatusCode || known.body != unknown.body {
		t.Error("the forgot-password answer differs for an unknown email")
	}
	a.srv.Wait()
	if _, ok := a.srv.mailbox.Latest("ghost@test.example"); ok {
		t.Error("a mail went to an address with no account")
	}
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	first, _ := a.seedPrograms()
	id := a.addUser("change@test.example", "teacher", a.districtOf(first), "the first password", first)
	a.signIn(id)
	other := a.cookie
	a.signIn(id)

	wrong := a.post("/account/password", "current", "not it at all", "password", "a second password",
		"confirm", "a second password")
	if wrong.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong current password = %d", wrong.StatusCode)
	}
	mustContain(t, wrong.body, "This is not your current password.")
	mustNotContain(t, wrong.body, "a second password")

	reuse := a.post("/account/password", "current", "the first password", "password", "the first password",
		"confirm", "the first password")
	mustContain(t, reuse.body, "not used for your last 5 passwords")

	res := a.post("/account/password", "current", "the first password", "password", "a second password",
		"confirm", "a second password")
	if res.StatusCode != http.StatusSeeOther || sessionCookie(res) == nil {
		t.Fatalf("change = %d, new session %v", res.StatusCode, sessionCookie(res))
	}
	a.cookie = other
	if res := a.get("/students"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another device's session survived the change: %d", res.StatusCode)
	}

	// The history refuses each of the last five passwords.
	passwords := []string{"a second password"}
	for i, p := range []string{"password number three", "password number four", "password number five"} {
		if err := a.accounts.SetPassword(context.Background(), id, p); err != nil {
			t.Fatalf("set password %d: %v", i, err)
		}
		passwords = append(passwords, p)
	}
	for _, p := range append(passwords, "the first password") {
		if err := a.accounts.SetPassword(context.Background(), id, p); err == nil {
			t.Errorf("password %q from the history was accepted", p)
		}
	}
}
