package access

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"goaltracker/app/problem"
)

// adminLock is the advisory lock key that serialises changes able to take
// away a district's last administrator: role grants, role assignments and
// deactivations. Without it two admins demoting each other at once could
// both pass the check.
const adminLock = 7_311_001

// Administration needs both grants: managing users (to give someone a role)
// and managing roles (to repair the grid). Someone holding both at the all
// scope administers every district.
const adminHoldersSQL = `
WITH holders AS (
	SELECT u.id_user, u.id_school_district,
		bool_or(p.resource = 'user' AND p.action = 'manage' AND p.scope IN ('district', 'all')) AS users_d,
		bool_or(p.resource = 'role' AND p.action = 'manage' AND p.scope IN ('district', 'all')) AS roles_d,
		bool_or(p.resource = 'user' AND p.action = 'manage' AND p.scope = 'all') AS users_a,
		bool_or(p.resource = 'role' AND p.action = 'manage' AND p.scope = 'all') AS roles_a
	FROM "user" AS u
	JOIN role_permission AS rp ON rp.id_role = u.id_role
	JOIN permission AS p ON p.id_permission = rp.id_permission
	WHERE u.is_active
	GROUP BY u.id_user, u.id_school_district
)
SELECT d.id_school_district
FROM school_district AS d
WHERE NOT EXISTS (SELECT 1 FROM holders AS h
		WHERE (h.id_school_district = d.id_school_district AND h.users_d AND h.roles_d)
			OR (h.users_a AND h.roles_a))
ORDER BY d.id_school_district`

// DistrictsWithoutAdmin returns the districts in which no active user may
// manage both users and roles.
func DistrictsWithoutAdmin(ctx context.Context, db bun.IDB) ([]int64, error) {
	var ids []int64
	if err := db.NewRaw(adminHoldersSQL).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("find districts without an administrator: %w", err)
	}
	return ids, nil
}

// KeepAdmins runs change inside tx and refuses it, with a message for the
// form, when it leaves a district that had an administrator without one.
// A district that had none before (a new one) does not block the change.
// The caller rolls tx back on the error.
func KeepAdmins(ctx context.Context, tx bun.Tx, change func() error) error {
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", adminLock); err != nil {
		return fmt.Errorf("lock administrators: %w", err)
	}
	before, err := DistrictsWithoutAdmin(ctx, tx)
	if err != nil {
		return err
	}
	if err := change(); err != nil {
		return err
	}
	after, err := DistrictsWithoutAdmin(ctx, tx)
	if err != nil {
		return err
	}
	for _, id := range after {
		if !slices.Contains(before, id) {
			inv := problem.NewInvalid()
			inv.Form = "This change would leave a district without anyone able to manage its users and roles. " +
				"Give another active account that right first."
			return inv
		}
	}
	return nil
}

// AdminResources are the resources of the administration pages; holding
// any grant on one of them opens the Admin section.
var AdminResources = [][2]string{
	{"program", "manage"}, {"user", "manage"}, {"role", "manage"}, {"calendar", "manage"},
	{"audit", "read"}, {"roster", "manage"}, {"assignment", "manage"}, {"district", "manage"},
}

// CanAdminister reports whether p may use at least one administration page.
func (p *Principal) CanAdminister() bool {
	for _, ra := range AdminResources {
		if p.Can(ra[0], ra[1]) {
			return true
		}
	}
	return false
}
