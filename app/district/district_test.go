package district

import (
	"context"
	"errors"
	"testing"
	"time"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/db/dbtest"
	"goaltracker/app/problem"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var (
	sysAdmin      = access.NewPrincipal(access.Principal{UserID: 0}, []string{"district.manage.all", "program.manage.all"})
	calendarOfDec = Calendar{StartMonth: time.August, Today: time.Date(2026, time.December, 3, 0, 0, 0, 0, time.UTC)}
)

func TestCreateDistrictAddsTwoYearsOfCalendar(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	s := NewService(d)

	dist, err := s.CreateDistrict(ctx, sysAdmin, audit.Actor{}, DistrictInput{Name: " Lakeside ",
		ContactEmail: "office@lakeside.example"}, calendarOfDec)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if dist.Name != "Lakeside" {
		t.Errorf("name %q not trimmed", dist.Name)
	}
	var years []int
	if err := d.NewRaw(`SELECT DISTINCT year FROM reporting_period WHERE id_school_district = ? ORDER BY year`,
		dist.ID).Scan(ctx, &years); err != nil || len(years) != 2 || years[0] != 2026 {
		t.Errorf("calendar years %v (%v), want 2026 and 2027", years, err)
	}

	_, err = s.CreateDistrict(ctx, sysAdmin, audit.Actor{}, DistrictInput{Name: "LAKESIDE"}, calendarOfDec)
	if inv, ok := problem.AsInvalid(err); !ok || !inv.Has("name") {
		t.Errorf("duplicate name: %v", err)
	}
	districtAdmin := access.NewPrincipal(access.Principal{DistrictID: dist.ID}, []string{"program.manage.district"})
	if _, err := s.Districts(ctx, districtAdmin); !errors.Is(err, problem.ErrForbidden) {
		t.Errorf("district admin listing districts: %v, want forbidden", err)
	}

	again, err := s.EnsureDistrict(ctx, "lakeside", calendarOfDec)
	if err != nil || again.ID != dist.ID {
		t.Errorf("ensure existing: %v, id %d", err, again.ID)
	}
}

func TestProgramsStayInTheirDistrict(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	s := NewService(d)
	a, _ := s.EnsureDistrict(ctx, "A", calendarOfDec)
	b, _ := s.EnsureDistrict(ctx, "B", calendarOfDec)
	adminA := access.NewPrincipal(access.Principal{DistrictID: a.ID}, []string{"program.manage.district"})

	p, err := s.CreateProgram(ctx, adminA, audit.Actor{}, a.ID, ProgramInput{Name: "Bridge"})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if _, err := s.CreateProgram(ctx, adminA, audit.Actor{}, a.ID, ProgramInput{Name: "bridge"}); err == nil {
		t.Error("a duplicate name was accepted")
	}
	_, err = s.CreateProgram(ctx, adminA, audit.Actor{}, b.ID, ProgramInput{Name: "Bridge"})
	if !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("creating in another district: %v, want not found", err)
	}
	far, err := s.CreateProgram(ctx, sysAdmin, audit.Actor{}, b.ID, ProgramInput{Name: "Bridge"})
	if err != nil {
		t.Fatalf("the same name in B: %v", err)
	}
	_, err = s.UpdateProgram(ctx, adminA, audit.Actor{}, far.ID, "name", "Mine")
	if !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("renaming B's program: %v, want not found", err)
	}
	saved, err := s.UpdateProgram(ctx, adminA, audit.Actor{}, p.ID, "description", "  For ages 18-21 ")
	if err != nil || saved.Description != "For ages 18-21" || saved.Name != "Bridge" {
		t.Errorf("describe: %v %+v", err, saved)
	}
	list, err := s.ProgramsOf(ctx, adminA, a.ID)
	if err != nil || len(list) != 1 || list[0].Students != 0 {
		t.Errorf("programs of A: %v %+v", err, list)
	}
}
