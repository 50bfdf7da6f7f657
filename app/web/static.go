package web

import (
	"mime"
	"path"

	"github.com/gofiber/fiber/v2"

	"goaltracker/static"
)

// serveStatic answers the embedded files under their content-hashed names.
// A name changes whenever its content does, so browsers may keep a file
// for a year without asking again.
func (s *Server) serveStatic(c *fiber.Ctx) error {
	asset, ok := static.Lookup(c.Path())
	if !ok {
		return fiber.ErrNotFound
	}
	if ct := mime.TypeByExtension(path.Ext(asset.Name)); ct != "" {
		c.Set(fiber.HeaderContentType, ct)
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	return c.Send(asset.Content)
}
