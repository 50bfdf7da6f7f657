package assignment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/problem"
)

// New is an assignment to add: the account, its access level, and whether
// it becomes the student's primary.
type New struct {
	UserID      int64
	AccessLevel string
	IsPrimary   bool
}

// Add assigns n's account to student studentID. The student must be one
// who manages assignments of, and the account one of the student's
// district; otherwise the error wraps problem.ErrNotFound. An inactive
// account, an account assigned already, or a bad access level is a
// *problem.Invalid keyed by the form's fields (user, access_level). A new
// primary replaces the student's previous one.
func (s *Service) Add(ctx context.Context, who *access.Principal, studentID int64, n New) error {
	if err := checkLevel(n.AccessLevel, n.IsPrimary); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st, err := studentFor(ctx, tx, who, studentID, true)
		if err != nil {
			return err
		}
		return insert(ctx, tx, who, st, n)
	})
}

// findStudent returns the one student of districtID with identifier that
// who manages assignments of.
func findStudent(ctx context.Context, tx bun.Tx, who *access.Principal, districtID int64,
	identifier string) (int64, error) {
	var sts []Student
	err := tx.NewSelect().TableExpr("student AS st").
		Join("JOIN program AS p ON p.id_program = st.id_program").
		ColumnExpr("st.id_student, st.identifier, st.id_program, p.id_school_district").
		Where("lower(st.identifier) = lower(?) AND p.id_school_district = ?", identifier, districtID).
		Scan(ctx, &sts)
	if err != nil {
		return 0, fmt.Errorf("find student %q: %w", identifier, err)
	}
	var found []int64
	for _, st := range sts {
		if Covers(who, st.DistrictID, st.ProgramID) {
			found = append(found, st.ID)
		}
	}
	inv := problem.NewInvalid()
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		inv.Add("identifier", "No student with this identifier whose staff you may assign.")
	default:
		inv.Add("identifier", "Several students have this identifier. Assign from the student's page.")
	}
	return 0, inv
}

func insert(ctx context.Context, tx bun.Tx, who *access.Principal, st *Student, n New) error {
	if err := checkAccount(ctx, tx, st, n.UserID); err != nil {
		return err
	}
	if n.IsPrimary {
		if err := clearPrimary(ctx, tx, st.ID); err != nil {
			return err
		}
	}
	res, err := tx.NewRaw(`INSERT INTO user_student (id_user, id_student, access_level, is_primary)
		VALUES (?, ?, ?, ?) ON CONFLICT (id_user, id_student) DO NOTHING`,
		n.UserID, st.ID, n.AccessLevel, n.IsPrimary).Exec(ctx)
	if err != nil {
		return fmt.Errorf("assign user %d to student %d: %w", n.UserID, st.ID, err)
	}
	if count, _ := res.RowsAffected(); count == 0 {
		inv := problem.NewInvalid()
		inv.Add("user", msgAlreadyAssigned)
		return inv
	}
	return record(ctx, tx, who, st, n.UserID, map[string]any{"change": "add",
		"access_level": n.AccessLevel, "primary": n.IsPrimary})
}

// msgAlreadyAssigned refuses a second assignment of one account to one
// student; AddByIdentifiers counts it instead.
const msgAlreadyAssigned = "This person is assigned to the student already."

// checkAccount refuses an account of another district (as not found: a
// student is only ever assigned within its district) and an inactive one.
func checkAccount(ctx context.Context, tx bun.Tx, st *Student, userID int64) error {
	var u struct {
		DistrictID int64 `bun:"id_school_district"`
		IsActive   bool  `bun:"is_active"`
	}
	err := tx.NewSelect().Table("user").Column("id_school_district", "is_active").
		Where("id_user = ?", userID).Scan(ctx, &u)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && u.DistrictID != st.DistrictID) {
		return fmt.Errorf("account %d for student %d: %w", userID, st.ID, problem.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("load account %d: %w", userID, err)
	}
	if !u.IsActive {
		inv := problem.NewInvalid()
		inv.Add("user", "Choose an active account.")
		return inv
	}
	return nil
}

func clearPrimary(ctx context.Context, tx bun.Tx, studentID int64) error {
	_, err := tx.NewUpdate().Table("user_student").Set("is_primary = false").
		Where("id_student = ? AND is_primary", studentID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("clear primary of student %d: %w", studentID, err)
	}
	return nil
}

// checkLevel refuses an unknown access level, and a primary who may only
// view: the primary writes the student's goals.
func checkLevel(level string, primary bool) error {
	inv := problem.NewInvalid()
	switch {
	case level != LevelEditor && level != LevelViewer:
		inv.Add("access_level", "Choose editor or viewer.")
	case primary && level == LevelViewer:
		inv.Add("access_level", "The primary must be an editor.")
	}
	return inv.Err()
}

// Change is an edit of one assignment: the access level to set (empty
// keeps it) and whether to make the account the student's primary.
type Change struct {
	AccessLevel string
	MakePrimary bool
}

// Update applies c to the assignment of account userID to student
// studentID. A student outside who's reach, or no such assignment, wraps
// problem.ErrNotFound; a bad access level is a *problem.Invalid on field
// access_level. Making one primary clears the previous primary.
func (s *Service) Update(ctx context.Context, who *access.Principal, studentID, userID int64, c Change) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st, err := studentFor(ctx, tx, who, studentID, true)
		if err != nil {
			return err
		}
		var cur struct {
			AccessLevel string `bun:"access_level"`
			IsPrimary   bool   `bun:"is_primary"`
		}
		err = tx.NewSelect().Table("user_student").
			ColumnExpr("coalesce(access_level, '') AS access_level, coalesce(is_primary, false) AS is_primary").
			Where("id_student = ? AND id_user = ?", st.ID, userID).Scan(ctx, &cur)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("assignment of user %d to student %d: %w", userID, st.ID, problem.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("load assignment of user %d to student %d: %w", userID, st.ID, err)
		}
		return update(ctx, tx, who, st, userID, cur.AccessLevel, cur.IsPrimary, c)
	})
}

func update(ctx context.Context, tx bun.Tx, who *access.Principal, st *Student, userID int64,
	level string, primary bool, c Change) error {
	if c.AccessLevel != "" {
		level = c.AccessLevel
	}
	becomesPrimary := c.MakePrimary && !primary
	if err := checkLevel(level, primary || c.MakePrimary); err != nil {
		return err
	}
	if becomesPrimary {
		if err := clearPrimary(ctx, tx, st.ID); err != nil {
			return err
		}
	}
	_, err := tx.NewUpdate().Table("user_student").Set("access_level = ?", level).
		Set("is_primary = ?", primary || c.MakePrimary).
		Where("id_student = ? AND id_user = ?", st.ID, userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("change assignment of user %d to student %d: %w", userID, st.ID, err)
	}
	return record(ctx, tx, who, st, userID, map[string]any{"change": "update",
		"access_level": level, "primary": primary || c.MakePrimary})
}

// Remove ends the assignment of account userID to student studentID. A
// student outside who's reach, or no such assignment, wraps
// problem.ErrNotFound.
func (s *Service) Remove(ctx context.Context, who *access.Principal, studentID, userID int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st, err := studentFor(ctx, tx, who, studentID, true)
		if err != nil {
			return err
		}
		var wasPrimary bool
		err = tx.NewRaw(`DELETE FROM user_student WHERE id_student = ? AND id_user = ?
			RETURNING coalesce(is_primary, false)`, st.ID, userID).Scan(ctx, &wasPrimary)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("assignment of user %d to student %d: %w", userID, st.ID, problem.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("remove user %d from student %d: %w", userID, st.ID, err)
		}
		return record(ctx, tx, who, st, userID, map[string]any{"change": "remove", "was_primary": wasPrimary})
	})
}
