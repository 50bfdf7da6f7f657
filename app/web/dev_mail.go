package web

import (
	"github.com/gofiber/fiber/v2"

	accountview "goaltracker/views/account"
)

// showMailbox lists the mails kept in development instead of being sent.
func (s *Server) showMailbox(c *fiber.Ctx) error {
	var v accountview.MailboxView
	for _, m := range s.mailbox.List() {
		v.Mails = append(v.Mails, accountview.Mail{To: m.To, Subject: m.Subject, Body: m.Body,
			SentAt: m.SentAt})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, accountview.MailboxPage(s.page(c, "Mailbox", ""), v))
}
