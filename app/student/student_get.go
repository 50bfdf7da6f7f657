package student

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"goaltracker/app/problem"
)

// Record is a student's record as its page header shows it.
type Record struct {
	ID             int64     `bun:"id_student"`
	Identifier     string    `bun:"identifier"`
	ProgramID      int64     `bun:"id_program"`
	ProgramName    string    `bun:"program_name"`
	ProgramYear    int       `bun:"program_year"`
	EnrollmentDate time.Time `bun:"enrollment_date"`
	ExpectedGrad   time.Time `bun:"expected_grad"`
}

// Get returns the record of student id. It does not check access: callers
// authorise first. A missing student is an error wrapping
// problem.ErrNotFound.
func (s *Service) Get(ctx context.Context, id int64) (*Record, error) {
	r := new(Record)
	err := s.db.NewSelect().
		TableExpr("student AS st").
		Join("JOIN program AS p ON p.id_program = st.id_program").
		ColumnExpr("st.id_student, st.identifier, st.id_program, st.program_year").
		ColumnExpr("st.enrollment_date, st.expected_grad, p.name AS program_name").
		Where("st.id_student = ?", id).
		Scan(ctx, r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("load student %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load student %d: %w", id, err)
	}
	return r, nil
}
