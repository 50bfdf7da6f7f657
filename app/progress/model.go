// Package progress holds the progress log: dated entries about a student's
// goal, some of them sensitive.
package progress

import (
	"time"

	"github.com/uptrace/bun"
)

// Entry is one logged observation about a student, usually on one goal.
// OccurredOn is the school day it belongs to, which may be earlier than
// CreatedAt. Value is set only for measurable goals. A sensitive entry's
// content is shown only to those allowed to read it.
type Entry struct {
	bun.BaseModel `bun:"table:progress_event,alias:pe"`

	ID          int64     `bun:"id_progress_event,pk,autoincrement"`
	StudentID   int64     `bun:"id_student,nullzero"`
	GoalID      int64     `bun:"id_goal,nullzero"`
	CreatedBy   int64     `bun:"id_user_created,nullzero"`
	Content     string    `bun:"content,nullzero"`
	IsSensitive bool      `bun:"is_sensitive,notnull,default:false"`
	OccurredOn  time.Time `bun:"occurred_on,type:date,notnull"`
	Value       *float64  `bun:"value"`
	CreatedAt   time.Time `bun:"created_at,nullzero,default:now()"`
	UpdatedAt   time.Time `bun:"updated_at,nullzero,default:now()"`
}
