// Package student holds students, the staff assigned to them, and the
// student list.
package student

import (
	"time"

	"github.com/uptrace/bun"

	"goaltracker/app/goal"
)

// Student is a student of a program, known by an opaque identifier (a
// district id or initials), never a full name.
type Student struct {
	bun.BaseModel `bun:"table:student,alias:st"`

	ID             int64        `bun:"id_student,pk,autoincrement"`
	ProgramID      int64        `bun:"id_program,nullzero"`
	Identifier     string       `bun:"identifier,nullzero"`
	ProgramYear    int          `bun:"program_year,nullzero"`
	EnrollmentDate time.Time    `bun:"enrollment_date,type:date,nullzero"`
	ExpectedGrad   time.Time    `bun:"expected_grad,type:date,nullzero"`
	CreatedAt      time.Time    `bun:"created_at,nullzero,default:now()"`
	UpdatedAt      time.Time    `bun:"updated_at,nullzero,default:now()"`
	Goals          []*goal.Goal `bun:"rel:has-many,join:id_student=id_student"`
}

// Access levels of an assignment. A viewer reads the student but changes
// nothing, whatever the role allows.
const (
	AccessEditor = "editor"
	AccessViewer = "viewer"
)

// Assignment gives a user access to a student (table user_student). One
// assignment per student may be primary: the student's main teacher.
type Assignment struct {
	bun.BaseModel `bun:"table:user_student,alias:us"`

	ID          int64    `bun:"id_user_student,pk,autoincrement"`
	UserID      int64    `bun:"id_user,nullzero"`
	StudentID   int64    `bun:"id_student,nullzero"`
	Student     *Student `bun:"rel:belongs-to,join:id_student=id_student"`
	AccessLevel string   `bun:"access_level,nullzero"`
	IsPrimary   bool     `bun:"is_primary,notnull,default:false"`
}
