package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
)

// newLimiter allows perMinute requests a minute from one client address
// and answers the rest with the 429 page. Counts are kept per process: with
// several servers an address gets that many tries on each, which still
// stops guessing at speed, and the account lockout holds across all.
func (s *Server) newLimiter(perMinute int) fiber.Handler {
	return limiter.New(limiter.Config{
		Max:          perMinute,
		Expiration:   time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string { return c.IP() },
		LimitReached: func(c *fiber.Ctx) error {
			return fiber.ErrTooManyRequests
		},
	})
}
