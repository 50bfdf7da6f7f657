package web

import (
	"context"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/account"
	"goaltracker/app/mail"
	"goaltracker/app/problem"
	accountview "goaltracker/views/account"
	"goaltracker/views/components"
)

func passwordFields(inv *problem.Invalid) (components.Field, components.Field) {
	p := components.Field{ID: "password", Name: "password", Label: "New password", Type: "password",
		Autocomplete: "new-password", MaxLength: 128, Required: true,
		Hint: "At least 12 characters. A few unrelated words make a strong password."}
	c := components.Field{ID: "confirm", Name: "confirm", Label: "New password again",
		Type: "password", Autocomplete: "new-password", MaxLength: 128, Required: true}
	if inv != nil {
		p.Error, c.Error = inv.Fields["password"], inv.Fields["confirm"]
	}
	return p, c
}

// showChangePassword shows the change-password form.
func (s *Server) showChangePassword(c *fiber.Ctx) error {
	return s.render(c, accountview.ChangePasswordPage(s.page(c, "Change password", ""),
		s.changePasswordView(c, nil)))
}

func (s *Server) changePasswordView(c *fiber.Ctx, inv *problem.Invalid) accountview.ChangePasswordView {
	v := accountview.ChangePasswordView{CSRFToken: s.csrfToken(c),
		Current: components.Field{ID: "current", Name: "current", Label: "Current password",
			Type: "password", Autocomplete: "current-password", MaxLength: 128, Required: true,
			Autofocus: true}}
	v.Password, v.Confirm = passwordFields(inv)
	if inv != nil {
		v.Current.Error = inv.Fields["current"]
		v.Error = "The password was not changed. See the messages below."
	}
	return v
}

// changePassword sets a new password after checking the current one. All
// sessions end, this one included; a fresh session is started for this
// browser so the person stays signed in here.
func (s *Server) changePassword(c *fiber.Ctx) error {
	p := principal(c)
	err := s.accounts.ChangePassword(c.UserContext(), p.UserID,
		strings.Clone(c.FormValue("current")), strings.Clone(c.FormValue("password")),
		strings.Clone(c.FormValue("confirm")), c.IP())
	if inv, ok := problem.AsInvalid(err); ok {
		// Passwords are never echoed back into the form.
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, accountview.ChangePasswordPage(
			s.page(c, "Change password", ""), s.changePasswordView(c, inv)))
	}
	if err != nil {
		return err
	}

	u := &account.User{ID: p.UserID}
	token, err := s.accounts.StartSession(c.UserContext(), u, c.IP(), c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	s.setCookie(c, "gt_session", token, s.cfg.SessionLifetime)
	s.setFlash(c, "success", "Your password is changed. Other devices were signed out.")
	return c.Redirect("/students", fiber.StatusSeeOther)
}

// showForgotPassword asks for the email to send a reset link to.
func (s *Server) showForgotPassword(c *fiber.Ctx) error {
	return s.render(c, accountview.ForgotPage(s.page(c, "Forgotten password", ""), s.forgotView(c)))
}

func (s *Server) forgotView(c *fiber.Ctx) accountview.ForgotView {
	return accountview.ForgotView{CSRFToken: s.csrfToken(c),
		Minutes: int(s.cfg.ResetTokenLifetime.Minutes()),
		Email: components.Field{ID: "email", Name: "email", Label: "Email", Type: "email",
			Autocomplete: "username", MaxLength: 255, Required: true, Autofocus: true}}
}

// requestPasswordReset sends a reset link to an active account and answers
// the same page whether or not the account exists. The mail goes out after
// the answer, so slow mail servers do not reveal which addresses are real.
func (s *Server) requestPasswordReset(c *fiber.Ctx) error {
	email := strings.TrimSpace(strings.Clone(c.FormValue("email")))
	if email == "" || len(email) > 255 || !strings.Contains(email, "@") {
		v := s.forgotView(c)
		v.Email.Value = email
		v.Email.Error = "Enter the email address of your account."
		return s.renderStatus(c, fiber.StatusUnprocessableEntity,
			accountview.ForgotPage(s.page(c, "Forgotten password", ""), v))
	}

	token, u, err := s.accounts.RequestReset(c.UserContext(), email, c.IP())
	if err != nil {
		return err
	}
	if u != nil {
		s.sendResetMail(c.UserContext(), u.Email, u.Name, token)
	}
	v := s.forgotView(c)
	v.Sent = true
	return s.render(c, accountview.ForgotPage(s.page(c, "Forgotten password", ""), v))
}

// sendResetMail sends the link after the answer.
func (s *Server) sendResetMail(ctx context.Context, to, name, token string) {
	link := s.cfg.BaseURL.String() + "/password/reset/" + token
	s.sendInBackground(ctx, mail.Message{To: to, Subject: "Set a new Goal Tracker password",
		Body: "Hello " + name + ",\n\nSomeone asked to set a new password for your Goal Tracker account.\n" +
			"To choose a new password, open this link within " +
			linkLifetime(s.cfg.ResetTokenLifetime) + ":\n\n" + link + "\n\n" +
			"If it was not you, ignore this mail: your password stays as it is.\n"})
}

// showResetPassword shows the new-password form of a reset link, or says
// the link no longer works.
func (s *Server) showResetPassword(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	c.Set(fiber.HeaderCacheControl, "no-store")
	u, err := s.accounts.ResetTarget(c.UserContext(), token)
	v := accountview.ResetView{CSRFToken: s.csrfToken(c), Action: "/password/reset/" + token}
	v.Password, v.Confirm = passwordFields(nil)
	switch {
	case errors.Is(err, account.ErrResetTokenInvalid):
		v.Invalid = true
		return s.renderStatus(c, fiber.StatusGone, accountview.ResetPage(s.page(c, "Link expired", ""), v))
	case err != nil:
		return err
	}
	v.Email = u.Email
	return s.render(c, accountview.ResetPage(s.page(c, "Set a new password", ""), v))
}

// resetPassword sets the new password of a reset link. It does not sign
// the person in; they sign in with the new password.
func (s *Server) resetPassword(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	c.Set(fiber.HeaderCacheControl, "no-store")
	err := s.accounts.ResetPassword(c.UserContext(), token, strings.Clone(c.FormValue("password")),
		strings.Clone(c.FormValue("confirm")), c.IP())

	v := accountview.ResetView{CSRFToken: s.csrfToken(c), Action: "/password/reset/" + token}
	if inv, ok := problem.AsInvalid(err); ok {
		if u, err := s.accounts.ResetTarget(c.UserContext(), token); err == nil {
			v.Email = u.Email
		}
		v.Password, v.Confirm = passwordFields(inv)
		return s.renderStatus(c, fiber.StatusUnprocessableEntity,
			accountview.ResetPage(s.page(c, "Set a new password", ""), v))
	}
	if errors.Is(err, account.ErrResetTokenInvalid) {
		v.Invalid = true
		return s.renderStatus(c, fiber.StatusGone, accountview.ResetPage(s.page(c, "Link expired", ""), v))
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "success", "Your password is set. Sign in with it now.")
	return c.Redirect("/login", fiber.StatusSeeOther)
}
