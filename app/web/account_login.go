package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/app/account"
	"goaltracker/app/demo"
	accountview "goaltracker/views/account"
	"goaltracker/views/components"
)

// showLogin shows the sign-in form; a signed-in person goes to their
// students instead.
func (s *Server) showLogin(c *fiber.Ctx) error {
	if principal(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	v, err := s.loginView(c, "", strings.Clone(c.Query("next")))
	if err != nil {
		return err
	}
	return s.render(c, accountview.LoginPage(s.page(c, "Sign in", ""), v))
}

// signIn checks the credentials and starts a new session. Every refusal
// gets the same message and status, whatever its reason, so the answer
// tells nothing about which accounts exist or are locked.
func (s *Server) signIn(c *fiber.Ctx) error {
	email := strings.TrimSpace(strings.Clone(c.FormValue("email")))
	password := strings.Clone(c.FormValue("password"))
	next := strings.Clone(c.FormValue("next"))

	if email == "" || password == "" || len(email) > 255 || len(password) > 1024 {
		return s.refuseSignIn(c, email, next, "Enter your email and password.")
	}
	u, err := s.accounts.SignIn(c.UserContext(), email, password, c.IP())
	if errors.Is(err, account.ErrBadCredentials) {
		return s.refuseSignIn(c, email, next,
			"That email and password did not work. After several failed tries an account is locked for a while.")
	}
	if err != nil {
		return err
	}

	token, err := s.accounts.StartSession(c.UserContext(), u, c.IP(), c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	s.setCookie(c, "gt_session", token, s.cfg.SessionLifetime)
	s.clearCookie(c, anonCSRFCookie)
	return c.Redirect(safeNext(next), fiber.StatusSeeOther)
}

func (s *Server) refuseSignIn(c *fiber.Ctx, email, next, msg string) error {
	v, err := s.loginView(c, msg, next)
	if err != nil {
		return err
	}
	v.Email.Value = email
	return s.renderStatus(c, fiber.StatusUnprocessableEntity,
		accountview.LoginPage(s.page(c, "Sign in", ""), v))
}

func (s *Server) loginView(c *fiber.Ctx, msg, next string) (accountview.LoginView, error) {
	v := accountview.LoginView{
		CSRFToken: s.csrfToken(c),
		Error:     msg,
		Next:      next,
		Email: components.Field{ID: "email", Name: "email", Label: "Email", Type: "email",
			Autocomplete: "username", MaxLength: 255, Required: true, Autofocus: true},
		Password: components.Field{ID: "password", Name: "password", Label: "Password",
			Type: "password", Autocomplete: "current-password", MaxLength: 128, Required: true},
	}
	loaded, err := demo.IsLoaded(c.UserContext(), s.db)
	if err != nil || !loaded {
		return v, err
	}
	v.DemoPassword = s.cfg.DemoPassword
	for _, a := range demo.Accounts {
		v.Demo = append(v.Demo, accountview.DemoAccount{Email: a.Email, Role: access.RoleLabel(a.Role)})
	}
	return v, nil
}

// signOut ends the session and returns to the sign-in page.
func (s *Server) signOut(c *fiber.Ctx) error {
	if token, ok := c.Locals(localToken).(string); ok {
		if err := s.accounts.EndSession(c.UserContext(), token, c.IP()); err != nil {
			return err
		}
	}
	s.clearCookie(c, "gt_session")
	s.setFlash(c, "info", "You are signed out.")
	return c.Redirect("/login", fiber.StatusSeeOther)
}
