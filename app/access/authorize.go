package access

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"goaltracker/app/problem"
)

// Record names one row to authorise: the permission resource it falls
// under, its table, its key column and id, and the column holding its
// author for the own scope (empty when it has none). Every record is
// checked by joining it to its student, never by trusting its id alone.
type Record struct {
	Resource      string
	Table         string
	IDColumn      string
	ID            int64
	CreatorColumn string
}

// Records of each kind, by id.
func StudentRecord(id int64) Record {
	return Record{Resource: "student", Table: "student", IDColumn: "id_student", ID: id}
}

// GoalRecord is the goal with id.
func GoalRecord(id int64) Record {
	return Record{Resource: "goal", Table: "goal", IDColumn: "id_goal", ID: id,
		CreatorColumn: "id_user_created"}
}

// EntryRecord is the progress entry with id.
func EntryRecord(id int64) Record {
	return Record{Resource: "entry", Table: "progress_event", IDColumn: "id_progress_event", ID: id,
		CreatorColumn: "id_user_created"}
}

// HealthNoteRecord is the health note with id.
func HealthNoteRecord(id int64) Record {
	return Record{Resource: "health_note", Table: "health_note", IDColumn: "id_health_note", ID: id,
		CreatorColumn: "id_user_created"}
}

// ReportRecord is the progress report with id.
func ReportRecord(id int64) Record {
	return Record{Resource: "report", Table: "progress_report", IDColumn: "id_progress_report", ID: id}
}

// Checker answers whether a principal may act on one record.
type Checker struct {
	db bun.IDB
}

// NewChecker returns a Checker reading through db.
func NewChecker(db bun.IDB) *Checker { return &Checker{db: db} }

// Authorize returns nil when p may do action on rec (under rec's resource;
// pass resource to check another, such as sensitive_entry on an entry).
// It returns an error wrapping problem.ErrNotFound when the record does not
// exist or p may not even read it, so that ids outside one's scope are
// indistinguishable from missing ones, and problem.ErrForbidden when p may
// read the record but not do action.
func (c *Checker) Authorize(ctx context.Context, p *Principal, action string, rec Record) error {
	ok, err := c.allowed(ctx, p, rec.Resource, action, rec)
	if err != nil || ok {
		return err
	}
	if action != "read" {
		readable, err := c.allowed(ctx, p, rec.Resource, "read", rec)
		if err != nil {
			return err
		}
		if readable {
			return fmt.Errorf("%s %s %d: %w", action, rec.Table, rec.ID, problem.ErrForbidden)
		}
	}
	return fmt.Errorf("%s %s %d: %w", action, rec.Table, rec.ID, problem.ErrNotFound)
}

// Allowed reports whether p may do action on resource for rec, without
// telling missing records from forbidden ones.
func (c *Checker) Allowed(ctx context.Context, p *Principal, resource, action string, rec Record) (bool, error) {
	return c.allowed(ctx, p, resource, action, rec)
}

func (c *Checker) allowed(ctx context.Context, p *Principal, resource, action string, rec Record) (bool, error) {
	if !p.Can(resource, action) {
		return false, nil
	}
	// Every record kind carries id_student, so one join reaches the student
	// (for a student, the join is with itself).
	q := c.db.NewSelect().
		TableExpr("? AS rec", bun.Ident(rec.Table)).
		Join("JOIN student AS st ON st.id_student = rec.id_student").
		Where("rec.? = ?", bun.Ident(rec.IDColumn), rec.ID)
	t := Target{StudentAlias: "st"}
	if rec.CreatorColumn != "" {
		t.CreatorColumn = "rec." + rec.CreatorColumn
	}
	exists, err := Filter(q, p, resource, action, t).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("authorise %s on %s %d: %w", action, rec.Table, rec.ID, err)
	}
	return exists, nil
}
