// Package assignment gives staff access to students: who is assigned to
// which student, as an editor or a viewer, and who is the student's
// primary. Changes need assignment.manage over the student's program.
package assignment

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/problem"
)

// Access levels. A viewer reads the student but changes nothing, whatever
// the role allows.
const (
	LevelEditor = "editor"
	LevelViewer = "viewer"
)

// Row is one assignment with what the pages show of its student and its
// account.
type Row struct {
	StudentID   int64  `bun:"id_student"`
	Identifier  string `bun:"identifier"`
	ProgramID   int64  `bun:"id_program"`
	ProgramName string `bun:"program_name"`
	UserID      int64  `bun:"id_user"`
	UserName    string `bun:"user_name"`
	UserEmail   string `bun:"user_email"`
	RoleName    string `bun:"role_name"`
	UserActive  bool   `bun:"user_active"`
	AccessLevel string `bun:"access_level"`
	IsPrimary   bool   `bun:"is_primary"`
	// IsAssigned is false for the candidates StaffOf returns: active
	// accounts of the district not assigned to the student.
	IsAssigned bool `bun:"is_assigned"`
}

// Service reads and changes assignments.
type Service struct {
	db *bun.DB
}

// NewService returns a Service on db.
func NewService(db *bun.DB) *Service { return &Service{db: db} }

// Student is what a change needs to know of its student.
type Student struct {
	ID         int64  `bun:"id_student"`
	Identifier string `bun:"identifier"`
	ProgramID  int64  `bun:"id_program"`
	DistrictID int64  `bun:"id_school_district"`
}

// Covers reports whether who may manage the assignments of a student of
// programID in districtID.
func Covers(who *access.Principal, districtID, programID int64) bool {
	return who.CanScope("assignment", "manage", districtID, programID)
}

// ForUser returns the assignments of account userID to students whose
// staff who manages, by student identifier. The caller has checked that it
// may see the account.
func (s *Service) ForUser(ctx context.Context, who *access.Principal, userID int64) ([]Row, error) {
	var rows []Row
	q := rowQuery(s.db).Where("us.id_user = ?", userID)
	err := covered(q, who).OrderExpr("st.identifier, st.id_student").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("list assignments of user %d: %w", userID, err)
	}
	return rows, nil
}

// covered narrows q, which joins student st and program p, to the
// students whose staff who manages: the SQL form of Covers.
func covered(q *bun.SelectQuery, who *access.Principal) *bun.SelectQuery {
	added := 0
	q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, scope := range who.Scopes("assignment", "manage") {
			switch {
			case scope == access.ScopeAll:
				q = q.WhereOr("true")
			case scope == access.ScopeDistrict:
				q = q.WhereOr("p.id_school_district = ?", who.DistrictID)
			case scope == access.ScopeProgram && len(who.ProgramIDs) > 0:
				q = q.WhereOr("p.id_school_district = ? AND st.id_program IN (?)",
					who.DistrictID, bun.List(who.ProgramIDs))
			default:
				continue
			}
			added++
		}
		return q
	})
	if added == 0 {
		return q.Where("false")
	}
	return q
}

// StaffOf returns, in one statement, the staff assigned to student (the
// primary first) followed by the active accounts of districtID that are
// not, as candidates with IsAssigned false.
func (s *Service) StaffOf(ctx context.Context, studentID, districtID int64) ([]Row, error) {
	var rows []Row
	err := s.db.NewSelect().TableExpr(`"user" AS u`).
		Join("LEFT JOIN role AS r ON r.id_role = u.id_role").
		Join("LEFT JOIN user_student AS us ON us.id_user = u.id_user AND us.id_student = ?", studentID).
		ColumnExpr("? AS id_student, u.id_user, u.name AS user_name, u.email AS user_email", studentID).
		ColumnExpr("r.name AS role_name, u.is_active AS user_active").
		ColumnExpr("coalesce(us.access_level, '') AS access_level").
		ColumnExpr("coalesce(us.is_primary, false) AS is_primary").
		ColumnExpr("us.id_user_student IS NOT NULL AS is_assigned").
		Where("us.id_user_student IS NOT NULL OR (u.is_active AND u.id_school_district = ?)", districtID).
		OrderExpr("us.id_user_student IS NULL, us.is_primary DESC, lower(u.name), u.id_user").
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("list staff of student %d: %w", studentID, err)
	}
	return rows, nil
}

func rowQuery(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().TableExpr("user_student AS us").
		Join("JOIN student AS st ON st.id_student = us.id_student").
		Join("JOIN program AS p ON p.id_program = st.id_program").
		Join(`JOIN "user" AS u ON u.id_user = us.id_user`).
		Join("LEFT JOIN role AS r ON r.id_role = u.id_role").
		ColumnExpr("st.id_student, st.identifier, st.id_program, p.name AS program_name").
		ColumnExpr("u.id_user, u.name AS user_name, u.email AS user_email, r.name AS role_name").
		ColumnExpr("u.is_active AS user_active, coalesce(us.access_level, '') AS access_level").
		ColumnExpr("coalesce(us.is_primary, false) AS is_primary, true AS is_assigned")
}

// StudentFor returns student id when who may manage its assignments, and
// an error wrapping problem.ErrNotFound otherwise, as for a missing one.
func (s *Service) StudentFor(ctx context.Context, who *access.Principal, id int64) (*Student, error) {
	return studentFor(ctx, s.db, who, id, false)
}

func studentFor(ctx context.Context, db bun.IDB, who *access.Principal, id int64, lock bool) (*Student, error) {
	var sts []Student
	q := db.NewSelect().TableExpr("student AS st").
		Join("JOIN program AS p ON p.id_program = st.id_program").
		ColumnExpr("st.id_student, st.identifier, st.id_program, p.id_school_district").
		Where("st.id_student = ?", id)
	if lock {
		// Changes to one student's staff take turns, so that two people
		// making different staff primary cannot both clear and set.
		q = q.For("UPDATE OF st")
	}
	if err := q.Scan(ctx, &sts); err != nil {
		return nil, fmt.Errorf("load student %d: %w", id, err)
	}
	if len(sts) == 0 || !Covers(who, sts[0].DistrictID, sts[0].ProgramID) {
		return nil, fmt.Errorf("load student %d: %w", id, problem.ErrNotFound)
	}
	return &sts[0], nil
}

// record writes an assignment_change event inside tx.
func record(ctx context.Context, tx bun.Tx, who *access.Principal, st *Student, userID int64,
	details map[string]any) error {
	details["user"] = userID
	return audit.NewLog(tx).Record(ctx, &audit.Event{Action: audit.ActionAssignment, UserID: who.UserID,
		ActorEmail: who.Email, DistrictID: st.DistrictID, RecordType: "user_student", RecordID: userID,
		StudentID: st.ID, Details: details})
}
