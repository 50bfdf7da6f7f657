package audit

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Actions recorded in the audit log. The names are stable: reports and
// filters rely on them.
const (
	ActionSignIn          = "sign_in"
	ActionSignInFailed    = "sign_in_failed"
	ActionLockout         = "lockout"
	ActionSignOut         = "sign_out"
	ActionPasswordChange  = "password_change"
	ActionPasswordReset   = "password_reset"
	ActionResetRequested  = "password_reset_requested"
	ActionUnlock          = "unlock"
	ActionUserCreated     = "user_created"
	ActionUserDeactivated = "user_deactivated"
	ActionRoleChange      = "role_change"
	ActionAssignment      = "assignment_change"
	ActionSensitiveRead   = "sensitive_read"
	ActionHealthNoteRead  = "health_note_read"
	ActionExportRequested = "export_requested"
	ActionExportDownload  = "export_download"
	// ActionCompileRequested is a person asking for a compile now; the
	// nightly ones are River's and not audited.
	ActionCompileRequested = "compile_requested"
	ActionStudentCreated   = "student_created"
	ActionStudentUpdated   = "student_updated"
	ActionStudentMoved     = "student_moved"
	ActionRosterImport     = "roster_import"

	// Staff administration. A role change of one account is
	// user_role_change; role_change is left to changes of a role's grants.
	ActionUserUpdated         = "user_updated"
	ActionUserActivated       = "user_activated"
	ActionUserRoleChange      = "user_role_change"
	ActionInvitationSent      = "invitation_sent"
	ActionPasswordResetForced = "password_reset_forced"
	ActionMembershipChange    = "membership_change"

	// Administration of programs, districts, roles, the calendar and the
	// log itself.
	ActionProgramCreated  = "program_created"
	ActionProgramUpdated  = "program_updated"
	ActionDistrictCreated = "district_created"
	ActionDistrictUpdated = "district_updated"
	ActionRoleCreated     = "role_created"
	ActionCalendarChanged = "calendar_changed"
	ActionAuditExported   = "audit_exported"
)

// Log writes audit events.
type Log struct {
	db bun.IDB
}

// NewLog returns a Log writing through db, which may be a transaction so
// that the event commits or rolls back with the change it records.
func NewLog(db bun.IDB) *Log { return &Log{db: db} }

// Record adds e to the log. OccurredAt defaults to now.
func (l *Log) Record(ctx context.Context, e *Event) error {
	if _, err := l.db.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("record audit event %s: %w", e.Action, err)
	}
	return nil
}
