package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"goaltracker/app/health"
	"goaltracker/app/progress"
	"goaltracker/app/student"
)

// write gives plans their ids and copies their students, assignments, goals,
// health notes and entries into tx. Entries are generated while they are
// copied, one student at a time, so memory does not grow with their number.
func (g *generator) write(ctx context.Context, tx pgx.Tx, plans []*plan) error {
	if err := assignIDs(ctx, tx, plans); err != nil {
		return err
	}

	copies := []struct {
		table   string
		columns []string
		rows    pgx.CopyFromSource
	}{
		{"student", []string{"id_student", "id_program", "identifier", "program_year",
			"enrollment_date", "expected_grad", "created_at"}, studentRows(plans)},
		{"user_student", []string{"id_user", "id_student", "access_level", "is_primary"},
			rowsOf(plans, func(p *plan) []student.Assignment { return p.assignments }, assignmentRow)},
		{"goal", []string{"id_goal", "id_goal_parent", "id_student", "id_user_created", "title",
			"description", "category", "status", "baseline_value", "target_value", "unit",
			"target_date", "closed_at", "close_note", "created_at", "updated_at"},
			rowsOf(plans, func(p *plan) []goalPlan { return p.goals }, goalRow)},
		{"health_note", []string{"id_student", "id_user_created", "content", "created_at"},
			rowsOf(plans, func(p *plan) []health.Note { return p.notes }, noteRow)},
		{"progress_event", []string{"id_student", "id_goal", "id_user_created", "content",
			"is_sensitive", "occurred_on", "value", "created_at", "updated_at"}, g.entryRows(plans)},
	}
	for _, c := range copies {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.columns, c.rows); err != nil {
			return fmt.Errorf("copy %s rows: %w", c.table, err)
		}
	}
	return nil
}

// assignIDs reserves ids for the plans' students and goals and fills them
// in, with the student and parent ids that point at them.
func assignIDs(ctx context.Context, tx pgx.Tx, plans []*plan) error {
	studentIDs, err := reserveIDs(ctx, tx, "student", "id_student", len(plans))
	if err != nil {
		return err
	}
	goals := 0
	for _, p := range plans {
		goals += len(p.goals)
	}
	goalIDs, err := reserveIDs(ctx, tx, "goal", "id_goal", goals)
	if err != nil {
		return err
	}

	for i, p := range plans {
		p.setStudentID(studentIDs[i])
		for j := range p.goals {
			p.goals[j].row.ID, goalIDs = goalIDs[0], goalIDs[1:]
		}
		for j := range p.goals {
			if parent := p.goals[j].parent; parent >= 0 {
				p.goals[j].row.ParentID = p.goals[parent].row.ID
			}
		}
	}
	return nil
}

// reserveIDs takes n values from the identity sequence of table's column in
// one round trip, so rows can be copied with ids known beforehand. The
// values are unique across sessions, and a rolled-back transaction leaves a
// gap in the sequence as any rolled-back insert does.
func reserveIDs(ctx context.Context, tx pgx.Tx, table, column string, n int) ([]int64, error) {
	rows, err := tx.Query(ctx, "SELECT nextval(pg_get_serial_sequence($1, $2)) FROM generate_series(1, $3)",
		table, column, n)
	if err != nil {
		return nil, fmt.Errorf("reserve %d %s ids: %w", n, table, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("reserve %d %s ids: %w", n, table, err)
	}
	return ids, nil
}

func (p *plan) setStudentID(id int64) {
	p.student.ID = id
	for i := range p.assignments {
		p.assignments[i].StudentID = id
	}
	for i := range p.goals {
		p.goals[i].row.StudentID = id
	}
	for i := range p.notes {
		p.notes[i].StudentID = id
	}
}

func studentRows(plans []*plan) pgx.CopyFromSource {
	return pgx.CopyFromSlice(len(plans), func(i int) ([]any, error) {
		s := &plans[i].student
		return []any{s.ID, s.ProgramID, s.Identifier, s.ProgramYear,
			s.EnrollmentDate, s.ExpectedGrad, s.CreatedAt}, nil
	})
}

// rowsOf streams one row for each item that items returns for each plan.
func rowsOf[T any](plans []*plan, items func(*plan) []T, row func(*T) []any) pgx.CopyFromSource {
	i, j := 0, 0
	return pgx.CopyFromFunc(func() ([]any, error) {
		for i < len(plans) {
			if list := items(plans[i]); j < len(list) {
				j++
				return row(&list[j-1]), nil
			}
			i, j = i+1, 0
		}
		return nil, nil
	})
}

// entryRows streams the plans' entries, generating them one student at a
// time into a buffer that is reused.
func (g *generator) entryRows(plans []*plan) pgx.CopyFromSource {
	var buf []progress.Entry
	next, j := 0, 0
	return pgx.CopyFromFunc(func() ([]any, error) {
		for j == len(buf) {
			if next == len(plans) {
				return nil, nil
			}
			buf, j = g.entries(plans[next], buf[:0]), 0
			next++
		}
		j++
		return entryRow(&buf[j-1]), nil
	})
}

func assignmentRow(a *student.Assignment) []any {
	return []any{a.UserID, a.StudentID, a.AccessLevel, a.IsPrimary}
}

func goalRow(gp *goalPlan) []any {
	r := &gp.row
	return []any{r.ID, nullID(r.ParentID), r.StudentID, r.CreatedBy, r.Title,
		nullText(r.Description), r.Category, r.Status, r.Baseline, r.Target, nullText(r.Unit),
		nullTime(r.TargetDate), nullTime(r.ClosedAt), nullText(r.CloseNote), r.CreatedAt, r.UpdatedAt}
}

func noteRow(n *health.Note) []any {
	return []any{n.StudentID, n.CreatedBy, n.Content, n.CreatedAt}
}

func entryRow(e *progress.Entry) []any {
	return []any{e.StudentID, nullID(e.GoalID), e.CreatedBy, e.Content,
		e.IsSensitive, e.OccurredOn, e.Value, e.CreatedAt, e.UpdatedAt}
}

// nullID, nullText and nullTime turn zero values into SQL NULL, as the
// models' nullzero tags do.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
