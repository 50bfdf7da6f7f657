package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"goaltracker/app/audit"
)

// RequestReset starts a password reset for the active account with email:
// it invalidates the account's earlier unused tokens and creates a new one,
// valid for the reset token lifetime. It returns the token for the emailed
// link and the user. For an unknown or inactive email it returns an empty
// token and a nil user, and no error, so callers answer the same page
// either way.
func (s *Service) RequestReset(ctx context.Context, email, ip string) (string, *User, error) {
	u, err := s.userByEmail(ctx, s.db, NormalizeEmail(email))
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil || !u.IsActive {
		return "", nil, err
	}

	var token string
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := s.issueToken(ctx, tx, u.ID, s.set.ResetTokenLifetime, ip)
		if err != nil {
			return err
		}
		token = t
		return s.audit(tx).Record(ctx, &audit.Event{Action: audit.ActionResetRequested, UserID: u.ID,
			ActorEmail: u.Email, DistrictID: u.DistrictID, RecordType: "user", RecordID: u.ID, IP: ip})
	})
	if err != nil {
		return "", nil, err
	}
	return token, u, nil
}

// issueToken invalidates the unused links of userID and makes a new one,
// valid for lifetime, inside tx. It returns the token for the emailed link;
// only its hash is stored.
func (s *Service) issueToken(ctx context.Context, tx bun.Tx, userID int64, lifetime time.Duration,
	ip string) (string, error) {
	token, hash, err := NewToken()
	if err != nil {
		return "", err
	}
	now := s.now()
	_, err = tx.NewUpdate().Model((*PasswordResetToken)(nil)).
		Set("invalidated_at = ?", now).
		Where("id_user = ? AND used_at IS NULL AND invalidated_at IS NULL", userID).
		Exec(ctx)
	if err != nil {
		return "", fmt.Errorf("invalidate reset tokens of user %d: %w", userID, err)
	}
	t := &PasswordResetToken{UserID: userID, TokenHash: fmt.Sprintf("%x", hash), CreatedAt: now,
		ExpiresAt: now.Add(lifetime), RequestIP: truncate(ip, 45)}
	if _, err := tx.NewInsert().Model(t).Exec(ctx); err != nil {
		return "", fmt.Errorf("create reset token for user %d: %w", userID, err)
	}
	return token, nil
}

// ResetTarget returns the user a reset token belongs to, or
// ErrResetTokenInvalid when the token is unknown, used, invalidated or
// expired.
func (s *Service) ResetTarget(ctx context.Context, token string) (*User, error) {
	t, err := s.validToken(ctx, s.db, token, false)
	if err != nil {
		return nil, err
	}
	u := new(User)
	if err := s.db.NewSelect().Model(u).Where("id_user = ?", t.UserID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load user %d: %w", t.UserID, err)
	}
	return u, nil
}

// ResetPassword sets a new password through a reset token: the token must
// be valid, the password must pass the policy and the history. The token
// is marked used and every session of the user is revoked. The person is
// not signed in: they sign in with the new password.
func (s *Service) ResetPassword(ctx context.Context, token, password, confirm, ip string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Locking the token row makes two submissions of one link take
		// turns; the second finds it used.
		t, err := s.validToken(ctx, tx, token, true)
		if err != nil {
			return err
		}
		u := new(User)
		if err := tx.NewSelect().Model(u).Where("id_user = ?", t.UserID).For("UPDATE").Scan(ctx); err != nil {
			return fmt.Errorf("load user %d: %w", t.UserID, err)
		}
		if err := s.setPassword(ctx, tx, u, password, confirm); err != nil {
			return err
		}
		_, err = tx.NewUpdate().Model(t).Set("used_at = ?", s.now()).WherePK().Exec(ctx)
		if err != nil {
			return fmt.Errorf("mark reset token %d used: %w", t.ID, err)
		}
		return s.audit(tx).Record(ctx, &audit.Event{Action: audit.ActionPasswordReset, UserID: u.ID,
			ActorEmail: u.Email, DistrictID: u.DistrictID, RecordType: "user", RecordID: u.ID, IP: ip})
	})
}

func (s *Service) validToken(ctx context.Context, db bun.IDB, token string, lock bool) (*PasswordResetToken, error) {
	if token == "" || len(token) > 100 {
		return nil, ErrResetTokenInvalid
	}
	t := new(PasswordResetToken)
	q := db.NewSelect().Model(t).
		Where("token_hash = ?", fmt.Sprintf("%x", HashToken(token))).
		Where("used_at IS NULL AND invalidated_at IS NULL AND expires_at > ?", s.now())
	if lock {
		q = q.For("UPDATE")
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrResetTokenInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("load reset token: %w", err)
	}
	return t, nil
}
