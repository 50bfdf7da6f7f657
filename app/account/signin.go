package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"goaltracker/app/audit"
)

// SignIn checks email and password and returns the user. Every path costs
// exactly one password hash, and every refusal is ErrBadCredentials. A
// wrong password counts towards the lockout; reaching the threshold locks
// the account for the lockout duration. Success resets the count, and
// upgrades the stored hash when the hash settings were raised.
func (s *Service) SignIn(ctx context.Context, email, password, ip string) (*User, error) {
	email = NormalizeEmail(email)
	u, err := s.userByEmail(ctx, s.db, email)
	if errors.Is(err, sql.ErrNoRows) {
		_, _ = CheckPassword(password, s.dummyHash)
		return nil, s.refuse(ctx, nil, email, ip, "unknown account")
	}
	if err != nil {
		return nil, err
	}

	hash := u.PasswordHash
	if hash == "" {
		hash = s.dummyHash
	}
	ok, err := CheckPassword(password, hash)
	if err != nil {
		ok = false
	}
	switch {
	case !u.IsActive:
		return nil, s.refuse(ctx, u, email, ip, "inactive account")
	case u.LockedUntil.After(s.now()):
		return nil, s.refuse(ctx, u, email, ip, "locked account")
	case u.PasswordHash == "":
		// An invited account that never chose a password, or one whose
		// password an administrator voided: refused like any other, but
		// not counted towards a lockout.
		return nil, s.refuse(ctx, u, email, ip, "password not set")
	case !ok:
		return nil, s.recordFailure(ctx, u, ip)
	}
	return u, s.recordSuccess(ctx, u, password, ip)
}

func (s *Service) userByEmail(ctx context.Context, db bun.IDB, email string) (*User, error) {
	u := new(User)
	err := db.NewSelect().Model(u).Where("lower(u.email) = ?", email).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load user by email: %w", err)
	}
	return u, nil
}

// refuse records a failed sign-in that does not count towards the lockout
// and returns ErrBadCredentials.
func (s *Service) refuse(ctx context.Context, u *User, email, ip, reason string) error {
	e := &audit.Event{Action: audit.ActionSignInFailed, ActorEmail: email, IP: ip,
		Details: map[string]any{"reason": reason}}
	if u != nil {
		e.UserID, e.DistrictID, e.RecordType, e.RecordID = u.ID, u.DistrictID, "user", u.ID
	}
	if err := s.audit(s.db).Record(ctx, e); err != nil {
		return err
	}
	return ErrBadCredentials
}

// recordFailure counts a wrong password, locking the account when the
// count reaches the threshold. One UPDATE does both, so concurrent
// attempts cannot slip past the threshold between a read and a write; the
// count starts again after a lock.
func (s *Service) recordFailure(ctx context.Context, u *User, ip string) error {
	now := s.now()
	var locked bool
	err := s.db.NewRaw(`UPDATE "user" SET
			failed_login_attempts = CASE WHEN coalesce(failed_login_attempts, 0) + 1 >= ?0
				THEN 0 ELSE coalesce(failed_login_attempts, 0) + 1 END,
			locked_until = CASE WHEN coalesce(failed_login_attempts, 0) + 1 >= ?0
				THEN ?1 ELSE locked_until END
		WHERE id_user = ?2
		RETURNING locked_until IS NOT NULL AND locked_until > ?3`,
		s.set.LockoutThreshold, now.Add(s.set.LockoutDuration), u.ID, now).Scan(ctx, &locked)
	if err != nil {
		return fmt.Errorf("count failed sign-in of user %d: %w", u.ID, err)
	}

	log := s.audit(s.db)
	e := &audit.Event{Action: audit.ActionSignInFailed, UserID: u.ID, ActorEmail: u.Email,
		DistrictID: u.DistrictID, RecordType: "user", RecordID: u.ID, IP: ip,
		Details: map[string]any{"reason": "wrong password"}}
	if err := log.Record(ctx, e); err != nil {
		return err
	}
	if locked {
		e := &audit.Event{Action: audit.ActionLockout, UserID: u.ID, ActorEmail: u.Email,
			DistrictID: u.DistrictID, RecordType: "user", RecordID: u.ID, IP: ip,
			Details: map[string]any{"minutes": int(s.set.LockoutDuration.Minutes())}}
		if err := log.Record(ctx, e); err != nil {
			return err
		}
	}
	return ErrBadCredentials
}

// recordSuccess clears the failure count and rehashes an outdated hash.
func (s *Service) recordSuccess(ctx context.Context, u *User, password, ip string) error {
	q := s.db.NewUpdate().Model(u).
		Set("failed_login_attempts = 0").
		Set("locked_until = NULL").
		WherePK()
	if NeedsRehash(u.PasswordHash, s.set.Hash) {
		hash, err := HashPassword(password, s.set.Hash)
		if err != nil {
			return err
		}
		q = q.Set("password_hash = ?", hash)
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("record sign-in of user %d: %w", u.ID, err)
	}
	u.FailedLoginAttempts = 0
	return s.audit(s.db).Record(ctx, &audit.Event{Action: audit.ActionSignIn, UserID: u.ID,
		ActorEmail: u.Email, DistrictID: u.DistrictID, RecordType: "user", RecordID: u.ID, IP: ip})
}
