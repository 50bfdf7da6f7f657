package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/app/goal"
	"goaltracker/views/students"
)

// showStudent shows a student's record and goals. A student outside the
// person's scope answers 404, the same as one that does not exist.
func (s *Server) showStudent(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	if err := s.checker.Authorize(ctx, principal(c), "read", access.StudentRecord(id)); err != nil {
		return err
	}

	rec, err := s.students.Get(ctx, id)
	if err != nil {
		return err
	}
	goals, err := s.goals.Tree(ctx, id)
	if err != nil {
		return err
	}
	v := students.StudentView{Identifier: rec.Identifier, ProgramName: rec.ProgramName,
		ProgramYear: rec.ProgramYear, EnrollmentDate: rec.EnrollmentDate, ExpectedGrad: rec.ExpectedGrad,
		Goals: goalItems(goals)}
	return s.render(c, students.StudentPage(s.page(c, rec.Identifier, "students"), v))
}

func goalItems(goals []*goal.Goal) []students.GoalItem {
	items := make([]students.GoalItem, 0, len(goals))
	for _, g := range goals {
		item := students.GoalItem{ID: g.ID, Title: g.Title, Category: g.Category, Status: g.Status,
			TargetDate: g.TargetDate, SubGoals: goalItems(g.SubGoals)}
		if g.Target != nil {
			item.Target = strconv.FormatFloat(*g.Target, 'f', -1, 64) + " " + g.Unit
		}
		items = append(items, item)
	}
	return items
}
