// Package account holds the people who sign in: their accounts, passwords
// and password history, reset tokens and sessions.
package account

import (
	"time"

	"github.com/uptrace/bun"
)

// User is a staff account. Its email is unique regardless of case.
// DistrictID scopes district-level roles; an inactive user cannot sign in.
type User struct {
	bun.BaseModel `bun:"table:user,alias:u"`

	ID                  int64     `bun:"id_user,pk,autoincrement"`
	RoleID              int64     `bun:"id_role,nullzero"`
	DistrictID          int64     `bun:"id_school_district,nullzero"`
	Email               string    `bun:"email,nullzero"`
	Name                string    `bun:"name,nullzero"`
	PasswordHash        string    `bun:"password_hash,nullzero"`
	PasswordUpdatedAt   time.Time `bun:"password_updated_at,nullzero"`
	FailedLoginAttempts int       `bun:"failed_login_attempts,notnull,default:0"`
	LockedUntil         time.Time `bun:"locked_until,nullzero"`
	IsActive            bool      `bun:"is_active,notnull,default:true"`
	CreatedAt           time.Time `bun:"created_at,nullzero,default:now()"`
}

// PasswordHistory is one earlier password hash of a user, kept so that
// recent passwords cannot be chosen again.
type PasswordHistory struct {
	bun.BaseModel `bun:"table:password_history,alias:ph"`

	ID           int64     `bun:"id_password_history,pk,autoincrement"`
	UserID       int64     `bun:"id_user,nullzero"`
	PasswordHash string    `bun:"password_hash,notnull"`
	CreatedAt    time.Time `bun:"created_at,nullzero,default:now()"`
}

// PasswordResetToken is one emailed reset link. Only the SHA-256 of the
// token is stored. A token is good until it expires, is used, or a newer
// one invalidates it.
type PasswordResetToken struct {
	bun.BaseModel `bun:"table:password_reset_token,alias:prt"`

	ID            int64     `bun:"id_password_reset_token,pk,autoincrement"`
	UserID        int64     `bun:"id_user,nullzero"`
	TokenHash     string    `bun:"token_hash,nullzero"`
	ExpiresAt     time.Time `bun:"expires_at,notnull"`
	CreatedAt     time.Time `bun:"created_at,nullzero,default:now()"`
	UsedAt        time.Time `bun:"used_at,nullzero"`
	InvalidatedAt time.Time `bun:"invalidated_at,nullzero"`
	RequestIP     string    `bun:"request_ip,nullzero"`
}

// Session is a signed-in browser. The cookie holds a random token; the row
// holds only its SHA-256. ProgramID is the program the user works in now.
type Session struct {
	bun.BaseModel `bun:"table:session,alias:s"`

	ID         int64     `bun:"id_session,pk,autoincrement"`
	UserID     int64     `bun:"id_user,notnull"`
	User       *User     `bun:"rel:belongs-to,join:id_user=id_user"`
	TokenHash  []byte    `bun:"token_hash,notnull"`
	ProgramID  int64     `bun:"id_program,nullzero"`
	CreatedAt  time.Time `bun:"created_at,nullzero,default:now()"`
	LastSeenAt time.Time `bun:"last_seen_at,nullzero,default:now()"`
	ExpiresAt  time.Time `bun:"expires_at,notnull"`
	RevokedAt  time.Time `bun:"revoked_at,nullzero"`
	IP         string    `bun:"ip,nullzero"`
	UserAgent  string    `bun:"user_agent,nullzero"`
}
