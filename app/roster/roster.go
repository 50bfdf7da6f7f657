// Package roster manages the students of a district: adding and editing
// them one at a time, moving them between programs, and importing them in
// bulk from a CSV file that is previewed before it is committed. Who may
// do this is the roster.manage grant: in the program scope the students of
// one's programs, in the district scope the whole district, in the all
// scope any district.
package roster

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/problem"
)

// Service reads and changes the roster. Every method checks the person's
// roster.manage grant against the district and program of the students it
// touches.
type Service struct {
	db bun.IDB
}

// NewService returns a Service on db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// Student is one student as the roster shows it.
type Student struct {
	ID             int64     `bun:"id_student"`
	ProgramID      int64     `bun:"id_program"`
	ProgramName    string    `bun:"program_name"`
	DistrictID     int64     `bun:"id_school_district"`
	Identifier     string    `bun:"identifier"`
	ProgramYear    int       `bun:"program_year"`
	EnrollmentDate time.Time `bun:"enrollment_date"`
	ExpectedGrad   time.Time `bun:"expected_grad"`
	UpdatedAt      time.Time `bun:"updated_at"`
}

// Program is a program whose roster someone may manage.
type Program struct {
	ID         int64  `bun:"id_program"`
	Name       string `bun:"name"`
	DistrictID int64  `bun:"id_school_district"`
}

// rosterLock is the first key of the advisory lock that serialises changes
// to one district's identifiers (the second key is the district), so that
// two adds or imports cannot both find an identifier free and both take it.
const rosterLock = 7_311_002

func lockDistrict(ctx context.Context, tx bun.Tx, districtID int64) error {
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?, ?)", rosterLock,
		int32(districtID)); err != nil {
		return fmt.Errorf("lock roster of district %d: %w", districtID, err)
	}
	return nil
}

// CanMove reports whether who may move students of districtID between its
// programs: that needs roster.manage in the district or all scope.
func CanMove(who *access.Principal, districtID int64) bool {
	return who.CanIn("roster", "manage", access.ScopeAll) ||
		(who.CanIn("roster", "manage", access.ScopeDistrict) && districtID == who.DistrictID)
}

// Programs returns the programs of districtID whose roster who may manage,
// ordered by name. A district outside who's reach gives none.
func (s *Service) Programs(ctx context.Context, who *access.Principal, districtID int64) ([]Program, error) {
	var all []Program
	err := s.db.NewSelect().TableExpr("program AS p").
		ColumnExpr("p.id_program, p.name, p.id_school_district").
		Where("p.id_school_district = ?", districtID).
		OrderExpr("p.name, p.id_program").Scan(ctx, &all)
	if err != nil {
		return nil, fmt.Errorf("list programs of district %d: %w", districtID, err)
	}
	return slices.DeleteFunc(all, func(p Program) bool {
		return !who.CanScope("roster", "manage", districtID, p.ID)
	}), nil
}

// program returns program id with its district. A missing program, or one
// whose roster who may not manage, is an error wrapping
// problem.ErrNotFound.
func (s *Service) program(ctx context.Context, who *access.Principal, id int64) (*Program, error) {
	var ps []Program
	err := s.db.NewSelect().TableExpr("program AS p").
		ColumnExpr("p.id_program, p.name, p.id_school_district").
		Where("p.id_program = ?", id).Scan(ctx, &ps)
	if err != nil {
		return nil, fmt.Errorf("load program %d: %w", id, err)
	}
	if len(ps) == 0 || !who.CanScope("roster", "manage", ps[0].DistrictID, id) {
		return nil, fmt.Errorf("load program %d: %w", id, problem.ErrNotFound)
	}
	return &ps[0], nil
}

// Get returns student id if who may manage its roster entry. A missing
// student, or one outside who's reach, is an error wrapping
// problem.ErrNotFound.
func (s *Service) Get(ctx context.Context, who *access.Principal, id int64) (*Student, error) {
	st, err := s.load(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !who.CanScope("roster", "manage", st.DistrictID, st.ProgramID) {
		return nil, fmt.Errorf("load student %d: %w", id, problem.ErrNotFound)
	}
	return st, nil
}

func (s *Service) load(ctx context.Context, db bun.IDB, id int64) (*Student, error) {
	var sts []Student
	err := studentQuery(db).Where("st.id_student = ?", id).Scan(ctx, &sts)
	if err != nil {
		return nil, fmt.Errorf("load student %d: %w", id, err)
	}
	if len(sts) == 0 {
		return nil, fmt.Errorf("load student %d: %w", id, problem.ErrNotFound)
	}
	return &sts[0], nil
}

func studentQuery(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().TableExpr("student AS st").
		Join("JOIN program AS p ON p.id_program = st.id_program").
		ColumnExpr("st.id_student, st.id_program, p.name AS program_name, p.id_school_district").
		ColumnExpr("st.identifier, st.program_year, st.enrollment_date, st.expected_grad, st.updated_at")
}
