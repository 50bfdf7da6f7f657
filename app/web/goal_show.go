package web

import (
	"github.com/gofiber/fiber/v2"

	"goaltracker/app/goal"
	"goaltracker/app/progress"
	"goaltracker/views/chart"
	"goaltracker/views/goals"
	"goaltracker/views/students"
)

// showGoal shows one goal: fields, chart with the district's reporting
// periods, sub-goals and entries.
func (s *Server) showGoal(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx, who := c.UserContext(), principal(c)
	n, err := s.goals.Get(ctx, who, id)
	if err != nil {
		return err
	}
	rec, err := s.students.Get(ctx, who, n.StudentID)
	if err != nil {
		return err
	}
	subs, err := s.goals.SubGoals(ctx, id)
	if err != nil {
		return err
	}

	v := goals.GoalView{ID: n.ID, StudentID: rec.ID, StudentIdentifier: rec.Identifier,
		Title: goalField(n, "title"), Status: goalField(n, "status"), CloseNote: n.CloseNote}
	for _, name := range goal.Fields {
		if name != "title" && name != "status" {
			v.Fields = append(v.Fields, goalField(n, name))
		}
	}
	for _, sg := range subs {
		v.SubGoals = append(v.SubGoals, goals.SubGoal{ID: sg.ID, Title: sg.Title, Status: sg.Status})
	}
	if n.IsMeasurable() {
		boundaries, err := s.periodBoundaries(c, rec.DistrictID)
		if err != nil {
			return err
		}
		m := chart.Layout(chartInput(n, boundaries), chart.Large)
		v.Chart = &m
	}
	v.Timeline = students.TimelineView{StudentID: rec.ID, GoalFilter: id}
	if err := s.fillTimeline(c, &v.Timeline, progress.TimelineParams{StudentID: rec.ID, GoalID: id}); err != nil {
		return err
	}
	return s.render(c, goals.GoalPage(s.page(c, n.Title, "students"), v))
}

// periodBoundaries marks where each quarter of the district's calendar
// starts.
func (s *Server) periodBoundaries(c *fiber.Ctx, districtID int64) ([]chart.Boundary, error) {
	periods, err := s.reports.Periods(c.UserContext(), districtID)
	if err != nil {
		return nil, err
	}
	var bs []chart.Boundary
	for _, p := range periods {
		if p.Code[0] == 'Q' {
			bs = append(bs, chart.Boundary{Day: p.StartsOn, Label: p.Code})
		}
	}
	return bs, nil
}
