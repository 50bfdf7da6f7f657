package goal

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/problem"
)

// Edit is a new value for one field of a goal, and the goal's updated_at
// when the person began editing. A zero Version applies the edit whatever
// changed in between: the "apply mine anyway" of a conflict.
type Edit struct {
	Field     string
	Value     string
	CloseNote string
	Version   time.Time
}

// Create adds a goal for a student, or a sub-goal under parentID (zero for
// a top-level goal). Sub-goals are one level deep: the parent must be a
// top-level goal of the same student. Bad input is a *problem.Invalid.
func (s *Service) Create(ctx context.Context, who *access.Principal, studentID, parentID int64,
	d Draft) (*Goal, error) {
	if err := access.NewChecker(s.db).Authorize(ctx, who, "create", access.StudentAs("goal", studentID)); err != nil {
		return nil, err
	}
	g, err := d.parse()
	if err != nil {
		return nil, err
	}
	if parentID != 0 {
		ok, err := s.db.NewSelect().Model((*Goal)(nil)).
			Where("id_goal = ? AND id_student = ? AND id_goal_parent IS NULL", parentID, studentID).
			Exists(ctx)
		if err != nil {
			return nil, fmt.Errorf("check parent goal %d: %w", parentID, err)
		}
		if !ok {
			return nil, fmt.Errorf("add sub-goal under goal %d: %w", parentID, problem.ErrNotFound)
		}
	}

	g.StudentID, g.ParentID, g.CreatedBy = studentID, parentID, who.UserID
	if _, err := s.db.NewInsert().Model(g).Returning("*").Exec(ctx); err != nil {
		return nil, fmt.Errorf("add goal for student %d: %w", studentID, err)
	}
	return g, nil
}

// Update changes one field of goal id and returns the goal as far as the
// edit goes: its id and new version, and the columns the edit wrote, which
// is all the field needs to be shown again; the other fields are left
// empty. It returns an error wrapping problem.ErrConflict when
// the goal changed since e.Version, and a *problem.Invalid for a value
// that does not fit the field. Closing a goal (met, not met,
// discontinued) needs a close note; reopening clears it.
//
// The permission check is part of the UPDATE, so a successful edit costs
// one statement; only a refused one asks again to say why.
func (s *Service) Update(ctx context.Context, who *access.Principal, id int64, e Edit) (*Goal, error) {
	sets, err := assignments(e)
	if err != nil {
		return nil, err
	}
	// Sent through pgx with $n placeholders, the statement's text is the
	// same for every edit of a field by a role, so each connection plans it
	// once: an inline edit is the commonest write of the day.
	args := []any{id}
	var b strings.Builder
	b.WriteString("UPDATE goal AS g SET updated_at = now()")
	for _, a := range sets {
		b.WriteString(", " + a.column + " = ")
		if a.expr != "" {
			b.WriteString(a.expr)
			continue
		}
		args = append(args, a.value)
		b.WriteString("$" + strconv.Itoa(len(args)))
	}
	b.WriteString(" WHERE g.id_goal = $1")
	if !e.Version.IsZero() {
		args = append(args, e.Version)
		b.WriteString(" AND g.updated_at = $" + strconv.Itoa(len(args)))
	}
	var allowed string
	allowed, args = access.AllowsSQL(who, "goal", "update", "g.id_student", "g.id_user_created", args)
	b.WriteString(" AND " + allowed + " RETURNING g.updated_at")
	g := &Goal{ID: id}
	dest := []any{&g.UpdatedAt}
	var fill []func()
	for _, a := range sets {
		b.WriteString(", g." + a.column)
		d, f := g.scanColumn(a.column)
		dest = append(dest, d)
		fill = append(fill, f)
	}

	err = s.pool.QueryRow(ctx, b.String(), args...).Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, s.whyNotUpdated(ctx, who, id)
	}
	if err != nil {
		return nil, fmt.Errorf("update goal %d: %w", id, err)
	}
	for _, f := range fill {
		f()
	}
	return g, nil
}

// whyNotUpdated tells a refused update from a stale one: missing or
// forbidden goals get their own errors, anything else was a conflict.
func (s *Service) whyNotUpdated(ctx context.Context, who *access.Principal, id int64) error {
	if err := access.NewChecker(s.db).Authorize(ctx, who, "update", access.GoalRecord(id)); err != nil {
		return err
	}
	return fmt.Errorf("update goal %d: %w", id, problem.ErrConflict)
}

// assignment is one column an edit sets: to value, or to expr when the
// new value is SQL (now(), NULL).
type assignment struct {
	column string
	value  any
	expr   string
}

// assignments validates e and returns the columns it sets.
func assignments(e Edit) ([]assignment, error) {
	inv := problem.NewInvalid()
	var out []assignment
	set := func(column string, value any) { out = append(out, assignment{column: column, value: value}) }
	switch e.Field {
	case "title":
		set("title", text(inv, "value", "A title", e.Value, 255, true))
	case "description":
		set("description", nullText(text(inv, "value", "The description", e.Value, 5000, false)))
	case "category":
		set("category", nullText(text(inv, "value", "The category", e.Value, 100, false)))
	case "unit":
		set("unit", nullText(text(inv, "value", "The unit", e.Value, 50, false)))
	case "baseline":
		set("baseline_value", number(inv, "value", "The baseline", e.Value))
	case "target":
		set("target_value", number(inv, "value", "The target", e.Value))
	case "target_date":
		set("target_date", nullDay(day(inv, "value", "The target date", e.Value)))
	case "status":
		out = statusAssignments(inv, e)
	default:
		return nil, fmt.Errorf("update goal field %q: %w", e.Field, problem.ErrNotFound)
	}
	return out, inv.Err()
}

func statusAssignments(inv *problem.Invalid, e Edit) []assignment {
	status := strings.TrimSpace(e.Value)
	switch {
	case status == StatusActive:
		return []assignment{{column: "status", value: status},
			{column: "closed_at", expr: "NULL"}, {column: "close_note", expr: "NULL"}}
	case IsClosing(status):
		note := text(inv, "close_note", "A close note", e.CloseNote, 2000, true)
		return []assignment{{column: "status", value: status},
			{column: "closed_at", expr: "now()"}, {column: "close_note", value: note}}
	}
	inv.Add("value", "Choose active, met, not met or discontinued.")
	return nil
}

// nullText stores an empty text as NULL.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// scanColumn returns where to scan column of a goal row, and what then
// moves the value into g (NULLs become empty values).
func (g *Goal) scanColumn(column string) (any, func()) {
	var text *string
	var day *time.Time
	switch column {
	case "title":
		return &text, func() { g.Title = deref(text) }
	case "description":
		return &text, func() { g.Description = deref(text) }
	case "category":
		return &text, func() { g.Category = deref(text) }
	case "unit":
		return &text, func() { g.Unit = deref(text) }
	case "status":
		return &g.Status, func() {}
	case "close_note":
		return &text, func() { g.CloseNote = deref(text) }
	case "baseline_value":
		return &g.Baseline, func() {}
	case "target_value":
		return &g.Target, func() {}
	case "target_date":
		return &day, func() { g.TargetDate = deref(day) }
	case "closed_at":
		return &day, func() { g.ClosedAt = deref(day) }
	}
	panic("goal: no scan target for column " + column)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func nullDay(d time.Time) any {
	if d.IsZero() {
		return nil
	}
	return d.Format(time.DateOnly)
}

// Delete removes goal id and its sub-goals, which only a goal without
// entries (its own or its sub-goals') may be: a goal with entries is closed
// or discontinued instead, and trying answers a *problem.Invalid saying so.
func (s *Service) Delete(ctx context.Context, who *access.Principal, id int64) error {
	if err := access.NewChecker(s.db).Authorize(ctx, who, "delete", access.GoalRecord(id)); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		family := tx.NewSelect().Model((*Goal)(nil)).Column("id_goal").
			Where("id_goal = ? OR id_goal_parent = ?", id, id)
		used, err := tx.NewSelect().Table("progress_event").Where("id_goal IN (?)", family).Exists(ctx)
		if err != nil {
			return fmt.Errorf("check entries of goal %d: %w", id, err)
		}
		if used {
			inv := problem.NewInvalid()
			inv.Form = "This goal has progress entries, so it stays on record: close it or mark it discontinued instead."
			return inv
		}
		if _, err := tx.NewDelete().Table("progress_report").Where("id_goal IN (?)", family).Exec(ctx); err != nil {
			return fmt.Errorf("delete reports of goal %d: %w", id, err)
		}
		if _, err := tx.NewDelete().Model((*Goal)(nil)).Where("id_goal_parent = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("delete sub-goals of goal %d: %w", id, err)
		}
		if _, err := tx.NewDelete().Model((*Goal)(nil)).Where("id_goal = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("delete goal %d: %w", id, err)
		}
		return nil
	})
}
