package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// switchProgram makes another of the person's programs the current one,
// keeping the session, and returns to the page they were on.
func (s *Server) switchProgram(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.FormValue("program"), 10, 64)
	cur := currentSession(c)
	if err != nil || id <= 0 {
		return fiber.NewError(fiber.StatusUnprocessableEntity, "choose a program")
	}
	if err := s.accounts.SwitchProgram(c.UserContext(), cur.SessionID, cur.User.ID, id); err != nil {
		return err
	}
	for _, p := range cur.Programs {
		if p.ID == id {
			s.setFlash(c, "info", "You are now working in "+p.Name+".")
		}
	}
	return c.Redirect("/students", fiber.StatusSeeOther)
}
