package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"goaltracker/app/config"
)

// anonCSRF fetches the sign-in page signed out and keeps the CSRF cookie
// and token it hands out, as a browser would.
func (a *testApp) anonCSRF() {
	a.t.Helper()
	a.cookie, a.csrf = "", ""
	res := a.get("/login")
	for _, c := range res.Cookies() {
		if c.Name == anonCSRFCookie {
			a.cookie = c.Name + "=" + c.Value
		}
	}
	// The token the form carries, as a browser would send it back.
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(res.body)
	if a.cookie == "" || m == nil {
		a.t.Fatal("the sign-in page set no CSRF cookie or form token")
	}
	a.csrf = m[1]
}

func sessionCookie(res response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == "gt_session" && c.Value != "" {
			return c
		}
	}
	return nil
}

func TestSignInAndOut(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	first, _ := a.seedPrograms()
	a.addUser("Teacher@Test.example", "teacher", a.districtOf(first), "a long test password", first)
	a.anonCSRF()

	res := a.post("/login", "email", "teacher@TEST.example", "password", "a long test password",
		"_csrf", a.csrf, "next", "/students?q=x")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/students?q=x" {
		t.Fatalf("sign-in = %d to %q:\n%s", res.StatusCode, res.Header.Get("Location"), shorten(res.body))
	}
	c := sessionCookie(res)
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Fatalf("session cookie = %+v", c)
	}
	a.cookie, a.csrf = "gt_session="+c.Value, sessionCSRFToken(c.Value)
	page := a.get("/students")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("students after sign-in = %d", page.StatusCode)
	}
	mustContain(t, page.body, "Test teacher", "Sign out")

	if res := a.post("/logout"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out = %d", res.StatusCode)
	}
	if res := a.get("/students"); res.StatusCode != http.StatusSeeOther ||
		!strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("the old session still works after sign-out: %d", res.StatusCode)
	}
}

func TestSignInRefusalsLookAlike(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	first, _ := a.seedPrograms()
	a.addUser("known@test.example", "teacher", a.districtOf(first), "a long test password", first)
	off := a.addUser("off@test.example", "teacher", a.districtOf(first), "a long test password", first)
	a.exec(`UPDATE "user" SET is_active = false WHERE id_user = ?`, off)

	var bodies []string
	for _, email := range []string{"known@test.example", "nobody@test.example", "off@test.example"} {
		a.anonCSRF()
		password := "wrong password here"
		if email == "off@test.example" {
			password = "a long test password"
		}
		res := a.post("/login", "email", email, "password", password, "_csrf", a.csrf)
		if res.StatusCode != http.StatusUnprocessableEntity || sessionCookie(res) != nil {
			t.Fatalf("%s: status %d", email, res.StatusCode)
		}
		mustContain(t, res.body, "That email and password did not work.", `value="`+email+`"`)
		bodies = append(bodies, strings.ReplaceAll(res.body, email, ""))
	}
	csrf := regexp.MustCompile(`name="_csrf" value="[^"]*"|hx-headers="[^"]*"`)
	for i := range bodies {
		bodies[i] = csrf.ReplaceAllString(bodies[i], "")
	}
	if bodies[0] != bodies[1] || bodies[1] != bodies[2] {
		t.Errorf("the refusal pages differ between a wrong password, an unknown and an "+
			"inactive account:\n%s\n%s\n%s", bodies[0], bodies[1], bodies[2])
	}
}

func TestLockout(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	first, _ := a.seedPrograms()
	id := a.addUser("lock@test.example", "teacher", a.districtOf(first), "a long test password", first)
	a.anonCSRF()

	for i := 0; i < a.srv.cfg.LockoutThreshold; i++ {
		a.post("/login", "email", "lock@test.example", "password", "not the password", "_csrf", a.csrf)
	}
	var locked time.Time
	if err := a.db.QueryRowContext(context.Background(),
		`SELECT locked_until FROM "user" WHERE id_user = ?`, id).Scan(&locked); err != nil {
		t.Fatalf("read lock: %v", err)
	}
	if time.Until(locked) < 14*time.Minute {
		t.Fatalf("locked_until = %v, want about 15 minutes ahead", locked)
	}

	res := a.post("/login", "email", "lock@test.example", "password", "a long test password", "_csrf", a.csrf)
	if res.StatusCode != http.StatusUnprocessableEntity || sessionCookie(res) != nil {
		t.Fatalf("the right password signed in during the lock: %d", res.StatusCode)
	}

	var actions []string
	rows, err := a.db.QueryContext(context.Background(),
		`SELECT action FROM audit_event WHERE id_user = ? ORDER BY id_audit_event`, id)
	if err != nil {
		t.Fatalf("read audit: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		actions = append(actions, s)
	}
	joined := strings.Join(actions, ",")
	if !strings.Contains(joined, "lockout") || strings.Count(joined, "sign_in_failed") != 6 {
		t.Errorf("audit = %s", joined)
	}

	if err := a.accounts.Unlock(context.Background(), id, "test"); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	res = a.post("/login", "email", "lock@test.example", "password", "a long test password", "_csrf", a.csrf)
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in after unlock = %d", res.StatusCode)
	}
}

func TestCSRFIsRequired(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.seedLeader()

	good := a.csrf
	a.csrf = ""
	res := a.post("/session/program", "program", "1")
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("POST without a token = %d, want 403", res.StatusCode)
	}
	mustContain(t, res.body, "Page out of date")

	res = a.post("/session/program", "program", "1", "_csrf", good+"x")
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("POST with a wrong token = %d, want 403", res.StatusCode)
	}

	a.cookie = ""
	res = a.post("/login", "email", "x@test.example", "password", "whatever it is")
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in without the form's token = %d, want 403", res.StatusCode)
	}
}

func TestSessionIsNewAtEverySignIn(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	first, _ := a.seedPrograms()
	a.addUser("fix@test.example", "teacher", a.districtOf(first), "a long test password", first)

	// A session cookie planted before sign-in is ignored and replaced.
	a.anonCSRF()
	planted := "gt_session=planted-by-someone-else"
	a.cookie += "; " + planted
	res := a.post("/login", "email", "fix@test.example", "password", "a long test password", "_csrf", a.csrf)
	c := sessionCookie(res)
	if c == nil || c.Value == "planted-by-someone-else" {
		t.Fatalf("sign-in kept the planted session: %+v", c)
	}

	a.anonCSRF()
	again := a.post("/login", "email", "fix@test.example", "password", "a long test password", "_csrf", a.csrf)
	if c2 := sessionCookie(again); c2 == nil || c2.Value == c.Value {
		t.Error("a second sign-in reused the first session's token")
	}
}

func TestSecureCookiesOverHTTPS(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.srv.cfg.BaseURL.Scheme = "https"

	res := a.get("/login")
	var found bool
	for _, c := range res.Cookies() {
		if c.Name == "__Host-"+anonCSRFCookie {
			found = c.Secure && c.HttpOnly && c.Path == "/" && c.Domain == ""
		}
	}
	if !found {
		t.Errorf("over https the CSRF cookie is not a Secure __Host- cookie: %v", res.Cookies())
	}
	if hsts := res.Header.Get("Strict-Transport-Security"); hsts == "" {
		t.Error("no Strict-Transport-Security over https")
	}
}

func TestSignedOutIsSentToSignIn(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)

	res := a.get("/students?q=a")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Fstudents%3Fq%3Da" {
		t.Errorf("GET /students signed out = %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	res = a.get("/students", "HX-Request", "true")
	if res.StatusCode != http.StatusUnauthorized || res.Header.Get("HX-Redirect") != "/login" {
		t.Errorf("htmx signed out = %d, HX-Redirect %q", res.StatusCode, res.Header.Get("HX-Redirect"))
	}
}

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                     "/students",
		"/students/4":          "/students/4",
		"//evil.example/":      "/students",
		"https://evil.example": "/students",
		"/\\evil.example":      "/students",
		"/ok\r\nSet-Cookie: x": "/students",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSignInIsRateLimited(t *testing.T) {
	t.Parallel()
	a := newTestAppWith(t, func(cfg *config.Config) { cfg.LoginRatePerMinute = 3 })
	a.anonCSRF()
	var last response
	for i := 0; i < a.srv.cfg.LoginRatePerMinute+1; i++ {
		last = a.post("/login", "email", "x@test.example", "password", "not a password at all", "_csrf", a.csrf)
	}
	if last.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("attempt past the limit = %d, want 429", last.StatusCode)
	}
	mustContain(t, last.body, "Too many attempts")
}
