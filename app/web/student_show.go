package web

import (
	"github.com/gofiber/fiber/v2"

	"goaltracker/app/assignment"
	"goaltracker/app/goal"
	"goaltracker/app/student"
	"goaltracker/views/components"
	"goaltracker/views/students"
)

// showStudent shows a student's workspace: the record, the quick-add form,
// the goals, the progress log and the health notes. A student outside the
// person's scope answers 404, the same as one that does not exist.
func (s *Server) showStudent(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return s.showStudentWith(c, id, nil, fiber.StatusOK)
}

// showStudentWith renders the workspace with status, and with quickAdd as
// the quick-add form when it is set (a form re-rendered with its errors).
func (s *Server) showStudentWith(c *fiber.Ctx, id int64, quickAdd *students.EntryForm, status int) error {
	ctx, who := c.UserContext(), principal(c)

	rec, err := s.students.Get(ctx, who, id)
	if err != nil {
		return err
	}
	tree, err := s.goals.Tree(ctx, who, id)
	if err != nil {
		return err
	}
	timeline, err := s.timelineView(c, id, 0, tree)
	if err != nil {
		return err
	}
	v := students.StudentView{ID: id, Identifier: rec.Identifier, ProgramName: rec.ProgramName,
		Record: studentFields(rec), Goals: goalsView(rec, tree), Timeline: timeline,
		CanReadReports: who.Can("report", "read")}
	if rec.CanCreateEntry {
		f := s.entryForm(rec, tree)
		v.QuickAdd = &f
		if quickAdd != nil {
			v.QuickAdd = quickAdd
		}
	}
	if rec.CanReadHealthNotes || rec.CanAddHealthNote {
		h, err := s.healthView(c, rec)
		if err != nil {
			return err
		}
		v.Health = &h
	}
	// The staff list costs a statement, spent only for those who manage it.
	if assignment.Covers(who, rec.DistrictID, rec.ProgramID) {
		st := &assignment.Student{ID: rec.ID, Identifier: rec.Identifier, ProgramID: rec.ProgramID,
			DistrictID: rec.DistrictID}
		staff, err := s.staffView(c, st)
		if err != nil {
			return err
		}
		v.Staff = &staff
	}
	return s.renderStatus(c, status, students.StudentPage(s.page(c, rec.Identifier, "students"), v))
}

// goalOptions lists the goals an entry can be logged against: active
// goals and sub-goals, sub-goals named after their parent.
func goalOptions(tree []*goal.Node, onlyActive bool) []components.Option {
	var opts []components.Option
	var walk func(nodes []*goal.Node, prefix string)
	walk = func(nodes []*goal.Node, prefix string) {
		for _, n := range nodes {
			if !onlyActive || n.Status == goal.StatusActive {
				opts = append(opts, components.Option{Value: itoa(n.ID), Label: prefix + n.Title})
			}
			walk(n.Children, prefix+n.Title+" › ")
		}
	}
	walk(tree, "")
	return opts
}

func (s *Server) entryForm(rec *student.Record, tree []*goal.Node) students.EntryForm {
	today := isoDay(s.today())
	return students.EntryForm{StudentID: rec.ID, Goals: goalOptions(tree, true), OccurredOn: today,
		Today: today, CanMarkSensitive: rec.CanMarkSensitive, Errors: map[string]string{}}
}
