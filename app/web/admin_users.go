package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/app/account"
	"goaltracker/app/district"
	"goaltracker/app/mail"
	"goaltracker/app/problem"
	"goaltracker/views/admin/users"
	"goaltracker/views/components"
)

// userStatuses are the states the staff list filters on, as offered.
var userStatuses = []components.Option{
	{Value: account.StatusActive, Label: "Active"},
	{Value: account.StatusInactive, Label: "Inactive"},
	{Value: account.StatusLocked, Label: "Locked"},
}

// listUsers shows the accounts of a district, narrowed by the filter in
// the query string, with the invitation form. The filter's htmx requests
// get the table alone.
func (s *Server) listUsers(c *fiber.Ctx) error {
	who := principal(c)
	districtID, err := pickedDistrict(who, c.Query("district"))
	if err != nil {
		return err
	}
	f := users.Filter{District: itoa(districtID), Query: strings.ToValidUTF8(c.Query("q"), ""),
		Role: strings.Clone(c.Query("role")), Status: strings.Clone(c.Query("status"))}
	v, err := s.userListView(c, districtID, f)
	if err != nil {
		return err
	}
	c.Vary("HX-Request")
	if isHTMX(c) && c.Get("HX-Target") == "user-list" {
		v.Invite.OutOfBand = true
		return s.render(c, users.FilteredList(v))
	}
	return s.render(c, users.ListPage(s.page(c, "Staff", "admin"), sectionsFor(who), v))
}

// pickedDistrict reads the district picker: empty means the person's own
// district; anything but a positive id is answered 404. Whether the
// person may manage that district is the account service's check.
func pickedDistrict(who *access.Principal, raw string) (int64, error) {
	if raw == "" {
		return who.DistrictID, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}

func (s *Server) userListView(c *fiber.Ctx, districtID int64, f users.Filter) (users.ListView, error) {
	ctx, who := c.UserContext(), principal(c)
	v := users.ListView{Filter: f, Statuses: userStatuses, Limit: account.UserListLimit}
	rows, err := s.accounts.ListUsers(ctx, who, account.UserFilter{DistrictID: districtID,
		Query: f.Query, Role: f.Role, Status: f.Status})
	if err != nil {
		return v, err
	}
	now := s.now()
	for _, m := range rows {
		status, text := userStatus(&m, now)
		v.Rows = append(v.Rows, users.Row{ID: m.ID, Name: m.Name, Email: m.Email,
			Role: access.RoleLabel(m.RoleName), Programs: strings.Join(m.Programs, ", "),
			Status: status, StatusText: text, LastSignIn: signInStamp(m.LastSignIn)})
	}
	v.Limited = len(rows) >= v.Limit

	if v.Districts, err = s.districtOptions(c); err != nil {
		return v, err
	}
	if v.Invite, err = s.inviteForm(c, districtID); err != nil {
		return v, err
	}
	v.Roles = v.Invite.Roles
	return v, nil
}

// districtOptions is the district picker, for those who manage accounts
// of more than their own district.
func (s *Server) districtOptions(c *fiber.Ctx) ([]components.Option, error) {
	who := principal(c)
	if !who.CanIn("user", "manage", access.ScopeAll) {
		return nil, nil
	}
	ds, err := s.accounts.ManagedDistricts(c.UserContext(), who)
	if err != nil {
		return nil, err
	}
	opts := make([]components.Option, 0, len(ds))
	for _, d := range ds {
		opts = append(opts, components.Option{Value: itoa(d.ID), Label: d.Name})
	}
	return opts, nil
}

// inviteForm is an empty invitation form for districtID: the roles the
// person may give and the district's programs.
func (s *Server) inviteForm(c *fiber.Ctx, districtID int64) (users.InviteForm, error) {
	f := users.InviteForm{District: itoa(districtID), CSRF: s.csrfToken(c), Errors: map[string]string{},
		Name: components.Field{ID: "invite-name", Name: "name", Label: "Name", MaxLength: 255,
			Required: true, Autocomplete: "off"},
		Email: components.Field{ID: "invite-email", Name: "email", Label: "Email", Type: "email",
			MaxLength: 255, Required: true, Autocomplete: "off"}}
	roles, err := s.accounts.AssignableRoles(c.UserContext(), principal(c))
	if err != nil {
		return f, err
	}
	for _, r := range roles {
		f.Roles = append(f.Roles, components.Option{Value: r.Name, Label: access.RoleLabel(r.Name)})
	}
	programs, err := s.districtPrograms(c, districtID)
	if err != nil {
		return f, err
	}
	for _, p := range programs {
		f.Programs = append(f.Programs, components.Option{Value: itoa(p.ID), Label: p.Name})
	}
	return f, nil
}

// districtPrograms returns the programs of districtID, by name.
func (s *Server) districtPrograms(c *fiber.Ctx, districtID int64) ([]*district.Program, error) {
	all, err := district.NewService(s.db).ListPrograms(c.UserContext())
	if err != nil {
		return nil, err
	}
	var out []*district.Program
	for _, p := range all {
		if p.DistrictID == districtID {
			out = append(out, p)
		}
	}
	return out, nil
}

// userStatus names an account's state for the list: its class and words.
func userStatus(m *account.Managed, now time.Time) (string, string) {
	switch {
	case !m.IsActive:
		return account.StatusInactive, "Inactive"
	case m.IsLocked(now):
		return account.StatusLocked, "Locked until " + m.LockedUntil.Local().Format("Jan 2, 15:04")
	case m.IsInvited:
		return "invited", "Invited"
	case !m.HasPassword:
		return "reset", "Password reset pending"
	}
	return account.StatusActive, "Active"
}

// signInStamp writes a moment for a table cell; an empty one as "Never".
func signInStamp(t time.Time) string {
	if t.IsZero() {
		return "Never"
	}
	return t.Local().Format("Jan 2, 2006 15:04")
}

// createUser invites a person: the account is created without a usable
// password and a link to set one is emailed. Bad input answers 422 with
// the form as typed; success goes to the new account's page.
func (s *Server) createUser(c *fiber.Ctx) error {
	who := principal(c)
	districtID, err := pickedDistrict(who, formText(c, "district"))
	if err != nil {
		return err
	}
	in := account.Invitation{Email: formText(c, "email"), Name: formText(c, "name"),
		RoleName: formText(c, "role"), DistrictID: districtID}
	program := formText(c, "program")
	if program != "" {
		id, err := strconv.ParseInt(program, 10, 64)
		if err != nil || id <= 0 {
			inv := problem.NewInvalid()
			inv.Add("program", "Choose a program from the list.")
			return s.answerInvite(c, districtID, in, program, inv)
		}
		in.ProgramID = id
	}

	u, token, err := s.accounts.Invite(c.UserContext(), who, in, c.IP())
	if inv, ok := problem.AsInvalid(err); ok {
		return s.answerInvite(c, districtID, in, program, inv)
	}
	if err != nil {
		return err
	}
	s.sendInvitationMail(c.UserContext(), u.Email, u.Name, token)
	s.setFlash(c, "success", "Account created. An invitation to set a password was emailed to "+u.Email+".")
	return s.redirectAfter(c, "/admin/users/"+itoa(u.ID))
}

// answerInvite answers 422 with the invitation form as typed and its
// messages: the form alone for htmx, else the whole list page.
func (s *Server) answerInvite(c *fiber.Ctx, districtID int64, in account.Invitation, program string,
	inv *problem.Invalid) error {
	f, err := s.inviteForm(c, districtID)
	if err != nil {
		return err
	}
	f.Name.Value, f.Email.Value, f.Role, f.Program = in.Name, in.Email, in.RoleName, program
	f.Name.Error, f.Email.Error = inv.Fields["name"], inv.Fields["email"]
	f.Errors, f.Error = inv.Fields, inv.Form
	if f.Error == "" {
		f.Error = "The account was not created. See the messages below."
	}
	if isHTMX(c) {
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, users.InviteSection(f))
	}
	v, err := s.userListView(c, districtID, users.Filter{District: itoa(districtID)})
	if err != nil {
		return err
	}
	v.Invite = f
	return s.renderStatus(c, fiber.StatusUnprocessableEntity,
		users.ListPage(s.page(c, "Staff", "admin"), sectionsFor(principal(c)), v))
}

// redirectAfter sends the browser to url after a change: htmx follows the
// HX-Redirect header, a plain form the 303.
func (s *Server) redirectAfter(c *fiber.Ctx, url string) error {
	if isHTMX(c) {
		c.Set("HX-Redirect", url)
		return c.SendStatus(fiber.StatusOK)
	}
	return c.Redirect(url, fiber.StatusSeeOther)
}

// sendInvitationMail emails a new account its set-password link.
func (s *Server) sendInvitationMail(ctx context.Context, to, name, token string) {
	link := s.cfg.BaseURL.String() + "/password/reset/" + token
	s.sendInBackground(ctx, mail.Message{To: to, Subject: "Your Goal Tracker account",
		Body: "Hello " + name + ",\n\nAn account on Goal Tracker was created for you.\n" +
			"To choose your password, open this link within " +
			linkLifetime(s.accounts.Settings().InvitationLifetime) + ":\n\n" + link + "\n\n" +
			"Then sign in with this email address and the password you chose.\n"})
}

// sendForcedResetMail emails the reset link of a reset an administrator
// forced.
func (s *Server) sendForcedResetMail(ctx context.Context, to, name, token string) {
	link := s.cfg.BaseURL.String() + "/password/reset/" + token
	s.sendInBackground(ctx, mail.Message{To: to, Subject: "Set a new Goal Tracker password",
		Body: "Hello " + name + ",\n\nAn administrator asked you to set a new password for Goal Tracker.\n" +
			"Your old password no longer works. Open this link within " +
			linkLifetime(s.accounts.Settings().ResetTokenLifetime) + " to choose a new one:\n\n" + link + "\n"})
}

// sendInBackground sends msg after the answer; a failure is logged, since
// the person has already been answered.
func (s *Server) sendInBackground(ctx context.Context, msg mail.Message) {
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if err := s.mailer.Send(ctx, msg); err != nil {
			s.log.ErrorContext(ctx, "account mail not sent", "error", err)
		}
	}()
}

// linkLifetime writes a link's lifetime in words: "7 days", "1 hour",
// "30 minutes".
func linkLifetime(d time.Duration) string {
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %ss", n, one)
	}
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return unit(int64(d/(24*time.Hour)), "day")
	case d >= time.Hour && d%time.Hour == 0:
		return unit(int64(d/time.Hour), "hour")
	case d >= time.Minute && d%time.Minute == 0:
		return unit(int64(d/time.Minute), "minute")
	}
	return d.String()
}
