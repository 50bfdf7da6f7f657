// Package goal holds students' goals and their sub-goals, and the rules for
// editing, closing and deleting them.
package goal

import (
	"time"

	"github.com/uptrace/bun"

	"goaltracker/app/progress"
)

// Statuses of a goal. Only an active goal takes new entries.
const (
	StatusActive       = "active"
	StatusMet          = "met"
	StatusNotMet       = "not_met"
	StatusDiscontinued = "discontinued"
)

// Goal is a student goal. A goal with a parent is a sub-goal (a benchmark
// or objective of its parent). A goal with a unit is measurable: its
// entries carry values, drawn against the aim line from Baseline to Target.
type Goal struct {
	bun.BaseModel `bun:"table:goal,alias:g"`

	ID          int64             `bun:"id_goal,pk,autoincrement"`
	ParentID    int64             `bun:"id_goal_parent,nullzero"`
	Parent      *Goal             `bun:"rel:belongs-to,join:id_goal_parent=id_goal"`
	SubGoals    []*Goal           `bun:"rel:has-many,join:id_goal=id_goal_parent"`
	StudentID   int64             `bun:"id_student,nullzero"`
	CreatedBy   int64             `bun:"id_user_created,nullzero"`
	Title       string            `bun:"title,nullzero"`
	Description string            `bun:"description,nullzero"`
	Category    string            `bun:"category,nullzero"`
	Status      string            `bun:"status,notnull,default:'active'"`
	Baseline    *float64          `bun:"baseline_value"`
	Target      *float64          `bun:"target_value"`
	Unit        string            `bun:"unit,nullzero"`
	TargetDate  time.Time         `bun:"target_date,type:date,nullzero"`
	ClosedAt    time.Time         `bun:"closed_at,nullzero"`
	CloseNote   string            `bun:"close_note,nullzero"`
	CreatedAt   time.Time         `bun:"created_at,nullzero,default:now()"`
	UpdatedAt   time.Time         `bun:"updated_at,nullzero,default:now()"`
	Entries     []*progress.Entry `bun:"rel:has-many,join:id_goal=id_goal"`
}

// IsMeasurable reports whether the goal is tracked by numbers.
func (g *Goal) IsMeasurable() bool { return g.Unit != "" }
