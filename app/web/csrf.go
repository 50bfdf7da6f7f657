package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// The CSRF token of a signed-in person is derived from their session token,
// which only their browser holds (in an HttpOnly cookie): it changes with
// every sign-in and needs no storage. A signed-out person (on the sign-in
// and reset forms) gets a random token in a cookie of its own, which the
// form must echo.
const anonCSRFCookie = "gt_csrf"

func sessionCSRFToken(sessionToken string) string {
	mac := hmac.New(sha256.New, []byte(sessionToken))
	mac.Write([]byte("goaltracker csrf"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// csrfToken returns the token the request's forms must carry, issuing the
// signed-out cookie if there is none yet.
func (s *Server) csrfToken(c *fiber.Ctx) string {
	if token, ok := c.Locals(localToken).(string); ok {
		return sessionCSRFToken(token)
	}
	// A page asks for the token more than once (the layout and the form);
	// all must get the one the cookie will hold.
	if v, ok := c.Locals(anonCSRFCookie).(string); ok {
		return v
	}
	if v := c.Cookies(s.cookieName(anonCSRFCookie)); len(v) == 43 {
		return strings.Clone(v)
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	s.setCookie(c, anonCSRFCookie, v, 12*time.Hour)
	c.Locals(anonCSRFCookie, v)
	return v
}

// checkCSRF refuses any request that changes something (every method but
// GET, HEAD and OPTIONS) unless it carries the right token, in the
// X-CSRF-Token header (htmx) or the _csrf form field.
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}

	var want string
	if token, ok := c.Locals(localToken).(string); ok {
		want = sessionCSRFToken(token)
	} else {
		want = c.Cookies(s.cookieName(anonCSRFCookie))
	}
	got := c.Get("X-CSRF-Token")
	if got == "" {
		got = c.FormValue("_csrf")
	}
	if want == "" || !hmac.Equal([]byte(got), []byte(want)) {
		return errCSRF
	}
	return c.Next()
}
