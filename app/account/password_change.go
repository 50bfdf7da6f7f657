package account

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"goaltracker/app/audit"
	"goaltracker/app/problem"
)

// ChangePassword replaces the password of userID after checking the
// current one, the policy and the password history. Bad input is a
// *problem.Invalid keyed by the form's fields (current, password,
// confirm). Every session of the user is revoked, the caller's too: it
// starts a new one for the person who just proved who they are.
func (s *Service) ChangePassword(ctx context.Context, userID int64, current, password, confirm, ip string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u := new(User)
		if err := tx.NewSelect().Model(u).Where("id_user = ?", userID).For("UPDATE").Scan(ctx); err != nil {
			return fmt.Errorf("load user %d: %w", userID, err)
		}
		if ok, _ := CheckPassword(current, u.PasswordHash); !ok {
			inv := problem.NewInvalid()
			inv.Add("current", "This is not your current password.")
			return inv
		}
		if err := s.setPassword(ctx, tx, u, password, confirm); err != nil {
			return err
		}
		return s.audit(tx).Record(ctx, &audit.Event{Action: audit.ActionPasswordChange, UserID: u.ID,
			ActorEmail: u.Email, DistrictID: u.DistrictID, RecordType: "user", RecordID: u.ID, IP: ip})
	})
}

// SetPassword sets a new password for userID without asking for the old
// one, for the user command. It applies the policy and the history, and
// revokes every session of the user.
func (s *Service) SetPassword(ctx context.Context, userID int64, password string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u := new(User)
		if err := tx.NewSelect().Model(u).Where("id_user = ?", userID).For("UPDATE").Scan(ctx); err != nil {
			return fmt.Errorf("load user %d: %w", userID, err)
		}
		if err := s.setPassword(ctx, tx, u, password, password); err != nil {
			return err
		}
		return s.audit(tx).Record(ctx, &audit.Event{Action: audit.ActionPasswordReset, UserID: u.ID,
			ActorEmail: u.Email, DistrictID: u.DistrictID, RecordType: "user", RecordID: u.ID,
			Details: map[string]any{"by": "command line"}})
	})
}

// setPassword validates password against the policy, the confirmation and
// the last HistoryCount passwords, then stores its hash, adds it to the
// history and revokes the user's sessions, all inside tx.
func (s *Service) setPassword(ctx context.Context, tx bun.Tx, u *User, password, confirm string) error {
	if err := s.checkNewPassword(ctx, tx, u, password, confirm); err != nil {
		return err
	}
	hash, err := HashPassword(password, s.set.Hash)
	if err != nil {
		return err
	}

	if err := keepCurrentPassword(ctx, tx, u.ID); err != nil {
		return err
	}

	now := s.now()
	_, err = tx.NewUpdate().Model(u).
		Set("password_hash = ?", hash).
		Set("password_updated_at = ?", now).
		Set("failed_login_attempts = 0").
		Set("locked_until = NULL").
		WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("store password of user %d: %w", u.ID, err)
	}
	entry := &PasswordHistory{UserID: u.ID, PasswordHash: hash, CreatedAt: now}
	if _, err := tx.NewInsert().Model(entry).Exec(ctx); err != nil {
		return fmt.Errorf("add password of user %d to history: %w", u.ID, err)
	}
	u.PasswordHash = hash
	return s.RevokeSessions(ctx, tx, u.ID)
}

// keepCurrentPassword adds the current password of userID to its history
// when it is not there yet. Accounts made outside CreateUser (imports, the
// demo loader) may have no history: their current password goes in
// before it is replaced, so that it counts among the last ones.
func keepCurrentPassword(ctx context.Context, tx bun.Tx, userID int64) error {
	_, err := tx.NewRaw(`INSERT INTO password_history (id_user, password_hash, created_at)
		SELECT u.id_user, u.password_hash, coalesce(u.password_updated_at, u.created_at, now())
		FROM "user" u WHERE u.id_user = ? AND u.password_hash IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM password_history ph
				WHERE ph.id_user = u.id_user AND ph.password_hash = u.password_hash)`, userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("record current password of user %d: %w", userID, err)
	}
	return nil
}

func (s *Service) checkNewPassword(ctx context.Context, tx bun.Tx, u *User, password, confirm string) error {
	if err := s.set.Policy.Check(password, u.Email); err != nil {
		return err
	}
	if password != confirm {
		inv := problem.NewInvalid()
		inv.Add("confirm", "The two passwords are not the same.")
		return inv
	}

	var hashes []string
	err := tx.NewSelect().Model((*PasswordHistory)(nil)).Column("password_hash").
		Where("id_user = ?", u.ID).OrderExpr("created_at DESC, id_password_history DESC").
		Limit(int64(s.set.HistoryCount)).Scan(ctx, &hashes)
	if err != nil {
		return fmt.Errorf("load password history of user %d: %w", u.ID, err)
	}
	if u.PasswordHash != "" {
		hashes = append(hashes, u.PasswordHash)
	}
	if MatchesAnyHash(password, hashes) {
		inv := problem.NewInvalid()
		inv.Add("password", fmt.Sprintf("Choose a password you have not used for your last %d passwords.",
			s.set.HistoryCount))
		return inv
	}
	return nil
}
