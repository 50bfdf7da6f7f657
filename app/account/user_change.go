package account

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/problem"
)

// Invitation is what Invite needs: who the new account is for, its role,
// its district, and optionally its primary program.
type Invitation struct {
	Email      string
	Name       string
	RoleName   string
	DistrictID int64
	ProgramID  int64
}

// Invite creates an active account without a usable password and returns
// it with a set-password token, valid for the invitation lifetime, for the
// emailed link. A district outside who's user.manage scope wraps
// problem.ErrNotFound; a role who may not give wraps problem.ErrForbidden;
// bad input (a taken email, a program of another district) is a
// *problem.Invalid keyed by the form's fields.
func (s *Service) Invite(ctx context.Context, who *access.Principal, in Invitation,
	ip string) (*User, string, error) {
	if !who.CanScope("user", "manage", in.DistrictID, 0) {
		return nil, "", fmt.Errorf("invite to district %d: %w", in.DistrictID, problem.ErrNotFound)
	}
	email := NormalizeEmail(in.Email)
	inv := checkIdentity(email, in.Name)
	if strings.TrimSpace(in.RoleName) == "" {
		inv.Add("role", "Choose a role from the list.")
	}
	if err := inv.Err(); err != nil {
		return nil, "", err
	}

	u := &User{Email: email, Name: strings.TrimSpace(in.Name), DistrictID: in.DistrictID, IsActive: true}
	var token string
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.roleFor(ctx, tx, who, in.RoleName); err != nil {
			return err
		}
		if err := checkProgram(ctx, tx, in.ProgramID, in.DistrictID); err != nil {
			return err
		}
		nu := NewUser{Email: email, Name: u.Name, RoleName: in.RoleName, DistrictID: in.DistrictID,
			ProgramID: in.ProgramID, ActorID: who.UserID, ActorEmail: who.Email}
		if err := s.insertUser(ctx, tx, u, nu); err != nil {
			return err
		}
		t, err := s.invitationToken(ctx, tx, who, &Managed{ID: u.ID, DistrictID: u.DistrictID}, ip)
		token = t
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return u, token, nil
}

// checkProgram refuses, as a *problem.Invalid on field program, a program
// that is not one of district's. Zero means no program and passes.
func checkProgram(ctx context.Context, db bun.IDB, programID, districtID int64) error {
	if programID == 0 {
		return nil
	}
	ok, err := db.NewSelect().Table("program").
		Where("id_program = ? AND id_school_district = ?", programID, districtID).Exists(ctx)
	if err != nil {
		return fmt.Errorf("look up program %d: %w", programID, err)
	}
	if !ok {
		inv := problem.NewInvalid()
		inv.Add("program", "Choose a program of the account's district.")
		return inv
	}
	return nil
}

func (s *Service) invitationToken(ctx context.Context, tx bun.Tx, who *access.Principal, m *Managed,
	ip string) (string, error) {
	token, err := s.issueToken(ctx, tx, m.ID, s.set.InvitationLifetime, ip)
	if err != nil {
		return "", err
	}
	days := int(s.set.InvitationLifetime.Hours() / 24)
	return token, s.record(ctx, tx, who, m, audit.ActionInvitationSent, map[string]any{"days": days})
}

// ResendInvitation makes a new set-password token for an active account
// that has never set a password, and invalidates the earlier ones. Any
// other account is a *problem.Invalid with a form message.
func (s *Service) ResendInvitation(ctx context.Context, who *access.Principal, id int64,
	ip string) (*Managed, string, error) {
	var m *Managed
	var token string
	err := s.change(ctx, who, id, func(tx bun.Tx, got *Managed) error {
		m = got
		inv := problem.NewInvalid()
		switch {
		case !m.IsActive:
			inv.Form = "This account is inactive. Activate it first."
		case !m.IsInvited:
			inv.Form = "This person has set a password already. Force a password reset instead."
		}
		if err := inv.Err(); err != nil {
			return err
		}
		t, err := s.invitationToken(ctx, tx, who, m, ip)
		token = t
		return err
	})
	return m, token, err
}

// ForceReset makes the password of an active account unusable, ends its
// sessions and returns a reset token, valid for the reset lifetime, for
// the emailed link. The old password stays in the history, so it cannot
// be chosen again.
func (s *Service) ForceReset(ctx context.Context, who *access.Principal, id int64,
	ip string) (*Managed, string, error) {
	var m *Managed
	var token string
	err := s.change(ctx, who, id, func(tx bun.Tx, got *Managed) error {
		m = got
		if !m.IsActive {
			inv := problem.NewInvalid()
			inv.Form = "This account is inactive. Activate it first."
			return inv
		}
		if err := keepCurrentPassword(ctx, tx, m.ID); err != nil {
			return err
		}
		_, err := tx.NewUpdate().Model((*User)(nil)).Set("password_hash = NULL").
			Where("id_user = ?", m.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("void password of user %d: %w", m.ID, err)
		}
		if err := s.RevokeSessions(ctx, tx, m.ID); err != nil {
			return err
		}
		if token, err = s.issueToken(ctx, tx, m.ID, s.set.ResetTokenLifetime, ip); err != nil {
			return err
		}
		return s.record(ctx, tx, who, m, audit.ActionPasswordResetForced, nil)
	})
	return m, token, err
}

// Rename sets the name of account id. A bad name is a *problem.Invalid on
// field name.
func (s *Service) Rename(ctx context.Context, who *access.Principal, id int64, name string) error {
	if msg := checkName(name); msg != "" {
		inv := problem.NewInvalid()
		inv.Add("name", msg)
		return inv
	}
	name = strings.TrimSpace(name)
	return s.change(ctx, who, id, func(tx bun.Tx, m *Managed) error {
		if m.Name == name {
			return nil
		}
		_, err := tx.NewUpdate().Model((*User)(nil)).Set("name = ?", name).Where("id_user = ?", m.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("rename user %d: %w", m.ID, err)
		}
		return s.record(ctx, tx, who, m, audit.ActionUserUpdated,
			map[string]any{"field": "name", "from": m.Name, "to": name})
	})
}

// ChangeRole gives account id the role named roleName. It is refused with
// the guard's *problem.Invalid when it would leave a district without an
// administrator, and with problem.ErrForbidden for a role who may not give.
func (s *Service) ChangeRole(ctx context.Context, who *access.Principal, id int64, roleName string) error {
	return s.change(ctx, who, id, func(tx bun.Tx, m *Managed) error {
		roleID, err := s.roleFor(ctx, tx, who, roleName)
		if err != nil || m.RoleName == roleName {
			return err
		}
		err = access.KeepAdmins(ctx, tx, func() error {
			_, err := tx.NewUpdate().Model((*User)(nil)).Set("id_role = ?", roleID).
				Where("id_user = ?", m.ID).Exec(ctx)
			if err != nil {
				return fmt.Errorf("change role of user %d: %w", m.ID, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return s.record(ctx, tx, who, m, audit.ActionUserRoleChange,
			map[string]any{"from": m.RoleName, "to": roleName})
	})
}

// SetActive switches account id on or off. Switching off ends its
// sessions, is refused for one's own account, and is refused with the
// guard's *problem.Invalid when it would leave a district without an
// administrator. Setting the state it already has changes nothing.
func (s *Service) SetActive(ctx context.Context, who *access.Principal, id int64, active bool) error {
	if !active && id == who.UserID {
		inv := problem.NewInvalid()
		inv.Form = "You cannot deactivate your own account."
		return inv
	}
	return s.change(ctx, who, id, func(tx bun.Tx, m *Managed) error {
		if m.IsActive == active {
			return nil
		}
		err := access.KeepAdmins(ctx, tx, func() error {
			_, err := tx.NewUpdate().Model((*User)(nil)).Set("is_active = ?", active).
				Where("id_user = ?", m.ID).Exec(ctx)
			if err != nil {
				return fmt.Errorf("set user %d active %t: %w", m.ID, active, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if active {
			return s.record(ctx, tx, who, m, audit.ActionUserActivated, nil)
		}
		if err := s.RevokeSessions(ctx, tx, m.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, who, m, audit.ActionUserDeactivated, nil)
	})
}

// UnlockUser lifts the lockout of account id and clears its failure
// count.
func (s *Service) UnlockUser(ctx context.Context, who *access.Principal, id int64) error {
	return s.change(ctx, who, id, func(tx bun.Tx, m *Managed) error {
		_, err := tx.NewUpdate().Model((*User)(nil)).
			Set("failed_login_attempts = 0").Set("locked_until = NULL").
			Where("id_user = ?", m.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("unlock user %d: %w", m.ID, err)
		}
		return s.record(ctx, tx, who, m, audit.ActionUnlock, map[string]any{"by": who.Email})
	})
}
