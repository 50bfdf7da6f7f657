package goal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"goaltracker/app/access"
	"goaltracker/app/problem"
)

// Get returns goal id with its latest value, points and permissions, if who
// may read it. A goal that does not exist or that who may not read is an
// error wrapping problem.ErrNotFound. Sub-goals are not loaded.
func (s *Service) Get(ctx context.Context, who *access.Principal, id int64) (*Node, error) {
	var nodes []*Node
	q := s.db.NewSelect().
		TableExpr("goal AS g").
		Join("JOIN student AS st ON st.id_student = g.id_student").
		ColumnExpr("g.*").
		ColumnExpr(`(SELECT pe.value FROM progress_event AS pe WHERE pe.id_goal = g.id_goal
			AND pe.value IS NOT NULL ORDER BY pe.occurred_on DESC, pe.id_progress_event DESC
			LIMIT 1) AS latest_value`).
		ColumnExpr(`(SELECT count(*) FROM progress_event AS pe WHERE pe.id_goal = g.id_goal) AS entry_count`).
		ColumnExpr(`(SELECT json_agg(json_build_object('d', pe.occurred_on, 'v', pe.value)
				ORDER BY pe.occurred_on, pe.id_progress_event)
			FROM progress_event AS pe WHERE pe.id_goal = g.id_goal AND pe.value IS NOT NULL) AS points`).
		ColumnExpr("EXISTS (?) AS can_update",
			access.Allows(s.db, who, "goal", "update", "g.id_student", "g.id_user_created")).
		ColumnExpr("EXISTS (?) AS can_delete",
			access.Allows(s.db, who, "goal", "delete", "g.id_student", "g.id_user_created")).
		Where("g.id_goal = ?", id)
	q = access.Filter(q, who, "goal", "read", access.Target{StudentAlias: "st",
		CreatorColumn: "g.id_user_created"})
	err := q.Scan(ctx, &nodes)
	if err == nil && len(nodes) == 0 {
		err = sql.ErrNoRows
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("load goal %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load goal %d: %w", id, err)
	}
	n := nodes[0]
	if err := n.decodePoints(); err != nil {
		return nil, err
	}
	return n, nil
}

// SubGoals returns the sub-goals of goal id, oldest first. It does not
// check access: callers load the parent with Get first.
func (s *Service) SubGoals(ctx context.Context, id int64) ([]*Goal, error) {
	var subs []*Goal
	err := s.db.NewSelect().Model(&subs).Where("g.id_goal_parent = ?", id).
		OrderExpr("g.created_at, g.id_goal").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load sub-goals of goal %d: %w", id, err)
	}
	return subs, nil
}
