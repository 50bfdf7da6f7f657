package web

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"goaltracker/views/layout"
)

const flashCookie = "gt_flash"

// setFlash keeps a one-time message for the next page, across a redirect.
func (s *Server) setFlash(c *fiber.Ctx, kind, msg string) {
	s.setCookie(c, flashCookie, url.QueryEscape(kind+":"+msg), time.Minute)
}

// takeFlashes returns the kept message, if any, and forgets it.
func (s *Server) takeFlashes(c *fiber.Ctx) []layout.Flash {
	raw := c.Cookies(s.cookieName(flashCookie))
	if raw == "" {
		return nil
	}
	s.clearCookie(c, flashCookie)
	v, err := url.QueryUnescape(raw)
	if err != nil {
		return nil
	}
	kind, msg, ok := strings.Cut(v, ":")
	if !ok || (kind != "info" && kind != "success" && kind != "error") {
		return nil
	}
	return []layout.Flash{{Kind: kind, Message: msg}}
}
