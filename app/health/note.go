package health

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/problem"
)

// MaxContent is the longest note, in characters.
const MaxContent = 4000

// Service reads and writes health notes.
type Service struct {
	db bun.IDB
}

// NewService returns a Service on db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// Item is a note as the student page lists it.
type Item struct {
	ID         int64     `bun:"id_health_note"`
	AuthorName string    `bun:"author_name"`
	Content    string    `bun:"content"`
	CreatedAt  time.Time `bun:"created_at"`
}

// List returns the notes about a student that who may read, newest first,
// and records the read in the audit log when there were any. Without the
// permission it returns none.
func (s *Service) List(ctx context.Context, who *access.Principal, studentID int64) ([]Item, error) {
	if !who.Can("health_note", "read") {
		return nil, nil
	}
	var items []Item
	q := s.db.NewSelect().
		TableExpr("health_note AS hn").
		Join("JOIN student AS st ON st.id_student = hn.id_student").
		Join(`LEFT JOIN "user" AS au ON au.id_user = hn.id_user_created`).
		ColumnExpr("hn.id_health_note, hn.content, hn.created_at, au.name AS author_name").
		Where("hn.id_student = ?", studentID).
		OrderExpr("hn.created_at DESC, hn.id_health_note DESC")
	q = access.Filter(q, who, "health_note", "read", access.Target{StudentAlias: "st",
		CreatorColumn: "hn.id_user_created"})
	// The read and its audit event are one statement: no notes leave the
	// database without a record of who read them.
	err := s.db.NewRaw(`WITH items AS (?),
		logged AS (
			INSERT INTO audit_event (action, id_user, actor_email, id_school_district, id_student,
				record_type, details)
			SELECT ?, ?, ?, NULLIF(?, 0), ?, 'health_note',
				jsonb_build_object('notes', array_agg(id_health_note))
			FROM items HAVING count(*) > 0)
		SELECT * FROM items ORDER BY created_at DESC, id_health_note DESC`,
		q, audit.ActionHealthNoteRead, who.UserID, who.Email, who.DistrictID, studentID).Scan(ctx, &items)
	if err != nil {
		return nil, fmt.Errorf("load health notes of student %d: %w", studentID, err)
	}
	return items, nil
}

// Create adds a note about a student. Bad input is a *problem.Invalid on
// field content.
func (s *Service) Create(ctx context.Context, who *access.Principal, studentID int64, content string) (*Note, error) {
	if err := access.NewChecker(s.db).Authorize(ctx, who, "create",
		access.StudentAs("health_note", studentID)); err != nil {
		return nil, err
	}
	content = strings.TrimSpace(content)
	inv := problem.NewInvalid()
	switch {
	case !utf8.ValidString(content):
		inv.Add("content", "The note contains characters that are not text.")
	case content == "":
		inv.Add("content", "Write the note.")
	case utf8.RuneCountInString(content) > MaxContent:
		inv.Add("content", fmt.Sprintf("The note is at most %d characters.", MaxContent))
	}
	if err := inv.Err(); err != nil {
		return nil, err
	}

	n := &Note{StudentID: studentID, CreatedBy: who.UserID, Content: content}
	if _, err := s.db.NewInsert().Model(n).Returning("*").Exec(ctx); err != nil {
		return nil, fmt.Errorf("add health note for student %d: %w", studentID, err)
	}
	return n, nil
}
