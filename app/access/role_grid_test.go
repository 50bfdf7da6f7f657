package access

import (
	"context"
	"errors"
	"testing"

	"goaltracker/app/audit"
	"goaltracker/app/db/dbtest"
	"goaltracker/app/problem"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestGridAccessOf(t *testing.T) {
	t.Parallel()
	district := NewPrincipal(Principal{}, []string{"role.manage.district"})
	all := NewPrincipal(Principal{}, []string{"role.manage.all"})
	none := NewPrincipal(Principal{}, []string{"user.manage.district"})
	for _, tc := range []struct {
		name      string
		who       *Principal
		districts int64
		want      GridAccess
	}{
		{"district scope, one district", district, 1, GridDistrict},
		{"district scope, two districts", district, 2, GridReadOnly},
		{"all scope, two districts", all, 2, GridAll},
		{"no grant", none, 1, GridHidden},
	} {
		if got := GridAccessOf(tc.who, tc.districts); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}

	allScope, districtScope := &Permission{Scope: ScopeAll}, &Permission{Scope: ScopeDistrict}
	for _, tc := range []struct {
		acc     GridAccess
		perm    *Permission
		granted bool
		want    bool
	}{
		{GridDistrict, allScope, true, false},
		{GridDistrict, allScope, false, true},
		{GridDistrict, districtScope, true, true},
		{GridReadOnly, districtScope, true, false},
		{GridAll, allScope, true, true},
	} {
		if got := tc.acc.MayChange(tc.perm, tc.granted); got != tc.want {
			t.Errorf("%v may set %s to %v: %v, want %v", tc.acc, tc.perm.Scope, tc.granted, got, tc.want)
		}
	}
}

// The guard at the service: the last administrator's rights cannot be
// taken, and a refused change leaves no trace.
func TestSetGrantKeepsAnAdministrator(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	exec := func(q string, args ...any) {
		if _, err := d.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO school_district (name) VALUES ('Only')`)
	exec(`INSERT INTO "user" (id_role, id_school_district, email, name)
		SELECT id_role, 1, 'admin@x.example', 'Admin' FROM role WHERE name = 'district_admin'`)
	var roleID, permID int64
	_ = d.QueryRowContext(ctx, `SELECT id_role FROM role WHERE name = 'district_admin'`).Scan(&roleID)
	_ = d.QueryRowContext(ctx, `SELECT id_permission FROM permission WHERE name = 'role.manage.district'`).Scan(&permID)
	who := NewPrincipal(Principal{UserID: 1, DistrictID: 1}, []string{"role.manage.district", "user.manage.district"})
	roles := NewRoles(d)

	err := roles.SetGrant(ctx, who, audit.Actor{UserID: 1}, Grant{RoleID: roleID, PermissionID: permID})
	if inv, ok := problem.AsInvalid(err); !ok || inv.Form == "" {
		t.Fatalf("removing the last admin's grant: %v, want a form message", err)
	}
	grid, err := roles.Grid(ctx)
	if err != nil {
		t.Fatalf("grid: %v", err)
	}
	if !grid.Granted(roleID, permID) {
		t.Error("the refused change was applied")
	}

	exec(`INSERT INTO "user" (id_role, id_school_district, email, name)
		SELECT id_role, 1, 'sys@x.example', 'Sys' FROM role WHERE name = 'system_admin'`)
	if err := roles.SetGrant(ctx, who, audit.Actor{UserID: 1}, Grant{RoleID: roleID, PermissionID: permID}); err != nil {
		t.Fatalf("with a system admin present: %v", err)
	}
	var events int
	_ = d.QueryRowContext(ctx, `SELECT count(*) FROM audit_event WHERE action = 'role_change'
		AND id_school_district = 1`).Scan(&events)
	if events != 1 {
		t.Errorf("%d role_change events, want 1", events)
	}

	err = roles.SetGrant(ctx, who, audit.Actor{UserID: 1}, Grant{RoleID: roleID, PermissionID: 999999, Granted: true})
	if !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("unknown permission: %v, want not found", err)
	}
}
