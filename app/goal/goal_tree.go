package goal

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/db"
)

// Service reads and changes goals.
type Service struct {
	db bun.IDB
	// pool runs the inline edit as a prepared statement.
	pool *pgxpool.Pool
}

// NewService returns a Service on d.
func NewService(d *db.DB) *Service { return &Service{db: d.DB, pool: d.Pool} }

// Point is one measured value of a goal.
type Point struct {
	Day   time.Time `json:"d"`
	Value float64   `json:"v"`
}

// Node is a goal as the student page shows it: the goal, its sub-goals,
// its latest value and measured points, how many entries it has, and what
// the person asking may do with it.
type Node struct {
	Goal
	LatestValue *float64 `bun:"latest_value"`
	EntryCount  int      `bun:"entry_count"`
	PointsJSON  []byte   `bun:"points"`
	CanUpdate   bool     `bun:"can_update"`
	CanDelete   bool     `bun:"can_delete"`
	Points      []Point  `bun:"-"`
	Children    []*Node  `bun:"-"`
}

// Tree returns the goals of a student that who may read, with sub-goals
// nested under their parents, both in the order they were created. One
// query reads them all, with their latest values, points and permissions.
// A student without goals gives an empty slice.
func (s *Service) Tree(ctx context.Context, who *access.Principal, studentID int64) ([]*Node, error) {
	var all []*Node
	q := s.db.NewSelect().
		TableExpr("goal AS g").
		Join("JOIN student AS st ON st.id_student = g.id_student").
		ColumnExpr("g.*").
		ColumnExpr(`(SELECT pe.value FROM progress_event AS pe WHERE pe.id_goal = g.id_goal
			AND pe.value IS NOT NULL ORDER BY pe.occurred_on DESC, pe.id_progress_event DESC
			LIMIT 1) AS latest_value`).
		ColumnExpr(`(SELECT count(*) FROM progress_event AS pe WHERE pe.id_goal = g.id_goal) AS entry_count`).
		ColumnExpr(`CASE WHEN g.unit IS NULL THEN NULL ELSE
			(SELECT json_agg(json_build_object('d', pe.occurred_on, 'v', pe.value)
				ORDER BY pe.occurred_on, pe.id_progress_event)
			FROM progress_event AS pe WHERE pe.id_goal = g.id_goal AND pe.value IS NOT NULL) END AS points`).
		ColumnExpr("EXISTS (?) AS can_update",
			access.Allows(s.db, who, "goal", "update", "g.id_student", "g.id_user_created")).
		ColumnExpr("EXISTS (?) AS can_delete",
			access.Allows(s.db, who, "goal", "delete", "g.id_student", "g.id_user_created")).
		Where("g.id_student = ?", studentID).
		OrderExpr("g.created_at, g.id_goal")
	q = access.Filter(q, who, "goal", "read", access.Target{StudentAlias: "st",
		CreatorColumn: "g.id_user_created"})
	if err := q.Scan(ctx, &all); err != nil {
		return nil, fmt.Errorf("load goals of student %d: %w", studentID, err)
	}
	for _, n := range all {
		if err := n.decodePoints(); err != nil {
			return nil, err
		}
	}
	return nest(all), nil
}

func (n *Node) decodePoints() error {
	if len(n.PointsJSON) == 0 {
		return nil
	}
	var raw []struct {
		D string  `json:"d"`
		V float64 `json:"v"`
	}
	if err := json.Unmarshal(n.PointsJSON, &raw); err != nil {
		return fmt.Errorf("read points of goal %d: %w", n.ID, err)
	}
	for _, r := range raw {
		day, err := time.Parse(time.DateOnly, r.D)
		if err != nil {
			return fmt.Errorf("read points of goal %d: %w", n.ID, err)
		}
		n.Points = append(n.Points, Point{Day: day, Value: r.V})
	}
	return nil
}

// nest hangs each goal under its parent. A goal whose parent is not in the
// list (one the person may not read) is shown at the top level rather than
// lost.
func nest(all []*Node) []*Node {
	byID := make(map[int64]*Node, len(all))
	for _, n := range all {
		byID[n.ID] = n
	}
	var top []*Node
	for _, n := range all {
		if parent, ok := byID[n.ParentID]; ok && n.ParentID != 0 {
			parent.Children = append(parent.Children, n)
			continue
		}
		top = append(top, n)
	}
	return top
}
