package web

import (
	"github.com/gofiber/fiber/v2"

	"goaltracker/app/problem"
	"goaltracker/app/student"
	"goaltracker/views/students"
)

func (s *Server) healthView(c *fiber.Ctx, rec *student.Record) (students.HealthView, error) {
	v := students.HealthView{StudentID: rec.ID, CanRead: rec.CanReadHealthNotes, CanAdd: rec.CanAddHealthNote}
	notes, err := s.health.List(c.UserContext(), principal(c), rec.ID)
	if err != nil {
		return v, err
	}
	for _, n := range notes {
		v.Notes = append(v.Notes, students.HealthNote{AuthorName: n.AuthorName, Content: n.Content,
			CreatedAt: n.CreatedAt})
	}
	return v, nil
}

// createHealthNote adds a health note and answers the section again; bad
// input answers 422 with the note as typed.
func (s *Server) createHealthNote(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	content := formText(c, "content")
	_, err = s.health.Create(c.UserContext(), principal(c), id, content)
	inv, isInvalid := problem.AsInvalid(err)
	if err != nil && !isInvalid {
		return err
	}

	rec, err := s.students.Get(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	v, err := s.healthView(c, rec)
	if err != nil {
		return err
	}
	if isInvalid {
		v.Draft, v.Error = content, inv.Fields["content"]
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, students.HealthSection(v))
	}
	if !isHTMX(c) {
		s.setFlash(c, "success", "Health note added.")
		return c.Redirect("/students/"+itoa(id)+"#health", fiber.StatusSeeOther)
	}
	return s.render(c, students.HealthSection(v))
}
