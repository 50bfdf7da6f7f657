package access

import (
	"reflect"
	"strings"
	"testing"
)

func TestAllowsSQLNumbersAfterExistingArguments(t *testing.T) {
	t.Parallel()
	p := NewPrincipal(Principal{UserID: 7, DistrictID: 3, ProgramIDs: []int64{11, 12}},
		[]string{"entry.update.own", "entry.update.program"})
	sql, args := AllowsSQL(p, "entry", "update", "e.id_student", "e.id_user_created", []any{"first"})

	for _, want := range []string{"sx.id_student = e.id_student", "e.id_user_created = $2",
		"us_view.id_user = $3", "sx.id_program = ANY($4)", "us_view.id_user = $5", "access_level = 'viewer'"} {
		if !strings.Contains(sql, want) {
			t.Errorf("SQL lacks %q:\n%s", want, sql)
		}
	}
	if strings.Contains(sql, "?") {
		t.Errorf("SQL keeps a ? placeholder:\n%s", sql)
	}
	wantArgs := []any{"first", int64(7), int64(7), []int64{11, 12}, int64(7)}
	if !reflect.DeepEqual(args, wantArgs) {
		t.Errorf("args = %#v, want %#v", args, wantArgs)
	}
}

func TestAllowsSQLWithoutGrantMatchesNothing(t *testing.T) {
	t.Parallel()
	p := NewPrincipal(Principal{UserID: 7}, []string{"goal.read.assigned"})
	if sql, args := AllowsSQL(p, "goal", "update", "g.id_student", "", nil); sql != "false" || len(args) != 0 {
		t.Errorf("no grant gave %q %v", sql, args)
	}
	// The program scope of someone in no program adds nothing either.
	p = NewPrincipal(Principal{UserID: 7}, []string{"goal.update.program"})
	if sql, _ := AllowsSQL(p, "goal", "update", "g.id_student", "", nil); sql != "false" {
		t.Errorf("empty program scope gave %q", sql)
	}
}

func TestReadSkipsTheViewerGuard(t *testing.T) {
	t.Parallel()
	p := NewPrincipal(Principal{UserID: 7}, []string{"goal.read.assigned"})
	sql, args := AllowsSQL(p, "goal", "read", "g.id_student", "", nil)
	if strings.Contains(sql, "us_view") || len(args) != 1 {
		t.Errorf("read got the write guard: %s %v", sql, args)
	}
}

func TestAssignmentScopesAskTheirOwnRowForMoreThanViewing(t *testing.T) {
	t.Parallel()
	p := NewPrincipal(Principal{UserID: 7}, []string{"goal.update.primary", "goal.read.primary"})
	sql, args := AllowsSQL(p, "goal", "update", "g.id_student", "", nil)
	if !strings.Contains(sql, "us_scope.id_student = g.id_student") ||
		!strings.Contains(sql, "us_scope.access_level IS DISTINCT FROM 'viewer'") ||
		strings.Contains(sql, "us_view") || strings.Contains(sql, "student AS sx") {
		t.Errorf("update by assignment should test the assignment row alone:\n%s", sql)
	}
	if !reflect.DeepEqual(args, []any{int64(7)}) {
		t.Errorf("args = %#v", args)
	}
	if sql, _ := AllowsSQL(p, "goal", "read", "g.id_student", "", nil); strings.Contains(sql, "viewer") {
		t.Errorf("read should not look at the access level:\n%s", sql)
	}
}
