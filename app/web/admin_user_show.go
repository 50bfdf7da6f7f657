package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/app/account"
	"goaltracker/app/assignment"
	"goaltracker/app/problem"
	"goaltracker/views/admin/users"
	"goaltracker/views/components"
	"goaltracker/views/students"
)

// Sections of the account page that a change answers with.
const (
	sectionActions  = "actions"
	sectionPrograms = "programs"
	sectionStudents = "students"
)

// managedUser loads the account of the :id parameter for the person
// asking; one outside their reach answers 404.
func (s *Server) managedUser(c *fiber.Ctx) (*account.Managed, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.accounts.ManagedUser(c.UserContext(), principal(c), id)
}

// showUser shows one account's page.
func (s *Server) showUser(c *fiber.Ctx) error {
	m, err := s.managedUser(c)
	if err != nil {
		return err
	}
	v, err := s.accountView(c, m)
	if err != nil {
		return err
	}
	return s.render(c, users.AccountPage(s.page(c, m.Name, "admin"), sectionsFor(principal(c)), v))
}

// canChangeAccount reports whether who may change m: an account whose role
// reaches every district needs the all scope.
func canChangeAccount(who *access.Principal, m *account.Managed) bool {
	return !m.RoleIsGlobal || who.CanIn("user", "manage", access.ScopeAll)
}

func (s *Server) accountView(c *fiber.Ctx, m *account.Managed) (users.AccountView, error) {
	who := principal(c)
	v := users.AccountView{ID: m.ID, Email: m.Email, Name: userField(m, "name", canChangeAccount(who, m)),
		Actions: s.actionsView(c, m)}
	var err error
	if v.Role, err = s.roleField(c, m); err != nil {
		return v, err
	}
	if v.Programs, err = s.membershipsView(c, m); err != nil {
		return v, err
	}
	v.Students, err = s.userStudentsView(c, m)
	return v, err
}

// userField is the name or role of m, edited in place.
func userField(m *account.Managed, name string, canEdit bool) components.InlineField {
	f := components.InlineField{ID: "user-" + name, URL: "/admin/users/" + itoa(m.ID) + "/fields/" + name,
		CanEdit: canEdit, Kind: components.KindText}
	switch name {
	case "name":
		f.Label, f.Display, f.Value, f.MaxLength = "Name", m.Name, m.Name, 255
	case "role":
		f.Label, f.Display, f.Value, f.Kind = "Role", access.RoleLabel(m.RoleName), m.RoleName, components.KindSelect
	}
	f.Empty = "Not set"
	return f
}

// roleField is the role of m, edited in place with the roles the person
// may give.
func (s *Server) roleField(c *fiber.Ctx, m *account.Managed) (components.InlineField, error) {
	who := principal(c)
	f := userField(m, "role", canChangeAccount(who, m))
	roles, err := s.accounts.AssignableRoles(c.UserContext(), who)
	if err != nil {
		return f, err
	}
	for _, r := range roles {
		f.Options = append(f.Options, components.Option{Value: r.Name, Label: access.RoleLabel(r.Name)})
	}
	return f, nil
}

func (s *Server) actionsView(c *fiber.Ctx, m *account.Managed) users.ActionsView {
	who := principal(c)
	status, text := userStatus(m, s.now())
	return users.ActionsView{ID: m.ID, Name: m.Name, Status: status, StatusText: text,
		LastSignIn: signInStamp(m.LastSignIn), Created: signInStamp(m.CreatedAt), IsActive: m.IsActive,
		IsLocked: m.IsLocked(s.now()), IsInvited: m.IsInvited,
		CanChange: canChangeAccount(who, m), IsSelf: m.ID == who.UserID, CSRF: s.csrfToken(c)}
}

func (s *Server) membershipsView(c *fiber.Ctx, m *account.Managed) (users.ProgramsView, error) {
	v := users.ProgramsView{ID: m.ID, CanChange: canChangeAccount(principal(c), m), CSRF: s.csrfToken(c)}
	ms, err := s.accounts.Memberships(c.UserContext(), m.ID)
	if err != nil {
		return v, err
	}
	member := map[int64]bool{}
	for _, ms := range ms {
		member[ms.ProgramID] = true
		v.Rows = append(v.Rows, users.MembershipRow{ProgramID: ms.ProgramID, Name: ms.ProgramName,
			IsPrimary: ms.IsPrimary, IsActive: ms.Status == account.MembershipActive,
			URL: "/admin/users/" + itoa(m.ID) + "/programs/" + itoa(ms.ProgramID)})
	}
	programs, err := s.districtPrograms(c, m.DistrictID)
	if err != nil {
		return v, err
	}
	for _, p := range programs {
		if !member[p.ID] {
			v.Available = append(v.Available, components.Option{Value: itoa(p.ID), Label: p.Name})
		}
	}
	return v, nil
}

// userStudentsView is the students assigned to m whose staff the person
// manages; those who manage no assignments see none.
func (s *Server) userStudentsView(c *fiber.Ctx, m *account.Managed) (users.StudentsView, error) {
	who := principal(c)
	base := "/admin/users/" + itoa(m.ID) + "/students"
	v := users.StudentsView{ID: m.ID, CanAssign: who.Can("assignment", "manage") && m.IsActive,
		Form: students.AssignForm{Action: base, Target: "#user-students", AccessLevel: assignment.LevelEditor,
			Errors: map[string]string{}, CSRF: s.csrfToken(c)}}
	if !who.Can("assignment", "manage") {
		return v, nil
	}
	rows, err := assignment.NewService(s.db.DB).ForUser(c.UserContext(), who, m.ID)
	if err != nil {
		return v, err
	}
	for _, r := range rows {
		v.Rows = append(v.Rows, students.AssignmentRow{Key: itoa(r.StudentID), Label: r.Identifier,
			Href: "/students/" + itoa(r.StudentID), Detail: r.ProgramName, AccessLevel: r.AccessLevel,
			IsPrimary: r.IsPrimary, URL: base + "/" + itoa(r.StudentID), Target: "#user-students",
			RemoveQuestion: "Remove " + m.Name + " from " + r.Identifier + "?", CanChange: true,
			CSRF: s.csrfToken(c)})
	}
	return v, nil
}

// showUserField answers the name or role of an account, in display mode
// or, under /edit, as its edit form.
func (s *Server) showUserField(c *fiber.Ctx) error {
	m, f, err := s.userAndField(c)
	if err != nil {
		return err
	}
	editing := c.Route().Path == "/admin/users/:id/fields/:field/edit"
	if editing && !f.CanEdit {
		return problem.ErrForbidden
	}
	f.Focus = !editing
	if !isHTMX(c) {
		return c.Redirect("/admin/users/"+itoa(m.ID), fiber.StatusSeeOther)
	}
	return s.render(c, components.Inline(f, editing))
}

// updateUserField renames an account or changes its role, and answers
// the field in display mode. Bad input, and a change that would leave the
// district without an administrator, answer 422 with the form as typed.
func (s *Server) updateUserField(c *fiber.Ctx) error {
	m, f, err := s.userAndField(c)
	if err != nil {
		return err
	}
	value := formText(c, "value")
	if c.Params("field") == "name" {
		err = s.accounts.Rename(c.UserContext(), principal(c), m.ID, value)
	} else {
		err = s.accounts.ChangeRole(c.UserContext(), principal(c), m.ID, value)
	}
	if inv, ok := problem.AsInvalid(err); ok {
		f.Value, f.Error = value, firstMessage(inv)
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, components.Inline(f, true))
	}
	if err != nil {
		return err
	}

	if !isHTMX(c) {
		return c.Redirect("/admin/users/"+itoa(m.ID), fiber.StatusSeeOther)
	}
	_, f, err = s.userAndField(c)
	if err != nil {
		return err
	}
	f.Focus = true
	return s.render(c, components.Inline(f, false))
}

func (s *Server) userAndField(c *fiber.Ctx) (*account.Managed, components.InlineField, error) {
	name := c.Params("field")
	if name != "name" && name != "role" {
		return nil, components.InlineField{}, fiber.ErrNotFound
	}
	m, err := s.managedUser(c)
	if err != nil {
		return nil, components.InlineField{}, err
	}
	if name == "name" {
		return m, userField(m, name, canChangeAccount(principal(c), m)), nil
	}
	f, err := s.roleField(c, m)
	return m, f, err
}

// firstMessage is the message of an Invalid to show in one place: the
// form's, else any field's.
func firstMessage(inv *problem.Invalid) string {
	if inv.Form != "" {
		return inv.Form
	}
	for _, name := range []string{"name", "role", "email", "program", "status", "identifier", "user",
		"access_level"} {
		if msg := inv.Fields[name]; msg != "" {
			return msg
		}
	}
	return "This change was not accepted."
}

// accountAnswer is how a change on the account page went: the section to
// answer with, the message, and for the assign form what was typed.
type accountAnswer struct {
	section    string
	done       string
	err        error
	identifier string
	form       students.AssignForm
}

// answerAccount answers a change on the account page. htmx gets the
// changed section with the outcome (422 for refused input); a plain form
// gets the page again after a redirect, or at once with 422. Errors other
// than refused input are returned as they are.
func (s *Server) answerAccount(c *fiber.Ctx, id int64, a accountAnswer) error {
	inv, isInvalid := problem.AsInvalid(a.err)
	if a.err != nil && !isInvalid {
		return a.err
	}
	if !isInvalid && !isHTMX(c) {
		s.setFlash(c, "success", a.done)
		return c.Redirect("/admin/users/"+itoa(id), fiber.StatusSeeOther)
	}

	m, err := s.accounts.ManagedUser(c.UserContext(), principal(c), id)
	if errors.Is(err, problem.ErrNotFound) && !isInvalid {
		// The change took the account out of the person's reach.
		return s.redirectAfter(c, "/admin/users")
	}
	if err != nil {
		return err
	}
	v, err := s.accountView(c, m)
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	msg := a.done
	if isInvalid {
		status, msg = fiber.StatusUnprocessableEntity, firstMessage(inv)
	}
	fillSection(&v, a, msg, isInvalid)
	if !isHTMX(c) {
		return s.renderStatus(c, status, users.AccountPage(s.page(c, m.Name, "admin"), sectionsFor(principal(c)), v))
	}
	switch a.section {
	case sectionPrograms:
		return s.renderStatus(c, status, users.ProgramsSection(v.Programs))
	case sectionStudents:
		return s.renderStatus(c, status, users.StudentsSection(v.Students))
	}
	return s.renderStatus(c, status, users.AccountActions(v.Actions))
}

// fillSection puts the outcome of a change in its section of v.
func fillSection(v *users.AccountView, a accountAnswer, msg string, isError bool) {
	switch a.section {
	case sectionPrograms:
		v.Programs.Message, v.Programs.IsError = msg, isError
	case sectionStudents:
		v.Students.Message, v.Students.IsError = msg, isError
		if inv, ok := problem.AsInvalid(a.err); ok {
			v.Students.Identifier = a.identifier
			v.Students.Form.AccessLevel, v.Students.Form.IsPrimary = a.form.AccessLevel, a.form.IsPrimary
			v.Students.Form.Errors = inv.Fields
		}
	default:
		v.Actions.Message, v.Actions.IsError = msg, isError
	}
}
