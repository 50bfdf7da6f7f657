package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"goaltracker/app/audit"
	"goaltracker/app/problem"
)

// NewUser is what CreateUser needs. ProgramID zero means no program; the
// program, when given, becomes the user's primary one.
type NewUser struct {
	Email      string
	Name       string
	RoleName   string
	DistrictID int64
	ProgramID  int64
	// Password empty makes an account without a usable password, which
	// Invite gives a set-password link.
	Password string
	// ActorID and ActorEmail name who creates the account, for the audit
	// log; zero for the command line.
	ActorID    int64
	ActorEmail string
}

// CreateUser adds an active user with a password that passes the policy.
// An email already in use, in any case, is a *problem.Invalid on field
// email; so is an unknown role.
func (s *Service) CreateUser(ctx context.Context, nu NewUser) (*User, error) {
	email := NormalizeEmail(nu.Email)
	inv := checkIdentity(email, nu.Name)
	if err := s.set.Policy.Check(nu.Password, email); err != nil {
		pinv, _ := problem.AsInvalid(err)
		inv.Add("password", pinv.Fields["password"])
	}
	if err := inv.Err(); err != nil {
		return nil, err
	}

	hash, err := HashPassword(nu.Password, s.set.Hash)
	if err != nil {
		return nil, err
	}
	u := &User{Email: email, Name: strings.TrimSpace(nu.Name), DistrictID: nu.DistrictID,
		PasswordHash: hash, PasswordUpdatedAt: s.now(), IsActive: true}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return s.insertUser(ctx, tx, u, nu)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// checkIdentity checks an account's normalized email and its name, and
// returns the messages in an Invalid, empty when both are fine.
func checkIdentity(email, name string) *problem.Invalid {
	inv := problem.NewInvalid()
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || len(email) > 255 || !utf8.ValidString(email) {
		inv.Add("email", "Enter an email address such as name@school.org.")
	}
	if msg := checkName(name); msg != "" {
		inv.Add("name", msg)
	}
	return inv
}

// checkName returns what is wrong with a person's name, or "".
func checkName(name string) string {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 255 || !utf8.ValidString(name) {
		return "Enter the person's name, at most 255 characters."
	}
	return ""
}

func (s *Service) insertUser(ctx context.Context, tx bun.Tx, u *User, nu NewUser) error {
	err := tx.NewSelect().Table("role").Column("id_role").Where("name = ?", nu.RoleName).Scan(ctx, &u.RoleID)
	if errors.Is(err, sql.ErrNoRows) {
		inv := problem.NewInvalid()
		inv.Add("role", fmt.Sprintf("There is no role named %q.", nu.RoleName))
		return inv
	}
	if err != nil {
		return fmt.Errorf("look up role %s: %w", nu.RoleName, err)
	}

	taken, err := tx.NewSelect().Model((*User)(nil)).Where("lower(email) = ?", u.Email).Exists(ctx)
	if err != nil {
		return fmt.Errorf("look up email: %w", err)
	}
	if taken {
		inv := problem.NewInvalid()
		inv.Add("email", "An account with this email exists already.")
		return inv
	}
	if _, err := tx.NewInsert().Model(u).Exec(ctx); err != nil {
		return fmt.Errorf("add user %s: %w", u.Email, err)
	}
	if u.PasswordHash != "" {
		entry := &PasswordHistory{UserID: u.ID, PasswordHash: u.PasswordHash}
		if _, err := tx.NewInsert().Model(entry).Exec(ctx); err != nil {
			return fmt.Errorf("start password history of user %d: %w", u.ID, err)
		}
	}
	if nu.ProgramID != 0 {
		_, err := tx.NewRaw(`INSERT INTO user_program (id_user, id_program, is_primary, status)
			VALUES (?, ?, true, 'active')`, u.ID, nu.ProgramID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("add user %d to program %d: %w", u.ID, nu.ProgramID, err)
		}
	}
	return s.audit(tx).Record(ctx, &audit.Event{Action: audit.ActionUserCreated, UserID: nu.ActorID,
		ActorEmail: nu.ActorEmail, DistrictID: u.DistrictID, RecordType: "user", RecordID: u.ID,
		Details: map[string]any{"email": u.Email, "role": nu.RoleName, "program": nu.ProgramID}})
}

// UserByEmail returns the user with email, whatever its case, or an error
// wrapping problem.ErrNotFound.
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	u, err := s.userByEmail(ctx, s.db, NormalizeEmail(email))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("no user with email %s: %w", email, problem.ErrNotFound)
	}
	return u, err
}

// Unlock lifts a lockout and clears the failure count.
func (s *Service) Unlock(ctx context.Context, userID int64, by string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Model((*User)(nil)).
			Set("failed_login_attempts = 0").Set("locked_until = NULL").
			Where("id_user = ?", userID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("unlock user %d: %w", userID, err)
		}
		return s.audit(tx).Record(ctx, &audit.Event{Action: audit.ActionUnlock, RecordType: "user",
			RecordID: userID, Details: map[string]any{"by": by}})
	})
}

// Deactivate switches an account off and ends its sessions. Its records
// stay, attributed to it.
func (s *Service) Deactivate(ctx context.Context, userID int64, by string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Model((*User)(nil)).Set("is_active = false").
			Where("id_user = ?", userID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("deactivate user %d: %w", userID, err)
		}
		if err := s.RevokeSessions(ctx, tx, userID); err != nil {
			return err
		}
		return s.audit(tx).Record(ctx, &audit.Event{Action: audit.ActionUserDeactivated,
			RecordType: "user", RecordID: userID, Details: map[string]any{"by": by}})
	})
}
