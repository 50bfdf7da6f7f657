// Package district holds school districts, their programs, and which staff
// work in which program.
package district

import (
	"time"

	"github.com/uptrace/bun"
)

// District is a school district, the top of the organisation.
type District struct {
	bun.BaseModel `bun:"table:school_district,alias:sd"`

	ID           int64      `bun:"id_school_district,pk,autoincrement"`
	Name         string     `bun:"name,nullzero"`
	ContactEmail string     `bun:"contact_email,nullzero"`
	CreatedAt    time.Time  `bun:"created_at,nullzero,default:now()"`
	Programs     []*Program `bun:"rel:has-many,join:id_school_district=id_school_district"`
}

// Program is an educational program a district offers; students belong to
// one, staff to several.
type Program struct {
	bun.BaseModel `bun:"table:program,alias:p"`

	ID          int64     `bun:"id_program,pk,autoincrement"`
	DistrictID  int64     `bun:"id_school_district,nullzero"`
	District    *District `bun:"rel:belongs-to,join:id_school_district=id_school_district"`
	Name        string    `bun:"name,nullzero"`
	Description string    `bun:"description,nullzero"`
	CreatedAt   time.Time `bun:"created_at,nullzero,default:now()"`
}

// Membership statuses of UserProgram.
const (
	MembershipActive   = "active"
	MembershipInactive = "inactive"
)

// UserProgram makes a user a member of a program. A user has at most one
// primary program, chosen first after sign-in.
type UserProgram struct {
	bun.BaseModel `bun:"table:user_program,alias:up"`

	ID        int64     `bun:"id_user_program,pk,autoincrement"`
	UserID    int64     `bun:"id_user,nullzero"`
	ProgramID int64     `bun:"id_program,nullzero"`
	Program   *Program  `bun:"rel:belongs-to,join:id_program=id_program"`
	IsPrimary bool      `bun:"is_primary,notnull,default:false"`
	Status    string    `bun:"status,notnull,default:'active'"`
	JoinedAt  time.Time `bun:"joined_at,nullzero,default:now()"`
}
