package goal

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Service reads and changes goals.
type Service struct {
	db bun.IDB
}

// NewService returns a Service on db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// Tree returns the goals of a student with their sub-goals nested under
// them, both in the order they were created. It reads all of them in one
// query. A student without goals gives an empty slice. It does not check
// access: callers authorise the student first.
func (s *Service) Tree(ctx context.Context, studentID int64) ([]*Goal, error) {
	var all []*Goal
	err := s.db.NewSelect().Model(&all).
		Where("g.id_student = ?", studentID).
		OrderExpr("g.created_at, g.id_goal").
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load goals of student %d: %w", studentID, err)
	}
	return nest(all), nil
}

// nest hangs each goal under its parent. A goal whose parent is not in the
// list (which the schema does not prevent) is shown at the top level
// rather than lost.
func nest(all []*Goal) []*Goal {
	byID := make(map[int64]*Goal, len(all))
	for _, g := range all {
		byID[g.ID] = g
	}
	var top []*Goal
	for _, g := range all {
		if parent, ok := byID[g.ParentID]; ok && g.ParentID != 0 {
			parent.SubGoals = append(parent.SubGoals, g)
			continue
		}
		top = append(top, g)
	}
	return top
}
