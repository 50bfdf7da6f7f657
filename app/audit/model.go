// Package audit records who did what to which record, and who read
// sensitive content. Events are only ever added.
package audit

import (
	"time"

	"github.com/uptrace/bun"
)

// Event is one line of the audit log. It never holds a password, a token
// or the content of a sensitive record.
type Event struct {
	bun.BaseModel `bun:"table:audit_event,alias:ae"`

	ID         int64          `bun:"id_audit_event,pk,autoincrement"`
	OccurredAt time.Time      `bun:"occurred_at,nullzero,default:now()"`
	UserID     int64          `bun:"id_user,nullzero"`
	ActorEmail string         `bun:"actor_email,nullzero"`
	DistrictID int64          `bun:"id_school_district,nullzero"`
	Action     string         `bun:"action,notnull"`
	RecordType string         `bun:"record_type,nullzero"`
	RecordID   int64          `bun:"record_id,nullzero"`
	StudentID  int64          `bun:"id_student,nullzero"`
	IP         string         `bun:"ip,nullzero"`
	Details    map[string]any `bun:"details,type:jsonb"`
}
