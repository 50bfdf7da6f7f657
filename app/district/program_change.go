package district

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/problem"
)

// nameLock is the advisory lock class that serialises the name checks of
// programs (with the district's id as key) and of districts (key zero):
// without it two people adding the same name at once could both pass.
const nameLock = 7_311_002

// lockNames takes the name lock of key until tx ends.
func lockNames(ctx context.Context, tx bun.Tx, key int64) error {
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?, ?)", nameLock, key); err != nil {
		return fmt.Errorf("lock names: %w", err)
	}
	return nil
}

// Lengths of the program's columns and of what the form accepts.
const (
	maxNameLength        = 255
	maxDescriptionLength = 4000
)

// ProgramSummary is a program with how many students and active staff it
// has.
type ProgramSummary struct {
	Program    `bun:",extend"`
	Students   int `bun:"students"`
	StaffCount int `bun:"staff"`
}

// ProgramInput is a program as typed in the form.
type ProgramInput struct {
	Name        string
	Description string
}

// ProgramsOf returns district's programs by name, with their counts. It
// answers problem.ErrNotFound when who may not manage the district's
// programs.
func (s *Service) ProgramsOf(ctx context.Context, who *access.Principal, districtID int64) ([]ProgramSummary, error) {
	if !who.CanScope("program", "manage", districtID, 0) {
		return nil, fmt.Errorf("programs of district %d: %w", districtID, problem.ErrNotFound)
	}
	var out []ProgramSummary
	err := s.db.NewSelect().Model((*Program)(nil)).ColumnExpr("p.*").
		ColumnExpr("(SELECT count(*) FROM student AS st WHERE st.id_program = p.id_program) AS students").
		ColumnExpr(`(SELECT count(*) FROM user_program AS up JOIN "user" AS u ON u.id_user = up.id_user
			WHERE up.id_program = p.id_program AND up.status = 'active' AND u.is_active) AS staff`).
		Where("p.id_school_district = ?", districtID).OrderExpr("lower(p.name), p.id_program").
		Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("list programs of district %d: %w", districtID, err)
	}
	return out, nil
}

// ProgramFor returns program id for who to manage; one outside who's
// program.manage scope is problem.ErrNotFound, like a missing one.
func (s *Service) ProgramFor(ctx context.Context, who *access.Principal, id int64) (*Program, error) {
	p := new(Program)
	err := s.db.NewSelect().Model(p).Where("p.id_program = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !who.CanScope("program", "manage", p.DistrictID, 0)) {
		return nil, fmt.Errorf("program %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load program %d: %w", id, err)
	}
	return p, nil
}

// CreateProgram adds a program to district. A missing, over-long or
// duplicate name (compared without regard to case) is a *problem.Invalid.
func (s *Service) CreateProgram(ctx context.Context, who *access.Principal, a audit.Actor,
	districtID int64, in ProgramInput) (*Program, error) {
	if !who.CanScope("program", "manage", districtID, 0) {
		return nil, fmt.Errorf("programs of district %d: %w", districtID, problem.ErrNotFound)
	}
	p := &Program{DistrictID: districtID}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := checkProgram(ctx, tx, p, in); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(p).Returning("*").Exec(ctx); err != nil {
			return fmt.Errorf("create program %q: %w", p.Name, err)
		}
		return audit.NewLog(tx).Record(ctx, a.Event(audit.ActionProgramCreated, districtID, "program", p.ID,
			map[string]any{"name": p.Name}))
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// UpdateProgram changes the name or the description of program id, as
// field says, under CreateProgram's rules.
func (s *Service) UpdateProgram(ctx context.Context, who *access.Principal, a audit.Actor,
	id int64, field, value string) (*Program, error) {
	p, err := s.ProgramFor(ctx, who, id)
	if err != nil {
		return nil, err
	}
	in := ProgramInput{Name: p.Name, Description: p.Description}
	switch field {
	case "name":
		in.Name = value
	case "description":
		in.Description = value
	default:
		return nil, fmt.Errorf("program field %q: %w", field, problem.ErrNotFound)
	}

	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		before := map[string]any{"name": p.Name, "description": p.Description}
		if err := checkProgram(ctx, tx, p, in); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(p).Column("name", "description").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("update program %d: %w", p.ID, err)
		}
		after := map[string]any{"name": p.Name, "description": p.Description}
		return audit.NewLog(tx).Record(ctx, a.Event(audit.ActionProgramUpdated, p.DistrictID, "program", p.ID,
			map[string]any{"field": field, "from": before[field], "to": after[field]}))
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// checkProgram validates in and copies it into p.
func checkProgram(ctx context.Context, tx bun.Tx, p *Program, in ProgramInput) error {
	inv := problem.NewInvalid()
	name, desc := strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	checkText(inv, "name", name, maxNameLength, true)
	checkText(inv, "description", desc, maxDescriptionLength, false)
	if err := inv.Err(); err != nil {
		return err
	}

	if err := lockNames(ctx, tx, p.DistrictID); err != nil {
		return err
	}
	taken, err := tx.NewSelect().Model((*Program)(nil)).
		Where("p.id_school_district = ? AND lower(p.name) = lower(?) AND p.id_program <> ?",
			p.DistrictID, name, p.ID).Exists(ctx)
	if err != nil {
		return fmt.Errorf("look up program %q: %w", name, err)
	}
	if taken {
		inv.Add("name", "The district already has a program of that name.")
		return inv
	}
	p.Name, p.Description = name, desc
	return nil
}

// checkText adds a message for field when value is not valid UTF-8 (or
// holds a NUL, which PostgreSQL refuses), is
// longer than maxLength characters, or is empty and required.
func checkText(inv *problem.Invalid, field, value string, maxLength int, required bool) {
	switch {
	case !utf8.ValidString(value) || strings.ContainsRune(value, 0):
		inv.Add(field, "Use plain text: this contains characters that cannot be stored.")
	case required && value == "":
		inv.Add(field, "Enter a name.")
	case utf8.RuneCountInString(value) > maxLength:
		inv.Add(field, fmt.Sprintf("Keep it to %d characters.", maxLength))
	}
}
