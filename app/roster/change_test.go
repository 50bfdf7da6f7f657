package roster

import (
	"context"
	"errors"
	"testing"

	"goaltracker/app/access"
	"goaltracker/app/problem"
)

func TestCreateChecksAndAudits(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx, who := context.Background(), f.who("program")
	f.student(f.second, "Taken")

	st, err := f.svc.Create(ctx, who, Input{ProgramID: f.first, Identifier: " New-1 ", ProgramYear: "20",
		EnrollmentDate: "9/1/2026", ExpectedGrad: "2030-06-15"})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if st.Identifier != "New-1" || st.ProgramYear != 20 || dayText(st.EnrollmentDate) != "2026-09-01" {
		t.Errorf("created %+v", st)
	}
	if n := f.count(`SELECT count(*) FROM audit_event WHERE action = 'student_created' AND id_student = ?`,
		st.ID); n != 1 {
		t.Errorf("%d audit events", n)
	}

	tests := []struct {
		in    Input
		field string
	}{
		{Input{ProgramID: f.first, Identifier: "TAKEN"}, "identifier"},
		{Input{ProgramID: f.first, Identifier: "new-1"}, "identifier"},
		{Input{ProgramID: f.second, Identifier: "Other"}, "program"},
		{Input{ProgramID: f.far, Identifier: "Other"}, "program"},
		{Input{ProgramID: f.first, Identifier: "Y", ProgramYear: "0"}, "program_year"},
		{Input{ProgramID: f.first, Identifier: "Y", EnrollmentDate: "2026-09-02", ExpectedGrad: "9/1/2026"},
			"expected_grad"},
	}
	for _, tc := range tests {
		_, err := f.svc.Create(ctx, who, tc.in)
		inv, ok := problem.AsInvalid(err)
		if !ok || !inv.Has(tc.field) {
			t.Errorf("create %+v: %v, want a message on %s", tc.in, err, tc.field)
		}
	}
}

func TestUpdateRefusesStaleVersions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx, who := context.Background(), f.who("program")
	id := f.student(f.first, "S-1")
	f.student(f.first, "S-2")
	st, err := f.svc.Get(ctx, who, id)
	if err != nil {
		t.Fatalf("get: %v", err)
	}

	in := Input{Identifier: "S-1", ProgramYear: "2"}
	saved, err := f.svc.Update(ctx, who, id, in, st.UpdatedAt)
	if err != nil || saved.ProgramYear != 2 {
		t.Fatalf("update: %+v, %v", saved, err)
	}
	if _, err := f.svc.Update(ctx, who, id, Input{Identifier: "S-1", ProgramYear: "3"},
		st.UpdatedAt); !errors.Is(err, problem.ErrConflict) {
		t.Errorf("stale update: %v, want a conflict", err)
	}
	if _, err := f.svc.Update(ctx, who, id, Input{Identifier: "s-2"}, saved.UpdatedAt); !isInvalidOn(err, "identifier") {
		t.Errorf("taking another's identifier: %v", err)
	}
	if _, err := f.svc.Update(ctx, who, id, in, saved.UpdatedAt); err != nil {
		t.Errorf("saving without change: %v", err)
	}
	if n := f.count(`SELECT count(*) FROM audit_event WHERE action = 'student_updated'`); n != 1 {
		t.Errorf("%d update events, want 1 (a save without change writes none)", n)
	}
}

func TestReachFollowsTheScope(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	mine, other, far := f.student(f.first, "MINE"), f.student(f.second, "OTHER"), f.student(f.far, "FAR")

	program, district, all := f.who("program"), f.who("district"), f.who("all")
	for _, tc := range []struct {
		name    string
		err     error
		wantErr error
	}{
		{"program scope, own program", get(f, program, mine), nil},
		{"program scope, other program", get(f, program, other), problem.ErrNotFound},
		{"district scope, other program", get(f, district, other), nil},
		{"district scope, other district", get(f, district, far), problem.ErrNotFound},
		{"all scope, other district", get(f, all, far), nil},
	} {
		if !errors.Is(tc.err, tc.wantErr) || (tc.wantErr == nil && tc.err != nil) {
			t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.wantErr)
		}
	}

	if _, err := f.svc.Move(ctx, program, mine, f.second); !errors.Is(err, problem.ErrForbidden) {
		t.Errorf("program scope move: %v, want forbidden", err)
	}
	if _, err := f.svc.Move(ctx, district, mine, f.far); !isInvalidOn(err, "program") {
		t.Errorf("move to another district: %v", err)
	}
	moved, err := f.svc.Move(ctx, district, mine, f.second)
	if err != nil || moved.ProgramID != f.second {
		t.Fatalf("move: %+v, %v", moved, err)
	}
	if n := f.count(`SELECT count(*) FROM audit_event WHERE action = 'student_moved'
		AND (details->>'to_program')::int = ?`, f.second); n != 1 {
		t.Errorf("%d move events", n)
	}

	page, err := f.svc.List(ctx, program, ListParams{DistrictID: f.district})
	if err != nil || page.Total != 0 {
		t.Errorf("program scope list after the move: %+v, %v", page, err)
	}
	page, err = f.svc.List(ctx, district, ListParams{DistrictID: f.district, Query: "e"})
	if err != nil || page.Total != 2 {
		t.Errorf("district scope list: %+v, %v", page, err)
	}
	page, err = f.svc.List(ctx, district, ListParams{DistrictID: f.farDistrict})
	if err != nil || page.Total != 0 {
		t.Errorf("district scope list of another district: %+v, %v", page, err)
	}
}

func get(f *fixture, who *access.Principal, id int64) error {
	_, err := f.svc.Get(context.Background(), who, id)
	return err
}

func isInvalidOn(err error, field string) bool {
	inv, ok := problem.AsInvalid(err)
	return ok && inv.Has(field)
}
