package web

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/app/account"
)

const (
	localPrincipal = "principal"
	localSession   = "session"
	localToken     = "session_token"
)

// cookieName prefixes name with __Host- when the app is served over https:
// browsers then accept the cookie only if it is Secure, has no Domain and
// has Path=/, so no other host can plant or read it.
func (s *Server) cookieName(name string) string {
	if s.isHTTPS() {
		return "__Host-" + name
	}
	return name
}

func (s *Server) isHTTPS() bool { return s.cfg.BaseURL.Scheme == "https" }

func (s *Server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	c.Cookie(&fiber.Cookie{
		Name:     s.cookieName(name),
		Value:    value,
		Path:     "/",
		MaxAge:   int(maxAge.Seconds()),
		Secure:   s.isHTTPS(),
		HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode,
	})
}

func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: s.cookieName(name), Value: "", Path: "/", MaxAge: -1,
		Secure: s.isHTTPS(), HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode})
}

// loadSession finds the session of the request's cookie and puts the
// principal it acts for in the request's locals. A missing or dead session
// leaves the request anonymous; routes decide whether that is enough.
func (s *Server) loadSession(c *fiber.Ctx) error {
	token := strings.Clone(c.Cookies(s.cookieName("gt_session")))
	if token == "" {
		return c.Next()
	}
	cur, err := s.accounts.SessionByToken(c.UserContext(), token)
	if errors.Is(err, account.ErrNoSession) {
		s.clearCookie(c, "gt_session")
		return c.Next()
	}
	if err != nil {
		return err
	}

	c.Locals(localPrincipal, cur.Principal())
	c.Locals(localSession, cur)
	c.Locals(localToken, token)
	return c.Next()
}

// principal returns who the request acts for, or nil when signed out.
func principal(c *fiber.Ctx) *access.Principal {
	p, _ := c.Locals(localPrincipal).(*access.Principal)
	return p
}

func currentSession(c *fiber.Ctx) *account.Current {
	cur, _ := c.Locals(localSession).(*account.Current)
	return cur
}

// requireSignIn sends a signed-out person to the sign-in page, remembering
// where they were going. htmx follows HX-Redirect with a full page load.
func (s *Server) requireSignIn(c *fiber.Ctx) error {
	target := "/login"
	if c.Method() == fiber.MethodGet && !isHTMX(c) {
		target += "?next=" + url.QueryEscape(c.OriginalURL())
	}
	if c.Get("HX-Request") == "true" {
		c.Set("HX-Redirect", target)
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

// safeNext returns next when it is a path on this site, else the default
// page: a sign-in link must not be able to send people elsewhere.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/students"
	}
	return next
}
