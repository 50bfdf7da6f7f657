package account

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/problem"
)

// Membership statuses. Only active memberships count: for the program
// scope of a role and for the program a session starts in.
const (
	MembershipActive   = "active"
	MembershipInactive = "inactive"
)

// Membership is one program an account belongs to.
type Membership struct {
	ProgramID   int64  `bun:"id_program"`
	ProgramName string `bun:"program_name"`
	IsPrimary   bool   `bun:"is_primary"`
	Status      string `bun:"status"`
}

// Memberships returns the programs of account userID, primary first. The
// caller has checked that it may see the account.
func (s *Service) Memberships(ctx context.Context, userID int64) ([]Membership, error) {
	var ms []Membership
	err := s.db.NewSelect().TableExpr("user_program AS up").
		Join("JOIN program AS pr ON pr.id_program = up.id_program").
		ColumnExpr("up.id_program, pr.name AS program_name, coalesce(up.is_primary, false) AS is_primary").
		ColumnExpr("coalesce(up.status, 'active') AS status").
		Where("up.id_user = ?", userID).
		OrderExpr("up.is_primary DESC, pr.name").Scan(ctx, &ms)
	if err != nil {
		return nil, fmt.Errorf("list programs of user %d: %w", userID, err)
	}
	return ms, nil
}

// AddMembership makes account userID an active member of programID, a
// program of the account's district; primary when the account has no
// primary program yet. A program of another district, or one the account
// is in already, is a *problem.Invalid on field program.
func (s *Service) AddMembership(ctx context.Context, who *access.Principal, userID, programID int64) error {
	if programID <= 0 {
		inv := problem.NewInvalid()
		inv.Add("program", "Choose a program from the list.")
		return inv
	}
	return s.change(ctx, who, userID, func(tx bun.Tx, m *Managed) error {
		if err := checkProgram(ctx, tx, programID, m.DistrictID); err != nil {
			return err
		}
		res, err := tx.NewRaw(`INSERT INTO user_program (id_user, id_program, is_primary, status)
			SELECT ?0, ?1, NOT EXISTS (SELECT 1 FROM user_program WHERE id_user = ?0 AND is_primary), 'active'
			WHERE NOT EXISTS (SELECT 1 FROM user_program WHERE id_user = ?0 AND id_program = ?1)`,
			m.ID, programID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("add user %d to program %d: %w", m.ID, programID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			inv := problem.NewInvalid()
			inv.Add("program", "The account is in this program already.")
			return inv
		}
		return s.recordMembership(ctx, tx, who, m, programID, "add")
	})
}

// SetMembershipStatus makes the membership of account userID in programID
// active or inactive. An inactive membership is no longer primary. Another
// status is a *problem.Invalid on field status; a missing membership
// wraps problem.ErrNotFound.
func (s *Service) SetMembershipStatus(ctx context.Context, who *access.Principal, userID, programID int64,
	status string) error {
	if status != MembershipActive && status != MembershipInactive {
		inv := problem.NewInvalid()
		inv.Add("status", "Choose active or inactive.")
		return inv
	}
	return s.change(ctx, who, userID, func(tx bun.Tx, m *Managed) error {
		err := updateMembership(ctx, tx, m.ID, programID, tx.NewUpdate().Table("user_program").
			Set("status = ?", status).
			Set("is_primary = is_primary AND ? = 'active'", status))
		if err != nil {
			return err
		}
		return s.recordMembership(ctx, tx, who, m, programID, status)
	})
}

// MakePrimaryMembership makes programID the primary program of account
// userID, and its other programs not primary, so that there is one. The
// membership becomes active. A missing membership wraps
// problem.ErrNotFound.
func (s *Service) MakePrimaryMembership(ctx context.Context, who *access.Principal,
	userID, programID int64) error {
	return s.change(ctx, who, userID, func(tx bun.Tx, m *Managed) error {
		err := updateMembership(ctx, tx, m.ID, programID, tx.NewUpdate().Table("user_program").
			Set("is_primary = true").Set("status = 'active'"))
		if err != nil {
			return err
		}
		_, err = tx.NewUpdate().Table("user_program").Set("is_primary = false").
			Where("id_user = ? AND id_program <> ? AND is_primary", m.ID, programID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("clear primary programs of user %d: %w", m.ID, err)
		}
		return s.recordMembership(ctx, tx, who, m, programID, "primary")
	})
}

// RemoveMembership takes account userID out of programID. A missing
// membership wraps problem.ErrNotFound.
func (s *Service) RemoveMembership(ctx context.Context, who *access.Principal, userID, programID int64) error {
	return s.change(ctx, who, userID, func(tx bun.Tx, m *Managed) error {
		res, err := tx.NewDelete().Table("user_program").
			Where("id_user = ? AND id_program = ?", m.ID, programID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("remove user %d from program %d: %w", m.ID, programID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("membership of user %d in program %d: %w", m.ID, programID, problem.ErrNotFound)
		}
		return s.recordMembership(ctx, tx, who, m, programID, "remove")
	})
}

// updateMembership runs q on the membership of userID in programID, and
// wraps problem.ErrNotFound when there is none.
func updateMembership(ctx context.Context, tx bun.Tx, userID, programID int64, q *bun.UpdateQuery) error {
	res, err := q.Where("id_user = ? AND id_program = ?", userID, programID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("change membership of user %d in program %d: %w", userID, programID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("membership of user %d in program %d: %w", userID, programID, problem.ErrNotFound)
	}
	return nil
}

func (s *Service) recordMembership(ctx context.Context, tx bun.Tx, who *access.Principal, m *Managed,
	programID int64, change string) error {
	return s.record(ctx, tx, who, m, audit.ActionMembershipChange,
		map[string]any{"program": programID, "change": change})
}
