package access

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"goaltracker/app/audit"
	"goaltracker/app/problem"
)

// Grid is every role and every permission, and which role holds which.
// Roles are shared by the whole installation: the role table has no
// district.
type Grid struct {
	Roles []*Role
	// Permissions are ordered by resource, action, then scope from the
	// narrowest.
	Permissions []*Permission
	granted     map[[2]int64]bool
}

// Granted reports whether role holds permission.
func (g *Grid) Granted(roleID, permissionID int64) bool {
	return g.granted[[2]int64{roleID, permissionID}]
}

// GridAccess is what a person may do to the grid.
type GridAccess int

// What a person may do to the grid, from nothing to everything.
const (
	// GridHidden: no role.manage grant.
	GridHidden GridAccess = iota
	// GridReadOnly: a district-scope grant on an installation of several
	// districts, where a change would reach the other districts too.
	GridReadOnly
	// GridDistrict: a district-scope grant on a one-district installation:
	// any change but granting an all-scope permission.
	GridDistrict
	// GridAll: an all-scope grant, any change.
	GridAll
)

// GridAccessOf says what who may do to the grid on an installation of
// districts districts.
func GridAccessOf(who *Principal, districts int64) GridAccess {
	switch {
	case who.CanIn("role", "manage", ScopeAll):
		return GridAll
	case who.CanIn("role", "manage", ScopeDistrict) && districts == 1:
		return GridDistrict
	case who.Can("role", "manage"):
		return GridReadOnly
	}
	return GridHidden
}

// MayChange reports whether access allows setting perm to granted.
func (a GridAccess) MayChange(perm *Permission, granted bool) bool {
	switch a {
	case GridAll:
		return true
	case GridDistrict:
		return !granted || perm.Scope != ScopeAll
	}
	return false
}

// Roles reads and changes the roles and their grants.
type Roles struct {
	db bun.IDB
}

// NewRoles returns Roles on db. It registers the role_permission model
// with db's tables, which Role's many-to-many relation needs before Bun
// can use Role at all.
func NewRoles(db bun.IDB) *Roles {
	db.Dialect().Tables().Register((*RolePermission)(nil))
	return &Roles{db: db}
}

// Grid loads the whole grid.
func (r *Roles) Grid(ctx context.Context) (*Grid, error) {
	g := &Grid{granted: map[[2]int64]bool{}}
	if err := r.db.NewSelect().Model(&g.Roles).OrderExpr("role.id_role").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list roles: %w", err)
	}
	err := r.db.NewSelect().Model(&g.Permissions).OrderExpr(`perm.resource, perm.action,
		array_position(ARRAY['own','primary','assigned','program','district','all']::text[], perm.scope::text),
		perm.name`).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list permissions: %w", err)
	}
	var pairs []RolePermission
	if err := r.db.NewSelect().Model(&pairs).Column("id_role", "id_permission").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list role grants: %w", err)
	}
	for _, p := range pairs {
		g.granted[[2]int64{p.RoleID, p.PermissionID}] = true
	}
	return g, nil
}

// districtCount counts the districts, the figure GridAccessOf needs.
func districtCount(ctx context.Context, db bun.IDB) (int64, error) {
	var n int64
	if err := db.NewRaw("SELECT count(*) FROM school_district").Scan(ctx, &n); err != nil {
		return 0, fmt.Errorf("count districts: %w", err)
	}
	return n, nil
}

// Access says what who may do to the grid now.
func (r *Roles) Access(ctx context.Context, who *Principal) (GridAccess, error) {
	n, err := districtCount(ctx, r.db)
	if err != nil {
		return GridHidden, err
	}
	return GridAccessOf(who, n), nil
}

// Grant is one cell of the grid to set.
type Grant struct {
	RoleID, PermissionID int64
	Granted              bool
}

// SetGrant gives or takes one permission of one role, as who, and records
// a role_change event. The change runs under KeepAdmins: one that would
// leave a district without an active account able to manage users and
// roles is refused with a *problem.Invalid, and nothing changes. A role or
// permission that does not exist is problem.ErrNotFound; a change who's
// GridAccess does not allow is problem.ErrForbidden. Setting a cell to
// what it already is changes and records nothing.
func (r *Roles) SetGrant(ctx context.Context, who *Principal, a audit.Actor, g Grant) error {
	role, perm, err := r.cell(ctx, g)
	if err != nil {
		return err
	}
	return r.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := districtCount(ctx, tx)
		if err != nil {
			return err
		}
		if !GridAccessOf(who, n).MayChange(perm, g.Granted) {
			return fmt.Errorf("set %s of role %s: %w", perm.Name, role.Name, problem.ErrForbidden)
		}
		changed := false
		err = KeepAdmins(ctx, tx, func() error {
			changed, err = writeGrant(ctx, tx, g)
			return err
		})
		if err != nil || !changed {
			return err
		}
		// Roles belong to no district; the event goes under the actor's,
		// so that their district's log shows it.
		return audit.NewLog(tx).Record(ctx, a.Event(audit.ActionRoleChange, who.DistrictID, "role", role.ID,
			map[string]any{"role": role.Name, "permission": perm.Name, "granted": g.Granted}))
	})
}

// cell loads the role and the permission g names.
func (r *Roles) cell(ctx context.Context, g Grant) (*Role, *Permission, error) {
	role, perm := new(Role), new(Permission)
	err := r.db.NewSelect().Model(role).Where("role.id_role = ?", g.RoleID).Scan(ctx)
	if err == nil {
		err = r.db.NewSelect().Model(perm).Where("perm.id_permission = ?", g.PermissionID).Scan(ctx)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("role %d, permission %d: %w", g.RoleID, g.PermissionID, problem.ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load role %d and permission %d: %w", g.RoleID, g.PermissionID, err)
	}
	return role, perm, nil
}

// writeGrant inserts or deletes the role_permission row of g and reports
// whether a row changed.
func writeGrant(ctx context.Context, tx bun.Tx, g Grant) (bool, error) {
	var res sql.Result
	var err error
	if g.Granted {
		res, err = tx.NewInsert().Model(&RolePermission{RoleID: g.RoleID, PermissionID: g.PermissionID}).
			On("CONFLICT (id_role, id_permission) DO NOTHING").Exec(ctx)
	} else {
		res, err = tx.NewDelete().Model((*RolePermission)(nil)).
			Where("id_role = ? AND id_permission = ?", g.RoleID, g.PermissionID).Exec(ctx)
	}
	if err != nil {
		return false, fmt.Errorf("write grant of permission %d to role %d: %w", g.PermissionID, g.RoleID, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// roleNamePattern is what a role's name may look like: it is typed on the
// command line (user add --role) and shown with underscores as spaces.
var roleNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Lengths of the role's columns and of the description the form accepts.
const (
	maxRoleName        = 100
	maxRoleDescription = 2000
)

// NewRole is a role to create: its name, description, and the role whose
// grants it starts with.
type NewRole struct {
	Name        string
	Description string
	CopyFrom    int64
}

// CreateRole adds a role holding the grants of in.CopyFrom. A bad or
// taken name, or a missing role to copy, is a *problem.Invalid; so is
// copying a role with all-scope grants by someone without all-scope role
// management, which would hand out rights they lack. Without the right to
// change the grid it is problem.ErrForbidden.
func (r *Roles) CreateRole(ctx context.Context, who *Principal, a audit.Actor, in NewRole) (*Role, error) {
	role := &Role{Name: strings.TrimSpace(in.Name), Description: strings.TrimSpace(in.Description)}
	err := r.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := districtCount(ctx, tx)
		if err != nil {
			return err
		}
		acc := GridAccessOf(who, n)
		if acc < GridDistrict {
			return fmt.Errorf("create role: %w", problem.ErrForbidden)
		}
		if err := checkRole(ctx, tx, role, in.CopyFrom, acc); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(role).Returning("*").Exec(ctx); err != nil {
			return roleInsertError(err, role.Name)
		}
		_, err = tx.NewRaw(`INSERT INTO role_permission (id_role, id_permission)
			SELECT ?, id_permission FROM role_permission WHERE id_role = ?`, role.ID, in.CopyFrom).Exec(ctx)
		if err != nil {
			return fmt.Errorf("copy the grants of role %d: %w", in.CopyFrom, err)
		}
		return audit.NewLog(tx).Record(ctx, a.Event(audit.ActionRoleCreated, who.DistrictID, "role", role.ID,
			map[string]any{"role": role.Name, "copied_from": in.CopyFrom}))
	})
	if err != nil {
		return nil, err
	}
	return role, nil
}

// roleInsertError turns the unique key on role names, which a concurrent
// insert can reach after the check, into a message.
func roleInsertError(err error, name string) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		inv := problem.NewInvalid()
		inv.Add("name", "There is already a role of that name.")
		return inv
	}
	return fmt.Errorf("create role %q: %w", name, err)
}

func checkRole(ctx context.Context, tx bun.Tx, role *Role, copyFrom int64, acc GridAccess) error {
	inv := problem.NewInvalid()
	switch {
	case !roleNamePattern.MatchString(role.Name):
		inv.Add("name", "Use lower-case letters, digits and underscores, starting with a letter, such as lead_teacher.")
	case len(role.Name) > maxRoleName:
		inv.Add("name", fmt.Sprintf("Keep the name to %d characters.", maxRoleName))
	}
	if !utf8.ValidString(role.Description) || strings.ContainsRune(role.Description, 0) {
		inv.Add("description", "Use plain text: this contains characters that cannot be stored.")
	} else if utf8.RuneCountInString(role.Description) > maxRoleDescription {
		inv.Add("description", fmt.Sprintf("Keep the description to %d characters.", maxRoleDescription))
	}
	if err := inv.Err(); err != nil {
		return err
	}

	taken, err := tx.NewSelect().Model((*Role)(nil)).Where("role.name = ?", role.Name).Exists(ctx)
	if err != nil {
		return fmt.Errorf("look up role %q: %w", role.Name, err)
	}
	if taken {
		inv.Add("name", "There is already a role of that name.")
	}
	var source struct {
		Found  bool `bun:"found"`
		HasAll bool `bun:"has_all"`
	}
	err = tx.NewRaw(`SELECT true AS found, EXISTS (SELECT 1 FROM role_permission AS rp
			JOIN permission AS p ON p.id_permission = rp.id_permission
			WHERE rp.id_role = r.id_role AND p.scope = 'all') AS has_all
		FROM role AS r WHERE r.id_role = ?`, copyFrom).Scan(ctx, &source)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		inv.Add("copy_from", "Choose the role to start from.")
	case err != nil:
		return fmt.Errorf("look up role %d: %w", copyFrom, err)
	case source.HasAll && acc != GridAll:
		inv.Add("copy_from", "That role holds rights over every district, "+
			"which only an installation-wide administrator may hand out.")
	}
	return inv.Err()
}
