package account

import (
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/uptrace/bun"

	"goaltracker/app/audit"
	"goaltracker/app/db"
)

// Errors of the account package.
var (
	// ErrBadCredentials is the one answer to a failed sign-in, whatever the
	// reason (unknown email, wrong password, locked or inactive account),
	// so that the answer reveals nothing about the account.
	ErrBadCredentials = errors.New("email or password not accepted")
	// ErrNoSession means the session token is unknown, expired or revoked.
	ErrNoSession = errors.New("no valid session")
	// ErrResetTokenInvalid means a reset link is unknown, used, expired or
	// replaced by a newer one.
	ErrResetTokenInvalid = errors.New("reset link no longer valid")
)

// Settings are the account rules a district configures.
type Settings struct {
	Hash               HashParams
	Policy             PasswordPolicy
	HistoryCount       int
	LockoutThreshold   int
	LockoutDuration    time.Duration
	SessionIdle        time.Duration
	SessionLifetime    time.Duration
	ResetTokenLifetime time.Duration
	// InvitationLifetime is how long the set-password link of a new
	// account works; zero means DefaultInvitationLifetime. It is longer
	// than a reset link's: a new colleague may not read mail at once.
	InvitationLifetime time.Duration
}

// DefaultInvitationLifetime is the invitation lifetime when the settings
// leave it unset.
const DefaultInvitationLifetime = 7 * 24 * time.Hour

// Service signs people in and out and manages their passwords.
type Service struct {
	db *bun.DB
	// pool runs the per-request session lookup as a prepared statement.
	pool *pgxpool.Pool
	set  Settings
	now  func() time.Time
	// dummyHash is verified against when an email is unknown, so that a
	// sign-in for a missing account costs the same hash as a real one.
	dummyHash string
	// cache answers session lookups from memory while WatchSessions runs.
	cache sessionCache
}

// NewService returns a Service. It makes one hash up front for the
// unknown-email path, which is why it can fail.
func NewService(d *db.DB, set Settings) (*Service, error) {
	dummy, err := HashPassword("no account has this password", set.Hash)
	if err != nil {
		return nil, err
	}
	if set.InvitationLifetime <= 0 {
		set.InvitationLifetime = DefaultInvitationLifetime
	}
	return &Service{db: d.DB, pool: d.Pool, set: set, now: time.Now, dummyHash: dummy}, nil
}

// SetClock replaces the service's clock, for tests of expiry and lockout.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Settings returns the rules the service applies.
func (s *Service) Settings() Settings { return s.set }

// NormalizeEmail is the form emails are compared in: trimmed, lower case.
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

func (s *Service) audit(db bun.IDB) *audit.Log { return audit.NewLog(db) }
