package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/problem"
)

// touchInterval limits how often a session's last use is written: once a
// minute is enough for the idle timeout and spares a write per request.
const touchInterval = time.Minute

// NewToken returns 32 random bytes, base64url-encoded, for a cookie or a
// link, and the SHA-256 that is stored in its place.
func NewToken() (token string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("read random token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken returns the SHA-256 of token, the form tokens are stored and
// looked up in.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// StartSession creates a session for u (a fresh token, so no token from
// before sign-in is ever reused) in u's primary program, and returns the
// token for the cookie.
func (s *Service) StartSession(ctx context.Context, u *User, ip, userAgent string) (string, error) {
	token, hash, err := NewToken()
	if err != nil {
		return "", err
	}
	now := s.now()
	sess := &Session{UserID: u.ID, TokenHash: hash, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.set.SessionLifetime), IP: ip, UserAgent: truncate(userAgent, 255)}
	_, err = s.db.NewInsert().Model(sess).
		Value("id_program", `(SELECT id_program FROM user_program
			WHERE id_user = ? AND status = 'active' ORDER BY is_primary DESC, id_program LIMIT 1)`, u.ID).
		Exec(ctx)
	if err != nil {
		return "", fmt.Errorf("start session for user %d: %w", u.ID, err)
	}
	return token, nil
}

// Current is a live session with what the request needs about its user:
// the role's grants and the user's programs, read in one statement. It is
// shared by the requests of the session while cached, so it is read-only.
type Current struct {
	SessionID int64
	ProgramID int64
	ExpiresAt time.Time
	User      User
	RoleName  string
	// Grants are "resource.action.scope" strings of the user's role.
	Grants   []string
	Programs []ProgramRef

	principal *access.Principal
}

// Principal is who the session's requests act for.
func (c *Current) Principal() *access.Principal { return c.principal }

// ProgramRef is one of the user's active programs.
type ProgramRef struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	IsPrimary bool   `json:"primary"`
}

// sessionSQL reads a live session with its user, the role's grants and
// the user's active programs in one statement. It runs for every request
// the session cache cannot answer, so it goes through pgx as a prepared
// statement, planned once per connection.
const sessionSQL = `SELECT s.id_session, s.id_program, s.last_seen_at, s.expires_at, r.name,
		coalesce((SELECT array_agg(p.resource || '.' || p.action || '.' || p.scope)
			FROM role_permission rp JOIN permission p ON p.id_permission = rp.id_permission
			WHERE rp.id_role = u.id_role), '{}'),
		coalesce((SELECT json_agg(json_build_object('id', pr.id_program, 'name', pr.name,
				'primary', up.is_primary) ORDER BY up.is_primary DESC, pr.name)
			FROM user_program up JOIN program pr ON pr.id_program = up.id_program
			WHERE up.id_user = u.id_user AND up.status = 'active'), '[]'),
		u.id_user, u.id_role, u.id_school_district, u.email, u.name, u.is_active
	FROM session s
	JOIN "user" u ON u.id_user = s.id_user
	LEFT JOIN role r ON r.id_role = u.id_role
	WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
		AND s.last_seen_at > $3 AND u.is_active`

// SessionByToken returns the session of token with its user, grants and
// programs. It returns ErrNoSession when the token is unknown, revoked,
// past its lifetime, idle too long, or its user is inactive. While
// WatchSessions runs, a session read in the last minute is answered from
// memory.
func (s *Service) SessionByToken(ctx context.Context, token string) (*Current, error) {
	if token == "" {
		return nil, ErrNoSession
	}
	now := s.now()
	hash := HashToken(token)
	key := string(hash)
	if cur, ok := s.cache.get(key, now); ok {
		return cur, nil
	}
	gen := s.cache.generation()
	var (
		cur                 Current
		program, role, dist *int64
		roleName, name      *string
		lastSeen            time.Time
		programs            []byte
	)
	err := s.pool.QueryRow(ctx, sessionSQL, hash, now, now.Add(-s.set.SessionIdle)).Scan(
		&cur.SessionID, &program, &lastSeen, &cur.ExpiresAt, &roleName, &cur.Grants, &programs,
		&cur.User.ID, &role, &dist, &cur.User.Email, &name, &cur.User.IsActive)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("load session: %w", err)
	}
	cur.ProgramID, cur.User.RoleID, cur.User.DistrictID = deref(program), deref(role), deref(dist)
	cur.RoleName, cur.User.Name = deref(roleName), deref(name)
	if err := json.Unmarshal(programs, &cur.Programs); err != nil {
		return nil, fmt.Errorf("read programs of user %d: %w", cur.User.ID, err)
	}
	if now.Sub(lastSeen) > touchInterval {
		if err := s.touch(ctx, cur.SessionID, now); err != nil {
			return nil, err
		}
		lastSeen = now
	}
	cur.principal = cur.newPrincipal()
	// The entry lasts until the session's next touch, so that the idle
	// timeout keeps counting from a use at most a minute old.
	until := lastSeen.Add(min(touchInterval, s.set.SessionIdle))
	if cur.ExpiresAt.Before(until) {
		until = cur.ExpiresAt
	}
	s.cache.put(key, &cur, until, gen, now)
	return &cur, nil
}

func (c *Current) newPrincipal() *access.Principal {
	p := access.Principal{UserID: c.User.ID, Email: c.User.Email, Name: c.User.Name,
		DistrictID: c.User.DistrictID, RoleName: c.RoleName, CurrentProgramID: c.ProgramID}
	for _, prog := range c.Programs {
		p.ProgramIDs = append(p.ProgramIDs, prog.ID)
	}
	return access.NewPrincipal(p, c.Grants)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func (s *Service) touch(ctx context.Context, sessionID int64, now time.Time) error {
	_, err := s.db.NewUpdate().Table("session").Set("last_seen_at = ?", now).
		Where("id_session = ?", sessionID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("touch session %d: %w", sessionID, err)
	}
	return nil
}

// EndSession revokes the session of token (sign-out). An unknown token is
// not an error: the person is signed out either way. The session leaves
// this process's cache at once, and every other's when they hear of it.
func (s *Service) EndSession(ctx context.Context, token, ip string) error {
	var userID int64
	err := s.db.NewRaw(`UPDATE session SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL
		RETURNING id_user`, s.now(), HashToken(token)).Scan(ctx, &userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	s.cache.forgetUser(userID)
	return s.audit(s.db).Record(ctx, &audit.Event{Action: audit.ActionSignOut, UserID: userID,
		RecordType: "user", RecordID: userID, IP: ip})
}

// RevokeSessions ends every session of userID, through db so that it can
// share the transaction of the change that causes it.
func (s *Service) RevokeSessions(ctx context.Context, db bun.IDB, userID int64) error {
	_, err := db.NewUpdate().Table("session").Set("revoked_at = ?", s.now()).
		Where("id_user = ? AND revoked_at IS NULL", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("revoke sessions of user %d: %w", userID, err)
	}
	return nil
}

// SwitchProgram makes programID the session's current program. It returns
// an error wrapping problem.ErrNotFound when programID is not one of the
// user's active programs.
func (s *Service) SwitchProgram(ctx context.Context, sessionID, userID, programID int64) error {
	res, err := s.db.NewRaw(`UPDATE session SET id_program = ? WHERE id_session = ? AND id_user = ?
		AND EXISTS (SELECT 1 FROM user_program WHERE id_user = ? AND id_program = ? AND status = 'active')`,
		programID, sessionID, userID, userID, programID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("switch session %d to program %d: %w", sessionID, programID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("switch to program %d: %w", programID, problem.ErrNotFound)
	}
	// The person's next request may come before the notification of the
	// change is heard, and must already see the new program.
	s.cache.forgetUser(userID)
	return nil
}

// truncate shortens s to at most n characters of valid UTF-8: headers such
// as User-Agent may hold any bytes, and PostgreSQL refuses invalid text.
func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
