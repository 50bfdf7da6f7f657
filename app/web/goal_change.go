package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/goal"
	"goaltracker/app/problem"
	"goaltracker/views/students"
)

// createGoal adds a goal, or a sub-goal when the form names a parent, and
// answers the goal section again. Bad input answers 422 with the form open
// and as typed.
func (s *Server) createGoal(c *fiber.Ctx) error {
	studentID, err := paramID(c, "id")
	if err != nil {
		return err
	}
	parentID, _ := strconv.ParseInt(c.FormValue("parent"), 10, 64)
	d := goal.Draft{Title: formText(c, "title"), Description: formText(c, "description"),
		Category: formText(c, "category"), Unit: formText(c, "unit"), Baseline: formText(c, "baseline"),
		Target: formText(c, "target"), TargetDate: formText(c, "target_date")}

	_, err = s.goals.Create(c.UserContext(), principal(c), studentID, max(parentID, 0), d)
	inv, isInvalid := problem.AsInvalid(err)
	if err != nil && !isInvalid {
		return err
	}
	v, err := s.goalsSection(c, studentID)
	if err != nil {
		return err
	}
	if !isInvalid {
		v.Message = "Goal added: " + d.Title
		return s.render(c, students.GoalsSection(v))
	}

	form := students.GoalForm{StudentID: studentID, ParentID: parentID, Title: d.Title,
		Description: d.Description, Category: d.Category, Unit: d.Unit, Baseline: d.Baseline,
		Target: d.Target, TargetDate: d.TargetDate, Errors: inv.Fields, Open: true}
	placeForm(&v, form)
	return s.renderStatus(c, fiber.StatusUnprocessableEntity, students.GoalsSection(v))
}

// placeForm puts a re-rendered add form where it came from: the section's
// own, or the one under the parent goal.
func placeForm(v *students.GoalsView, form students.GoalForm) {
	if form.ParentID == 0 {
		v.NewGoal = form
		return
	}
	for i := range v.Items {
		if v.Items[i].ID == form.ParentID {
			v.Items[i].SubGoalForm = form
		}
	}
}

// deleteGoal removes a goal without entries, after the browser asked for
// confirmation, and answers the goal section; a goal with entries stays,
// with a message saying to close it instead.
func (s *Server) deleteGoal(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	n, err := s.goals.Get(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	err = s.goals.Delete(c.UserContext(), principal(c), id)
	inv, isInvalid := problem.AsInvalid(err)
	if err != nil && !isInvalid {
		return err
	}

	v, err := s.goalsSection(c, n.StudentID)
	if err != nil {
		return err
	}
	if isInvalid {
		v.Message = inv.Form
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, students.GoalsSection(v))
	}
	v.Message = "Goal deleted: " + n.Title
	return s.render(c, students.GoalsSection(v))
}

// showGoals answers the goal section alone, for htmx to refresh it.
func (s *Server) showGoals(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.goalsSection(c, id)
	if err != nil {
		return err
	}
	return s.render(c, students.GoalsSection(v))
}

func (s *Server) goalsSection(c *fiber.Ctx, studentID int64) (students.GoalsView, error) {
	rec, err := s.students.Get(c.UserContext(), principal(c), studentID)
	if err != nil {
		return students.GoalsView{}, err
	}
	tree, err := s.goals.Tree(c.UserContext(), principal(c), studentID)
	if err != nil {
		return students.GoalsView{}, err
	}
	return goalsView(rec, tree), nil
}
