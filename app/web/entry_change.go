package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/problem"
	"goaltracker/app/progress"
	"goaltracker/views/students"
)

func entryDraft(c *fiber.Ctx) progress.Draft {
	return progress.Draft{GoalID: formText(c, "goal"), OccurredOn: formText(c, "occurred_on"),
		Content: formText(c, "content"), Value: formText(c, "value"),
		IsSensitive: c.FormValue("sensitive") == "1"}
}

// createEntry logs an entry from the quick-add form. It answers a fresh
// form (focus back in the note) and, out of band, the progress log with
// the new entry; bad input answers 422 with the form as typed.
func (s *Server) createEntry(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx, who := c.UserContext(), principal(c)
	d := entryDraft(c)
	_, err = s.entries.Create(ctx, who, id, d)
	inv, isInvalid := problem.AsInvalid(err)
	if err != nil && !isInvalid {
		return err
	}

	rec, err := s.students.Get(ctx, who, id)
	if err != nil {
		return err
	}
	tree, err := s.goals.Tree(ctx, who, id)
	if err != nil {
		return err
	}
	form := s.entryForm(rec, tree)
	if isInvalid {
		form.GoalID, form.OccurredOn, form.Content, form.Value = d.GoalID, d.OccurredOn, d.Content, d.Value
		form.IsSensitive, form.Errors = d.IsSensitive, inv.Fields
		if !isHTMX(c) {
			return s.showStudentWith(c, rec.ID, &form, fiber.StatusUnprocessableEntity)
		}
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, students.QuickAddForm(form))
	}
	if !isHTMX(c) {
		s.setFlash(c, "success", "Entry saved.")
		return c.Redirect("/students/"+itoa(id)+"#timeline", fiber.StatusSeeOther)
	}

	form.Saved, form.GoalID = true, d.GoalID
	timeline, err := s.timelineView(c, id, 0, tree)
	if err != nil {
		return err
	}
	timeline.OutOfBand = true
	return s.render(c, students.QuickAddResult(form, timeline))
}

// showEntry answers one entry in display mode (the Cancel of its edit).
func (s *Server) showEntry(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	it, err := s.entries.Get(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	e := entryItem(*it)
	e.Focus = true
	return s.render(c, students.EntryRow(e))
}

// editEntry answers the inline form that edits one entry.
func (s *Server) editEntry(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	it, err := s.entries.Get(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	if !it.CanUpdate || it.IsRestricted {
		return problem.ErrForbidden
	}
	v, err := s.entryEditView(c, it)
	if err != nil {
		return err
	}
	return s.render(c, students.EntryEditRow(v))
}

func (s *Server) entryEditView(c *fiber.Ctx, it *progress.Item) (students.EntryEditView, error) {
	rec, err := s.students.Get(c.UserContext(), principal(c), it.StudentID)
	if err != nil {
		return students.EntryEditView{}, err
	}
	tree, err := s.goals.Tree(c.UserContext(), principal(c), it.StudentID)
	if err != nil {
		return students.EntryEditView{}, err
	}
	form := s.entryForm(rec, tree)
	form.GoalID, form.OccurredOn, form.Content = itoa(it.GoalID), isoDay(it.OccurredOn), it.Content
	form.Value, form.IsSensitive = formatNumber(it.Value), it.IsSensitive
	form.CanMarkSensitive = form.CanMarkSensitive || it.IsSensitive
	return students.EntryEditView{Item: entryItem(*it), Form: form, Version: versionString(it.UpdatedAt)}, nil
}

// updateEntry saves an entry edited in place. Bad input answers 422 and an
// edit of an entry that changed meanwhile 409, both with the form as typed.
func (s *Server) updateEntry(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx, who := c.UserContext(), principal(c)
	d := entryDraft(c)
	_, err = s.entries.Update(ctx, who, id, d, formVersion(c))
	inv, isInvalid := problem.AsInvalid(err)
	isConflict := errors.Is(err, problem.ErrConflict)
	if err != nil && !isInvalid && !isConflict {
		return err
	}

	it, err := s.entries.Get(ctx, who, id)
	if err != nil {
		return err
	}
	if !isInvalid && !isConflict {
		e := entryItem(*it)
		e.Focus = true
		return s.render(c, students.EntryRow(e))
	}
	v, err := s.entryEditView(c, it)
	if err != nil {
		return err
	}
	v.Form.GoalID, v.Form.OccurredOn, v.Form.Content = d.GoalID, d.OccurredOn, d.Content
	v.Form.Value, v.Form.IsSensitive = d.Value, d.IsSensitive
	if isConflict {
		v.Conflict = true
		return s.renderStatus(c, fiber.StatusConflict, students.EntryEditRow(v))
	}
	v.Form.Errors = inv.Fields
	return s.renderStatus(c, fiber.StatusUnprocessableEntity, students.EntryEditRow(v))
}

// deleteEntry removes an entry after the browser asked for confirmation;
// the empty answer removes its row.
func (s *Server) deleteEntry(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	e, err := s.entries.Delete(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		s.setFlash(c, "success", "Entry deleted.")
		return c.Redirect("/students/"+itoa(e.StudentID)+"#timeline", fiber.StatusSeeOther)
	}
	return c.SendString(`<p class="visually-hidden" data-announce="Entry deleted.">Entry deleted.</p>`)
}
