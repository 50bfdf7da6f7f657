package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun/dialect/pgdialect"

	"goaltracker/app/access"
	"goaltracker/app/account"
	"goaltracker/app/db"
	"goaltracker/app/db/dbtest"
	"goaltracker/app/problem"
)

// staffWorld is a district A with two programs and an administrator, a
// district B with one program, and an account service on them.
type staffWorld struct {
	t          *testing.T
	d          *db.DB
	svc        *account.Service
	distA      int64
	distB      int64
	progA      [2]int64
	progB      int64
	admin      int64
	adminAsker *access.Principal
}

var testHash = account.HashParams{MemoryKiB: 1024, Iterations: 1, Lanes: 1, SaltLen: 16, KeyLen: 32}

func newStaffWorld(t *testing.T) *staffWorld {
	t.Helper()
	w := &staffWorld{t: t, d: dbtest.New(t)}
	svc, err := account.NewService(w.d, account.Settings{Hash: testHash,
		Policy: account.DefaultPasswordPolicy, HistoryCount: 5, LockoutThreshold: 5,
		LockoutDuration: 15 * time.Minute, SessionIdle: time.Hour, SessionLifetime: 12 * time.Hour,
		ResetTokenLifetime: 30 * time.Minute})
	if err != nil {
		t.Fatalf("service: %v", err)
	}
	w.svc = svc
	w.distA = w.id(`INSERT INTO school_district (name) VALUES ('A') RETURNING id_school_district`)
	w.distB = w.id(`INSERT INTO school_district (name) VALUES ('B') RETURNING id_school_district`)
	for i := range w.progA {
		w.progA[i] = w.id(`INSERT INTO program (id_school_district, name) VALUES (?, ?) RETURNING id_program`,
			w.distA, []string{"One", "Two"}[i])
	}
	w.progB = w.id(`INSERT INTO program (id_school_district, name) VALUES (?, 'Far') RETURNING id_program`, w.distB)
	w.admin = w.user("admin@a.example", "district_admin", w.distA, "the admin password")
	w.adminAsker = w.principal(w.admin)
	return w
}

func (w *staffWorld) id(query string, args ...any) int64 {
	w.t.Helper()
	var id int64
	if err := w.d.QueryRowContext(context.Background(), query, args...).Scan(&id); err != nil {
		w.t.Fatalf("%s: %v", query, err)
	}
	return id
}

func (w *staffWorld) exec(query string, args ...any) {
	w.t.Helper()
	if _, err := w.d.ExecContext(context.Background(), query, args...); err != nil {
		w.t.Fatalf("%s: %v", query, err)
	}
}

// user adds an account with a password through CreateUser.
func (w *staffWorld) user(email, role string, district int64, password string) int64 {
	w.t.Helper()
	u, err := w.svc.CreateUser(context.Background(), account.NewUser{Email: email, Name: "Person " + email,
		RoleName: role, DistrictID: district, Password: password})
	if err != nil {
		w.t.Fatalf("create %s: %v", email, err)
	}
	return u.ID
}

// principal builds the request principal of userID from its role's rows.
func (w *staffWorld) principal(userID int64) *access.Principal {
	w.t.Helper()
	var p access.Principal
	var grants []string
	err := w.d.NewRaw(`SELECT u.id_user, u.email, u.id_school_district,
			coalesce((SELECT array_agg(pm.resource || '.' || pm.action || '.' || pm.scope)
				FROM role_permission rp JOIN permission pm ON pm.id_permission = rp.id_permission
				WHERE rp.id_role = u.id_role), '{}')
		FROM "user" u WHERE u.id_user = ?`, userID).Scan(context.Background(),
		&p.UserID, &p.Email, &p.DistrictID, pgdialect.Array(&grants))
	if err != nil {
		w.t.Fatalf("principal %d: %v", userID, err)
	}
	err = w.d.NewRaw(`SELECT coalesce(array_agg(id_program), '{}') FROM user_program
		WHERE id_user = ? AND status = 'active'`, userID).Scan(context.Background(), pgdialect.Array(&p.ProgramIDs))
	if err != nil {
		w.t.Fatalf("programs of %d: %v", userID, err)
	}
	return access.NewPrincipal(p, grants)
}

// clerk adds a role that manages the district's users but not its roles,
// so its holder does not count as an administrator, and an account of it.
func (w *staffWorld) clerk() *access.Principal {
	w.t.Helper()
	w.exec(`INSERT INTO role (name) VALUES ('user_clerk')`)
	w.exec(`INSERT INTO role_permission (id_role, id_permission)
		SELECT r.id_role, p.id_permission FROM role r, permission p
		WHERE r.name = 'user_clerk' AND p.name = 'user.manage.district'`)
	return w.principal(w.user("clerk@a.example", "user_clerk", w.distA, "the clerk password"))
}

func (w *staffWorld) count(query string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.d.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		w.t.Fatalf("%s: %v", query, err)
	}
	return n
}

func mustInvalid(t *testing.T, err error, what string) *problem.Invalid {
	t.Helper()
	inv, ok := problem.AsInvalid(err)
	if !ok {
		t.Fatalf("%s: got %v, want a refusal of the input", what, err)
	}
	return inv
}

func TestLastAdministratorCannotBeDemotedOrDeactivated(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	clerk := w.clerk()

	err := w.svc.ChangeRole(ctx, clerk, w.admin, "teacher")
	if inv := mustInvalid(t, err, "demote the last admin"); inv.Form == "" {
		t.Errorf("the refusal has no message for the form: %v", inv)
	}
	mustInvalid(t, w.svc.SetActive(ctx, clerk, w.admin, false), "deactivate the last admin")
	mustInvalid(t, w.svc.SetActive(ctx, w.adminAsker, w.admin, false), "deactivate oneself")
	if n := w.count(`SELECT count(*) FROM "user" u JOIN role r USING (id_role)
		WHERE u.id_user = ? AND r.name = 'district_admin' AND u.is_active`, w.admin); n != 1 {
		t.Fatalf("the refused changes changed the admin")
	}

	second := w.user("second@a.example", "district_admin", w.distA, "the second password")
	if err := w.svc.ChangeRole(ctx, clerk, w.admin, "teacher"); err != nil {
		t.Fatalf("demote with a second admin: %v", err)
	}
	mustInvalid(t, w.svc.SetActive(ctx, clerk, second, false), "deactivate the new last admin")
	if err := w.svc.ChangeRole(ctx, clerk, w.admin, "district_admin"); err != nil {
		t.Fatalf("promote back: %v", err)
	}
	if err := w.svc.SetActive(ctx, clerk, second, false); err != nil {
		t.Fatalf("deactivate with another admin: %v", err)
	}
	if n := w.count(`SELECT count(*) FROM audit_event WHERE action = 'user_role_change'
		AND record_id = ? AND id_user = ?`, w.admin, clerk.UserID); n != 2 {
		t.Errorf("role changes audited: %d, want 2", n)
	}
	if n := w.count(`SELECT count(*) FROM audit_event WHERE action = 'user_deactivated'
		AND record_id = ?`, second); n != 1 {
		t.Errorf("deactivations audited: %d, want 1", n)
	}
}

func TestDistrictManagerCannotGiveAllDistrictRoles(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()

	roles, err := w.svc.AssignableRoles(ctx, w.adminAsker)
	if err != nil {
		t.Fatalf("roles: %v", err)
	}
	for _, r := range roles {
		if r.Name == "system_admin" {
			t.Errorf("a district admin is offered the system admin role")
		}
	}
	_, _, err = w.svc.Invite(ctx, w.adminAsker, account.Invitation{Email: "boss@a.example", Name: "Boss",
		RoleName: "system_admin", DistrictID: w.distA}, "::1")
	if !errors.Is(err, problem.ErrForbidden) {
		t.Errorf("invite a system admin: %v, want forbidden", err)
	}
	target := w.user("t@a.example", "teacher", w.distA, "the teacher password")
	if err := w.svc.ChangeRole(ctx, w.adminAsker, target, "system_admin"); !errors.Is(err, problem.ErrForbidden) {
		t.Errorf("promote to system admin: %v, want forbidden", err)
	}
	sys := w.user("sys@a.example", "system_admin", w.distA, "the system password")
	if err := w.svc.SetActive(ctx, w.adminAsker, sys, false); !errors.Is(err, problem.ErrForbidden) {
		t.Errorf("deactivate a system admin: %v, want forbidden", err)
	}
	if err := w.svc.ChangeRole(ctx, w.principal(sys), target, "system_admin"); err != nil {
		t.Errorf("a system admin gives the system admin role: %v", err)
	}
}

func TestAccountsOfAnotherDistrictAreNotFound(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	far := w.user("far@b.example", "teacher", w.distB, "the far password")

	if _, err := w.svc.ManagedUser(ctx, w.adminAsker, far); !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("load: %v, want not found", err)
	}
	if err := w.svc.Rename(ctx, w.adminAsker, far, "New Name"); !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("rename: %v, want not found", err)
	}
	if _, err := w.svc.ListUsers(ctx, w.adminAsker,
		account.UserFilter{DistrictID: w.distB}); !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("list: %v, want not found", err)
	}
	_, _, err := w.svc.Invite(ctx, w.adminAsker, account.Invitation{Email: "x@b.example", Name: "X",
		RoleName: "teacher", DistrictID: w.distB}, "::1")
	if !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("invite into B: %v, want not found", err)
	}
}

func TestInvitationSetsThePasswordOnce(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()

	u, token, err := w.svc.Invite(ctx, w.adminAsker, account.Invitation{Email: " New@A.example ",
		Name: "New Person", RoleName: "teacher", DistrictID: w.distA, ProgramID: w.progA[1]}, "::1")
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	if u.Email != "new@a.example" || token == "" {
		t.Fatalf("invite gave %q and token %q", u.Email, token)
	}
	if n := w.count(`SELECT count(*) FROM password_reset_token WHERE id_user = ?
		AND expires_at > now() + interval '6 days'`, u.ID); n != 1 {
		t.Errorf("invitation links lasting the invitation lifetime: %d, want 1", n)
	}
	if n := w.count(`SELECT count(*) FROM user_program WHERE id_user = ? AND id_program = ? AND is_primary`,
		u.ID, w.progA[1]); n != 1 {
		t.Errorf("the program is not the primary membership")
	}
	if _, err := w.svc.SignIn(ctx, "new@a.example", "", "::1"); !errors.Is(err, account.ErrBadCredentials) {
		t.Errorf("sign-in before a password is set: %v, want bad credentials", err)
	}

	// A resend replaces the link.
	_, again, err := w.svc.ResendInvitation(ctx, w.adminAsker, u.ID, "::1")
	if err != nil {
		t.Fatalf("resend: %v", err)
	}
	err = w.svc.ResetPassword(ctx, token, "a brand new password", "a brand new password", "::1")
	if !errors.Is(err, account.ErrResetTokenInvalid) {
		t.Errorf("the replaced link: %v, want invalid", err)
	}
	if err := w.svc.ResetPassword(ctx, again, "a brand new password", "a brand new password", "::1"); err != nil {
		t.Fatalf("set the password: %v", err)
	}
	err = w.svc.ResetPassword(ctx, again, "another new password", "another new password", "::1")
	if !errors.Is(err, account.ErrResetTokenInvalid) {
		t.Errorf("the link used twice: %v, want invalid", err)
	}
	if _, err := w.svc.SignIn(ctx, "new@a.example", "a brand new password", "::1"); err != nil {
		t.Errorf("sign in with the chosen password: %v", err)
	}
	_, _, err = w.svc.ResendInvitation(ctx, w.adminAsker, u.ID, "::1")
	mustInvalid(t, err, "resend after the password is set")
	if n := w.count(`SELECT count(*) FROM audit_event WHERE action IN ('user_created', 'invitation_sent')
		AND record_id = ? AND id_user = ?`, u.ID, w.admin); n != 3 {
		t.Errorf("creation and invitations audited: %d, want 3", n)
	}
}

func TestInvitationRefusesBadInput(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	cases := []struct {
		name  string
		in    account.Invitation
		field string
	}{
		{"taken email", account.Invitation{Email: "ADMIN@a.example", Name: "X", RoleName: "teacher"}, "email"},
		{"bad email", account.Invitation{Email: "not an email", Name: "X", RoleName: "teacher"}, "email"},
		{"no name", account.Invitation{Email: "x@a.example", Name: " ", RoleName: "teacher"}, "name"},
		{"invalid utf-8", account.Invitation{Email: "x@a.example", Name: "\xff", RoleName: "teacher"}, "name"},
		{"unknown role", account.Invitation{Email: "x@a.example", Name: "X", RoleName: "wizard"}, "role"},
		{"program of B", account.Invitation{Email: "x@a.example", Name: "X", RoleName: "teacher",
			ProgramID: w.progB}, "program"},
	}
	for _, c := range cases {
		c.in.DistrictID = w.distA
		_, _, err := w.svc.Invite(ctx, w.adminAsker, c.in, "::1")
		if inv := mustInvalid(t, err, c.name); !inv.Has(c.field) {
			t.Errorf("%s: messages %v lack field %s", c.name, inv.Fields, c.field)
		}
	}
}

func TestForceResetVoidsThePassword(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	target := w.user("t@a.example", "teacher", w.distA, "the old password")
	session, err := w.svc.StartSession(ctx, &account.User{ID: target}, "::1", "test")
	if err != nil {
		t.Fatalf("session: %v", err)
	}

	_, token, err := w.svc.ForceReset(ctx, w.adminAsker, target, "::1")
	if err != nil {
		t.Fatalf("force reset: %v", err)
	}
	if _, err := w.svc.SignIn(ctx, "t@a.example", "the old password", "::1"); !errors.Is(err, account.ErrBadCredentials) {
		t.Errorf("old password after a forced reset: %v, want bad credentials", err)
	}
	if _, err := w.svc.SessionByToken(ctx, session); !errors.Is(err, account.ErrNoSession) {
		t.Errorf("session after a forced reset: %v, want none", err)
	}
	err = w.svc.ResetPassword(ctx, token, "the old password", "the old password", "::1")
	mustInvalid(t, err, "choose the old password again")
	if err := w.svc.ResetPassword(ctx, token, "the new password", "the new password", "::1"); err != nil {
		t.Fatalf("set a new password: %v", err)
	}
	if _, err := w.svc.SignIn(ctx, "t@a.example", "the new password", "::1"); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}
	if n := w.count(`SELECT count(*) FROM audit_event WHERE action = 'password_reset_forced'
		AND record_id = ?`, target); n != 1 {
		t.Errorf("forced resets audited: %d, want 1", n)
	}
}

func TestListUsersFilters(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	w.user("ann@a.example", "teacher", w.distA, "ann's password here")
	off := w.user("bob@a.example", "paraeducator", w.distA, "bob's password here")
	locked := w.user("cy_x@a.example", "teacher", w.distA, "cy's password here")
	w.user("dee@b.example", "teacher", w.distB, "dee's password here")
	w.exec(`UPDATE "user" SET is_active = false WHERE id_user = ?`, off)
	w.exec(`UPDATE "user" SET locked_until = now() + interval '1 hour' WHERE id_user = ?`, locked)

	cases := []struct {
		filter account.UserFilter
		want   []string
	}{
		{account.UserFilter{}, []string{"admin@a.example", "ann@a.example", "bob@a.example", "cy_x@a.example"}},
		{account.UserFilter{Query: "ANN"}, []string{"ann@a.example"}},
		{account.UserFilter{Query: "_"}, []string{"cy_x@a.example"}},
		{account.UserFilter{Role: "paraeducator"}, []string{"bob@a.example"}},
		{account.UserFilter{Status: account.StatusInactive}, []string{"bob@a.example"}},
		{account.UserFilter{Status: account.StatusLocked}, []string{"cy_x@a.example"}},
		{account.UserFilter{Status: account.StatusActive}, []string{"admin@a.example", "ann@a.example"}},
	}
	for _, c := range cases {
		c.filter.DistrictID = w.distA
		rows, err := w.svc.ListUsers(ctx, w.adminAsker, c.filter)
		if err != nil {
			t.Fatalf("list %+v: %v", c.filter, err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.Email)
		}
		if len(got) != len(c.want) {
			t.Errorf("list %+v = %v, want %v", c.filter, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("list %+v = %v, want %v", c.filter, got, c.want)
				break
			}
		}
	}
}

func TestMembershipsKeepOnePrimary(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	target := w.user("t@a.example", "teacher", w.distA, "the teacher password")

	for _, p := range w.progA {
		if err := w.svc.AddMembership(ctx, w.adminAsker, target, p); err != nil {
			t.Fatalf("add program %d: %v", p, err)
		}
	}
	mustInvalid(t, w.svc.AddMembership(ctx, w.adminAsker, target, w.progA[0]), "add twice")
	mustInvalid(t, w.svc.AddMembership(ctx, w.adminAsker, target, w.progB), "add a program of B")
	primaryIs := func(want int64) {
		t.Helper()
		ms, err := w.svc.Memberships(ctx, target)
		if err != nil {
			t.Fatalf("memberships: %v", err)
		}
		n := 0
		for _, m := range ms {
			if m.IsPrimary {
				n++
				if m.ProgramID != want {
					t.Errorf("primary is %d, want %d", m.ProgramID, want)
				}
			}
		}
		if n != 1 {
			t.Errorf("%d primary programs, want 1", n)
		}
	}
	primaryIs(w.progA[0])
	if err := w.svc.MakePrimaryMembership(ctx, w.adminAsker, target, w.progA[1]); err != nil {
		t.Fatalf("make primary: %v", err)
	}
	primaryIs(w.progA[1])
	if err := w.svc.SetMembershipStatus(ctx, w.adminAsker, target, w.progA[0], "inactive"); err != nil {
		t.Fatalf("set inactive: %v", err)
	}
	mustInvalid(t, w.svc.SetMembershipStatus(ctx, w.adminAsker, target, w.progA[0], "gone"), "bad status")
	if err := w.svc.RemoveMembership(ctx, w.adminAsker, target, w.progA[0]); err != nil {
		t.Fatalf("remove: %v", err)
	}
	if err := w.svc.RemoveMembership(ctx, w.adminAsker, target, w.progA[0]); !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("remove twice: %v, want not found", err)
	}
	if n := w.count(`SELECT count(*) FROM audit_event WHERE action = 'membership_change'
		AND record_id = ?`, target); n != 5 {
		t.Errorf("membership changes audited: %d, want 5", n)
	}
}
