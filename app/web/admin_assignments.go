package web

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/app/account"
	"goaltracker/app/assignment"
	"goaltracker/app/problem"
	"goaltracker/views/components"
	"goaltracker/views/students"
)

// assignmentForm reads the access level and primary box of an assign form.
func assignmentForm(c *fiber.Ctx) students.AssignForm {
	return students.AssignForm{AccessLevel: formText(c, "access_level"),
		IsPrimary: c.FormValue("primary") == "yes"}
}

// assignmentChange reads a change of an existing assignment: a new access
// level, or primary=yes.
func assignmentChange(c *fiber.Ctx) assignment.Change {
	return assignment.Change{AccessLevel: formText(c, "access_level"),
		MakePrimary: c.FormValue("primary") == "yes"}
}

// addUserAssignment assigns the account to the students named by
// identifier, from the account's page: one, or a pasted list.
func (s *Server) addUserAssignment(c *fiber.Ctx) error {
	m, err := s.managedUser(c)
	if err != nil {
		return err
	}
	f, identifiers := assignmentForm(c), formText(c, "identifier")
	done, err := assignment.NewService(s.db.DB).AddByIdentifiers(c.UserContext(), principal(c), m.DistrictID,
		assignment.SplitIdentifiers(identifiers), assignment.New{UserID: m.ID, AccessLevel: f.AccessLevel,
			IsPrimary: f.IsPrimary})
	message := ""
	if err == nil {
		message = assignedMessage(m.Name, done)
	}
	return s.answerAccount(c, m.ID, accountAnswer{section: sectionStudents, err: err, done: message,
		identifier: identifiers, form: f})
}

// assignedMessage says what an assignment by identifiers did.
func assignedMessage(name string, done assignment.Assigned) string {
	switch {
	case done.Added == 1 && done.Already == 0:
		return name + " is assigned to " + done.First.Identifier + "."
	case done.Added == 0:
		return name + " was assigned to these students already."
	case done.Already == 0:
		return fmt.Sprintf("%s is assigned to %d students.", name, done.Added)
	}
	return fmt.Sprintf("%s is assigned to %d more students; %d were assigned already.", name, done.Added, done.Already)
}

// updateUserAssignment changes the access level of the account on a
// student, or makes it the student's primary, from the account's page.
func (s *Server) updateUserAssignment(c *fiber.Ctx) error {
	m, student, err := s.userAndStudent(c)
	if err != nil {
		return err
	}
	err = assignment.NewService(s.db.DB).Update(c.UserContext(), principal(c), student, m.ID, assignmentChange(c))
	return s.answerAccount(c, m.ID, accountAnswer{section: sectionStudents, err: err,
		done: "Assignment changed."})
}

// removeUserAssignment ends the account's assignment to a student, after a
// confirmation.
func (s *Server) removeUserAssignment(c *fiber.Ctx) error {
	m, student, err := s.userAndStudent(c)
	if err != nil {
		return err
	}
	if needsConfirmation(c) {
		return s.confirm(c, "Remove "+m.Name+" from this student?", "Remove", "/admin/users/"+itoa(m.ID))
	}
	err = assignment.NewService(s.db.DB).Remove(c.UserContext(), principal(c), student, m.ID)
	return s.answerAccount(c, m.ID, accountAnswer{section: sectionStudents, err: err,
		done: "Assignment removed."})
}

func (s *Server) userAndStudent(c *fiber.Ctx) (*account.Managed, int64, error) {
	student, err := paramID(c, "student")
	if err != nil {
		return nil, 0, err
	}
	m, err := s.managedUser(c)
	return m, student, err
}

// staffView is the Staff section of student st's page.
func (s *Server) staffView(c *fiber.Ctx, st *assignment.Student) (students.StaffView, error) {
	base := "/students/" + itoa(st.ID) + "/staff"
	v := students.StaffView{StudentID: st.ID, Form: students.AssignForm{Action: base, Target: "#student-staff",
		AccessLevel: assignment.LevelEditor, Errors: map[string]string{}, CSRF: s.csrfToken(c)}}
	rows, err := assignment.NewService(s.db.DB).StaffOf(c.UserContext(), st.ID, st.DistrictID)
	if err != nil {
		return v, err
	}
	for _, r := range rows {
		if !r.IsAssigned {
			v.Candidates = append(v.Candidates, staffOption(r))
			continue
		}
		v.Rows = append(v.Rows, students.AssignmentRow{Key: itoa(r.UserID), Label: r.UserName,
			Detail: access.RoleLabel(r.RoleName), AccessLevel: r.AccessLevel, IsPrimary: r.IsPrimary,
			URL: base + "/" + itoa(r.UserID), Target: "#student-staff", CanChange: true, CSRF: s.csrfToken(c),
			RemoveQuestion: "Remove " + r.UserName + " from " + st.Identifier + "?"})
	}
	return v, nil
}

func staffOption(r assignment.Row) components.Option {
	return components.Option{Value: itoa(r.UserID), Label: r.UserName + " (" + access.RoleLabel(r.RoleName) + ")"}
}

// studentForStaff loads the student of the :id parameter when the person
// manages its staff; 404 otherwise.
func (s *Server) studentForStaff(c *fiber.Ctx) (*assignment.Student, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return assignment.NewService(s.db.DB).StudentFor(c.UserContext(), principal(c), id)
}

// addStudentStaff assigns an account of the district to the student, from
// the student's page.
func (s *Server) addStudentStaff(c *fiber.Ctx) error {
	st, err := s.studentForStaff(c)
	if err != nil {
		return err
	}
	f := assignmentForm(c)
	f.Who = formText(c, "user")
	userID, perr := strconv.ParseInt(f.Who, 10, 64)
	if perr != nil || userID <= 0 {
		inv := problem.NewInvalid()
		inv.Add("user", "Choose a person from the list.")
		err = inv
	} else {
		err = assignment.NewService(s.db.DB).Add(c.UserContext(), principal(c), st.ID,
			assignment.New{UserID: userID, AccessLevel: f.AccessLevel, IsPrimary: f.IsPrimary})
	}
	return s.answerStaff(c, st, err, "Assigned.", &f)
}

// updateStudentStaff changes the access level of an account on the
// student, or makes it the primary, from the student's page.
func (s *Server) updateStudentStaff(c *fiber.Ctx) error {
	st, user, err := s.studentAndUser(c)
	if err != nil {
		return err
	}
	err = assignment.NewService(s.db.DB).Update(c.UserContext(), principal(c), st.ID, user, assignmentChange(c))
	return s.answerStaff(c, st, err, "Assignment changed.", nil)
}

// removeStudentStaff ends an account's assignment to the student, after a
// confirmation.
func (s *Server) removeStudentStaff(c *fiber.Ctx) error {
	st, user, err := s.studentAndUser(c)
	if err != nil {
		return err
	}
	if needsConfirmation(c) {
		return s.confirm(c, "Remove this person from "+st.Identifier+"?", "Remove",
			"/students/"+itoa(st.ID))
	}
	err = assignment.NewService(s.db.DB).Remove(c.UserContext(), principal(c), st.ID, user)
	return s.answerStaff(c, st, err, "Assignment removed.", nil)
}

func (s *Server) studentAndUser(c *fiber.Ctx) (*assignment.Student, int64, error) {
	user, err := paramID(c, "user")
	if err != nil {
		return nil, 0, err
	}
	st, err := s.studentForStaff(c)
	return st, user, err
}

// answerStaff answers a change of the student's staff: the section for
// htmx (422 with the messages and the form as typed for refused input), a
// redirect to the student page for a plain form, or the section on a page
// of its own with 422.
func (s *Server) answerStaff(c *fiber.Ctx, st *assignment.Student, err error, done string,
	typed *students.AssignForm) error {
	inv, isInvalid := problem.AsInvalid(err)
	if err != nil && !isInvalid {
		return err
	}
	if !isInvalid && !isHTMX(c) {
		s.setFlash(c, "success", done)
		return c.Redirect("/students/"+itoa(st.ID), fiber.StatusSeeOther)
	}

	v, verr := s.staffView(c, st)
	if verr != nil {
		return verr
	}
	status := fiber.StatusOK
	v.Message = done
	if isInvalid {
		status, v.Message, v.IsError = fiber.StatusUnprocessableEntity, firstMessage(inv), true
		if typed != nil {
			v.Form.Who, v.Form.AccessLevel, v.Form.IsPrimary = typed.Who, typed.AccessLevel, typed.IsPrimary
		}
		v.Form.Errors = inv.Fields
	}
	if !isHTMX(c) {
		return s.renderStatus(c, status, students.StaffPage(s.page(c, st.Identifier, "students"), st.Identifier, v))
	}
	return s.renderStatus(c, status, students.StaffSection(v))
}
