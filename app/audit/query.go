package audit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// KnownActions lists the actions the log's filter offers, in the order of
// the constants above.
var KnownActions = []string{
	ActionSignIn, ActionSignInFailed, ActionLockout, ActionSignOut, ActionPasswordChange,
	ActionPasswordReset, ActionResetRequested, ActionUnlock, ActionUserCreated,
	ActionUserDeactivated, ActionRoleChange, ActionAssignment, ActionSensitiveRead,
	ActionHealthNoteRead, ActionExportRequested, ActionExportDownload, ActionProgramCreated,
	ActionProgramUpdated, ActionDistrictCreated, ActionDistrictUpdated, ActionRoleCreated,
	ActionCalendarChanged, ActionAuditExported, ActionStudentCreated, ActionStudentUpdated,
	ActionStudentMoved, ActionRosterImport, ActionUserUpdated, ActionUserActivated, ActionUserRoleChange,
	ActionInvitationSent, ActionPasswordResetForced, ActionMembershipChange, ActionCompileRequested,
}

// Filter narrows the log. Zero fields do not filter. DistrictID zero means
// every district: the caller decides whether the person may see them all.
type Filter struct {
	DistrictID int64
	// Email matches events whose actor's email contains it, ignoring case.
	Email  string
	Action string
	// RecordType and RecordID name the record an event is about.
	RecordType string
	RecordID   int64
	// Student matches the identifier of the event's student exactly,
	// ignoring case.
	Student string
	// From and To are days, both included, in UTC.
	From, To time.Time
	// BeforeID keeps events older than that id, for the next page.
	BeforeID int64
}

// Row is one event as the log shows it, with its student's identifier.
// ActorEmail falls back to the actor's current email when the event did
// not record one.
type Row struct {
	Event             `bun:",extend"`
	StudentIdentifier string `bun:"student_identifier"`
}

// Reader reads the audit log.
type Reader struct {
	db bun.IDB
}

// NewReader returns a Reader on db.
func NewReader(db bun.IDB) *Reader { return &Reader{db: db} }

// Page returns up to limit events matching f, newest first, and whether
// there are older ones.
func (r *Reader) Page(ctx context.Context, f Filter, limit int) ([]Row, bool, error) {
	var rows []Row
	err := r.query(f).Limit(int64(limit+1)).Scan(ctx, &rows)
	if err != nil {
		return nil, false, fmt.Errorf("read the audit log: %w", err)
	}
	if len(rows) > limit {
		return rows[:limit], true, nil
	}
	return rows, false, nil
}

// eachBatch is how many events Each reads per query.
const eachBatch = 500

// Each calls fn with every event matching f, newest first. It reads them
// in batches by id, so an export of the whole log never holds it in
// memory nor keeps one query open while the client reads slowly. It stops
// at fn's first error.
func (r *Reader) Each(ctx context.Context, f Filter, fn func(Row) error) error {
	for {
		rows, more, err := r.Page(ctx, f, eachBatch)
		if err != nil {
			return err
		}
		for _, row := range rows {
			if err := fn(row); err != nil {
				return err
			}
		}
		if !more {
			return nil
		}
		f.BeforeID = rows[len(rows)-1].ID
	}
}

func (r *Reader) query(f Filter) *bun.SelectQuery {
	q := r.db.NewSelect().Model((*Event)(nil)).
		ColumnExpr("ae.*").ColumnExpr("st.identifier AS student_identifier").
		ColumnExpr("coalesce(ae.actor_email, u.email) AS actor_email").
		Join("LEFT JOIN student AS st ON st.id_student = ae.id_student").
		Join(`LEFT JOIN "user" AS u ON u.id_user = ae.id_user`).
		OrderExpr("ae.id_audit_event DESC")
	if f.DistrictID != 0 {
		q = q.Where("ae.id_school_district = ?", f.DistrictID)
	}
	if f.Email != "" {
		// Events written without the email name their actor by id only.
		q = q.Where("coalesce(ae.actor_email, u.email) ILIKE ? ESCAPE '\\'", "%"+escapeLike(f.Email)+"%")
	}
	if f.Action != "" {
		q = q.Where("ae.action = ?", f.Action)
	}
	if f.RecordType != "" {
		q = q.Where("ae.record_type = ?", f.RecordType)
	}
	if f.RecordID != 0 {
		q = q.Where("ae.record_id = ?", f.RecordID)
	}
	if f.Student != "" {
		q = q.Where("lower(st.identifier) = lower(?)", f.Student)
	}
	if !f.From.IsZero() {
		q = q.Where("ae.occurred_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("ae.occurred_at < ?", f.To.AddDate(0, 0, 1))
	}
	if f.BeforeID != 0 {
		q = q.Where("ae.id_audit_event < ?", f.BeforeID)
	}
	return q
}

// escapeLike makes the LIKE wildcards of s match themselves.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
