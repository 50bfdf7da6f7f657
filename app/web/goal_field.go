package web

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/goal"
	"goaltracker/app/problem"
	"goaltracker/app/student"
	"goaltracker/views/chart"
	"goaltracker/views/components"
	"goaltracker/views/students"
)

var statusOptions = []components.Option{
	{Value: goal.StatusActive, Label: "Active"},
	{Value: goal.StatusMet, Label: "Met"},
	{Value: goal.StatusNotMet, Label: "Not met"},
	{Value: goal.StatusDiscontinued, Label: "Discontinued"},
}

// goalField is one editable field of a goal, as its inline component shows
// it.
func goalField(n *goal.Node, name string) components.InlineField {
	f := components.InlineField{ID: "goal-" + itoa(n.ID) + "-" + name,
		URL: "/goals/" + itoa(n.ID) + "/fields/" + name, Version: versionString(n.UpdatedAt),
		CanEdit: n.CanUpdate, Kind: components.KindText, Empty: "Not set"}
	switch name {
	case "title":
		f.Label, f.Display, f.MaxLength = "Title", n.Title, 255
	case "description":
		f.Label, f.Display, f.Kind, f.MaxLength = "Description", n.Description, components.KindTextarea, 5000
	case "category":
		f.Label, f.Display, f.MaxLength = "Category", n.Category, 100
	case "unit":
		f.Label, f.Display, f.MaxLength = "Unit", n.Unit, 50
		f.Empty = "Not measured"
	case "baseline":
		f.Label, f.Display, f.Kind = "Baseline", formatNumber(n.Baseline), components.KindNumber
	case "target":
		f.Label, f.Display, f.Kind = "Target", formatNumber(n.Target), components.KindNumber
	case "target_date":
		f.Label, f.Display, f.Kind = "Target date", formatDay(n.TargetDate), components.KindDate
		f.Value = isoDay(n.TargetDate)
	case "status":
		f.Label, f.Display, f.Kind = "Status", students.StatusLabel(n.Status), components.KindStatus
		f.Value, f.Options, f.CloseNote = n.Status, statusOptions, n.CloseNote
	}
	if f.Value == "" && f.Kind != components.KindDate {
		f.Value = f.Display
	}
	return f
}

// goalsView builds the goal tree section of the student page.
func goalsView(rec *student.Record, tree []*goal.Node) students.GoalsView {
	v := students.GoalsView{StudentID: rec.ID, CanCreateGoal: rec.CanCreateGoal,
		NewGoal: students.GoalForm{StudentID: rec.ID, Errors: map[string]string{}}}
	for _, n := range tree {
		v.Items = append(v.Items, goalItem(rec, n, true))
	}
	return v
}

func goalItem(rec *student.Record, n *goal.Node, isTop bool) students.GoalItem {
	item := students.GoalItem{ID: n.ID, Title: goalField(n, "title"), Status: n.Status,
		StatusField: goalField(n, "status"),
		CloseNote:   n.CloseNote, IsMeasurable: n.IsMeasurable(), EntryCount: n.EntryCount,
		CanDelete: n.CanDelete, CanAddSub: isTop && rec.CanCreateGoal,
		SubGoalForm: students.GoalForm{StudentID: rec.ID, ParentID: n.ID, Errors: map[string]string{}}}
	for _, name := range goal.Fields {
		if name != "title" && name != "status" {
			item.Fields = append(item.Fields, goalField(n, name))
		}
	}
	if n.LatestValue != nil {
		item.LatestValue = formatNumber(n.LatestValue) + " " + n.Unit
	}
	if n.IsMeasurable() && len(n.Points) > 0 {
		m := chart.Layout(chartInput(n, nil), chart.Small)
		item.Sparkline = &m
	}
	for _, child := range n.Children {
		item.SubGoals = append(item.SubGoals, goalItem(rec, child, false))
	}
	return item
}

func chartInput(n *goal.Node, boundaries []chart.Boundary) chart.Input {
	in := chart.Input{ID: "goal-" + itoa(n.ID) + "-chart", Title: n.Unit + " for: " + n.Title,
		Unit: n.Unit, Baseline: n.Baseline, Target: n.Target, Start: dayOf(n.CreatedAt),
		TargetDate: n.TargetDate, Boundaries: boundaries}
	for _, p := range n.Points {
		in.Points = append(in.Points, chart.Point{Day: p.Day, Value: p.Value})
	}
	return in
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// showGoalField answers one field of a goal, in display mode or, under
// /edit, as its edit form.
func (s *Server) showGoalField(c *fiber.Ctx) error {
	n, name, err := s.goalAndField(c)
	if err != nil {
		return err
	}
	editing := c.Route().Path == "/goals/:id/fields/:field/edit"
	if editing && !n.CanUpdate {
		return problem.ErrForbidden
	}
	f := goalField(n, name)
	f.Focus = !editing
	return s.render(c, components.Inline(f, editing))
}

// updateGoalField saves one field of a goal. Bad input answers 422 with the
// form as typed; an edit that started from an older version answers 409
// with the current value and a button to apply the edit anyway. A saved
// edit is answered from the updated row, without reading the goal again.
func (s *Server) updateGoalField(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	name := c.Params("field")
	if !goal.IsField(name) {
		return fiber.ErrNotFound
	}
	e := goal.Edit{Field: name, Value: formText(c, "value"), CloseNote: formText(c, "close_note"),
		Version: formVersion(c)}
	g, err := s.goals.Update(c.UserContext(), principal(c), id, e)
	if err == nil {
		f := goalField(&goal.Node{Goal: *g, CanUpdate: true}, name)
		f.Focus = true
		return s.render(c, components.Inline(f, false))
	}

	inv, isInvalid := problem.AsInvalid(err)
	isConflict := errors.Is(err, problem.ErrConflict)
	if !isInvalid && !isConflict {
		return err
	}
	n, err := s.goals.Get(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	f := goalField(n, name)
	f.Value, f.CloseNote = e.Value, e.CloseNote
	if isConflict {
		f.Conflict = f.Display
		return s.renderStatus(c, fiber.StatusConflict, components.Inline(f, true))
	}
	f.Error, f.Version = firstOf(inv, "value", "close_note"), c.FormValue("version")
	return s.renderStatus(c, fiber.StatusUnprocessableEntity, components.Inline(f, true))
}

func firstOf(inv *problem.Invalid, fields ...string) string {
	for _, f := range fields {
		if msg := inv.Fields[f]; msg != "" {
			return msg
		}
	}
	return inv.Error()
}

func (s *Server) goalAndField(c *fiber.Ctx) (*goal.Node, string, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, "", err
	}
	name := c.Params("field")
	if !goal.IsField(name) {
		return nil, "", fiber.ErrNotFound
	}
	n, err := s.goals.Get(c.UserContext(), principal(c), id)
	return n, name, err
}
