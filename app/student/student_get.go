package student

import (
	"context"
	"fmt"
	"time"

	"goaltracker/app/access"
	"goaltracker/app/problem"
)

// Record is a student's record as the page header shows it, and what the
// person asking may do on the student page.
type Record struct {
	ID             int64     `bun:"id_student"`
	Identifier     string    `bun:"identifier"`
	ProgramID      int64     `bun:"id_program"`
	ProgramName    string    `bun:"program_name"`
	DistrictID     int64     `bun:"id_school_district"`
	ProgramYear    int       `bun:"program_year"`
	EnrollmentDate time.Time `bun:"enrollment_date"`
	ExpectedGrad   time.Time `bun:"expected_grad"`
	UpdatedAt      time.Time `bun:"updated_at"`

	CanUpdate          bool `bun:"can_update"`
	CanCreateGoal      bool `bun:"can_create_goal"`
	CanCreateEntry     bool `bun:"can_create_entry"`
	CanMarkSensitive   bool `bun:"can_mark_sensitive"`
	CanReadHealthNotes bool `bun:"can_read_health"`
	CanAddHealthNote   bool `bun:"can_add_health"`
}

// Get returns the record of student id if who may read it, with what who
// may do there, in one query. A student that does not exist or that who
// may not read is an error wrapping problem.ErrNotFound.
func (s *Service) Get(ctx context.Context, who *access.Principal, id int64) (*Record, error) {
	allows := func(resource, action string) any {
		return access.Allows(s.db, who, resource, action, "st.id_student", "")
	}
	var recs []Record
	q := s.db.NewSelect().
		TableExpr("student AS st").
		Join("JOIN program AS p ON p.id_program = st.id_program").
		ColumnExpr("st.id_student, st.identifier, st.id_program, st.program_year").
		ColumnExpr("st.enrollment_date, st.expected_grad, st.updated_at, p.name AS program_name").
		ColumnExpr("p.id_school_district").
		ColumnExpr("EXISTS (?) AS can_update", allows("student", "update")).
		ColumnExpr("EXISTS (?) AS can_create_goal", allows("goal", "create")).
		ColumnExpr("EXISTS (?) AS can_create_entry", allows("entry", "create")).
		ColumnExpr("EXISTS (?) AS can_mark_sensitive", allows("sensitive_entry", "create")).
		ColumnExpr("? AS can_read_health", who.Can("health_note", "read")).
		ColumnExpr("EXISTS (?) AS can_add_health", allows("health_note", "create")).
		Where("st.id_student = ?", id)
	q = access.Filter(q, who, "student", "read", access.Students)
	if err := q.Scan(ctx, &recs); err != nil {
		return nil, fmt.Errorf("load student %d: %w", id, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("load student %d: %w", id, problem.ErrNotFound)
	}
	return &recs[0], nil
}
