package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/problem"
)

// Statuses the staff list filters on. A locked account is active but
// refuses sign-in until its lock runs out or someone lifts it.
const (
	StatusActive   = "active"
	StatusInactive = "inactive"
	StatusLocked   = "locked"
)

// UserListLimit bounds the staff list; a search narrows a larger district.
const UserListLimit = 500

// Managed is an account as the staff pages show it: its role, programs,
// state and last sign-in.
type Managed struct {
	ID          int64     `bun:"id_user"`
	DistrictID  int64     `bun:"id_school_district"`
	Email       string    `bun:"email"`
	Name        string    `bun:"name"`
	RoleName    string    `bun:"role_name"`
	IsActive    bool      `bun:"is_active"`
	LockedUntil time.Time `bun:"locked_until"`
	CreatedAt   time.Time `bun:"created_at"`
	// RoleIsGlobal is set when the account's role holds a grant at the all
	// scope: only those managing users at the all scope may change it.
	RoleIsGlobal bool `bun:"role_is_global"`
	// HasPassword is false for an invited account and after a forced
	// reset, until the person sets one through the emailed link.
	HasPassword bool `bun:"has_password"`
	// IsInvited is set while an invited account has never set a password.
	IsInvited  bool      `bun:"is_invited"`
	LastSignIn time.Time `bun:"last_sign_in"`
	// Programs are the names of the active programs, primary first.
	Programs []string `bun:"programs,array"`
}

// IsLocked reports whether the account is locked at now.
func (m *Managed) IsLocked(now time.Time) bool { return m.LockedUntil.After(now) }

// UserFilter narrows the staff list of one district. Query matches part
// of a name or an email; Role is a role name; Status one of the Status
// constants. Empty fields do not narrow.
type UserFilter struct {
	DistrictID int64
	Query      string
	Role       string
	Status     string
}

// ListUsers returns the accounts of f's district that match f, by name,
// at most UserListLimit of them. A district outside who's user.manage
// scope is an error wrapping problem.ErrNotFound.
func (s *Service) ListUsers(ctx context.Context, who *access.Principal, f UserFilter) ([]Managed, error) {
	if !who.CanScope("user", "manage", f.DistrictID, 0) {
		return nil, fmt.Errorf("list users of district %d: %w", f.DistrictID, problem.ErrNotFound)
	}
	q := managedQuery(s.db).Where("u.id_school_district = ?", f.DistrictID)
	if pattern := containsPattern(f.Query); pattern != "" {
		q = q.Where("(u.name ILIKE ? OR u.email ILIKE ?)", pattern, pattern)
	}
	if f.Role != "" {
		q = q.Where("r.name = ?", truncate(f.Role, 100))
	}
	now := s.now()
	switch f.Status {
	case StatusActive:
		q = q.Where("u.is_active AND (u.locked_until IS NULL OR u.locked_until <= ?)", now)
	case StatusInactive:
		q = q.Where("NOT u.is_active")
	case StatusLocked:
		q = q.Where("u.is_active AND u.locked_until > ?", now)
	}

	var rows []Managed
	err := q.OrderExpr("lower(u.name), u.id_user").Limit(UserListLimit).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("list users of district %d: %w", f.DistrictID, err)
	}
	return rows, nil
}

// containsPattern turns search text into an ILIKE pattern matching it
// anywhere, with LIKE's wildcards taken literally; "" for no search.
func containsPattern(text string) string {
	text = strings.TrimSpace(truncate(text, 100))
	if text == "" {
		return ""
	}
	escaped := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(text)
	return "%" + escaped + "%"
}

// managedQuery selects accounts in the shape of Managed. The last sign-in
// is the newest session's start, which the session index finds cheaply.
func managedQuery(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().TableExpr(`"user" AS u`).
		Join("LEFT JOIN role AS r ON r.id_role = u.id_role").
		ColumnExpr("u.id_user, u.id_school_district, u.email, u.name, u.is_active").
		ColumnExpr("u.locked_until, u.created_at, r.name AS role_name").
		ColumnExpr(`EXISTS (SELECT 1 FROM role_permission AS rp
			JOIN permission AS pm ON pm.id_permission = rp.id_permission
			WHERE rp.id_role = u.id_role AND pm.scope = 'all') AS role_is_global`).
		ColumnExpr("u.password_hash IS NOT NULL AS has_password").
		// A forced reset keeps the voided password in the history, so an
		// account without a password and without history never had one.
		ColumnExpr(`u.password_hash IS NULL AND NOT EXISTS (SELECT 1 FROM password_history AS ph
			WHERE ph.id_user = u.id_user) AS is_invited`).
		ColumnExpr("(SELECT max(se.created_at) FROM session AS se WHERE se.id_user = u.id_user) AS last_sign_in").
		ColumnExpr(`coalesce((SELECT array_agg(pr.name ORDER BY up.is_primary DESC, pr.name)
			FROM user_program AS up JOIN program AS pr ON pr.id_program = up.id_program
			WHERE up.id_user = u.id_user AND up.status = 'active'), '{}') AS programs`)
}

// ManagedUser returns account id for who. An account outside who's
// user.manage scope is an error wrapping problem.ErrNotFound, like one
// that does not exist.
func (s *Service) ManagedUser(ctx context.Context, who *access.Principal, id int64) (*Managed, error) {
	return s.managed(ctx, s.db, who, id, false)
}

// managed loads account id for who. With change set it also locks the
// row, inside the caller's transaction, and refuses with
// problem.ErrForbidden an account whose role reaches every district unless
// who manages users at the all scope.
func (s *Service) managed(ctx context.Context, db bun.IDB, who *access.Principal, id int64,
	change bool) (*Managed, error) {
	q := managedQuery(db).Where("u.id_user = ?", id)
	if change {
		q = q.For("UPDATE OF u")
	}
	var rows []Managed
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("load user %d: %w", id, err)
	}
	if len(rows) == 0 || !who.CanScope("user", "manage", rows[0].DistrictID, 0) {
		return nil, fmt.Errorf("load user %d: %w", id, problem.ErrNotFound)
	}
	m := &rows[0]
	if change && m.RoleIsGlobal && !who.CanIn("user", "manage", access.ScopeAll) {
		return nil, fmt.Errorf("change user %d of an all-district role: %w", id, problem.ErrForbidden)
	}
	return m, nil
}

// RoleChoice is a role someone may give.
type RoleChoice struct {
	ID       int64  `bun:"id_role"`
	Name     string `bun:"name"`
	IsGlobal bool   `bun:"is_global"`
}

// AssignableRoles returns the roles who may give to an account: every role
// for those managing users at the all scope, else only the roles without
// an all-scope grant, so that a district cannot make system admins.
func (s *Service) AssignableRoles(ctx context.Context, who *access.Principal) ([]RoleChoice, error) {
	var roles []RoleChoice
	err := s.db.NewSelect().TableExpr("role AS r").ColumnExpr("r.id_role, r.name").
		ColumnExpr(`EXISTS (SELECT 1 FROM role_permission AS rp
			JOIN permission AS pm ON pm.id_permission = rp.id_permission
			WHERE rp.id_role = r.id_role AND pm.scope = 'all') AS is_global`).
		OrderExpr("r.id_role").Scan(ctx, &roles)
	if err != nil {
		return nil, fmt.Errorf("list roles: %w", err)
	}
	all := who.CanIn("user", "manage", access.ScopeAll)
	out := roles[:0]
	for _, r := range roles {
		if all || !r.IsGlobal {
			out = append(out, r)
		}
	}
	return out, nil
}

// roleFor returns the id of role name for who to give. An unknown role is
// a *problem.Invalid on field role; a role who may not give wraps
// problem.ErrForbidden.
func (s *Service) roleFor(ctx context.Context, db bun.IDB, who *access.Principal, name string) (int64, error) {
	var r RoleChoice
	err := db.NewSelect().TableExpr("role AS r").ColumnExpr("r.id_role, r.name").
		ColumnExpr(`EXISTS (SELECT 1 FROM role_permission AS rp
			JOIN permission AS pm ON pm.id_permission = rp.id_permission
			WHERE rp.id_role = r.id_role AND pm.scope = 'all') AS is_global`).
		Where("r.name = ?", truncate(name, 100)).Scan(ctx, &r)
	if errors.Is(err, sql.ErrNoRows) {
		inv := problem.NewInvalid()
		inv.Add("role", "Choose a role from the list.")
		return 0, inv
	}
	if err != nil {
		return 0, fmt.Errorf("look up role %q: %w", name, err)
	}
	if r.IsGlobal && !who.CanIn("user", "manage", access.ScopeAll) {
		return 0, fmt.Errorf("give role %s: %w", name, problem.ErrForbidden)
	}
	return r.ID, nil
}

// record writes an audit event of who about account m, inside tx.
func (s *Service) record(ctx context.Context, tx bun.Tx, who *access.Principal, m *Managed, action string,
	details map[string]any) error {
	return s.audit(tx).Record(ctx, &audit.Event{Action: action, UserID: who.UserID, ActorEmail: who.Email,
		DistrictID: m.DistrictID, RecordType: "user", RecordID: m.ID, Details: details})
}

// change runs fn on account id, loaded and locked for who, in one
// transaction.
func (s *Service) change(ctx context.Context, who *access.Principal, id int64,
	fn func(tx bun.Tx, m *Managed) error) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		m, err := s.managed(ctx, tx, who, id, true)
		if err != nil {
			return err
		}
		return fn(tx, m)
	})
}

// DistrictChoice is a district whose accounts someone may manage.
type DistrictChoice struct {
	ID   int64  `bun:"id_school_district"`
	Name string `bun:"name"`
}

// ManagedDistricts returns the districts whose accounts who may manage, by
// name: every district at the all scope, else who's own.
func (s *Service) ManagedDistricts(ctx context.Context, who *access.Principal) ([]DistrictChoice, error) {
	q := s.db.NewSelect().Table("school_district").Column("id_school_district", "name").
		OrderExpr("name, id_school_district")
	if !who.CanIn("user", "manage", access.ScopeAll) {
		q = q.Where("id_school_district = ?", who.DistrictID)
	}
	var ds []DistrictChoice
	if err := q.Scan(ctx, &ds); err != nil {
		return nil, fmt.Errorf("list districts: %w", err)
	}
	return ds, nil
}
