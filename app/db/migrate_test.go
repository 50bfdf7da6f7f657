package db_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"goaltracker/app/db"
	"goaltracker/app/db/dbtest"
)

func countTables(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	err := d.QueryRowContext(context.Background(), `
		SELECT count(*) FROM information_schema.tables
		WHERE table_schema = 'public' AND table_name NOT LIKE 'bun_migration%'`).Scan(&n)
	if err != nil {
		t.Fatalf("count tables: %v", err)
	}
	return n
}

// TestMigrateUpDownUp applies every migration to an empty database, rolls
// them all back, and applies them again: each down migration must undo its
// up migration exactly, or the second up fails.
func TestMigrateUpDownUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := db.Open(ctx, dbtest.NewEmptyDSN(t))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer d.Close()

	applied, err := db.Migrate(ctx, d, logger)
	if err != nil {
		t.Fatalf("first up: %v", err)
	}
	if len(applied) == 0 || countTables(t, d) < 19 {
		t.Fatalf("first up applied %d migrations and left %d tables", len(applied), countTables(t, d))
	}
	again, err := db.Migrate(ctx, d, logger)
	if err != nil || len(again) != 0 {
		t.Fatalf("a second up applied %v, %v; want nothing", again, err)
	}

	undone, err := db.Rollback(ctx, d, logger)
	if err != nil {
		t.Fatalf("down: %v", err)
	}
	if len(undone) != len(applied) {
		t.Errorf("down undid %d migrations, up applied %d", len(undone), len(applied))
	}
	if n := countTables(t, d); n != 0 {
		t.Errorf("down left %d tables", n)
	}

	if _, err := db.Migrate(ctx, d, logger); err != nil {
		t.Fatalf("second up: %v", err)
	}
	status, err := db.Status(ctx, d, logger)
	if err != nil {
		t.Fatalf("status: %v", err)
	}
	if strings.Contains(status, "pending") || !strings.Contains(status, "0011_default_roles") {
		t.Errorf("status after up:\n%s", status)
	}
}

// TestDefaultRolesExist checks that the migrations create the roles of a new
// installation with their permissions.
func TestDefaultRolesExist(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)

	rows, err := d.QueryContext(context.Background(), `
		SELECT r.name, count(rp.id_permission) FROM role r
		LEFT JOIN role_permission rp ON rp.id_role = r.id_role
		GROUP BY r.name ORDER BY r.name`)
	if err != nil {
		t.Fatalf("read roles: %v", err)
	}
	defer rows.Close()

	got := map[string]int{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			t.Fatalf("scan: %v", err)
		}
		got[name] = n
	}
	for _, role := range []string{"teacher", "paraeducator", "program_admin",
		"district_leader", "district_admin", "system_admin"} {
		if got[role] == 0 {
			t.Errorf("role %s is missing or has no permissions (roles: %v)", role, got)
		}
	}
}
