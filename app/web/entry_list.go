package web

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/goal"
	"goaltracker/app/progress"
	"goaltracker/views/students"
)

// timelinePage is how many entries the progress log shows at once.
const timelinePage = 50

// timelineView loads the newest page of a student's entries, of one goal
// (and its sub-goals) or of all; tree gives the goals of the filter.
func (s *Server) timelineView(c *fiber.Ctx, studentID, goalID int64, tree []*goal.Node) (students.TimelineView, error) {
	v := students.TimelineView{StudentID: studentID, GoalFilter: goalID, Goals: goalOptions(tree, false)}
	return v, s.fillTimeline(c, &v, progress.TimelineParams{StudentID: studentID, GoalID: goalID})
}

// fillTimeline reads one page of entries into v, grouped by day, and sets
// the link to the next page when there are more.
func (s *Server) fillTimeline(c *fiber.Ctx, v *students.TimelineView, p progress.TimelineParams) error {
	p.Limit = timelinePage + 1
	items, err := s.entries.Timeline(c.UserContext(), principal(c), p)
	if err != nil {
		return err
	}
	if len(items) > timelinePage {
		items = items[:timelinePage]
		last := items[len(items)-1]
		q := url.Values{"before": {last.OccurredOn.Format(time.DateOnly) + "_" + itoa(last.ID)}}
		if p.GoalID != 0 {
			q.Set("goal", itoa(p.GoalID))
		}
		v.MoreURL = "/students/" + itoa(p.StudentID) + "/entries/older?" + q.Encode()
	}
	for _, it := range items {
		n := len(v.Days)
		if n == 0 || !v.Days[n-1].Day.Equal(it.OccurredOn) {
			v.Days = append(v.Days, students.TimelineDay{Day: it.OccurredOn})
			n++
		}
		v.Days[n-1].Entries = append(v.Days[n-1].Entries, entryItem(it))
	}
	return nil
}

func entryItem(it progress.Item) students.EntryItem {
	e := students.EntryItem{ID: it.ID, GoalTitle: it.GoalTitle, AuthorName: it.AuthorName,
		Content: it.Content, IsSensitive: it.IsSensitive, IsRestricted: it.IsRestricted,
		CanEdit: it.CanUpdate && !it.IsRestricted, CanDelete: it.CanDelete}
	if it.GoalTitle == "" {
		e.GoalTitle = "General"
	}
	if it.Value != nil {
		e.ValueText = formatNumber(it.Value) + " " + it.Unit
	}
	return e
}

// listEntries answers the progress log of a student, filtered to one goal
// by ?goal=: the section alone for htmx, the student page otherwise.
func (s *Server) listEntries(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect("/students/"+itoa(id)+"#timeline", fiber.StatusSeeOther)
	}
	if _, err := s.students.Get(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	goalID, _ := strconv.ParseInt(c.Query("goal"), 10, 64)
	tree, err := s.goals.Tree(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	v, err := s.timelineView(c, id, max(goalID, 0), tree)
	if err != nil {
		return err
	}
	return s.render(c, students.TimelineSection(v))
}

// listOlderEntries answers the next page of the progress log, replacing
// the "Show older entries" button it was asked from.
func (s *Server) listOlderEntries(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.students.Get(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	p := progress.TimelineParams{StudentID: id}
	p.GoalID, _ = strconv.ParseInt(c.Query("goal"), 10, 64)
	day, entry, ok := parseCursor(c.Query("before"))
	if !ok {
		return fiber.ErrNotFound
	}
	p.BeforeDay, p.BeforeID = day, entry
	v := students.TimelineView{StudentID: id, GoalFilter: p.GoalID}
	if err := s.fillTimeline(c, &v, p); err != nil {
		return err
	}
	return s.render(c, students.TimelineDays(v))
}

func parseCursor(raw string) (time.Time, int64, bool) {
	if len(raw) < 12 || raw[10] != '_' {
		return time.Time{}, 0, false
	}
	day, err := time.Parse(time.DateOnly, raw[:10])
	if err != nil {
		return time.Time{}, 0, false
	}
	id, err := strconv.ParseInt(raw[11:], 10, 64)
	return day, id, err == nil && id > 0
}
