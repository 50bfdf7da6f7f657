// Package health holds health and welfare notes about students: free text,
// restricted to the people allowed to read it, every read audited.
package health

import (
	"time"

	"github.com/uptrace/bun"
)

// Note is one health or welfare note about a student.
type Note struct {
	bun.BaseModel `bun:"table:health_note,alias:hn"`

	ID        int64     `bun:"id_health_note,pk,autoincrement"`
	StudentID int64     `bun:"id_student,nullzero"`
	CreatedBy int64     `bun:"id_user_created,nullzero"`
	Content   string    `bun:"content,nullzero"`
	CreatedAt time.Time `bun:"created_at,nullzero,default:now()"`
}
