package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/account"
	"goaltracker/views/admin/users"
)

// needsConfirmation reports whether a destructive change should ask
// first: htmx has asked in the browser (hx-confirm), a plain form asks
// with a page that posts the change again with confirmed=yes.
func needsConfirmation(c *fiber.Ctx) bool {
	return !isHTMX(c) && c.FormValue("confirmed") != "yes"
}

// confirm renders the page asking before the change c posted; fields are
// the form's values to post again, name then value.
func (s *Server) confirm(c *fiber.Ctx, question, button, back string, fields ...[2]string) error {
	v := users.ConfirmView{Question: question, Action: c.Path(), Button: button, Back: back, Fields: fields}
	return s.render(c, users.ConfirmPage(s.page(c, "Confirm", "admin"), v))
}

// deactivateUser switches an account off, after a confirmation; its
// sessions end. Refusals (one's own account, the last administrator)
// answer 422.
func (s *Server) deactivateUser(c *fiber.Ctx) error {
	m, err := s.managedUser(c)
	if err != nil {
		return err
	}
	if needsConfirmation(c) {
		return s.confirm(c, "Deactivate "+m.Name+"? Their sessions end and they can no longer sign in.",
			"Deactivate", "/admin/users/"+itoa(m.ID))
	}
	err = s.accounts.SetActive(c.UserContext(), principal(c), m.ID, false)
	return s.answerAccount(c, m.ID, accountAnswer{section: sectionActions, err: err,
		done: m.Name + " is deactivated; their sessions have ended."})
}

// activateUser switches an account back on.
func (s *Server) activateUser(c *fiber.Ctx) error {
	m, err := s.managedUser(c)
	if err != nil {
		return err
	}
	err = s.accounts.SetActive(c.UserContext(), principal(c), m.ID, true)
	return s.answerAccount(c, m.ID, accountAnswer{section: sectionActions, err: err,
		done: m.Name + " is active again."})
}

// unlockUser lifts an account's lockout.
func (s *Server) unlockUser(c *fiber.Ctx) error {
	m, err := s.managedUser(c)
	if err != nil {
		return err
	}
	err = s.accounts.UnlockUser(c.UserContext(), principal(c), m.ID)
	return s.answerAccount(c, m.ID, accountAnswer{section: sectionActions, err: err,
		done: m.Name + " is unlocked."})
}

// forceReset voids an account's password after a confirmation, ends its
// sessions and emails a link to set a new one.
func (s *Server) forceReset(c *fiber.Ctx) error {
	m, err := s.managedUser(c)
	if err != nil {
		return err
	}
	if needsConfirmation(c) {
		return s.confirm(c, "Force a password reset for "+m.Name+"? Their password stops working, "+
			"their sessions end, and they get an email to set a new one.",
			"Force a password reset", "/admin/users/"+itoa(m.ID))
	}
	got, token, err := s.accounts.ForceReset(c.UserContext(), principal(c), m.ID, c.IP())
	if err == nil {
		s.sendForcedResetMail(c.UserContext(), got.Email, got.Name, token)
	}
	return s.answerAccount(c, m.ID, accountAnswer{section: sectionActions, err: err,
		done: "The password no longer works. A link to set a new one was emailed to " + m.Email + "."})
}

// resendInvitation emails a new invitation link to an account that never
// set a password; the earlier links stop working.
func (s *Server) resendInvitation(c *fiber.Ctx) error {
	m, err := s.managedUser(c)
	if err != nil {
		return err
	}
	got, token, err := s.accounts.ResendInvitation(c.UserContext(), principal(c), m.ID, c.IP())
	if err == nil {
		s.sendInvitationMail(c.UserContext(), got.Email, got.Name, token)
	}
	return s.answerAccount(c, m.ID, accountAnswer{section: sectionActions, err: err,
		done: "A new invitation was emailed to " + m.Email + "."})
}

// addMembership adds the account to a program of its district.
func (s *Server) addMembership(c *fiber.Ctx) error {
	m, err := s.managedUser(c)
	if err != nil {
		return err
	}
	// An unreadable id reaches the service as zero, which it refuses as
	// input.
	program, _ := strconv.ParseInt(c.FormValue("program"), 10, 64)
	err = s.accounts.AddMembership(c.UserContext(), principal(c), m.ID, program)
	return s.answerAccount(c, m.ID, accountAnswer{section: sectionPrograms, err: err,
		done: "Program added."})
}

// updateMembership makes a membership primary (primary=yes) or sets its
// status (status=active or inactive).
func (s *Server) updateMembership(c *fiber.Ctx) error {
	m, program, err := s.userAndProgram(c)
	if err != nil {
		return err
	}
	ctx, who := c.UserContext(), principal(c)
	done := "Primary program changed."
	if c.FormValue("primary") == "yes" {
		err = s.accounts.MakePrimaryMembership(ctx, who, m.ID, program)
	} else {
		err = s.accounts.SetMembershipStatus(ctx, who, m.ID, program, formText(c, "status"))
		done = "Membership changed."
	}
	return s.answerAccount(c, m.ID, accountAnswer{section: sectionPrograms, err: err, done: done})
}

// removeMembership takes the account out of a program, after a
// confirmation.
func (s *Server) removeMembership(c *fiber.Ctx) error {
	m, program, err := s.userAndProgram(c)
	if err != nil {
		return err
	}
	if needsConfirmation(c) {
		return s.confirm(c, "Remove "+m.Name+" from this program?", "Remove",
			"/admin/users/"+itoa(m.ID))
	}
	err = s.accounts.RemoveMembership(c.UserContext(), principal(c), m.ID, program)
	return s.answerAccount(c, m.ID, accountAnswer{section: sectionPrograms, err: err,
		done: "Removed from the program."})
}

func (s *Server) userAndProgram(c *fiber.Ctx) (*account.Managed, int64, error) {
	program, err := paramID(c, "program")
	if err != nil {
		return nil, 0, err
	}
	m, err := s.managedUser(c)
	return m, program, err
}
