package goal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

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

// Update changes one field of goal id. It returns an error wrapping
// problem.ErrConflict when the goal changed since e.Version, and a
// *problem.Invalid for a value that does not fit the field. Closing a goal
// (met, not met, discontinued) needs a close note; reopening clears it.
//
// The permission check is part of the UPDATE, so a successful edit costs
// one statement; only a refused one asks again to say why.
func (s *Service) Update(ctx context.Context, who *access.Principal, id int64, e Edit) (*Goal, error) {
	q := s.db.NewUpdate().TableExpr("goal AS g").Set("updated_at = now()").
		Where("g.id_goal = ?", id).
		Where("EXISTS (?)", access.Allows(s.db, who, "goal", "update", "g.id_student", "g.id_user_created"))
	q, err := setField(q, e)
	if err != nil {
		return nil, err
	}
	if !e.Version.IsZero() {
		q = q.Where("g.updated_at = ?", e.Version)
	}

	g := new(Goal)
	err = q.Returning("g.*").Scan(ctx, g)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, s.whyNotUpdated(ctx, who, id)
	}
	if err != nil {
		return nil, fmt.Errorf("update goal %d: %w", id, err)
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

// setField validates e and adds its assignment to q.
func setField(q *bun.UpdateQuery, e Edit) (*bun.UpdateQuery, error) {
	inv := problem.NewInvalid()
	switch e.Field {
	case "title":
		q = q.Set("title = ?", text(inv, "value", "A title", e.Value, 255, true))
	case "description":
		q = q.Set("description = NULLIF(?, '')", text(inv, "value", "The description", e.Value, 5000, false))
	case "category":
		q = q.Set("category = NULLIF(?, '')", text(inv, "value", "The category", e.Value, 100, false))
	case "unit":
		q = q.Set("unit = NULLIF(?, '')", text(inv, "value", "The unit", e.Value, 50, false))
	case "baseline":
		q = q.Set("baseline_value = ?", number(inv, "value", "The baseline", e.Value))
	case "target":
		q = q.Set("target_value = ?", number(inv, "value", "The target", e.Value))
	case "target_date":
		d := day(inv, "value", "The target date", e.Value)
		q = q.Set("target_date = ?", nullDay(d))
	case "status":
		q = setStatus(q, inv, e)
	default:
		return nil, fmt.Errorf("update goal field %q: %w", e.Field, problem.ErrNotFound)
	}
	return q, inv.Err()
}

func setStatus(q *bun.UpdateQuery, inv *problem.Invalid, e Edit) *bun.UpdateQuery {
	status := strings.TrimSpace(e.Value)
	switch {
	case status == StatusActive:
		return q.Set("status = ?", status).Set("closed_at = NULL").Set("close_note = NULL")
	case IsClosing(status):
		note := text(inv, "close_note", "A close note", e.CloseNote, 2000, true)
		return q.Set("status = ?", status).Set("closed_at = now()").Set("close_note = ?", note)
	}
	inv.Add("value", "Choose active, met, not met or discontinued.")
	return q
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
