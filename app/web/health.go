package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// showHealth answers 200 when the database answers, 503 otherwise. Load
// balancers and the fault scripts poll it, so it does no more than a ping.
func (s *Server) showHealth(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()

	c.Set(fiber.HeaderCacheControl, "no-store")
	if err := s.db.PingContext(ctx); err != nil {
		s.log.WarnContext(ctx, "health check failed", "error", err)
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable\n")
	}
	return c.SendString("ok\n")
}
