package progress

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/audit"
)

// Service reads and changes progress entries.
type Service struct {
	db  bun.IDB
	now func() time.Time
}

// NewService returns a Service on db.
func NewService(db bun.IDB) *Service { return &Service{db: db, now: time.Now} }

// Item is an entry as the timeline shows it. For a sensitive entry the
// person may not read, Content is empty and IsRestricted is true: the
// content never leaves the database.
type Item struct {
	ID           int64     `bun:"id_progress_event"`
	StudentID    int64     `bun:"id_student"`
	GoalID       int64     `bun:"id_goal"`
	GoalTitle    string    `bun:"goal_title"`
	Unit         string    `bun:"unit"`
	AuthorID     int64     `bun:"id_user_created"`
	AuthorName   string    `bun:"author_name"`
	Content      string    `bun:"content"`
	IsSensitive  bool      `bun:"is_sensitive"`
	IsRestricted bool      `bun:"is_restricted"`
	OccurredOn   time.Time `bun:"occurred_on"`
	Value        *float64  `bun:"value"`
	UpdatedAt    time.Time `bun:"updated_at"`
	CanUpdate    bool      `bun:"can_update"`
	CanDelete    bool      `bun:"can_delete"`
}

// TimelineParams choose which entries of a student the timeline shows:
// one goal's (GoalID) or all, at most Limit, older than Before (by day,
// then id) when it is set.
type TimelineParams struct {
	StudentID int64
	GoalID    int64
	Limit     int
	BeforeDay time.Time
	BeforeID  int64
}

// Timeline returns entries of a student who may read, newest first. The
// same statement records one audit event listing the sensitive entries
// whose content it returned, so the read and its record cannot part. It
// does not check the student: callers authorise it first.
func (s *Service) Timeline(ctx context.Context, who *access.Principal, p TimelineParams) ([]Item, error) {
	q := s.itemQuery(who).Where("pe.id_student = ?", p.StudentID).
		OrderExpr("pe.occurred_on DESC, pe.id_progress_event DESC")
	if p.GoalID != 0 {
		q = q.Where("pe.id_goal = ? OR pe.id_goal IN (SELECT id_goal FROM goal WHERE id_goal_parent = ?)",
			p.GoalID, p.GoalID)
	}
	if !p.BeforeDay.IsZero() {
		q = q.Where("(pe.occurred_on, pe.id_progress_event) < (?, ?)", p.BeforeDay.Format(time.DateOnly), p.BeforeID)
	}
	if p.Limit > 0 {
		q = q.Limit(int64(p.Limit))
	}

	var items []Item
	if err := s.selectAudited(who, q).Scan(ctx, &items); err != nil {
		return nil, fmt.Errorf("load entries of student %d: %w", p.StudentID, err)
	}
	return items, nil
}

// selectAudited wraps the entry query q so that, in the same statement, an
// audit event lists the sensitive entries whose content it returns; none
// is written when there are none.
func (s *Service) selectAudited(who *access.Principal, q *bun.SelectQuery) *bun.RawQuery {
	return s.db.NewRaw(`WITH items AS (?),
		logged AS (
			INSERT INTO audit_event (action, id_user, actor_email, id_school_district, id_student,
				record_type, details)
			SELECT ?, ?, ?, ?, min(id_student), 'progress_event',
				jsonb_build_object('entries', array_agg(id_progress_event))
			FROM items WHERE is_sensitive AND NOT is_restricted
			HAVING count(*) > 0)
		SELECT * FROM items ORDER BY occurred_on DESC, id_progress_event DESC`,
		q, audit.ActionSensitiveRead, who.UserID, who.Email, nullID(who.DistrictID))
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// itemQuery selects entries with their goal, author and what who may do,
// filtered to those who may read. Sensitive content is blanked in SQL for
// whoever may not read it.
func (s *Service) itemQuery(who *access.Principal) *bun.SelectQuery {
	canRead := access.Allows(s.db, who, "sensitive_entry", "read", "pe.id_student", "pe.id_user_created")
	q := s.db.NewSelect().
		TableExpr("progress_event AS pe").
		Join("JOIN student AS st ON st.id_student = pe.id_student").
		Join("LEFT JOIN goal AS g ON g.id_goal = pe.id_goal").
		Join(`LEFT JOIN "user" AS au ON au.id_user = pe.id_user_created`).
		ColumnExpr("pe.id_progress_event, pe.id_student, pe.id_goal, pe.id_user_created").
		ColumnExpr("pe.is_sensitive, pe.occurred_on, pe.value, pe.updated_at").
		ColumnExpr("g.title AS goal_title, g.unit, au.name AS author_name").
		ColumnExpr("pe.is_sensitive AND NOT EXISTS (?) AS is_restricted", canRead).
		ColumnExpr("CASE WHEN pe.is_sensitive AND NOT EXISTS (?) THEN NULL ELSE pe.content END AS content", canRead).
		ColumnExpr("EXISTS (?) AS can_update",
			access.Allows(s.db, who, "entry", "update", "pe.id_student", "pe.id_user_created")).
		ColumnExpr("EXISTS (?) AS can_delete",
			access.Allows(s.db, who, "entry", "delete", "pe.id_student", "pe.id_user_created"))
	return access.Filter(q, who, "entry", "read", access.Target{StudentAlias: "st",
		CreatorColumn: "pe.id_user_created"})
}
